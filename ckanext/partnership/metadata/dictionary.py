# -*- coding: utf-8 -*-
"""The data dictionary of a file on CKAN's side (000 §10.1.2): how the
resource field ``data_dictionary`` reaches its validator whatever the
spelling, the rows of its form, and its Table Schema for harvesters. The
rule of what is stored is ``checks.dictionary.columns``."""
from __future__ import annotations

import json
import re
from typing import Any, Optional

import ckan.plugins.toolkit as tk

from ckanext.partnership.checks import dictionary
from ckanext.partnership.core import language
from ckanext.partnership.core.language import N_

FIELD = "data_dictionary"
#: A row of the resource form: ``data_dictionary-<index>-<key>``.
_FORM_KEY = re.compile(r"^" + FIELD + r"-(\d+)-(\w+)$")


def _form_rows(resource: dict[str, Any]) -> Optional[list[dict[str, Any]]]:
    """The rows a resource form sent (its ``data_dictionary-0-name``…
    fields, removed from ``resource``), in their order; None when the form
    sent none."""
    rows: dict[int, dict[str, Any]] = {}
    for key in [k for k in resource if isinstance(k, str) and k.startswith(FIELD + "-")]:
        match = _FORM_KEY.match(key)
        value = resource.pop(key)
        if match:
            rows.setdefault(int(match.group(1)), {})[match.group(2)] = value
    return [rows[i] for i in sorted(rows)] if rows else None


def prepare(data_dict: dict[str, Any]) -> None:
    """Give each resource's dictionary to its validator as one text: the
    rows of a form gathered, a list (the API, ``package_show``'s output
    sent back) as its JSON text, which CKAN's validation would otherwise
    split into keys it refuses."""
    for resource in data_dict.get("resources") or []:
        if not isinstance(resource, dict):
            continue
        rows = _form_rows(resource)
        if rows is not None and FIELD not in resource:
            resource[FIELD] = rows
        value = resource.get(FIELD)
        if isinstance(value, (list, dict)):
            try:
                resource[FIELD] = json.dumps(value)
            except (TypeError, ValueError, RecursionError):
                resource[FIELD] = "\x00"  # refused by the validator as not storable


def form_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows the resource form shows: the stored dictionary, or what
    was typed when the form comes back with an error (never raises)."""
    value = data.get(FIELD)
    if value is None:
        value = _form_rows(dict(data))
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else []
        except (ValueError, RecursionError):
            return []
    if not isinstance(value, list):
        return []
    return [{k: row.get(k) or "" for k in dictionary.KEYS} for row in value
            if isinstance(row, dict)]


def columns_of(resource: dict[str, Any]) -> list[dict[str, str]]:
    """The stored columns of a resource dict (as ``resource_show`` gives
    it, or an ORM resource's extras)."""
    return dictionary.read(resource.get(FIELD))


def schema_url(package_id: str, resource_id: str) -> str:
    """The stable address of a file's dictionary as a Table Schema (on
    ``ckan.site_url``, as the DCAT output writes it, request or not)."""
    return "{}/dataset/{}/resource/{}/schema.json".format(
        (tk.config.get("ckan.site_url") or "").rstrip("/"), package_id, resource_id)


def table_schema_of(resource: dict[str, Any]) -> Optional[dict[str, Any]]:
    """The Table Schema of a resource's dictionary, titled after the file;
    None when it has none."""
    found = columns_of(resource)
    if not found:
        return None
    return dictionary.table_schema(found, title=resource.get("name") or None,
                                   description=resource.get("description") or None)


def type_choices() -> list[dict[str, str]]:
    """The types of the form's list, labelled in the user's language."""
    labels = {"string": N_("Text"), "integer": N_("Whole number"),
              "number": N_("Decimal number (decimal point)"), "boolean": N_("Yes / no"),
              "date": N_("Date (YYYY-MM-DD)"), "datetime": N_("Date and time (ISO 8601)"),
              "year": N_("Year")}
    return [{"value": t, "label": language.label(labels, t, t)} for t in dictionary.TYPES]
