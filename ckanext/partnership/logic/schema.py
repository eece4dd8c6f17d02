# -*- coding: utf-8 -*-
"""Input schemas of the partnership actions."""
from __future__ import annotations

from ckan.logic.schema import validator_args
from ckan.types import Schema, Validator, ValidatorFactory

from ckanext.partnership.calendar import RENEWALS, TERMINATION_REASONS, TERMS

CONTACT_ROLES = ("publisher", "producer", "referent", "host_referent", "committee")
PUBLICATION_MODES = ("validated", "autonomous")
END_POLICIES = ("keep", "withdraw")
STATES = ("draft", "active", "terminating", "ended")


@validator_args
def contact_schema(
    not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
    one_of: ValidatorFactory, email_validator: Validator, partnership_date: Validator,
    strip_value: Validator,
) -> Schema:
    return {
        "role": [not_empty, unicode_safe, one_of(CONTACT_ROLES)],
        "user": [ignore_missing, unicode_safe, strip_value],
        "name": [ignore_missing, unicode_safe, strip_value],
        "email": [ignore_missing, unicode_safe, strip_value, email_validator],
        "since": [ignore_missing, partnership_date],
        "until": [ignore_missing, partnership_date],
    }


@validator_args
def agreement_schema(
    not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
    one_of: ValidatorFactory, default: ValidatorFactory,
    natural_number_validator: Validator, partnership_date: Validator,
    partnership_license_list: Validator, strip_value: Validator,
) -> Schema:
    months = [ignore_missing, natural_number_validator]
    return {
        "id": [ignore_missing, unicode_safe],
        "organization": [not_empty, unicode_safe],
        "reference": [not_empty, unicode_safe, strip_value],
        "title": [ignore_missing, unicode_safe],
        "signed_on": [ignore_missing, partnership_date],
        "effective_on": [not_empty, partnership_date],
        "term": [default("fixed"), one_of(TERMS)],
        "initial_term_months": months,
        "renewal": [default("none"), one_of(RENEWALS)],
        "renewal_term_months": months,
        "max_total_months": months,
        "notice_months": months,
        "publication_mode": [default("validated"), one_of(PUBLICATION_MODES)],
        "validation_sla_hours": [default(48), natural_number_validator],
        "comment_sla_hours": [default(48), natural_number_validator],
        "allowed_licenses": [ignore_missing, partnership_license_list],
        "quota_records_per_dataset": months,
        "quota_records_total": months,
        "quota_storage_bytes": months,
        "end_policy": [default("keep"), one_of(END_POLICIES)],
        "state": [default("draft"), one_of(STATES)],
        "contacts": contact_schema(),
    }


@validator_args
def terminate_schema(
    not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
    one_of: ValidatorFactory, partnership_date: Validator,
) -> Schema:
    return {
        "id": [not_empty, unicode_safe],
        "reason": [not_empty, one_of(TERMINATION_REASONS)],
        "notified_on": [not_empty, partnership_date],
        "effective_on": [ignore_missing, partnership_date],
    }


@validator_args
def amendment_schema(
    not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
    partnership_date: Validator, strip_value: Validator,
) -> Schema:
    return {
        "agreement_id": [not_empty, unicode_safe],
        "reference": [not_empty, unicode_safe, strip_value],
        "signed_on": [not_empty, partnership_date],
        "summary": [ignore_missing, unicode_safe],
    }


@validator_args
def planned_dataset_schema(
    not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
    strip_value: Validator, partnership_uri: Validator, partnership_frequency: Validator,
    package_id_or_name_exists: Validator,
) -> Schema:
    return {
        "id": [ignore_missing, unicode_safe],
        "agreement_id": [not_empty, unicode_safe],
        "title": [not_empty, unicode_safe, strip_value],
        "standard": [ignore_missing, unicode_safe, partnership_uri],
        "frequency": [ignore_missing, partnership_frequency],
        "package_id": [ignore_missing, unicode_safe, package_id_or_name_exists],
    }


@validator_args
def committee_meeting_schema(
    not_empty: Validator, ignore_missing: Validator, unicode_safe: Validator,
    partnership_date: Validator,
) -> Schema:
    return {
        "agreement_id": [not_empty, unicode_safe],
        "held_on": [not_empty, partnership_date],
        "minutes": [ignore_missing, unicode_safe],
    }
