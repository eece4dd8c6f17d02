# -*- coding: utf-8 -*-
"""Comments and contact messages on CKAN's side: threads, their clock,
who reads them, their mails."""
from .threads import (  # noqa: F401
    DEFAULT_SLA_HOURS,
    body_errors,
    comment_dict,
    email_valid,
    host_side,
    is_abuse,
    mail_new_thread,
    may_read,
    partner_side,
    rate_limited,
    readable,
    render,
    sla_hours,
    thread_clock,
    thread_dict,
    thread_url,
)
