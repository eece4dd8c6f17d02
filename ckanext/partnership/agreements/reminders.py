# -*- coding: utf-8 -*-
"""The agreements' calendar, from ``ckan partnership notify``: the
reminders of their deadlines (a notice deadline, a tacit renewal, an end)
to the referents of both sides, and the end of the agreements whose day
has come. Each reminder and ending is recorded once (``partnership_event``).
What an ending does to the partner's datasets (its end policy) is the
publication's: :func:`ckanext.partnership.publication.withdraw_ended`."""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterator, Optional

from sqlalchemy import and_, exists, literal, or_

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import mailer

from ckanext.partnership import model as pmodel
from ckanext.partnership.core import mail
from ckanext.partnership.domain import agreement_calendar

_ = tk._

REFERENT_ROLES = ("referent", "host_referent")


def followed_agreements() -> list[pmodel.Agreement]:
    """The agreements the daily run looks at, by reference: those in force,
    and those ended whose withdrawal is not complete yet (Solr was down)."""
    Agreement, Event = pmodel.Agreement, pmodel.Event
    # the key of each agreement's withdrawal-done event, in SQL
    done_key = literal(pmodel.withdrawal_done_key("")) + Agreement.id
    return (
        model.Session.query(Agreement)
        .filter(or_(
            Agreement.state.in_(("active", "terminating")),
            # ended, its withdrawal not done yet (Solr was down): again
            and_(Agreement.state == "ended", Agreement.end_policy == "withdraw",
                 ~exists().where(Event.key == done_key))))
        .order_by(Agreement.reference)
        .all()
    )


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
        mailer.mail_recipient(mail.display_name(name), email, subject, body)


def _reminder_keys(agreement_id: str) -> set[str]:
    """The keys of the reminders recorded for the agreement, in one query
    (not one per deadline and delay)."""
    Event = pmodel.Event
    return {key for (key,) in model.Session.query(Event.key)
            .filter(Event.agreement_id == agreement_id, Event.kind == "reminder")}


def _reminders(agreement: Any, today: dt.date) -> Iterator[str]:
    terms = agreement.terms()
    cal = agreement_calendar.calendar(terms, today)
    events = {
        "notice_deadline": cal.notice_deadline if agreement.state == "active" else None,
        "renewal": cal.next_renewal_on if agreement.state == "active" else None,
        "end": agreement_calendar.end_date(terms, today, agreement.ends_on),
    }
    recorded = _reminder_keys(agreement.id)
    sent = {
        (kind, date, days)
        for kind, date in events.items() if date
        for days in agreement_calendar.REMINDER_DAYS
        if f"reminder/{agreement.id}/{kind}/{date.isoformat()}/{days}" in recorded
    }
    for kind, date, days in agreement_calendar.reminders_due(events, today, sent):
        key = f"reminder/{agreement.id}/{kind}/{date.isoformat()}/{days}"
        _send_reminder(agreement, kind, date, days)
        _record(agreement, key, "reminder", f"{kind} {date.isoformat()} ({days} days)")
        yield f"{agreement.reference}: reminder, {kind} on {date.isoformat()}, {days} days before"


def end_reached(agreement: Any, today: dt.date) -> Optional[dt.date]:
    """The agreement's end, once its day has come (``today`` or before);
    None while it is in force."""
    end = agreement_calendar.end_date(agreement.terms(), today, agreement.ends_on)
    return None if end is None or today < end else end


def _end(agreement: Any, today: dt.date) -> Iterator[str]:
    """End the agreement if its day has come."""
    end = end_reached(agreement, today)
    if end is not None and agreement.state != "ended":
        agreement.state = "ended"
        agreement.ends_on = end
        _record(agreement, f"end/{agreement.id}", "ended", f"ended on {end.isoformat()}")
        yield f"{agreement.reference}: ended on {end.isoformat()}"


def calendar_step(agreement: Any, today: dt.date) -> Iterator[str]:
    """The agreement's reminders due ``today`` (while it has not ended),
    then its end if the day has come; a line per thing done. Raises (the
    caller rolls back, the next run tries again) when a mail cannot go."""
    if agreement.state != "ended":
        yield from _reminders(agreement, today)
    yield from _end(agreement, today)
