# -*- coding: utf-8 -*-
"""The figures of an annual review (000 art. 12), for one partner or the
whole portal, one calendar year: each section's totals and its months.
The decisions and the answers are the statistics' own
(``publication.decision_stats``, ``discussions.response_stats``, as
``partnership_publication_stats`` and ``partnership_response_stats``
give them); the rest is counted here by PostgreSQL, a fixed number of
queries whatever the number of partners, datasets and events."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins as p

from ckanext.partnership import access, compliance, discussions, publication
from ckanext.partnership import model as pmodel
from ckanext.partnership.domain import agreement_calendar, quotas
from ckanext.partnership.domain import annual_review as rules

#: The workflow's events a review counts, as the publication section's
#: figures: a request approved and a direct publication both publish.
_EVENTS = {"published": "published", "approved": "published", "withdrawn": "withdrawn",
           "unpublished": "removed", "deleted": "deleted"}
#: The most used datasets a review lists.
TOP_DATASETS = 20


def _bounds(year: int) -> dict[str, Any]:
    since, until = rules.period(year)
    return {"since": dt.datetime.combine(since, dt.time.min),
            "until": dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min),
            "since_day": since, "until_day": until}


def _org_filter(column: str, organization_id: Optional[str]) -> str:
    return f" AND {column} = :org" if organization_id else ""


def _month(value: Any) -> str:
    return value.strftime("%Y-%m")


# -- the agreement's year ----------------------------------------------------------

def _agreement_rows(organization_id: Optional[str], bounds: dict[str, Any]) -> list[Any]:
    """The agreements in force at some point of the year (one query)."""
    query = model.Session.query(pmodel.Agreement).filter(
        pmodel.Agreement.state != "draft",
        pmodel.Agreement.effective_on <= bounds["until_day"],
        sa.or_(pmodel.Agreement.ends_on.is_(None),
               pmodel.Agreement.ends_on > bounds["since_day"]))
    if organization_id:
        query = query.filter(pmodel.Agreement.organization_id == organization_id)
    return query.order_by(pmodel.Agreement.effective_on, pmodel.Agreement.id).all()


def _in_period(model_class: Any, column: Any, ids: list[str], bounds: dict[str, Any]) -> list[Any]:
    if not ids:
        return []
    return (model.Session.query(model_class)
            .filter(model_class.agreement_id.in_(ids))
            .filter(column >= bounds["since_day"], column <= bounds["until_day"])
            .order_by(column).all())


def agreement_year(organization_id: Optional[str], year: int, today: dt.date) -> dict[str, Any]:
    """The agreement's year: its state at the year's end (today for this
    year), its renewals and notice deadlines, the notices given, its
    amendments, the changes of its contacts, the committee's meetings.
    Four queries, whatever the number of agreements."""
    bounds = _bounds(year)
    end = min(bounds["until_day"], today)
    rows = _agreement_rows(organization_id, bounds)
    ids = [a.id for a in rows]
    by_id = {a.id: a for a in rows}
    amendments = _in_period(pmodel.Amendment, pmodel.Amendment.signed_on, ids, bounds)
    meetings = _in_period(pmodel.CommitteeMeeting, pmodel.CommitteeMeeting.held_on, ids, bounds)
    contacts = (model.Session.query(pmodel.Contact)
                .filter(pmodel.Contact.agreement_id.in_(ids))
                .filter(sa.or_(
                    sa.and_(pmodel.Contact.since >= bounds["since_day"],
                            pmodel.Contact.since <= bounds["until_day"]),
                    sa.and_(pmodel.Contact.until >= bounds["since_day"],
                            pmodel.Contact.until <= bounds["until_day"])))
                .order_by(pmodel.Contact.since).all()) if ids else []
    # a contact named at the agreement's start is not a change
    changes = [c for c in contacts
               if c.until is not None or c.since > by_id[c.agreement_id].effective_on]
    renewals, deadlines, notices, ended, states = [], [], [], [], {}
    for agreement in rows:
        terms = agreement.terms()
        state = agreement.state_on(end)
        states[agreement.id] = state
        try:
            renewals += [(agreement, d) for d in agreement_calendar.renewals_between(
                terms, bounds["since_day"], end, agreement.ends_on)]
            deadlines += [(agreement, d) for d in agreement_calendar.notice_deadlines_between(
                terms, bounds["since_day"], bounds["until_day"], agreement.ends_on)]
            last = agreement_calendar.last_day(terms, end, agreement.ends_on)
        except agreement_calendar.CalendarError:
            last = agreement.ends_on  # terms the calendar cannot apply to: no renewal
        if last is not None and bounds["since_day"] <= last <= end:
            ended.append(agreement)
        if (agreement.termination_notified_on is not None
                and bounds["since_day"] <= agreement.termination_notified_on <= bounds["until_day"]):
            notices.append(agreement)

    def by_month(dates: list[dt.date]) -> dict[str, int]:
        counted: dict[str, int] = {}
        for day in dates:
            counted[_month(day)] = counted.get(_month(day), 0) + 1
        return counted

    organizations = {a.organization_id for a in rows}
    met = {by_id[m.agreement_id].organization_id for m in meetings}
    result: dict[str, Any] = {
        "totals": {
            "in_force": sum(1 for s in states.values() if s in agreement_calendar.IN_FORCE),
            "renewals": len(renewals), "notice_deadlines": len(deadlines),
            "notices": len(notices), "ended": len(ended), "amendments": len(amendments),
            "contact_changes": len(changes), "meetings": len(meetings),
            "without_meeting": len(organizations - met),
        },
        "by_month": {
            "renewals": by_month([d for _a, d in renewals]),
            "notice_deadlines": by_month([d for _a, d in deadlines]),
            "notices": by_month([a.termination_notified_on for a in notices]),
            "amendments": by_month([a.signed_on for a in amendments]),
            "contact_changes": by_month([c.since if c.since >= bounds["since_day"] else c.until
                                         for c in changes]),
            "meetings": by_month([m.held_on for m in meetings]),
        },
    }
    if organization_id:
        result["agreements"] = [{
            "id": a.id, "reference": a.reference, "title": a.title,
            "effective_on": a.effective_on.isoformat(), "state": states[a.id],
            "ends_on": a.ends_on.isoformat() if a.ends_on else None,
            "termination_reason": a.termination_reason,
            "termination_notified_on": (a.termination_notified_on.isoformat()
                                        if a.termination_notified_on else None),
        } for a in rows]
        result["renewals"] = [{"reference": a.reference, "on": d.isoformat()}
                              for a, d in renewals]
        result["notice_deadlines"] = [{"reference": a.reference, "on": d.isoformat()}
                                      for a, d in deadlines]
        result["amendments"] = [{"reference": m.reference, "signed_on": m.signed_on.isoformat(),
                                 "summary": m.summary} for m in amendments]
        result["contact_changes"] = [{"role": c.role, "name": c.name,
                                      "since": c.since.isoformat(),
                                      "until": c.until.isoformat() if c.until else None}
                                     for c in changes]
        result["meetings"] = [{"held_on": m.held_on.isoformat()} for m in meetings]
    return result


# -- publication ----------------------------------------------------------------

_PUBLICATION_EVENTS = """
WITH e AS (
  SELECT a.object_id AS package_id, date_trunc('month', a.timestamp) AS month,
    CASE WHEN a.activity_type = :workflow
         THEN CAST(a.data AS json)->'partnership'->>'event' ELSE 'updated' END AS event,
    CASE WHEN a.activity_type = :workflow
         THEN COALESCE(CAST(a.data AS json)->'partnership'->>'reason', '') ELSE '' END AS reason
  FROM activity a JOIN package p ON p.id = a.object_id
  WHERE a.timestamp >= :since AND a.timestamp < :until AND p.type = 'dataset' {org}
    AND ((a.activity_type = 'changed package' AND 'public' = ANY(a.permission_labels))
         OR a.activity_type = :workflow)
)
SELECT event, month, reason, GROUPING(month) AS every_month, GROUPING(reason) AS every_reason,
  count(DISTINCT package_id) AS datasets, count(*) AS events
FROM e WHERE event IN ('updated', 'published', 'approved', 'withdrawn', 'unpublished', 'deleted')
GROUP BY GROUPING SETS ((event), (event, month), (event, reason))
"""


def publication_year(organization_id: Optional[str], year: int) -> dict[str, Any]:
    """Datasets published, updated (a change CKAN recorded while it was
    public), withdrawn by the partner (or its agreement's end), removed by
    a validator, deleted, with the reasons given; and the host's decisions
    (``publication.decision_stats`` of the year)."""
    bounds = _bounds(year)
    params = {**bounds, "workflow": publication.ACTIVITY_TYPE, "org": organization_id}
    sql = _PUBLICATION_EVENTS.format(org=_org_filter("p.owner_org", organization_id))
    totals = dict.fromkeys(("published", "updated", "withdrawn", "removed", "deleted"), 0)
    by_month: dict[str, dict[str, int]] = {name: {} for name in totals}
    reasons: dict[str, int] = {}
    for row in model.Session.execute(sa.text(sql), params):
        name = "updated" if row.event == "updated" else _EVENTS[row.event]
        # datasets published or updated; withdrawals, removals, deletions as events
        value = row.datasets if name in ("published", "updated") else row.events
        if row.every_month and row.every_reason:
            totals[name] += value
        elif not row.every_month:
            month = _month(row.month)
            by_month[name][month] = by_month[name].get(month, 0) + value
        elif name in ("withdrawn", "removed", "deleted"):
            reason = row.reason or "other"
            reasons[reason] = reasons.get(reason, 0) + row.events
    decisions = publication.decision_stats(organization_id, bounds["since_day"],
                                           bounds["until_day"])
    decisions.pop("by_organization", None)
    return {"totals": totals, "by_month": by_month,
            "removals_by_reason": dict(sorted(reasons.items())), "decisions": decisions}


def answers_year(organization_id: Optional[str], year: int) -> dict[str, Any]:
    """``discussions.response_stats`` of the year (threads by the month of
    their first question), with the share answered within the deadline."""
    bounds = _bounds(year)
    found = discussions.response_stats(organization_id, bounds["since_day"], bounds["until_day"])
    found.pop("by_organization", None)
    found["answered_on_time_share"] = rules.share(found["answered_on_time"], found["threads"])
    for month in found["by_month"]:
        month["answered_on_time_share"] = rules.share(month["answered_on_time"], month["threads"])
    found["access_requests"] = access.request_stats(organization_id, bounds["since_day"],
                                                    bounds["until_day"])
    return found


def restricted_downloads_year(organization_id: Optional[str], year: int) -> dict[str, Any]:
    """Downloads of restricted-access files (004 §7.1), from the portal's
    own log (000 §9.3.1), whether CKAN's tracking is on or not."""
    bounds = _bounds(year)
    return access.download_stats(organization_id, bounds["since_day"], bounds["until_day"])


# -- quality --------------------------------------------------------------------

_COMPLIANCE_MONTHS = """
SELECT month, sum(datasets) AS datasets, sum(fresh) AS fresh, sum(late) AS late,
  sum(not_applicable) AS not_applicable, sum(label_granted) AS label_granted
FROM partnership_compliance_month
WHERE month >= :since_day AND month <= :until_day {org}
GROUP BY month ORDER BY month
"""

_CHECKS = """
WITH c AS (
  SELECT c.resource_id, c.status, c.report, date_trunc('month', c.finished) AS month
  FROM partnership_resource_check c JOIN package p ON p.id = c.package_id
  WHERE c.finished >= :since AND c.finished < :until AND p.state = 'active' {org}
)
SELECT month, GROUPING(month) AS every_month, count(*) AS run,
  count(*) FILTER (WHERE status = 'failure') AS failed,
  count(*) FILTER (WHERE status = 'error') AS errors
FROM c GROUP BY GROUPING SETS ((), (month))
"""

_FAILING_KINDS = """
SELECT r->>'check' AS kind, count(DISTINCT c.resource_id) AS files
FROM partnership_resource_check c JOIN package p ON p.id = c.package_id,
     json_array_elements(CASE WHEN json_typeof(c.report->'results') = 'array'
                         THEN c.report->'results' ELSE '[]'::json END) AS r
WHERE c.finished >= :since AND c.finished < :until AND p.state = 'active' {org}
  AND c.status = 'failure' AND r->>'status' = 'failure'
GROUP BY kind ORDER BY files DESC, kind
"""

_MONTH_FIGURES = ("datasets", "fresh", "late", "not_applicable", "label_granted")


def quality_year(organization_id: Optional[str], year: int, today: dt.date) -> dict[str, Any]:
    """The partner's public datasets up to date and with the open-data
    label, month by month as ``ckan partnership notify`` recorded them
    (the year's end: its last recorded month); the file checks whose
    latest run finished in the year, failing ones by kind; for this year,
    the label's criteria failed today."""
    bounds = _bounds(year)
    params = {**bounds, "org": organization_id}
    months = {}
    for row in model.Session.execute(sa.text(_COMPLIANCE_MONTHS.format(
            org=_org_filter("organization_id", organization_id))), params):
        figures = {name: int(getattr(row, name) or 0) for name in _MONTH_FIGURES}
        figures["fresh_share"] = rules.share(figures["fresh"], figures["datasets"])
        months[_month(row.month)] = figures
    year_end = months[max(months)] if months else None
    checks = {"run": 0, "failed": 0, "errors": 0}
    checks_by_month: dict[str, dict[str, int]] = {"run": {}, "failed": {}}
    org = _org_filter("p.owner_org", organization_id)
    for row in model.Session.execute(sa.text(_CHECKS.format(org=org)), params):
        if row.every_month:
            checks = {"run": row.run, "failed": row.failed, "errors": row.errors}
        else:
            checks_by_month["run"][_month(row.month)] = row.run
            checks_by_month["failed"][_month(row.month)] = row.failed
    kinds = {row.kind: row.files for row in model.Session.execute(
        sa.text(_FAILING_KINDS.format(org=org)), params)}
    failing = (compliance.failing_criteria(organization_id, today)
               if organization_id and year == today.year else None)
    return {
        "year_end": {"month": max(months), **year_end} if year_end else None,
        "by_month": months,
        "checks": {**checks, "failing_by_kind": kinds, "by_month": checks_by_month},
        "failing_criteria": failing,
    }


# -- quotas and use -------------------------------------------------------------

def quotas_year(organization_id: Optional[str], year: int, today: dt.date) -> dict[str, Any]:
    """The API calls of each month (the portal's, shared by every partner);
    for this year, the five quotas as measured today."""
    months = rules.months(year)[:rules.months_known(year, today)]
    calls = compliance.api_calls_of_months(months)
    usage = None
    if year == today.year:
        usage = (compliance.quota_usage(organization_id, today) if organization_id
                 else compliance.portal_quota_usage(today))
    return {"api_calls": sum(calls.values()), "api_calls_by_month": calls, "usage": usage,
            "codes": list(quotas.CODES)}


_TRACKED = """
WITH t AS (
  SELECT s.tracking_date, s.count, s.tracking_type,
    CASE WHEN s.tracking_type = 'page' THEN s.package_id
         ELSE COALESCE(rd.package_id, ru.package_id) END AS package_id
  FROM tracking_summary s
  LEFT JOIN resource rd ON s.tracking_type = 'resource'
    AND rd.id = substring(s.url from '/resource/([0-9a-f-]{{36}})/download')
  LEFT JOIN LATERAL (SELECT r.package_id FROM resource r
                     WHERE s.tracking_type = 'resource' AND r.url = s.url AND r.state = 'active'
                     LIMIT 1) ru ON rd.id IS NULL
  WHERE s.tracking_date >= :since_day AND s.tracking_date <= :until_day
), d AS (
  SELECT p.id, p.name, p.title, date_trunc('month', t.tracking_date) AS month,
    t.tracking_type, t.count
  FROM t JOIN package p ON p.id = t.package_id
  WHERE p.state = 'active' AND NOT p.private AND p.type = 'dataset' {org}
)
"""

_USE_MONTHS = _TRACKED + """
SELECT month, GROUPING(month) AS every_month,
  COALESCE(sum(count) FILTER (WHERE tracking_type = 'page'), 0) AS views,
  COALESCE(sum(count) FILTER (WHERE tracking_type = 'resource'), 0) AS downloads
FROM d GROUP BY GROUPING SETS ((), (month))
"""

_USE_DATASETS = _TRACKED + """
SELECT * FROM (
  SELECT id, name, title,
    COALESCE(sum(count) FILTER (WHERE tracking_type = 'page'), 0) AS views,
    COALESCE(sum(count) FILTER (WHERE tracking_type = 'resource'), 0) AS downloads
  FROM d GROUP BY id, name, title
) u
ORDER BY views + downloads DESC, lower(COALESCE(NULLIF(title, ''), name)), name
LIMIT :limit
"""


def use_year(organization_id: Optional[str], year: int) -> dict[str, Any]:
    """Views of the public datasets' pages and downloads of their files,
    from CKAN's own tracking (its ``tracking`` plugin, summed each night
    by ``ckan tracking update``): the year's, month by month, and the
    most used datasets. ``tracking`` False when the plugin is off."""
    if not p.plugin_loaded("tracking"):
        return {"tracking": False, "views": None, "downloads": None, "by_month": {},
                "datasets": []}
    bounds = _bounds(year)
    params = {**bounds, "org": organization_id, "limit": TOP_DATASETS}
    org = _org_filter("p.owner_org", organization_id)
    totals = {"views": 0, "downloads": 0}
    by_month: dict[str, dict[str, int]] = {"views": {}, "downloads": {}}
    for row in model.Session.execute(sa.text(_USE_MONTHS.format(org=org)), params):
        if row.every_month:
            totals = {"views": int(row.views), "downloads": int(row.downloads)}
        else:
            by_month["views"][_month(row.month)] = int(row.views)
            by_month["downloads"][_month(row.month)] = int(row.downloads)
    datasets = [{"name": row.name, "title": row.title or row.name, "views": int(row.views),
                 "downloads": int(row.downloads)}
                for row in model.Session.execute(sa.text(_USE_DATASETS.format(org=org)), params)]
    return {"tracking": True, **totals, "by_month": by_month, "datasets": datasets}


#: Each planned dataset of a signed agreement, added before the year's end,
#: with the day it was delivered (its dataset first published: a request
#: approved or a direct publication, or its creation if it was public from
#: the start; none while the dataset is private, deleted or missing) and its
#: state at the year's end: ``delivered`` (in the year, by its due date),
#: ``delivered_late``, ``delivered_earlier`` (a year before), ``late`` (not
#: delivered and its due date passed), ``planned``.
_ANNEX = """
WITH d AS (
  SELECT pd.id, pd.title, pd.due_on, pd.created,
    CASE WHEN p.state = 'active' AND NOT p.private THEN p.name END AS package_name,
    CASE WHEN p.state = 'active' AND NOT p.private THEN CAST(COALESCE(
      (SELECT min(a.timestamp) FROM activity a
       WHERE a.object_id = p.id AND a.activity_type = :workflow
         AND CAST(a.data AS json)->'partnership'->>'event' IN ('published', 'approved')),
      p.metadata_created) AS date) END AS delivered_on
  FROM partnership_planned_dataset pd
  JOIN partnership_agreement ag ON ag.id = pd.agreement_id
  LEFT JOIN package p ON p.id = pd.package_id
  WHERE ag.state <> 'draft' AND pd.created < :until {org}
), s AS (
  SELECT d.*, CASE
    WHEN d.delivered_on IS NOT NULL AND d.delivered_on <= :until_day THEN CASE
      WHEN d.delivered_on < :since_day THEN 'delivered_earlier'
      WHEN d.due_on IS NOT NULL AND d.delivered_on > d.due_on THEN 'delivered_late'
      ELSE 'delivered' END
    WHEN d.due_on IS NOT NULL AND d.due_on < :as_of THEN 'late'
    ELSE 'planned' END AS state,
    date_trunc('month', d.delivered_on) AS month
  FROM d
)
"""
_ANNEX_COUNTS = _ANNEX + """
SELECT state, month, GROUPING(month) AS every_month,
  count(*) AS n
FROM s GROUP BY GROUPING SETS ((state), (state, month))
"""
_ANNEX_ITEMS = _ANNEX + """
SELECT title, due_on, delivered_on, package_name, state FROM s
WHERE state <> 'delivered_earlier'
ORDER BY due_on NULLS LAST, title, id
"""


def annex_year(organization_id: Optional[str], year: int,
               today: Optional[dt.date] = None) -> dict[str, Any]:
    """The planned datasets of the annex (000 art. 12, the datasets each
    party plans to publish): delivered in the year (on time or late),
    late, still planned, and the months of the deliveries; for one partner
    also the list, in two queries."""
    bounds = _bounds(year)
    today = today or dt.date.today()
    params = {**bounds, "workflow": publication.ACTIVITY_TYPE, "org": organization_id,
              "as_of": min(bounds["until_day"] + dt.timedelta(days=1), today)}
    org = _org_filter("ag.organization_id", organization_id)
    counts = dict.fromkeys(("delivered", "delivered_late", "delivered_earlier", "late",
                            "planned"), 0)
    delivered_by_month: dict[str, int] = {}
    for row in model.Session.execute(sa.text(_ANNEX_COUNTS.format(org=org)), params):
        if row.every_month:
            counts[row.state] = row.n
        elif row.state in ("delivered", "delivered_late"):
            month = _month(row.month)
            delivered_by_month[month] = delivered_by_month.get(month, 0) + row.n
    items = []
    if organization_id:
        for row in model.Session.execute(sa.text(_ANNEX_ITEMS.format(org=org)), params):
            items.append({
                "title": row.title, "state": row.state,
                "due_on": row.due_on.isoformat() if row.due_on else None,
                "delivered_on": row.delivered_on.isoformat() if row.delivered_on else None,
                "package_name": row.package_name if row.delivered_on else None})
    return {
        "planned": sum(counts.values()) - counts["delivered_earlier"],
        "delivered": counts["delivered"] + counts["delivered_late"],
        "delivered_on_time": counts["delivered"],
        "delivered_late": counts["delivered_late"],
        "delivered_earlier": counts["delivered_earlier"],
        "late": counts["late"],
        "still_planned": counts["planned"],
        "by_month": [{"month": month, "delivered": delivered_by_month.get(month, 0)}
                     for month in rules.months(year)],
        "items": items,
    }


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def file_name(organization: Optional[str], year: int, extension: str) -> str:
    """The name an export is saved under: ``bilan-<partner>-<year>.pdf``."""
    who = _SAFE_NAME.sub("-", organization or "portail").strip("-") or "portail"
    return f"bilan-{who}-{year}.{extension}"
