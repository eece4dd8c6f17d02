# -*- coding: utf-8 -*-
"""``ckan partnership notify``: reminders of agreement deadlines, the end
of agreements whose day has come, and the validation queue's deadlines (a
reminder to the validators 12 hours before, an escalation to the host's
admins once passed). Safe to run every hour: each reminder, escalation and
ending is recorded once (``partnership_event``)."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Iterator

from flask_babel import force_locale

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import mailer

from ckanext.partnership import calendar, mail, publication, roles, sla, workflow
from ckanext.partnership import model as pmodel

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
    cal = calendar.calendar(terms, today)
    events = {
        "notice_deadline": cal.notice_deadline if agreement.state == "active" else None,
        "renewal": cal.next_renewal_on if agreement.state == "active" else None,
        "end": calendar.end_date(terms, today, agreement.ends_on),
    }
    sent = {
        (kind, date, days)
        for kind, date in events.items() if date
        for days in calendar.REMINDER_DAYS
        if _recorded(f"reminder/{agreement.id}/{kind}/{date.isoformat()}/{days}")
    }
    for kind, date, days in calendar.reminders_due(events, today, sent):
        key = f"reminder/{agreement.id}/{kind}/{date.isoformat()}/{days}"
        _send_reminder(agreement, kind, date, days)
        _record(agreement, key, "reminder", f"{kind} {date.isoformat()} ({days} days)")
        yield f"{agreement.reference}: reminder, {kind} on {date.isoformat()}, {days} days before"


def _site_context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def _end(agreement: Any, today: dt.date) -> Iterator[str]:
    """End the agreement if its day has come, and apply its end policy."""
    end = calendar.end_date(agreement.terms(), today, agreement.ends_on)
    if end is None or today < end or agreement.state == "ended":
        return
    agreement.state = "ended"
    agreement.ends_on = end
    _record(agreement, f"end/{agreement.id}", "ended", f"ended on {end.isoformat()}")
    yield f"{agreement.reference}: ended on {end.isoformat()}"
    if agreement.end_policy != "withdraw":
        return
    public = (
        model.Session.query(model.Package.id, model.Package.name)
        .filter(model.Package.owner_org == agreement.organization_id)
        .filter(model.Package.private == False)  # noqa: E712
        .filter(model.Package.state == "active")
        .all()
    )
    if not public:
        return
    tk.get_action("bulk_update_private")(
        _site_context(),
        {"org_id": agreement.organization_id, "datasets": [p.id for p in public]},
    )
    for package_id, name in public:
        _record(agreement, f"withdraw/{agreement.id}/{package_id}", "withdrawn",
                f"agreement {agreement.reference} ended on {end.isoformat()} "
                f"(end policy: withdraw)", package_id=package_id)
        yield f"{agreement.reference}: dataset {name} made private"


def _queue_mail(row: Any, kind: str) -> tuple[list[tuple[str, str]], str, str]:
    """The reminder (to the validators) or the escalation (to the host's
    admins) of a pending request."""
    package = model.Package.get(row.package_id)
    org = model.Group.get(row.organization_id)
    partner = (org.title or org.name) if org else ""
    queue = tk.url_for("partnership.queue", _external=True)
    if kind == "reminder":
        subject = _("Decision due before {due}: {title}").format(
            due=workflow.when(row.due_at), title=package.title)
        body = _("The publication request of «{title}» ({partner}) is to be decided "
                 "before {due}, in less than {hours} hours.\n\nQueue: {queue}\n").format(
            title=package.title, partner=partner, due=workflow.when(row.due_at),
            hours=sla.REMINDER_HOURS, queue=queue)
        return mail.recipients(roles.validators()), subject, body
    subject = _("Deadline missed: {title}").format(title=package.title)
    body = _("The publication request of «{title}» ({partner}), submitted on {submitted}, "
             "was to be decided before {due}. The agreement's deadline has passed and "
             "it is still waiting.\n\nQueue: {queue}\n").format(
        title=package.title, partner=partner, submitted=workflow.when(row.submitted_at),
        due=workflow.when(row.due_at), queue=queue)
    return mail.recipients(roles.host_admins()), subject, body


def _queue(now: dt.datetime) -> Iterator[str]:
    """Remind the validators of a deadline 12 hours ahead; escalate to the
    host's admins once it has passed. Each once per request."""
    pending = (model.Session.query(pmodel.PublicationRequest)
               .filter(pmodel.PublicationRequest.status == publication.PENDING)
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
        if workflow.flag_if_failing(package_id):
            model.Session.commit()
            yield f"{model.Package.get(package_id).name}: flagged"


def run(today: dt.date, failures: list[str] | None = None,
        now: dt.datetime | None = None) -> list[str]:
    """Send the reminders due ``today`` and end the agreements whose day has
    come; return a line per thing done. An agreement that fails (say, mail
    cannot go) is left for the next run, its line added to ``failures``."""
    # Mail goes out in the portal's language (run() is called inside a
    # request, the CLI's own when run from cron).
    with force_locale(tk.config.get("ckan.locale_default") or "en"):
        done = _run(today, failures)
        for step in (lambda: _queue(now or pmodel._now()), _flags):
            try:
                done.extend(step())
            except Exception as error:  # left for the next run
                model.Session.rollback()
                log.exception("notify: publication")
                if failures is not None:
                    failures.append(f"publication: failed: {error}")
        return done


def _run(today: dt.date, failures: list[str] | None) -> list[str]:
    done: list[str] = []
    agreements = (
        model.Session.query(pmodel.Agreement)
        .filter(pmodel.Agreement.state.in_(("active", "terminating")))
        .all()
    )
    for agreement in agreements:
        reference = agreement.reference
        try:
            done.extend(_reminders(agreement, today))
            done.extend(_end(agreement, today))
        except Exception as error:  # one agreement's trouble must not stop the others
            model.Session.rollback()
            log.exception("notify: agreement %s", reference)
            if failures is not None:
                failures.append(f"{reference}: failed: {error}")
    return done
