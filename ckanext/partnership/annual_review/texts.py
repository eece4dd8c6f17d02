# -*- coding: utf-8 -*-
"""What the review says: the names of its sections and figures, the
figures written as people read them, the charts of each section."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import flask_babel

import ckan.plugins.toolkit as tk

from ckanext.partnership.core import language

_ = tk._
N_ = language.N_

SECTION_TITLES = {
    "agreement": N_("The agreement's year"),
    "publication": N_("Publication"),
    "answers": N_("Answers to users"),
    "quality": N_("Quality of the data"),
    "annex": N_("The annex: planned datasets"),
    "quotas": N_("Quotas"),
    "use": N_("Use of the data"),
}

#: Each figure's name, ``section.figure``, and its kind: ``count``,
#: ``share`` (0 to 1) or ``hours``.
FIGURES: dict[str, tuple[str, str]] = {
    "agreement.in_force": (N_("Agreements in force at the year's end"), "count"),
    "agreement.renewals": (N_("Tacit renewals"), "count"),
    "agreement.notice_deadlines": (N_("Notice deadlines"), "count"),
    "agreement.notices": (N_("Notices of termination given"), "count"),
    "agreement.ended": (N_("Agreements ended"), "count"),
    "agreement.amendments": (N_("Amendments signed"), "count"),
    "agreement.contact_changes": (N_("Changes of contacts (publisher, referents)"), "count"),
    "agreement.meetings": (N_("Steering committee meetings"), "count"),
    "agreement.without_meeting": (N_("Partners whose committee did not meet"), "count"),
    "publication.published": (N_("Datasets published"), "count"),
    "publication.updated": (N_("Public datasets updated"), "count"),
    "publication.withdrawn": (N_("Withdrawals by the partner"), "count"),
    "publication.removed": (N_("Removals by the host"), "count"),
    "publication.deleted": (N_("Public datasets deleted"), "count"),
    "publication.decided": (N_("Requests decided by the host"), "count"),
    "publication.approved": (N_("Requests approved"), "count"),
    "publication.refused": (N_("Requests refused"), "count"),
    "publication.within_sla_share": (N_("Share decided within the deadline"), "share"),
    "publication.median_decision_hours": (N_("Median decision time"), "hours"),
    "answers.threads": (N_("Questions from users"), "count"),
    "answers.answered": (N_("Questions answered"), "count"),
    "answers.answered_on_time": (N_("Answered within the deadline"), "count"),
    "answers.answered_on_time_share": (N_("Share answered within the deadline"), "share"),
    "answers.median_first_response_hours": (N_("Median time to the first answer"), "hours"),
    "answers.contact_messages": (N_("Contact messages"), "count"),
    "answers.access_requests": (N_("Requests for restricted files"), "count"),
    "answers.access_decided_on_time": (N_("Requests decided within the deadline"), "count"),
    "answers.access_granted": (N_("Requests granted"), "count"),
    "answers.access_median_decision_hours": (N_("Median time to decide a request"), "hours"),
    "quality.datasets": (N_("Public datasets at the year's end"), "count"),
    "quality.fresh": (N_("Up to date at the year's end"), "count"),
    "quality.late": (N_("Late at the year's end"), "count"),
    "quality.fresh_share": (N_("Share up to date at the year's end"), "share"),
    "quality.label_granted": (N_("With the open data label at the year's end"), "count"),
    "quality.checks_run": (N_("Files checked (latest check in the year)"), "count"),
    "quality.checks_failed": (N_("Files failing their check"), "count"),
    "annex.planned": (N_("Planned datasets"), "count"),
    "annex.delivered": (N_("Delivered in the year"), "count"),
    "annex.delivered_late": (N_("Delivered after their due date"), "count"),
    "annex.late": (N_("Late at the year's end"), "count"),
    "annex.still_planned": (N_("Still planned at the year's end"), "count"),
    "quotas.api_calls": (N_("API calls of the portal"), "count"),
    "use.views": (N_("Page views of the datasets"), "count"),
    "use.downloads": (N_("Downloads of their files"), "count"),
    "use.restricted_downloads": (N_("Downloads of restricted files (logged)"), "count"),
    "use.restricted_accounts": (N_("Accounts that downloaded restricted files"), "count"),
}

#: The charts of each section: an id, a title, its figures, whether they
#: are shares.
CHARTS: dict[str, list[tuple[str, str, tuple[str, ...], bool]]] = {
    "agreement": [("agreement-events", N_("The agreements' events, month by month"),
                   ("agreement.meetings", "agreement.amendments", "agreement.contact_changes",
                    "agreement.renewals"), False)],
    "publication": [
        ("publication-datasets", N_("Datasets published, updated, withdrawn, month by month"),
         ("publication.published", "publication.updated", "publication.withdrawn",
          "publication.removed"), False),
        ("publication-decisions", N_("The host's decisions, month by month"),
         ("publication.approved", "publication.refused"), False),
    ],
    "answers": [("answers-threads", N_("Questions from users and answers in time, month by month"),
                 ("answers.threads", "answers.answered_on_time"), False)],
    "quality": [
        ("quality-fresh", N_("Share of public datasets up to date, month by month"),
         ("quality.fresh_share",), True),
        ("quality-checks", N_("Files checked and failing, month by month"),
         ("quality.checks_run", "quality.checks_failed"), False),
    ],
    "annex": [("annex-delivered", N_("Planned datasets delivered, month by month"),
               ("annex.delivered",), False)],
    "quotas": [("quotas-api-calls", N_("API calls of the portal, month by month"),
                ("quotas.api_calls",), False)],
    "use": [("use-tracking", N_("Page views and downloads, month by month"),
             ("use.views", "use.downloads"), False),
            ("use-restricted", N_("Downloads of restricted files, month by month"),
             ("use.restricted_downloads",), False)],
}


def figure_name(name: str) -> str:
    return _(FIGURES[name][0]) if name in FIGURES else name


def number(value: Any) -> str:
    try:
        return flask_babel.format_decimal(value)
    except (RuntimeError, AttributeError, KeyError):
        return str(value)


def value(name: str, figure: Any) -> str:
    """A figure as people read it: « 1 204 », « 75 % », « 12,5 h »; a dash
    when there is none."""
    if figure is None:
        return "–"
    kind = FIGURES.get(name, ("", "count"))[1]
    if kind == "share":
        return _("{percent} %").format(percent=number(round(figure * 100, 1)))
    if kind == "hours":
        return _("{hours} h").format(hours=number(figure))
    return number(figure)


def change(name: str, moved: Optional[float]) -> str:
    """How a figure moved from the year before: « +3 », « −2 », « +5 pts »
    for a share, « = » unchanged, a dash when unknown."""
    if moved is None:
        return "–"
    if moved == 0:
        return "="
    kind = FIGURES.get(name, ("", "count"))[1]
    sign = "+" if moved > 0 else "−"
    size = abs(moved)
    if kind == "share":
        return _("{sign}{points} pts").format(sign=sign, points=number(round(size * 100, 1)))
    if kind == "hours":
        return _("{sign}{hours} h").format(sign=sign, hours=number(round(size, 1)))
    return f"{sign}{number(size)}"


def month(first: dt.date) -> str:
    """« janv. »: the month's short name (ISO outside a request)."""
    try:
        return flask_babel.format_date(first, "MMM")
    except (RuntimeError, AttributeError, KeyError):
        return first.strftime("%Y-%m")


def day(value: Optional[str]) -> str:
    """An ISO day as people write it (« 2 décembre 2026 »)."""
    if not value:
        return "–"
    try:
        return flask_babel.format_date(dt.date.fromisoformat(value), "long")
    except (RuntimeError, AttributeError, KeyError):
        return value


_ROLES = {"publisher": N_("publisher"), "producer": N_("producer"), "referent": N_("referent"),
          "host_referent": N_("host's referent"), "committee": N_("steering committee")}
_PLANNED = {"delivered": N_("Delivered"), "delivered_late": N_("Delivered late"),
            "late": N_("Late"), "planned": N_("Planned")}


def role(code: str) -> str:
    """A contact's role in an agreement, translated."""
    return language.label(_ROLES, code, code) or code


def planned(state: Optional[str]) -> str:
    """The state of a planned dataset at the year's end, translated."""
    return language.label(_PLANNED, state, state) or (state or "–")
