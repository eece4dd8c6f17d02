# -*- coding: utf-8 -*-
"""The review as people read it (the page and the PDF share its HTML),
and its exports: PDF, CSV (one row per month and figure), JSON."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.partnership import compliance
from ckanext.partnership.domain import annual_review as rules

from . import charts, pdf, texts

_ = tk._


def _section_rows(review: dict[str, Any], key: str) -> list[dict[str, str]]:
    rows = []
    for name, compared in review["comparison"].items():
        if name.split(".", 1)[0] != key:
            continue
        rows.append({"name": name, "label": texts.figure_name(name),
                     "value": texts.value(name, compared["value"]),
                     "previous": texts.value(name, compared["previous"]),
                     "change": texts.change(name, compared["change"])})
    return rows


def _charts(review: dict[str, Any], key: str, months: list[str]) -> list[dict[str, Any]]:
    found = []
    for chart_id, title, names, percent in texts.CHARTS[key]:
        present = [n for n in names if n in review["series"]]
        if not present:
            continue
        title = _(title)
        svg = charts.bars(chart_id, title, months,
                          [(texts.figure_name(n), review["series"][n]) for n in present], percent)
        found.append({
            "id": chart_id, "title": title, "svg": svg,
            "columns": [texts.figure_name(n) for n in present],
            "rows": [(months[i], [texts.value(n, review["series"][n][i]) for n in present])
                     for i in range(12)],
        })
    return found


def presented(review: dict[str, Any]) -> dict[str, Any]:
    """What the page and the PDF show: per section its figures beside the
    year before's, its charts, each with its figures as a table."""
    year = review["year"]
    months = [texts.month(dt.date(year, m, 1)) for m in range(1, 13)]
    sections = [{"key": key, "title": _(texts.SECTION_TITLES[key]),
                 "rows": _section_rows(review, key), "charts": _charts(review, key, months)}
                for key in rules.SECTIONS]
    organization = review["organization"]
    portal = review["portal"]["title"] or ""
    return {
        "review": review, "sections": sections, "months": months,
        "say": {"day": texts.day, "role": texts.role, "planned": texts.planned},
        "quotas": compliance.quota_rows(review["quotas"]["usage"]),
        "portal_title": portal,
        "partner_title": organization["title"] if organization else portal,
        "title": (_("Annual review {year}: {partner}").format(year=year,
                                                             partner=organization["title"])
                  if organization else _("Annual review {year} of the portal").format(year=year)),
    }


def as_pdf(review: dict[str, Any]) -> bytes:
    """The review as an A4 PDF: the page's figures, charts and tables."""
    shown = presented(review)
    html = tk.render("partnership/annual_review_print.html", shown)
    return pdf.render(html, portal=shown["portal_title"], page=_("page"),
                      partner=review["organization"]["title"] if review["organization"] else None,
                      title=shown["title"])


#: Cells a spreadsheet would read as a formula.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def as_csv(review: dict[str, Any]) -> str:
    """One row per month and figure (``domain.annual_review.CSV_COLUMNS``)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=rules.CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    who = review["organization"]["name"] if review["organization"] else ""
    for row in rules.csv_rows(who, review["year"], review["series"]):
        writer.writerow({k: ("'" + v if isinstance(v, str) and v.startswith(_FORMULA) else v)
                         for k, v in row.items()})
    return out.getvalue()


def as_json(review: dict[str, Any]) -> str:
    return json.dumps(review, ensure_ascii=False, indent=1, sort_keys=False)


def export(review: dict[str, Any], fmt: str) -> "bytes | str":
    """The review in ``fmt``: ``pdf`` (bytes), ``csv`` or ``json`` (text)."""
    return {"pdf": as_pdf, "csv": as_csv, "json": as_json}[fmt](review)
