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
from ckanext.partnership.logic import schema
from ckanext.partnership.logic.transaction import writing

_ = tk._


def _checked_resource(context: Context, data_dict: DataDict, auth: str,
                      keys: tuple[str, str] = ("id", "resource_id")) -> model.Resource:
    """The active resource named by the first of ``keys`` given, once
    ``auth`` allows it."""
    data = schema.validated(data_dict, schema.resource_schema(), context)
    resource = model.Resource.get(str(data.get(keys[0]) or data.get(keys[1]) or ""))
    if resource is None or resource.state != "active":
        raise tk.ObjectNotFound(_("Resource not found"))
    tk.check_access(auth, context, {"id": resource.id})
    return resource


def _report(resource: model.Resource) -> dict[str, Any]:
    row = model.Session.get(pmodel.ResourceCheck, resource.id)
    if row is None:
        raise tk.ObjectNotFound(_("This resource has not been checked"))
    return resource_checks.as_dict(row)


def _check_again(context: Context, resource: model.Resource) -> dict[str, Any]:
    with writing(context):
        resource_checks.queue(resource.id)
    return resource_checks.as_dict(model.Session.get(pmodel.ResourceCheck, resource.id))


@tk.side_effect_free
def partnership_resource_checks_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Every check run on a resource and its findings: format, size,
    encoding, structure, schema (its standard), the standard's custom
    checks, personal data, row quota. Findings name columns, rows and
    counts, never the data.

    :param id: the resource's id (or ``resource_id``)
    :type id: string

    :returns: ``{resource_id, package_id, status, standard, queued,
        finished, rows, delimiter, size, checks: [{check, status,
        findings}]}``; ``status`` is ``pending`` until the job has run.
    :rtype: dictionary
    """
    return _report(_checked_resource(context, data_dict, "partnership_resource_checks_show"))


def partnership_resource_checks_run(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Check a resource again, now, in the background.

    :param id: the resource's id (or ``resource_id``)
    :type id: string

    :returns: the checks, ``pending``, as
        ``partnership_resource_checks_show`` gives them
    :rtype: dictionary
    """
    return _check_again(context, _checked_resource(context, data_dict,
                                                   "partnership_resource_checks_run"))


@tk.side_effect_free
def resource_validation_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """ckanext-validation's name and shape for
    ``partnership_resource_checks_show``.

    :param resource_id: the resource's id (or ``id``)
    :type resource_id: string

    :returns: ``{id, resource_id, status, report, error, created,
        finished}``, ``report`` as ``partnership_resource_checks_show``
        gives it
    :rtype: dictionary
    """
    checks = _report(_checked_resource(context, data_dict, "resource_validation_show",
                                       ("resource_id", "id")))
    return {"id": checks["resource_id"], "resource_id": checks["resource_id"],
            "status": checks["status"], "report": checks, "error": None,
            "created": checks["queued"], "finished": checks["finished"]}


def resource_validation_run(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """ckanext-validation's name for ``partnership_resource_checks_run``.

    :param resource_id: the resource's id (or ``id``)
    :type resource_id: string

    :returns: the checks, ``pending``, as
        ``partnership_resource_checks_show`` gives them
    :rtype: dictionary
    """
    return _check_again(context, _checked_resource(context, data_dict, "resource_validation_run",
                                                   ("resource_id", "id")))
