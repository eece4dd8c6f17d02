# -*- coding: utf-8 -*-
"""The partners' answers to their users, from ``ckan partnership notify``
(000 §10.1.3): a reminder to the partner 12 hours before a thread's
deadline, and a daily digest of the overdue ones to both sides. Each is
sent once (``partnership_event``)."""
from __future__ import annotations

import datetime as dt
from typing import Iterator, NamedTuple, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.partnership import model as pmodel
from ckanext.partnership.core import mail, roles
from ckanext.partnership.domain import response_clock, sla

from .mails import host_side, partner_side, thread_url
from .threads import in_state, sla_hours, thread_clock

_ = tk._


class _Open(NamedTuple):
    """A thread with a question on it, not closed, and its clock."""

    thread: pmodel.Thread
    agreement: pmodel.Agreement
    state: str  # awaiting | answered | overdue
    started_at: dt.datetime  # the current (or last) question
    due_at: dt.datetime


def _open_threads(now: dt.datetime) -> Iterator[_Open]:
    """The threads waiting for an answer (awaiting or overdue, from their
    stored clock), oldest first. Only the threads of organisations that
    have an agreement are followed (the record of what was sent,
    ``partnership_event``, belongs to an agreement), and only those the
    partner can still answer."""
    threads = in_state(model.Session.query(pmodel.Thread), "open", now).order_by(
        pmodel.Thread.created, pmodel.Thread.id).all()
    agreements: dict[str, Optional[pmodel.Agreement]] = {}
    for thread in threads:
        if thread.organization_id not in agreements:
            agreements[thread.organization_id] = pmodel.current_agreement(
                thread.organization_id)
        agreement = agreements[thread.organization_id]
        if agreement is None or not _answerable(thread):
            continue
        clock = thread_clock(thread, now)
        if clock.started_at is not None and clock.due_at is not None:
            yield _Open(thread, agreement, clock.state, clock.started_at, clock.due_at)


def _answerable(thread: pmodel.Thread) -> bool:
    """Whether the partner can still answer: comments are answered on the
    dataset's page, which must still be published; a contact message is
    answered by mail."""
    if thread.kind != "comment":
        return True
    package = model.Package.get(thread.package_id) if thread.package_id else None
    return package is not None and package.state == "active" and not package.private


def _thread_label(thread: pmodel.Thread) -> str:
    """What a thread is about: its dataset, or a contact message's subject."""
    if thread.kind == "contact":
        return _("contact message «{subject}» from {sender}").format(
            subject=thread.subject or _("no subject"), sender=thread.sender_name or "")
    package = model.Package.get(thread.package_id) if thread.package_id else None
    return _("comment on «{title}»").format(title=package.title if package else "")


def _thread_line(thread: pmodel.Thread) -> str:
    """How a thread shows in the lines of the command."""
    package = model.Package.get(thread.package_id) if thread.package_id else None
    return package.name if package else f"contact {thread.id}"


def _comment_reminder_mail(item: _Open) -> tuple[str, str]:
    """The reminder to the partner: subject and body."""
    label = _thread_label(item.thread)
    subject = _("Answer due before {due}: {label}").format(
        due=mail.when(item.due_at), label=label)
    body = _("A message to {partner} is waiting for its answer: {label}. The agreement "
             "asks for an answer from the partner's account before {due}, in less than "
             "{hours} hours.\n\n{url}\n").format(
        partner=roles.partner_name(item.thread.organization_id), label=label,
        due=mail.when(item.due_at), hours=sla.REMINDER_HOURS,
        url=thread_url(item.thread))
    return subject, body


def comment_reminders(now: dt.datetime) -> Iterator[str]:
    """Remind the partner (its publisher and generic mailbox) of a question
    12 hours before its deadline; once per question, so that a thread
    reopened by a new question gets a reminder of its own. A line per
    reminder sent; raises when a mail cannot go (the next run tries again)."""
    for item in _open_threads(now):
        if item.state != response_clock.AWAITING or not sla.reminder_due(item.due_at, now):
            continue
        key = f"comment-reminder/{item.thread.id}/{item.started_at.isoformat()}"
        if pmodel.event_recorded(key):
            continue
        to = partner_side(item.thread.organization_id)
        subject, body = _comment_reminder_mail(item)
        if to and not mail.send(to, subject, body):
            raise RuntimeError(f"mail of {key} could not be sent")
        model.Session.add(pmodel.Event(key=key, agreement_id=item.agreement.id,
                                       kind="comment_reminder",
                                       package_id=item.thread.package_id,
                                       detail=f"due {item.due_at.isoformat()}"))
        model.Session.commit()
        yield f"{_thread_line(item.thread)}: comment reminder, due {item.due_at.isoformat()}"


def _both_sides(organization_id: str) -> list[tuple[str, str]]:
    """The host's mailbox, the partner's publisher and mailbox, each once."""
    host = host_side()
    hosts = {email for _name, email in host}
    return host + [p for p in partner_side(organization_id) if p[1] not in hosts]


def _comment_digest_mail(organization_id: str, overdue: list[_Open]) -> tuple[str, str]:
    """The digest of an organisation's overdue threads: subject and body."""
    partner = roles.partner_name(organization_id)
    subject = _("Past the deadline without an answer ({count}): {partner}").format(
        count=len(overdue), partner=partner)
    items = "\n".join(
        _("- {label}, due {due}\n  {url}").format(
            label=_thread_label(item.thread), due=mail.when(item.due_at),
            url=thread_url(item.thread))
        for item in overdue)
    body = _("Messages to {partner} still without an answer past the agreement's "
             "deadline ({hours} hours). The partner answers them from its own "
             "account.\n\n{items}\n\nMessages to answer: {threads}\n").format(
        partner=partner, hours=sla_hours(organization_id), items=items,
        threads=tk.url_for("partnership.threads", _external=True))
    return subject, body


def comment_digests(now: dt.datetime) -> Iterator[str]:
    """Once a day (UTC), to the host's mailbox and the partner's side, the
    list of each organisation's overdue threads, oldest deadline first. A
    line per digest sent; raises when a mail cannot go."""
    by_org: dict[str, list[_Open]] = {}
    for item in _open_threads(now):
        if item.state == response_clock.OVERDUE:
            by_org.setdefault(item.thread.organization_id, []).append(item)
    for organization_id, overdue in by_org.items():
        key = f"comment-digest/{organization_id}/{now.date().isoformat()}"
        if pmodel.event_recorded(key):
            continue
        overdue.sort(key=lambda item: item.due_at)
        to = _both_sides(organization_id)
        subject, body = _comment_digest_mail(organization_id, overdue)
        if to and not mail.send(to, subject, body):
            raise RuntimeError(f"mail of {key} could not be sent")
        model.Session.add(pmodel.Event(key=key, agreement_id=overdue[0].agreement.id,
                                       kind="comment_digest",
                                       detail=f"{len(overdue)} overdue"))
        model.Session.commit()
        org = model.Group.get(organization_id)
        yield f"{org.name if org else organization_id}: comment digest, {len(overdue)} overdue"
