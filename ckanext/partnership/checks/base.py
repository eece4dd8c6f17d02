"""The shape every resource check shares.

A check is a small object fed by one pass over the file: ``header`` once
with the column names, then ``row`` for each data row, then ``result``.
Checks that do not read the table (format, size) only implement
``result``. Nothing here imports CKAN: the checks run in the background
job, in the benchmark and in the tests alike.

A result is a plain dict, stored as JSON and returned by the API::

    {"check": "personal_data",
     "status": "success" | "warning" | "failure" | "error" | "skipped",
     "findings": [Finding, ...],
     ...check-specific counters}

A finding names *what* and *where*, never the cell's value, so that no
report, page, mail or log line can echo the data itself::

    {"code": "email", "severity": "error" | "warning",
     "column": "contact", "count": 12, "rows": [3, 5, 9]}

``rows`` holds at most ``MAX_ROWS`` row numbers; ``count`` is always the
full count. Row numbers are the file's row numbers as a spreadsheet shows
them: the header is row 1, the first data row is row 2.
"""
from __future__ import annotations

from typing import Any, Optional

#: Row numbers kept per finding; ``count`` keeps the full figure.
MAX_ROWS = 20

SUCCESS = "success"
WARNING = "warning"
FAILURE = "failure"
ERROR = "error"
SKIPPED = "skipped"

Finding = dict[str, Any]
Result = dict[str, Any]


class Check:
    """A check fed row by row. Subclasses set ``name``."""

    name = "check"

    def header(self, names: list[str]) -> None:
        """Receive the header row (column names as written in the file)."""

    def row(self, number: int, cells: list[str]) -> None:
        """Receive one data row; ``number`` is its row number (header = 1)."""

    def result(self) -> Result:
        raise NotImplementedError


def status_of(findings: list[Finding]) -> str:
    """``failure`` if any finding is an error, ``warning`` if any is a
    warning, else ``success``."""
    severities = {f.get("severity", "error") for f in findings}
    if "error" in severities:
        return FAILURE
    if "warning" in severities:
        return WARNING
    return SUCCESS


class Counter:
    """Count occurrences of a finding and keep its first row numbers."""

    __slots__ = ("count", "rows")

    def __init__(self) -> None:
        self.count = 0
        self.rows: list[int] = []

    def add(self, number: int) -> None:
        self.count += 1
        if len(self.rows) < MAX_ROWS:
            self.rows.append(number)

    def finding(self, code: str, severity: str = "error",
                column: Optional[str] = None, **extra: Any) -> Finding:
        found: Finding = {"code": code, "severity": severity,
                          "count": self.count, "rows": list(self.rows)}
        if column is not None:
            found["column"] = column
        found.update(extra)
        return found
