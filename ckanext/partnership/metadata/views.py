# -*- coding: utf-8 -*-
"""The pages of the metadata profile (routes in ``ckanext.partnership.views``)."""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
from flask import Response

from ckanext.partnership.core.pages import action_context
from ckanext.partnership.metadata import dictionary

_ = tk._


def resource_table_schema(id: str, resource_id: str):
    """A file's data dictionary as a Frictionless Table Schema (000
    §10.1.2), for harvesters: ``dct:conformsTo`` of its distribution. 404
    for a resource one may not read, of another dataset, or without a
    dictionary."""
    context = action_context()
    try:
        dataset = tk.get_action("package_show")(context, {"id": id})
        resource = tk.get_action("resource_show")(context, {"id": resource_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, _("Resource not found"))
    if resource.get("package_id") != dataset["id"]:
        return tk.abort(404, _("Resource not found"))
    schema = dictionary.table_schema_of(resource)
    if schema is None:
        return tk.abort(404, _("This file has no data dictionary"))
    return Response(json.dumps(schema, ensure_ascii=False, indent=2),
                    content_type="application/json; charset=utf-8")
