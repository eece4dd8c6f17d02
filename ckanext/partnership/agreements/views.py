# -*- coding: utf-8 -*-
"""The pages of agreements: thin views over the actions (routes in
``ckanext.partnership.views``)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any


import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.partnership.core import roles
from ckanext.partnership.core.pages import action_context, page_window, pager
from ckanext.partnership.domain import inputs
from ckanext.partnership.domain.agreement_calendar import (
    AGREEMENT_TERMS, CONTACT_ROLES, END_POLICIES, PUBLICATION_MODES, STATES,
)
from ckanext.partnership import model as pmodel
from ckanext.partnership.agreements.service import document_path, organizations
from ckanext.partnership.domain.agreement_calendar import RENEWALS, TERMS

_ = tk._


_INT_FIELDS = ("initial_term_months", "renewal_term_months", "max_total_months",
               "notice_months", "validation_sla_hours", "comment_sla_hours",
               "quota_records_per_dataset", "quota_records_total", "quota_storage_bytes",
               "quota_updates_per_day_bytes", "quota_api_calls_per_month",
               "breach_notice_days", "force_majeure_months")


# The contacts the form edits; the others (producers, committee) are kept.
FORM_CONTACT_ROLES = ("publisher", "referent", "host_referent")
# The roles the form lists each contact of (the agreement has one publisher):
# a row per current one and a blank row, ``contact_<role>_<field>`` then
# ``contact_<role>_<field>-1``, ``-2``…
FORM_MULTI_ROLES = ("referent", "host_referent")
_ROW = re.compile(r"contact_(?P<role>[a-z_]+?)_(?:user|name|email)(?:-(?P<n>[0-9]{1,3}))?")


#: How many changes of terms the amendment form offers at once.
AMENDMENT_FORM_CHANGES = 3


def term_labels() -> dict[str, str]:
    """Each of ``AGREEMENT_TERMS`` as the agreement's form names it."""
    return {
        "term": _("Duration"), "initial_term_months": _("Initial term (months)"),
        "renewal": _("Renewal"), "renewal_term_months": _("Renewal term (months)"),
        "max_total_months": _("Maximum total duration (months)"),
        "notice_months": _("Notice (months)"), "publication_mode": _("Publication"),
        "validation_sla_hours": _("Validation within (hours)"),
        "comment_sla_hours": _("Answer to comments within (hours)"),
        "allowed_licenses": _("Allowed licences"),
        "quota_records_per_dataset": _("Records per dataset (quota)"),
        "quota_records_total": _("Records in all (quota)"),
        "quota_storage_bytes": _("Stored files, bytes (quota)"),
        "quota_updates_per_day_bytes": _("Files changed in a day, bytes (quota)"),
        "quota_api_calls_per_month": _("API calls a month, all partners (quota)"),
        "end_policy": _("At the end, the partner's datasets"),
        "breach_notice_days": _("Termination for breach: days after the formal notice"),
        "force_majeure_months": _("Force majeure: months before it ends the agreement"),
    }


_TEXT_FIELDS = ("organization", "reference", "title", "signed_on", "effective_on", "term",
                "renewal", "publication_mode", "end_policy", "state")


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
    """All agreements, for the host's validators, with their next deadline,
    a page at a time."""
    context = action_context()
    if not roles.is_validator(context["user"]):
        return tk.abort(403, _("Only the host's validators manage agreements"))
    filters = {k: tk.request.args.get(k) for k in ("organization", "state")
               if tk.request.args.get(k)}
    page, limit, offset = page_window()
    try:
        count = tk.get_action("partnership_agreement_count")(context, filters)["count"]
        rows = tk.get_action("partnership_agreement_list")(
            context, {**filters, "limit": limit, "offset": offset})
    except tk.ValidationError as error:
        rows, count, filters = [], 0, {}
        tk.h.flash_error(str(error.error_summary))
    today = dt.date.today()
    for agreement in rows:
        agreement["next_deadline"] = _next_deadline(agreement, today)
    orgs = organizations()
    return tk.render("partnership/agreement_list.html", {
        "agreements": rows, "filters": filters, "organizations": orgs,
        "titles": {o["name"]: o["display_name"] for o in orgs},
        "states": STATES, "count": count, "page": pager(rows, count, page),
    })


def _form_data() -> dict[str, Any]:
    form = tk.request.form
    data: dict[str, Any] = {k: form.get(k, "").strip() for k in _TEXT_FIELDS}
    for field in _INT_FIELDS:
        value = form.get(field, "").strip()
        if value:
            data[field] = value
    data["allowed_licenses"] = form.getlist("allowed_licenses")
    rows: dict[str, set[int]] = {role: {0} for role in FORM_CONTACT_ROLES}
    for key in form:
        match = _ROW.fullmatch(key)
        if match and match["role"] in FORM_MULTI_ROLES and match["n"]:
            rows[match["role"]].add(int(match["n"]))
    contacts = []
    for role in FORM_CONTACT_ROLES:
        for n in sorted(rows[role]):
            suffix = f"-{n}" if n else ""
            values = {k: form.get(f"contact_{role}_{k}{suffix}", "").strip()
                      for k in ("user", "name", "email")}
            if any(values.values()):
                contacts.append({"role": role, **{k: v for k, v in values.items() if v}})
    data["contacts"] = contacts
    return data


def _render_form(data: dict[str, Any], errors: dict[str, Any], agreement_id: str | None):
    licenses = tk.get_action("license_list")({}, {})
    orgs = organizations()
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
    context = action_context()
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


def read(id: str, termination: dict[str, Any] | None = None):
    """An agreement: read-only for the partner's members, with the forms of
    the validators; its annex a page at a time. ``termination``: what the
    termination form shows filled in (its date computed)."""
    context = action_context()
    agreement = read_allowed(id)
    agreement["next_deadline"] = _next_deadline(agreement, dt.date.today())
    page, limit, offset = page_window()
    annex = {"agreement_id": agreement["id"]}
    planned = tk.get_action("partnership_planned_dataset_list")(
        context, {**annex, "limit": limit, "offset": offset})
    planned_count = tk.get_action("partnership_planned_dataset_count")(context, annex)["count"]
    return tk.render("partnership/agreement_read.html", {
        "frequencies": tk.h.partnership_choices({"partnership_vocabulary": "frequency"}),
        "agreement": agreement,
        "organization": tk.get_action("organization_show")(
            {}, {"id": agreement["organization"], "include_users": False}),
        "is_validator": roles.is_validator(context["user"]),
        "amendment_errors": {},
        "term_labels": term_labels(), "terms": AGREEMENT_TERMS,
        "amendment_form_changes": AMENDMENT_FORM_CHANGES,
        "term_history": tk.get_action("partnership_agreement_term_history")(
            context, {"id": agreement["id"], "limit": inputs.LIMIT[1]}),
        "termination": termination or {},
        "planned": planned, "planned_count": planned_count,
        "planned_page": pager(planned, planned_count, page),
    })


def amendment_new(id: str):
    """Record an amendment and the changes of terms it makes (each a term
    picked and its new value; empty: none), from the agreement's page."""
    form = tk.request.form
    data: dict[str, Any] = {k: form.get(k, "").strip()
                            for k in ("reference", "signed_on", "summary")}
    changes = {}
    for n in range(1, AMENDMENT_FORM_CHANGES + 1):
        term = form.get(f"change_term_{n}", "").strip()
        if term:
            changes[term] = form.get(f"change_value_{n}", "").strip() or None
    if changes:
        data["changes"] = changes
    return _post_action(id, "partnership_amendment_create", data, _("Amendment recorded"))


def document(id: str, document_id: str):
    """A document of an agreement, for those who read the agreement."""
    from flask import send_file


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


def _run_action(action: str, context: dict[str, Any], data: dict[str, Any]) -> Any:
    """A validator's action from a form of the agreement's page: its
    result, or None when its input is refused (each error flashed, with its
    field); 403 or 404 as the action says."""
    try:
        return tk.get_action(action)(context, data)
    except tk.NotAuthorized:
        return tk.abort(403, _("Only the host's validators manage agreements"))
    except tk.ObjectNotFound:
        return tk.abort(404, _("Agreement not found"))
    except tk.ValidationError as error:
        for field, messages in error.error_dict.items():
            tk.h.flash_error(f"{field}: " + ", ".join(str(m) for m in messages))
        return None


def _post_action(id: str, action: str, data: dict[str, Any], done: str,
                 key: str | None = "agreement_id"):
    """Run a validator's action from a form of the agreement's page (the
    agreement's id given as ``key``), then show the page again."""
    if _run_action(action, action_context(), {key: id, **data} if key else data) is not None:
        tk.h.flash_success(done)
    return tk.redirect_to("partnership.read", id=id)


def planned_new(id: str):
    form = tk.request.form
    data = {k: form.get(k, "").strip() for k in ("title", "standard", "frequency", "package_id")}
    return _post_action(id, "partnership_planned_dataset_create",
                        {k: v for k, v in data.items() if v}, _("Planned dataset added"))


def terminate(id: str):
    """Terminate the agreement, from its page; with ``preview``, only tell
    the date it would take effect on: the termination is computed by its
    action in a transaction rolled back, so the form and the record follow
    the same rule."""
    form = tk.request.form
    data = {k: form.get(k, "").strip() for k in ("reason", "notified_on", "effective_on")
            if form.get(k)}
    if not form.get("preview"):
        return _post_action(id, "partnership_agreement_terminate", {"id": id, **data},
                            _("Termination recorded"), key=None)
    try:
        ended = _run_action("partnership_agreement_terminate",
                            {**action_context(), "defer_commit": True}, {"id": id, **data})
    finally:
        model.Session.rollback()
    return read(id, termination={**data, "computed_on": ended and ended["ends_on"]})


def meeting_new(id: str):
    form = tk.request.form
    data = {k: form.get(k, "").strip() for k in ("held_on", "minutes")}
    return _post_action(id, "partnership_committee_meeting_create", data,
                        _("Meeting recorded"))


def read_allowed(id: str) -> dict[str, Any]:
    """The agreement, if the person browsing reads it in full; else 403/404."""
    try:
        agreement = tk.get_action("partnership_agreement_show")(action_context(), {"id": id})
    except tk.ObjectNotFound:
        tk.abort(404, _("Agreement not found"))
    if "calendar" not in agreement:
        tk.abort(403, _("Only the partner's members and the host's validators "
                        "read an agreement"))
    return agreement


def organization_agreement(id: str):
    """The partner's agreement, from its organisation's pages."""
    try:
        agreement = tk.get_action("partnership_agreement_show")(action_context(), {"organization": id})
    except tk.ObjectNotFound:
        return tk.abort(404, _("This organization has no agreement"))
    return tk.redirect_to("partnership.read", id=agreement["id"])
