# -*- coding: utf-8 -*-
"""The review of a dataset for publication: its checks read from the
database, the requests as the API returns them (a page of them at once),
publishing or withdrawing on a decision, a direct publication recorded as
a request.

Named for what it holds (the host reviews what a partner publishes), not
``requests``: that is the HTTP library the tests use.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Optional, Sequence

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Context

from ckanext.partnership import model as pmodel, resource_checks
from ckanext.partnership.core import roles
from ckanext.partnership.domain import publication_rules, sla

from .activities import add_activity
from .guard import BY_REQUEST, PUBLISHING, missing_to_publish, stored_dataset
from .mails import mail_decided, mail_removed, mail_submitted, when
from .texts import check_detail, check_title, checks_out, status_label

log = logging.getLogger(__name__)
_ = tk._


# -- the checks of a dataset -----------------------------------------------

def dataset_checks(package_id: str) -> list[dict[str, Any]]:
    """The publication checks of a dataset as it is now in the database."""
    dataset = stored_dataset(package_id)
    agreement = pmodel.agreement_in_force(dataset.get("owner_org"))
    allowed = (agreement.allowed_licenses or []) if agreement is not None else []
    rows = resource_checks.statuses(dataset["id"])
    resources = []
    for resource in dataset.get("resources") or []:
        row = rows.get(resource["id"])
        resources.append({
            "id": resource["id"], "name": resource.get("name") or resource.get("url"),
            "status": row.status if row is not None else None,
            "results": (row.report or {}).get("results") if row is not None else None,
        })
    return publication_rules.evaluate(missing_to_publish(dataset), dataset.get("license_id"),
                                      allowed, resources)


# -- requests as the API returns them -------------------------------------

def request_dict(row: pmodel.PublicationRequest,
                 now: Optional[dt.datetime] = None) -> dict[str, Any]:
    """One request as the API returns it (see :func:`request_dicts`)."""
    return request_dicts([row], now)[0]


def _names(entity: Any, ids: set[Any], *columns: str) -> dict[str, Any]:
    """``id -> (column values)`` of the rows of ``entity`` with these ids:
    one query (none without ids)."""
    ids = {i for i in ids if i}
    if not ids:
        return {}
    query = model.Session.query(entity.id, *(getattr(entity, c) for c in columns))
    return {row[0]: row[1:] for row in query.filter(entity.id.in_(ids))}


def request_dicts(rows: Sequence[pmodel.PublicationRequest],
                  now: Optional[dt.datetime] = None) -> list[dict[str, Any]]:
    """Requests as the API returns them: their datasets, partners and
    people loaded for all of them at once (one query each)."""
    rows = list(rows)
    now = now or pmodel._now()
    packages = _names(model.Package, {r.package_id for r in rows}, "name", "title")
    orgs = _names(model.Group, {r.organization_id for r in rows}, "name", "title")
    users = _names(model.User, {r.submitted_by for r in rows} | {r.decided_by for r in rows},
                   "name")
    out = []
    for row in rows:
        package = packages.get(row.package_id) or (None, None)
        org = orgs.get(row.organization_id) or (None, None)
        pending = row.status == publication_rules.PENDING
        decided = (row.status in (publication_rules.APPROVED, publication_rules.REFUSED)
                   and row.decided_at)
        out.append({
            "id": row.id,
            "package_id": row.package_id,
            "package_name": package[0],
            "package_title": package[1],
            "organization_id": row.organization_id,
            "organization": org[0],
            "organization_title": org[1],
            "agreement_id": row.agreement_id,
            "mode": row.mode,
            "status": row.status,
            "submitted_by": (users.get(row.submitted_by) or (None,))[0],
            "submitted_at": pmodel.iso(row.submitted_at),
            "due_at": pmodel.iso(row.due_at),
            "checks": checks_out(row.checks or []),
            "decided_by": (users.get(row.decided_by) or (None,))[0],
            "decided_at": pmodel.iso(row.decided_at),
            "reasons": row.reasons or [],
            "message": row.message,
            "within_sla": sla.within(row.due_at, row.decided_at) if decided else None,
            "remaining_seconds": sla.remaining_seconds(row.due_at, now) if pending else None,
            "overdue": sla.overdue(row.due_at, now) if pending else False,
        })
    return out


def _requests(organization_id: Optional[str] = None, status: Optional[str] = None,
              package_id: Optional[str] = None) -> Any:
    Request = pmodel.PublicationRequest
    query = model.Session.query(Request)
    if status:
        query = query.filter(Request.status == status)
    if organization_id:
        query = query.filter(Request.organization_id == organization_id)
    if package_id:
        query = query.filter(Request.package_id == package_id)
    return query


def queue(status: str, organization_id: Optional[str], limit: int,
          offset: int) -> list[dict[str, Any]]:
    """The validators' queue: ``limit`` requests from ``offset``, oldest
    deadline first."""
    Request = pmodel.PublicationRequest
    rows = (_requests(organization_id, status).order_by(Request.due_at, Request.id)
            .limit(limit).offset(offset).all())
    return request_dicts(rows)


def queue_count(status: str, organization_id: Optional[str]) -> int:
    """How many requests the queue holds with these filters."""
    return _requests(organization_id, status).count()


def dataset_requests(package_id: str, limit: int, offset: int) -> list[dict[str, Any]]:
    """A dataset's requests, newest first."""
    Request = pmodel.PublicationRequest
    rows = (_requests(package_id=package_id)
            .order_by(Request.submitted_at.desc(), Request.id.desc())
            .limit(limit).offset(offset).all())
    return request_dicts(rows)


def pending_request(package_id: str) -> Optional[pmodel.PublicationRequest]:
    return (model.Session.query(pmodel.PublicationRequest)
            .filter_by(package_id=package_id, status=publication_rules.PENDING).first())


# -- publishing ------------------------------------------------------------

def _save_visibility(package: model.Package, user_name: str, private: bool) -> None:
    # Committed by package_patch, with what the step wrote before it: CKAN
    # 2.12's package_update rolls a save back under ``defer_commit`` (and
    # indexes only when it commits).
    tk.get_action("package_patch")(
        {"user": user_name, "ignore_auth": True,
         BY_REQUEST: True},  # type: ignore[typeddict-unknown-key]
        {"id": package.id, "private": private})


def publish(package: model.Package, user_name: str) -> None:
    """Make the dataset public as ``user_name``, through package_patch (so
    that every rule of a save applies). The save commits the step's writes
    so far: callers make it their last write, so that a step is saved
    whole or not at all (a refused save rolls everything back)."""
    _save_visibility(package, user_name, private=False)


def set_private(package: model.Package, user_name: str) -> None:
    """Make the dataset private as ``user_name``, the same way."""
    _save_visibility(package, user_name, private=True)


def record_direct_publication(context: Context, pkg_dict: dict[str, Any]) -> None:
    """After a save that made a partner's dataset public: a publisher of an
    ``autonomous`` agreement publishes at once, with the same checks as a
    submission; the request is recorded ``approved``. Validators publish
    without a request. Raises ValidationError (and rolls back) when a check
    fails."""
    publishing = context.pop(PUBLISHING, False)  # type: ignore[misc]
    if not publishing or context.get(BY_REQUEST):
        return
    user = context.get("user")
    agreement = pmodel.agreement_in_force(pkg_dict.get("owner_org"))
    if agreement is None or roles.is_validator(user):
        return
    checks = dataset_checks(pkg_dict["id"])
    failing = publication_rules.blocking(checks)
    if failing:
        model.Session.rollback()
        raise tk.ValidationError({"checks": [check_detail(c) for c in failing]})
    package = model.Package.get(pkg_dict["id"])
    now = pmodel._now()
    user_obj = model.User.get(user)
    row = pmodel.PublicationRequest(
        package_id=package.id, organization_id=agreement.organization_id,
        agreement_id=agreement.id, mode=agreement.publication_mode,
        status=publication_rules.APPROVED, submitted_by=user_obj.id, submitted_at=now,
        due_at=sla.due_at(now, agreement.validation_sla_hours), checks=checks,
        decided_by=user_obj.id, decided_at=now)
    model.Session.add(row)
    add_activity(package, user, "published", request_id=row.id)
    mail_submitted(row)


# -- the workflow's steps (the actions check access and input, then call these;
#    they write, the action's transaction commits) ---------------------------

def submit(package: model.Package, user_name: str) -> pmodel.PublicationRequest:
    """A dataset submitted for publication: the checks first (a failing one
    refuses with what to fix), then the request; in ``autonomous`` mode the
    dataset is published at once."""
    agreement = pmodel.agreement_in_force(package.owner_org)
    if agreement is None:
        raise tk.ValidationError({"id": [_(
            "This dataset's organisation has no agreement in force: publish it by "
            "making it public.")]})
    if not package.private:
        raise tk.ValidationError({"id": [_("This dataset is already published.")]})
    if package.state != "active":
        raise tk.ValidationError({"id": [_(
            "Finish the dataset (its files) before submitting it.")]})
    pending = pending_request(package.id)
    if pending is not None:
        raise tk.ValidationError({"id": [_(
            "This dataset is already waiting for the host's decision (due {due}).").format(
                due=when(pending.due_at))]})
    checks = dataset_checks(package.id)
    failing = publication_rules.blocking(checks)
    if failing:
        raise tk.ValidationError({"checks": [
            f"{check_title(c['code'])} : {check_detail(c)}" for c in failing]})
    user = model.User.get(user_name)
    now = pmodel.now()
    row = pmodel.PublicationRequest(
        package_id=package.id, organization_id=package.owner_org, agreement_id=agreement.id,
        mode=agreement.publication_mode, status=publication_rules.PENDING,
        submitted_by=user.id, submitted_at=now,
        due_at=sla.due_at(now, agreement.validation_sla_hours), checks=checks)
    model.Session.add(row)
    model.Session.flush()
    add_activity(package, user.name, "submitted", request_id=row.id, due_at=pmodel.iso(row.due_at))
    if agreement.publication_mode == "autonomous":
        row.status = publication_rules.APPROVED
        row.decided_by = user.id
        row.decided_at = now
        add_activity(package, user.name, "published", request_id=row.id,
                     becomes_private=False)
        publish(package, user.name)  # last: its save commits the whole step
    mail_submitted(row)
    return row


def decide(row: pmodel.PublicationRequest, user_name: str, decision: str,
           reasons: list[str], message: str) -> None:
    """A pending request approved (the dataset published) or refused (it
    stays private). A request is decided once: whoever comes second is told
    the decision taken."""
    if row.status != publication_rules.PENDING:
        decider = model.User.get(row.decided_by) if row.decided_by else None
        if row.status == publication_rules.CANCELLED:
            text = _("This request was cancelled by the publisher.")
        else:
            text = _("This request was already decided ({status}) by {who} on {when}."
                     ).format(status=status_label(row.status),
                              who=(decider.fullname or decider.name) if decider else "?",
                              when=when(row.decided_at))
        raise tk.ValidationError({"id": [text]})
    user = model.User.get(user_name)
    package = model.Package.get(row.package_id)
    row.decided_by = user.id
    row.decided_at = pmodel.now()
    row.message = message or None
    if decision == "approve":
        row.status = publication_rules.APPROVED
        row.reasons = []
    else:
        row.status = publication_rules.REFUSED
        row.reasons = reasons
    add_activity(package, user.name, "approved" if decision == "approve" else "refused",
                 request_id=row.id, reasons=row.reasons, message=row.message,
                 becomes_private=False if decision == "approve" else None)
    if decision == "approve":
        publish(package, user.name)  # last: its save commits the whole step
    mail_decided(row)


def cancel(row: pmodel.PublicationRequest, user_name: str) -> None:
    """The publisher withdraws a pending request."""
    if row.status != publication_rules.PENDING:
        raise tk.ValidationError({"id": [_("Only a pending request can be cancelled.")]})
    user = model.User.get(user_name)
    row.status = publication_rules.CANCELLED
    row.decided_by = user.id
    row.decided_at = pmodel.now()
    add_activity(model.Package.get(row.package_id), user.name, "cancelled", request_id=row.id)


def unpublish(package: model.Package, user_name: str, reason: str, message: str) -> None:
    """A published partner dataset made private again: removed by a
    validator (000 §9.4) or withdrawn by its publisher; the other side is
    told."""
    if package.private:
        raise tk.ValidationError({"id": [_("This dataset is not published.")]})
    by_validator = roles.is_validator(user_name)
    add_activity(package, user_name, "unpublished" if by_validator else "withdrawn",
                 reason=reason, message=message, becomes_private=True)
    set_private(package, user_name)  # last: its save commits the whole step
    mail_removed(package, by_validator, user_name, reason, message)
