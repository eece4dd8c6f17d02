"""Rows against the agreement's quota (``002`` §3.3: at most 300,000
records per dataset)."""
from __future__ import annotations

from typing import Optional

from .base import Result, status_of


def check_quota(rows: int, quota: Optional[int] = None,
                other_rows: int = 0) -> Result:
    """The dataset's rows (this file's ``rows`` plus ``other_rows``, its
    other files' counts) against the agreement's ``quota``."""
    total = rows + other_rows
    findings = []
    if quota is not None and total > quota:
        findings.append({"code": "over_quota", "severity": "error",
                         "count": total, "quota": quota})
    return {"check": "row_quota", "status": status_of(findings),
            "findings": findings, "rows": rows, "dataset_rows": total,
            "quota": quota}
