"""The ``custom_checks`` of the French standards, which frictionless
ignores: SCDL schemas declare them for Validata, the national validator.

Each is a small check built from the schema's ``{"name", "params"}``
entry. A custom check this module does not know is reported as not run
(a warning), never silently passed.
"""
from __future__ import annotations

from typing import Any, Optional

from ..domain.metadata_rules import luhn_valid, siren_valid
from .base import Check, Counter, Finding, Result, status_of

__all__ = ["siren_valid", "siret_valid", "CustomChecks"]

_LA_POSTE = "356000000"


def siret_valid(value: str) -> bool:
    """Fourteen digits; the Luhn key, or La Poste's rule (its
    establishments share SIREN 356000000 and their digits add up to a
    multiple of 5)."""
    if len(value) != 14 or not value.isdigit() or not value.isascii():
        return False
    if value.startswith(_LA_POSTE):
        return sum(ord(c) - 48 for c in value) % 5 == 0
    return luhn_valid(value)


class _ColumnCheck(Check):
    """A check on the cells of one column."""

    code = "invalid"

    def __init__(self, name: str, column: str) -> None:
        self.custom = name
        self.column = column
        self.index: Optional[int] = None
        self.counter = Counter()

    def header(self, names: list[str]) -> None:
        if self.column in names:
            self.index = names.index(self.column)

    def valid(self, cell: str) -> bool:
        raise NotImplementedError

    def row(self, number: int, cells: list[str]) -> None:
        index = self.index
        if index is not None and index < len(cells):
            cell = cells[index]
            if cell and not self.valid(cell):
                self.counter.add(number)

    def findings(self) -> list[Finding]:
        if self.index is None:
            return []  # the schema check reports the missing column
        if not self.counter.count:
            return []
        return [self.counter.finding(self.code, column=self.column,
                                     custom_check=self.custom)]


class SiretCheck(_ColumnCheck):
    code = "invalid_siret"

    def valid(self, cell: str) -> bool:
        return siret_valid(cell)


class SirenCheck(_ColumnCheck):
    code = "invalid_siren"

    def valid(self, cell: str) -> bool:
        return siren_valid(cell)


class OneOfRequiredCheck(Check):
    """At least one of two columns is filled on every row."""

    def __init__(self, name: str, first: str, second: str) -> None:
        self.custom = name
        self.columns = (first, second)
        self.indexes: list[int] = []
        self.present = False
        self.counter = Counter()

    def header(self, names: list[str]) -> None:
        self.indexes = [names.index(c) for c in self.columns if c in names]

    def row(self, number: int, cells: list[str]) -> None:
        size = len(cells)
        for index in self.indexes:
            if index < size and cells[index]:
                return
        self.counter.add(number)

    def findings(self) -> list[Finding]:
        if not self.counter.count:
            return []
        return [self.counter.finding(
            "one_of_required", column=" / ".join(self.columns),
            columns=list(self.columns), custom_check=self.custom)]


class _Unsupported(Check):
    def __init__(self, name: str) -> None:
        self.custom = name

    def findings(self) -> list[Finding]:
        return [{"code": "custom_check_not_run", "severity": "warning",
                 "custom_check": self.custom}]


def build(entry: dict[str, Any]) -> Check:
    name = str(entry.get("name", ""))
    params = entry.get("params") or {}
    if name == "french-siret-value" and params.get("column"):
        return SiretCheck(name, params["column"])
    if name == "french-siren-value" and params.get("column"):
        return SirenCheck(name, params["column"])
    if name == "one-of-required" and params.get("column1") \
            and params.get("column2"):
        return OneOfRequiredCheck(name, params["column1"], params["column2"])
    return _Unsupported(name)


class CustomChecks(Check):
    """All the custom checks of one schema, reported as one result."""

    name = "custom_checks"

    def __init__(self, entries: list[dict[str, Any]]) -> None:
        self.checks = [build(e) for e in entries if isinstance(e, dict)]
        self.active: list[Check] = [c for c in self.checks
                                    if not isinstance(c, _Unsupported)]

    def header(self, names: list[str]) -> None:
        for check in self.active:
            check.header(names)

    def row(self, number: int, cells: list[str]) -> None:
        for check in self.active:
            check.row(number, cells)

    def result(self) -> Result:
        findings: list[Finding] = []
        for check in self.checks:
            findings.extend(check.findings())  # type: ignore[attr-defined]
        return {"check": self.name, "status": status_of(findings),
                "findings": findings,
                "run": [c.custom for c in self.active],  # type: ignore
                }
