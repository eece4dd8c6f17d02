# -*- coding: utf-8 -*-
"""The quotas measured, in SQL, for one partner, for many at once, and for
the whole portal (002 §3.3). One query per family of figures for all the
organisations asked, never one per organisation:

- records (``records_per_dataset``: the largest dataset's;
  ``records_total``: all its datasets'), the sum of the rows of the
  latest check of each active file (``partnership_resource_check.rows``),
  the count the file check holds against the records-per-dataset quota;
- stored files (``storage_bytes``; ``updates_per_day_bytes``: those whose
  upload or record changed today, UTC), the files uploaded to the portal
  only (``url_type`` = ``upload``; a link to another server stores
  nothing), each counted at the greater of the size CKAN recorded at the
  upload (``resource.size``) and the size its check measured on the stored
  file (``report.size``), so that a size edited by hand hides nothing;
- the limits, from the agreements in force;
- the API calls of the month (:mod:`.counter`), the same figure for every
  partner (shared by all signatories), against each one's limit.

Datasets count while active, private ones included (their files use the
storage); deleted ones do not.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Optional

from sqlalchemy import bindparam, text

import ckan.model as model

from ckanext.partnership import model as pmodel
from ckanext.partnership.domain import agreement_calendar, quotas

from . import counter

_RECORDS = text("""
    SELECT owner_org, MAX(records) AS per_dataset, SUM(records) AS total
    FROM (
        SELECT p.owner_org, p.id, COALESCE(SUM(c.rows), 0) AS records
        FROM package p
        LEFT JOIN resource r ON r.package_id = p.id AND r.state = 'active'
        LEFT JOIN partnership_resource_check c ON c.resource_id = r.id
        WHERE p.owner_org IN :orgs AND p.state = 'active'
        GROUP BY p.owner_org, p.id
    ) AS datasets
    GROUP BY owner_org
""").bindparams(bindparam("orgs", expanding=True))

# the greater of what CKAN recorded and what the check measured
_SIZE = """GREATEST(COALESCE(r.size, 0),
                    CASE WHEN json_typeof(c.report -> 'size') = 'number'
                         THEN (c.report ->> 'size')::numeric::bigint ELSE 0 END)"""

_FILES = text(f"""
    SELECT p.owner_org,
           COALESCE(SUM({_SIZE}), 0) AS storage,
           COALESCE(SUM({_SIZE}) FILTER (
               WHERE GREATEST(r.last_modified, r.created) >= :day_start
                 AND GREATEST(r.last_modified, r.created) < :day_end), 0) AS updates
    FROM package p
    JOIN resource r ON r.package_id = p.id AND r.state = 'active' AND r.url_type = 'upload'
    LEFT JOIN partnership_resource_check c ON c.resource_id = r.id
    WHERE p.owner_org IN :orgs AND p.state = 'active'
    GROUP BY p.owner_org
""").bindparams(bindparam("orgs", expanding=True))

_PORTAL_RECORDS = text("""
    SELECT COALESCE(MAX(records), 0), COALESCE(SUM(records), 0)
    FROM (
        SELECT p.id, COALESCE(SUM(c.rows), 0) AS records
        FROM package p
        LEFT JOIN resource r ON r.package_id = p.id AND r.state = 'active'
        LEFT JOIN partnership_resource_check c ON c.resource_id = r.id
        WHERE p.state = 'active'
        GROUP BY p.id
    ) AS datasets
""")

_PORTAL_FILES = text(f"""
    SELECT COALESCE(SUM({_SIZE}), 0),
           COALESCE(SUM({_SIZE}) FILTER (
               WHERE GREATEST(r.last_modified, r.created) >= :day_start
                 AND GREATEST(r.last_modified, r.created) < :day_end), 0)
    FROM package p
    JOIN resource r ON r.package_id = p.id AND r.state = 'active' AND r.url_type = 'upload'
    LEFT JOIN partnership_resource_check c ON c.resource_id = r.id
    WHERE p.state = 'active'
""")


def _day(today: dt.date) -> dict[str, dt.datetime]:
    start, end = quotas.period("updates_per_day_bytes", today)
    return {"day_start": dt.datetime.combine(start, dt.time()),
            "day_end": dt.datetime.combine(end, dt.time())}


def agreements_in_force(organization_ids: Iterable[str],
                        today: dt.date) -> dict[str, Any]:
    """The agreement in force on ``today`` of each organisation that has
    one, in one query."""
    ids = list(organization_ids)
    if not ids:
        return {}
    rows = (model.Session.query(pmodel.Agreement)
            .filter(pmodel.Agreement.organization_id.in_(ids))
            .filter(pmodel.Agreement.state.in_(agreement_calendar.IN_FORCE)).all())
    return {a.organization_id: a for a in rows if a.in_force(today)}


def agreements_in_force_all(today: dt.date) -> dict[str, Any]:
    """Every agreement in force on ``today``, by organisation, in one query:
    the partners whose quotas are told."""
    rows = (model.Session.query(pmodel.Agreement)
            .filter(pmodel.Agreement.state.in_(agreement_calendar.IN_FORCE)).all())
    return {a.organization_id: a for a in rows if a.in_force(today)}


def _limits(agreement: Optional[Any]) -> dict[str, Optional[int]]:
    return {code: getattr(agreement, field) if agreement is not None else None
            for code, field in quotas.FIELDS.items()}


def _usages(used: dict[str, int], limits: dict[str, Optional[int]]) -> list[dict[str, Any]]:
    return [quotas.usage(code, int(used[code]), limits[code]) for code in quotas.CODES]


def quota_usages(organization_ids: Iterable[str],
                 today: dt.date) -> dict[str, list[dict[str, Any]]]:
    """The five quotas of each organisation, ``{organization_id: [{code,
    used, limit, share, level}, …]}`` in the order of
    :data:`~ckanext.partnership.domain.quotas.CODES`, against the limits of
    its agreement in force on ``today`` (none: no limit). The same number
    of queries for one organisation as for two hundred."""
    ids = list(dict.fromkeys(organization_ids))
    if not ids:
        return {}
    records = {org: (per_dataset, total) for org, per_dataset, total
               in model.Session.execute(_RECORDS, {"orgs": ids})}
    files = {org: (storage, updates) for org, storage, updates
             in model.Session.execute(_FILES, {"orgs": ids, **_day(today)})}
    in_force = agreements_in_force(ids, today)
    api_calls = counter.calls(quotas.month_key(today))
    out = {}
    for org in ids:
        per_dataset, total = records.get(org, (0, 0))
        storage, updates = files.get(org, (0, 0))
        used = {"records_per_dataset": per_dataset, "records_total": total,
                "storage_bytes": storage, "updates_per_day_bytes": updates,
                "api_calls_per_month": api_calls}
        out[org] = _usages(used, _limits(in_force.get(org)))
    return out


def quota_usage(organization_id: str, today: dt.date) -> list[dict[str, Any]]:
    """One organisation's five quotas, as :func:`quota_usages` gives them."""
    return quota_usages([organization_id], today)[organization_id]


def portal_api_limit(today: dt.date) -> tuple[Optional[int], Optional[Any]]:
    """The portal's limit of API calls a month and the agreement that sets
    it: the smallest limit among the agreements in force on ``today`` (the
    calls are shared by all signatories, so the strictest promise binds the
    portal); (None, None) when none sets one."""
    rows = (model.Session.query(pmodel.Agreement)
            .filter(pmodel.Agreement.state.in_(agreement_calendar.IN_FORCE))
            .filter(pmodel.Agreement.quota_api_calls_per_month.isnot(None))
            .order_by(pmodel.Agreement.quota_api_calls_per_month, pmodel.Agreement.id).all())
    for agreement in rows:
        if agreement.in_force(today):
            return agreement.quota_api_calls_per_month, agreement
    return None, None


def portal_quota_usage(today: dt.date) -> list[dict[str, Any]]:
    """The whole portal's five figures, every active dataset of every
    organisation: the largest dataset's records, all records, stored
    files, files changed today, the month's API calls. No limit but the
    API calls' (:func:`portal_api_limit`)."""
    per_dataset, total = model.Session.execute(_PORTAL_RECORDS).one()
    storage, updates = model.Session.execute(_PORTAL_FILES, _day(today)).one()
    limit, _agreement = portal_api_limit(today)
    used = {"records_per_dataset": per_dataset, "records_total": total,
            "storage_bytes": storage, "updates_per_day_bytes": updates,
            "api_calls_per_month": counter.calls(quotas.month_key(today))}
    limits = {code: None for code in quotas.CODES}
    limits["api_calls_per_month"] = limit
    return _usages(used, limits)
