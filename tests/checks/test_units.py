"""The small checks, one by one."""
from __future__ import annotations

import io

import pytest

from ckanext.partnership.checks import custom, formats
from ckanext.partnership.checks.encoding import EncodingCheck
from ckanext.partnership.checks.schema import SchemaCheck, fold, load_schema
from ckanext.partnership.checks.suite import choose_delimiter, overall


@pytest.mark.parametrize("value, valid", [
    ("21060004500392", True), ("21060004500393", False),
    ("35600000000010", True),   # La Poste: digits add up to 5×
    ("35600000000011", False), ("2106000450039", False),
    ("2106000450039a", False), ("", False),
])
def test_siret(value, valid):
    assert custom.siret_valid(value) is valid


def test_siren():
    assert custom.siren_valid("210600045")
    assert not custom.siren_valid("210600046")


def test_unknown_custom_checks_are_reported_not_passed():
    checks = custom.CustomChecks([{"name": "nomenclature-actes-value",
                                   "params": {"column": "X"}}])
    checks.header(["X"])
    checks.row(2, ["anything"])
    result = checks.result()
    assert result["status"] == "warning"
    assert result["findings"][0]["custom_check"] == \
        "nomenclature-actes-value"


@pytest.mark.parametrize("fmt, url, code", [
    ("CSV", None, None), ("", "https://x.fr/a.geojson", None),
    ("xls", None, "closed_format"), ("PDF", None, "not_machine_readable"),
    ("", "https://x.fr/page", "unknown_format"),
    ("text/csv", None, None),
])
def test_formats(fmt, url, code):
    result = formats.check_format(fmt, url)
    assert [f["code"] for f in result["findings"]] == ([code] if code
                                                        else [])


def test_encoding_reports_lines_once_each():
    data = "a,b\nok,été\n".encode("utf-8") + "x,é\ny,à\n".encode("cp1252")
    check = EncodingCheck()
    stream = check.open(io.BytesIO(data))
    try:
        text = stream.read()
    finally:
        check.close()
    assert text == "a,b\nok,été\nx,é\ny,à\n"
    result = check.result()
    assert result["findings"][0]["rows"] == [3, 4]
    assert result["encoding"] == "windows-1252"


def test_utf8_with_bom_passes():
    check = EncodingCheck()
    stream = check.open(io.BytesIO(b"\xef\xbb\xbfa,b\n1,2\n"))
    try:
        assert stream.read() == "a,b\n1,2\n"
    finally:
        check.close()
    assert check.result()["status"] == "success" and check.bom


def test_fold_and_delimiter():
    assert fold("NOM_Bénéficiaire") == fold("nomBeneficiaire")
    assert choose_delimiter("a;b;c\n") == ";"
    assert choose_delimiter("a,b;c\n", ["a,b", "c"]) == ";"
    assert choose_delimiter("single\n") == ","


def test_schema_check_unique_and_types():
    schema = load_schema({"fields": [
        {"name": "id", "type": "integer", "constraints": {"unique": True}},
        {"name": "label", "type": "string",
         "constraints": {"required": True, "maxLength": 3}}]})
    check = SchemaCheck(schema)
    check.header(["id", "label"])
    for number, cells in enumerate([["1", "a"], ["1", ""], ["x", "abcd"]],
                                   2):
        check.row(number, cells)
    codes = {(f["code"], f["column"], f.get("constraint")): f["rows"]
             for f in check.result()["findings"]}
    assert codes == {("duplicate_value", "id", None): [3],
                     ("constraint", "label", "required"): [3],
                     ("type", "id", None): [4],
                     ("constraint", "label", "maxLength"): [4]}
    assert check.result()["errors"] == 4


def test_overall_status():
    assert overall([{"status": "success"}, {"status": "warning"}]) == \
        "success"
    assert overall([{"status": "error"}, {"status": "failure"}]) == "failure"
    assert overall([{"status": "error"}, {"status": "skipped"}]) == "error"
