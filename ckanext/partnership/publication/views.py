# -*- coding: utf-8 -*-
"""The pages of publication: thin views over the actions (routes in
``ckanext.partnership.views``)."""
from __future__ import annotations

from typing import Any, Iterable, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.partnership import model as pmodel
from ckanext.partnership.core import roles
from ckanext.partnership.core.pages import action_context, flash_errors, page_window, pager
from ckanext.partnership.domain import inputs, publication_rules

_ = tk._


#: The flagged datasets shown on the queue page (the count says how many
#: there are; ``partnership_flagged_list`` pages through them all).
FLAGGED_SHOWN = inputs.PAGE_SIZE


def queue():
    """The validators' queue: pending requests, oldest deadline first, a
    page at a time, and the published datasets that now fail a check."""
    context = action_context()
    organization = tk.request.args.get("organization") or None
    filters = {"organization": organization} if organization else {}
    page, limit, offset = page_window()
    try:
        requests = tk.get_action("partnership_queue_list")(
            context, {**filters, "limit": limit, "offset": offset})
        count = tk.get_action("partnership_queue_count")(context, filters)["count"]
        flagged = tk.get_action("partnership_flagged_list")(context, {"limit": FLAGGED_SHOWN})
        flagged_count = tk.get_action("partnership_flagged_count")(context, {})["count"]
    except tk.NotAuthorized:
        return tk.abort(403, _("Only the host's validators decide publication requests"))
    except tk.ValidationError:
        return tk.abort(404, _("Organization not found"))
    return tk.render("partnership/queue.html", {
        "requests": requests, "count": count, "page": pager(requests, count, page),
        "flagged": flagged, "flagged_count": flagged_count,
        "users": user_labels(r["submitted_by"] for r in requests),
        "reasons": publication_rules.REASONS})


def dashboard():
    """What waits for the person browsing (« Mon tableau de bord
    partenaire », the validators' own): ``partnership_dashboard_show``,
    each line linking where the work is done."""
    context = action_context()
    if not context["user"]:
        return tk.redirect_to(tk.url_for("user.login", came_from=tk.request.path))
    board = tk.get_action("partnership_dashboard_show")(context, {})
    return tk.render("partnership/dashboard.html", {"board": board})


def user_labels(names: Iterable[Optional[str]]) -> dict[str, str]:
    """``name -> display name`` of these users, in one query: what the
    templates show for each row, instead of a helper querying per row."""
    wanted = {n for n in names if n}
    if not wanted:
        return {}
    rows = model.Session.query(model.User.name, model.User.fullname).filter(
        model.User.name.in_(wanted))
    return {name: fullname or name for name, fullname in rows}


def decide(request_id: str):
    """Approve or refuse a request, from the queue."""
    form = tk.request.form
    data = {"id": request_id, "decision": form.get("decision"),
            "reasons": form.getlist("reasons"), "message": form.get("message", "")}
    try:
        done = tk.get_action("partnership_publication_decide")(action_context(), data)
    except tk.NotAuthorized:
        return tk.abort(403, _("Only the host's validators decide publication requests"))
    except tk.ObjectNotFound:
        return tk.abort(404, _("Publication request not found"))
    except tk.ValidationError as error:
        flash_errors(error)
        return tk.redirect_to("partnership.queue")
    if done["status"] == publication_rules.APPROVED:
        tk.h.flash_success(_("«{title}» is published.").format(title=done["package_title"]))
    else:
        tk.h.flash_success(_("«{title}» is refused; the publisher is told why.").format(
            title=done["package_title"]))
    return tk.redirect_to("partnership.queue")


def dataset_publication(id: str):
    """A dataset's publication: its checks now, its requests, and what the
    person browsing may do (submit, cancel, withdraw, unpublish)."""
    context = action_context()
    try:
        dataset = tk.get_action("package_show")(context, {"id": id})
        requests = tk.get_action("partnership_publication_list")(context, {"id": id})
        checks = tk.get_action("partnership_publication_checks")(context, {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, _("Dataset not found"))
    except tk.NotAuthorized:
        return tk.abort(403, _("Only the partner's producers and publishers and the "
                               "host's validators follow a dataset's publication"))
    user = context["user"]
    org_id = dataset.get("owner_org")
    people = [r["submitted_by"] for r in requests] + [r["decided_by"] for r in requests]
    agreement = pmodel.agreement_in_force(org_id)
    return tk.render("partnership/dataset_publication.html", {
        "pkg_dict": dataset, "package": dataset, "requests": requests, "checks": checks,
        "agreement": agreement, "may_publish": roles.may_publish(user, org_id),
        "is_validator": roles.is_validator(user),
        "pending": next((r for r in requests if r["status"] == publication_rules.PENDING), None),
        "users": user_labels(people), "reasons": publication_rules.REASONS})


def _dataset_post(id: str, action: str, data: dict[str, Any], done: str):
    try:
        tk.get_action(action)(action_context(), data)
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error) or _("Not authorized"))
    except tk.ObjectNotFound:
        return tk.abort(404, _("Dataset not found"))
    except tk.ValidationError as error:
        flash_errors(error)
        return tk.redirect_to("partnership.dataset_publication", id=id)
    tk.h.flash_success(done)
    return tk.redirect_to("partnership.dataset_publication", id=id)


def submit(id: str):
    return _dataset_post(id, "partnership_publication_submit", {"id": id},
                         _("Submitted for publication."))


def cancel(id: str, request_id: str):
    return _dataset_post(id, "partnership_publication_cancel", {"id": request_id},
                         _("Request cancelled."))


def unpublish(id: str):
    form = tk.request.form
    return _dataset_post(id, "partnership_dataset_unpublish",
                         {"id": id, "reason": form.get("reason", ""),
                          "message": form.get("message", "")},
                         _("The dataset is private again; the other side is told."))


def publication_stats():
    """The figures of the host's decisions, per partner and overall."""
    args = {k: tk.request.args.get(k) for k in ("since", "until") if tk.request.args.get(k)}
    try:
        stats = tk.get_action("partnership_publication_stats")(action_context(), args)
    except tk.ValidationError as error:
        flash_errors(error)
        args = {}
        stats = tk.get_action("partnership_publication_stats")(action_context(), {})
    return tk.render("partnership/publication_stats.html", {
        "stats": stats, "args": args, "reasons": publication_rules.REASONS})
