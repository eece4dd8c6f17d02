"""The data dictionary of a file (000 §10.1.2: "the field descriptions of
the files"): the columns a producer describes for a file that follows no
data standard, and the check of the file against them.

A dictionary is a list of columns ``{name, type, description, unit?}``;
``type`` is one of :data:`TYPES`, Table Schema types read as the Table
Schema specification reads them (dates ``YYYY-MM-DD``, numbers with a
decimal point). :func:`columns` is the one rule of what may be stored,
whatever the spelling (a list, its JSON text, rows left blank in a form);
:func:`table_schema` is the dictionary as a Frictionless Table Schema,
which the portal serves and :class:`DictionaryCheck` checks the file
against. Nothing here imports CKAN.
"""
from __future__ import annotations

import json
from typing import Any, Optional

from ckanext.partnership.domain import inputs

from .base import Result, status_of
from .schema import SchemaCheck, load_schema

#: The types a column may be declared with, in the order the form offers
#: them.
TYPES = ("string", "integer", "number", "boolean", "date", "datetime", "year")
#: The keys of a column; ``unit`` is optional.
KEYS = ("name", "type", "description", "unit")
REQUIRED = ("name", "type", "description")

#: The most columns a dictionary describes.
MAX_COLUMNS = 500
#: The longest name, description and unit, in characters.
LENGTHS = {"name": 200, "type": 20, "description": 2000, "unit": 50}
#: The longest JSON text a client may send for a dictionary.
MAX_TEXT = 2_000_000


class DictionaryError(ValueError):
    """A data dictionary that cannot be stored. ``code`` says why,
    ``params`` the details (``row``: the column's position, from 1;
    ``key``: which of its values), so that callers word the message in
    the user's language. No parameter repeats more than a short excerpt
    of the value:

    - ``too_large``: JSON text of ``length`` characters, over ``limit``;
    - ``json``: ``line``, ``column`` of the first syntax error;
    - ``not_list``: neither a list nor its JSON text;
    - ``too_many``: ``count``, ``limit``;
    - ``not_object``: ``row`` is not an object of columns' keys;
    - ``unknown_key``: ``row``, ``key``;
    - ``required``: ``row``, ``key`` left blank;
    - ``not_text``: ``row``, ``key`` that is not text;
    - ``text``: ``row``, ``key``, ``problem`` (``inputs.NUL`` or
      ``inputs.SURROGATE``);
    - ``too_long``: ``row``, ``key``, ``length``, ``limit``;
    - ``type``: ``row``, ``value`` (an excerpt) not among :data:`TYPES`;
    - ``duplicate``: ``row``, ``name`` (an excerpt) of an earlier column.
    """

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(code, params)


def _excerpt(text: Any, length: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise DictionaryError("too_large", length=len(value), limit=MAX_TEXT)
        try:
            value = inputs.json_value(value)
        except inputs.JsonSyntaxError as error:
            raise DictionaryError("json", line=error.line, column=error.column) from None
    if isinstance(value, dict) and value and all(
            isinstance(k, str) and k.isdigit() for k in value):
        # a form's rows keyed by their index
        value = [value[k] for k in sorted(value, key=int)]
    if not isinstance(value, list):
        raise DictionaryError("not_list")
    return value


def columns(value: Any) -> list[dict[str, str]]:
    """The columns to store for ``value`` (a list of columns, or its JSON
    text; blank text or None is no dictionary): each stripped, ``type``
    in lower case, an empty ``unit`` left out; rows left wholly blank are
    dropped. Raises :class:`DictionaryError` for anything else."""
    if _blank(value):
        return []
    rows = _as_list(value)
    kept: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for position, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            raise DictionaryError("not_object", row=position)
        unknown = [k for k in row if k not in KEYS]
        if unknown:
            raise DictionaryError("unknown_key", row=position, key=_excerpt(unknown[0]))
        if all(_blank(row.get(k)) for k in KEYS):
            continue
        column: dict[str, str] = {}
        for key in KEYS:
            item = row.get(key)
            if _blank(item):
                if key in REQUIRED:
                    raise DictionaryError("required", row=position, key=key)
                continue
            if not isinstance(item, str):
                raise DictionaryError("not_text", row=position, key=key)
            problem = inputs.text_problem(item)
            if problem:
                raise DictionaryError("text", row=position, key=key, problem=problem)
            item = item.strip()
            if len(item) > LENGTHS[key]:
                raise DictionaryError("too_long", row=position, key=key,
                                      length=len(item), limit=LENGTHS[key])
            column[key] = item
        column["type"] = column["type"].lower()
        if column["type"] not in TYPES:
            raise DictionaryError("type", row=position, value=_excerpt(column["type"]))
        if column["name"] in seen:
            raise DictionaryError("duplicate", row=position, name=_excerpt(column["name"]),
                                  first=seen[column["name"]])
        seen[column["name"]] = position
        kept.append(column)
        if len(kept) > MAX_COLUMNS:
            raise DictionaryError("too_many", count=len(kept), limit=MAX_COLUMNS)
    return kept


def stored_text(value: Any) -> str:
    """What CKAN stores for ``value``: the JSON text of :func:`columns`
    (``json.dumps``, as the resource's ``schema``), '' for none."""
    kept = columns(value)
    return json.dumps(kept) if kept else ""


def read(stored: Any) -> list[dict[str, str]]:
    """The columns of a stored dictionary (its JSON text or its list), []
    for none or for what is not one; never raises (a page, a report, the
    API read it)."""
    try:
        return columns(stored)
    except DictionaryError:
        return []


def table_schema(dictionary: list[dict[str, str]], title: Optional[str] = None,
                 description: Optional[str] = None) -> dict[str, Any]:
    """The dictionary as a Frictionless Table Schema: one field per column,
    its ``description``, and its ``unit`` as an extra property (which the
    Table Schema specification allows); empty cells are missing values."""
    fields = []
    for column in dictionary:
        field = {"name": column["name"], "type": column["type"],
                 "description": column["description"]}
        if column.get("unit"):
            field["unit"] = column["unit"]
        fields.append(field)
    descriptor: dict[str, Any] = {}
    if title:
        descriptor["title"] = title
    if description:
        descriptor["description"] = description
    descriptor["fields"] = fields
    descriptor["missingValues"] = [""]
    return descriptor


#: The findings of the schema check, as the dictionary check names them.
_CODES = {"extra_column": "undescribed_column",
          "missing_column": "missing_described_column",
          "renamed_column": "renamed_described_column",
          "type": "type"}


class DictionaryCheck(SchemaCheck):
    """The file against its data dictionary: columns of the file it does
    not describe, columns it describes that the file lacks (or spells
    otherwise), and values not of a column's declared type; every error
    counted, the first rows kept, as the schema check does. The order of
    the columns is free."""

    name = "data_dictionary"

    def __init__(self, dictionary: list[dict[str, str]]) -> None:
        super().__init__(load_schema(table_schema(dictionary)))

    def result(self) -> Result:
        result = super().result()
        findings = []
        for finding in result["findings"]:
            code = _CODES.get(finding["code"])
            if code is None:
                continue
            finding = dict(finding, code=code)
            finding.pop("required", None)
            findings.append(finding)
        errors = sum(f.get("count", 1) for f in findings if f["severity"] == "error")
        return dict(result, status=status_of(findings), findings=findings, errors=errors)
