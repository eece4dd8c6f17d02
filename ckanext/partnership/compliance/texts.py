# -*- coding: utf-8 -*-
"""The sentences of freshness and the open-data label, in the language
being written: one per reason of :mod:`domain.open_label`."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import flask_babel

import ckan.plugins.toolkit as tk
from ckanext.partnership.core import language
from ckanext.partnership.domain import vocabularies
from ckanext.partnership.domain.open_label import Criterion

_ = tk._
N_ = language.N_

#: The name of each criterion (000 annex 3).
CRITERION_TITLES = {
    "complete": N_("Complete"),
    "primary": N_("Primary"),
    "timely": N_("Timely"),
    "durable": N_("Durably accessible"),
    "downloadable": N_("Downloadable"),
    "machine_readable": N_("Machine-readable"),
    "non_discriminatory": N_("Non-discriminatory"),
    "open_standards": N_("Open standards"),
    "open_licence": N_("Clear open licence"),
    "free_of_charge": N_("Free of charge"),
}

STATUS_LABELS = {
    "pass": N_("Met"),
    "fail": N_("Not met"),
    "unknown": N_("To be established"),
    "not_applicable": N_("Not applicable"),
}

#: What would settle a criterion the portal cannot know.
_SETTLES = {
    "complete": N_("A declaration by the partner or a validator that every record is "
                   "published settles it."),
    "primary": N_("A declaration that the data is published as collected at its "
                  "source settles it."),
    "free_of_charge": N_("A declaration that the files are served without charge nor "
                         "credentials settles it."),
}


def day(value: Optional[dt.date]) -> str:
    """A day as people read it (« 2 décembre 2026 »); ISO outside a request."""
    if value is None:
        return ""
    try:
        return flask_babel.format_date(value, "long")
    except RuntimeError:
        return value.isoformat()


def _names(values: Any) -> str:
    return ", ".join(str(v) for v in values or ())


def freshness_badge(state: str, days_late: Optional[int]) -> str:
    """« À jour », « En retard de 12 jours », « Sans échéance »."""
    if state == "fresh":
        return _("Up to date")
    if state == "late":
        if days_late:
            # fills in %(num)d itself
            return tk.ungettext("Late by %(num)d day", "Late by %(num)d days", days_late)
        return _("Late")
    return _("No due date")


def label_badge(score: int) -> str:
    return _("Open data label: {score}/10").format(score=score)


def _measured(c: Criterion) -> str:
    p = c.params
    reason = c.reason
    if reason == "completeness_not_measurable":
        return _("The portal cannot know whether every record is published.")
    if reason == "produced_by_partner":
        return _("The partner produces the data itself.")
    if reason == "other_producer":
        return _("The data is produced by {producer}, not by the partner.").format(
            producer=p.get("producer"))
    if reason == "fresh":
        return _("Updated as its frequency promises, next update due by {day}.").format(
            day=day(p.get("expected_by")))
    if reason == "late":
        return tk.ungettext(
            "Late by %(num)d day: the update was due by %(day)s.",
            "Late by %(num)d days: the update was due by %(day)s.",
            p["days_late"], day=day(p.get("expected_by")))
    if reason == "never_updated":
        return _("No date of update nor any file: the dataset has never shown an update.")
    if reason == "no_frequency":
        return _("No update frequency is declared: choose one to measure timeliness.")
    if reason == "no_expectation":
        return _("The frequency « {frequency} » promises no date.").format(
            frequency=vocabularies.label(vocabularies.FREQUENCIES, p.get("frequency") or "",
                                         language.ui_language()))
    if reason == "no_file":
        return _("The dataset has no file.")
    if reason == "unreachable":
        return _("Unreachable at their latest check: {files}.").format(files=_names(p["files"]))
    if reason == "not_downloaded":
        return _("Could not be downloaded at their latest check: {files}.").format(
            files=_names(p["files"]))
    if reason == "not_checked":
        return _("Not checked yet: {files}.").format(files=_names(p.get("files")))
    if reason == "reachable":
        return _("Every file was reachable at its latest check.")
    if reason == "downloaded":
        return _("Every file was downloaded by its latest check.")
    if reason == "encoding":
        return _("Not in UTF-8 or not readable as a table: {files}.").format(
            files=_names(p["files"]))
    if reason == "machine_readable":
        return _("Machine-readable formats: {formats}.").format(formats=_names(p["formats"]))
    if reason == "documents_only":
        return _("Only documents for people, none for machines: {formats}.").format(
            formats=_names(p["formats"]))
    if reason == "private":
        return _("The dataset is private.")
    if reason == "restricted":
        return _("The dataset is restricted-access data.")
    if reason == "public":
        return _("Public, open to everyone without registration.")
    if reason == "closed_formats":
        return _("Closed formats: {formats}.").format(formats=_names(p["formats"]))
    if reason == "unknown_formats":
        return _("Formats the portal does not know: {files}.").format(files=_names(p["files"]))
    if reason == "open_formats":
        return _("Open formats: {formats}.").format(formats=_names(p["formats"]))
    if reason == "no_licence":
        return _("No licence is chosen.")
    if reason == "open_licence":
        return _("Open licence: {licence}.").format(licence=p["licence"])
    if reason == "closed_licence":
        return _("Not an open licence: {licence}.").format(licence=p["licence"])
    if reason == "credentials_required":
        return _("Refused without payment or credentials (HTTP {statuses}): {files}.").format(
            statuses=_names(p["statuses"]), files=_names(p["files"]))
    if reason == "served_freely":
        return _("Every file is served by the portal or was downloaded without "
                 "credentials.")
    if reason == "charge_not_measurable":
        return _("The portal cannot tell whether every file is free of charge.")
    return reason


def evidence(c: Criterion) -> str:
    """The sentence that says what decided the criterion."""
    if c.reason == "declared":
        text = _("Declared {status} by {by} on {at}.").format(
            status=language.label(STATUS_LABELS, c.status, c.status).lower(),
            by=c.params["by"], at=language.instant(c.params["at"]))
        if c.params.get("comment"):
            text += " " + _("Comment: {comment}").format(comment=c.params["comment"])
        return text
    text = _measured(c)
    if c.status == "unknown" and c.code in _SETTLES:
        text += " " + tk._(_SETTLES[c.code])
    return text


def title(code: str) -> str:
    return language.label(CRITERION_TITLES, code, code) or code


def status_label(status: str) -> str:
    return language.label(STATUS_LABELS, status, status) or status


# -- the figures per partner -----------------------------------------------

def summary_sentence(summary: dict[str, Any]) -> str:
    """« 12 jeux de données : 9 à jour, 2 en retard, 1 sans échéance ; label
    open data : 6 ; score médian 8/10 »."""
    text = tk.ungettext("%(num)d dataset", "%(num)d datasets", summary["datasets"])
    text += _(": {fresh} up to date, {late} late, {none} without a due date").format(
        fresh=summary["fresh"], late=summary["late"], none=summary["not_applicable"])
    text += _("; open data label: {granted}").format(granted=summary["label_granted"])
    if summary.get("median_score") is not None:
        text += _("; median score {score}/10").format(score=score(summary["median_score"]))
    return text


def score(value: Optional[float]) -> str:
    """A median score as people write it: 8, 8,5 in French."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return str(int(value))
    try:
        return flask_babel.format_decimal(value, "#,##0.#")
    except RuntimeError:
        return f"{value:.1f}"


def share(value: Optional[float]) -> str:
    """A share as a percentage (« 75 % »), a dash without figures."""
    if value is None:
        return "–"
    return _("{percent} %").format(percent=round(value * 100))


def month(value: dt.date) -> str:
    """« déc. 2026 »; ISO outside a request."""
    try:
        return flask_babel.format_date(value, "MMM yyyy")
    except RuntimeError:
        return value.strftime("%Y-%m")


def quota_title(code: str) -> str:
    """The name of a quota in a table (002 §3.3)."""
    return {
        "records_per_dataset": _("Records in the largest dataset"),
        "records_total": _("Records in all datasets"),
        "storage_bytes": _("Stored files"),
        "updates_per_day_bytes": _("Files changed today"),
        "api_calls_per_month": _("API calls this month, all partners together"),
    }[code]


def quota_amount(code: str, value: Optional[int]) -> str:
    """A quota's figure as people read it: bytes as « 1,2 Mio », the others
    as numbers; a dash for no limit."""
    from ckan.lib import formatters

    if value is None:
        return _("no limit")
    if code.endswith("_bytes"):
        return formatters.localised_filesize(int(value))
    return formatters.localised_number(int(value))


def quota_level(level: str) -> str:
    """« dépassé », « plus de 80 % », or nothing."""
    return {"exceeded": _("exceeded"), "warning": _("over 80 %")}.get(level, "")


def quota_rows(usages: Optional[list[dict[str, Any]]]) -> Optional[list[dict[str, Any]]]:
    """The quotas as a page shows them (a bar per quota), None when the
    reader may not see them."""
    if usages is None:
        return None
    rows = []
    for usage in usages:
        ratio = usage["share"]
        rows.append({**usage, "title": quota_title(usage["code"]),
                     "used_text": quota_amount(usage["code"], usage["used"]),
                     "limit_text": quota_amount(usage["code"], usage["limit"]),
                     "share_text": share(ratio) if ratio is not None else "",
                     "level_text": quota_level(usage["level"]),
                     "width": None if ratio is None else min(100, round(ratio * 100))})
    return rows


def highest_quota(usages: Optional[list[dict[str, Any]]]) -> str:
    """The quota nearest its limit, « 83 % (Stockage) », a dash without a
    limit; empty when the reader may not see the quotas."""
    if usages is None:
        return ""
    limited = [u for u in usages if u["share"] is not None]
    if not limited:
        return "–"
    top = max(limited, key=lambda u: u["share"])
    return _("{share} ({quota})").format(share=share(top["share"]),
                                         quota=quota_title(top["code"]))
