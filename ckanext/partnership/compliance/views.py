# -*- coding: utf-8 -*-
"""The page of a dataset's open-data label and the figures per partner:
thin views over the actions (routes in ``ckanext.partnership.views``)."""
from __future__ import annotations

import csv
import io
from typing import Any, Optional

import flask

import ckan.plugins.toolkit as tk

from ckanext.partnership.core import language, roles
from ckanext.partnership.core.pages import action_context, flash_errors, page_window, pager
from ckanext.partnership.domain import open_label
from ckanext.partnership.domain.quotas import CODES as QUOTA_CODES

from . import charts, datasets, lists, texts

_ = tk._
N_ = language.N_


def label(id: str):
    """The ten criteria, their status and evidence; the declaration form
    for those who may declare."""
    context = action_context()
    try:
        dataset = tk.get_action("package_show")(context, {"id": id})
        found = tk.get_action("partnership_dataset_compliance")(context, {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, _("Dataset not found"))
    except tk.NotAuthorized:
        return tk.abort(403, _("Not authorized to see this page"))
    may_declare = _may_declare(dataset["id"])
    fresh = found["freshness"]
    return tk.render("partnership/dataset_label.html", {
        "pkg_dict": dataset, "package": dataset, "compliance": found,
        "freshness_badge": texts.freshness_badge(fresh["state"], fresh["days_late"]),
        "label_badge": texts.label_badge(found["label"]["score"]),
        "may_declare": may_declare, "declarable": open_label.DECLARABLE,
        "declared_statuses": open_label.DECLARED_STATUSES})


def _may_declare(package_id: str) -> bool:
    try:
        tk.check_access("partnership_label_declare", action_context(), {"id": package_id})
    except tk.NotAuthorized:
        return False
    return True


def label_declare(id: str):
    """Record a declaration, then back to the label page."""
    data = {"id": id, "criterion": tk.request.form.get("criterion", ""),
            "status": tk.request.form.get("status", ""),
            "comment": tk.request.form.get("comment", "")}
    try:
        tk.get_action("partnership_label_declare")(action_context(), data)
    except tk.ObjectNotFound:
        return tk.abort(404, _("Dataset not found"))
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error) or _("Not authorized"))
    except tk.ValidationError as error:
        flash_errors(error)
        return tk.redirect_to("partnership.dataset_label", id=id)
    tk.h.flash_success(_("Your declaration is recorded."))
    return tk.redirect_to("partnership.dataset_label", id=id)


# -- the figures per partner ---------------------------------------------------

#: The columns of the table of partners, as ``partnership_compliance_list``
#: sorts them.
_COLUMNS = (("title", N_("Partner")), ("datasets", N_("Datasets")),
            ("fresh", N_("Up to date")), ("late", N_("Late")),
            ("not_applicable", N_("No due date")), ("label_granted", N_("Open data label")),
            ("median_score", N_("Median score")), ("fresh_share", N_("Share up to date")))
#: Cells a spreadsheet would read as a formula.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _fresh_share(summary: dict[str, Any]) -> Optional[float]:
    return summary["fresh"] / summary["datasets"] if summary["datasets"] else None


def _chart(found: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """The chart of the last 12 months and the same figures as rows."""
    recorded = {h["month"]: h for h in found["history"]}
    today = datasets.today()
    rows = []
    for back in range(11, -1, -1):
        first = lists.month_start(today, back)
        figures = recorded.get(first.strftime("%Y-%m"))
        share = _fresh_share(figures) if figures else None
        rows.append({"month": texts.month(first), "figures": figures, "share": share,
                     "share_text": texts.share(share)})
    svg = charts.share_by_month([(r["month"], r["share"]) for r in rows],
                                _("Share of datasets up to date, month by month"),
                                _("no figures"))
    return svg, rows


def organization_compliance(id: str):
    """A partner's figures: the summary, the chart of its last 12 months,
    its datasets late first (50 a page), the criteria it fails most."""
    page, limit, offset = page_window()
    try:
        found = tk.get_action("partnership_compliance_show")(
            action_context(), {"organization": id, "limit": limit, "offset": offset})
    except tk.ObjectNotFound:
        return tk.abort(404, _("Organization not found"))
    for row in found["datasets"]:
        fresh = row["freshness"]
        row["freshness_badge"] = texts.freshness_badge(fresh["state"], fresh["days_late"])
        row["label_badge"] = texts.label_badge(row["label"]["score"])
    svg, months = _chart(found)
    return tk.render("partnership/organization_compliance.html", {
        "found": found, "organization": found["organization"],
        "quotas": texts.quota_rows(found.get("quotas")),
        "summary_sentence": texts.summary_sentence(found["summary"]),
        "chart": svg, "months": months,
        "page": pager(found["datasets"], found["summary"]["datasets"], page)})


def _sort_args() -> tuple[str, str]:
    sort = tk.request.args.get("sort") or "title"
    order = tk.request.args.get("order") or "asc"
    return sort, order


def _rows(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in found:
        share = _fresh_share(row["summary"])
        row["fresh_share"] = share
        row["fresh_share_text"] = texts.share(share)
        row["median_text"] = texts.score(row["summary"]["median_score"])
        row["highest_quota_text"] = texts.highest_quota(row.get("quotas"))
    return found


def partners():
    """The table of every partner, sortable by each column, 50 a page."""
    context = action_context()
    sort, order = _sort_args()
    page, limit, offset = page_window()
    try:
        found = tk.get_action("partnership_compliance_list")(
            context, {"sort": sort, "order": order, "limit": limit, "offset": offset})
    except tk.ValidationError as error:
        flash_errors(error)
        sort, order = "title", "asc"
        found = tk.get_action("partnership_compliance_list")(
            context, {"limit": limit, "offset": offset})
    count = tk.get_action("partnership_compliance_count")(context, {})["count"]
    columns = [{"key": key, "title": _(title), "current": key == sort,
                "aria_sort": ("ascending" if order == "asc" else "descending")
                if key == sort else None,
                "next_order": "desc" if key == sort and order == "asc" else "asc"}
               for key, title in _COLUMNS]
    return tk.render("partnership/compliance_partners.html", {
        "rows": _rows(found), "columns": columns, "sort": sort, "order": order,
        "with_quotas": any(row.get("quotas") is not None for row in found),
        "count": count, "page": pager(found, count, page)})


def _cell(value: Any) -> str:
    """A cell as text, neutralised when a spreadsheet would run it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _decimal(value: Optional[float]) -> str:
    """A decimal with the comma French spreadsheets read."""
    return "" if value is None else f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def _quota_cells(usages: Optional[list[dict[str, Any]]]) -> list[str]:
    """A partner's quotas as CSV cells (the share of each limit; empty
    without a limit, or for a partner whose quotas the reader does not
    see)."""
    if usages is None:
        return [""] * len(QUOTA_CODES)
    return [_decimal(u["share"]) for u in usages]


def _sees_quotas(context: dict[str, Any]) -> bool:
    """Whether the reader sees some partner's quotas: a validator, or a
    member of an organisation."""
    user = context.get("user")
    return roles.is_validator(user) or bool(roles.member_organization_ids(user))


def partners_csv():
    """Every partner, in the table's order, as CSV for a spreadsheet:
    UTF-8 with a BOM, ``;`` between cells, decimals with a comma."""
    context = action_context()
    sort, order = _sort_args()
    try:
        args = {"sort": sort, "order": order}
        tk.get_action("partnership_compliance_list")(context, {**args, "limit": 1})
    except tk.ValidationError:
        args = {}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    header = [_("Organization name")] + [_(title) for _key, title in _COLUMNS]
    # the share of each quota's limit, to the readers who see quotas (the
    # host's validators: every partner; a partner's members: their own)
    quota_header = [_("{quota}, share of the limit").format(quota=texts.quota_title(code))
                    for code in QUOTA_CODES]
    offset, size = 0, 1000
    while True:
        found = tk.get_action("partnership_compliance_list")(
            context, {**args, "limit": size, "offset": offset})
        if offset == 0:
            with_quotas = _sees_quotas(context)
            writer.writerow(header + (quota_header if with_quotas else []))
        for row in found:
            s = row["summary"]
            quotas = row.get("quotas")
            writer.writerow([_cell(row["organization"]["name"]),
                             _cell(row["organization"]["title"]),
                             s["datasets"], s["fresh"], s["late"], s["not_applicable"],
                             s["label_granted"], _decimal(s["median_score"]),
                             _decimal(_fresh_share(s)),
                             *(_quota_cells(quotas) if with_quotas else [])])
        if len(found) < size:
            break
        offset += size
    response = flask.make_response("\ufeff" + out.getvalue())
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="partners-compliance.csv"'
    return response
