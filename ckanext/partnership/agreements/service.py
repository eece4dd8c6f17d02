# -*- coding: utf-8 -*-
"""Agreements on CKAN's side: their dicts as the API gives them, their
save (contacts, calendar, one in force per partner), their documents, the
datasets of their annex. Nothing here commits: the action does."""
from __future__ import annotations

import datetime as dt
import os
from typing import Any, Optional

from sqlalchemy import case

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import uploader

from ckanext.partnership import model as pmodel
from ckanext.partnership.core import roles
from ckanext.partnership.domain import agreement_calendar, metadata_rules

from .publisher import standings

_ = tk._

DOCUMENT_KINDS = ("signed", "amendment", "annex")

#: What anyone may read of an agreement.
PUBLIC_FIELDS = ("id", "organization", "reference", "state", "effective_on")

#: The fields an agreement's save sets as given.
_SAVED_FIELDS = ("reference", "title", "term", "renewal", "publication_mode",
                 "end_policy", "state", "initial_term_months", "renewal_term_months",
                 "max_total_months", "notice_months", "validation_sla_hours",
                 "comment_sla_hours", "quota_records_per_dataset",
                 "quota_records_total", "quota_storage_bytes",
                 "quota_updates_per_day_bytes", "quota_api_calls_per_month",
                 "breach_notice_days", "force_majeure_months")


def _date(value: Any) -> Optional[dt.date]:
    """A validated ``YYYY-MM-DD`` as a date (None when not given)."""
    return dt.date.fromisoformat(value) if value else None


def document_dict(document: Any) -> dict[str, Any]:
    data = pmodel.as_dict(document)
    data.pop("stored_name")
    data["url"] = tk.url_for("partnership.document", id=document.agreement_id,
                             document_id=document.id, _external=True)
    return data


def document_path(document: Any) -> str:
    """Where the uploader stored a document's file."""
    return os.path.join(uploader.get_uploader("partnership").storage_path or "",
                        document.stored_name)


def state_label(state: str) -> str:
    """An agreement's state told to people: ``active`` → "in force"..."""
    return {
        "draft": tk._("in preparation"),
        "active": tk._("in force"),
        "terminating": tk._("ending"),
        "ended": tk._("ended"),
    }.get(state, state)


# -- reading -------------------------------------------------------------------

def agreement_or_404(agreement_id: Optional[str]) -> Any:
    agreement = model.Session.get(pmodel.Agreement, agreement_id) if agreement_id else None
    if agreement is None:
        raise tk.ObjectNotFound(_("Agreement not found"))
    return agreement


def current_agreement_or_404(organization: Optional[str]) -> Any:
    """The current agreement of an organisation (name or id)."""
    org = model.Group.get(organization or "")
    if org is None:
        raise tk.ObjectNotFound(_("Organization not found"))
    agreement = pmodel.current_agreement(org.id)
    if agreement is None:
        raise tk.ObjectNotFound(_("This organization has no agreement"))
    return agreement


def planned_or_404(planned_id: Optional[str]) -> Any:
    planned = model.Session.get(pmodel.PlannedDataset, planned_id or "")
    if planned is None:
        raise tk.ObjectNotFound(_("Planned dataset not found"))
    return planned


def _by_agreement(entity: Any, ids: list[str], *order: Any) -> dict[str, list[Any]]:
    """The rows of ``entity`` of the agreements ``ids``, in one query, by
    agreement (in the order ``order``, then their id)."""
    grouped: dict[str, list[Any]] = {i: [] for i in ids}
    if ids:
        for row in (model.Session.query(entity).filter(entity.agreement_id.in_(ids))
                    .order_by(*order, entity.id)):
            grouped[row.agreement_id].append(row)
    return grouped


#: Contacts of the same day: the publisher first, then the roles in their
#: order (``CONTACT_ROLES``).
_ROLE_RANK = case({role: rank for rank, role in enumerate(agreement_calendar.CONTACT_ROLES)},
                  value=pmodel.Contact.role, else_=len(agreement_calendar.CONTACT_ROLES))


def _contact_dict(contact: Any, users: dict[str, Any]) -> dict[str, Any]:
    contact_user = users.get(contact.user_id or "")
    return {
        "id": contact.id, "role": contact.role,
        "user": contact_user.name if contact_user else None,
        "name": contact.name or (contact_user.fullname if contact_user else None),
        "email": contact.email or (contact_user.email if contact_user else None),
        "since": contact.since.isoformat(),
        "until": contact.until.isoformat() if contact.until else None,
    }


def agreement_dicts(rows: list[Any], user: Optional[str], at: dt.date) -> list[dict[str, Any]]:
    """The agreements ``rows`` as the API gives them to ``user``: everything,
    with the calendar on ``at``, to the validators and the partner's
    members; the public facts to anyone else. A constant number of queries
    whatever the number of rows: the roles once, then one query per table
    (organisations, contacts, their users, amendments, meetings, the
    annex and its datasets, documents) for all of them."""
    org_ids = {a.organization_id for a in rows}
    names = dict(model.Session.query(model.Group.id, model.Group.name)
                 .filter(model.Group.id.in_(org_ids))) if org_ids else {}
    validator = roles.is_validator(user)
    mine = set() if validator or not rows else roles.member_organization_ids(user)
    full_ids = [a.id for a in rows if validator or a.organization_id in mine]
    full = set(full_ids)
    contacts = _by_agreement(pmodel.Contact, full_ids, pmodel.Contact.since, _ROLE_RANK)
    user_ids = {c.user_id for group in contacts.values() for c in group if c.user_id}
    users = {u.id: u for u in model.Session.query(model.User)
             .filter(model.User.id.in_(user_ids))} if user_ids else {}
    amendments = _by_agreement(pmodel.Amendment, full_ids, pmodel.Amendment.signed_on)
    changed = {a["id"]: a for a in
               amendment_dicts([a for i in full_ids for a in amendments[i]])}
    meetings = _by_agreement(pmodel.CommitteeMeeting, full_ids,
                             pmodel.CommitteeMeeting.held_on)
    documents = _by_agreement(pmodel.Document, full_ids, pmodel.Document.created)
    planned = _by_agreement(pmodel.PlannedDataset, full_ids, pmodel.PlannedDataset.created)
    annex = {p["id"]: p for p in
             planned_dicts([p for i in full_ids for p in planned[i]], user)}
    publishers = standings(full_ids, at)
    out = []
    for agreement in rows:
        data = pmodel.as_dict(agreement)
        data.pop("organization_id")
        data["state"] = agreement.state_on()
        data["organization"] = names.get(agreement.organization_id)
        if agreement.id not in full:
            out.append({k: data[k] for k in PUBLIC_FIELDS})
            continue
        data["allowed_licenses"] = agreement.allowed_licenses or []
        data["calendar"] = agreement_calendar.calendar(agreement.terms(), at).as_dict()
        history = [_contact_dict(c, users) for c in contacts[agreement.id]]
        data["contacts"] = [c for c in history if c["until"] is None]
        publisher = publishers.get(agreement.id)
        data["publisher_standing"] = (publisher.standing if publisher is not None
                                      else agreement_calendar.PUBLISHER_NONE)
        data["contact_history"] = history
        data["amendments"] = [changed[a.id] for a in amendments[agreement.id]]
        held = meetings[agreement.id]
        data["committee_meetings"] = [pmodel.as_dict(m) for m in held]
        data["committee_overdue"] = (
            data["state"] == "active" and agreement_calendar.committee_overdue(
                agreement.effective_on, [m.held_on for m in held], at))
        data["planned_datasets"] = [annex[p.id] for p in planned[agreement.id]]
        data["documents"] = [document_dict(d) for d in documents[agreement.id]]
        out.append(data)
    return out


def agreement_dict(agreement: Any, user: Optional[str], at: dt.date) -> dict[str, Any]:
    """One agreement as :func:`agreement_dicts` gives it."""
    return agreement_dicts([agreement], user, at)[0]


def patch_base(agreement: Any, user: Optional[str]) -> dict[str, Any]:
    """What an update must be given to leave the agreement as it is: its
    fields, its current contacts, its recorded state (not the one shown,
    ``ended`` once its end has come: a change of terms that extends it
    keeps it in force)."""
    current = agreement_dict(agreement, user, dt.date.today())
    merged = {k: v for k, v in current.items()
              if k not in ("calendar", "contact_history", "amendments", "created", "modified")}
    merged["contacts"] = [
        {k: c[k] for k in ("role", "user", "name", "email", "since") if c.get(k)}
        for c in current["contacts"]
    ]
    merged["state"] = agreement.state
    return merged


def agreements(organization_id: Optional[str], state: Optional[str]) -> list[Any]:
    """Agreements, by organisation then date of entry into force (then id),
    in one query; ``state`` is today's (``ended`` includes those recorded
    in force whose end has come), told from each calendar."""
    query = model.Session.query(pmodel.Agreement)
    if organization_id:
        query = query.filter(pmodel.Agreement.organization_id == organization_id)
    if state == "ended":  # or recorded in force, with its end come
        query = query.filter(pmodel.Agreement.state.in_(("ended", *agreement_calendar.IN_FORCE)))
    elif state:
        query = query.filter(pmodel.Agreement.state == state)
    return [a for a in query.order_by(pmodel.Agreement.organization_id,
                                      pmodel.Agreement.effective_on, pmodel.Agreement.id)
            if not state or a.state_on() == state]


def organizations() -> list[dict[str, str]]:
    """Every active organisation (the partners one may pick), by title, in
    one query: ``{id, name, display_name}``. Not ``organization_list``,
    which gives at most ``ckan.group_and_organization_list_all_fields_max``
    (25) with its fields."""
    rows = (model.Session.query(model.Group.id, model.Group.name, model.Group.title)
            .filter(model.Group.is_organization == True,  # noqa: E712
                    model.Group.state == "active")
            .order_by(model.Group.title, model.Group.name))
    return [{"id": i, "name": name, "display_name": title or name} for i, name, title in rows]


# -- saving --------------------------------------------------------------------

def calendar_error(error: agreement_calendar.CalendarError) -> tk.ValidationError:
    messages = {
        "term": _("Term must be indefinite or fixed"),
        "renewal": _("An indefinite agreement is not renewed; renewal must be none or tacit"),
        "initial_term_months": _("A fixed term needs its length in months"),
        "renewal_term_months": _("A tacit renewal needs its term in months"),
        "max_total_months": _("The maximum duration is shorter than the initial term"),
        "notice_months": _("Must be a whole number of months"),
        "force_majeure_months": _("Must be a whole number of months"),
        "breach_notice_days": _("Must be a whole number of days"),
        "reason": _("This way of ending does not apply to this agreement"),
        "effective_on": _("Give the date the termination takes effect, not before its notice"),
    }
    if error.earliest is not None:
        return tk.ValidationError({error.field: [_(
            "By the agreement's terms, this termination takes effect on {date} at the "
            "earliest").format(date=metadata_rules.display_date(error.earliest))]})
    return tk.ValidationError({error.field: [messages.get(error.field, error.message)]})


def check_in_force_unique(agreement: Any) -> None:
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


def save_contacts(agreement: Any, contacts: list[dict[str, Any]]) -> None:
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


def check_state_follows_calendar(agreement: Any, recorded: Optional[str]) -> None:
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
                 state=state_label(agreement.state))]})


def _terms_of(agreement: Any) -> dict[str, Any]:
    """The recorded terms of an agreement (``AGREEMENT_TERMS``)."""
    return {term: getattr(agreement, term) for term in agreement_calendar.AGREEMENT_TERMS}


def save_agreement(data: dict[str, Any], agreement: Optional[Any],
                   amendment: Optional[Any] = None) -> Any:
    """Record an agreement from validated ``data`` (``organization``: the
    organisation's id): a new one when ``agreement`` is None. Each term it
    changes is written to the terms' history, as changed by ``amendment``
    (None: a plain update)."""
    recorded = agreement.state if agreement is not None else None
    before = _terms_of(agreement) if agreement is not None else None
    if agreement is None:
        agreement = pmodel.Agreement()
        model.Session.add(agreement)
    agreement.organization_id = data["organization"]
    for field in _SAVED_FIELDS:
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
        raise calendar_error(error)
    check_state_follows_calendar(agreement, recorded)
    check_in_force_unique(agreement)
    model.Session.flush()
    if before is not None:
        stamp = pmodel.now()  # the changes of one save, at one time
        for term, old, new in agreement_calendar.term_changes(before, _terms_of(agreement)):
            model.Session.add(pmodel.TermChange(
                agreement_id=agreement.id, amendment_id=amendment.id if amendment else None,
                term=term, old_value=old, new_value=new, created=stamp))
    if "contacts" in data:
        save_contacts(agreement, data["contacts"])
    return agreement


def terminate(agreement: Any, data: dict[str, Any]) -> None:
    """Record the end of an agreement in force from validated ``data``
    (reason, notified_on, effective_on): it goes ``terminating`` on the
    date :func:`agreement_calendar.termination_effective_on` gives."""
    if agreement.state_on() not in ("active", "draft"):
        raise tk.ValidationError({"id": [_("Only an agreement in force can be terminated")]})
    try:
        ends_on = agreement_calendar.termination_effective_on(
            agreement.terms(), data["reason"], _date(data["notified_on"]),
            _date(data.get("effective_on")),
        )
    except agreement_calendar.CalendarError as error:
        raise calendar_error(error)
    if ends_on < agreement.effective_on:
        raise tk.ValidationError({"effective_on": [_("The end is before the start")]})
    agreement.state = "terminating"
    agreement.termination_reason = data["reason"]
    agreement.termination_notified_on = _date(data["notified_on"])
    agreement.ends_on = ends_on


def amended_terms(agreement: Any, user: Optional[str],
                  changes: dict[str, Any]) -> dict[str, Any]:
    """What an update is given to apply an amendment's ``changes`` (term:
    new value) and leave the rest of the agreement as it is (its contacts
    untouched)."""
    merged = patch_base(agreement, user)
    merged.pop("contacts")
    merged.update(changes)
    return merged


def add_amendment(agreement: Any, data: dict[str, Any],
                  terms: Optional[dict[str, Any]] = None) -> Any:
    """Record an amendment from validated ``data``; with ``terms`` (the
    validated input of an update, :func:`amended_terms`), apply them to
    the agreement as the amendment's changes."""
    amendment = pmodel.Amendment(
        reference=data["reference"], signed_on=_date(data["signed_on"]),
        summary=data.get("summary"),
    )
    agreement.amendments.append(amendment)
    model.Session.flush()
    if terms is not None:
        save_agreement(terms, agreement, amendment)
    return amendment


def _change_dict(change: Any) -> dict[str, Any]:
    return {"term": change.term, "old_value": change.old_value,
            "new_value": change.new_value}


def amendment_dicts(amendments: list[Any]) -> list[dict[str, Any]]:
    """Amendments as the API gives them, each with the ``changes`` it made
    (``{term, old_value, new_value}``, in the order of the terms), read in
    one query."""
    ids = [a.id for a in amendments]
    changes: dict[str, list[Any]] = {i: [] for i in ids}
    if ids:
        for change in (model.Session.query(pmodel.TermChange)
                       .filter(pmodel.TermChange.amendment_id.in_(ids))):
            changes[change.amendment_id].append(change)
    rank = {t: n for n, t in enumerate(agreement_calendar.AGREEMENT_TERMS)}
    return [{**pmodel.as_dict(a), "changes": [
        _change_dict(c) for c in sorted(changes[a.id], key=lambda c: rank.get(c.term, -1))]}
        for a in amendments]


#: The changes of one save in the order of the terms (``AGREEMENT_TERMS``).
_TERM_RANK = case({term: rank for rank, term in enumerate(agreement_calendar.AGREEMENT_TERMS)},
                  value=pmodel.TermChange.term, else_=-1)


def term_history(agreement: Any, term: Optional[str], limit: int,
                 offset: int) -> list[dict[str, Any]]:
    """The changes of an agreement's terms (of ``term`` only, when given),
    oldest first, ``limit`` of them from ``offset``: ``{id, agreement_id,
    term, old_value, new_value, created, amendment_id,
    amendment_reference}`` (the amendment null for a plain update)."""
    query = (model.Session.query(pmodel.TermChange, pmodel.Amendment.reference)
             .outerjoin(pmodel.Amendment,
                        pmodel.Amendment.id == pmodel.TermChange.amendment_id)
             .filter(pmodel.TermChange.agreement_id == agreement.id))
    if term:
        query = query.filter(pmodel.TermChange.term == term)
    rows = (query.order_by(pmodel.TermChange.created, _TERM_RANK, pmodel.TermChange.id)
            .offset(offset).limit(limit))
    return [{**pmodel.as_dict(change), "amendment_reference": reference}
            for change, reference in rows]


def add_committee_meeting(agreement: Any, data: dict[str, Any]) -> Any:
    meeting = pmodel.CommitteeMeeting(agreement_id=agreement.id,
                                      held_on=_date(data["held_on"]),
                                      minutes=data.get("minutes"))
    model.Session.add(meeting)
    return meeting


def store_document(agreement: Any, kind: str, title: str, upload_field: Any) -> Any:
    """Store the PDF ``upload_field`` (its name already checked) as a
    document of the agreement; the file is written once the row is
    flushed."""
    upload_data = {"url": "", "upload": upload_field}
    upload = uploader.get_uploader("partnership")
    try:
        upload.update_data_dict(upload_data, "url", "upload", "clear_upload")
    except tk.ValidationError:
        raise tk.ValidationError({"upload": [_("The document must be a PDF file")]})
    if not upload_data.get("url"):
        raise tk.ValidationError({"upload": [_("Attach a PDF file")]})
    document = pmodel.Document(agreement_id=agreement.id, kind=kind, title=title,
                               original_name=upload_field.filename,
                               stored_name=upload_data["url"])
    model.Session.add(document)
    model.Session.flush()
    upload.upload(tk.config.get("ckanext.partnership.document_max_size"))
    return document


# -- the annex: planned datasets -----------------------------------------------

def planned_dicts(rows: list[Any], user: Optional[str]) -> list[dict[str, Any]]:
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


def planned_dict(planned: Any, user: Optional[str]) -> dict[str, Any]:
    return planned_dicts([planned], user)[0]


def _planned_query(agreement_id: str) -> Any:
    return model.Session.query(pmodel.PlannedDataset).filter_by(agreement_id=agreement_id)


def planned_rows(agreement_id: str, limit: Optional[int] = None,
                 offset: int = 0) -> list[Any]:
    """The annex of an agreement, by date added (then id): ``limit`` rows
    (all when None) from ``offset``."""
    query = (_planned_query(agreement_id)
             .order_by(pmodel.PlannedDataset.created, pmodel.PlannedDataset.id))
    return query.offset(offset).limit(limit).all()


def planned_count(agreement_id: str) -> int:
    return _planned_query(agreement_id).count()


def save_planned(planned: Any, data: dict[str, Any]) -> Any:
    """Set a planned dataset from validated ``data``."""
    planned.title = data["title"]
    planned.standard = data.get("standard") or None
    planned.frequency = data.get("frequency") or None
    planned.due_on = _date(data.get("due_on"))
    package_id = data.get("package_id")
    planned.package_id = model.Package.get(package_id).id if package_id else None
    model.Session.add(planned)
    return planned
