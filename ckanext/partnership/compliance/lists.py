# -*- coding: utf-8 -*-
"""The figures per partner: one partner's datasets late first, the
criteria it fails most, its months; the table of every partner, sorted and
windowed in SQL. Only active public datasets count, for every reader, so
that the figures are the same whoever reads them. Today's states follow
from the store (``partnership_dataset_compliance``) exactly as
:mod:`.summaries` derives them: the SQL of the per-partner figures is that
module's, read here as a table."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any, Optional

from sqlalchemy import text

import ckan.model as model
from ckanext.partnership import model as pmodel
from ckanext.partnership.core import roles

from . import datasets
from .summaries import _SUMMARIES, summaries

#: The columns of ``partnership_compliance_list``'s ``sort``.
SORTS = ("title", "datasets", "fresh", "late", "not_applicable", "label_granted",
         "median_score", "fresh_share")
ORDERS = ("asc", "desc")

#: A dataset's state today, from its row ``c`` (as summaries.py decides).
_LATE = ("((c.timely_fixed IS NULL AND c.expected_by < :today)"
         " OR c.timely_fixed = 'late')")
_TIMELY = ("CASE WHEN c.timely_fixed IS NULL THEN"
           " CASE WHEN c.expected_by < :today THEN 'fail' ELSE 'pass' END"
           " WHEN c.timely_fixed = 'late' THEN 'fail' ELSE c.timely_fixed END")
_SCORE = ("c.other_passed + CASE WHEN c.timely_fixed IS NULL AND c.expected_by >= :today"
          " THEN 1 ELSE 0 END")
_PUBLIC = ("p.state = 'active' AND p.type = 'dataset' AND NOT p.private"
           " AND p.owner_org = :org")

# Late first (most days late first; late without a date, never updated, before
# them), then the lowest score, then by title and name, ties by id; a dataset
# not assessed yet last.
_WINDOW = text(f"""
SELECT p.id FROM package p
LEFT JOIN partnership_dataset_compliance c ON c.package_id = p.id
WHERE {_PUBLIC}
ORDER BY COALESCE({_LATE}, false) DESC,
         CASE WHEN {_LATE} THEN COALESCE(:today - c.expected_by, 2147483647) END DESC NULLS LAST,
         {_SCORE} ASC NULLS LAST,
         lower(COALESCE(NULLIF(p.title, ''), p.name)), p.name, p.id
LIMIT :limit OFFSET :offset
""")

_FAILING = text(f"""
SELECT code, count(*) AS failed FROM (
  SELECT k.key AS code, CASE WHEN k.key = 'timely' THEN {_TIMELY} ELSE k.value END AS status
  FROM package p
  JOIN partnership_dataset_compliance c ON c.package_id = p.id
  CROSS JOIN LATERAL json_each_text(c.criteria) k
  WHERE {_PUBLIC}
) s WHERE status = 'fail'
GROUP BY code ORDER BY failed DESC, code
""")

_HISTORY = text("""
SELECT month, datasets, fresh, late, not_applicable, label_granted
FROM partnership_compliance_month
WHERE organization_id = :org AND month >= :since
ORDER BY month
""")

_FIGURES = ("datasets", "fresh", "late", "not_applicable", "label_granted")

#: Every figure of every partner, as summaries.py computes them, as a table.
_PARTNER_FIGURES = ("s(org, datasets, fresh, late, not_applicable, label_granted, median_score)"
                    f" AS ({_SUMMARIES.text})")
_PARTNERS = ("g.is_organization AND g.state = 'active' AND g.type = 'organization'"
             " AND g.id <> :host")
_SORT_KEYS = {
    "title": "lower(COALESCE(NULLIF(g.title, ''), g.name))",
    "datasets": "COALESCE(s.datasets, 0)",
    "fresh": "COALESCE(s.fresh, 0)",
    "late": "COALESCE(s.late, 0)",
    "not_applicable": "COALESCE(s.not_applicable, 0)",
    "label_granted": "COALESCE(s.label_granted, 0)",
    "median_score": "s.median_score",
    "fresh_share": "CAST(s.fresh AS float) / NULLIF(s.datasets, 0)",
}


def month_start(day: dt.date, back: int = 0) -> dt.date:
    """The first day of ``day``'s month, ``back`` months before."""
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def _host_id() -> str:
    host = roles.host_organization()
    return host.id if host is not None else ""


def _organization(org: model.Group) -> dict[str, Any]:
    return {"id": org.id, "name": org.name, "title": org.title or org.name}


def _load(package_ids: list[str]) -> list[model.Package]:
    """The datasets with their files and extras, in the order given."""
    if not package_ids:
        return []
    found = {p.id: p for p in datasets.load(package_ids)}
    return [found[i] for i in package_ids if i in found]


def history(organization_id: str, today: dt.date) -> list[dict[str, Any]]:
    """The last 12 months of the partner's figures (this one included),
    oldest first; a month no ``notify`` recorded is absent."""
    rows = model.Session.execute(_HISTORY, {"org": organization_id,
                                            "since": month_start(today, 11)})
    return [{"month": month.strftime("%Y-%m"),
             **{name: value for name, value in zip(_FIGURES, figures)}}
            for month, *figures in rows]


def failing_criteria(organization_id: str, today: dt.date) -> list[dict[str, Any]]:
    """Per criterion, how many of the partner's public datasets fail it
    today, most failed first; only those failed at least once."""
    rows = model.Session.execute(_FAILING, {"org": organization_id, "today": today})
    return [{"code": code, "count": count} for code, count in rows]


def partner_show(org: model.Group, limit: int, offset: int, today: dt.date) -> dict[str, Any]:
    """``partnership_compliance_show``: a fixed number of queries whatever
    the window's size."""
    ids = [r[0] for r in model.Session.execute(
        _WINDOW, {"org": org.id, "today": today, "limit": limit, "offset": offset})]
    packages = _load(ids)
    found = datasets.assess_many(packages, today)
    return {
        "organization": _organization(org),
        "summary": summaries([org.id], today)[org.id],
        "datasets": [{"id": p.id, "name": p.name, "title": p.title or p.name,
                      **datasets.as_dict(*found[p.id])} for p in packages],
        "failing_criteria": failing_criteria(org.id, today),
        "history": history(org.id, today),
    }


def partner_list(sort: str, order: str, limit: int, offset: int, today: dt.date
                 ) -> list[dict[str, Any]]:
    """``partnership_compliance_list``: the window of partners sorted in SQL
    (NULLs last whatever the order, ties by title and id), then their
    figures in one more query."""
    direction = "DESC" if order == "desc" else "ASC"
    query = text(f"WITH {_PARTNER_FIGURES}"
                 " SELECT g.id, g.name, g.title FROM \"group\" g LEFT JOIN s ON s.org = g.id"
                 f" WHERE {_PARTNERS}"
                 f" ORDER BY {_SORT_KEYS[sort]} {direction} NULLS LAST,"
                 f" {_SORT_KEYS['title']}, g.id LIMIT :limit OFFSET :offset")
    rows = model.Session.execute(query, {
        "today": today, "all": True, "ids": [], "host": _host_id(),
        "limit": limit, "offset": offset}).fetchall()
    if not rows:
        return []
    figures = summaries([r[0] for r in rows], today)
    return [{"organization": {"id": org_id, "name": name, "title": title or name},
             "summary": figures[org_id]} for org_id, name, title in rows]


def partner_count() -> int:
    """How many partners ``partnership_compliance_list`` walks."""
    return model.Session.execute(text(
        f"SELECT count(*) FROM \"group\" g WHERE {_PARTNERS}"), {"host": _host_id()}).scalar()


_RECORD = text("""
INSERT INTO partnership_compliance_month (organization_id, month, datasets, fresh, late,
    not_applicable, label_granted, recorded_at)
SELECT r.organization_id, :month, r.datasets, r.fresh, r.late, r.not_applicable,
       r.label_granted, :at
FROM json_to_recordset(CAST(:rows AS json)) AS r(organization_id text, datasets int,
     fresh int, late int, not_applicable int, label_granted int)
ON CONFLICT (organization_id, month) DO UPDATE SET datasets = EXCLUDED.datasets,
    fresh = EXCLUDED.fresh, late = EXCLUDED.late, not_applicable = EXCLUDED.not_applicable,
    label_granted = EXCLUDED.label_granted, recorded_at = EXCLUDED.recorded_at
""")


def record_month(today: dt.date, at: Optional[dt.datetime] = None) -> list[str]:
    """The ``notify`` step: this month's figures of every partner with a
    public dataset, in one statement (the last run of the month wins).
    Silent: it tells no line, as it happens at every run."""
    host = _host_id()
    found = summaries(None, today)
    rows = [{"organization_id": org_id, **{name: figures[name] for name in _FIGURES}}
            for org_id, figures in found.items() if org_id != host]
    if rows:
        model.Session.execute(_RECORD, {"rows": json.dumps(rows), "month": month_start(today),
                                        "at": at or pmodel.now()})
        model.Session.commit()
    return []
