# -*- coding: utf-8 -*-
"""The metadata profile's action: which required fields a dataset lacks."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict
from ckanext.partnership.domain import metadata_rules
from ckanext.partnership import metadata
from ckanext.partnership.logic import schema


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
    data = schema.validated(data_dict, schema.dataset_id_schema(), context)
    dataset = tk.get_action("package_show")(
        {"user": context.get("user"), "ignore_auth": context.get("ignore_auth", False)},
        {"id": data["id"]},
    )
    missing = metadata_rules.missing_fields(dataset)
    return {
        "complete": not missing,
        "missing": [{"field": f, "label": metadata.field_label(f)} for f in missing],
    }
