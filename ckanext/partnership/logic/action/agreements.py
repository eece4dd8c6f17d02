# -*- coding: utf-8 -*-
"""The agreements' actions: agreements, amendments, documents, planned
datasets, steering committee meetings."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import uploader
from ckan.types import Context, DataDict

from ckanext.partnership import model as pmodel
from ckanext.partnership import agreements
from ckanext.partnership.core import roles
from ckanext.partnership.domain import agreement_calendar, metadata_rules
from ckanext.partnership.logic import schema

_ = tk._


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


def _calendar_error(error: agreement_calendar.CalendarError) -> tk.ValidationError:
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
    if agreement.state not in agreement_calendar.IN_FORCE:
        return
    other = (
        model.Session.query(pmodel.Agreement)
        .filter(pmodel.Agreement.organization_id == agreement.organization_id)
        .filter(pmodel.Agreement.state.in_(agreement_calendar.IN_FORCE))
        .filter(pmodel.Agreement.id != agreement.id)
        .first()
    )
    if other is not None and not other.in_force():
        raise tk.ValidationError({"organization": [
            _("The agreement {reference} ended on {date}, but its end has not been applied "
              "yet: run ckan partnership notify, then record this one in force.").format(
                reference=other.reference,
                date=metadata_rules.display_date(
                    agreement_calendar.last_day(other.terms(), dt.date.today(), other.ends_on)))
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
    data["calendar"] = agreement_calendar.calendar(agreement.terms(), at).as_dict()

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
    data["committee_overdue"] = data["state"] == "active" and agreement_calendar.committee_overdue(
        agreement.effective_on, [m.held_on for m in meetings], at)
    data["planned_datasets"] = _planned_dicts(_planned_rows(agreement.id), context.get("user"))
    data["documents"] = [
        agreements.document_dict(d) for d in model.Session.query(pmodel.Document)
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
    if (recorded in agreement_calendar.IN_FORCE and agreement.state in ("ended", recorded)
            and agreement_calendar.state_on(recorded, terms, agreement.ends_on, today) == "ended"):
        agreement.state = recorded
        return
    if agreement_calendar.state_on(agreement.state, terms, agreement.ends_on, today) != agreement.state:
        raise tk.ValidationError({"state": [_(
            "This agreement's calendar ended on {date} (its last day in force): it cannot be "
            "{state}. Record it as ended, or first record the amendment that extends it."
        ).format(date=metadata_rules.display_date(agreement_calendar.last_day(terms, today, agreement.ends_on)),
                 state=agreements.state_label(agreement.state))]})


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
        except agreement_calendar.CalendarError as error:
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
        query = query.filter(pmodel.Agreement.state.in_(("ended", *agreement_calendar.IN_FORCE)))
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
        ends_on = agreement_calendar.termination_effective_on(
            agreement.terms(), data["reason"], _date(data["notified_on"]),
            _date(data.get("effective_on")),
        )
    except agreement_calendar.CalendarError as error:
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
    if kind not in agreements.DOCUMENT_KINDS:
        errors["kind"] = [_("Unknown value \"{value}\"; allowed values: {allowed}").format(
            value=kind, allowed=", ".join(agreements.DOCUMENT_KINDS))]
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
    return agreements.document_dict(document)


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
