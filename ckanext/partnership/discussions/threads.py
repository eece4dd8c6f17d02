# -*- coding: utf-8 -*-
"""Comments and contact messages inside CKAN: each thread's clock (the
rule is :func:`ckanext.partnership.domain.response_clock.clock`), threads as the API
returns them, safe rendering, the rate limit. Their mails are in
:mod:`.mails`, the daily reminders and digests in :mod:`.reminders`.
"""
from __future__ import annotations

import datetime as dt
import re
from html import escape
from typing import Any, Optional

import bleach
from sqlalchemy import or_
from markupsafe import Markup

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.partnership import model as pmodel
from ckanext.partnership.core import roles
from ckanext.partnership.domain import response_clock

_ = tk._

#: The longest message, in characters.
MAX_LENGTH = 5000
DEFAULT_SLA_HOURS = 48

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def sla_hours(organization_id: str) -> int:
    """The partner's answer deadline: its agreement's ``comment_sla_hours``."""
    agreement = pmodel.current_agreement(organization_id)
    return agreement.comment_sla_hours if agreement is not None else DEFAULT_SLA_HOURS


def messages(thread: pmodel.Thread) -> list[response_clock.Message]:
    """The thread's messages as the clock reads them; a contact message
    marked answered counts as the partner's reply."""
    out = [response_clock.Message(c.created, bool(c.by_partner)) for c in thread.comments]
    if thread.answered_at is not None:
        out.append(response_clock.Message(thread.answered_at, True))
    return out


def thread_clock(thread: pmodel.Thread, now: Optional[dt.datetime] = None) -> response_clock.Clock:
    return response_clock.clock(messages(thread), sla_hours(thread.organization_id),
                           now or pmodel._now(), closed=thread.closed_at is not None)


def is_abuse(thread: pmodel.Thread) -> bool:
    return thread.close_reason == "abuse"


# -- who reads what ------------------------------------------------------------

def readable(query: Any, user_name: Optional[str]) -> Any:
    """The threads of ``query`` the user may read: a contact message is
    private to the partner's members and the host's validators; comments
    are read by whoever reads their dataset."""
    if roles.is_validator(user_name):
        return query
    mine = roles.member_organization_ids(user_name)
    return query.filter(or_(pmodel.Thread.kind != "contact",
                            pmodel.Thread.organization_id.in_(mine)))


def may_read(thread: pmodel.Thread, user_name: Optional[str]) -> bool:
    """:func:`readable` for one thread."""
    return thread.kind != "contact" or roles.is_validator(user_name) or roles.is_member(
        user_name, thread.organization_id)


# -- rendering ---------------------------------------------------------------

def _link_attributes(attrs: dict[Any, str], new: bool = False) -> dict[Any, str]:
    attrs[(None, "rel")] = "nofollow ugc"
    return attrs


def render(body: str) -> Markup:
    """Markdown rendered safely: any HTML written in it shows as text (a
    ``<script>`` is displayed, never run), CKAN's renderer and sanitiser do
    the rest, and every link is marked ``rel="nofollow ugc"``."""
    html = tk.h.render_markdown(escape(body or "", quote=False))
    return Markup(bleach.linkify(str(html), callbacks=[_link_attributes], parse_email=False))


# -- as the API returns them ---------------------------------------------------

def comment_dict(comment: pmodel.Comment) -> dict[str, Any]:
    thread = comment.thread
    author = model.User.get(comment.author_id) if comment.author_id else None
    return {
        "id": comment.id,
        "thread_id": comment.thread_id,
        "package_id": thread.package_id,
        "author": author.name if author else None,
        "author_display_name": (author.fullname or author.name) if author
        else thread.sender_name,
        "by_partner": bool(comment.by_partner),
        "body": comment.body,
        "created": pmodel.iso(comment.created),
    }


def thread_dict(thread: pmodel.Thread, user: Optional[str],
                now: Optional[dt.datetime] = None) -> dict[str, Any]:
    """A thread with its comments and clock. The sender's address of a
    contact message goes only to the partner and the validators."""
    clock = thread_clock(thread, now)
    org = model.Group.get(thread.organization_id)
    package = model.Package.get(thread.package_id) if thread.package_id else None
    insider = roles.is_validator(user) or roles.is_member(user, thread.organization_id)
    closer = model.User.get(thread.closed_by) if thread.closed_by else None
    return {
        "id": thread.id,
        "kind": thread.kind,
        "package_id": thread.package_id,
        "package_name": package.name if package else None,
        "package_title": package.title if package else None,
        "organization": org.name if org else None,
        "organization_title": org.title if org else None,
        "subject": thread.subject,
        "sender_name": thread.sender_name,
        "sender_email": thread.sender_email if insider else None,
        "created": pmodel.iso(thread.created),
        "state": clock.state,
        "started_at": pmodel.iso(clock.started_at),
        "due_at": pmodel.iso(clock.due_at),
        "first_response_at": pmodel.iso(clock.first_response_at),
        "answered_at": pmodel.iso(clock.answered_at),
        "on_time": clock.on_time,
        "remaining_seconds": int((clock.due_at - (now or pmodel._now())).total_seconds())
        if clock.due_at and clock.state in (response_clock.AWAITING, response_clock.OVERDUE) else None,
        "closed_at": pmodel.iso(thread.closed_at),
        "closed_by": closer.name if closer else None,
        "close_reason": thread.close_reason,
        "comments": [comment_dict(c) for c in thread.comments],
    }


# -- abuse -------------------------------------------------------------------

def rate_limited(user_id: Optional[str], email: Optional[str],
                 address: Optional[str] = None) -> Optional[int]:
    """Minutes to wait when the account (or the contact form's address),
    or the network address the message comes from, wrote too much lately;
    None when it may write."""
    limit = tk.config.get("ckanext.partnership.comment_rate_limit")
    window = tk.config.get("ckanext.partnership.comment_rate_window")
    since = pmodel._now() - dt.timedelta(seconds=window)
    queries = []
    if user_id:
        queries.append(model.Session.query(pmodel.Comment.created)
                       .filter(pmodel.Comment.author_id == user_id))
    elif email:
        queries.append(model.Session.query(pmodel.Comment.created)
                       .join(pmodel.Thread, pmodel.Thread.id == pmodel.Comment.thread_id)
                       .filter(pmodel.Thread.sender_email == email.lower()))
    if address:
        queries.append(model.Session.query(pmodel.Comment.created)
                       .filter(pmodel.Comment.client_address == address))
    waits = []
    for query in queries:
        recent = [c for (c,) in query.filter(pmodel.Comment.created >= since)
                  .order_by(pmodel.Comment.created.desc()).limit(limit)]
        if len(recent) < limit:
            continue
        free_at = recent[-1] + dt.timedelta(seconds=window)
        waits.append(max(1, int((free_at - pmodel._now()).total_seconds() // 60) + 1))
    return max(waits) if waits else None


def body_errors(body: Any) -> list[str]:
    text = body.strip() if isinstance(body, str) else ""
    if not text:
        return [_("Write a message")]
    if len(text) > MAX_LENGTH:
        return [_("At most {n} characters ({length} given)").format(n=MAX_LENGTH,
                                                                   length=len(text))]
    return []


def email_valid(value: Any) -> bool:
    return isinstance(value, str) and bool(_EMAIL.match(value.strip()))


def state_label(state: str) -> str:
    """A thread's state told to people (``domain.response_clock.STATES``)."""
    return {
        "awaiting": _("Awaiting the partner's answer"),
        "answered": _("Answered"),
        "overdue": _("Answer overdue"),
        "closed": _("Closed"),
    }.get(state, state)


def close_reason_label(reason: str) -> str:
    """Why a thread was closed, told to people (``response_clock.CLOSE_REASONS``)."""
    return {"no_answer_needed": _("Needs no answer"), "abuse": _("Hidden as abuse")}.get(
        reason, reason)
