# -*- coding: utf-8 -*-
"""The page of a dataset's open-data label: thin views over the actions
(routes in ``ckanext.partnership.views``)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.partnership.core.pages import action_context, flash_errors
from ckanext.partnership.domain import open_label

from . import texts

_ = tk._


def label(id: str):
    """The ten criteria, their status and evidence; the declaration form
    for those who may declare."""
    context = action_context()
    try:
        dataset = tk.get_action("package_show")(context, {"id": id})
        found = tk.get_action("partnership_dataset_compliance")(context, {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, _("Dataset not found"))
    except tk.NotAuthorized:
        return tk.abort(403, _("Not authorized to see this page"))
    may_declare = _may_declare(dataset["id"])
    fresh = found["freshness"]
    return tk.render("partnership/dataset_label.html", {
        "pkg_dict": dataset, "package": dataset, "compliance": found,
        "freshness_badge": texts.freshness_badge(fresh["state"], fresh["days_late"]),
        "label_badge": texts.label_badge(found["label"]["score"]),
        "may_declare": may_declare, "declarable": open_label.DECLARABLE,
        "declared_statuses": open_label.DECLARED_STATUSES})


def _may_declare(package_id: str) -> bool:
    try:
        tk.check_access("partnership_label_declare", action_context(), {"id": package_id})
    except tk.NotAuthorized:
        return False
    return True


def label_declare(id: str):
    """Record a declaration, then back to the label page."""
    data = {"id": id, "criterion": tk.request.form.get("criterion", ""),
            "status": tk.request.form.get("status", ""),
            "comment": tk.request.form.get("comment", "")}
    try:
        tk.get_action("partnership_label_declare")(action_context(), data)
    except tk.ObjectNotFound:
        return tk.abort(404, _("Dataset not found"))
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error) or _("Not authorized"))
    except tk.ValidationError as error:
        flash_errors(error)
        return tk.redirect_to("partnership.dataset_label", id=id)
    tk.h.flash_success(_("Your declaration is recorded."))
    return tk.redirect_to("partnership.dataset_label", id=id)
