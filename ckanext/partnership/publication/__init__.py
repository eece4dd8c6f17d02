# -*- coding: utf-8 -*-
"""The publication workflow on CKAN's side: the visibility guard, requests
and their checks, activities, flags and mails. Other packages use what this
module exports, never its modules."""
from .service import (  # noqa: F401
    flag_after_check,
    check_publishable,
    ACTIVITY_TYPE,
    _iso,
    add_activity,
    check_detail,
    check_title,
    checks_out,
    dataset_checks,
    default_private,
    deleting,
    deletion_refusal,
    flag_if_failing,
    flags,
    guard_move,
    guard_stored,
    mail_decided,
    mail_removed,
    mail_submitted,
    move_refusal,
    pending_request,
    publish,
    reason_label,
    record_direct_publication,
    record_removal,
    remember,
    request_dict,
    set_private,
    stored_private,
    visibility_of,
    when,
)
from .reminders import queue_reminders, untold_flags, withdraw_ended  # noqa: F401
