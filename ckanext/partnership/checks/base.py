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

A result keeps at most ``MAX_FINDINGS`` findings of each code (``bound``,
applied by the suite to every result): a file with 200,000 columns not in
its standard gives 20 ``extra_column`` findings, not 200,000. What is left
out is counted in the result's ``omitted``, by code::

    "omitted": {"extra_column": {"findings": 199980, "count": 199980}}

(``count``: the sum of the ``count`` of the findings left out, 1 for a
finding without one), so a reader still knows how many there were.
"""
from __future__ import annotations

from typing import Any, Optional

#: Row numbers kept per finding; ``count`` keeps the full figure.
MAX_ROWS = 20
#: Findings kept per code in one check's result; ``omitted`` counts the rest.
MAX_FINDINGS = 20

#: Longest text a finding repeats (a column name from the file, a rule or
#: an example from a standard); longer ones are cut by ``cut``.
MAX_TEXT = 80

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


def cut(value: Any) -> Any:
    """A finding's value, every text in it at most ``MAX_TEXT`` characters
    (the cut ones end with "…"), so that a column name of a megabyte, or a
    whole line read as one name, never fills a report."""
    if isinstance(value, str):
        return value if len(value) <= MAX_TEXT else value[:MAX_TEXT - 1] + "…"
    if isinstance(value, (list, tuple)):
        return [cut(item) for item in value]
    return value


def cut_findings(results: list[Result]) -> None:
    """Cut every text of every finding of ``results``, in place."""
    for result in results:
        result["findings"] = [{key: cut(value) for key, value in finding.items()}
                              for finding in result.get("findings") or []]


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


def _count(finding: Finding) -> int:
    count = finding.get("count", 1)
    return count if isinstance(count, int) else 1


def _bound_finding(finding: Finding, max_items: int) -> Finding:
    """``finding`` with each list cut to ``max_items``: ``rows`` keeps its
    ``count``, another list ``name`` gets a ``name_total``."""
    cut = None
    for key, value in finding.items():
        if isinstance(value, list) and len(value) > max_items:
            if cut is None:
                cut = dict(finding)
            cut[key] = value[:max_items]
            if key == "rows":
                cut.setdefault("count", len(value))
            else:
                cut.setdefault(key + "_total", len(value))
    return finding if cut is None else cut


def bound(result: Result, max_findings: int = MAX_FINDINGS,
          max_items: int = MAX_ROWS) -> Result:
    """``result`` with at most ``max_findings`` findings of each code
    (errors before warnings, in their order) and at most ``max_items``
    items in each list of a finding; the findings left out are added to
    ``omitted``. Linear in the findings; bounding twice changes nothing.
    The result's status and counters are left as the check computed them,
    from every finding."""
    findings = result.get("findings") or []
    by_code: dict[str, list[int]] = {}
    for index, finding in enumerate(findings):
        by_code.setdefault(str(finding.get("code")), []).append(index)
    omitted = {code: dict(entry) for code, entry
               in (result.get("omitted") or {}).items()}
    dropped: set[int] = set()
    for code, indexes in by_code.items():
        if len(indexes) <= max_findings:
            continue
        ranked = sorted(indexes, key=lambda i: findings[i].get(
            "severity", "error") != "error")
        left = ranked[max_findings:]
        dropped.update(left)
        entry = omitted.setdefault(code, {"findings": 0, "count": 0})
        entry["findings"] += len(left)
        entry["count"] += sum(_count(findings[i]) for i in left)
    kept = [_bound_finding(f, max_items) for i, f in enumerate(findings)
            if i not in dropped]
    bounded = dict(result, findings=kept)
    if omitted:
        bounded["omitted"] = omitted
    return bounded
