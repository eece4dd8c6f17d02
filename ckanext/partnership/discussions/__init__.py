# -*- coding: utf-8 -*-
"""Comments and contact messages on CKAN's side: threads, their clock,
who reads them, their mails, the daily reminders and digests."""
from .threads import (  # noqa: F401
    DEFAULT_SLA_HOURS,
    body_errors,
    comment_dict,
    email_valid,
    is_abuse,
    may_read,
    rate_limited,
    readable,
    render,
    sla_hours,
    thread_clock,
    thread_dict,
)
from .mails import host_side, mail_new_thread, partner_side, thread_url  # noqa: F401
from .reminders import comment_digests, comment_reminders  # noqa: F401
