# -*- coding: utf-8 -*-
"""The monthly compliance digest, from ``ckan partnership notify``: to the
publisher of each partner under an agreement in force, its late datasets
and its datasets failing a criterion of the open-data label, once a month
(``partnership_event``), nothing when all is well.

Everything is read in a fixed number of queries whatever the number of
partners and datasets (:func:`monthly_digests`): the agreements in force
and their contacts, the publishers, the digests already sent this month,
and the store (``partnership_dataset_compliance``) with the datasets'
titles, each list cut to :data:`LIMIT` rows per partner in SQL. Only
active public datasets count, as in the figures
(:mod:`.summaries`): a private dataset's title never reaches a mail.
Sending (:func:`send_digest`) is one step per partner, so that one that
fails leaves the others be."""
from __future__ import annotations

import datetime as dt
from typing import Iterator, NamedTuple, Optional

from sqlalchemy import orm, text

import ckan.model as model

from ckanext.partnership import model as pmodel
from ckanext.partnership.core import mail, roles
from ckanext.partnership.domain import agreement_calendar, open_label

from . import mails

#: At most this many datasets of each list in a mail; the rest is counted
#: and linked to the partner's compliance page.
LIMIT = 50
KIND = "compliance_digest"


class Entry(NamedTuple):
    """A dataset in a digest: its name and title, its days late (None when
    it never showed an update), its failing criteria in the label's order."""

    name: str
    title: str
    days_late: Optional[int]
    failing: tuple[str, ...]


class Digest(NamedTuple):
    """One partner's digest of the month, ready to send."""

    key: str
    agreement_id: str
    organization_name: str
    partner: str
    to: list[tuple[str, str]]
    late: list[Entry]
    late_count: int
    failing: list[Entry]
    failing_count: int  # datasets failing a criterion
    criteria_count: int  # failing criteria, all those datasets together


def digest_key(organization_id: str, today: dt.date) -> str:
    return f"compliance-digest/{organization_id}/{today:%Y-%m}"


# Late exactly as the figures decide it (summaries.py); a criterion failing
# as last computed, but for ``timely``, which the late list already tells
# by today's date. Each list ranked and counted per partner, cut in SQL.
_ROWS = text("""
WITH d AS (
  SELECT p.owner_org AS org, g.name AS org_name, g.title AS org_title,
         p.name, p.title,
         ((c.timely_fixed IS NULL AND c.expected_by < :today)
          OR c.timely_fixed = 'late') AS late,
         CASE WHEN c.timely_fixed IS NULL AND c.expected_by < :today
              THEN CAST(:today AS date) - c.expected_by END AS days_late,
         ARRAY(SELECT e.key FROM json_each_text(c.criteria) AS e
               WHERE e.value = 'fail' AND e.key <> 'timely') AS failing,
         p.id
  FROM partnership_dataset_compliance c
  JOIN package p ON p.id = c.package_id
  JOIN "group" g ON g.id = p.owner_org AND g.state = 'active'
  WHERE p.state = 'active' AND p.type = 'dataset' AND NOT p.private
    AND p.owner_org = ANY(:orgs)
), k AS (
  SELECT 'late' AS kind, org, org_name, org_title, name, title, days_late, failing,
         row_number() OVER (PARTITION BY org ORDER BY days_late DESC NULLS FIRST,
                            title, id) AS n,
         count(*) OVER (PARTITION BY org) AS total,
         0 AS criteria
  FROM d WHERE late
  UNION ALL
  SELECT 'label', org, org_name, org_title, name, title, days_late, failing,
         row_number() OVER (PARTITION BY org ORDER BY cardinality(failing) DESC,
                            title, id),
         count(*) OVER (PARTITION BY org),
         sum(cardinality(failing)) OVER (PARTITION BY org)
  FROM d WHERE cardinality(failing) > 0
)
SELECT kind, org, org_name, org_title, name, title, days_late, failing, total, criteria
FROM k WHERE n <= :limit ORDER BY org, kind, n
""")


def _agreements_in_force(today: dt.date) -> dict[str, pmodel.Agreement]:
    """The agreement in force ``today`` of each partner, its contacts
    loaded with it (two queries)."""
    found = (model.Session.query(pmodel.Agreement)
             .options(orm.selectinload(pmodel.Agreement.contacts))
             .filter(pmodel.Agreement.state.in_(agreement_calendar.IN_FORCE))
             .order_by(pmodel.Agreement.reference).all())
    return {a.organization_id: a for a in found if a.in_force(today)}


def _publishers(agreements: dict[str, pmodel.Agreement], today: dt.date
                ) -> dict[str, list[tuple[str, str]]]:
    """(name, email) of each partner's publisher named today, active and with
    an address (one query); a partner without one is left out."""
    contacts = {org: roles.publisher_contact(a, today) for org, a in agreements.items()}
    ids = {c.user_id for c in contacts.values() if c is not None}
    users = ({u.id: u for u in model.Session.query(model.User).filter(model.User.id.in_(ids))}
             if ids else {})
    out = {}
    for org, contact in contacts.items():
        to = mail.recipients([users.get(contact.user_id)]) if contact is not None else []
        if to:
            out[org] = to
    return out


def _sent(keys: list[str]) -> set[str]:
    if not keys:
        return set()
    return {key for (key,) in model.Session.query(pmodel.Event.key)
            .filter(pmodel.Event.key.in_(keys))}


def _failing(codes: list[str]) -> tuple[str, ...]:
    return tuple(c for c in open_label.CRITERIA if c in set(codes or ()))


def monthly_digests(today: dt.date) -> list[Digest]:
    """The digests due this month and not sent yet, one per partner with an
    agreement in force, a publisher to write to, and a dataset late or
    failing a criterion; in a fixed number of queries (five)."""
    agreements = _agreements_in_force(today)
    to = _publishers(agreements, today)
    keys = {org: digest_key(org, today) for org in to}
    done = _sent(list(keys.values()))
    orgs = [org for org, key in keys.items() if key not in done]
    if not orgs:
        return []
    by_org: dict[str, dict] = {}
    for kind, org, org_name, org_title, name, title, days_late, failing, total, criteria in (
            model.Session.execute(_ROWS, {"today": today, "orgs": orgs, "limit": LIMIT})):
        found = by_org.setdefault(org, {"name": org_name, "title": org_title or org_name,
                                        "late": [], "late_count": 0, "failing": [],
                                        "failing_count": 0, "criteria_count": 0})
        entry = Entry(name, title or name, days_late, _failing(failing))
        if kind == "late":
            found["late"].append(entry)
            found["late_count"] = total
        else:
            found["failing"].append(entry)
            found["failing_count"], found["criteria_count"] = total, int(criteria)
    return [Digest(key=keys[org], agreement_id=agreements[org].id,
                   organization_name=found["name"], partner=found["title"], to=to[org],
                   late=found["late"], late_count=found["late_count"],
                   failing=found["failing"], failing_count=found["failing_count"],
                   criteria_count=found["criteria_count"])
            for org, found in sorted(by_org.items(), key=lambda item: item[1]["name"])]


def send_digest(digest: Digest, today: dt.date) -> Iterator[str]:
    """Send one partner's digest, then record it; raises when the mail
    cannot go (nothing recorded: the next run sends it)."""
    subject, body = mails.digest_mail(digest, today)
    if not mail.send(digest.to, subject, body):
        raise RuntimeError(f"mail of {digest.key} could not be sent")
    detail = f"{digest.late_count} late, {digest.criteria_count} label criteria failing"
    model.Session.add(pmodel.Event(key=digest.key, agreement_id=digest.agreement_id,
                                   kind=KIND, detail=detail))
    model.Session.commit()
    yield f"{digest.organization_name}: compliance digest, {detail}"
