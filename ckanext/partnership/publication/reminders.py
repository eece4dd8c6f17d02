# -*- coding: utf-8 -*-
"""The publication workflow, from ``ckan partnership notify``: the
validation queue's deadlines (a reminder to the validators 12 hours
before, an escalation to the host's admins once passed), the flags that no
mail told yet, and the withdrawal of a partner's datasets when its
agreement ends with the end policy ``withdraw``. Each is done once
(``partnership_event``).

A withdrawal is done completely or tried again at the next run: each
dataset withdrawn is made private, recorded and written to the search
index in one unit of work (CKAN indexes before the commit, so a Solr that
refuses it rolls the dataset back), and the agreement's withdrawal counts
as done (``withdrawal-done/<agreement>``) only once the index shows none of
the partner's datasets public that the database holds private. Until then
every run looks again."""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterator

from sqlalchemy import or_

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import search

from ckanext.partnership import model as pmodel
from ckanext.partnership import publication
from ckanext.partnership.core import mail, roles
from ckanext.partnership.domain import publication_rules, sla

_ = tk._


# -- the validation queue ------------------------------------------------------

def _queue_mail(row: Any, kind: str) -> tuple[list[tuple[str, str]], str, str]:
    """The reminder (to the validators) or the escalation (to the host's
    admins) of a pending request."""
    package = model.Package.get(row.package_id)
    partner = roles.partner_name(row.organization_id)
    queue = tk.url_for("partnership.queue", _external=True)
    if kind == "reminder":
        subject = _("Decision due before {due}: {title}").format(
            due=mail.when(row.due_at), title=package.title)
        body = _("The publication request of «{title}» ({partner}) is to be decided "
                 "before {due}, in less than {hours} hours.\n\nQueue: {queue}\n").format(
            title=package.title, partner=partner, due=mail.when(row.due_at),
            hours=sla.REMINDER_HOURS, queue=queue)
        return mail.recipients(roles.validators()), subject, body
    subject = _("Deadline missed: {title}").format(title=package.title)
    body = _("The publication request of «{title}» ({partner}), submitted on {submitted}, "
             "was to be decided before {due}. The agreement's deadline has passed and "
             "it is still waiting.\n\nQueue: {queue}\n").format(
        title=package.title, partner=partner, submitted=mail.when(row.submitted_at),
        due=mail.when(row.due_at), queue=queue)
    return mail.recipients(roles.host_admins()), subject, body


def queue_reminders(now: dt.datetime) -> Iterator[str]:
    """Remind the validators of a deadline 12 hours ahead; escalate to the
    host's admins once it has passed. Each once per request; a line each.
    Raises when a mail cannot go (the next run tries again)."""
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
        if pmodel.event_recorded(key):
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


# -- flags ---------------------------------------------------------------------

def untold_flags() -> Iterator[str]:
    """Tell of the published datasets flagged while no mail could be
    written (a check run by a bare worker); a line each."""
    failing = (model.Session.query(pmodel.ResourceCheck.package_id)
               .filter(pmodel.ResourceCheck.status.in_(("failure", "error"))).distinct())
    for (package_id,) in failing:
        if publication.flag_if_failing(package_id):
            model.Session.commit()
            yield f"{model.Package.get(package_id).name}: flagged"


# -- the end of an agreement ---------------------------------------------------

def withdraw_ended(agreement: Any, end: dt.date) -> Iterator[str]:
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
            # the index before the commit (CKAN 2.11 indexes again at the
            # commit, 2.12 no more): if Solr refuses, nothing is stored
            model.Session.flush()
            search.rebuild(package.id)
            model.Session.commit()
            yield f"{agreement.reference}: dataset {package.name} made private"
        for package_id, name in _shown_public_but_private(org_id):
            search.rebuild(package_id)
            yield f"{agreement.reference}: dataset {name} removed from the public search"
    # else a newer agreement governs the partner's datasets now
    model.Session.add(pmodel.Event(
        key=pmodel.withdrawal_done_key(agreement.id), agreement_id=agreement.id,
        kind="withdrawal_done",
        detail="withdrawal complete: the search index agrees with the database"))
    model.Session.commit()


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
