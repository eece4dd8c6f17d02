# -*- coding: utf-8 -*-
"""The figures of the host's decisions (a public page): counted by
PostgreSQL, in two queries whatever the number of requests and partners."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model

from ckanext.partnership import model as pmodel
from ckanext.partnership.domain import publication_rules, sla

# A request counts as decided (``publication_rules.stats``) when approved or
# refused with a decision instant, within the period asked for.
_FIGURES = """
SELECT GROUPING(r.organization_id) AS everyone, GROUPING(r.month) AS every_month,
  r.organization_id, g.name, g.title, r.month,
  count(*) FILTER (WHERE r.decided) AS decided,
  count(*) FILTER (WHERE r.decided AND r.status = 'approved') AS approved,
  count(*) FILTER (WHERE r.decided AND r.status = 'refused') AS refused,
  count(*) FILTER (WHERE r.decided AND r.decided_at <= r.due_at) AS within_sla,
  percentile_cont(0.5) WITHIN GROUP (
    ORDER BY extract(epoch FROM r.decided_at - r.submitted_at) / 3600
  ) FILTER (WHERE r.decided) AS median_hours,
  count(*) FILTER (WHERE r.status = 'pending') AS pending,
  count(*) FILTER (WHERE r.status = 'pending' AND r.due_at < :now) AS overdue
FROM ({requests}) r
LEFT JOIN "group" g ON g.id = r.organization_id
GROUP BY GROUPING SETS ((), (r.organization_id, g.name, g.title), (r.month))
"""

_REASONS = """
SELECT GROUPING(r.organization_id) AS everyone, r.organization_id, reason, count(*) AS n
FROM ({requests}) r,
     json_array_elements_text(CASE WHEN json_typeof(r.reasons) = 'array'
                              THEN r.reasons ELSE '[]'::json END) AS reason
WHERE r.decided AND r.status = 'refused'
GROUP BY GROUPING SETS ((reason), (r.organization_id, reason))
"""


def _requests(organization_id: Optional[str], since: Optional[dt.date],
              until: Optional[dt.date]) -> tuple[str, dict[str, Any]]:
    """The ``validated`` requests, each with whether it was decided in the
    period (days included, as ``publication_rules.in_period``)."""
    period = ["r.decided_at IS NOT NULL", "r.status IN ('approved', 'refused')"]
    params: dict[str, Any] = {"now": pmodel.now()}
    if since is not None:
        period.append("r.decided_at >= :since")
        params["since"] = dt.datetime.combine(since, dt.time.min)
    if until is not None:
        period.append("r.decided_at < :until")
        params["until"] = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min)
    where = ["r.mode = 'validated'"]
    if organization_id:
        where.append("r.organization_id = :organization_id")
        params["organization_id"] = organization_id
    sql = (f"SELECT r.*, ({' AND '.join(period)}) AS decided, "
           f"date_trunc('month', r.decided_at) AS month "
           f"FROM partnership_publication_request r WHERE {' AND '.join(where)}")
    return sql, params


#: The figures of a month of ``by_month`` (those of its decisions).
_MONTH_FIGURES = ("decided", "approved", "refused", "within_sla", "within_sla_share",
                  "median_decision_hours")


def _figures(row: Any, by_reason: dict[str, int]) -> dict[str, Any]:
    decided = row.decided
    return {
        "decided": decided,
        "approved": row.approved,
        "refused": row.refused,
        "within_sla": row.within_sla,
        "within_sla_share": round(row.within_sla / decided, 3) if decided else None,
        # the domain's rounding of a median (to 0.1 hour)
        "median_decision_hours": (sla.median_hours([row.median_hours])
                                  if row.median_hours is not None else None),
        "by_reason": dict(sorted(by_reason.items())),
        "pending": row.pending,
        "overdue": row.overdue,
    }


def decision_stats(organization_id: Optional[str], since: Optional[dt.date],
                   until: Optional[dt.date]) -> dict[str, Any]:
    """The figures of the host's decisions on ``validated`` requests, in
    all, by partner (by title) and by month of the decision:
    ``publication_rules.stats`` counted in SQL, with the pending requests
    and those overdue now (in all and by partner)."""
    requests, params = _requests(organization_id, since, until)
    reasons: dict[Optional[str], dict[str, int]] = {}
    for row in model.Session.execute(sa.text(_REASONS.format(requests=requests)), params):
        key = None if row.everyone else row.organization_id
        reasons.setdefault(key, {})[row.reason] = row.n
    result: dict[str, Any] = {}
    by_organization, by_month = [], []
    for row in model.Session.execute(sa.text(_FIGURES.format(requests=requests)), params):
        if not row.every_month:
            if row.month is not None and row.decided:
                figures = _figures(row, {})
                by_month.append({"month": row.month.strftime("%Y-%m"),
                                 **{k: figures[k] for k in _MONTH_FIGURES}})
            continue
        if row.everyone:
            result = _figures(row, reasons.get(None, {}))
            continue
        by_organization.append({
            "organization": row.name if row.name is not None else row.organization_id,
            "title": row.title if row.name is not None else row.organization_id,
            **_figures(row, reasons.get(row.organization_id, {}))})
    if not result:  # no request at all
        result = {**publication_rules.stats([]), "pending": 0, "overdue": 0}
    result["by_organization"] = sorted(by_organization, key=lambda o: o["title"] or "")
    result["by_month"] = sorted(by_month, key=lambda m: m["month"])
    return result
