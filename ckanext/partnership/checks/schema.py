"""Conformity to a Table Schema, with frictionless.

Columns are matched by name, not by position, so that a swapped or
renamed column is reported as such instead of shifting every cell error.
Cells are read by frictionless's own field readers (types, formats and
constraints as the Table Schema specification defines them), except plain
strings, whose constraints this module checks itself with the same rules:
they are most of the cells of a French standard and the reader's overhead
would dominate the run.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Callable, Optional

from frictionless import Schema

from .base import Check, Counter, Finding, Result, status_of

#: A cell checker returns None, or (code, constraint) for the first problem.
CellCheck = Callable[[str], Optional[tuple[str, Optional[str]]]]

_FAST_CONSTRAINTS = {"required", "pattern", "minLength", "maxLength", "enum"}


class SchemaError(Exception):
    """The standard cannot be read as a Table Schema."""


def load_schema(descriptor: dict[str, Any]) -> Schema:
    """A frictionless Schema, or SchemaError with the reason."""
    try:
        schema = Schema.from_descriptor(dict(descriptor))
    except Exception as error:  # frictionless raises several kinds
        raise SchemaError(str(error)[:300]) from None
    if not schema.fields:
        raise SchemaError("the schema defines no field")
    return schema


def fold(name: str) -> str:
    """Compare column names loosely: case, accents, spaces, punctuation."""
    text = unicodedata.normalize("NFKD", name)
    return "".join(c for c in text.casefold() if c.isalnum())


def _string_check(field: Any, missing: frozenset[str]) -> CellCheck:
    constraints = field.constraints
    required = bool(constraints.get("required"))
    pattern = constraints.get("pattern")
    match = re.compile("^{0}$".format(pattern)).match if pattern else None
    min_length = constraints.get("minLength")
    max_length = constraints.get("maxLength")
    enum = frozenset(constraints["enum"]) if "enum" in constraints else None

    def check(cell: str) -> Optional[tuple[str, Optional[str]]]:
        if cell in missing:
            return ("constraint", "required") if required else None
        if match is not None and match(cell) is None:
            return "constraint", "pattern"
        if enum is not None and cell not in enum:
            return "constraint", "enum"
        if min_length is not None and len(cell) < min_length:
            return "constraint", "minLength"
        if max_length is not None and len(cell) > max_length:
            return "constraint", "maxLength"
        return None

    return check


def _reader_check(field: Any) -> CellCheck:
    reader = field.create_cell_reader()

    def check(cell: str) -> Optional[tuple[str, Optional[str]]]:
        notes = reader(cell)[1]
        if not notes:
            return None
        if "type" in notes:
            return "type", None
        return "constraint", next(iter(notes))

    return check


def cell_check(field: Any, schema: Schema) -> CellCheck:
    """The fastest faithful checker for one field."""
    missing = frozenset(field.missing_values
                        if field.has_defined("missing_values")
                        else schema.missing_values)
    if (field.type == "string" and field.format in (None, "default")
            and set(field.constraints) <= _FAST_CONSTRAINTS):
        return _string_check(field, missing)
    return _reader_check(field)


class SchemaCheck(Check):
    """Header against the schema's fields, then every cell; every error is
    counted, the first row numbers of each kind are kept."""

    name = "schema"

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.fields = list(schema.fields)
        self.header_findings: list[Finding] = []
        self.plan: list[tuple[int, str, CellCheck]] = []
        self.errors: dict[tuple[str, str, Optional[str]], Counter] = {}
        self.unique: list[tuple[int, str, set[Any], Counter]] = []
        self.primary: Optional[tuple[list[int], set[Any], Counter]] = None
        self.cells = 0
        self._plan_by_index: list[tuple[int, str, CellCheck]] = []
        self._unique_by_index: list[tuple[int, str, set[Any], Counter]] = []
        self._reach = 0

    def header(self, names: list[str]) -> None:
        position = {}
        for index, name in enumerate(names):
            position.setdefault(name, index)
        expected = [f.name for f in self.fields]
        rank_of = {}
        for rank, name in enumerate(expected):
            rank_of.setdefault(name, rank)
        missing = [n for n in expected if n not in position]
        extra = [n for n in position if n not in rank_of]
        loose = {fold(n): n for n in missing}
        renamed = set()
        findings = self.header_findings
        for name in extra:
            folded = fold(name)
            meant = loose.pop(folded, None) if folded else None
            if meant:
                findings.append({"code": "renamed_column",
                                 "severity": "error", "column": name,
                                 "expected": meant})
                renamed.add(meant)
            else:
                findings.append({"code": "extra_column", "severity": "error",
                                 "column": name})
        by_name = {f.name: f for f in self.fields}
        missing = [n for n in missing if n not in renamed]
        for name in missing:
            findings.append({"code": "missing_column", "severity": "error",
                             "column": name,
                             "required": bool(by_name[name].required)})
        present = [n for n in expected if n in position]
        in_file = sorted(present, key=position.__getitem__)
        for rank, name in enumerate(in_file):
            if present[rank] != name:
                findings.append({"code": "misplaced_column",
                                 "severity": "warning", "column": name,
                                 "position": position[name] + 1,
                                 "expected_position": rank_of[name] + 1})
        for field in self.fields:
            if field.name in position:
                index = position[field.name]
                self.plan.append(
                    (index, field.name, cell_check(field, self.schema)))
                if field.constraints.get("unique"):
                    self.unique.append((index, field.name, set(), Counter()))
        keys = self.schema.primary_key
        if keys and all(k in position for k in keys):
            self.primary = ([position[k] for k in keys], set(), Counter())
        # Rows shorter than the header read these, in column order, and
        # stop at their last cell: a short row costs its own length.
        self._plan_by_index = sorted(self.plan, key=lambda p: p[0])
        self._unique_by_index = sorted(self.unique, key=lambda u: u[0])
        self._reach = self._plan_by_index[-1][0] + 1 if self.plan else 0

    def row(self, number: int, cells: list[str]) -> None:
        size = len(cells)
        errors = self.errors
        for index, name, check in (self.plan if size >= self._reach
                                   else self._plan_by_index):
            if index >= size:
                break
            problem = check(cells[index])
            if problem is not None:
                key = (name,) + problem
                counter = errors.get(key)
                if counter is None:
                    counter = errors[key] = Counter()
                counter.add(number)
        for index, _name, seen, counter in self._unique_by_index:
            if index >= size:
                break
            if cells[index]:
                value = hash(cells[index])
                if value in seen:
                    counter.add(number)
                else:
                    seen.add(value)
        if self.primary is not None:
            indexes, seen, counter = self.primary
            value = hash(tuple(cells[i] if i < size else "" for i in indexes))
            if value in seen:
                counter.add(number)
            else:
                seen.add(value)

    def result(self) -> Result:
        findings = list(self.header_findings)
        fields = {f.name: f for f in self.fields}
        for (column, code, constraint), counter in self.errors.items():
            field = fields[column]
            extra: dict[str, Any] = {"type": field.type}
            if field.format not in (None, "default"):
                extra["format"] = field.format
            if constraint:
                extra["constraint"] = constraint
                extra["rule"] = field.constraints.get(constraint)
            if field.example is not None:
                extra["example"] = field.example
            findings.append(counter.finding(code, column=column, **extra))
        for _index, name, _seen, counter in self.unique:
            if counter.count:
                findings.append(counter.finding("duplicate_value",
                                                column=name))
        if self.primary is not None and self.primary[2].count:
            findings.append(self.primary[2].finding(
                "duplicate_key", column=", ".join(self.schema.primary_key)))
        errors = sum(f.get("count", 1) for f in findings
                     if f["severity"] == "error")
        return {"check": self.name, "status": status_of(findings),
                "findings": findings, "errors": errors}
