# -*- coding: utf-8 -*-
"""Actions of ckanext-partnership, and the core actions it extends."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.partnership import metadata
from ckanext.partnership.helpers import ui_language

_ = tk._

__all__ = [
    "package_create",
    "package_update",
    "bulk_update_public",
    "partnership_metadata_check",
]


def _strip_computed(data_dict: DataDict) -> None:
    """Drop what the portal computes on output (the notices, the extras it
    mirrors for harvesters) so that a dataset read with package_show can be
    sent back as it is."""
    for key in metadata.COMPUTED_KEYS:
        data_dict.pop(key, None)
    extras = data_dict.get("extras")
    if isinstance(extras, list):
        data_dict["extras"] = [
            e for e in extras
            if not (isinstance(e, dict) and e.get("key") in metadata.MIRRORED_EXTRAS)
        ]


def _set_publication_date(data_dict: DataDict, pkg: model.Package | None) -> None:
    """``issued`` is the portal's to set: the day the dataset first goes
    public. Whatever a client sends is replaced by the recorded date."""
    issued = pkg.extras.get("issued") if pkg else None
    if "private" in data_dict:
        private = tk.asbool(data_dict["private"])
    else:
        private = pkg.private if pkg else False
    if not issued and not private:
        issued = dt.date.today().isoformat()
    if issued:
        data_dict["issued"] = issued
    else:
        data_dict.pop("issued", None)


@tk.chained_action
def package_create(up_func: Action, context: Context, data_dict: DataDict):
    _strip_computed(data_dict)
    _set_publication_date(data_dict, None)
    return up_func(context, data_dict)


@tk.chained_action
def package_update(up_func: Action, context: Context, data_dict: DataDict):
    _strip_computed(data_dict)
    pkg = model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
    _set_publication_date(data_dict, pkg)
    return up_func(context, data_dict)


@tk.chained_action
def bulk_update_public(up_func: Action, context: Context, data_dict: DataDict):
    """Making datasets public in bulk publishes only complete ones."""
    errors = {}
    for dataset_id in data_dict.get("datasets") or []:
        dataset = tk.get_action("package_show")(
            {"ignore_auth": True}, {"id": dataset_id}
        )
        missing = metadata.missing_fields(dataset)
        if missing:
            errors[dataset["name"]] = [
                _("Incomplete metadata, cannot be published: {fields}").format(
                    fields=", ".join(missing)
                )
            ]
    if errors:
        raise tk.ValidationError(errors)
    result = up_func(context, data_dict)
    for dataset_id in data_dict.get("datasets") or []:
        pkg = model.Package.get(dataset_id)
        if pkg and not pkg.extras.get("issued"):
            tk.get_action("package_patch")(
                {"ignore_auth": True, "user": context.get("user")},
                {"id": pkg.id, "issued": dt.date.today().isoformat()},
            )
    return result


@tk.side_effect_free
def partnership_metadata_check(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Whether a dataset carries all the metadata the agreements require, and
    which fields it lacks. Only a complete dataset can go public.

    :param id: the id or name of the dataset
    :type id: string

    :returns: ``{"complete": bool, "missing": [{"field": name, "label":
        label}]}``, the fields in the order of the form, labels in the
        user's language
    :rtype: dictionary
    """
    tk.check_access("partnership_metadata_check", context, data_dict)
    dataset_id = tk.get_or_bust(data_dict, "id")
    dataset = tk.get_action("package_show")(
        {"user": context.get("user"), "ignore_auth": context.get("ignore_auth", False)},
        {"id": dataset_id},
    )
    missing = metadata.missing_fields(dataset)
    return {
        "complete": not missing,
        "missing": [{"field": f, "label": field_label(f)} for f in missing],
    }


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
