# -*- coding: utf-8 -*-
"""The publisher named in an agreement, and its changes reported to the
host (000 §9.1.2: the publisher is the host's contact at the partner, and
"a change of publisher must be reported to the host without delay").

The portal tells the host's referent and the validators, by mail, when the
publisher an agreement in force names leaves the partner organisation (its
membership removed, or its account deleted) or loses the right to publish
(made a plain ``member``). It looks after every change of membership or
account, whatever action made it, and again on each ``ckan partnership
notify`` run, which catches what no action did (a change in the database).
Each change is reported once (``partnership_event``), recorded when its
mail went: a mail server down leaves it to be reported again.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Iterable, NamedTuple, Optional

from sqlalchemy import and_, or_

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.partnership import model as pmodel
from ckanext.partnership.core import mail, roles
from ckanext.partnership.domain import agreement_calendar

log = logging.getLogger(__name__)
_ = tk._

#: The states of agreements in force.
_IN_FORCE = ("active", "terminating")


class Standing(NamedTuple):
    agreement: Any
    contact: Any
    user: Any
    standing: str


def standings(agreement_ids: Optional[Iterable[str]] = None,
              today: Optional[dt.date] = None) -> dict[str, Standing]:
    """The standing of the publisher of each agreement in force (or of
    those ``agreement_ids``) that names one, by agreement id: one query."""
    today = today or dt.date.today()
    A, C, U, M = pmodel.Agreement, pmodel.Contact, model.User, model.Member
    query = (
        model.Session.query(A, C, U, M.capacity)
        .join(C, and_(C.agreement_id == A.id, C.role == "publisher", C.user_id.isnot(None),
                      C.since <= today, or_(C.until.is_(None), C.until > today)))
        .join(U, U.id == C.user_id)
        .outerjoin(M, and_(M.table_id == U.id, M.group_id == A.organization_id,
                           M.table_name == "user", M.state == "active"))
    )
    if agreement_ids is None:
        query = query.filter(A.state.in_(_IN_FORCE))
    else:
        ids = list(agreement_ids)
        if not ids:
            return {}
        query = query.filter(A.id.in_(ids))
    found: dict[str, Standing] = {}
    for agreement, contact, user, capacity in query.order_by(A.reference, C.since):
        found[agreement.id] = Standing(agreement, contact, user, agreement_calendar.
                                       publisher_standing(True, user.state, capacity))
    return found


def _key(standing: Standing) -> str:
    return f"publisher-{standing.standing}:{standing.contact.id}"


def _host_side(agreement: Any) -> list[tuple[str, str]]:
    """(name, email) of the host's referents of the agreement and of the
    validators, each once."""
    people: list[Any] = list(roles.validators())
    addresses: list[tuple[str, str]] = []
    for contact in agreement.contacts:
        if contact.role != "host_referent" or contact.until is not None:
            continue
        if contact.user_id:
            people.append(model.User.get(contact.user_id))
        elif contact.email:
            addresses.append((contact.name or contact.email, contact.email))
    found = mail.recipients(people)
    seen = {email for _name, email in found}
    return found + [(n, e) for n, e in addresses if e not in seen]


def _message(standing: Standing) -> tuple[str, str]:
    agreement, user = standing.agreement, standing.user
    partner = roles.partner_name(agreement.organization_id)
    who = user.fullname or user.name
    if standing.standing == agreement_calendar.PUBLISHER_LEFT:
        subject = _("{partner}: the publisher {name} is no longer a member").format(
            partner=partner, name=who)
        what = _("{name}, the publisher named in the agreement {reference}, is no longer a "
                 "member of {partner} (membership removed or account deleted).")
    else:
        subject = _("{partner}: the publisher {name} can no longer publish").format(
            partner=partner, name=who)
        what = _("{name}, the publisher named in the agreement {reference}, is now a plain "
                 "member of {partner} and can no longer edit or publish its datasets.")
    body = "\n\n".join([
        what.format(name=who, reference=agreement.reference, partner=partner),
        _("A change of publisher is reported to the host without delay (000 §9.1.2). Until "
          "the agreement names a new publisher, only the host's validators publish or "
          "withdraw the partner's datasets."),
        _("Name the new publisher on the agreement's page: {url}").format(
            url=tk.url_for("partnership.read", id=agreement.id, _external=True)),
    ])
    return subject, body


def report_changes(agreement_ids: Optional[Iterable[str]] = None) -> list[str]:
    """Report to the host each publisher of an agreement in force who left
    the partner or can no longer publish, once per change; a line per
    report. A report is recorded once its mail went: when the mail server
    is down, the next change or ``notify`` run reports it again. Called
    outside any transaction of its own (after the change's commit)."""
    done = []
    found = [s for s in standings(agreement_ids).values()
             if s.standing in (agreement_calendar.PUBLISHER_LEFT,
                               agreement_calendar.PUBLISHER_NO_RIGHTS)]
    if not found:
        return done
    keys = {k for (k,) in model.Session.query(pmodel.Event.key)
            .filter(pmodel.Event.key.in_([_key(s) for s in found]))}
    for standing in found:
        if _key(standing) in keys:
            continue
        subject, body = _message(standing)
        if not mail.send(_host_side(standing.agreement), subject, body):
            log.error("the change of publisher of %s is not reported: no mail went",
                      standing.agreement.reference)
            continue
        model.Session.add(pmodel.Event(
            key=_key(standing), agreement_id=standing.agreement.id,
            kind="publisher_" + standing.standing, detail=standing.user.name))
        model.Session.commit()
        done.append(f"publisher {standing.user.name} of {standing.agreement.reference}: "
                    f"{standing.standing}, reported to the host")
    return done


def report_after_change() -> None:
    """:func:`report_changes` after a change of membership or account: a
    report that fails is logged and left to the next ``notify`` run, never
    a reason to undo the change, already committed."""
    try:
        report_changes()
    except Exception:  # the change is made; notify reports it later
        model.Session.rollback()
        log.exception("the publishers' standing could not be checked")
