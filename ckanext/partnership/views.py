# -*- coding: utf-8 -*-
"""Pages of ckanext-partnership: thin views over the actions."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.partnership import model as pmodel
from ckanext.partnership import publication, roles
from ckanext.partnership.logic.schema import (
    CONTACT_ROLES, END_POLICIES, PUBLICATION_MODES, STATES,
)
from ckanext.partnership.calendar import RENEWALS, TERMS

partnership = Blueprint("partnership", __name__)

_ = tk._

_INT_FIELDS = ("initial_term_months", "renewal_term_months", "max_total_months",
               "notice_months", "validation_sla_hours", "comment_sla_hours",
               "quota_records_per_dataset", "quota_records_total", "quota_storage_bytes")
# The contacts the form edits; the others (producers, committee) are kept.
FORM_CONTACT_ROLES = ("publisher", "referent", "host_referent")
_TEXT_FIELDS = ("organization", "reference", "title", "signed_on", "effective_on", "term",
                "renewal", "publication_mode", "end_policy", "state")


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _next_deadline(agreement: dict[str, Any], today: dt.date) -> tuple[str, str] | None:
    """(label, date) of the agreement's next deadline, or None."""
    cal = agreement.get("calendar") or {}
    candidates = [
        (_("notice deadline"), cal.get("notice_deadline")),
        (_("tacit renewal"), cal.get("next_renewal_on")),
        (_("end"), agreement.get("ends_on") or cal.get("final_end")),
    ]
    upcoming = [(label, d) for label, d in candidates if d and d >= today.isoformat()]
    return min(upcoming, key=lambda c: c[1]) if upcoming else None


def index():
    """All agreements, for the host's validators, with their next deadline."""
    if not roles.is_validator(_context()["user"]):
        return tk.abort(403, _("Only the host's validators manage agreements"))
    filters = {k: tk.request.args.get(k) for k in ("organization", "state")
               if tk.request.args.get(k)}
    try:
        agreements = tk.get_action("partnership_agreement_list")(_context(), filters)
    except tk.ValidationError as error:
        agreements, filters = [], {}
        tk.h.flash_error(str(error.error_summary))
    today = dt.date.today()
    for agreement in agreements:
        agreement["next_deadline"] = _next_deadline(agreement, today)
    orgs = tk.get_action("organization_list")({}, {"all_fields": True, "limit": 1000})
    return tk.render("partnership/agreement_list.html", {
        "agreements": agreements, "filters": filters, "organizations": orgs,
        "titles": {o["name"]: o["display_name"] for o in orgs},
        "states": STATES,
    })


def _form_data() -> dict[str, Any]:
    form = tk.request.form
    data: dict[str, Any] = {k: form.get(k, "").strip() for k in _TEXT_FIELDS}
    for field in _INT_FIELDS:
        value = form.get(field, "").strip()
        if value:
            data[field] = value
    data["allowed_licenses"] = form.getlist("allowed_licenses")
    contacts = []
    for role in FORM_CONTACT_ROLES:
        user = form.get(f"contact_{role}_user", "").strip()
        name = form.get(f"contact_{role}_name", "").strip()
        email = form.get(f"contact_{role}_email", "").strip()
        if user or name or email:
            contact = {"role": role}
            contact.update({k: v for k, v in (("user", user), ("name", name),
                                              ("email", email)) if v})
            contacts.append(contact)
    data["contacts"] = contacts
    return data


def _render_form(data: dict[str, Any], errors: dict[str, Any], agreement_id: str | None):
    licenses = tk.get_action("license_list")({}, {})
    orgs = tk.get_action("organization_list")({}, {"all_fields": True, "limit": 1000})
    return tk.render("partnership/agreement_form.html", {
        "data": data, "errors": errors,
        "error_summary": {k: ", ".join(str(m) for m in v) if isinstance(v, list) else str(v)
                          for k, v in errors.items()},
        "agreement_id": agreement_id, "licenses": licenses, "organizations": orgs,
        "terms": TERMS, "renewals": RENEWALS, "publication_modes": PUBLICATION_MODES,
        "end_policies": END_POLICIES, "states": STATES, "contact_roles": CONTACT_ROLES,
        "state_labels": [tk.h.partnership_agreement_state_label(s) for s in STATES],
    })


def edit(id: str | None = None):
    """Create (no id) or edit an agreement."""
    context = _context()
    if not roles.is_validator(context["user"]):
        return tk.abort(403, _("Only the host's validators manage agreements"))
    if tk.request.method == "POST":
        data = _form_data()
        try:
            if id:
                current = tk.get_action("partnership_agreement_show")(context, {"id": id})
                data["contacts"] += [
                    {k: c[k] for k in ("role", "user", "name", "email", "since") if c.get(k)}
                    for c in current.get("contacts", []) if c["role"] not in FORM_CONTACT_ROLES
                ]
                data["id"] = id
                agreement = tk.get_action("partnership_agreement_update")(context, data)
            else:
                agreement = tk.get_action("partnership_agreement_create")(context, data)
        except tk.ValidationError as error:
            return _render_form(data, error.error_dict, id)
        tk.h.flash_success(_("Agreement saved"))
        return tk.redirect_to("partnership.read", id=agreement["id"])
    data: dict[str, Any] = {}
    if id:
        try:
            data = tk.get_action("partnership_agreement_show")(context, {"id": id})
        except tk.ObjectNotFound:
            return tk.abort(404, _("Agreement not found"))
    elif tk.request.args.get("organization"):
        data["organization"] = tk.request.args["organization"]
    return _render_form(data, {}, id)


def read(id: str):
    """An agreement: read-only for the partner's members, with the forms of
    the validators."""
    context = _context()
    agreement = read_allowed(id)
    agreement["next_deadline"] = _next_deadline(agreement, dt.date.today())
    return tk.render("partnership/agreement_read.html", {
        "frequencies": tk.h.partnership_choices({"partnership_vocabulary": "frequency"}),
        "agreement": agreement,
        "organization": tk.get_action("organization_show")({}, {"id": agreement["organization"]}),
        "is_validator": roles.is_validator(context["user"]),
        "amendment_errors": {},
    })


def amendment_new(id: str):
    """Record an amendment, from the agreement's page."""
    data = {k: tk.request.form.get(k, "").strip() for k in ("reference", "signed_on", "summary")}
    return _post_action(id, "partnership_amendment_create", data, _("Amendment recorded"))


def document(id: str, document_id: str):
    """A document of an agreement, for those who read the agreement."""
    from flask import send_file

    from ckanext.partnership import model as pmodel
    from ckanext.partnership.logic.action import document_path

    agreement = read_allowed(id)
    doc = model.Session.get(pmodel.Document, document_id)
    if doc is None or doc.agreement_id != agreement["id"]:
        return tk.abort(404, _("Document not found"))
    return send_file(document_path(doc), mimetype="application/pdf",
                     download_name=doc.original_name)


def document_new(id: str):
    """Attach a PDF, from the agreement's page."""
    data = {"kind": tk.request.form.get("kind", "signed"),
            "title": tk.request.form.get("title", ""),
            "upload": tk.request.files.get("upload")}
    return _post_action(id, "partnership_document_create", data, _("Document attached"))


def _post_action(id: str, action: str, data: dict[str, Any], done: str,
                 key: str | None = "agreement_id"):
    """Run a validator's action from a form of the agreement's page (the
    agreement's id given as ``key``), then show the page again."""
    try:
        tk.get_action(action)(_context(), {key: id, **data} if key else data)
    except tk.NotAuthorized:
        return tk.abort(403, _("Only the host's validators manage agreements"))
    except tk.ObjectNotFound:
        return tk.abort(404, _("Agreement not found"))
    except tk.ValidationError as error:
        for field, messages in error.error_dict.items():
            tk.h.flash_error(f"{field}: " + ", ".join(str(m) for m in messages))
        return tk.redirect_to("partnership.read", id=id)
    tk.h.flash_success(done)
    return tk.redirect_to("partnership.read", id=id)


def planned_new(id: str):
    form = tk.request.form
    data = {k: form.get(k, "").strip() for k in ("title", "standard", "frequency", "package_id")}
    return _post_action(id, "partnership_planned_dataset_create",
                        {k: v for k, v in data.items() if v}, _("Planned dataset added"))


def terminate(id: str):
    """Terminate the agreement, from its page."""
    form = tk.request.form
    data = {k: form.get(k, "").strip() for k in ("reason", "notified_on", "effective_on")
            if form.get(k)}
    return _post_action(id, "partnership_agreement_terminate", {"id": id, **data},
                        _("Termination recorded"), key=None)


def meeting_new(id: str):
    form = tk.request.form
    data = {k: form.get(k, "").strip() for k in ("held_on", "minutes")}
    return _post_action(id, "partnership_committee_meeting_create", data,
                        _("Meeting recorded"))


def read_allowed(id: str) -> dict[str, Any]:
    """The agreement, if the person browsing reads it in full; else 403/404."""
    try:
        agreement = tk.get_action("partnership_agreement_show")(_context(), {"id": id})
    except tk.ObjectNotFound:
        tk.abort(404, _("Agreement not found"))
    if "calendar" not in agreement:
        tk.abort(403, _("Only the partner's members and the host's validators "
                        "read an agreement"))
    return agreement


def organization_agreement(id: str):
    """The partner's agreement, from its organisation's pages."""
    try:
        agreement = tk.get_action("partnership_agreement_show")(_context(), {"organization": id})
    except tk.ObjectNotFound:
        return tk.abort(404, _("This organization has no agreement"))
    return tk.redirect_to("partnership.read", id=agreement["id"])


def resource_checks(id: str, resource_id: str):
    """The report of a resource's checks: what is wrong, where, what to do."""
    context = _context()
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
        tk.get_action("partnership_resource_checks_run")(_context(), {"id": resource_id})
    except tk.ObjectNotFound:
        return tk.abort(404, _("Resource not found"))
    except tk.NotAuthorized:
        return tk.abort(403, _("Only the partner's producers and publishers and the "
                               "host's validators read the checks' report"))
    tk.h.flash_success(_("The resource will be checked again in a moment."))
    return tk.redirect_to("partnership.resource_checks", id=id, resource_id=resource_id)


# -- publication -------------------------------------------------------------

def _flash_errors(error: tk.ValidationError) -> None:
    for messages in error.error_dict.values():
        for message in messages if isinstance(messages, list) else [messages]:
            tk.h.flash_error(str(message))


def queue():
    """The validators' queue: pending requests, oldest deadline first, and
    the published datasets that now fail a check."""
    context = _context()
    organization = tk.request.args.get("organization") or None
    try:
        requests = tk.get_action("partnership_queue_list")(
            context, {"organization": organization} if organization else {})
        flagged = tk.get_action("partnership_flagged_list")(context, {})
    except tk.NotAuthorized:
        return tk.abort(403, _("Only the host's validators decide publication requests"))
    except tk.ValidationError:
        return tk.abort(404, _("Organization not found"))
    return tk.render("partnership/queue.html", {
        "requests": requests, "flagged": flagged,
        "reasons": publication.REASONS})


def decide(request_id: str):
    """Approve or refuse a request, from the queue."""
    form = tk.request.form
    data = {"id": request_id, "decision": form.get("decision"),
            "reasons": form.getlist("reasons"), "message": form.get("message", "")}
    try:
        done = tk.get_action("partnership_publication_decide")(_context(), data)
    except tk.NotAuthorized:
        return tk.abort(403, _("Only the host's validators decide publication requests"))
    except tk.ObjectNotFound:
        return tk.abort(404, _("Publication request not found"))
    except tk.ValidationError as error:
        _flash_errors(error)
        return tk.redirect_to("partnership.queue")
    if done["status"] == publication.APPROVED:
        tk.h.flash_success(_("«{title}» is published.").format(title=done["package_title"]))
    else:
        tk.h.flash_success(_("«{title}» is refused; the publisher is told why.").format(
            title=done["package_title"]))
    return tk.redirect_to("partnership.queue")


def dataset_publication(id: str):
    """A dataset's publication: its checks now, its requests, and what the
    person browsing may do (submit, cancel, withdraw, unpublish)."""
    context = _context()
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
    agreement = pmodel.agreement_in_force(org_id)
    return tk.render("partnership/dataset_publication.html", {
        "pkg_dict": dataset, "package": dataset, "requests": requests, "checks": checks,
        "agreement": agreement, "may_publish": roles.may_publish(user, org_id),
        "is_validator": roles.is_validator(user),
        "pending": next((r for r in requests if r["status"] == publication.PENDING), None),
        "reasons": publication.REASONS})


def _dataset_post(id: str, action: str, data: dict[str, Any], done: str):
    try:
        tk.get_action(action)(_context(), data)
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error) or _("Not authorized"))
    except tk.ObjectNotFound:
        return tk.abort(404, _("Dataset not found"))
    except tk.ValidationError as error:
        _flash_errors(error)
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
        stats = tk.get_action("partnership_publication_stats")(_context(), args)
    except tk.ValidationError as error:
        _flash_errors(error)
        args = {}
        stats = tk.get_action("partnership_publication_stats")(_context(), {})
    return tk.render("partnership/publication_stats.html", {
        "stats": stats, "args": args, "reasons": publication.REASONS})


# -- comments and contact messages ------------------------------------------

def comment_new(id: str):
    """Comment on a dataset, or reply in one of its threads."""
    form = tk.request.form
    data = {"package_id": id, "body": form.get("body", "")}
    if form.get("reply_to"):
        data["reply_to"] = form["reply_to"]
    try:
        tk.get_action("partnership_comment_create")(_context(), data)
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error) or _("Log in to comment"))
    except tk.ObjectNotFound:
        return tk.abort(404, _("Dataset not found"))
    except tk.ValidationError as error:
        _flash_errors(error)
    else:
        tk.h.flash_success(_("Your message is published."))
    return tk.redirect_to(tk.url_for("dataset.read", id=id) + "#comments")


def thread_close(thread_id: str):
    """A validator closes a thread, or hides it as abuse."""
    form = tk.request.form
    try:
        thread = tk.get_action("partnership_comment_close")(
            _context(), {"id": thread_id, "reason": form.get("reason", ""),
                         "note": form.get("note", "")})
    except tk.NotAuthorized:
        return tk.abort(403, _("Only the host's validators moderate comments"))
    except tk.ObjectNotFound:
        return tk.abort(404, _("Thread not found"))
    except tk.ValidationError as error:
        _flash_errors(error)
        return tk.redirect_to(form.get("came_from") or tk.url_for("partnership.threads"))
    tk.h.flash_success(_("Discussion closed."))
    if thread.get("package_name"):
        return tk.redirect_to(tk.url_for("dataset.read", id=thread["package_name"]) + "#comments")
    return tk.redirect_to("partnership.threads")


def thread_answered(thread_id: str):
    """A member of the partner marks a contact message answered."""
    try:
        tk.get_action("partnership_contact_answered")(_context(), {"id": thread_id})
    except tk.NotAuthorized:
        return tk.abort(403, _("Only the partner's members mark its messages answered"))
    except tk.ObjectNotFound:
        return tk.abort(404, _("Thread not found"))
    except tk.ValidationError as error:
        _flash_errors(error)
    else:
        tk.h.flash_success(_("Marked answered."))
    return tk.redirect_to("partnership.threads")


def threads():
    """The discussions to answer, oldest deadline first: a partner's
    members see their organisation's, validators every partner's."""
    context = _context()
    if not context["user"]:
        return tk.redirect_to(tk.url_for("user.login", came_from=tk.request.path))
    state = tk.request.args.get("state") or "open"
    try:
        listed = tk.get_action("partnership_thread_list")(context, {"state": state})
    except tk.ValidationError as error:
        _flash_errors(error)
        state, listed = "open", tk.get_action("partnership_thread_list")(context, {})
    return tk.render("partnership/threads.html", {
        "threads": listed, "state": state,
        "is_validator": roles.is_validator(context["user"])})


def contact(id: str, kind: str):
    """The contact form of a partner (``kind`` organization) or of one of
    its datasets (``kind`` dataset)."""
    context = _context()
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
        stats = tk.get_action("partnership_response_stats")(_context(), args)
    except tk.ValidationError as error:
        _flash_errors(error)
        args = {}
        stats = tk.get_action("partnership_response_stats")(_context(), {})
    return tk.render("partnership/response_stats.html", {"stats": stats, "args": args})


partnership.add_url_rule("/dataset/<id>/comments", view_func=comment_new, methods=["POST"])
partnership.add_url_rule("/dataset/<id>/contact", view_func=contact, methods=["GET", "POST"],
                         endpoint="dataset_contact", defaults={"kind": "dataset"})
partnership.add_url_rule("/organization/contact/<id>", view_func=contact,
                         methods=["GET", "POST"], endpoint="organization_contact",
                         defaults={"kind": "organization"})
partnership.add_url_rule("/partnership/threads", view_func=threads)
partnership.add_url_rule("/partnership/threads/<thread_id>/close", view_func=thread_close,
                         methods=["POST"])
partnership.add_url_rule("/partnership/threads/<thread_id>/answered",
                         view_func=thread_answered, methods=["POST"])
partnership.add_url_rule("/partnership/response-stats", view_func=response_stats)
partnership.add_url_rule("/partnership/queue", view_func=queue)
partnership.add_url_rule("/partnership/queue/<request_id>/decide", view_func=decide,
                         methods=["POST"])
partnership.add_url_rule("/partnership/publication-stats", view_func=publication_stats)
partnership.add_url_rule("/dataset/<id>/publication", view_func=dataset_publication)
partnership.add_url_rule("/dataset/<id>/publication/submit", view_func=submit,
                         methods=["POST"])
partnership.add_url_rule("/dataset/<id>/publication/<request_id>/cancel", view_func=cancel,
                         methods=["POST"])
partnership.add_url_rule("/dataset/<id>/publication/unpublish", view_func=unpublish,
                         methods=["POST"])
partnership.add_url_rule("/dataset/<id>/resource/<resource_id>/checks",
                         view_func=resource_checks)
partnership.add_url_rule("/dataset/<id>/resource/<resource_id>/checks/run",
                         view_func=resource_checks_run, methods=["POST"])
partnership.add_url_rule("/partnership/agreements", view_func=index)
partnership.add_url_rule("/partnership/agreements/new", view_func=edit,
                         methods=["GET", "POST"], endpoint="new")
partnership.add_url_rule("/partnership/agreements/<id>", view_func=read)
partnership.add_url_rule("/partnership/agreements/<id>/edit", view_func=edit,
                         methods=["GET", "POST"])
partnership.add_url_rule("/partnership/agreements/<id>/amendments", view_func=amendment_new,
                         methods=["POST"])
partnership.add_url_rule("/partnership/agreements/<id>/documents", view_func=document_new,
                         methods=["POST"])
partnership.add_url_rule("/partnership/agreements/<id>/documents/<document_id>",
                         view_func=document)
partnership.add_url_rule("/partnership/agreements/<id>/planned", view_func=planned_new,
                         methods=["POST"])
partnership.add_url_rule("/partnership/agreements/<id>/meetings", view_func=meeting_new,
                         methods=["POST"])
partnership.add_url_rule("/partnership/agreements/<id>/terminate", view_func=terminate,
                         methods=["POST"])
partnership.add_url_rule("/organization/agreement/<id>", view_func=organization_agreement)


__all__ = ["partnership"]


