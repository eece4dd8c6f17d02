# -*- coding: utf-8 -*-
"""Input schemas of the partnership actions."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.logic.schema import validator_args
from ckan.types import Schema, Validator, ValidatorFactory

from ckanext.partnership.agreements import DOCUMENT_KINDS
from ckanext.partnership.domain import inputs, open_label, publication_rules, response_clock
from ckanext.partnership.domain.agreement_calendar import (
    AGREEMENT_TERMS, CONTACT_ROLES, END_POLICIES, PUBLICATION_MODES, RENEWALS, STATES, TERMINATION_REASONS, TERMS,
)


# CKAN's one_of gets lists, never tuples: CKAN 2.12 formats its message with
# ``%``, which a tuple of values breaks (a TypeError instead of the error).
@validator_args
def contact_schema(
    not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
    one_of: ValidatorFactory, email_validator: Validator, partnership_date: Validator,
    strip_value: Validator, partnership_text: ValidatorFactory,
) -> Schema:
    return {
        "role": [not_empty, unicode_safe, one_of(list(CONTACT_ROLES))],
        "user": [ignore_missing, unicode_safe, strip_value, partnership_text(inputs.ID_LENGTH)],
        "name": [ignore_missing, unicode_safe, strip_value,
                 partnership_text(inputs.NAME_LENGTH)],
        "email": [ignore_missing, unicode_safe, strip_value,
                  partnership_text(inputs.EMAIL_LENGTH), email_validator],
        "since": [ignore_missing, partnership_date],
        "until": [ignore_missing, partnership_date],
    }


@validator_args
def agreement_schema(
    not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
    one_of: ValidatorFactory, default: ValidatorFactory,
    partnership_date: Validator, partnership_license_list: Validator,
    strip_value: Validator, partnership_text: ValidatorFactory,
    partnership_whole_number: ValidatorFactory, partnership_organization: Validator,
) -> Schema:
    months = [ignore_missing, partnership_whole_number(*inputs.MONTHS)]
    quota = [ignore_missing, partnership_whole_number(*inputs.QUOTA)]
    sla = [default(48), partnership_whole_number(*inputs.SLA_HOURS)]
    return {
        "id": [ignore_missing, unicode_safe, partnership_text(inputs.ID_LENGTH)],
        "organization": [not_empty, unicode_safe, partnership_text(inputs.ID_LENGTH),
                         partnership_organization],
        "reference": [not_empty, unicode_safe, strip_value,
                      partnership_text(inputs.NAME_LENGTH)],
        "title": [ignore_missing, unicode_safe, partnership_text(inputs.TITLE_LENGTH)],
        "signed_on": [ignore_missing, partnership_date],
        "effective_on": [not_empty, partnership_date],
        "term": [default("fixed"), one_of(list(TERMS))],
        "initial_term_months": months,
        "renewal": [default("none"), one_of(list(RENEWALS))],
        "renewal_term_months": months,
        "max_total_months": months,
        "notice_months": months,
        "publication_mode": [default("validated"), one_of(list(PUBLICATION_MODES))],
        "validation_sla_hours": sla,
        "comment_sla_hours": sla,
        "allowed_licenses": [ignore_missing, partnership_license_list],
        "quota_records_per_dataset": quota,
        "quota_records_total": quota,
        "quota_storage_bytes": quota,
        "quota_updates_per_day_bytes": quota,
        "quota_api_calls_per_month": quota,
        "end_policy": [default("keep"), one_of(list(END_POLICIES))],
        "breach_notice_days": [ignore_missing, partnership_whole_number(*inputs.DAYS)],
        "force_majeure_months": months,
        "state": [default("draft"), one_of(list(STATES))],
        "contacts": contact_schema(),
    }


@validator_args
def terminate_schema(
    not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
    one_of: ValidatorFactory, partnership_date: Validator, partnership_text: ValidatorFactory,
) -> Schema:
    return {
        "id": [not_empty, unicode_safe, partnership_text(inputs.ID_LENGTH)],
        "reason": [not_empty, one_of(list(TERMINATION_REASONS))],
        "notified_on": [not_empty, partnership_date],
        "effective_on": [ignore_missing, partnership_date],
    }


@validator_args
def amendment_schema(
    not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
    partnership_date: Validator, strip_value: Validator, partnership_text: ValidatorFactory,
    partnership_term_changes: Validator,
) -> Schema:
    """An amendment; its ``changes`` (term: new value) are checked here as
    a dictionary of terms, their values by :func:`agreement_schema`."""
    return {
        "changes": [ignore_missing, partnership_term_changes],
        "agreement_id": [not_empty, unicode_safe, partnership_text(inputs.ID_LENGTH)],
        "reference": [not_empty, unicode_safe, strip_value,
                      partnership_text(inputs.NAME_LENGTH)],
        "signed_on": [not_empty, partnership_date],
        "summary": [ignore_missing, unicode_safe, partnership_text(inputs.LONG_TEXT_LENGTH)],
    }


@validator_args
def term_history_schema(
    not_empty: Validator, ignore_empty: Validator, unicode_safe: Validator,
    partnership_text: ValidatorFactory, partnership_one_of: ValidatorFactory,
) -> Schema:
    """``partnership_agreement_term_history``: an agreement, a term, the
    window."""
    return {
        "id": [not_empty, unicode_safe, partnership_text(inputs.ID_LENGTH)],
        "term": [ignore_empty, unicode_safe, partnership_text(inputs.ID_LENGTH),
                 partnership_one_of(AGREEMENT_TERMS)],
        **page_schema(),
    }


@validator_args
def planned_dataset_schema(
    not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
    strip_value: Validator, partnership_uri: Validator, partnership_frequency: Validator,
    package_id_or_name_exists: Validator, partnership_text: ValidatorFactory,
    partnership_date: Validator,
) -> Schema:
    return {
        "id": [ignore_missing, unicode_safe, partnership_text(inputs.ID_LENGTH)],
        "agreement_id": [not_empty, unicode_safe, partnership_text(inputs.ID_LENGTH)],
        "title": [not_empty, unicode_safe, strip_value, partnership_text(inputs.TITLE_LENGTH)],
        "due_on": [ignore_missing, partnership_date],
        "standard": [ignore_missing, unicode_safe, partnership_text(inputs.URL_LENGTH),
                     partnership_uri],
        "frequency": [ignore_missing, unicode_safe, partnership_text(inputs.URL_LENGTH),
                      partnership_frequency],
        "package_id": [ignore_missing, unicode_safe, partnership_text(inputs.ID_LENGTH),
                       package_id_or_name_exists],
    }


@validator_args
def committee_meeting_schema(
    not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
    partnership_date: Validator, partnership_text: ValidatorFactory,
) -> Schema:
    return {
        "agreement_id": [not_empty, unicode_safe, partnership_text(inputs.ID_LENGTH)],
        "held_on": [not_empty, partnership_date],
        "minutes": [ignore_missing, unicode_safe, partnership_text(inputs.LONG_TEXT_LENGTH)],
    }


def validated(data_dict: dict[str, Any], action_schema: Schema,
              context: Any = None) -> dict[str, Any]:
    """The input of an action as ``action_schema`` gives it (what it does
    not name is dropped), or a ValidationError naming each wrong field."""
    data, errors = tk.navl_validate(dict(data_dict), action_schema, context or {})
    if errors:
        raise tk.ValidationError(errors)
    return data


def checked_text(data_dict: dict[str, Any], text_schema: Schema) -> dict[str, Any]:
    """For actions that read their input by hand: refuse, naming the
    field, text that cannot be stored (a NUL, a lone surrogate, too long)
    before anything reads it; the input, with those fields as text."""
    data = validated(data_dict, text_schema)
    return {**data_dict, **{k: v for k, v in data.items() if k in text_schema}}


@validator_args
def comment_schema(
    ignore_missing: Validator, unicode_safe: Validator, partnership_text: ValidatorFactory,
) -> Schema:
    """The text of a comment (the action checks the rest)."""
    return {
        "package_id": [ignore_missing, unicode_safe, partnership_text(inputs.ID_LENGTH)],
        "reply_to": [ignore_missing, unicode_safe, partnership_text(inputs.ID_LENGTH)],
        "body": [ignore_missing, unicode_safe, partnership_text()],
    }


@validator_args
def contact_message_schema(
    ignore_missing: Validator, unicode_safe: Validator, partnership_text: ValidatorFactory,
) -> Schema:
    """The text of a contact message (the action checks the rest)."""
    return {
        "organization": [ignore_missing, unicode_safe, partnership_text(inputs.ID_LENGTH)],
        "package_id": [ignore_missing, unicode_safe, partnership_text(inputs.ID_LENGTH)],
        "name": [ignore_missing, unicode_safe, partnership_text(inputs.NAME_LENGTH)],
        "email": [ignore_missing, unicode_safe, partnership_text(inputs.EMAIL_LENGTH)],
        "subject": [ignore_missing, unicode_safe, partnership_text(inputs.NAME_LENGTH)],
        "body": [ignore_missing, unicode_safe, partnership_text()],
    }


@validator_args
def thread_note_schema(
    ignore_missing: Validator, unicode_safe: Validator, partnership_text: ValidatorFactory,
) -> Schema:
    """A thread's id and a validator's note on closing it."""
    return {
        "id": [ignore_missing, unicode_safe, partnership_text(inputs.ID_LENGTH)],
        "note": [ignore_missing, unicode_safe, partnership_text(inputs.MESSAGE_LENGTH)],
    }


@validator_args
def contact_reply_schema(
    ignore_missing: Validator, unicode_safe: Validator, partnership_text: ValidatorFactory,
) -> Schema:
    """A contact message's id and the partner's answer (the action checks
    the answer's length)."""
    return {
        "id": [ignore_missing, unicode_safe, partnership_text(inputs.ID_LENGTH)],
        "body": [ignore_missing, unicode_safe, partnership_text()],
    }


@validator_args
def thread_close_schema(
    ignore_missing: Validator, unicode_safe: Validator, partnership_text: ValidatorFactory,
) -> Schema:
    """A validator's closing of a thread: its id, the reason, a note."""
    return {**thread_note_schema(),
            "reason": [ignore_missing, unicode_safe, partnership_text(inputs.ID_LENGTH)]}


@validator_args
def decision_message_schema(
    ignore_missing: Validator, unicode_safe: Validator, partnership_text: ValidatorFactory,
) -> Schema:
    """The text of a refusal or a withdrawal: the request's or dataset's id
    and the message for the other side (the action checks the rest)."""
    return {
        "id": [ignore_missing, unicode_safe, partnership_text(inputs.ID_LENGTH)],
        "message": [ignore_missing, unicode_safe, partnership_text(inputs.MESSAGE_LENGTH)],
    }


@validator_args
def lookup_schema(
    ignore_missing: Validator, unicode_safe: Validator, partnership_text: ValidatorFactory,
) -> Schema:
    """The ids, names and filters an action looks things up by."""
    text = [ignore_missing, unicode_safe, partnership_text(inputs.ID_LENGTH)]
    return {key: list(text) for key in
            ("id", "organization", "agreement_id", "package_id", "state", "at")}


# -- the parameters of the reads and the lists ---------------------------------

@validator_args
def agreement_show_schema(
    ignore_missing: Validator, ignore_empty: Validator, unicode_safe: Validator,
    partnership_text: ValidatorFactory, partnership_day: Validator,
) -> Schema:
    """An agreement by ``id`` or by ``organization``, its calendar ``at``."""
    text = [ignore_missing, unicode_safe, partnership_text(inputs.ID_LENGTH)]
    return {"id": list(text), "organization": list(text),
            "at": [ignore_empty, partnership_day]}


@validator_args
def agreement_list_schema(
    ignore_empty: Validator, unicode_safe: Validator, partnership_text: ValidatorFactory,
    partnership_day: Validator, partnership_organization: Validator,
    partnership_one_of: ValidatorFactory,
) -> Schema:
    """The filters of ``partnership_agreement_list``."""
    return {
        "organization": [ignore_empty, unicode_safe, partnership_text(inputs.ID_LENGTH),
                         partnership_organization],
        "state": [ignore_empty, unicode_safe, partnership_text(inputs.ID_LENGTH),
                  partnership_one_of(STATES)],
        "at": [ignore_empty, partnership_day],
    }


def agreement_page_schema() -> Schema:
    """``partnership_agreement_list``: its filters and its window."""
    return {**agreement_list_schema(), **page_schema()}


@validator_args
def planned_dataset_list_schema(
    ignore_missing: Validator, unicode_safe: Validator, partnership_text: ValidatorFactory,
) -> Schema:
    """The annex of an agreement (``agreement_id``) or of the current
    agreement of an ``organization``."""
    text = [ignore_missing, unicode_safe, partnership_text(inputs.ID_LENGTH)]
    return {"agreement_id": list(text), "organization": list(text)}


def planned_dataset_page_schema() -> Schema:
    """``partnership_planned_dataset_list``: its agreement and its window."""
    return {**planned_dataset_list_schema(), **page_schema()}


@validator_args
def document_schema(
    ignore_missing: Validator, unicode_safe: Validator, default: ValidatorFactory,
    partnership_text: ValidatorFactory, partnership_one_of: ValidatorFactory,
) -> Schema:
    """The fields of an agreement's document, but its file (the action
    checks it)."""
    return {
        "agreement_id": [ignore_missing, unicode_safe, partnership_text(inputs.ID_LENGTH)],
        "kind": [default("signed"), unicode_safe, partnership_text(inputs.ID_LENGTH),
                 partnership_one_of(DOCUMENT_KINDS)],
        "title": [ignore_missing, unicode_safe, partnership_text(inputs.TITLE_LENGTH)],
    }


@validator_args
def organization_filter_schema(
    ignore_empty: Validator, unicode_safe: Validator, partnership_text: ValidatorFactory,
    partnership_organization: Validator,
) -> Schema:
    """A list filtered by a partner (``organization``, name or id, given as
    its id)."""
    return {"organization": [ignore_empty, unicode_safe, partnership_text(inputs.ID_LENGTH),
                             partnership_organization]}


@validator_args
def period_schema(ignore_empty: Validator, partnership_day: Validator) -> Schema:
    """Figures of a partner (``organization``) over a period (``since``,
    ``until``, days included)."""
    return {**organization_filter_schema(),
            "since": [ignore_empty, partnership_day], "until": [ignore_empty, partnership_day]}


@validator_args
def annual_review_schema(
    ignore_empty: Validator, not_empty: Validator, unicode_safe: Validator,
    partnership_text: ValidatorFactory, partnership_organization: Validator,
    partnership_review_year: Validator,
) -> Schema:
    """An annual review: a partner (``organization``; none: the whole
    portal) and a calendar ``year``."""
    return {"organization": [ignore_empty, unicode_safe, partnership_text(inputs.ID_LENGTH),
                             partnership_organization],
            "year": [not_empty, partnership_review_year]}


@validator_args
def page_schema(default: ValidatorFactory, partnership_whole_number: ValidatorFactory) -> Schema:
    """The window of a list: at most ``limit`` rows (``inputs.LIMIT``,
    ``inputs.DEFAULT_LIMIT`` when not given) from ``offset`` (0 first)."""
    return {"limit": [default(inputs.DEFAULT_LIMIT), partnership_whole_number(*inputs.LIMIT)],
            "offset": [default(0), partnership_whole_number(*inputs.OFFSET)]}


@validator_args
def thread_list_schema(
    default: ValidatorFactory, unicode_safe: Validator, partnership_text: ValidatorFactory,
    partnership_one_of: ValidatorFactory,
) -> Schema:
    """The filters of ``partnership_thread_list``."""
    return {**organization_filter_schema(),
            "state": [default("open"), unicode_safe, partnership_text(inputs.ID_LENGTH),
                      partnership_one_of((*response_clock.STATES, "open", "all"))]}


@validator_args
def queue_list_schema(
    default: ValidatorFactory, unicode_safe: Validator, partnership_text: ValidatorFactory,
    partnership_one_of: ValidatorFactory,
) -> Schema:
    """The filters of ``partnership_queue_list``."""
    return {**organization_filter_schema(),
            "status": [default(publication_rules.PENDING), unicode_safe,
                       partnership_text(inputs.ID_LENGTH),
                       partnership_one_of(publication_rules.STATUSES)]}


def queue_page_schema() -> Schema:
    """``partnership_queue_list``: its filters and the window."""
    return {**queue_list_schema(), **page_schema()}


def flagged_page_schema() -> Schema:
    """``partnership_flagged_list``: a partner and the window."""
    return {**organization_filter_schema(), **page_schema()}


@validator_args
def resource_schema(
    ignore_missing: Validator, unicode_safe: Validator, partnership_text: ValidatorFactory,
) -> Schema:
    """A resource, by ``id`` (or ``resource_id``, ckanext-validation's name)."""
    text = [ignore_missing, unicode_safe, partnership_text(inputs.ID_LENGTH)]
    return {"id": list(text), "resource_id": list(text)}


@validator_args
def dataset_id_schema(
    not_empty: Validator, unicode_safe: Validator, partnership_text: ValidatorFactory,
) -> Schema:
    """A dataset, by its ``id`` or name (required)."""
    return {"id": [not_empty, unicode_safe, partnership_text(inputs.ID_LENGTH)]}


@validator_args
def label_declaration_schema(
    not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
    one_of: ValidatorFactory, partnership_text: ValidatorFactory,
) -> Schema:
    """``partnership_label_declare``: a dataset, one of the declarable
    criteria, what is declared (``unknown`` withdraws) and why."""
    return {
        "id": [not_empty, unicode_safe, partnership_text(inputs.ID_LENGTH)],
        "criterion": [not_empty, unicode_safe, one_of(list(open_label.DECLARABLE))],
        "status": [not_empty, unicode_safe, one_of(list(open_label.DECLARED_STATUSES))],
        "comment": [ignore_missing, unicode_safe, partnership_text(inputs.MESSAGE_LENGTH)],
    }


# -- the figures per partner ----------------------------------------------------

@validator_args
def compliance_show_schema(
    not_empty: Validator, unicode_safe: Validator, partnership_text: ValidatorFactory,
) -> Schema:
    """``partnership_compliance_show``: a partner (name or id, looked up by
    the action: unknown is a 404) and the window of its datasets."""
    return {"organization": [not_empty, unicode_safe, partnership_text(inputs.ID_LENGTH)],
            **page_schema()}


@validator_args
def compliance_list_schema(
    default: ValidatorFactory, unicode_safe: Validator, partnership_text: ValidatorFactory,
    partnership_one_of: ValidatorFactory,
) -> Schema:
    """``partnership_compliance_list``: its sort, its order and its window."""
    from ckanext.partnership.compliance import ORDERS, SORTS
    return {"sort": [default("title"), unicode_safe, partnership_text(inputs.ID_LENGTH),
                     partnership_one_of(SORTS)],
            "order": [default("asc"), unicode_safe, partnership_text(inputs.ID_LENGTH),
                      partnership_one_of(ORDERS)],
            **page_schema()}


# -- restricted-access data ------------------------------------------------------

@validator_args
def access_request_schema(
    not_empty: Validator, unicode_safe: Validator, partnership_text: ValidatorFactory,
) -> Schema:
    """``partnership_access_request_create``: the dataset and the purpose
    (its length and content are the rule's, ``domain.access``)."""
    return {"package_id": [not_empty, unicode_safe, partnership_text(inputs.ID_LENGTH)],
            "purpose": [not_empty, unicode_safe, partnership_text(inputs.MESSAGE_LENGTH)]}


@validator_args
def access_decide_schema(
    not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
    partnership_text: ValidatorFactory, partnership_one_of: ValidatorFactory,
    partnership_day: Validator,
) -> Schema:
    """``partnership_access_request_decide``: the request, the decision, a
    message to the requester, the last day of the grant."""
    from ckanext.partnership.domain import access
    return {"id": [not_empty, unicode_safe, partnership_text(inputs.ID_LENGTH)],
            "decision": [not_empty, unicode_safe, partnership_text(inputs.ID_LENGTH),
                         partnership_one_of(list(access.DECISIONS))],
            "message": [ignore_missing, unicode_safe, partnership_text(inputs.MESSAGE_LENGTH)],
            "until": [ignore_missing, partnership_day]}


@validator_args
def access_grant_schema(
    not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
    partnership_text: ValidatorFactory, partnership_day: Validator,
) -> Schema:
    """``partnership_access_grant_create``: the dataset, one grantee (an
    account or an organisation), the last day."""
    text = [ignore_missing, unicode_safe, partnership_text(inputs.ID_LENGTH)]
    return {"package_id": [not_empty, unicode_safe, partnership_text(inputs.ID_LENGTH)],
            "user": list(text), "organization": list(text),
            "until": [ignore_missing, partnership_day]}


@validator_args
def access_list_schema(
    ignore_missing: Validator, unicode_safe: Validator, partnership_text: ValidatorFactory,
    partnership_one_of: ValidatorFactory,
) -> Schema:
    """The lists of requests, grants and downloads: a dataset or a partner,
    a state, a window."""
    from ckanext.partnership.domain import access
    text = [ignore_missing, unicode_safe, partnership_text(inputs.ID_LENGTH)]
    return {"package_id": list(text), "organization": list(text),
            "state": [*text, partnership_one_of(list(access.STATES))],
            **page_schema()}
