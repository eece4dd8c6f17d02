# -*- coding: utf-8 -*-
"""The review of a dataset for publication: its checks read from the
database, the requests as the API returns them, publishing or withdrawing
on a decision, a direct publication recorded as a request, and the flags
of published datasets that now fail a check.

Named for what it holds (the host reviews what a partner publishes), not
``requests``: that is the HTTP library the tests use.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Context

from ckanext.partnership import model as pmodel, resource_checks
from ckanext.partnership.core import mail, roles
from ckanext.partnership.domain import publication_rules, sla

from .activities import add_activity
from .guard import BY_REQUEST, PUBLISHING, missing_to_publish, stored_dataset
from .mails import flag_mail, mail_decided, mail_removed, mail_submitted, when
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
    now = now or pmodel._now()
    package = model.Package.get(row.package_id)
    org = model.Group.get(row.organization_id)
    submitter = model.User.get(row.submitted_by)
    decider = model.User.get(row.decided_by) if row.decided_by else None
    pending = row.status == publication_rules.PENDING
    decided = row.status in (publication_rules.APPROVED, publication_rules.REFUSED) and row.decided_at
    return {
        "id": row.id,
        "package_id": row.package_id,
        "package_name": package.name if package else None,
        "package_title": package.title if package else None,
        "organization_id": row.organization_id,
        "organization": org.name if org else None,
        "organization_title": org.title if org else None,
        "agreement_id": row.agreement_id,
        "mode": row.mode,
        "status": row.status,
        "submitted_by": submitter.name if submitter else None,
        "submitted_at": pmodel.iso(row.submitted_at),
        "due_at": pmodel.iso(row.due_at),
        "checks": checks_out(row.checks or []),
        "decided_by": decider.name if decider else None,
        "decided_at": pmodel.iso(row.decided_at),
        "reasons": row.reasons or [],
        "message": row.message,
        "within_sla": sla.within(row.due_at, row.decided_at) if decided else None,
        "remaining_seconds": sla.remaining_seconds(row.due_at, now) if pending else None,
        "overdue": sla.overdue(row.due_at, now) if pending else False,
    }


def pending_request(package_id: str) -> Optional[pmodel.PublicationRequest]:
    return (model.Session.query(pmodel.PublicationRequest)
            .filter_by(package_id=package_id, status=publication_rules.PENDING).first())


# -- publishing ------------------------------------------------------------

def _save_visibility(package: model.Package, user_name: str, private: bool) -> None:
    tk.get_action("package_patch")(
        {"user": user_name, "ignore_auth": True, BY_REQUEST: True,
         "defer_commit": True},  # type: ignore[typeddict-unknown-key]
        {"id": package.id, "private": private})


def publish(package: model.Package, user_name: str) -> None:
    """Make the dataset public as ``user_name``, through package_patch (so
    that every rule of a save applies), without committing."""
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


# -- flags on published datasets ------------------------------------------

def flags(package_id: str) -> list[dict[str, Any]]:
    """The failing checks of a published dataset (files still being
    checked are not counted): it stays online, flagged."""
    return publication_rules.flags(dataset_checks(package_id))


def _flag_key(package_id: str, failing: list[dict[str, Any]]) -> str:
    digest = hashlib.sha1(json.dumps(failing, sort_keys=True).encode("utf-8")).hexdigest()
    return f"flag/{package_id}/{digest[:16]}"


def flag_after_check(package_id: str) -> None:
    """A published dataset whose file now fails is flagged and its
    publisher and the validators told; it stays online (the receiver of
    ``resource_checks.checked``)."""
    try:
        if flag_if_failing(package_id):
            model.Session.commit()
    except Exception:  # the report is stored; telling people can wait for notify
        model.Session.rollback()
        log.exception("flagging dataset %s failed", package_id)


def flag_if_failing(package_id: str) -> bool:
    """Tell the publisher and the validators, once per set of failures,
    that a published partner dataset fails a check. Returns whether a mail
    was recorded to go."""
    package = model.Package.get(package_id)
    if package is None or package.private or package.state != "active":
        return False
    agreement = pmodel.agreement_in_force(package.owner_org)
    if agreement is None:
        return False
    failing = flags(package.id)
    if not failing:
        return False
    key = _flag_key(package.id, failing)
    if model.Session.query(pmodel.Event).filter_by(key=key).count():
        return False
    composed = flag_mail(package, failing)
    if composed is None:
        return False  # ckan partnership notify will tell them
    model.Session.add(pmodel.Event(key=key, agreement_id=agreement.id, kind="flagged",
                                   package_id=package.id,
                                   detail=", ".join(c["code"] for c in failing)))
    add_activity(package, None, "flagged", checks=[c["code"] for c in failing])
    mail.later(*composed)
    return True


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
        publish(package, user.name)
        row.status = publication_rules.APPROVED
        row.decided_by = user.id
        row.decided_at = now
        add_activity(package, user.name, "published", request_id=row.id)
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
        publish(package, user.name)
    else:
        row.status = publication_rules.REFUSED
        row.reasons = reasons
    add_activity(package, user.name, "approved" if decision == "approve" else "refused",
                 request_id=row.id, reasons=row.reasons, message=row.message)
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
    set_private(package, user_name)
    add_activity(package, user_name, "unpublished" if by_validator else "withdrawn",
                 reason=reason, message=message)
    mail_removed(package, by_validator, user_name, reason, message)


def flagged(organization_id: Optional[str]) -> list[dict[str, Any]]:
    """Published partner datasets that now fail a check (they stay online,
    flagged, until fixed), by title."""
    ResourceCheck = pmodel.ResourceCheck
    query = (model.Session.query(model.Package)
             .join(pmodel.Agreement, pmodel.Agreement.organization_id == model.Package.owner_org)
             .filter(pmodel.Agreement.state.in_(("active", "terminating")))
             .filter(model.Package.private == False)  # noqa: E712
             .filter(model.Package.state == "active"))
    if organization_id:
        query = query.filter(model.Package.owner_org == organization_id)
    failing_files = {p for (p,) in model.Session.query(ResourceCheck.package_id).filter(
        ResourceCheck.status.in_(("failure", "error"))).distinct()}
    out = []
    for package in query.order_by(model.Package.title):
        agreement = pmodel.agreement_in_force(package.owner_org)
        if agreement is None:
            continue  # its agreement's end has come
        allowed = agreement.allowed_licenses or []
        if package.id not in failing_files and (not allowed or package.license_id in allowed):
            continue  # nothing can fail: skip the full checks
        failing = flags(package.id)
        if failing:
            org = model.Group.get(package.owner_org)
            out.append({"package_id": package.id, "name": package.name,
                        "title": package.title, "organization": org.name if org else None,
                        "organization_title": org.title if org else None,
                        "checks": checks_out(failing)})
    return out


def decision_stats(organization_id: Optional[str], since: Optional[dt.date],
                   until: Optional[dt.date]) -> dict[str, Any]:
    """The figures of the host's decisions on ``validated`` requests, in
    all and by partner."""
    Request = pmodel.PublicationRequest
    query = model.Session.query(Request).filter(Request.mode == "validated")
    if organization_id:
        query = query.filter(Request.organization_id == organization_id)
    rows = query.all()
    now = pmodel.now()

    def figures(subset: list[Any]) -> dict[str, Any]:
        decided = [{"status": r.status, "submitted_at": r.submitted_at,
                    "decided_at": r.decided_at, "due_at": r.due_at, "reasons": r.reasons}
                   for r in subset if r.decided_at
                   and publication_rules.in_period(r.decided_at, since, until)]
        out = publication_rules.stats(decided)
        pending = [r for r in subset if r.status == publication_rules.PENDING]
        out["pending"] = len(pending)
        out["overdue"] = sum(1 for r in pending if sla.overdue(r.due_at, now))
        return out

    result = figures(rows)
    by_org: dict[str, list[Any]] = {}
    for row in rows:
        by_org.setdefault(row.organization_id, []).append(row)
    result["by_organization"] = []
    for org_id, subset in by_org.items():
        org = model.Group.get(org_id)
        result["by_organization"].append({
            "organization": org.name if org else org_id,
            "title": org.title if org else org_id, **figures(subset)})
    result["by_organization"].sort(key=lambda o: o["title"] or "")
    return result
