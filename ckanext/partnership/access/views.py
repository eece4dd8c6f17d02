# -*- coding: utf-8 -*-
"""The pages of restricted access: thin views over the actions (routes in
``ckanext.partnership.views``)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.partnership.core.pages import action_context, flash_errors, page_window, pager

from . import service

_ = tk._


def _dataset(id: str) -> dict[str, Any]:
    try:
        return tk.get_action("package_show")(action_context(), {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, _("Dataset not found"))


def request_form(id: str):
    """A signed-in user asks for access, with a purpose."""
    pkg = _dataset(id)
    if not tk.current_user.is_authenticated:
        return tk.redirect_to(tk.url_for("user.login", came_from=tk.request.full_path))
    data: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        data = {"package_id": pkg["id"], "purpose": tk.request.form.get("purpose", "")}
        try:
            tk.get_action("partnership_access_request_create")(action_context(), data)
        except tk.NotAuthorized as error:
            return tk.abort(403, str(error))
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(_("Your request has been sent to the partner."))
            return tk.redirect_to("dataset.read", id=pkg["name"])
    mine = tk.get_action("partnership_access_request_list")(
        action_context(), {"package_id": pkg["id"], "limit": 5})
    return tk.render("partnership/access/request.html", {
        "pkg": pkg, "pkg_dict": pkg, "data": data, "errors": errors, "mine": mine})


def _managed(id: str) -> dict[str, Any]:
    pkg = _dataset(id)
    if not service.may_manage(action_context()["user"], pkg.get("owner_org")):
        return tk.abort(403, _("Only the partner and the host's validators manage access "
                               "to a dataset"))
    return pkg


def manage(id: str):
    """The partner's page of a restricted dataset: its requests, newest
    first, with a form to decide each pending one."""
    pkg = _managed(id)
    page, limit, offset = page_window()
    rows = tk.get_action("partnership_access_request_list")(
        action_context(), {"package_id": pkg["id"], "limit": limit, "offset": offset})
    count = tk.get_action("partnership_access_request_count")(action_context(), {"package_id": pkg["id"]})["count"]
    return tk.render("partnership/access/manage.html", {
        "pkg": pkg, "pkg_dict": pkg, "requests": rows, "page": pager(rows, count, page)})


def grants(id: str):
    """The grants of a dataset; a form grants an account or an
    organisation directly."""
    pkg = _managed(id)
    errors: dict[str, Any] = {}
    data: dict[str, Any] = {}
    if tk.request.method == "POST":
        form = tk.request.form
        data = {"package_id": pkg["id"]}
        for key in ("user", "organization", "until"):
            if form.get(key):
                data[key] = form[key]
        try:
            tk.get_action("partnership_access_grant_create")(action_context(), data)
        except tk.NotAuthorized as error:
            return tk.abort(403, str(error))
        except tk.ValidationError as error:
            errors = error.error_dict
        except tk.ObjectNotFound as error:
            errors = {"user": [str(error) or _("Not found")]}
        else:
            tk.h.flash_success(_("Access granted."))
            return tk.redirect_to("partnership.access_grants", id=pkg["name"])
    page, limit, offset = page_window()
    rows = tk.get_action("partnership_access_grant_list")(
        action_context(), {"package_id": pkg["id"], "limit": limit, "offset": offset})
    count = tk.get_action("partnership_access_grant_count")(action_context(), {"package_id": pkg["id"]})["count"]
    return tk.render("partnership/access/grants.html", {
        "pkg": pkg, "pkg_dict": pkg, "grants": rows, "data": data,
        "errors": errors, "page": pager(rows, count, page)})


def downloads(id: str):
    """Who downloaded which file, newest first (000 §9.3.1)."""
    pkg = _managed(id)
    page, limit, offset = page_window()
    rows = tk.get_action("partnership_download_log")(
        action_context(), {"package_id": pkg["id"], "limit": limit, "offset": offset})
    count = tk.get_action("partnership_download_count")(action_context(), {"package_id": pkg["id"]})["count"]
    return tk.render("partnership/access/downloads.html", {
        "pkg": pkg, "pkg_dict": pkg, "downloads": rows, "page": pager(rows, count, page)})


def decide(request_id: str):
    form = tk.request.form
    data = {"id": request_id, "decision": form.get("decision", "")}
    for key in ("message", "until"):
        if form.get(key):
            data[key] = form[key]
    try:
        decided = tk.get_action("partnership_access_request_decide")(action_context(), data)
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    except tk.ObjectNotFound:
        return tk.abort(404, _("Access request not found"))
    except tk.ValidationError as error:
        flash_errors(error)
        return tk.redirect_to(form.get("came_from") or tk.url_for("partnership.dashboard"))
    tk.h.flash_success(_("Access granted.") if decided["state"] == "granted"
                       else _("Request refused."))
    return tk.redirect_to("partnership.dataset_access", id=decided["package_name"])


def revoke(grant_id: str):
    try:
        grant = tk.get_action("partnership_access_grant_revoke")(action_context(),
                                                                 {"id": grant_id})
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    except tk.ObjectNotFound:
        return tk.abort(404, _("Access grant not found"))
    except tk.ValidationError as error:
        flash_errors(error)
        return tk.redirect_to(tk.request.form.get("came_from")
                              or tk.url_for("partnership.dashboard"))
    tk.h.flash_success(_("Access withdrawn."))
    return tk.redirect_to("partnership.access_grants", id=grant["package_name"])
