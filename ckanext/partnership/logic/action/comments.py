# -*- coding: utf-8 -*-
"""Actions of comments and contact messages (shared API, "Comments")."""
from __future__ import annotations

from typing import Any, Optional

import flask

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.partnership import discussions
from ckanext.partnership import model as pmodel
from ckanext.partnership.core import roles
from ckanext.partnership.domain import publication_rules, response_clock
from ckanext.partnership.logic import schema
from ckanext.partnership.logic.params import day_param, organization_param

_ = tk._

Thread = pmodel.Thread
Comment = pmodel.Comment


def _user(context: Context) -> Optional[model.User]:
    return model.User.get(context.get("user") or "") if context.get("user") else None


def _published_package(package_id: Any) -> model.Package:
    schema.checked_text({"package_id": package_id}, schema.lookup_schema())
    package = model.Package.get(str(package_id or ""))
    if package is None or package.state != "active":
        raise tk.ObjectNotFound(_("Dataset not found"))
    return package


def _thread_or_404(thread_id: Any) -> Thread:
    schema.checked_text({"id": thread_id}, schema.lookup_schema())
    thread = model.Session.get(Thread, str(thread_id or ""))
    if thread is None:
        raise tk.ObjectNotFound(_("Thread not found"))
    return thread


def _client_address() -> Optional[str]:
    """The network address the request came from, as the WSGI server gives
    it (``request.remote_addr``; behind a proxy, the deployment decides
    what it is, e.g. with werkzeug's ProxyFix: an ``X-Forwarded-For``
    header is never trusted here). None outside a request (commands)."""
    if not flask.has_request_context():
        return None
    return flask.request.remote_addr or None


def _check_rate(user: Optional[model.User], email: Optional[str],
                organization_id: str, address: Optional[str]) -> None:
    """Validators and the partner's members answer freely; anyone else
    writes at most ``comment_rate_limit`` messages per window, counted per
    account, per contact address and per network address."""
    name = user.name if user else None
    if roles.is_validator(name) or roles.is_member(name, organization_id):
        return
    wait = discussions.rate_limited(user.id if user else None, email, address)
    if wait is not None:
        raise tk.ValidationError({"body": [_(
            "At most {limit} messages every {window} minutes from one account, e-mail "
            "address or network address: wait {minutes} minutes before writing again."
        ).format(limit=tk.config.get("ckanext.partnership.comment_rate_limit"),
                 window=max(1, tk.config.get("ckanext.partnership.comment_rate_window") // 60),
                 minutes=wait)]})


def _save(thread: Thread, comment: Comment, new_thread: bool) -> None:
    try:
        if new_thread:
            model.Session.add(thread)
        thread.comments.append(comment)
        model.Session.flush()
        if new_thread:
            discussions.mail_new_thread(thread, comment.body)
        model.Session.commit()
    except Exception:
        model.Session.rollback()
        raise


def partnership_comment_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Comment on a published dataset, or reply in a thread. A reply by a
    member of the owning organisation is the partner's answer.

    :param package_id: the dataset's id or name
    :param body: the message, in Markdown (at most 5000 characters)
    :param reply_to: a comment of the thread to answer in (optional)
    :returns: ``{id, thread_id, package_id, author, body, created,
        by_partner}``
    """
    data_dict = schema.checked_text(data_dict, schema.comment_schema())
    package = _published_package(data_dict.get("package_id"))
    tk.check_access("partnership_comment_create", context, {"package_id": package.id})
    if package.private:
        raise tk.ValidationError({"package_id": [_(
            "Only published datasets are open to comments.")]})
    errors = discussions.body_errors(data_dict.get("body"))
    if errors:
        raise tk.ValidationError({"body": errors})
    user = _user(context)
    address = _client_address()
    _check_rate(user, None, package.owner_org, address)
    new_thread = True
    if data_dict.get("reply_to"):
        parent = model.Session.get(Comment, str(data_dict["reply_to"]))
        if (parent is None or parent.thread.package_id != package.id
                or not discussions.may_read(parent.thread, user.name)):
            raise tk.ValidationError({"reply_to": [_("Comment not found in this dataset")]})
        thread = parent.thread
        if thread.closed_at is not None:
            raise tk.ValidationError({"reply_to": [_("This discussion is closed.")]})
        new_thread = False
    else:
        thread = Thread(kind="comment", organization_id=package.owner_org,
                        package_id=package.id)
    comment = Comment(author_id=user.id, body=data_dict["body"].strip(),
                      by_partner=roles.is_member(user.name, package.owner_org),
                      client_address=address)
    _save(thread, comment, new_thread)
    return discussions.comment_dict(comment)


@tk.side_effect_free
def partnership_comment_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The threads of a dataset, oldest first, with their comments and
    clock: ``state`` (awaiting | answered | overdue | closed), ``due_at``,
    ``first_response_at``, ``on_time``. Threads hidden as abuse are listed
    for validators only; contact messages about the dataset for the
    partner's members and the validators only.

    :param package_id: the dataset's id or name
    """
    package = _published_package(data_dict.get("package_id") or data_dict.get("id"))
    tk.check_access("partnership_comment_list", context, {"package_id": package.id})
    user = context.get("user")
    query = discussions.readable(
        model.Session.query(Thread).filter(Thread.package_id == package.id), user
    ).order_by(Thread.created)
    now = pmodel._now()
    validator = roles.is_validator(user)
    return [discussions.thread_dict(t, user, now) for t in query
            if validator or not discussions.is_abuse(t)]


def partnership_comment_close(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A validator closes a thread that needs no answer, or hides it as
    abuse; its clock stops.

    :param id: the thread's id
    :param reason: ``no_answer_needed`` or ``abuse``
    :param note: why, for the record (optional)
    """
    tk.check_access("partnership_comment_close", context, data_dict)
    data_dict = schema.checked_text(data_dict, schema.thread_note_schema())
    thread = _thread_or_404(data_dict.get("id"))
    reason = data_dict.get("reason")
    if reason not in response_clock.CLOSE_REASONS:
        raise tk.ValidationError({"reason": [_("Choose a reason: {allowed}").format(
            allowed=", ".join(response_clock.CLOSE_REASONS))]})
    if thread.closed_at is not None:
        raise tk.ValidationError({"id": [_("This discussion is closed.")]})
    thread.closed_at = pmodel._now()
    thread.closed_by = _user(context).id
    thread.close_reason = reason
    thread.close_note = (data_dict.get("note") or "").strip() or None
    model.Session.commit()
    return discussions.thread_dict(thread, context.get("user"))


def partnership_contact_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Write to a partner through the contact form: the message reaches the
    host's mailbox and the partner's, and is tracked with the same clock
    until a member of the partner marks it answered.

    :param organization: the partner (name or id), or
    :param package_id: a dataset of it
    :param name: the sender's name
    :param email: the sender's address, for the answer
    :param subject: the subject (optional)
    :param body: the message (at most 5000 characters)
    :returns: the thread
    """
    data_dict = schema.checked_text(data_dict, schema.contact_message_schema())
    tk.check_access("partnership_contact_create", context, data_dict)
    package = None
    if data_dict.get("package_id"):
        package = _published_package(data_dict["package_id"])
        if package.private:
            raise tk.ObjectNotFound(_("Dataset not found"))
        org = model.Group.get(package.owner_org)
    else:
        org = model.Group.get(str(data_dict.get("organization") or ""))
    if org is None or not org.is_organization:
        raise tk.ValidationError({"organization": [_("Organization not found")]})
    user = _user(context)
    errors: dict[str, list[str]] = {}
    name = (data_dict.get("name") or (user.fullname or user.name if user else "")).strip()
    email = (data_dict.get("email") or (user.email if user else "") or "").strip().lower()
    if not name:
        errors["name"] = [_("Give your name")]
    if not discussions.email_valid(email):
        errors["email"] = [_("Give an e-mail address to be answered at")]
    if len(data_dict.get("subject") or "") > 200:
        errors["subject"] = [_("At most {n} characters ({length} given)").format(
            n=200, length=len(data_dict["subject"]))]
    body_errors = discussions.body_errors(data_dict.get("body"))
    if body_errors:
        errors["body"] = body_errors
    if errors:
        raise tk.ValidationError(errors)
    address = _client_address()
    _check_rate(user, email, org.id, address)
    thread = Thread(kind="contact", organization_id=org.id,
                    package_id=package.id if package else None,
                    subject=(data_dict.get("subject") or "").strip() or None,
                    sender_name=name, sender_email=email)
    comment = Comment(author_id=user.id if user else None, body=data_dict["body"].strip(),
                      by_partner=False, client_address=address)
    _save(thread, comment, True)
    return discussions.thread_dict(thread, context.get("user"))


def partnership_contact_answered(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A member of the partner marks a contact message answered (the answer
    itself went by mail, the host in copy): its clock stops.

    :param id: the thread's id
    """
    data_dict = schema.checked_text(data_dict, schema.thread_note_schema())
    thread = _thread_or_404(data_dict.get("id"))
    tk.check_access("partnership_contact_answered", context,
                    {"organization_id": thread.organization_id})
    if thread.kind != "contact":
        raise tk.ValidationError({"id": [_(
            "Answer a comment by replying to it on the dataset's page.")]})
    if thread.answered_at is None:
        thread.answered_at = pmodel._now()
        thread.answered_by = _user(context).id
        model.Session.commit()
    return discussions.thread_dict(thread, context.get("user"))


@tk.side_effect_free
def partnership_thread_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Threads to answer, oldest deadline first: a partner's members see
    their organisation's, validators every partner's.

    :param organization: only this partner's (name or id)
    :param state: ``open`` (default: awaiting and overdue), ``awaiting``,
        ``overdue``, ``answered``, ``closed`` or ``all``
    """
    tk.check_access("partnership_thread_list", context, data_dict)
    user = context.get("user")
    state = data_dict.get("state") or "open"
    if state not in (*response_clock.STATES, "open", "all"):
        raise tk.ValidationError({"state": [_("Unknown value \"{value}\"; allowed values: "
                                              "{allowed}").format(
            value=state, allowed=", ".join((*response_clock.STATES, "open", "all")))]})
    query = model.Session.query(Thread)
    if data_dict.get("organization"):
        query = query.filter(Thread.organization_id == organization_param(data_dict))
    if not roles.is_validator(user):
        mine = [g.id for g in model.User.get(user).get_groups("organization")] if user else []
        query = query.filter(Thread.organization_id.in_(mine))
    now = pmodel._now()
    threads = [discussions.thread_dict(t, user, now) for t in query]
    wanted = {"open": {response_clock.AWAITING, response_clock.OVERDUE},
              "all": set(response_clock.STATES)}.get(state, {state})
    threads = [t for t in threads if t["state"] in wanted]
    far = "9999"
    return sorted(threads, key=lambda t: (t["due_at"] or far, t["created"]))


@tk.side_effect_free
def partnership_response_stats(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """How partners answer their users: threads, answered, answered within
    the deadline, awaiting, overdue, median first response time; overall,
    per partner and per month of the first question. Public.

    :param organization: only this partner's (name or id)
    :param since: threads from this day (``YYYY-MM-DD``)
    :param until: threads up to this day, included
    :returns: ``{threads, answered, answered_on_time, awaiting, overdue,
        closed, median_first_response_hours, by_organization: [...],
        by_month: [{month, ...}]}``
    """
    tk.check_access("partnership_response_stats", context, data_dict)
    since, until = day_param(data_dict, "since"), day_param(data_dict, "until")
    query = model.Session.query(Thread)
    if data_dict.get("organization"):
        query = query.filter(Thread.organization_id == organization_param(data_dict))
    now = pmodel._now()
    clocks = []
    for thread in query:
        clock = discussions.thread_clock(thread, now)
        if clock.first_started_at is None or discussions.is_abuse(thread):
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
