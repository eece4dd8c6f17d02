# -*- coding: utf-8 -*-
"""The traceability table (docs/traceability.rst): every obligation of the
agreements (docs/agreements.md, clause by clause) has its row, and every
row names the code that implements it and the tests that prove it, each
test naming the clause in its docstring; or says why it is out of a
portal's scope. Plain files, no database."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "docs" / "traceability.rst"
AGREEMENTS = ROOT / "docs" / "agreements.md"
STATUSES = {"implemented", "partial", "missing", "out of scope"}

#: A clause as the agreements number it: agreement, then § / art. / annex.
CLAUSE = re.compile(r"\b(00[0-4]) (§\s?[0-9]+(?:\.[0-9]+)*|art\. [0-9]+|annex [0-9]+)")

#: The obligations no code implements yet; each must leave this list as
#: soon as it has its code and its test (and none may join it).
GAPS = {
    "quality.new-standard-1y",
    "lifecycle.no-extraction",
}


def _clauses(text: str) -> set[str]:
    return {f"{n} {c.replace('§ ', '§')}" for n, c in CLAUSE.findall(text)}


def rows() -> dict[str, dict[str, str]]:
    """The table's rows by obligation id: a section title, then its fields
    (``:Clauses:``, ``:Obligation:``, ``:Code:``, ``:Tests:``, ``:Status:``,
    ``:Why:``), a field's lines joined."""
    found: dict[str, dict[str, str]] = {}
    lines = TABLE.read_text(encoding="utf-8").splitlines()
    current = None
    field = None
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if line and re.fullmatch(r"-{3,}", following) and len(following) >= len(line):
            current = found.setdefault(line.strip(), {})
            field = None
            continue
        if current is None:
            continue
        match = re.match(r":([A-Za-z]+):\s*(.*)", line)
        if match:
            field = match.group(1).lower()
            current[field] = match.group(2).strip()
        elif field and line.startswith("  ") and line.strip():
            current[field] += " " + line.strip()
        elif not line.strip():
            field = None
    return found


def _tests(row: dict[str, str]) -> list[str]:
    return re.findall(r"``(tests/[^`]+)``", row.get("tests", ""))


def _docstring(node_id: str) -> str | None:
    """The docstring of the test ``path::[Class::]name``; None if there is
    no such test."""
    path, *names = node_id.split("::")
    file = ROOT / path
    if not file.is_file() or not names:
        return None
    scope: list[ast.stmt] = ast.parse(file.read_text(encoding="utf-8")).body
    node: ast.AST | None = None
    for name in names:
        name = name.split("[")[0]  # a parametrised test's id
        node = next((n for n in scope if isinstance(
            n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.name == name), None)
        if node is None:
            return None
        scope = getattr(node, "body", [])
    return ast.get_docstring(node) or ""


def test_every_clause_of_the_agreements_has_its_row():
    """Each clause docs/agreements.md cites is a clause of some row of the
    table."""
    table = rows()
    assert len(table) >= 40
    covered = set().union(*(_clauses(r.get("clauses", "")) for r in table.values()))
    missing = _clauses(AGREEMENTS.read_text(encoding="utf-8")) - covered
    assert not missing, f"clauses with no row in docs/traceability.rst: {sorted(missing)}"


@pytest.mark.parametrize("obligation", sorted(rows()))
def test_each_row_has_its_code_and_tests_naming_the_clause(obligation):
    """A row is in scope with its code and tests, each test's docstring
    naming one of the row's clauses (or a sub-clause of it: 000 §9.3.1 is
    of 000 §9.3); or out of scope, saying why; or a known gap (GAPS),
    which may only shrink."""
    row = rows()[obligation]
    status = row.get("status", "")
    assert status in STATUSES, (obligation, status)
    clauses = _clauses(row.get("clauses", ""))
    assert clauses, f"{obligation}: no clause"
    if status == "out of scope":
        assert len(row.get("why", "")) > 20, f"{obligation}: out of scope, but why?"
        return
    if obligation in GAPS:
        assert status == "missing", f"{obligation} is {status}: take it out of GAPS"
        return
    assert status != "missing", f"{obligation}: missing, and not a known gap"
    assert re.search(r"``ckanext/partnership/[^`]+``", row.get("code", "")), \
        f"{obligation}: no code"
    tests = _tests(row)
    assert tests, f"{obligation}: no test"
    for node_id in tests:
        docstring = _docstring(node_id)
        assert docstring is not None, f"{obligation}: no test {node_id}"
        assert any(named == clause or named.startswith(clause + ".")
                   for named in _clauses(docstring) for clause in clauses), \
            f"{obligation}: {node_id} does not name {sorted(clauses)} in its docstring"


def test_the_known_gaps_are_rows_of_the_table():
    assert GAPS <= set(rows())
