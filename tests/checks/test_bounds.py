"""Bounded work per file: a file of 200,000 columns is one finding, a
report keeps its counts in full but a bounded number of examples, and the
personal-data check finds the columns of a row's matches in one walk."""
from __future__ import annotations

import io
import json
import pathlib

from ckanext.partnership.checks.base import MAX_FINDINGS, MAX_ROWS, bound
from ckanext.partnership.checks.encoding import CHUNK, EncodingCheck
from ckanext.partnership.checks.personal import PersonalDataCheck
from ckanext.partnership.checks.suite import MAX_COLUMNS, check_file

SCDL = pathlib.Path(__file__).resolve().parents[1] / "fixtures/scdl"
SUBVENTIONS = json.loads((SCDL / "subventions/schema.json").read_text("utf-8"))

WIDE = 200_000


def write_wide(path, columns=WIDE):
    """One header row and two data rows: a telephone number in every cell
    of the first (personal data in every column), short numbers in the
    second. 200,000 columns weigh 4.6 MB."""
    with open(path, "w", encoding="utf-8") as out:
        out.write(",".join(f"c{i:06d}" for i in range(columns)) + "\n")
        out.write(",".join(["0612345678"] * columns) + "\n")
        out.write(",".join(["123"] * columns) + "\n")
    return path


def by_check(report):
    return {r["check"]: r for r in report["results"]}


def test_a_file_of_200000_columns_is_one_finding(tmp_path):
    path = write_wide(tmp_path / "wide.csv")
    assert 4_500_000 < path.stat().st_size < 4_700_000
    report = check_file(str(path), descriptor=SUBVENTIONS, fmt="CSV",
                        max_columns=2000)
    found = [dict(f, check=r["check"]) for r in report["results"]
             for f in r["findings"]]
    assert found == [{"check": "structure", "code": "too_many_columns",
                      "severity": "error", "count": WIDE, "limit": 2000}]
    assert report["status"] == "failure"
    assert report["rows"] == 2
    assert len(json.dumps(report).encode("utf-8")) < 50_000
    checks = by_check(report)
    # the column-wise checks did not run: no extra_column, no personal data
    for name in ("schema", "custom_checks", "personal_data"):
        assert checks[name]["status"] == "skipped"
        assert checks[name]["reason"] == "too_many_columns"
    assert checks["structure"]["columns"] == WIDE


def test_the_column_limit_has_a_default(tmp_path):
    assert MAX_COLUMNS == 2000
    wide = check_file(str(write_wide(tmp_path / "a.csv", MAX_COLUMNS + 1)),
                      fmt="CSV")
    assert by_check(wide)["structure"]["findings"][0]["code"] == \
        "too_many_columns"
    assert by_check(wide)["personal_data"]["status"] == "skipped"
    # at the limit the columns are checked (and the report still bounded)
    limit = check_file(str(write_wide(tmp_path / "b.csv", MAX_COLUMNS)),
                       fmt="CSV")
    personal = by_check(limit)["personal_data"]
    assert personal["status"] == "failure"
    assert len(personal["findings"]) == MAX_FINDINGS
    assert personal["omitted"] == {"phone": {
        "findings": MAX_COLUMNS - MAX_FINDINGS,
        "count": MAX_COLUMNS - MAX_FINDINGS}}


def test_100000_bad_rows_give_a_bounded_report_with_the_full_count(tmp_path):
    """Each row holds an e-mail address in one of 100 columns past the
    header: 100 findings of one code, each with 1,000 rows."""
    rows = 100_000
    path = tmp_path / "bad.csv"
    with open(path, "w", encoding="utf-8") as out:
        out.write("commune\n")
        for i in range(rows):
            out.write("Aix," + "," * (i % 100) + "jeanne.martin@free.fr\n")
    report = check_file(str(path), fmt="CSV")
    assert report["rows"] == rows
    checks = by_check(report)
    structure = checks["structure"]["findings"]
    assert [(f["code"], f["count"]) for f in structure] == [("extra_cells", rows)]
    personal = checks["personal_data"]
    assert personal["status"] == "failure"
    assert [f["code"] for f in personal["findings"]] == ["email"] * MAX_FINDINGS
    assert all(len(f["rows"]) <= MAX_ROWS and f["count"] == 1000
               for f in personal["findings"])
    omitted = personal["omitted"]["email"]
    assert omitted["findings"] == 100 - MAX_FINDINGS
    # counts in full: every row is somewhere
    assert sum(f["count"] for f in personal["findings"]) + omitted["count"] == rows
    assert len(json.dumps(report).encode("utf-8")) < 50_000


def test_bound_keeps_errors_first_and_counts_the_rest():
    findings = ([{"code": "email", "severity": "warning", "column": f"w{i}",
                  "count": 2, "rows": [2, 3]} for i in range(30)]
                + [{"code": "email", "severity": "error", "column": f"e{i}",
                    "count": 5, "rows": list(range(2, 50))} for i in range(5)]
                + [{"code": "phone", "severity": "error", "column": "p",
                    "count": 1, "rows": [4]},
                   {"code": "constraint", "severity": "error",
                    "rule": [str(i) for i in range(100)], "count": 1}])
    result = {"check": "personal_data", "status": "failure",
              "findings": findings}
    bounded = bound(result)
    assert result["findings"] is findings and len(findings) == 37  # untouched
    emails = [f for f in bounded["findings"] if f["code"] == "email"]
    assert len(emails) == MAX_FINDINGS
    # the five errors are kept, in their place among the warnings kept
    assert [f["column"] for f in emails] == [f"w{i}" for i in range(15)] + [
        f"e{i}" for i in range(5)]
    assert bounded["omitted"] == {"email": {"findings": 15, "count": 30}}
    assert all(len(f.get("rows", ())) <= MAX_ROWS for f in bounded["findings"])
    assert emails[-1]["count"] == 5
    rule = bounded["findings"][-1]
    assert len(rule["rule"]) == MAX_ROWS and rule["rule_total"] == 100
    assert bounded["status"] == "failure"
    # bounding twice changes nothing
    assert bound(bounded) == bounded


def test_the_personal_data_locator_reads_each_row_once():
    """A row with a telephone number in each of its 50,000 cells: the
    columns of its 50,000 matches are found by one walk along the row,
    not by recounting the separators from the start for each match (which
    read 1.4 billion characters for this row)."""
    columns = 50_000
    check = PersonalDataCheck()
    check.header([f"c{i}" for i in range(columns)])
    cells = ["06 12 34 56 78"] * columns
    check.row(2, cells)
    result = check.result()
    length = sum(len(c) + 1 for c in cells)
    assert 0 < check.scanned <= length
    assert len(result["findings"]) == columns
    assert {f["column"] for f in result["findings"]} == {
        f"c{i}" for i in range(columns)}
    assert all(f["code"] == "phone" and f["rows"] == [2]
               for f in result["findings"])


def read_encoding(content: bytes):
    check = EncodingCheck()
    stream = check.open(io.BytesIO(content))
    try:
        text = "".join(stream)  # line by line, as the suite reads it
    finally:
        check.close()
    return check, text, check.result()


def test_the_encoding_check_numbers_the_lines_in_one_walk():
    """100,000 bytes that are not UTF-8 in one chunk: each one's line is
    counted from the previous one, not from the chunk's start (which read
    5 billion bytes for this file)."""
    content = ("nom,ville\n" + "é,è\n" * 50_000).encode("cp1252")
    check, text, result = read_encoding(content)
    assert text.count("é") == 50_000
    finding = result["findings"][0]
    assert (finding["code"], finding["count"]) == ("not_utf8", 50_000)
    assert finding["rows"][:3] == [2, 3, 4]
    assert 0 < check.scanned <= len(content)


def test_the_encoding_check_numbers_lines_across_chunks():
    lines = CHUNK // 2 + 10  # "a\n": the file spans two chunks
    content = ("nom\né\n" + "a\n" * lines + "è\n").encode("cp1252")
    assert len(content) > CHUNK
    check, text, result = read_encoding(content)
    assert result["findings"][0]["rows"] == [2, lines + 3]
    assert check.scanned <= len(content)
