"""Rows against the agreement's quota (``002`` §3.3: at most 300,000
records per dataset)."""
from __future__ import annotations

from typing import Optional

from .base import Check, Result, status_of


class RowCountCheck(Check):
    """Counts the data rows; the dataset's total is this file's rows plus
    ``other_rows`` (its other files' counts), against ``quota``."""

    name = "row_quota"

    def __init__(self, quota: Optional[int] = None,
                 other_rows: int = 0) -> None:
        self.quota = quota
        self.other_rows = other_rows
        self.rows = 0

    def row(self, number: int, cells: list[str]) -> None:
        self.rows += 1

    def result(self) -> Result:
        total = self.rows + self.other_rows
        findings = []
        if self.quota is not None and total > self.quota:
            findings.append({"code": "over_quota", "severity": "error",
                             "count": total, "quota": self.quota})
        return {"check": self.name, "status": status_of(findings),
                "findings": findings, "rows": self.rows,
                "dataset_rows": total, "quota": self.quota}
