# -*- coding: utf-8 -*-
"""The agreements' actions: agreements, amendments, documents, planned
datasets, steering committee meetings. Each checks access, validates its
input with a schema of :mod:`..schema` and calls :mod:`ckanext.partnership.agreements`."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.partnership import agreements, discussions, publication
from ckanext.partnership import model as pmodel
from ckanext.partnership.domain.agreement_calendar import AGREEMENT_TERMS
from ckanext.partnership.logic import schema
from ckanext.partnership.logic.transaction import writing

_ = tk._


def _lookup(data_dict: DataDict, key: str) -> Any:
    """The id ``data_dict[key]`` names, refused first if it cannot be stored."""
    return schema.checked_text({key: data_dict.get(key)}, schema.lookup_schema())[key]


def _shown(agreement: Any, context: Context) -> dict[str, Any]:
    return agreements.agreement_dict(agreement, context.get("user"), dt.date.today())


def _agreement_changed(organization_id: str) -> None:
    """What follows a change of a partner's agreement, in its transaction:
    the answer deadlines of its open threads (its comment SLA) and the flags
    of its published datasets (its licences, its end)."""
    discussions.reschedule(organization_id)
    publication.reflag(organization_id)


def partnership_agreement_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Record a partnership agreement with a partner organisation.

    :param organization: the partner organisation (name or id)
    :type organization: string
    :param reference: the agreement's reference
    :type reference: string
    :param effective_on: entry into force, ``YYYY-MM-DD``
    :type effective_on: string
    :param title: its title (optional)
    :type title: string
    :param signed_on: the day it was signed, ``YYYY-MM-DD`` (optional)
    :type signed_on: string
    :param term: ``indefinite`` or ``fixed`` (default)
    :type term: string
    :param initial_term_months: the length of a fixed term
    :type initial_term_months: int
    :param renewal: ``none`` (default) or ``tacit``
    :type renewal: string
    :param renewal_term_months: the length of each tacit renewal
    :type renewal_term_months: int
    :param max_total_months: the longest it may last, renewals included
    :type max_total_months: int
    :param notice_months: the notice before an end
    :type notice_months: int
    :param publication_mode: ``validated`` (default) or ``autonomous``
    :type publication_mode: string
    :param validation_sla_hours: the host's deadline to decide; default 48,
        from 1 to 8760 (a year)
    :type validation_sla_hours: int
    :param comment_sla_hours: the partner's deadline to answer; as above
    :type comment_sla_hours: int
    :param allowed_licenses: licence ids (none: any)
    :type allowed_licenses: list of strings
    :param quota_records_per_dataset: at most this many rows per dataset
        (0 to 2**63 - 1)
    :type quota_records_per_dataset: int
    :param quota_records_total: at most this many rows in all
    :type quota_records_total: int
    :param quota_storage_bytes: at most this many bytes of files
    :type quota_storage_bytes: int
    :param quota_updates_per_day_bytes: at most this many bytes of files
        changed in a day
    :type quota_updates_per_day_bytes: int
    :param quota_api_calls_per_month: at most this many calls to the
        portal's API in a month, all partners together (002 §3.3)
    :type quota_api_calls_per_month: int
    :param end_policy: ``keep`` (default) or ``withdraw``: the partner's
        datasets once it has ended
    :type end_policy: string
    :param breach_notice_days: the days after a formal notice left unheeded
        when a termination for breach takes effect (000 §17.1: 30); none:
        the parties set the date
    :type breach_notice_days: int
    :param force_majeure_months: the months of force majeure after which
        the agreement ends (000 §20.1: 2); none: the parties set the date
    :type force_majeure_months: int
    :param state: ``draft`` (default) | ``active`` | ``terminating`` |
        ``ended``; not in force once its end has come
    :type state: string
    :param contacts: the current contacts: ``{role, user | name + email,
        since, until}``
    :type contacts: list of dictionaries

    :returns: the agreement, as ``partnership_agreement_show`` gives it
    :rtype: dictionary
    """
    tk.check_access("partnership_agreement_create", context, data_dict)
    data = schema.validated(data_dict, schema.agreement_schema(), context)
    with writing(context):
        agreement = agreements.save_agreement(data, None)
        _agreement_changed(agreement.organization_id)
    return _shown(agreement, context)


def partnership_agreement_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Replace an agreement's fields (those not given take their defaults).
    Contacts, when given, are the current ones: a contact no longer listed is
    closed, never deleted.

    :param id: the agreement's id
    :type id: string
    :param organization: and the other parameters of
        ``partnership_agreement_create``
    :type organization: string

    :returns: the agreement, as ``partnership_agreement_show`` gives it
    :rtype: dictionary
    """
    tk.check_access("partnership_agreement_update", context, data_dict)
    agreement = agreements.agreement_or_404(_lookup(data_dict, "id"))
    data = schema.validated(data_dict, schema.agreement_schema(), context)
    with writing(context):
        agreement = agreements.save_agreement(data, agreement)
        _agreement_changed(agreement.organization_id)
    return _shown(agreement, context)


def partnership_agreement_patch(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change only the fields given.

    :param id: the agreement's id
    :type id: string
    :param organization: and any other parameter of
        ``partnership_agreement_create``: those not given are kept
    :type organization: string

    :returns: the agreement, as ``partnership_agreement_show`` gives it
    :rtype: dictionary
    """
    tk.check_access("partnership_agreement_patch", context, data_dict)
    agreement = agreements.agreement_or_404(_lookup(data_dict, "id"))
    merged = agreements.patch_base(agreement, context.get("user"))
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
    :type id: string
    :param organization: a partner organisation (name or id), instead of id
    :type organization: string
    :param at: ``YYYY-MM-DD``, the date of the calendar (default today)
    :type at: string

    :returns: the agreement
    :rtype: dictionary
    """
    tk.check_access("partnership_agreement_show", context, data_dict)
    data = schema.validated(data_dict, schema.agreement_show_schema(), context)
    if data.get("id"):
        agreement = agreements.agreement_or_404(data["id"])
    else:
        agreement = agreements.current_agreement_or_404(data.get("organization"))
    return agreements.agreement_dict(agreement, context.get("user"),
                                     data.get("at") or dt.date.today())


@tk.side_effect_free
def partnership_agreement_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Agreements, by organisation then date of entry into force (then id).

    :param organization: only this organisation's (name or id)
    :type organization: string
    :param state: only those in this state today: ``draft``, ``active``,
        ``terminating`` or ``ended``
    :type state: string
    :param at: ``YYYY-MM-DD``, the date of the calendars (default today)
    :type at: string
    :param limit: at most this many (default 100, from 1 to 1000)
    :type limit: int
    :param offset: from this one (default 0, the first)
    :type offset: int

    :returns: the agreements, as ``partnership_agreement_show`` gives them
    :rtype: list of dictionaries
    """
    tk.check_access("partnership_agreement_list", context, data_dict)
    data = schema.validated(data_dict, schema.agreement_page_schema(), context)
    rows = agreements.agreements(data.get("organization"), data.get("state"))
    window = rows[data["offset"]:data["offset"] + data["limit"]]
    return agreements.agreement_dicts(window, context.get("user"),
                                      data.get("at") or dt.date.today())


@tk.side_effect_free
def partnership_agreement_count(context: Context, data_dict: DataDict) -> dict[str, int]:
    """How many agreements ``partnership_agreement_list`` gives with the
    same filters, over all its pages.

    :param organization: only this organisation's (name or id)
    :type organization: string
    :param state: only those in this state today (as ``_list``)
    :type state: string

    :returns: ``{"count": n}``
    :rtype: dictionary
    """
    tk.check_access("partnership_agreement_count", context, data_dict)
    data = schema.validated(data_dict, schema.agreement_list_schema(), context)
    return {"count": len(agreements.agreements(data.get("organization"), data.get("state")))}


def partnership_agreement_terminate(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """End an agreement: it goes ``terminating`` until its effective date.

    :param id: the agreement's id
    :type id: string
    :param reason: ``notice`` | ``anniversary`` | ``mutual`` | ``breach`` |
        ``convenience`` | ``force_majeure`` | ``end_of_service``
    :type reason: string
    :param notified_on: ``YYYY-MM-DD``: the notice (for breach, the formal
        notice; for force majeure, the start of the event)
    :type notified_on: string
    :param effective_on: the first day it is no longer in force; required
        for mutual, convenience, end_of_service, and breach and
        force_majeure when the agreement sets no ``breach_notice_days`` /
        ``force_majeure_months``; computed otherwise (a later date may be
        given, not an earlier one)
    :type effective_on: string

    :returns: the agreement, as ``partnership_agreement_show`` gives it
    :rtype: dictionary
    """
    tk.check_access("partnership_agreement_terminate", context, data_dict)
    data = schema.validated(data_dict, schema.terminate_schema(), context)
    agreement = agreements.agreement_or_404(data["id"])
    with writing(context):
        agreements.terminate(agreement, data)
        _agreement_changed(agreement.organization_id)
    return _shown(agreement, context)


def _as_changes(error: tk.ValidationError) -> tk.ValidationError:
    """An update's errors as an amendment's: each term at fault named
    under ``changes`` (``changes.comment_sla_hours``)."""
    return tk.ValidationError({
        f"changes.{field}" if field in AGREEMENT_TERMS else field: messages
        for field, messages in error.error_dict.items()})


def partnership_amendment_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Record an amendment (avenant) to an agreement, and apply the changes
    of its terms, in one transaction: checked by the rules of
    ``partnership_agreement_update``, followed by what follows an update
    (the threads' deadlines, the datasets' flags); a change refused
    records nothing.

    :param agreement_id: the agreement's id
    :type agreement_id: string
    :param reference: the amendment's reference
    :type reference: string
    :param signed_on: ``YYYY-MM-DD``
    :type signed_on: string
    :param summary: what it changes (optional)
    :type summary: string
    :param changes: the terms it changes and their new values, e.g.
        ``{"comment_sla_hours": 24}`` (optional; the terms:
        ``AGREEMENT_TERMS``: term, renewal, their months, notice,
        publication mode, SLAs, licences, quotas, end policy, delays of
        termination)
    :type changes: dictionary

    :returns: the amendment ``{id, agreement_id, reference, signed_on,
        summary, created, changes}``, ``changes`` a list of ``{term,
        old_value, new_value}``
    :rtype: dictionary
    """
    tk.check_access("partnership_amendment_create", context, data_dict)
    data = schema.validated(data_dict, schema.amendment_schema(), context)
    agreement = agreements.agreement_or_404(data["agreement_id"])
    terms = None
    if data.get("changes"):
        try:
            terms = schema.validated(
                agreements.amended_terms(agreement, context.get("user"), data["changes"]),
                schema.agreement_schema(), context)
        except tk.ValidationError as error:
            raise _as_changes(error)
    with writing(context):
        try:
            amendment = agreements.add_amendment(agreement, data, terms)
        except tk.ValidationError as error:
            raise _as_changes(error)
        if terms is not None:
            _agreement_changed(agreement.organization_id)
    return agreements.amendment_dicts([amendment])[0]


@tk.side_effect_free
def partnership_agreement_term_history(context: Context,
                                       data_dict: DataDict) -> list[dict[str, Any]]:
    """The history of an agreement's terms: each change, by an amendment
    or by a plain update, oldest first. For whoever reads the agreement in
    full (the validators, the partner's members).

    :param id: the agreement's id
    :type id: string
    :param term: only this term's changes (one of ``AGREEMENT_TERMS``)
    :type term: string
    :param limit: at most this many (default 100, from 1 to 1000)
    :type limit: int
    :param offset: from this one (default 0, the first)
    :type offset: int

    :returns: ``[{id, agreement_id, term, old_value, new_value, created,
        amendment_id, amendment_reference}]``; the amendment null for a
        plain update
    :rtype: list of dictionaries
    """
    data = schema.validated(data_dict, schema.term_history_schema(), context)
    agreement = agreements.agreement_or_404(data["id"])
    tk.check_access("partnership_agreement_term_history", context,
                    {**data_dict, "organization_id": agreement.organization_id})
    return agreements.term_history(agreement, data.get("term"), data["limit"],
                                   data["offset"])


def partnership_document_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Attach a PDF to an agreement (multipart upload).

    :param agreement_id: the agreement's id
    :type agreement_id: string
    :param kind: ``signed`` (the signed agreement, default) | ``amendment``
        | ``annex``
    :type kind: string
    :param title: what the document is
    :type title: string
    :param upload: the PDF file
    :type upload: file (multipart)

    :returns: the document ``{id, agreement_id, kind, title, original_name,
        created, url}``
    :rtype: dictionary
    """
    tk.check_access("partnership_document_create", context, data_dict)
    agreement = agreements.agreement_or_404(_lookup(data_dict, "agreement_id"))
    data, errors = tk.navl_validate(dict(data_dict), schema.document_schema(), context)
    title = (data.get("title") or "").strip()
    if not title and "title" not in errors:
        errors["title"] = [_("Missing value")]
    original = getattr(data_dict.get("upload"), "filename", None) or ""
    if not original:
        errors["upload"] = [_("Attach a PDF file")]
    elif not original.lower().endswith(".pdf"):
        errors["upload"] = [_("The document must be a PDF file")]
    if errors:
        raise tk.ValidationError(errors)
    with writing(context):
        document = agreements.store_document(agreement, data["kind"], title,
                                             data_dict["upload"])
    return agreements.document_dict(document)


def partnership_planned_dataset_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Add a dataset the partner intends to publish to the agreement's annex.

    :param agreement_id: the agreement's id
    :type agreement_id: string
    :param title: the dataset's title
    :type title: string
    :param standard: the data standard it will follow (URL), optional
    :type standard: string
    :param frequency: its update frequency (an EU frequency URI), optional
    :type frequency: string
    :param package_id: the real dataset, once it exists (id or name), optional
    :type package_id: string

    :returns: the planned dataset, as ``partnership_planned_dataset_list``
        gives it
    :rtype: dictionary
    """
    tk.check_access("partnership_planned_dataset_create", context, data_dict)
    data = schema.validated(data_dict, schema.planned_dataset_schema(), context)
    agreement = agreements.agreement_or_404(data["agreement_id"])
    with writing(context):
        planned = agreements.save_planned(pmodel.PlannedDataset(agreement_id=agreement.id), data)
    return agreements.planned_dict(planned, context.get("user"))


def partnership_planned_dataset_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a planned dataset, e.g. link it to the real dataset
    (``package_id``); the fields not given are kept.

    :param id: the planned dataset's id
    :type id: string
    :param title: and the other parameters of
        ``partnership_planned_dataset_create``
    :type title: string

    :returns: the planned dataset, as ``partnership_planned_dataset_list``
        gives it
    :rtype: dictionary
    """
    tk.check_access("partnership_planned_dataset_update", context, data_dict)
    planned = agreements.planned_or_404(_lookup(data_dict, "id"))
    merged = {**pmodel.as_dict(planned), **data_dict}
    merged = {k: v for k, v in merged.items() if v is not None}
    data = schema.validated(merged, schema.planned_dataset_schema(), context)
    with writing(context):
        agreements.save_planned(planned, data)
    return agreements.planned_dict(planned, context.get("user"))


def _annex_of(data: dict[str, Any]) -> Any:
    """The agreement whose annex is asked for: ``agreement_id``, else the
    current agreement of ``organization``."""
    if data.get("agreement_id"):
        return agreements.agreement_or_404(data["agreement_id"])
    return agreements.current_agreement_or_404(data.get("organization"))


@tk.side_effect_free
def partnership_planned_dataset_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The annex of an agreement: what the partner promised, and whether it
    is delivered (the linked dataset is published), by date added. Public;
    the linked dataset (``package_id``, ``package_name``,
    ``package_title``) shows only to whoever may read it.

    :param agreement_id: an agreement's id
    :type agreement_id: string
    :param organization: or a partner organisation (its current agreement)
    :type organization: string
    :param limit: at most this many (default 100, from 1 to 1000)
    :type limit: int
    :param offset: from this one (default 0, the first)
    :type offset: int

    :returns: ``[{id, agreement_id, title, standard, frequency, package_id,
        package_name, package_title, delivered, created}]``
    :rtype: list of dictionaries
    """
    tk.check_access("partnership_planned_dataset_list", context, data_dict)
    data = schema.validated(data_dict, schema.planned_dataset_page_schema(), context)
    agreement = _annex_of(data)
    return agreements.planned_dicts(
        agreements.planned_rows(agreement.id, data["limit"], data["offset"]),
        context.get("user"))


@tk.side_effect_free
def partnership_planned_dataset_count(context: Context, data_dict: DataDict) -> dict[str, int]:
    """How many planned datasets ``partnership_planned_dataset_list`` gives
    for the same agreement, over all its pages.

    :param agreement_id: an agreement's id
    :type agreement_id: string
    :param organization: or a partner organisation (its current agreement)
    :type organization: string

    :returns: ``{"count": n}``
    :rtype: dictionary
    """
    tk.check_access("partnership_planned_dataset_count", context, data_dict)
    data = schema.validated(data_dict, schema.planned_dataset_list_schema(), context)
    return {"count": agreements.planned_count(_annex_of(data).id)}


def partnership_committee_meeting_create(context: Context,
                                         data_dict: DataDict) -> dict[str, Any]:
    """Record a meeting of the steering committee (000 art. 12).

    :param agreement_id: the agreement's id
    :type agreement_id: string
    :param held_on: ``YYYY-MM-DD``
    :type held_on: string
    :param minutes: the minutes (text, optional)
    :type minutes: string

    :returns: the meeting ``{id, agreement_id, held_on, minutes, created}``
    :rtype: dictionary
    """
    tk.check_access("partnership_committee_meeting_create", context, data_dict)
    data = schema.validated(data_dict, schema.committee_meeting_schema(), context)
    agreement = agreements.agreement_or_404(data["agreement_id"])
    with writing(context):
        meeting = agreements.add_committee_meeting(agreement, data)
    return pmodel.as_dict(meeting)


def _reporting_publisher_changes(name: str) -> Action:
    """CKAN's ``name``, after which the publishers of the agreements in
    force are looked at again: a publisher who left the partner or can no
    longer publish is reported to the host (000 §9.1.2). It keeps the core
    action's docstring (its parameters, as ``action_help`` reads them)."""
    from ckan.logic.action import create, delete

    original = getattr(create, name, None) or getattr(delete, name)

    @tk.chained_action
    def chained(up_func: Action, context: Context, data_dict: DataDict) -> Any:
        result = up_func(context, data_dict)
        agreements.report_after_change()
        return result

    chained.__name__ = name
    doc = original.__doc__ or ""
    if ":returns:" not in doc:
        doc += "\n    :returns: nothing, as CKAN's own action\n    :rtype: None\n"
    chained.__doc__ = doc + (
        "\n    (ckanext-partnership) Then a publisher named in an agreement in force who "
        "left the partner or can no longer publish is reported to the host (000 §9.1.2).\n")
    return chained


# every way CKAN changes a membership or an account
member_create = _reporting_publisher_changes("member_create")
member_delete = _reporting_publisher_changes("member_delete")
group_member_create = _reporting_publisher_changes("group_member_create")
group_member_delete = _reporting_publisher_changes("group_member_delete")
organization_member_create = _reporting_publisher_changes("organization_member_create")
organization_member_delete = _reporting_publisher_changes("organization_member_delete")
user_delete = _reporting_publisher_changes("user_delete")
