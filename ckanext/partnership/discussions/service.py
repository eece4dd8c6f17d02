# -*- coding: utf-8 -*-
"""What the comment and contact actions do on CKAN's side: find the
dataset and the thread, hold back a flood of messages, record a comment,
a contact message, a closing, an answer; list the threads to answer and
the response figures. Nothing here commits: the action does."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import flask
from sqlalchemy import and_, func, literal_column

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.partnership import model as pmodel
from ckanext.partnership.core import roles

from .threads import (
    Reader, in_state, may_read, not_abuse, rate_limited, readable, reader, thread_dicts,
)

_ = tk._

Thread = pmodel.Thread
Comment = pmodel.Comment


def user_of(name: Optional[str]) -> Optional[model.User]:
    """The account of ``name`` (None when anonymous)."""
    return model.User.get(name) if name else None


def published_package(package_id: Any) -> model.Package:
    package = model.Package.get(str(package_id or ""))
    if package is None or package.state != "active":
        raise tk.ObjectNotFound(_("Dataset not found"))
    return package


def thread_or_404(thread_id: Any) -> Thread:
    thread = model.Session.get(Thread, str(thread_id or ""))
    if thread is None:
        raise tk.ObjectNotFound(_("Thread not found"))
    return thread


def client_address() -> Optional[str]:
    """The network address the request came from, as the WSGI server gives
    it (``request.remote_addr``; behind a proxy, the deployment decides
    what it is, e.g. with werkzeug's ProxyFix: an ``X-Forwarded-For``
    header is never trusted here). None outside a request (commands)."""
    if not flask.has_request_context():
        return None
    return flask.request.remote_addr or None


def check_rate(user: Optional[model.User], email: Optional[str],
               organization_id: str, address: Optional[str]) -> None:
    """Validators and the partner's members answer freely; anyone else
    writes at most ``comment_rate_limit`` messages per window, counted per
    account, per contact address and per network address."""
    name = user.name if user else None
    if roles.is_validator(name) or roles.is_member(name, organization_id):
        return
    wait = rate_limited(user.id if user else None, email, address)
    if wait is not None:
        raise tk.ValidationError({"body": [_(
            "At most {limit} messages every {window} minutes from one account, e-mail "
            "address or network address: wait {minutes} minutes before writing again."
        ).format(limit=tk.config.get("ckanext.partnership.comment_rate_limit"),
                 window=max(1, tk.config.get("ckanext.partnership.comment_rate_window") // 60),
                 minutes=wait)]})


def _add(thread: Thread, comment: Comment, new_thread: bool) -> None:
    if new_thread:
        model.Session.add(thread)
    thread.comments.append(comment)
    model.Session.flush()


def add_comment(package: model.Package, user: model.User, body: str,
                reply_to: Optional[str]) -> tuple[Comment, bool]:
    """Record ``user``'s comment on the published ``package``, in the
    thread of ``reply_to`` or in a new one; the comment, and whether its
    thread is new."""
    address = client_address()
    check_rate(user, None, package.owner_org, address)
    new_thread = True
    if reply_to:
        parent = model.Session.get(Comment, str(reply_to))
        if (parent is None or parent.thread.package_id != package.id
                or not may_read(parent.thread, user.name)):
            raise tk.ValidationError({"reply_to": [_("Comment not found in this dataset")]})
        thread = parent.thread
        if thread.closed_at is not None:
            raise tk.ValidationError({"reply_to": [_("This discussion is closed.")]})
        new_thread = False
    else:
        thread = Thread(kind="comment", organization_id=package.owner_org,
                        package_id=package.id)
    comment = Comment(author_id=user.id, body=body.strip(),
                      by_partner=roles.is_member(user.name, package.owner_org),
                      client_address=address)
    _add(thread, comment, new_thread)
    return comment, new_thread


def add_contact_message(organization_id: str, package: Optional[model.Package],
                        user: Optional[model.User], name: str, email: str,
                        subject: Optional[str], body: str) -> Thread:
    """Record a message to the partner ``organization_id`` (about
    ``package``, if given) from ``name`` <``email``>, the account ``user``
    or anonymous."""
    address = client_address()
    check_rate(user, email, organization_id, address)
    thread = Thread(kind="contact", organization_id=organization_id,
                    package_id=package.id if package else None,
                    subject=(subject or "").strip() or None,
                    sender_name=name, sender_email=email)
    comment = Comment(author_id=user.id if user else None, body=body.strip(),
                      by_partner=False, client_address=address)
    _add(thread, comment, True)
    return thread


def close(thread: Thread, user: model.User, reason: str, note: Optional[str]) -> None:
    """A validator closes ``thread`` (``reason``: one of
    ``response_clock.CLOSE_REASONS``); its clock stops."""
    if thread.closed_at is not None:
        raise tk.ValidationError({"id": [_("This discussion is closed.")]})
    thread.closed_at = pmodel._now()
    thread.closed_by = user.id
    thread.close_reason = reason
    thread.close_note = (note or "").strip() or None


def mark_answered(thread: Thread, user: model.User) -> None:
    """A member of the partner marks a contact message answered (once)."""
    if thread.kind != "contact":
        raise tk.ValidationError({"id": [_(
            "Answer a comment by replying to it on the dataset's page.")]})
    if thread.answered_at is None:
        thread.answered_at = pmodel._now()
        thread.answered_by = user.id


def reply_to_contact(thread: Thread, user: model.User, body: str) -> Comment:
    """``user`` answers the contact message ``thread``: the answer is kept
    in the thread (the partner's reply, which stops its clock) and the
    message is marked answered. The mail is the action's."""
    if thread.kind != "contact":
        raise tk.ValidationError({"id": [_(
            "Answer a comment by replying to it on the dataset's page.")]})
    if thread.closed_at is not None:
        raise tk.ValidationError({"id": [_("This discussion is closed.")]})
    comment = Comment(author_id=user.id, body=body.strip(),
                      by_partner=roles.is_member(user.name, thread.organization_id),
                      client_address=client_address())
    _add(thread, comment, False)
    mark_answered(thread, user)
    return comment


def _package_query(package: model.Package, who: Reader) -> Any:
    query = readable(model.Session.query(Thread).filter(Thread.package_id == package.id), who)
    return query if who.validator else not_abuse(query)


def package_threads(package: model.Package, user: Optional[str], limit: Optional[int] = None,
                    offset: int = 0) -> list[dict[str, Any]]:
    """The threads of a dataset ``user`` may read, oldest first (``limit``
    of them from ``offset``); those hidden as abuse for validators only."""
    who = reader(user)
    query = _package_query(package, who).order_by(Thread.created, Thread.id)
    return thread_dicts(query.offset(offset).limit(limit).all(), who)


def package_thread_count(package: model.Package, user: Optional[str]) -> int:
    """How many threads :func:`package_threads` lists in all."""
    return _package_query(package, reader(user)).count()


def _to_answer(who: Reader, organization_id: Optional[str], state: str,
               now: dt.datetime) -> Any:
    query = model.Session.query(Thread)
    if organization_id:
        query = query.filter(Thread.organization_id == organization_id)
    if not who.validator:
        query = query.filter(Thread.organization_id.in_(who.organizations))
    return in_state(query, state, now)


def threads_to_answer(user: Optional[str], organization_id: Optional[str], state: str,
                      limit: Optional[int] = None, offset: int = 0) -> list[dict[str, Any]]:
    """The threads of ``state`` (one of ``response_clock.STATES``, ``open``
    or ``all``) ``user`` answers for, oldest deadline first, then oldest
    (``limit`` of them from ``offset``): a partner's members their
    organisation's, validators every partner's."""
    who, now = reader(user), pmodel._now()
    query = _to_answer(who, organization_id, state, now).order_by(
        Thread.clock_due_at.asc().nulls_last(), Thread.created, Thread.id)
    return thread_dicts(query.offset(offset).limit(limit).all(), who, now)


def thread_count(user: Optional[str], organization_id: Optional[str], state: str) -> int:
    """How many threads :func:`threads_to_answer` lists in all."""
    return _to_answer(reader(user), organization_id, state, pmodel._now()).count()


def partners_with_threads(user: Optional[str]) -> list[tuple[str, str]]:
    """(id, title) of the partners whose threads ``user`` answers for, by
    title: the choices of the threads page's filter (one query)."""
    who = reader(user)
    group = model.Group
    query = (model.Session.query(group.id, group.title).filter(
        group.id.in_(model.Session.query(Thread.organization_id).distinct()))
        .order_by(group.title, group.id))
    if not who.validator:
        query = query.filter(group.id.in_(who.organizations))
    return [(row.id, row.title or row.id) for row in query]


def _figures(now: dt.datetime) -> list[Any]:
    """The columns of ``response_clock.stats``, as SQL aggregates over the
    stored clocks (the median rounded after, as ``sla.median_hours``)."""
    waiting = and_(Thread.closed_at.is_(None), Thread.clock_answered_at.is_(None))
    hours = func.date_part("epoch", Thread.first_response_at - Thread.first_started_at) / 3600
    return [
        func.count().label("threads"),
        func.count(Thread.first_response_at).label("answered"),
        func.count().filter(Thread.first_response_at <= Thread.first_due_at)
        .label("answered_on_time"),
        func.count().filter(and_(waiting, Thread.clock_due_at >= now)).label("awaiting"),
        func.count().filter(and_(waiting, Thread.clock_due_at < now)).label("overdue"),
        func.count().filter(Thread.closed_at.isnot(None)).label("closed"),
        func.count().filter(Thread.kind == "contact").label("contact_messages"),
        func.percentile_cont(0.5).within_group(hours).label("median"),
    ]


def _figures_dict(row: Any) -> dict[str, Any]:
    return {
        "threads": row.threads, "answered": row.answered,
        "answered_on_time": row.answered_on_time, "awaiting": row.awaiting,
        "overdue": row.overdue, "closed": row.closed,
        "contact_messages": row.contact_messages,
        "median_first_response_hours":
            None if row.median is None else round(float(row.median), 1),
    }


def response_stats(organization_id: Optional[str], since: Optional[dt.date],
                   until: Optional[dt.date]) -> dict[str, Any]:
    """How partners answer their users, overall, per partner and per month
    of the first question (see ``partnership_response_stats``): one
    aggregate query over the stored clocks (grouping sets: all, per
    partner, per month), then the partners' names, whatever the number of
    threads. Threads hidden as abuse are left out."""
    org, month = Thread.organization_id, func.date_trunc(literal_column("'month'"),
                                                         Thread.first_started_at)
    query = not_abuse(model.Session.query(
        *_figures(pmodel._now()), org, month.label("month"),
        func.grouping(org).label("all_partners"), func.grouping(month).label("all_months"),
    )).filter(Thread.first_started_at.isnot(None))
    if organization_id:
        query = query.filter(org == organization_id)
    if since:
        query = query.filter(Thread.first_started_at >= dt.datetime.combine(since, dt.time()))
    if until:
        query = query.filter(Thread.first_started_at < dt.datetime.combine(
            until + dt.timedelta(days=1), dt.time()))
    rows = query.group_by(func.grouping_sets(literal_column("()"), org, month)).all()
    total = [r for r in rows if r.all_partners and r.all_months]
    result = _figures_dict(total[0]) if total else {
        **dict.fromkeys(("threads", "answered", "answered_on_time", "awaiting", "overdue",
                         "closed", "contact_messages"), 0), "median_first_response_hours": None}
    per_org = [r for r in rows if not r.all_partners]
    group = model.Group
    names = {g.id: g for g in model.Session.query(group.id, group.name, group.title).filter(
        group.id.in_([r.organization_id for r in per_org]))} if per_org else {}
    result["by_organization"] = sorted(
        ({"organization": names[r.organization_id].name if r.organization_id in names
          else r.organization_id,
          "title": names[r.organization_id].title if r.organization_id in names
          else r.organization_id,
          **_figures_dict(r)} for r in per_org), key=lambda r: r["title"] or "")
    result["by_month"] = sorted(({"month": r.month.strftime("%Y-%m"), **_figures_dict(r)}
                                 for r in rows if not r.all_months), key=lambda r: r["month"])
    return result
