"""Run every check on one file in a single pass, and sum them up.

``check_file`` is what the background job, the benchmark and the command
line (``python -m ckanext.partnership.checks``) call. It never raises on a
bad file: an unreadable, empty, binary, HTML or oversized file, a CSV the
parser gives up on, a schema that does not load, each becomes a finding.

Its work is linear in the file, and its report bounded: a header of more
than ``max_columns`` columns is one ``too_many_columns`` finding (the rows
are counted, the column-wise checks are not run), and every result keeps
at most ``base.MAX_FINDINGS`` findings per code (``base.bound``).
"""
from __future__ import annotations

import csv
import itertools
import os
from typing import Any, Collection, Optional

from . import formats
from .base import (ERROR, FAILURE, SKIPPED, SUCCESS, Check, Result,
                   bound, cut_findings)
from .custom import CustomChecks
from .dictionary import DictionaryCheck
from .encoding import EncodingCheck
from .personal import PersonalDataCheck
from .quota import check_quota
from .schema import SchemaCheck, SchemaError, load_schema
from .structure import StructureCheck

DELIMITERS = ",;\t|"
#: Bytes looked at to recognise HTML or binary content.
SNIFF = 4096
#: Default widest header the column-wise checks read (the portal's
#: ``ckanext.partnership.checks.max_columns``).
MAX_COLUMNS = 2000

csv.field_size_limit(1 << 24)


def overall(results: list[Result]) -> str:
    """The resource's ``validation_status``: ``failure`` when a check
    failed, else ``error`` when a check could not run, else ``success``
    (warnings do not fail a file)."""
    statuses = {r["status"] for r in results}
    if FAILURE in statuses:
        return FAILURE
    if ERROR in statuses:
        return ERROR
    return SUCCESS


def sniff(head: bytes) -> Optional[str]:
    """``"html"``, ``"binary"`` or None for what looks like text data."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return "html"
    if b"\x00" in head:
        return "binary"
    return None


def choose_delimiter(line: str, names: Collection[str] = ()) -> str:
    """The delimiter of a header line: the one that splits it into the
    most of the standard's column names, else the most frequent one."""
    names = frozenset(names)

    def score(candidate: str) -> tuple[int, int]:
        cells = [c.strip().strip('"') for c in line.split(candidate)]
        return (sum(c in names for c in cells), line.count(candidate))
    best = max(DELIMITERS, key=score)
    return best if line.count(best) else ","


def _skipped(name: str, reason: str) -> Result:
    return {"check": name, "status": SKIPPED, "reason": reason,
            "findings": []}


def check_file(path: str, *, descriptor: Optional[dict[str, Any]] = None,
               fmt: Optional[str] = None, url: Optional[str] = None,
               quota: Optional[int] = None, other_rows: int = 0,
               max_bytes: Optional[int] = None,
               max_columns: Optional[int] = MAX_COLUMNS,
               schema_error: Optional[str] = None,
               dictionary: Optional[list[dict[str, str]]] = None) -> dict[str, Any]:
    """Check the file at ``path``.

    :param descriptor: the Table Schema of its standard, if any.
    :param fmt: the resource's format field; ``url`` its address.
    :param quota: the agreement's records per dataset; ``other_rows`` the
        rows already counted in the dataset's other files.
    :param max_bytes: larger files are reported, not read.
    :param max_columns: a wider header is reported in one finding; the
        checks of the columns (schema, custom checks, personal data) are
        not run. None: no limit.
    :param schema_error: why the standard could not be fetched, reported
        by the schema check.
    :param dictionary: the file's data dictionary (``dictionary.columns``),
        checked when no standard applies (``descriptor`` and
        ``schema_error`` None); with a standard, the standard is checked.
    """
    size = os.path.getsize(path)
    with open(path, "rb") as binary:
        head = binary.read(SNIFF)
    kind = sniff(head)
    results: list[Result] = [formats.check_format(fmt, url, kind == "html")]
    report: dict[str, Any] = {"size": size, "results": results}

    def done() -> dict[str, Any]:
        # a bounded number of findings, then no finding repeats more than
        # a short name
        results[:] = [bound(r) for r in results]
        cut_findings(results)
        report["status"] = overall(results)
        return report

    if max_bytes is not None and size > max_bytes:
        results.append({"check": "size", "status": ERROR, "findings": [
            {"code": "too_large", "severity": "error", "size": size,
             "limit": max_bytes}]})
        return done()
    tabular = results[0]["format"] in formats.TABULAR or not results[0][
        "format"]
    if not tabular or kind == "html":
        return done()
    if kind == "binary":
        results.append({"check": "structure", "status": FAILURE,
                        "findings": [{"code": "binary", "severity":
                                      "error"}]})
        return done()

    schema = None
    if schema_error is None and descriptor is not None:
        try:
            schema = load_schema(descriptor)
        except SchemaError as error:
            schema_error = str(error)
    names = [f.name for f in schema.fields] if schema is not None else []
    described = None
    if dictionary and schema is None and schema_error is None:
        described = DictionaryCheck(dictionary)
        names = [c["name"] for c in dictionary]

    encoding = EncodingCheck()
    structure = StructureCheck()
    table: list[Check] = [structure]
    if schema is not None:
        table.append(SchemaCheck(schema))
        entries = descriptor.get("custom_checks") if descriptor else None
        if entries:
            table.append(CustomChecks(list(entries)))
    if described is not None:
        table.append(described)
    table.append(PersonalDataCheck(standard_columns=names))
    wide = False

    with open(path, "rb") as binary:
        stream = encoding.open(binary)
        try:
            first = stream.readline()
            delimiter = choose_delimiter(first, names)
            reader = csv.reader(itertools.chain([first], stream) if first
                                else iter(()), delimiter=delimiter,
                                strict=True)
            report["delimiter"] = delimiter
            number = 1
            header = None
            try:
                header = next(reader, None)
                if header is not None:
                    if max_columns is not None and len(header) > max_columns:
                        structure.too_many_columns(len(header), max_columns)
                        feeds = [structure.count_row]
                        wide = True
                    else:
                        for check in table:
                            check.header(header)
                        feeds = [c.row for c in table]
                    for number, cells in enumerate(reader, 2):
                        for feed in feeds:
                            feed(number, cells)
            except csv.Error as error:
                structure.malformed(number + 1, str(error))
        finally:
            encoding.close()
    if ((schema is not None or described is not None)
            and len(header or ()) == 1 and len(names) > 1):
        structure.delimiter_not_found()

    results.append(encoding.result())
    results.extend(check.result() if check is structure or not wide
                   else _skipped(check.name, "too_many_columns")
                   for check in table)
    if schema_error is not None:
        results.append({"check": "schema", "status": ERROR, "findings": [
            {"code": "schema_unavailable", "severity": "error",
             "reason": schema_error}]})
    elif schema is None:
        results.append(_skipped("schema", "no_standard"))
    if dictionary and described is None:
        results.append(_skipped("data_dictionary", "standard_applies"))
    results.append(check_quota(structure.rows, quota, other_rows))
    report["rows"] = structure.rows
    results.sort(key=lambda r: ORDER.index(r["check"])
                 if r["check"] in ORDER else len(ORDER))
    return done()


#: The order of the checks in reports.
ORDER = ["format", "size", "encoding", "structure", "schema",
         "custom_checks", "data_dictionary", "personal_data", "row_quota"]
