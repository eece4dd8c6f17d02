# -*- coding: utf-8 -*-
"""The data dictionary of a file (``checks/dictionary.py``) and its check
in the suite: pure functions, no database."""
from __future__ import annotations

import json

import pytest

from ckanext.partnership.checks import dictionary
from ckanext.partnership.checks.suite import check_file

COLUMNS = [
    {"name": "commune", "type": "string", "description": "Nom de la commune"},
    {"name": "population", "type": "integer", "description": "Habitants au 1er janvier"},
    {"name": "surface", "type": "number", "description": "Surface", "unit": "km²"},
    {"name": "date_recensement", "type": "date", "description": "Date du recensement"},
]


def code_of(value) -> str:
    with pytest.raises(dictionary.DictionaryError) as error:
        dictionary.columns(value)
    return error.value.code


def test_stored_whatever_the_spelling():
    """000 §10.1.2: the field descriptions of a file are stored the same
    whether they come as a list, as its JSON text or from a form's rows
    (blank rows dropped, values stripped, the type in lower case)."""
    text = dictionary.stored_text(COLUMNS)
    assert json.loads(text) == COLUMNS
    assert dictionary.stored_text(json.dumps(COLUMNS)) == text
    form = {"1": {"name": " population ", "type": "Integer",
                  "description": "Habitants au 1er janvier", "unit": ""},
            "0": dict(COLUMNS[0]),
            "2": {"name": "", "type": "", "description": "", "unit": ""}}
    assert dictionary.columns(form) == COLUMNS[:2]
    for nothing in (None, "", "  ", [], "[]", [{"name": "", "type": ""}]):
        assert dictionary.stored_text(nothing) == ""
    assert dictionary.read(text) == COLUMNS
    assert dictionary.read("not json") == [] and dictionary.read(None) == []


@pytest.mark.parametrize("value, code", [
    ("[", "json"),
    ('{"name": "a"}', "not_list"),
    (42, "not_list"),
    ({}, "not_list"),
    (["commune"], "not_object"),
    ([{"name": "a", "type": "string", "description": "d", "format": "x"}], "unknown_key"),
    ([{"name": "a", "type": "string"}], "required"),
    ([{"name": "", "type": "string", "description": "d"}], "required"),
    ([{"name": "a", "type": "varchar", "description": "d"}], "type"),
    ([{"name": "a", "type": "string", "description": "d"},
      {"name": "a", "type": "integer", "description": "e"}], "duplicate"),
    ([{"name": "a" * 201, "type": "string", "description": "d"}], "too_long"),
    ([{"name": "a", "type": "string", "description": "d" * 2001}], "too_long"),
    ([{"name": "a", "type": "string", "description": "d", "unit": "u" * 51}], "too_long"),
    ([{"name": "a\x00", "type": "string", "description": "d"}], "text"),
    ([{"name": 3, "type": "string", "description": "d"}], "not_text"),
    ([{"name": f"c{i}", "type": "string", "description": "d"} for i in range(501)],
     "too_many"),
    ("[" + " " * dictionary.MAX_TEXT + "]", "too_large"),
])
def test_what_cannot_be_stored(value, code):
    """000 §10.1.2: a column has a unique name, a known type and a
    description, each of bounded length."""
    assert code_of(value) == code


def test_the_error_names_the_column_never_the_whole_value():
    """000 §10.1.2: a refusal names the column by its position and repeats
    at most a short excerpt of the value."""
    with pytest.raises(dictionary.DictionaryError) as error:
        dictionary.columns([COLUMNS[0], {"name": "x", "type": "t" * 20, "description": "d"}])
    assert error.value.params["row"] == 2
    assert len(error.value.params["value"]) <= 40


def test_as_a_table_schema():
    """000 §10.1.2: the dictionary is given to harvesters as a Frictionless
    Table Schema (description and unit of each field)."""
    schema = dictionary.table_schema(COLUMNS, title="Population")
    assert schema["title"] == "Population"
    assert schema["fields"][2] == {"name": "surface", "type": "number",
                                   "description": "Surface", "unit": "km²"}
    assert "unit" not in schema["fields"][0]
    from frictionless import Schema
    assert [f.name for f in Schema.from_descriptor(schema).fields] == [
        c["name"] for c in COLUMNS]


def write(tmp_path, text):
    path = tmp_path / "data.csv"
    path.write_text(text, "utf-8")
    return str(path)


def result_of(report, name):
    return next(r for r in report["results"] if r["check"] == name)


def test_a_file_that_matches_its_dictionary_passes(tmp_path):
    """000 §10.1.2: a file whose columns and values are as its dictionary
    describes them passes the dictionary check."""
    path = write(tmp_path, "surface,commune,population,date_recensement\n"
                           "186.1,Aix-en-Provence,145000,2021-01-01\n"
                           ",Marseille,870000,2021-01-01\n")
    report = check_file(path, fmt="CSV", dictionary=COLUMNS)
    assert result_of(report, "data_dictionary") == {
        "check": "data_dictionary", "status": "success", "findings": [], "errors": 0}
    assert report["status"] == "success"


def test_a_file_unlike_its_dictionary_fails_with_counts_and_rows(tmp_path):
    """000 §10.1.2: the checks compare the file with its dictionary: a
    column it does not describe, a described column missing, values not of
    the declared type (counted, first rows given, never the values)."""
    rows = ["commune,population,superficie,date_recensement"]
    rows += [f"Commune {i},{'beaucoup' if i % 2 else i},1,01/01/2021" for i in range(30)]
    path = write(tmp_path, "\n".join(rows) + "\n")
    report = check_file(path, fmt="CSV", dictionary=COLUMNS)
    result = result_of(report, "data_dictionary")
    assert result["status"] == "failure" and report["status"] == "failure"
    by_code = {(f["code"], f["column"]): f for f in result["findings"]}
    assert set(by_code) == {("undescribed_column", "superficie"),
                            ("missing_described_column", "surface"),
                            ("type", "population"), ("type", "date_recensement")}
    wrong = by_code[("type", "population")]
    assert wrong["count"] == 15 and wrong["rows"][:3] == [3, 5, 7]
    assert wrong["type"] == "integer"
    assert by_code[("type", "date_recensement")]["count"] == 30
    assert "beaucoup" not in json.dumps(report)
    assert result_of(report, "schema")["reason"] == "no_standard"


def test_a_name_spelt_otherwise_is_pointed_at(tmp_path):
    """000 §10.1.2: a described column the file spells otherwise (case,
    accents) is named with the dictionary's spelling."""
    path = write(tmp_path, "Commune,population,surface,date_recensement\nA,1,2,2021-01-01\n")
    result = result_of(check_file(path, fmt="CSV", dictionary=COLUMNS), "data_dictionary")
    assert result["findings"] == [{"code": "renamed_described_column", "severity": "error",
                                   "column": "Commune", "expected": "commune"}]


def test_a_standard_wins_over_the_dictionary(tmp_path):
    """000 §10.1.2: a file that follows a standard is described by the standard's
    Table Schema and checked against it; its dictionary is then not checked (said so
    in the report)."""
    path = write(tmp_path, "commune\nAix\n")
    report = check_file(path, fmt="CSV", dictionary=COLUMNS, descriptor={
        "fields": [{"name": "commune", "type": "string"}]})
    assert result_of(report, "schema")["status"] == "success"
    assert result_of(report, "data_dictionary") == {
        "check": "data_dictionary", "status": "skipped", "reason": "standard_applies",
        "findings": []}


def test_no_dictionary_no_dictionary_check(tmp_path):
    """000 §10.1.2: a file without a dictionary gets no dictionary check."""
    report = check_file(write(tmp_path, "a\n1\n"), fmt="CSV")
    assert "data_dictionary" not in [r["check"] for r in report["results"]]


def test_the_command_line_reads_a_dictionary(tmp_path, capsys):
    """000 §10.1.2: ``python -m ckanext.partnership.checks --dictionary``
    runs the same check on a local file."""
    from ckanext.partnership.checks.__main__ import main
    path = write(tmp_path, "commune\nAix\n")
    spec = tmp_path / "dictionary.json"
    spec.write_text(json.dumps(COLUMNS[:1]), "utf-8")
    assert main([path, "--dictionary", str(spec)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert result_of(report, "data_dictionary")["status"] == "success"
