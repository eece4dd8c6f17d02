# -*- coding: utf-8 -*-
"""What the comment and contact actions do on CKAN's side: find the
dataset and the thread, hold back a flood of messages, record a comment,
a contact message, a closing, an answer; list the threads to answer and
the response figures. Nothing here commits: the action does."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import flask

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.partnership import model as pmodel
from ckanext.partnership.core import roles
from ckanext.partnership.domain import publication_rules, response_clock

from .threads import is_abuse, may_read, rate_limited, readable, thread_clock, thread_dict

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


def package_threads(package: model.Package, user: Optional[str]) -> list[dict[str, Any]]:
    """The threads of a dataset ``user`` may read, oldest first; those
    hidden as abuse for validators only."""
    query = readable(
        model.Session.query(Thread).filter(Thread.package_id == package.id), user
    ).order_by(Thread.created)
    now = pmodel._now()
    validator = roles.is_validator(user)
    return [thread_dict(t, user, now) for t in query if validator or not is_abuse(t)]


def threads_to_answer(user: Optional[str], organization_id: Optional[str],
                      state: str) -> list[dict[str, Any]]:
    """The threads of ``state`` (one of ``response_clock.STATES``, ``open``
    or ``all``) ``user`` answers for, oldest deadline first: a partner's
    members their organisation's, validators every partner's."""
    query = model.Session.query(Thread)
    if organization_id:
        query = query.filter(Thread.organization_id == organization_id)
    if not roles.is_validator(user):
        mine = [g.id for g in model.User.get(user).get_groups("organization")] if user else []
        query = query.filter(Thread.organization_id.in_(mine))
    now = pmodel._now()
    threads = [thread_dict(t, user, now) for t in query]
    wanted = {"open": {response_clock.AWAITING, response_clock.OVERDUE},
              "all": set(response_clock.STATES)}.get(state, {state})
    threads = [t for t in threads if t["state"] in wanted]
    far = "9999"
    return sorted(threads, key=lambda t: (t["due_at"] or far, t["created"]))


def response_stats(organization_id: Optional[str], since: Optional[dt.date],
                   until: Optional[dt.date]) -> dict[str, Any]:
    """How partners answer their users, overall, per partner and per month
    of the first question (see ``partnership_response_stats``)."""
    query = model.Session.query(Thread)
    if organization_id:
        query = query.filter(Thread.organization_id == organization_id)
    now = pmodel._now()
    clocks = []
    for thread in query:
        clock = thread_clock(thread, now)
        if clock.first_started_at is None or is_abuse(thread):
            continue
        if publication_rules.in_period(clock.first_started_at, since, until):
            clocks.append((thread.organization_id, clock))
    result = response_clock.stats([c for _o, c in clocks])
    by_org: dict[str, list[response_clock.Clock]] = {}
    by_month: dict[str, list[response_clock.Clock]] = {}
    for org_id, clock in clocks:
        by_org.setdefault(org_id, []).append(clock)
        by_month.setdefault(clock.first_started_at.strftime("%Y-%m"), []).append(clock)
    result["by_organization"] = sorted(
        ({"organization": (model.Group.get(o).name if model.Group.get(o) else o),
          "title": (model.Group.get(o).title if model.Group.get(o) else o),
          **response_clock.stats(c)} for o, c in by_org.items()), key=lambda r: r["title"] or "")
    result["by_month"] = [{"month": m, **response_clock.stats(c)}
                          for m, c in sorted(by_month.items())]
    return result
