# -*- coding: utf-8 -*-
"""``ckan partnership notify``: reminders of agreement deadlines, the end
of agreements whose day has come, and the validation queue's deadlines (a
reminder to the validators 12 hours before, an escalation to the host's
admins once passed), and the partners' answers to their users (a reminder
12 hours before a thread's deadline, a daily digest of the overdue ones).
Safe to run every hour: each reminder, escalation, digest and ending is
recorded once (``partnership_event``).

An ending is done completely or tried again at the next run: each dataset
withdrawn is made private, recorded and written to the search index in one
unit of work (CKAN indexes before the commit, so a Solr that refuses it
rolls the dataset back), and the agreement's withdrawal counts as done
(``withdrawal-done/<agreement>``) only once the index shows none of the
partner's datasets public that the database holds private. Until then
every run looks again.

It also queues again the resource checks whose job was lost
(:func:`ckanext.partnership.resource_checks.recover`)."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Iterator, NamedTuple

from flask_babel import force_locale
from sqlalchemy import and_, exists, literal, or_

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import mailer, search

from ckanext.partnership import discussions, publication, resource_checks
from ckanext.partnership import model as pmodel
from ckanext.partnership.core import mail, roles
from ckanext.partnership.domain import agreement_calendar, publication_rules, response_clock, sla
from ckanext.partnership.model import locks

log = logging.getLogger(__name__)

_ = tk._

REFERENT_ROLES = ("referent", "host_referent")


def _recorded(key: str) -> bool:
    return model.Session.query(pmodel.Event).filter_by(key=key).count() > 0


def _record(agreement: Any, key: str, kind: str, detail: str,
            package_id: str | None = None) -> None:
    model.Session.add(pmodel.Event(key=key, agreement_id=agreement.id, kind=kind,
                                   detail=detail, package_id=package_id))
    model.Session.commit()


def _referents(agreement: Any) -> list[tuple[str, str]]:
    """(name, email) of the current referents of both sides."""
    people = []
    for contact in agreement.contacts:
        if contact.role not in REFERENT_ROLES or contact.until is not None:
            continue
        user = model.User.get(contact.user_id) if contact.user_id else None
        email = contact.email or (user.email if user else None)
        name = contact.name or (user.fullname or user.name if user else "")
        if email:
            people.append((name, email))
    return people


def _event_label(kind: str) -> str:
    return {
        "notice_deadline": _("the notice deadline"),
        "renewal": _("the tacit renewal"),
        "end": _("the end"),
    }[kind]


def _send_reminder(agreement: Any, kind: str, date: dt.date, days: int) -> None:
    org = model.Group.get(agreement.organization_id)
    subject = _("Agreement {reference}: {event} on {date}").format(
        reference=agreement.reference, event=_event_label(kind),
        date=date.strftime("%d/%m/%Y"))
    body = _(
        "The partnership agreement {reference} with {partner} reaches {event} "
        "on {date}, in {days} days.\n\n"
        "Notice deadline: notice given by this date stops the next tacit renewal.\n"
    ).format(reference=agreement.reference, partner=org.title if org else "",
             event=_event_label(kind), date=date.strftime("%d/%m/%Y"), days=days)
    for name, email in _referents(agreement):
        mailer.mail_recipient(name, email, subject, body)


def _reminders(agreement: Any, today: dt.date) -> Iterator[str]:
    terms = agreement.terms()
    cal = agreement_calendar.calendar(terms, today)
    events = {
        "notice_deadline": cal.notice_deadline if agreement.state == "active" else None,
        "renewal": cal.next_renewal_on if agreement.state == "active" else None,
        "end": agreement_calendar.end_date(terms, today, agreement.ends_on),
    }
    sent = {
        (kind, date, days)
        for kind, date in events.items() if date
        for days in agreement_calendar.REMINDER_DAYS
        if _recorded(f"reminder/{agreement.id}/{kind}/{date.isoformat()}/{days}")
    }
    for kind, date, days in agreement_calendar.reminders_due(events, today, sent):
        key = f"reminder/{agreement.id}/{kind}/{date.isoformat()}/{days}"
        _send_reminder(agreement, kind, date, days)
        _record(agreement, key, "reminder", f"{kind} {date.isoformat()} ({days} days)")
        yield f"{agreement.reference}: reminder, {kind} on {date.isoformat()}, {days} days before"


def _end(agreement: Any, today: dt.date) -> Iterator[str]:
    """End the agreement if its day has come, and apply its end policy."""
    end = agreement_calendar.end_date(agreement.terms(), today, agreement.ends_on)
    if end is None or today < end:
        return
    if agreement.state != "ended":
        agreement.state = "ended"
        agreement.ends_on = end
        _record(agreement, f"end/{agreement.id}", "ended", f"ended on {end.isoformat()}")
        yield f"{agreement.reference}: ended on {end.isoformat()}"
    if agreement.end_policy == "withdraw":
        yield from _withdraw(agreement, end)


def _withdrawal_done_key(agreement_id: Any) -> Any:
    return literal("withdrawal-done/") + agreement_id


def _withdraw(agreement: Any, end: dt.date) -> Iterator[str]:
    """Make the partner's public datasets private, each in the database and
    the search index at once; then check that the index agrees with the
    database and record the withdrawal as done. Raises (the caller rolls
    back, the next run goes on) while Solr is down."""
    org_id = agreement.organization_id
    governing = pmodel.agreement_in_force(org_id)
    if governing is None or governing.id == agreement.id:
        public = (model.Session.query(model.Package)
                  .filter(model.Package.owner_org == org_id)
                  .filter(model.Package.private == False)  # noqa: E712
                  .filter(model.Package.state == "active")
                  .order_by(model.Package.name).all())
        for package in public:
            package.private = True
            publication.add_activity(package, None, "withdrawn")
            model.Session.add(pmodel.Event(
                key=f"withdraw/{agreement.id}/{package.id}", agreement_id=agreement.id,
                kind="withdrawn", package_id=package.id,
                detail=f"agreement {agreement.reference} ended on {end.isoformat()} "
                       f"(end policy: withdraw)"))
            # CKAN writes the dataset to the index before the commit; if
            # Solr refuses, the commit raises and nothing is stored
            model.Session.commit()
            yield f"{agreement.reference}: dataset {package.name} made private"
        for package_id, name in _shown_public_but_private(org_id):
            search.rebuild(package_id)
            yield f"{agreement.reference}: dataset {name} removed from the public search"
    # else a newer agreement governs the partner's datasets now
    _record(agreement, f"withdrawal-done/{agreement.id}", "withdrawal_done",
            "withdrawal complete: the search index agrees with the database")


def _shown_public_but_private(org_id: str) -> list[tuple[str, str]]:
    """The partner's datasets that the search index shows as public while
    the database holds them private (or deleted): (id, name)."""
    shown: set[str] = set()
    rows, start = 1000, 0
    while True:  # what anonymous searches find, a page at a time
        found = search.query_for(model.Package).run({
            "q": "*:*", "fq": f'+owner_org:"{org_id}" +capacity:public',
            "fl": "id", "rows": rows, "start": start, "facet": "false"},
            permission_labels=None)
        shown.update(found["results"])
        start += rows
        if start >= found["count"] or not found["results"]:
            break
    if not shown:
        return []
    return (model.Session.query(model.Package.id, model.Package.name)
            .filter(model.Package.id.in_(shown))
            .filter(or_(model.Package.private == True,  # noqa: E712
                        model.Package.state != "active"))
            .order_by(model.Package.name).all())


def _queue_mail(row: Any, kind: str) -> tuple[list[tuple[str, str]], str, str]:
    """The reminder (to the validators) or the escalation (to the host's
    admins) of a pending request."""
    package = model.Package.get(row.package_id)
    org = model.Group.get(row.organization_id)
    partner = (org.title or org.name) if org else ""
    queue = tk.url_for("partnership.queue", _external=True)
    if kind == "reminder":
        subject = _("Decision due before {due}: {title}").format(
            due=publication.when(row.due_at), title=package.title)
        body = _("The publication request of «{title}» ({partner}) is to be decided "
                 "before {due}, in less than {hours} hours.\n\nQueue: {queue}\n").format(
            title=package.title, partner=partner, due=publication.when(row.due_at),
            hours=sla.REMINDER_HOURS, queue=queue)
        return mail.recipients(roles.validators()), subject, body
    subject = _("Deadline missed: {title}").format(title=package.title)
    body = _("The publication request of «{title}» ({partner}), submitted on {submitted}, "
             "was to be decided before {due}. The agreement's deadline has passed and "
             "it is still waiting.\n\nQueue: {queue}\n").format(
        title=package.title, partner=partner, submitted=publication.when(row.submitted_at),
        due=publication.when(row.due_at), queue=queue)
    return mail.recipients(roles.host_admins()), subject, body


def _queue(now: dt.datetime) -> Iterator[str]:
    """Remind the validators of a deadline 12 hours ahead; escalate to the
    host's admins once it has passed. Each once per request."""
    pending = (model.Session.query(pmodel.PublicationRequest)
               .filter(pmodel.PublicationRequest.status == publication_rules.PENDING)
               .order_by(pmodel.PublicationRequest.due_at).all())
    for row in pending:
        if sla.overdue(row.due_at, now):
            kind = "escalation"
        elif sla.reminder_due(row.due_at, now):
            kind = "reminder"
        else:
            continue
        key = f"queue-{kind}/{row.id}"
        if _recorded(key):
            continue
        to, subject, body = _queue_mail(row, kind)
        if to and not mail.send(to, subject, body):
            raise RuntimeError(f"mail of {key} could not be sent")
        model.Session.add(pmodel.Event(key=key, agreement_id=row.agreement_id, kind=kind,
                                       package_id=row.package_id,
                                       detail=f"due {row.due_at.isoformat()}"))
        model.Session.commit()
        package = model.Package.get(row.package_id)
        yield f"{package.name if package else row.package_id}: {kind}, due {row.due_at.isoformat()}"


def _flags() -> Iterator[str]:
    """Tell of the published datasets flagged while no mail could be
    written (a check run by a bare worker)."""
    failing = (model.Session.query(pmodel.ResourceCheck.package_id)
               .filter(pmodel.ResourceCheck.status.in_(("failure", "error"))).distinct())
    for (package_id,) in failing:
        if publication.flag_if_failing(package_id):
            model.Session.commit()
            yield f"{model.Package.get(package_id).name}: flagged"


# -- comments and contact messages (000 §10.1.3) -------------------------------

class _Open(NamedTuple):
    """A thread with a question on it, not closed, and its clock."""

    thread: pmodel.Thread
    agreement: pmodel.Agreement
    state: str  # awaiting | answered | overdue
    started_at: dt.datetime  # the current (or last) question
    due_at: dt.datetime


def _open_threads(now: dt.datetime) -> Iterator[_Open]:
    """The threads not closed that have a question, oldest first. Only the
    threads of organisations that have an agreement are followed (the
    record of what was sent, ``partnership_event``, belongs to an
    agreement), and only those the partner can still answer."""
    threads = (model.Session.query(pmodel.Thread)
               .filter(pmodel.Thread.closed_at.is_(None))
               .order_by(pmodel.Thread.created).all())
    for thread in threads:
        agreement = pmodel.current_agreement(thread.organization_id)
        if agreement is None or not _answerable(thread):
            continue
        clock = discussions.thread_clock(thread, now)
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


def _partner_title(organization_id: str) -> str:
    org = model.Group.get(organization_id)
    return (org.title or org.name) if org else ""


def _comment_reminder_mail(item: _Open) -> tuple[str, str]:
    """The reminder to the partner: subject and body."""
    label = _thread_label(item.thread)
    subject = _("Answer due before {due}: {label}").format(
        due=publication.when(item.due_at), label=label)
    body = _("A message to {partner} is waiting for its answer: {label}. The agreement "
             "asks for an answer from the partner's account before {due}, in less than "
             "{hours} hours.\n\n{url}\n").format(
        partner=_partner_title(item.thread.organization_id), label=label,
        due=publication.when(item.due_at), hours=sla.REMINDER_HOURS,
        url=discussions.thread_url(item.thread))
    return subject, body


def _comment_reminders(now: dt.datetime) -> Iterator[str]:
    """Remind the partner (its publisher and generic mailbox) of a question
    12 hours before its deadline; once per question, so that a thread
    reopened by a new question gets a reminder of its own."""
    for item in _open_threads(now):
        if item.state != response_clock.AWAITING or not sla.reminder_due(item.due_at, now):
            continue
        key = f"comment-reminder/{item.thread.id}/{item.started_at.isoformat()}"
        if _recorded(key):
            continue
        to = discussions.partner_side(item.thread.organization_id)
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
    host = discussions.host_side()
    hosts = {email for _name, email in host}
    return host + [p for p in discussions.partner_side(organization_id) if p[1] not in hosts]


def _comment_digest_mail(organization_id: str, overdue: list[_Open]) -> tuple[str, str]:
    """The digest of an organisation's overdue threads: subject and body."""
    partner = _partner_title(organization_id)
    subject = _("Past the deadline without an answer ({count}): {partner}").format(
        count=len(overdue), partner=partner)
    items = "\n".join(
        _("- {label}, due {due}\n  {url}").format(
            label=_thread_label(item.thread), due=publication.when(item.due_at),
            url=discussions.thread_url(item.thread))
        for item in overdue)
    body = _("Messages to {partner} still without an answer past the agreement's "
             "deadline ({hours} hours). The partner answers them from its own "
             "account.\n\n{items}\n\nMessages to answer: {threads}\n").format(
        partner=partner, hours=discussions.sla_hours(organization_id), items=items,
        threads=tk.url_for("partnership.threads", _external=True))
    return subject, body


def _comment_digests(now: dt.datetime) -> Iterator[str]:
    """Once a day (UTC), to the host's mailbox and the partner's side, the
    list of each organisation's overdue threads, oldest deadline first."""
    by_org: dict[str, list[_Open]] = {}
    for item in _open_threads(now):
        if item.state == response_clock.OVERDUE:
            by_org.setdefault(item.thread.organization_id, []).append(item)
    for organization_id, overdue in by_org.items():
        key = f"comment-digest/{organization_id}/{now.date().isoformat()}"
        if _recorded(key):
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


def _checks() -> Iterator[str]:
    """Queue again the resource checks whose job was lost, give up those
    tried too often; skipped while ``ckan partnership check`` does it."""
    with locks.held("check") as mine:
        if not mine:
            return
        yield from resource_checks.recovery_lines(resource_checks.recover())


def run(today: dt.date, failures: list[str] | None = None,
        now: dt.datetime | None = None) -> list[str]:
    """Send the reminders due ``today`` and end the agreements whose day has
    come; remind of the validation queue's and the comment threads'
    deadlines at ``now``, and send the day's digest of overdue threads;
    queue again the checks whose job was lost; return a line per thing
    done. An agreement that fails (say, mail cannot go) is left for the
    next run, its line added to ``failures``."""
    # Mail goes out in the portal's language (run() is called inside a
    # request, the CLI's own when run from cron).
    with force_locale(tk.config.get("ckan.locale_default") or "en"):
        done = _run(today, failures)
        try:
            done.extend(_checks())
        except Exception as error:  # Redis down: left for the next run
            model.Session.rollback()
            log.exception("notify: resource checks")
            if failures is not None:
                failures.append(f"resource checks: failed: {error}")
        for step in (lambda: _queue(now or pmodel._now()), _flags):
            try:
                done.extend(step())
            except Exception as error:  # left for the next run
                model.Session.rollback()
                log.exception("notify: publication")
                if failures is not None:
                    failures.append(f"publication: failed: {error}")
        at = now or pmodel._now()
        for step in (lambda: _comment_reminders(at), lambda: _comment_digests(at)):
            try:
                done.extend(step())
            except Exception as error:  # left for the next run
                model.Session.rollback()
                log.exception("notify: comments")
                if failures is not None:
                    failures.append(f"comments: failed: {error}")
        return done


def _run(today: dt.date, failures: list[str] | None) -> list[str]:
    done: list[str] = []
    Agreement, Event = pmodel.Agreement, pmodel.Event
    agreements = (
        model.Session.query(Agreement)
        .filter(or_(
            Agreement.state.in_(("active", "terminating")),
            # ended, its withdrawal not done yet (Solr was down): again
            and_(Agreement.state == "ended", Agreement.end_policy == "withdraw",
                 ~exists().where(Event.key == _withdrawal_done_key(Agreement.id)))))
        .order_by(Agreement.reference)
        .all()
    )
    for agreement in agreements:
        reference = agreement.reference
        try:
            if agreement.state != "ended":
                done.extend(_reminders(agreement, today))
            done.extend(_end(agreement, today))
        except Exception as error:  # one agreement's trouble must not stop the others
            model.Session.rollback()
            log.exception("notify: agreement %s", reference)
            if failures is not None:
                failures.append(f"{reference}: failed: {error}")
    return done
