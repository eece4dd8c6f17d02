# -*- coding: utf-8 -*-
"""The resource checks' actions: a file's report, a new check on demand,
and the names ckanext-validation's clients call."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict
from ckanext.partnership import resource_checks
from ckanext.partnership import model as pmodel

_ = tk._


def _checked_resource(context: Context, data_dict: DataDict, auth: str) -> model.Resource:
    resource = model.Resource.get(str(data_dict.get("id") or data_dict.get("resource_id") or ""))
    if resource is None or resource.state != "active":
        raise tk.ObjectNotFound(_("Resource not found"))
    tk.check_access(auth, context, {"id": resource.id})
    return resource


@tk.side_effect_free
def partnership_resource_checks_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Every check run on a resource and its findings: format, size,
    encoding, structure, schema (its standard), the standard's custom
    checks, personal data, row quota. Findings name columns, rows and
    counts, never the data.

    :param id: the resource's id
    :returns: ``{resource_id, package_id, status, standard, queued,
        finished, rows, delimiter, size, checks: [{check, status,
        findings}]}``; ``status`` is ``pending`` until the job has run.
    """
    resource = _checked_resource(context, data_dict, "partnership_resource_checks_show")
    row = model.Session.get(pmodel.ResourceCheck, resource.id)
    if row is None:
        raise tk.ObjectNotFound(_("This resource has not been checked"))
    return resource_checks.as_dict(row)


def partnership_resource_checks_run(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Check a resource again, now, in the background.

    :param id: the resource's id
    :returns: the checks, ``pending``
    """
    resource = _checked_resource(context, data_dict, "partnership_resource_checks_run")
    resource_checks.queue(resource.id)
    model.Session.commit()
    return resource_checks.as_dict(model.Session.get(pmodel.ResourceCheck, resource.id))


@tk.side_effect_free
def resource_validation_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """ckanext-validation's name and shape: ``{id, resource_id, status,
    report, error, created, finished}``.

    :param resource_id: the resource's id
    """
    checks = partnership_resource_checks_show(
        context, {"id": data_dict.get("resource_id") or data_dict.get("id")})
    return {"id": checks["resource_id"], "resource_id": checks["resource_id"],
            "status": checks["status"], "report": checks, "error": None,
            "created": checks["queued"], "finished": checks["finished"]}


def resource_validation_run(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """ckanext-validation's name for partnership_resource_checks_run.

    :param resource_id: the resource's id
    """
    return partnership_resource_checks_run(
        context, {"id": data_dict.get("resource_id") or data_dict.get("id")})
