# -*- coding: utf-8 -*-
"""Actions of ckanext-partnership, and the core actions it extends."""
from __future__ import annotations

import datetime as dt
import os
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import uploader
from ckan.types import Action, Context, DataDict

from ckanext.partnership import calendar, metadata, resource_checks, roles, workflow
from ckanext.partnership import model as pmodel
from ckanext.partnership.helpers import partnership_agreement_state_label, ui_language
from ckanext.partnership.logic import schema
from ckanext.partnership.logic.comments import (  # comments and contact messages
    partnership_comment_close, partnership_comment_create, partnership_comment_list,
    partnership_contact_answered, partnership_contact_create, partnership_response_stats,
    partnership_thread_list,
)
from ckanext.partnership.logic.publication import (  # the publication workflow's actions
    partnership_dataset_unpublish, partnership_flagged_list, partnership_publication_cancel,
    partnership_publication_checks, partnership_publication_decide,
    partnership_publication_list, partnership_publication_stats,
    partnership_publication_submit, partnership_queue_list,
)

_ = tk._

__all__ = [
    "package_create",
    "package_update",
    "bulk_update_public",
    "bulk_update_private",
    "bulk_update_delete",
    "dataset_purge",
    "partnership_metadata_check",
    "partnership_agreement_create",
    "partnership_agreement_update",
    "partnership_agreement_patch",
    "partnership_agreement_show",
    "partnership_agreement_list",
    "partnership_agreement_terminate",
    "partnership_amendment_create",
    "partnership_document_create",
    "partnership_planned_dataset_create",
    "partnership_planned_dataset_update",
    "partnership_planned_dataset_list",
    "partnership_committee_meeting_create",
    "partnership_resource_checks_show",
    "partnership_resource_checks_run",
    "resource_validation_show",
    "resource_validation_run",
    "partnership_publication_submit",
    "partnership_publication_decide",
    "partnership_publication_cancel",
    "partnership_publication_list",
    "partnership_publication_checks",
    "partnership_queue_list",
    "partnership_flagged_list",
    "partnership_publication_stats",
    "partnership_dataset_unpublish",
    "partnership_comment_create",
    "partnership_comment_list",
    "partnership_comment_close",
    "partnership_contact_create",
    "partnership_contact_answered",
    "partnership_thread_list",
    "partnership_response_stats",
    "tag_list",
    "tag_search",
    "tag_autocomplete",
    "member_list",
]


def _strip_computed(data_dict: DataDict) -> None:
    """Drop what the portal computes on output (the notices, the extras it
    mirrors for harvesters) so that a dataset read with package_show can be
    sent back as it is."""
    for key in metadata.COMPUTED_KEYS:
        data_dict.pop(key, None)
    for resource in data_dict.get("resources") or []:
        if isinstance(resource, dict):
            for key in metadata.RESOURCE_COMPUTED_KEYS:
                resource.pop(key, None)
    extras = data_dict.get("extras")
    if isinstance(extras, list):
        data_dict["extras"] = [
            e for e in extras
            if not (isinstance(e, dict) and e.get("key") in metadata.MIRRORED_EXTRAS)
        ]


def _set_publication_date(data_dict: DataDict, pkg: model.Package | None) -> None:
    """``issued`` is the portal's to set: the day the dataset first goes
    public. Whatever a client sends is replaced by the recorded date."""
    issued = pkg.extras.get("issued") if pkg else None
    private = workflow.stored_private(data_dict.get("private"), pkg.private if pkg else False)
    if not issued and not private:
        issued = dt.date.today().isoformat()
    if issued:
        data_dict["issued"] = issued
    else:
        data_dict.pop("issued", None)


@tk.chained_action
def package_create(up_func: Action, context: Context, data_dict: DataDict):
    _strip_computed(data_dict)
    workflow.default_private(data_dict)
    _set_publication_date(data_dict, None)
    return up_func(context, data_dict)


@tk.chained_action
def package_update(up_func: Action, context: Context, data_dict: DataDict):
    _strip_computed(data_dict)
    pkg = model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
    workflow.guard_move(context, data_dict, pkg)
    workflow.remember(context, pkg)  # the guard compares it with what is stored
    _set_publication_date(data_dict, pkg)
    return up_func(context, data_dict)


@tk.chained_action
def bulk_update_public(up_func: Action, context: Context, data_dict: DataDict):
    """Making datasets public in bulk publishes only complete ones."""
    errors = {}
    for dataset_id in data_dict.get("datasets") or []:
        dataset = tk.get_action("package_show")(
            {"ignore_auth": True}, {"id": dataset_id}
        )
        missing = metadata.missing_fields(dataset)
        if missing:
            errors[dataset["name"]] = [
                _("Incomplete metadata, cannot be published: {fields}").format(
                    fields=", ".join(missing)
                )
            ]
    if errors:
        raise tk.ValidationError(errors)
    result = up_func(context, data_dict)
    for dataset_id in data_dict.get("datasets") or []:
        pkg = model.Package.get(dataset_id)
        if pkg and not pkg.extras.get("issued"):
            tk.get_action("package_patch")(
                {"ignore_auth": True, "user": context.get("user")},
                {"id": pkg.id, "issued": dt.date.today().isoformat()},
            )
    return result


def _bulk_withdrawn(context: Context, data_dict: DataDict, deleted: bool) -> None:
    """The public partner datasets a bulk action makes private or deletes:
    recorded and told before CKAN's own commit, so both land together."""
    ids = [str(i) for i in data_dict.get("datasets") or []]
    org_id = data_dict.get("org_id")
    if not ids or not org_id or pmodel.agreement_in_force(org_id) is None:
        return
    for package in (model.Session.query(model.Package).filter(model.Package.id.in_(ids))
                    .filter(model.Package.owner_org == org_id)
                    .filter(model.Package.private == False)  # noqa: E712
                    .filter(model.Package.state == "active")):
        workflow.record_removal(package, org_id, context.get("user") or "", deleted=deleted)


def _bulk_withdrawing(action: str, up_func: Action, context: Context, data_dict: DataDict):
    tk.check_access(action, context, data_dict)
    try:
        _bulk_withdrawn(context, data_dict, deleted=action == "bulk_update_delete")
        return up_func(context, data_dict)
    except Exception:
        model.Session.rollback()
        raise


@tk.chained_action
def bulk_update_private(up_func: Action, context: Context, data_dict: DataDict):
    return _bulk_withdrawing("bulk_update_private", up_func, context, data_dict)


@tk.chained_action
def bulk_update_delete(up_func: Action, context: Context, data_dict: DataDict):
    return _bulk_withdrawing("bulk_update_delete", up_func, context, data_dict)


@tk.chained_action
def dataset_purge(up_func: Action, context: Context, data_dict: DataDict):
    """Purging a public partner dataset (sysadmins only): the partner is
    told, as for a deletion."""
    package = model.Package.get(str(data_dict.get("id") or ""))
    public = package is not None and workflow.visibility_of(package).public
    if public and package is not None:
        tk.check_access("dataset_purge", context, data_dict)
        workflow.mail_removed(package, True, context.get("user") or "", "other", "",
                              deleted=True)
    return up_func(context, data_dict)


# The keywords of private datasets: core lists every free tag of every
# dataset; the host's validators read them all, anyone else those of the
# datasets they may read.

def _keeps_all_tags(context: Context, data_dict: DataDict) -> bool:
    return bool(data_dict.get("vocabulary_id")) or roles.is_validator(context.get("user"))


def _tag_name(tag: Any) -> str:
    return tag["name"] if isinstance(tag, dict) else tag


def _readable(context: Context, data_dict: DataDict, tags: list[Any]) -> list[Any]:
    """The tags (names or dicts) the reader may see, in one query."""
    if _keeps_all_tags(context, data_dict):
        return tags
    readable = roles.readable_tags(context.get("user"), [_tag_name(t) for t in tags])
    return [t for t in tags if _tag_name(t) in readable]


@tk.chained_action
@tk.side_effect_free
def tag_list(up_func: Action, context: Context, data_dict: DataDict):
    return _readable(context, data_dict, up_func(context, data_dict))


@tk.chained_action
@tk.side_effect_free
def tag_search(up_func: Action, context: Context, data_dict: DataDict):
    found = up_func(context, data_dict)
    results = _readable(context, data_dict, found["results"])
    return {**found, "results": results,
            "count": found["count"] - (len(found["results"]) - len(results))}


@tk.chained_action
@tk.side_effect_free
def tag_autocomplete(up_func: Action, context: Context, data_dict: DataDict):
    return _readable(context, data_dict, up_func(context, data_dict))


@tk.chained_action
@tk.side_effect_free
def member_list(up_func: Action, context: Context, data_dict: DataDict):
    """An organisation's members: its private datasets only to whoever may
    read them (core lists every dataset's id)."""
    members = up_func(context, data_dict)
    if roles.is_validator(context.get("user")):
        return members
    ids = {m[0] for m in members if m[1] == "package"}
    packages = model.Session.query(model.Package).filter(
        model.Package.id.in_(ids)).all() if ids else []
    readable = roles.readable_package_ids(context.get("user"), packages)
    return [m for m in members if m[1] != "package" or m[0] in readable]


@tk.side_effect_free
def partnership_metadata_check(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Whether a dataset carries all the metadata the agreements require, and
    which fields it lacks. Only a complete dataset can go public.

    :param id: the id or name of the dataset
    :type id: string

    :returns: ``{"complete": bool, "missing": [{"field": name, "label":
        label}]}``, the fields in the order of the form, labels in the
        user's language
    :rtype: dictionary
    """
    tk.check_access("partnership_metadata_check", context, data_dict)
    dataset_id = tk.get_or_bust(data_dict, "id")
    dataset = tk.get_action("package_show")(
        {"user": context.get("user"), "ignore_auth": context.get("ignore_auth", False)},
        {"id": dataset_id},
    )
    missing = metadata.missing_fields(dataset)
    return {
        "complete": not missing,
        "missing": [{"field": f, "label": field_label(f)} for f in missing],
    }


def field_label(field_name: str) -> str:
    """The label of a dataset field in the user's language, from the schema."""
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema("dataset") or {}
    lang = ui_language()
    name = "tag_string" if field_name == "tags" else field_name
    for field in schema.get("dataset_fields", []):
        if field["field_name"] == name:
            label = field.get("label", name)
            if isinstance(label, dict):
                return label.get(lang) or label.get("en") or name
            return _(label)
    return field_name


# --------------------------------------------------------------------------
# Agreements
# --------------------------------------------------------------------------

_PUBLIC_FIELDS = ("id", "organization", "reference", "state", "effective_on")
_TERM_FIELDS = ("term", "initial_term_months", "renewal", "renewal_term_months",
                "max_total_months", "notice_months")


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _agreement_or_404(agreement_id: str) -> Any:
    schema.checked_text({"id": agreement_id}, schema.lookup_schema())
    agreement = model.Session.get(pmodel.Agreement, agreement_id) if agreement_id else None
    if agreement is None:
        raise tk.ObjectNotFound(_("Agreement not found"))
    return agreement


def _organization_id(name_or_id: str) -> str:
    org = model.Group.get(name_or_id)
    if org is None or not org.is_organization:
        raise tk.ValidationError({"organization": [_("Organization not found")]})
    return org.id


def _calendar_error(error: "calendar.CalendarError") -> tk.ValidationError:
    messages = {
        "term": _("Term must be indefinite or fixed"),
        "renewal": _("An indefinite agreement is not renewed; renewal must be none or tacit"),
        "initial_term_months": _("A fixed term needs its length in months"),
        "renewal_term_months": _("A tacit renewal needs its term in months"),
        "max_total_months": _("The maximum duration is shorter than the initial term"),
        "notice_months": _("Must be a whole number of months"),
        "reason": _("This way of ending does not apply to this agreement"),
        "effective_on": _("Give the date the termination takes effect, not before its notice"),
    }
    return tk.ValidationError({error.field: [messages.get(error.field, error.message)]})


def _check_in_force_unique(agreement: Any) -> None:
    if agreement.state not in calendar.IN_FORCE:
        return
    other = (
        model.Session.query(pmodel.Agreement)
        .filter(pmodel.Agreement.organization_id == agreement.organization_id)
        .filter(pmodel.Agreement.state.in_(calendar.IN_FORCE))
        .filter(pmodel.Agreement.id != agreement.id)
        .first()
    )
    if other is not None and not other.in_force():
        raise tk.ValidationError({"organization": [
            _("The agreement {reference} ended on {date}, but its end has not been applied "
              "yet: run ckan partnership notify, then record this one in force.").format(
                reference=other.reference,
                date=metadata.display_date(
                    calendar.last_day(other.terms(), dt.date.today(), other.ends_on)))
        ]})
    if other is not None:
        raise tk.ValidationError({"organization": [
            _("This organization already has an agreement in force: {reference}").format(
                reference=other.reference)
        ]})


def _save_contacts(agreement: Any, contacts: list[dict[str, Any]]) -> None:
    """Apply the list of current contacts: a contact no longer listed is
    closed (``until``), a new one is opened; history is never overwritten."""
    today = dt.date.today()
    errors: list[dict[str, Any]] = []
    wanted = []
    for contact in contacts:
        error: dict[str, list[str]] = {}
        user = model.User.get(contact["user"]) if contact.get("user") else None
        if contact.get("user") and user is None:
            error["user"] = [_("User not found")]
        if not user and not (contact.get("name") and contact.get("email")):
            error.setdefault("user", []).append(_("Give a user, or a name and an email"))
        if contact["role"] == "publisher" and user is not None and not roles.is_member(
            user.name, agreement.organization_id
        ):
            error["user"] = [_("The publisher must be a member of the organization")]
        since, until = _date(contact.get("since")), _date(contact.get("until"))
        if since and until and until < since:
            error["until"] = [_("The end is before the start")]
        errors.append(error)
        wanted.append((contact["role"], user.id if user else None,
                       contact.get("name"), contact.get("email"), since, until))
    if any(errors):
        raise tk.ValidationError({"contacts": errors})
    publishers = [w for w in wanted if w[0] == "publisher" and not w[5]]
    if len(publishers) > 1:
        raise tk.ValidationError({"contacts": [_("An agreement has one publisher")]})

    def key(role, user_id, name, email):
        return (role, user_id or "", (email or "").lower() if not user_id else "")

    open_rows = {key(c.role, c.user_id, c.name, c.email): c
                 for c in agreement.contacts if c.until is None}
    kept = set()
    for role, user_id, name, email, since, until in wanted:
        k = key(role, user_id, name, email)
        row = open_rows.get(k)
        if row is not None:
            row.name, row.email = name, email
            if until:
                row.until = until
            kept.add(k)
            continue
        agreement.contacts.append(pmodel.Contact(
            role=role, user_id=user_id, name=name, email=email,
            since=since or today, until=until,
        ))
    for k, row in open_rows.items():
        if k not in kept:
            row.until = today


def _agreement_dict(agreement: Any, context: Context, at: dt.date) -> dict[str, Any]:
    org = model.Group.get(agreement.organization_id)
    data = pmodel.as_dict(agreement)
    data.pop("organization_id")
    data["state"] = agreement.state_on()
    data["organization"] = org.name if org else None
    full = roles.is_validator(context.get("user")) or roles.is_member(
        context.get("user"), agreement.organization_id
    )
    if not full:
        return {k: data[k] for k in _PUBLIC_FIELDS}
    data["allowed_licenses"] = agreement.allowed_licenses or []
    data["calendar"] = calendar.calendar(agreement.terms(), at).as_dict()

    def contact_dict(c: Any) -> dict[str, Any]:
        user = model.User.get(c.user_id) if c.user_id else None
        return {
            "id": c.id, "role": c.role, "user": user.name if user else None,
            "name": c.name or (user.fullname if user else None),
            "email": c.email or (user.email if user else None),
            "since": c.since.isoformat(), "until": c.until.isoformat() if c.until else None,
        }

    data["contacts"] = [contact_dict(c) for c in agreement.contacts if c.until is None]
    data["contact_history"] = [contact_dict(c) for c in agreement.contacts]
    data["amendments"] = [pmodel.as_dict(a) for a in agreement.amendments]
    meetings = (model.Session.query(pmodel.CommitteeMeeting)
                .filter_by(agreement_id=agreement.id)
                .order_by(pmodel.CommitteeMeeting.held_on).all())
    data["committee_meetings"] = [pmodel.as_dict(m) for m in meetings]
    data["committee_overdue"] = data["state"] == "active" and calendar.committee_overdue(
        agreement.effective_on, [m.held_on for m in meetings], at)
    data["planned_datasets"] = _planned_dicts(_planned_rows(agreement.id), context.get("user"))
    data["documents"] = [
        _document_dict(d) for d in model.Session.query(pmodel.Document)
        .filter_by(agreement_id=agreement.id).order_by(pmodel.Document.created)
    ]
    return data


def _check_state_follows_calendar(agreement: Any, recorded: str | None) -> None:
    """An agreement whose end has come is not put in force. One recorded
    in force whose end has come is shown ``ended``; saved again as it is
    shown, or as it is recorded, it stays recorded in force until ``ckan
    partnership notify`` records its end and applies its end policy."""
    today = dt.date.today()
    terms = agreement.terms()
    if (recorded in calendar.IN_FORCE and agreement.state in ("ended", recorded)
            and calendar.state_on(recorded, terms, agreement.ends_on, today) == "ended"):
        agreement.state = recorded
        return
    if calendar.state_on(agreement.state, terms, agreement.ends_on, today) != agreement.state:
        raise tk.ValidationError({"state": [_(
            "This agreement's calendar ended on {date} (its last day in force): it cannot be "
            "{state}. Record it as ended, or first record the amendment that extends it."
        ).format(date=metadata.display_date(calendar.last_day(terms, today, agreement.ends_on)),
                 state=partnership_agreement_state_label(agreement.state))]})


def _save_agreement(context: Context, data_dict: DataDict, agreement: Any | None) -> Any:
    data, errors = tk.navl_validate(data_dict, schema.agreement_schema(), context)
    if errors:
        raise tk.ValidationError(errors)
    recorded = agreement.state if agreement is not None else None
    if agreement is None:
        agreement = pmodel.Agreement()
        model.Session.add(agreement)
    try:
        agreement.organization_id = _organization_id(data["organization"])
        for field in ("reference", "title", "term", "renewal", "publication_mode",
                      "end_policy", "state", "initial_term_months", "renewal_term_months",
                      "max_total_months", "notice_months", "validation_sla_hours",
                      "comment_sla_hours", "quota_records_per_dataset",
                      "quota_records_total", "quota_storage_bytes"):
            setattr(agreement, field, data.get(field))
        agreement.allowed_licenses = data.get("allowed_licenses") or []
        agreement.signed_on = _date(data.get("signed_on"))
        agreement.effective_on = _date(data["effective_on"])
        if agreement.signed_on and agreement.effective_on < agreement.signed_on:
            raise tk.ValidationError({"effective_on": [
                _("The agreement takes effect before it is signed")]})
        try:
            agreement.terms().check()
        except calendar.CalendarError as error:
            raise _calendar_error(error)
        _check_state_follows_calendar(agreement, recorded)
        _check_in_force_unique(agreement)
        model.Session.flush()
        if "contacts" in data:
            _save_contacts(agreement, data["contacts"])
        model.Session.commit()
    except Exception:
        model.Session.rollback()
        raise
    return agreement


def _at(data_dict: DataDict) -> dt.date:
    if data_dict.get("at"):
        try:
            return dt.date.fromisoformat(str(data_dict["at"]))
        except ValueError:
            raise tk.ValidationError({"at": [_("Not a date: use YYYY-MM-DD")]})
    return dt.date.today()


def partnership_agreement_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Record a partnership agreement with a partner organisation.

    :param organization: the partner organisation (name or id)
    :param reference: the agreement's reference
    :param effective_on: entry into force, ``YYYY-MM-DD``
    :param term: ``indefinite`` or ``fixed`` (default)
    :param initial_term_months, renewal (``none`` | ``tacit``),
        renewal_term_months, max_total_months, notice_months: the calendar
    :param publication_mode: ``validated`` (default) or ``autonomous``
    :param validation_sla_hours, comment_sla_hours: default 48, from 1 to
        8760 (a year)
    :param allowed_licenses: licence ids; quota_records_per_dataset,
        quota_records_total, quota_storage_bytes (0 to 2**63 - 1);
        end_policy (``keep`` | ``withdraw``); state (``draft`` | ``active``
        | ``terminating`` | ``ended``; not in force once its end has come)
    :param contacts: list of ``{role, user | name + email, since, until}``
    :returns: the agreement, as ``partnership_agreement_show`` gives it
    """
    tk.check_access("partnership_agreement_create", context, data_dict)
    agreement = _save_agreement(context, dict(data_dict), None)
    return _agreement_dict(agreement, context, dt.date.today())


def partnership_agreement_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Replace an agreement's fields (those not given take their defaults).
    Contacts, when given, are the current ones: a contact no longer listed is
    closed, never deleted.

    :param id: the agreement's id; other parameters as for ``_create``
    """
    tk.check_access("partnership_agreement_update", context, data_dict)
    agreement = _agreement_or_404(data_dict.get("id"))
    agreement = _save_agreement(context, dict(data_dict), agreement)
    return _agreement_dict(agreement, context, dt.date.today())


def partnership_agreement_patch(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change only the fields given.

    :param id: the agreement's id
    """
    tk.check_access("partnership_agreement_patch", context, data_dict)
    agreement = _agreement_or_404(data_dict.get("id"))
    current = _agreement_dict(agreement, {"user": context.get("user"), "ignore_auth": True},
                              dt.date.today())
    merged = {k: v for k, v in current.items()
              if k not in ("calendar", "contact_history", "amendments", "created", "modified")}
    merged["contacts"] = [
        {k: c[k] for k in ("role", "user", "name", "email", "since") if c.get(k)}
        for c in current["contacts"]
    ]
    # the recorded state, not the one shown (``ended`` once its end has come):
    # a change of terms that extends it keeps it in force
    merged["state"] = agreement.state
    merged.update(data_dict)
    return partnership_agreement_update(context, merged)


@tk.side_effect_free
def partnership_agreement_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """An agreement, by ``id``, or the current one of an ``organization``.
    Validators and the partner's members get everything, with its
    ``calendar`` for the date ``at`` (default today); anyone else the
    public facts (organization, reference, state, effective_on). ``state``
    is today's: ``ended`` once its end has come, even before ``ckan
    partnership notify`` has recorded it.

    :param id: the agreement's id
    :param organization: a partner organisation (name or id), instead of id
    :param at: ``YYYY-MM-DD``, the date of the calendar
    """
    tk.check_access("partnership_agreement_show", context, data_dict)
    data_dict = schema.checked_text(data_dict, schema.lookup_schema())
    if data_dict.get("id"):
        agreement = _agreement_or_404(data_dict["id"])
    else:
        org = model.Group.get(data_dict.get("organization") or "")
        if org is None:
            raise tk.ObjectNotFound(_("Organization not found"))
        agreement = pmodel.current_agreement(org.id)
        if agreement is None:
            raise tk.ObjectNotFound(_("This organization has no agreement"))
    return _agreement_dict(agreement, context, _at(data_dict))


@tk.side_effect_free
def partnership_agreement_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Agreements, by organisation then date of entry into force.

    :param organization: only this organisation's (name or id)
    :param state: only those in this state
    :param at: ``YYYY-MM-DD``, the date of the calendars
    """
    tk.check_access("partnership_agreement_list", context, data_dict)
    data_dict = schema.checked_text(data_dict, schema.lookup_schema())
    query = model.Session.query(pmodel.Agreement)
    if data_dict.get("organization"):
        query = query.filter(
            pmodel.Agreement.organization_id == _organization_id(data_dict["organization"]))
    state = data_dict.get("state")
    if state == "ended":  # or recorded in force, with its end come
        query = query.filter(pmodel.Agreement.state.in_(("ended", *calendar.IN_FORCE)))
    elif state:
        query = query.filter(pmodel.Agreement.state == state)
    at = _at(data_dict)
    agreements = [a for a in query.order_by(pmodel.Agreement.organization_id,
                                            pmodel.Agreement.effective_on)
                  if not state or a.state_on() == state]
    return [_agreement_dict(a, context, at) for a in agreements]


def partnership_agreement_terminate(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """End an agreement: it goes ``terminating`` until its effective date.

    :param id: the agreement's id
    :param reason: ``notice`` | ``anniversary`` | ``mutual`` | ``breach`` |
        ``convenience`` | ``force_majeure``
    :param notified_on: ``YYYY-MM-DD``
    :param effective_on: the first day it is no longer in force; required
        for mutual, breach, convenience, force_majeure; computed otherwise
    """
    tk.check_access("partnership_agreement_terminate", context, data_dict)
    data, errors = tk.navl_validate(dict(data_dict), schema.terminate_schema(), context)
    if errors:
        raise tk.ValidationError(errors)
    agreement = _agreement_or_404(data["id"])
    if agreement.state_on() not in ("active", "draft"):
        raise tk.ValidationError({"id": [_("Only an agreement in force can be terminated")]})
    try:
        ends_on = calendar.termination_effective_on(
            agreement.terms(), data["reason"], _date(data["notified_on"]),
            _date(data.get("effective_on")),
        )
    except calendar.CalendarError as error:
        raise _calendar_error(error)
    if ends_on < agreement.effective_on:
        raise tk.ValidationError({"effective_on": [_("The end is before the start")]})
    agreement.state = "terminating"
    agreement.termination_reason = data["reason"]
    agreement.termination_notified_on = _date(data["notified_on"])
    agreement.ends_on = ends_on
    model.Session.commit()
    return _agreement_dict(agreement, context, dt.date.today())


def partnership_amendment_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Record an amendment (avenant) to an agreement.

    :param agreement_id: the agreement's id
    :param reference: the amendment's reference
    :param signed_on: ``YYYY-MM-DD``
    :param summary: what it changes
    """
    tk.check_access("partnership_amendment_create", context, data_dict)
    data, errors = tk.navl_validate(dict(data_dict), schema.amendment_schema(), context)
    if errors:
        raise tk.ValidationError(errors)
    agreement = _agreement_or_404(data["agreement_id"])
    amendment = pmodel.Amendment(
        reference=data["reference"], signed_on=_date(data["signed_on"]),
        summary=data.get("summary"),
    )
    agreement.amendments.append(amendment)
    model.Session.commit()
    return pmodel.as_dict(amendment)


DOCUMENT_KINDS = ("signed", "amendment", "annex")


def partnership_document_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Attach a PDF to an agreement (multipart upload).

    :param agreement_id: the agreement's id
    :param kind: ``signed`` (the signed agreement) | ``amendment`` | ``annex``
    :param title: what the document is
    :param upload: the PDF file
    """
    tk.check_access("partnership_document_create", context, data_dict)
    agreement = _agreement_or_404(data_dict.get("agreement_id"))
    errors: dict[str, list[str]] = {}
    kind = data_dict.get("kind") or "signed"
    if kind not in DOCUMENT_KINDS:
        errors["kind"] = [_("Unknown value \"{value}\"; allowed values: {allowed}").format(
            value=kind, allowed=", ".join(DOCUMENT_KINDS))]
    title = (data_dict.get("title") or "").strip()
    if not title:
        errors["title"] = [_("Missing value")]
    upload_data = {"url": "", "upload": data_dict.get("upload")}
    original = getattr(upload_data["upload"], "filename", None) or ""
    if not original:
        errors["upload"] = [_("Attach a PDF file")]
    elif not original.lower().endswith(".pdf"):
        errors["upload"] = [_("The document must be a PDF file")]
    if errors:
        raise tk.ValidationError(errors)
    upload = uploader.get_uploader("partnership")
    try:
        upload.update_data_dict(upload_data, "url", "upload", "clear_upload")
    except tk.ValidationError:
        raise tk.ValidationError({"upload": [_("The document must be a PDF file")]})
    if not upload_data.get("url"):
        raise tk.ValidationError({"upload": [_("Attach a PDF file")]})
    document = pmodel.Document(agreement_id=agreement.id, kind=kind, title=title,
                               original_name=original, stored_name=upload_data["url"])
    try:
        model.Session.add(document)
        model.Session.flush()
        upload.upload(tk.config.get("ckanext.partnership.document_max_size"))
        model.Session.commit()
    except Exception:
        model.Session.rollback()
        raise
    return _document_dict(document)


def _document_dict(document: Any) -> dict[str, Any]:
    data = pmodel.as_dict(document)
    data.pop("stored_name")
    data["url"] = tk.url_for("partnership.document", id=document.agreement_id,
                             document_id=document.id, _external=True)
    return data


def document_path(document: Any) -> str:
    """Where the uploader stored a document's file."""
    return os.path.join(uploader.get_uploader("partnership").storage_path or "",
                        document.stored_name)


# --------------------------------------------------------------------------
# The planned-dataset annex and the steering committee
# --------------------------------------------------------------------------


def _planned_dicts(rows: list[Any], user: str | None) -> list[dict[str, Any]]:
    """Planned datasets as the API gives them. The linked dataset (its id,
    name, title) shows only to whoever may read it; the datasets are read
    in one query."""
    ids = {p.package_id for p in rows if p.package_id}
    packages = {p.id: p for p in model.Session.query(model.Package)
                .filter(model.Package.id.in_(ids))} if ids else {}
    readable = roles.readable_package_ids(user, packages.values())
    out = []
    for planned in rows:
        data = pmodel.as_dict(planned)
        pkg = packages.get(planned.package_id or "")
        # delivered: the linked dataset exists and is published
        data["delivered"] = bool(pkg and pkg.state == "active" and not pkg.private)
        if pkg is None or pkg.id not in readable:
            pkg = None
            data["package_id"] = None
        data["package_name"] = pkg.name if pkg else None
        data["package_title"] = pkg.title if pkg else None
        out.append(data)
    return out


def _planned_dict(planned: Any, user: str | None) -> dict[str, Any]:
    return _planned_dicts([planned], user)[0]


def _planned_rows(agreement_id: str) -> list[Any]:
    return (model.Session.query(pmodel.PlannedDataset).filter_by(agreement_id=agreement_id)
            .order_by(pmodel.PlannedDataset.created).all())


def partnership_planned_dataset_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Add a dataset the partner intends to publish to the agreement's annex.

    :param agreement_id: the agreement's id
    :param title: the dataset's title
    :param standard: the data standard it will follow (URL), optional
    :param frequency: its update frequency (an EU frequency URI), optional
    :param package_id: the real dataset, once it exists (id or name), optional
    """
    tk.check_access("partnership_planned_dataset_create", context, data_dict)
    data, errors = tk.navl_validate(dict(data_dict), schema.planned_dataset_schema(), context)
    if errors:
        raise tk.ValidationError(errors)
    agreement = _agreement_or_404(data["agreement_id"])
    planned = pmodel.PlannedDataset(agreement_id=agreement.id)
    return _save_planned(planned, data, context)


def partnership_planned_dataset_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a planned dataset, e.g. link it to the real dataset
    (``package_id``).

    :param id: the planned dataset's id; other parameters as for ``_create``
    """
    tk.check_access("partnership_planned_dataset_update", context, data_dict)
    schema.checked_text({"id": data_dict.get("id")}, schema.lookup_schema())
    planned = model.Session.get(pmodel.PlannedDataset, data_dict.get("id") or "")
    if planned is None:
        raise tk.ObjectNotFound(_("Planned dataset not found"))
    merged = {**pmodel.as_dict(planned), **data_dict}
    merged = {k: v for k, v in merged.items() if v is not None}
    data, errors = tk.navl_validate(merged, schema.planned_dataset_schema(), context)
    if errors:
        raise tk.ValidationError(errors)
    return _save_planned(planned, data, context)


def _save_planned(planned: Any, data: dict[str, Any], context: Context) -> dict[str, Any]:
    planned.title = data["title"]
    planned.standard = data.get("standard") or None
    planned.frequency = data.get("frequency") or None
    package_id = data.get("package_id")
    planned.package_id = model.Package.get(package_id).id if package_id else None
    try:
        model.Session.add(planned)
        model.Session.commit()
    except Exception:
        model.Session.rollback()
        raise
    return _planned_dict(planned, context.get("user"))


@tk.side_effect_free
def partnership_planned_dataset_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The annex of an agreement: what the partner promised, and whether it
    is delivered (the linked dataset is published). Public; the linked
    dataset (``package_id``, ``package_name``, ``package_title``) shows only
    to whoever may read it.

    :param agreement_id: an agreement's id
    :param organization: or a partner organisation (its current agreement)
    """
    tk.check_access("partnership_planned_dataset_list", context, data_dict)
    data_dict = schema.checked_text(data_dict, schema.lookup_schema())
    agreement_id = data_dict.get("agreement_id")
    if not agreement_id:
        agreement_id = tk.get_action("partnership_agreement_show")(
            {"ignore_auth": True}, {"organization": data_dict.get("organization") or ""})["id"]
    agreement = _agreement_or_404(agreement_id)
    return _planned_dicts(_planned_rows(agreement.id), context.get("user"))


def partnership_committee_meeting_create(context: Context,
                                         data_dict: DataDict) -> dict[str, Any]:
    """Record a meeting of the steering committee (000 art. 12).

    :param agreement_id: the agreement's id
    :param held_on: ``YYYY-MM-DD``
    :param minutes: the minutes (text)
    """
    tk.check_access("partnership_committee_meeting_create", context, data_dict)
    data, errors = tk.navl_validate(dict(data_dict), schema.committee_meeting_schema(), context)
    if errors:
        raise tk.ValidationError(errors)
    agreement = _agreement_or_404(data["agreement_id"])
    meeting = pmodel.CommitteeMeeting(agreement_id=agreement.id,
                                      held_on=_date(data["held_on"]),
                                      minutes=data.get("minutes"))
    model.Session.add(meeting)
    model.Session.commit()
    return pmodel.as_dict(meeting)


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
