# -*- coding: utf-8 -*-
"""An annual review as ``partnership_annual_review`` returns it: the
sections of the year, each figure's total and twelve months, the totals of
the year before and the comparison (the shape: README, API, "Annual
review")."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.partnership import model as pmodel
from ckanext.partnership.domain import annual_review as rules

from . import figures


def _sections(organization_id: Optional[str], year: int, today: dt.date) -> dict[str, Any]:
    return {
        "agreement": figures.agreement_year(organization_id, year, today),
        "publication": figures.publication_year(organization_id, year),
        "answers": figures.answers_year(organization_id, year),
        "quality": figures.quality_year(organization_id, year, today),
        "annex": figures.annex_year(organization_id, year, today),
        "quotas": figures.quotas_year(organization_id, year, today),
        "use": {**figures.use_year(organization_id, year),
                "restricted": figures.restricted_downloads_year(organization_id, year)},
    }


def totals(sections: dict[str, Any]) -> dict[str, Any]:
    """Each figure's value for the year, ``section.figure``."""
    out: dict[str, Any] = {}
    for name, value in sections["agreement"]["totals"].items():
        out[f"agreement.{name}"] = value
    publication = sections["publication"]
    for name, value in publication["totals"].items():
        out[f"publication.{name}"] = value
    decisions = publication["decisions"]
    for name in ("decided", "approved", "refused", "within_sla_share", "median_decision_hours"):
        out[f"publication.{name}"] = decisions[name]
    answers = sections["answers"]
    for name in ("threads", "answered", "answered_on_time", "answered_on_time_share",
                 "median_first_response_hours", "contact_messages"):
        out[f"answers.{name}"] = answers[name]
    for name in ("requests", "decided_on_time", "granted", "median_decision_hours"):
        out[f"answers.access_{name}"] = answers["access_requests"][name]
    quality = sections["quality"]
    end = quality["year_end"] or {}
    for name in ("datasets", "fresh", "late", "fresh_share", "label_granted"):
        out[f"quality.{name}"] = end.get(name)
    out["quality.checks_run"] = quality["checks"]["run"]
    out["quality.checks_failed"] = quality["checks"]["failed"]
    annex = sections["annex"]
    for name in ("planned", "delivered", "delivered_late", "late", "still_planned"):
        out[f"annex.{name}"] = annex[name]
    out["quotas.api_calls"] = sections["quotas"]["api_calls"]
    use = sections["use"]
    out["use.restricted_downloads"] = use["restricted"]["downloads"]
    out["use.restricted_accounts"] = use["restricted"]["accounts"]
    if use["tracking"]:
        out["use.views"] = use["views"]
        out["use.downloads"] = use["downloads"]
    return out


def series(sections: dict[str, Any], year: int, today: dt.date) -> dict[str, list[Any]]:
    """Each figure's twelve months, ``section.figure``: counts are 0 in a
    month without any, shares and medians None; every month after today's
    is None (not known yet)."""
    out: dict[str, list[Any]] = {}

    def add(name: str, by_month: dict[str, Any], default: Any = 0) -> None:
        out[name] = rules.series(year, by_month, today, default)

    for name, by_month in sections["agreement"]["by_month"].items():
        add(f"agreement.{name}", by_month)
    publication = sections["publication"]
    for name, by_month in publication["by_month"].items():
        add(f"publication.{name}", by_month)
    months = {m["month"]: m for m in publication["decisions"]["by_month"]}
    for name in ("decided", "approved", "refused"):
        add(f"publication.{name}", {k: m[name] for k, m in months.items()})
    for name in ("within_sla_share", "median_decision_hours"):
        add(f"publication.{name}", {k: m[name] for k, m in months.items()}, None)
    months = {m["month"]: m for m in sections["answers"]["by_month"]}
    for name in ("threads", "answered", "answered_on_time", "contact_messages"):
        add(f"answers.{name}", {k: m[name] for k, m in months.items()})
    for name in ("answered_on_time_share", "median_first_response_hours"):
        add(f"answers.{name}", {k: m[name] for k, m in months.items()}, None)
    months = {m["month"]: m for m in sections["answers"]["access_requests"]["by_month"]}
    for name in ("requests", "decided_on_time", "granted"):
        add(f"answers.access_{name}", {k: m[name] for k, m in months.items()})
    add("answers.access_median_decision_hours",
        {k: m["median_decision_hours"] for k, m in months.items()}, None)
    quality = sections["quality"]
    for name in ("datasets", "fresh", "late", "fresh_share", "label_granted"):
        # a month ``notify`` did not record has no figures (not zero)
        add(f"quality.{name}", {k: m[name] for k, m in quality["by_month"].items()}, None)
    add("quality.checks_run", quality["checks"]["by_month"]["run"])
    add("quality.checks_failed", quality["checks"]["by_month"]["failed"])
    add("annex.delivered", {m["month"]: m["delivered"] for m in sections["annex"]["by_month"]})
    add("quotas.api_calls", sections["quotas"]["api_calls_by_month"])
    use = sections["use"]
    months = {m["month"]: m for m in use["restricted"]["by_month"]}
    add("use.restricted_downloads", {k: m["downloads"] for k, m in months.items()})
    add("use.restricted_accounts", {k: m["accounts"] for k, m in months.items()})
    if use["tracking"]:
        add("use.views", use["by_month"]["views"])
        add("use.downloads", use["by_month"]["downloads"])
    return out


def build(organization: Optional[model.Group], year: int,
          today: Optional[dt.date] = None) -> dict[str, Any]:
    """The review of ``organization`` (None: the whole portal) for
    ``year``, as known on ``today``."""
    today = today or pmodel.now().date()
    org_id = organization.id if organization is not None else None
    sections = _sections(org_id, year, today)
    previous_year = year - 1
    previous = (totals(_sections(org_id, previous_year, today))
                if previous_year >= rules.FIRST_YEAR else {})
    current = totals(sections)
    since, until = rules.period(year)
    return {
        "organization": ({"id": organization.id, "name": organization.name,
                          "title": organization.title or organization.name}
                         if organization is not None else None),
        "portal": {"title": tk.config.get("ckan.site_title"),
                   "url": tk.config.get("ckan.site_url")},
        "year": year, "since": since.isoformat(), "until": until.isoformat(),
        "complete": year < today.year, "as_of": min(until, today).isoformat(),
        "generated_at": pmodel.iso(pmodel.now()),
        "months": rules.months(year),
        **sections,
        "totals": current,
        "series": series(sections, year, today),
        "previous": {"year": previous_year, "totals": previous},
        "comparison": rules.comparison(current, previous),
    }
