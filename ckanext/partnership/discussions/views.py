# -*- coding: utf-8 -*-
"""The pages of discussions: thin views over the actions (routes in
``ckanext.partnership.views``)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.partnership.core import roles
from ckanext.partnership.core.pages import action_context, flash_errors, page_window, pager

from .service import partners_with_threads

_ = tk._


def comment_new(id: str):
    """Comment on a dataset, or reply in one of its threads."""
    form = tk.request.form
    data = {"package_id": id, "body": form.get("body", "")}
    if form.get("reply_to"):
        data["reply_to"] = form["reply_to"]
    try:
        tk.get_action("partnership_comment_create")(action_context(), data)
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error) or _("Log in to comment"))
    except tk.ObjectNotFound:
        return tk.abort(404, _("Dataset not found"))
    except tk.ValidationError as error:
        flash_errors(error)
    else:
        tk.h.flash_success(_("Your message is published."))
    return tk.redirect_to(tk.url_for("dataset.read", id=id) + "#comments")


def thread_close(thread_id: str):
    """A validator closes a thread, or hides it as abuse."""
    form = tk.request.form
    try:
        thread = tk.get_action("partnership_comment_close")(
            action_context(), {"id": thread_id, "reason": form.get("reason", ""),
                         "note": form.get("note", "")})
    except tk.NotAuthorized:
        return tk.abort(403, _("Only the host's validators moderate comments"))
    except tk.ObjectNotFound:
        return tk.abort(404, _("Thread not found"))
    except tk.ValidationError as error:
        flash_errors(error)
        return tk.redirect_to(form.get("came_from") or tk.url_for("partnership.threads"))
    tk.h.flash_success(_("Discussion closed."))
    if thread.get("package_name"):
        return tk.redirect_to(tk.url_for("dataset.read", id=thread["package_name"]) + "#comments")
    return tk.redirect_to("partnership.threads")


def thread_answered(thread_id: str):
    """A member of the partner marks a contact message answered."""
    try:
        tk.get_action("partnership_contact_answered")(action_context(), {"id": thread_id})
    except tk.NotAuthorized:
        return tk.abort(403, _("Only the partner's members mark its messages answered"))
    except tk.ObjectNotFound:
        return tk.abort(404, _("Thread not found"))
    except tk.ValidationError as error:
        flash_errors(error)
    else:
        tk.h.flash_success(_("Marked answered."))
    return tk.redirect_to("partnership.threads")


def thread_reply(thread_id: str):
    """A member of the partner answers a contact message: mailed to its
    sender, the host in copy. When it cannot go, the answer stays in the
    form with the reason."""
    body = tk.request.form.get("body", "")
    try:
        tk.get_action("partnership_contact_reply")(action_context(), {"id": thread_id,
                                                                      "body": body})
    except tk.NotAuthorized:
        return tk.abort(403, _("Only the partner's members answer its messages"))
    except tk.ObjectNotFound:
        return tk.abort(404, _("Thread not found"))
    except tk.ValidationError as error:
        return threads(reply={"thread_id": thread_id, "body": body,
                              "errors": error.error_dict})
    tk.h.flash_success(_("Your answer is sent, the host in copy."))
    return tk.redirect_to(tk.url_for("partnership.threads", state="answered") +
                          f"#thread-{thread_id}")


def threads(reply: dict[str, Any] | None = None):
    """The discussions to answer, oldest deadline first, a page at a time:
    a partner's members see their organisation's, validators every
    partner's; filtered by state and partner."""
    context = action_context()
    if not context["user"]:
        return tk.redirect_to(tk.url_for("user.login", came_from=tk.request.path))
    page, limit, offset = page_window()
    filters = {"state": tk.request.args.get("state") or "open"}
    if tk.request.args.get("organization"):
        filters["organization"] = tk.request.args["organization"]
    try:
        count = tk.get_action("partnership_thread_count")(context, filters)["count"]
    except tk.ValidationError as error:
        flash_errors(error)
        filters = {"state": "open"}
        count = tk.get_action("partnership_thread_count")(context, filters)["count"]
    listed = tk.get_action("partnership_thread_list")(
        context, {**filters, "limit": limit, "offset": offset})
    return tk.render("partnership/threads.html", {
        "threads": listed, "state": filters["state"], "count": count,
        "organization": filters.get("organization") or "",
        "partners": partners_with_threads(context["user"]),
        "page": pager(listed, count, page),
        "is_validator": roles.is_validator(context["user"]),
        "reply": reply or {}})


def dataset_page_threads(pkg_dict: dict[str, Any], user: str) -> Any:
    """The threads shown on a dataset's page: a page of them (``?page=``),
    oldest first, as CKAN's pager (a list of them, with ``pager()`` and
    ``item_count``); none for a private dataset."""
    page, limit, offset = page_window()
    if pkg_dict.get("private"):
        return pager([], 0, page)
    context, key = {"user": user}, {"package_id": pkg_dict["id"]}
    count = tk.get_action("partnership_comment_count")(context, key)["count"]
    listed = tk.get_action("partnership_comment_list")(
        dict(context), {**key, "limit": limit, "offset": offset})
    return pager(listed, count, page)


def contact(id: str, kind: str):
    """The contact form of a partner (``kind`` organization) or of one of
    its datasets (``kind`` dataset)."""
    context = action_context()
    data: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    if kind == "dataset":
        try:
            target = tk.get_action("package_show")(context, {"id": id})
        except (tk.ObjectNotFound, tk.NotAuthorized):
            return tk.abort(404, _("Dataset not found"))
        org = target.get("organization") or {}
    else:
        try:
            org = target = tk.get_action("organization_show")(context, {"id": id})
        except (tk.ObjectNotFound, tk.NotAuthorized):
            return tk.abort(404, _("Organization not found"))
    if tk.request.method == "POST":
        form = tk.request.form
        data = {k: form.get(k, "") for k in ("name", "email", "subject", "body")}
        key = {"package_id": target["id"]} if kind == "dataset" else {"organization": org["id"]}
        try:
            tk.get_action("partnership_contact_create")(context, {**data, **key})
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(_("Your message is sent to {partner} and to the host. You "
                                 "will be answered by e-mail.").format(partner=org.get("title")))
            if kind == "dataset":
                return tk.redirect_to("dataset.read", id=target["name"])
            return tk.redirect_to("organization.read", id=org["name"])
    return tk.render("partnership/contact.html", {
        "kind": kind, "target": target, "org": org, "data": data, "errors": errors})


def response_stats():
    """How partners answer their users, per partner and per month."""
    args = {k: tk.request.args.get(k) for k in ("since", "until") if tk.request.args.get(k)}
    try:
        stats = tk.get_action("partnership_response_stats")(action_context(), args)
    except tk.ValidationError as error:
        flash_errors(error)
        args = {}
        stats = tk.get_action("partnership_response_stats")(action_context(), {})
    return tk.render("partnership/response_stats.html", {"stats": stats, "args": args})
