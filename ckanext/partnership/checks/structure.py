"""The table's shape: a header, named and unique columns, full rows."""
from __future__ import annotations

from .base import Check, Counter, Finding, Result, status_of


class StructureCheck(Check):
    """Blank or duplicated column names; rows with too many or too few
    cells; blank rows; a file with no header or no data rows."""

    name = "structure"

    def __init__(self) -> None:
        self.columns: list[str] = []
        self.width = 0
        self.seen_header = False
        self.rows = 0
        self.extra = Counter()
        self.missing = Counter()
        self.blank = Counter()
        self.header_findings: list[Finding] = []
        self.stopped: Finding | None = None

    def header(self, names: list[str]) -> None:
        self.seen_header = True
        self.columns = names
        self.width = len(names)
        if not names:
            self.header_findings.append(
                {"code": "blank_header", "severity": "error", "position": 1})
        seen: set[str] = set()
        for position, name in enumerate(names, 1):
            if not name.strip():
                self.header_findings.append(
                    {"code": "blank_header", "severity": "error",
                     "position": position})
            elif name in seen:
                self.header_findings.append(
                    {"code": "duplicate_header", "severity": "error",
                     "column": name, "position": position})
            seen.add(name)

    def too_many_columns(self, count: int, limit: int) -> None:
        """The header has ``count`` columns, over ``limit``: reported in
        one finding instead of reading the header; then only
        :meth:`count_row` is fed, so the rows are still counted."""
        self.seen_header = True
        self.width = count
        self.header_findings.append(
            {"code": "too_many_columns", "severity": "error",
             "count": count, "limit": limit})

    def count_row(self, number: int, cells: list[str]) -> None:
        """Count a row of a file whose columns are not checked."""
        self.rows += 1

    def row(self, number: int, cells: list[str]) -> None:
        self.rows += 1
        size = len(cells)
        if size != self.width:
            if size > self.width:
                self.extra.add(number)
            elif size <= 1 and not any(cells):
                self.blank.add(number)
            else:
                self.missing.add(number)
        elif not any(cells):
            self.blank.add(number)

    def malformed(self, number: int, reason: str) -> None:
        """The CSV parser gave up at row ``number``; ``reason`` is the
        parser's message, which never quotes the data."""
        self.stopped = {"code": "malformed", "severity": "error",
                        "rows": [number], "count": 1, "reason": reason}

    def delimiter_not_found(self) -> None:
        """The header read as one column where the standard has several."""
        self.header_findings.append(
            {"code": "delimiter_not_found", "severity": "error"})

    def result(self) -> Result:
        findings: list[Finding] = []
        if not self.seen_header:
            findings.append({"code": "empty_file", "severity": "error"})
        findings.extend(self.header_findings)
        if self.extra.count:
            findings.append(self.extra.finding("extra_cells",
                                               expected=self.width))
        if self.missing.count:
            findings.append(self.missing.finding("missing_cells",
                                                 expected=self.width))
        if self.blank.count:
            findings.append(self.blank.finding("blank_row"))
        if self.stopped:
            findings.append(self.stopped)
        if self.seen_header and not self.rows and not self.stopped:
            findings.append({"code": "no_rows", "severity": "warning"})
        return {"check": self.name, "status": status_of(findings),
                "findings": findings, "columns": self.width}
