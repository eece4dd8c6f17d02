# -*- coding: utf-8 -*-
"""Partnership agreements on CKAN's side: their dicts, their save, their
documents, their calendar mails, their pages."""
from .service import (  # noqa: F401
    DOCUMENT_KINDS,
    PUBLIC_FIELDS,
    add_amendment,
    amended_terms,
    amendment_dicts,
    add_committee_meeting,
    agreement_dict,
    agreement_dicts,
    agreement_or_404,
    agreements,
    check_in_force_unique,
    current_agreement_or_404,
    check_state_follows_calendar,
    calendar_error,
    document_dict,
    document_path,
    organizations,
    patch_base,
    planned_dict,
    planned_dicts,
    planned_count,
    planned_or_404,
    planned_rows,
    save_agreement,
    save_contacts,
    save_planned,
    state_label,
    store_document,
    term_history,
    terminate,
)
from .publisher import report_after_change, report_changes, standings  # noqa: F401
from .reminders import calendar_step, end_reached, followed_agreements  # noqa: F401
