# -*- coding: utf-8 -*-
"""The pages of resource checks: thin views over the actions (routes in
``ckanext.partnership.views``)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.partnership.core.pages import action_context

_ = tk._


def resource_checks(id: str, resource_id: str):
    """The report of a resource's checks: what is wrong, where, what to do."""
    context = action_context()
    try:
        dataset = tk.get_action("package_show")(context, {"id": id})
        resource = tk.get_action("resource_show")(context, {"id": resource_id})
        checks = tk.get_action("partnership_resource_checks_show")(context, {"id": resource_id})
    except tk.ObjectNotFound:
        return tk.abort(404, _("Resource not found"))
    except tk.NotAuthorized:
        return tk.abort(403, _("Only the partner's producers and publishers and the "
                               "host's validators read the checks' report"))
    if resource.get("package_id") != dataset["id"]:
        return tk.abort(404, _("Resource not found"))
    return tk.render("partnership/resource_checks.html", {
        "pkg_dict": dataset, "package": dataset, "resource": resource, "checks": checks})


def resource_checks_run(id: str, resource_id: str):
    """Check the resource again."""
    try:
        tk.get_action("partnership_resource_checks_run")(action_context(), {"id": resource_id})
    except tk.ObjectNotFound:
        return tk.abort(404, _("Resource not found"))
    except tk.NotAuthorized:
        return tk.abort(403, _("Only the partner's producers and publishers and the "
                               "host's validators read the checks' report"))
    tk.h.flash_success(_("The resource will be checked again in a moment."))
    return tk.redirect_to("partnership.resource_checks", id=id, resource_id=resource_id)
