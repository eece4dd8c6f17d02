# -*- coding: utf-8 -*-
"""Comments and contact messages on CKAN's side: threads, their clock,
who reads them, their mails, the daily reminders and digests."""
from .threads import (  # noqa: F401
    DEFAULT_SLA_HOURS,
    body_errors,
    close_reason_label,
    comment_dict,
    email_valid,
    in_state,
    is_abuse,
    may_read,
    not_abuse,
    rate_limited,
    readable,
    reader,
    refresh_clock,
    reschedule,
    render,
    sla_hours,
    state_label,
    stored_clock,
    thread_clock,
    thread_dict,
    thread_dicts,
)
from .mails import (  # noqa: F401
    ReplyNotSent, host_side, mail_contact_reply, mail_new_thread, partner_side, thread_url,
)
from .reminders import comment_digests, comment_reminders  # noqa: F401
from .service import (  # noqa: F401,E402
    add_comment,
    add_contact_message,
    check_rate,
    client_address,
    close,
    mark_answered,
    package_thread_count,
    package_threads,
    published_package,
    reply_to_contact,
    response_stats,
    thread_count,
    thread_or_404,
    threads_to_answer,
    user_of,
)
from .views import dataset_page_threads  # noqa: F401,E402
