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
from .mails import flag_mail, mail_submitted
from .texts import check_detail, checks_out

log = logging.getLogger(__name__)


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
