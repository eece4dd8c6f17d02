"""The whole suite on the official SCDL examples and on broken files."""
from __future__ import annotations

import json
import pathlib

import pytest

from ckanext.partnership.checks.suite import check_file

SCDL = pathlib.Path(__file__).resolve().parents[1] / "fixtures/scdl"


def schema(name):
    return json.loads((SCDL / name / "schema.json").read_text("utf-8"))


def findings(report, check=None):
    return [dict(f, check=r["check"]) for r in report["results"]
            for f in r["findings"] if check in (None, r["check"])]


def errors(report, check=None):
    return [f for f in findings(report, check) if f["severity"] == "error"]


def run(path, standard=None, **kwargs):
    kwargs.setdefault("fmt", "CSV")
    return check_file(str(path), descriptor=schema(standard)
                      if standard else None, url=str(path), **kwargs)


@pytest.mark.parametrize("standard, example", [
    ("subventions", "exemple_valide.csv"),
    ("prenoms", "prenoms-nouveaux-nes_exemple-valide.csv"),
    ("decp", "exemple-valide.csv"),
    ("irve-statique", "exemple-valide-statique.csv"),
    ("irve-dynamique", "exemple-valide-dynamique.csv"),
])
def test_official_valid_examples_pass(standard, example):
    report = run(SCDL / standard / example, standard)
    assert errors(report) == []
    assert report["status"] == "success"
    assert report["rows"] > 0
    statuses = {r["check"]: r["status"] for r in report["results"]}
    assert statuses["schema"] == "success"


def test_header_only_file_passes_with_a_warning():
    report = run(SCDL / "decp/fichier-vide.csv", "decp")
    assert report["status"] == "success"
    assert report["rows"] == 0
    assert [f["code"] for f in findings(report)] == ["no_rows"]


def test_invalid_cells_are_pointed_at():
    """A file that breaks the SCDL « Subventions » standard fails, each error named by
    its column, its rule and its rows (002 §2.2, 003 art. 5)."""
    report = run(SCDL / "subventions/exemple_invalide_erreurs_cellules.csv",
                 "subventions")
    assert report["status"] == "failure"
    found = {(f["code"], f["column"], f.get("constraint")): f.get("rows")
             for f in errors(report)}
    assert found[("type", "dateConvention", None)] == [5]
    assert found[("type", "montant", None)] == [6]
    assert found[("constraint", "montant", "required")] == [10]
    assert found[("constraint", "pourcentageSubvention", "maximum")] == [
        2, 3, 4]
    assert found[("constraint", "nature", "enum")] == [16]
    assert found[("constraint", "idAttribuant", "pattern")] == [7]
    assert found[("one_of_required", "idBeneficiaire / rnaBeneficiaire",
                  None)] == [9]
    assert ("missing_column", "dispositifAide", None) in found


def test_invalid_columns_are_matched_by_name():
    report = run(SCDL / "subventions/exemple_invalide_erreurs_colonnes.csv",
                 "subventions")
    columns = {(f["code"], f["column"]): f for f in findings(report, "schema")
               if "column" in f and "rows" not in f}
    assert columns[("renamed_column", "NOM_Beneficiaire")]["expected"] == \
        "nomBeneficiaire"
    assert columns[("misplaced_column", "idAttribuant")][
        "expected_position"] == 2
    assert columns[("misplaced_column", "nomAttribuant")]["position"] == 2
    # swapped columns are read by name: no type storm on them
    cells = [f for f in errors(report, "schema")
             if f["column"] in ("idAttribuant", "nomAttribuant")]
    assert [f["rows"] for f in cells] == [[7]]


def test_latin1_file_is_an_encoding_problem_not_a_storm():
    report = run(SCDL / "subventions/exemple-duplicate-column.csv",
                 "subventions")
    encoding = errors(report, "encoding")
    assert [f["code"] for f in encoding] == ["not_utf8"]
    assert encoding[0]["guess"] == "windows-1252"
    assert encoding[0]["rows"][0] == 2
    structure = errors(report, "structure")
    assert structure == [dict(structure[0], code="duplicate_header",
                              column="notificationUE", position=14)]
    # the text was read right: no cell error at all
    assert [f for f in errors(report, "schema") if "rows" in f] == []


def test_errors_are_counted_in_full(tmp_path):
    header = (SCDL / "subventions/exemple_valide.csv").read_text(
        "utf-8").splitlines()[1]
    bad = header.replace("2015-07-07", "07/07/2015")
    lines = [(SCDL / "subventions/exemple_valide.csv").read_text(
        "utf-8").splitlines()[0]] + [bad] * 2500
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    report = run(path, "subventions")
    dates = [f for f in errors(report) if f["column"] == "dateConvention"]
    assert dates[0]["count"] == 2500
    assert dates[0]["rows"][:3] == [2, 3, 4] and len(dates[0]["rows"]) == 20
    assert report["results"][-1]["rows"] == 2500


def test_semicolon_files_are_read(tmp_path):
    text = (SCDL / "subventions/exemple_valide.csv").read_text("utf-8")
    path = tmp_path / "semi.csv"
    import csv
    import io
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(csv.reader(io.StringIO(text)))
    path.write_text(out.getvalue(), "utf-8")
    report = run(path, "subventions")
    assert report["delimiter"] == ";"
    assert report["status"] == "success"


@pytest.mark.parametrize("content, code, check", [
    (b"", "empty_file", "structure"),
    (b"<!DOCTYPE html><html><body>Not found</body></html>",
     "html_instead_of_data", "format"),
    (b"PK\x03\x04\x00\x00binary", "binary", "structure"),
    (b'a,b\n1,"unterminated\n', "malformed", "structure"),
    (b"a,b\n1,2,3\n4\n\n", "extra_cells", "structure"),
])
def test_broken_files_give_a_report(tmp_path, content, code, check):
    path = tmp_path / "file.csv"
    path.write_bytes(content)
    report = run(path)
    assert report["status"] == "failure"
    assert code in [f["code"] for f in errors(report, check)]


def test_wrong_delimiter_is_named(tmp_path):
    path = tmp_path / "tabs.csv"
    path.write_text("nomAttribuant idAttribuant dateConvention\nA 1 2\n",
                    "utf-8")
    report = run(path, "subventions")
    assert "delimiter_not_found" in [f["code"] for f in errors(report)]


def test_a_file_over_the_size_limit_is_not_read(tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as stream:
        stream.truncate(2 * 1024 ** 3)  # sparse: 2 GB, no disk used
    report = run(path, max_bytes=100 * 1024 ** 2)
    assert report["status"] == "error"
    assert errors(report, "size")[0]["size"] == 2 * 1024 ** 3


def test_a_schema_that_does_not_load_is_an_error(tmp_path):
    path = SCDL / "subventions/exemple_valide.csv"
    report = check_file(str(path), descriptor={"fields": "nope"}, fmt="CSV")
    assert report["status"] == "error"
    assert errors(report, "schema")[0]["code"] == "schema_unavailable"


def test_row_quota(tmp_path):
    path = SCDL / "subventions/exemple_valide.csv"
    assert run(path, quota=29)["status"] == "success"
    report = run(path, quota=100, other_rows=80)
    found = errors(report, "row_quota")
    assert found[0]["count"] == 109 and found[0]["quota"] == 100


def test_closed_formats_are_not_read(tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_bytes(b"PK\x03\x04")
    report = check_file(str(path), fmt="XLSX", url=str(path))
    assert report["status"] == "failure"
    assert errors(report)[0]["instead"] == "CSV"
    assert [r["check"] for r in report["results"]] == ["format"]


def test_no_finding_repeats_more_than_a_short_name(tmp_path):
    """A header of long names (a whole line read as names, a response
    that is not a table): every name a finding repeats is cut to 80
    characters, whatever check found it."""
    long = "Q" * 3000
    email = "courriel_" + "e" * 3000
    path = tmp_path / "long.csv"
    path.write_text(f"{long},{long},{email},nom_{'n' * 3000}\n"
                    "1,2,jeanne.martin@free.fr,Martin\n", encoding="utf-8")
    descriptor = schema("subventions")
    descriptor["fields"].append({"name": "z" * 500, "type": "string",
                                 "constraints": {"enum": ["a" * 500, "b"]}})
    report = check_file(str(path), descriptor=descriptor, fmt="CSV", url=str(path))
    texts = [value for f in findings(report) for value in f.values()
             if isinstance(value, str)]
    texts += [item for f in findings(report) for value in f.values()
              if isinstance(value, list) for item in value if isinstance(item, str)]
    codes = {f["code"] for f in findings(report)}
    assert {"duplicate_header", "extra_column", "missing_column", "email"} <= codes
    assert texts and max(len(t) for t in texts) == 80
    assert "Q" * 79 + "…" in texts
    assert long not in json.dumps(report)
