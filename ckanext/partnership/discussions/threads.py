# -*- coding: utf-8 -*-
"""Comments and contact messages inside CKAN: each thread's clock (the
rule is :func:`ckanext.partnership.domain.response_clock.clock`), threads as the API
returns them, safe rendering, the rate limit. Their mails are in
:mod:`.mails`, the daily reminders and digests in :mod:`.reminders`.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from html import escape
from typing import Any, Iterable, NamedTuple, Optional, Sequence

import bleach
from sqlalchemy import and_, event, or_, true
from markupsafe import Markup

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.partnership import model as pmodel
from ckanext.partnership.core import language, roles
from ckanext.partnership.core.language import N_
from ckanext.partnership.domain import response_clock, sla

_ = tk._

#: The longest message, in characters.
MAX_LENGTH = 5000
DEFAULT_SLA_HOURS = 48

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def sla_hours(organization_id: str) -> int:
    """The partner's answer deadline: its agreement's ``comment_sla_hours``."""
    agreement = pmodel.current_agreement(organization_id)
    return agreement.comment_sla_hours if agreement is not None else DEFAULT_SLA_HOURS


def messages(thread: pmodel.Thread,
             extra: Iterable[pmodel.Comment] = ()) -> list[response_clock.Message]:
    """The thread's messages as the clock reads them (its comments, and
    ``extra`` ones not yet in its list); a contact message marked answered
    counts as the partner's reply."""
    comments = list(thread.comments)
    comments += [c for c in extra if all(c is not d for d in comments)]
    out = [response_clock.Message(c.created, bool(c.by_partner)) for c in comments]
    if thread.answered_at is not None:
        out.append(response_clock.Message(thread.answered_at, True))
    return out


def refresh_clock(thread: pmodel.Thread, hours: Optional[int] = None,
                  extra: Iterable[pmodel.Comment] = ()) -> None:
    """Store the thread's clock, as the one rule
    (:func:`response_clock.clock`) reads its messages; ``hours``: the
    partner's deadline (read from its agreement when not given)."""
    hours = sla_hours(thread.organization_id) if hours is None else hours
    clock = response_clock.clock(messages(thread, extra), hours, pmodel._now())
    for column, value in (("clock_started_at", clock.started_at),
                          ("clock_due_at", clock.due_at),
                          ("clock_answered_at", clock.answered_at),
                          ("first_started_at", clock.first_started_at),
                          ("first_due_at", clock.first_due_at),
                          ("first_response_at", clock.first_response_at)):
        if getattr(thread, column) != value:
            setattr(thread, column, value)


def _refresh_on_flush(session: Any, _context: Any, _instances: Any) -> None:
    """Whatever writes a comment, a mark of answer or a thread (the
    actions, the commands, the demo), the stored clock follows before the
    row is written."""
    threads: dict[int, pmodel.Thread] = {}
    extra: dict[int, list[pmodel.Comment]] = {}
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, (pmodel.Comment, pmodel.Thread)) and obj.created is None:
            obj.created = pmodel._now()  # the column's default, given before it is read
        if isinstance(obj, pmodel.Comment):
            thread = obj.thread or (session.get(pmodel.Thread, obj.thread_id)
                                    if obj.thread_id else None)
            if thread is not None:
                threads[id(thread)] = thread
                extra.setdefault(id(thread), []).append(obj)
        elif isinstance(obj, pmodel.Thread):
            threads[id(obj)] = obj
    hours: dict[str, int] = {}
    for key, thread in threads.items():
        if thread in session.deleted or not thread.organization_id:
            continue
        org = thread.organization_id
        if org not in hours:
            hours[org] = sla_hours(org)
        refresh_clock(thread, hours[org], extra.get(key, ()))


if not event.contains(model.Session, "before_flush", _refresh_on_flush):
    event.listen(model.Session, "before_flush", _refresh_on_flush)


def reschedule(organization_id: str) -> None:
    """The partner's deadline changed (its agreement saved): its threads'
    deadlines follow, in one statement (the start plus the new hours, as
    the rule computes them)."""
    hours = dt.timedelta(hours=sla_hours(organization_id))
    model.Session.query(pmodel.Thread).filter(
        pmodel.Thread.organization_id == organization_id
    ).update({pmodel.Thread.clock_due_at: pmodel.Thread.clock_started_at + hours,
              pmodel.Thread.first_due_at: pmodel.Thread.first_started_at + hours},
             synchronize_session="fetch")


def stored_clock(thread: Any, now: dt.datetime) -> response_clock.Clock:
    """The clock of ``thread`` (a thread, or a row with its columns) at
    ``now``, from its stored columns: what :func:`response_clock.clock`
    gives from its messages."""
    started, due, answered = thread.clock_started_at, thread.clock_due_at, \
        thread.clock_answered_at
    closed = thread.closed_at is not None
    if started is None or due is None:
        state = response_clock.CLOSED if closed else response_clock.ANSWERED
        return response_clock.Clock(state, None, None, None, None, None, None, None)
    if closed:
        state = response_clock.CLOSED
    elif answered is not None:
        state = response_clock.ANSWERED
    else:
        state = response_clock.OVERDUE if sla.overdue(due, now) else response_clock.AWAITING
    if answered is not None:
        on_time: Optional[bool] = sla.within(due, answered)
    else:
        on_time = False if state == response_clock.OVERDUE else None
    return response_clock.Clock(state, started, due, answered, thread.first_started_at,
                                thread.first_response_at, thread.first_due_at, on_time)


def thread_clock(thread: pmodel.Thread, now: Optional[dt.datetime] = None) -> response_clock.Clock:
    """The thread's clock at ``now`` (default: this instant)."""
    return stored_clock(thread, now or pmodel._now())


def in_state(query: Any, state: str, now: dt.datetime) -> Any:
    """The threads of ``query`` in ``state`` at ``now`` (one of
    ``response_clock.STATES``, ``open`` for awaiting and overdue, or
    ``all``), as :func:`stored_clock` tells it, in SQL."""
    t = pmodel.Thread
    waiting = and_(t.closed_at.is_(None), t.clock_started_at.isnot(None),
                   t.clock_answered_at.is_(None))
    return query.filter({
        "all": true(),
        "open": waiting,
        response_clock.AWAITING: and_(waiting, t.clock_due_at >= now),
        response_clock.OVERDUE: and_(waiting, t.clock_due_at < now),
        response_clock.ANSWERED: and_(t.closed_at.is_(None), or_(
            t.clock_started_at.is_(None), t.clock_answered_at.isnot(None))),
        response_clock.CLOSED: t.closed_at.isnot(None),
    }[state])


def is_abuse(thread: pmodel.Thread) -> bool:
    return thread.close_reason == "abuse"


def not_abuse(query: Any) -> Any:
    """The threads of ``query`` not hidden as abuse."""
    reason = pmodel.Thread.close_reason
    return query.filter(or_(reason.is_(None), reason != "abuse"))


# -- who reads what ------------------------------------------------------------

class Reader(NamedTuple):
    """Who reads, with the role checks of one call computed once."""

    name: Optional[str]
    validator: bool
    organizations: frozenset[str]  # the ids of those it is a member of


def reader(user_name: Optional[str]) -> Reader:
    return Reader(user_name, roles.is_validator(user_name),
                  frozenset(roles.member_organization_ids(user_name)))


def readable(query: Any, who: Any) -> Any:
    """The threads of ``query`` the user (a name or a :class:`Reader`) may
    read: a contact message is private to the partner's members and the
    host's validators; comments are read by whoever reads their dataset."""
    who = who if isinstance(who, Reader) else reader(who)
    if who.validator:
        return query
    return query.filter(or_(pmodel.Thread.kind != "contact",
                            pmodel.Thread.organization_id.in_(who.organizations)))


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
    the rest, and every link is marked ``rel="nofollow ugc"``. A page of
    threads shows hundreds of messages: each text is rendered once per
    process and language (its links carry the language), then reused."""
    return Markup(_rendered(body or "", language.ui_language()))


@functools.lru_cache(maxsize=2048)
def _rendered(body: str, lang: str) -> str:
    html = tk.h.render_markdown(escape(body, quote=False))
    return bleach.linkify(str(html), callbacks=[_link_attributes], parse_email=False)


# -- as the API returns them ---------------------------------------------------

def comment_dict(comment: pmodel.Comment) -> dict[str, Any]:
    author = model.User.get(comment.author_id) if comment.author_id else None
    return _comment_row(comment, comment.thread, author)


def _by_id(query: Any) -> dict[str, Any]:
    return {row.id: row for row in query}


def thread_dicts(threads: Sequence[pmodel.Thread], user: Any,
                 now: Optional[dt.datetime] = None) -> list[dict[str, Any]]:
    """Threads with their comments and clock, as the API returns them, in
    a constant number of queries: their organisations, datasets, comments
    and the accounts of those comments and closings, each in one. ``user``:
    a name or a :class:`Reader`. The sender's address of a contact message
    goes only to the partner and the validators."""
    threads = list(threads)
    if not threads:
        return []
    who = user if isinstance(user, Reader) else reader(user)
    now = now or pmodel._now()
    Session, Group, Package, User = model.Session, model.Group, model.Package, model.User
    orgs = _by_id(Session.query(Group.id, Group.name, Group.title).filter(
        Group.id.in_({t.organization_id for t in threads})))
    package_ids = {t.package_id for t in threads if t.package_id}
    packages = _by_id(Session.query(Package.id, Package.name, Package.title).filter(
        Package.id.in_(package_ids))) if package_ids else {}
    c = pmodel.Comment
    comments = (Session.query(c.id, c.thread_id, c.author_id, c.by_partner, c.body, c.created)
                .filter(c.thread_id.in_([t.id for t in threads]))
                .order_by(c.created, c.id).all())
    user_ids = {r.author_id for r in comments if r.author_id} | {
        t.closed_by for t in threads if t.closed_by}
    users = _by_id(Session.query(User.id, User.name, User.fullname).filter(
        User.id.in_(user_ids))) if user_ids else {}
    by_thread: dict[str, list[Any]] = {}
    for row in comments:
        by_thread.setdefault(row.thread_id, []).append(row)
    out = []
    for thread in threads:
        clock = stored_clock(thread, now)
        org = orgs.get(thread.organization_id)
        package = packages.get(thread.package_id)
        insider = who.validator or thread.organization_id in who.organizations
        closer = users.get(thread.closed_by)
        out.append({
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
            "remaining_seconds": sla.remaining_seconds(clock.due_at, now)
            if clock.due_at and clock.state in (response_clock.AWAITING,
                                                response_clock.OVERDUE) else None,
            "closed_at": pmodel.iso(thread.closed_at),
            "closed_by": closer.name if closer else None,
            "close_reason": thread.close_reason,
            "comments": [_comment_row(row, thread, users.get(row.author_id))
                         for row in by_thread.get(thread.id, [])],
        })
    return out


def _comment_row(row: Any, thread: pmodel.Thread, author: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "thread_id": row.thread_id,
        "package_id": thread.package_id,
        "author": author.name if author else None,
        "author_display_name": (author.fullname or author.name) if author
        else thread.sender_name,
        "by_partner": bool(row.by_partner),
        "body": row.body,
        "created": pmodel.iso(row.created),
    }


def thread_dict(thread: pmodel.Thread, user: Optional[str],
                now: Optional[dt.datetime] = None) -> dict[str, Any]:
    """One thread, as :func:`thread_dicts` gives it."""
    return thread_dicts([thread], user, now)[0]


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
    return language.label({
        "awaiting": N_("Awaiting the partner's answer"),
        "answered": N_("Answered"),
        "overdue": N_("Answer overdue"),
        "closed": N_("Closed"),
    }, state, state)


def close_reason_label(reason: str) -> str:
    """Why a thread was closed, told to people (``response_clock.CLOSE_REASONS``)."""
    return language.label({"no_answer_needed": N_("Needs no answer"),
                           "abuse": N_("Hidden as abuse")}, reason, reason)
