# -*- coding: utf-8 -*-
"""What the portal adds to a dataset for people and harvesters, and the
labels of the profile's fields."""
from __future__ import annotations
import copy
import functools
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.logic.schema import default_show_package_schema

from ckanext.partnership.core.language import ui_language
from ckanext.partnership.domain import metadata_rules, vocabularies

_ = tk._


def field_label(field_name: str) -> str:
    """The label of a dataset field in the user's language, from the schema."""
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema("dataset") or {}
    lang = ui_language()
    name = "tag_string" if field_name == "tags" else field_name
    for field in schema.get("dataset_fields", []):
        if field["field_name"] == name:
            label = field.get("label", name)
            if isinstance(label, dict):
                return label.get(lang) or label.get("en") or name
            return _(label)
    return field_name


@functools.cache
def _ckan_keys() -> tuple[str, ...]:
    """The keys of a dataset that plain CKAN's package_show always returns,
    None when empty: those its own show schema gives no validator
    (scheming's ``ignore_missing`` drops the empty ones of the fields our
    schema lists: author, maintainer, url...). A resource's are CKAN's own
    or metadata_rules.RESOURCE_KEYS."""
    return tuple(k for k, v in default_show_package_schema().items() if v == [])


def add_harvest_fields(pkg_dict: dict[str, Any]) -> None:
    """What harvesters and people read besides the schema's fields: every
    key plain CKAN returns (None when empty), the notices of 000 §16.3 and
    the extras data.gouv.fr's harvester reads."""
    for key in _ckan_keys():
        pkg_dict.setdefault(key, None)
    pkg_dict["source_notice"] = metadata_rules.source_notice(pkg_dict)
    pkg_dict["update_notice"] = metadata_rules.update_notice(pkg_dict)
    mirrored = metadata_rules.harvest_extras(pkg_dict)
    keys = {e["key"] for e in mirrored}
    extras = [e for e in pkg_dict.get("extras") or [] if e.get("key") not in keys]
    pkg_dict["extras"] = extras + mirrored
    for resource in pkg_dict.get("resources") or []:
        metadata_rules.with_resource_keys(resource)


def schema_with_choices(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of a scheming schema in which each field drawing its values
    from a vocabulary (``partnership_vocabulary``) lists them, with their
    French and English labels, in scheming's ``choices`` form."""
    schema = copy.deepcopy(schema)
    for group in ("dataset_fields", "resource_fields"):
        for field in schema.get(group) or []:
            name = field.get("partnership_vocabulary")
            if name in vocabularies.BY_NAME and "choices" not in field:
                field["choices"] = vocabularies.choices(vocabularies.BY_NAME[name][0])
    return schema


_RDF_TYPES = ("text/turtle", "application/rdf+xml", "application/ld+json", "text/n3")


def declare_utf8(response: Any) -> Any:
    """DCAT documents declare their charset, so that accents survive in
    every harvester."""
    mimetype = response.mimetype or ""
    if mimetype in _RDF_TYPES and "charset" not in (response.headers.get("Content-Type") or ""):
        response.headers["Content-Type"] = f"{mimetype}; charset=utf-8"
    return response
