# -*- coding: utf-8 -*-
"""Per-partner figures of freshness and the label, in one SQL query over
the store (``partnership_dataset_compliance``): today's state follows from
``expected_by`` exactly as :func:`domain.freshness.assess` decides it
(fresh while ``today <= expected_by``), so that rows computed days ago
still give today's figures. Only active, public datasets count."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from sqlalchemy import text

import ckan.model as model

_SUMMARIES = text("""
WITH d AS (
  SELECT p.owner_org AS org, c.package_id IS NOT NULL AS assessed,
         (c.timely_fixed IS NULL AND c.expected_by >= :today) AS fresh,
         ((c.timely_fixed IS NULL AND c.expected_by < :today)
          OR c.timely_fixed = 'late') AS late,
         c.timely_fixed IN ('not_applicable', 'unknown') AS not_applicable,
         c.other_passed + CASE WHEN c.timely_fixed IS NULL AND c.expected_by >= :today
                               THEN 1 ELSE 0 END AS score,
         (NOT c.other_blocking AND ((c.timely_fixed IS NULL AND c.expected_by >= :today)
                                    OR c.timely_fixed = 'not_applicable')) AS granted
  FROM package p
  LEFT JOIN partnership_dataset_compliance c ON c.package_id = p.id
  WHERE p.state = 'active' AND p.type = 'dataset' AND NOT p.private
    AND p.owner_org IS NOT NULL AND (CAST(:all AS boolean) OR p.owner_org = ANY(:ids))
)
SELECT org, count(*), count(*) FILTER (WHERE fresh), count(*) FILTER (WHERE late),
       count(*) FILTER (WHERE not_applicable), count(*) FILTER (WHERE granted),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY score)
FROM d GROUP BY org
""")


def _empty() -> dict[str, Any]:
    return {"datasets": 0, "fresh": 0, "late": 0, "not_applicable": 0,
            "label_granted": 0, "median_score": None}


def summaries(organization_ids: Optional[list[str]], today: dt.date) -> dict[str, dict[str, Any]]:
    """``{org_id: {datasets, fresh, late, not_applicable, label_granted,
    median_score}}`` of these partners (every one given, zeros without
    datasets), or of every partner with a public dataset when None; one
    query. ``median_score`` is None without an assessed dataset."""
    ids = list(organization_ids or [])
    out = {org_id: _empty() for org_id in ids}
    rows = model.Session.execute(_SUMMARIES, {"today": today, "all": organization_ids is None,
                                              "ids": ids})
    for org, datasets, fresh, late, not_applicable, granted, median in rows:
        out[org] = {"datasets": datasets, "fresh": fresh, "late": late,
                    "not_applicable": not_applicable, "label_granted": granted,
                    "median_score": float(median) if median is not None else None}
    return out
