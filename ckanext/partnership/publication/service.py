# -*- coding: utf-8 -*-
"""The publication workflow inside CKAN: who may change a dataset's
visibility, the checks of a dataset read from the database, requests as
the API returns them, the activity stream and the mail of each step.

The rules themselves are plain functions elsewhere: the checks and figures
in :mod:`ckanext.partnership.publication`, the clocks in
:mod:`ckanext.partnership.sla`, who is who in :mod:`ckanext.partnership.roles`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import get_permission_labels
from ckan.types import Context, DataDict

from ckanext.partnership import metadata, model as pmodel, resource_checks
from ckanext.partnership.core import mail, roles
from ckanext.partnership.domain import metadata_rules, publication_rules, sla

log = logging.getLogger(__name__)

_ = tk._

#: Context key: this save publishes the dataset (set before, read after it).
PUBLISHING = "partnership_publishing"
#: Context key: the save is a step of a request, recorded by its action.
BY_REQUEST = "partnership_by_request"

#: Activities of the workflow. The type ends in "package" so that CKAN
#: shows them only to those who may read the dataset (permission labels).
ACTIVITY_TYPE = "partnership package"


# -- who may change visibility --------------------------------------------

#: Context key: the visibility of each dataset before the save, by id.
BEFORE = "partnership_before"

#: The form field a refused change is reported under.
_FIELD = {publication_rules.PUBLISH: "private", publication_rules.WITHDRAW: "private",
          publication_rules.DELETE: "state", publication_rules.LEAVE: "owner_org"}


def _org_id(value: Any) -> Optional[str]:
    if not value:
        return None
    group = model.Group.get(str(value))
    return group.id if group is not None else str(value)


def stored_private(value: Any, current: bool) -> bool:
    """What CKAN will store for a ``private`` input (its own validators:
    ``ignore_missing``, then ``boolean_validator``)."""
    from ckan.logic.validators import boolean_validator

    if value is None:
        return current
    return bool(boolean_validator(value, {}))  # type: ignore[arg-type]


def stored_owner_org(value: Any, current: Optional[str]) -> Optional[str]:
    """What CKAN will store for an ``owner_org`` input
    (``owner_org_validator``: absent or null keeps it, ``""`` clears it, a
    name or id is resolved; an unknown one is refused by CKAN)."""
    if value is None:
        return current
    if value == "":
        return None
    group = model.Group.get(str(value))
    return group.id if group is not None else current


def guard_move(context: Context, data_dict: DataDict, package: Optional[model.Package]) -> None:
    """Before a save that moves a dataset to another organisation: CKAN
    commits a move in the middle of ``package_update`` (the old membership
    is saved), before any after-save hook could roll it back, so a move is
    judged beforehand, by the same rule, on what CKAN's validators will
    store."""
    if package is None or context.get(BY_REQUEST):
        return
    new_org = stored_owner_org(data_dict.get("owner_org"), package.owner_org)
    if new_org == package.owner_org:
        return
    before = visibility_of(package)
    after = publication_rules.Visibility(
        new_org, stored_private(data_dict.get("private"), before.private),
        str(data_dict.get("state") or before.state))
    refused = refusal(context.get("user"), before, after)
    if refused:
        raise tk.ValidationError({refused[0]: [refused[1]]})


def visibility_of(package: model.Package) -> publication_rules.Visibility:
    return publication_rules.Visibility(package.owner_org, bool(package.private),
                                  package.state or "active")


def remember(context: Context, package: Optional[model.Package]) -> None:
    """Before a save: how the dataset is seen now."""
    if package is not None:
        context.setdefault(BEFORE, {})[package.id] = visibility_of(package)  # type: ignore


def refusal(user: Optional[str], before: Optional[publication_rules.Visibility],
            after: publication_rules.Visibility) -> Optional[tuple[str, str]]:
    """``(field, message)`` when the user may not go from ``before`` to
    ``after`` (see :func:`publication_rules.visibility_changes` and
    :func:`roles.change_refusal`); None when they may."""
    for change, org_id in publication_rules.visibility_changes(before, after):
        message = roles.change_refusal(change, user, org_id)
        if message:
            return _FIELD[change], message
    return None


def guard_stored(context: Context, package_id: str) -> None:
    """After a save, before its commit: refuse (roll back) a change of
    visibility or ownership the user may not make, decided on the dataset
    as CKAN stores it, whatever the path and the spelling of the input.
    Marks the context when the save publishes the dataset under an
    agreement, and records (and tells) a withdrawal made by a direct
    save."""
    package = model.Package.get(package_id)
    if package is None:
        return
    before = (context.get(BEFORE) or {}).pop(package.id, None)  # type: ignore[attr-defined]
    after = visibility_of(package)
    changes = publication_rules.visibility_changes(before, after)
    if context.get(BY_REQUEST):
        return
    refused = refusal(context.get("user"), before, after)
    if refused:
        model.Session.rollback()
        raise tk.ValidationError({refused[0]: [refused[1]]})
    context[PUBLISHING] = any(  # type: ignore[literal-required]
        change == publication_rules.PUBLISH and pmodel.agreement_in_force(org_id)
        for change, org_id in changes)
    for change, org_id in changes:
        if change in (publication_rules.WITHDRAW, publication_rules.DELETE) or (
                change == publication_rules.LEAVE and before is not None and before.public):
            record_removal(package, org_id, context.get("user") or "",
                           deleted=change == publication_rules.DELETE)


def record_removal(package: model.Package, org_id: Optional[str], user_name: str,
                   deleted: bool = False) -> None:
    """A public partner dataset made private, moved out or deleted by a
    direct save or a deletion: in its activity stream, and the other side
    told, as with ``partnership_dataset_unpublish`` (000 §9.4). Added to
    the session; the caller commits."""
    if pmodel.agreement_in_force(org_id) is None:
        return
    by_validator = roles.is_validator(user_name)
    event = "deleted" if deleted else ("unpublished" if by_validator else "withdrawn")
    add_activity(package, user_name, event, reason="other")
    mail_removed(package, by_validator, user_name, "other", "", deleted=deleted,
                 organization_id=org_id)


def default_private(data_dict: DataDict) -> None:
    """A new dataset of a partner under agreement is private unless asked
    otherwise: producers create, the publisher publishes."""
    if data_dict.get("private") is None and pmodel.agreement_in_force(
            _org_id(data_dict.get("owner_org"))):
        data_dict["private"] = True


# -- the checks of a dataset -----------------------------------------------

def dataset_checks(package_id: str) -> list[dict[str, Any]]:
    """The publication checks of a dataset as it is now in the database."""
    from ckanext.partnership import resource_checks

    dataset = tk.get_action("package_show")(
        {"ignore_auth": True, "use_cache": False, "for_view": False}, {"id": package_id})
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
    return publication_rules.evaluate(metadata_rules.missing_fields(dataset), dataset.get("license_id"),
                                allowed, resources)


def check_detail(check: dict[str, Any]) -> str:
    """What a check found, in the user's language."""

    code, status, params = check["code"], check["status"], check.get("params") or {}
    names = ", ".join(
        f"{r['name']} ({_status_label(r.get('status'))})" for r in params.get("resources") or [])
    if code == "metadata":
        if status == publication_rules.FAIL:
            return _("Missing metadata: {fields}.").format(
                fields=", ".join(metadata.field_label(f) for f in params.get("fields") or []))
        return _("Every required metadata field is filled in.")
    if code == "licence":
        if status == publication_rules.FAIL:
            return _("The licence {licence} is not one the agreement allows ({allowed}).").format(
                licence=params.get("license") or _("none"),
                allowed=", ".join(params.get("allowed") or []))
        return _("Licence allowed by the agreement.")
    if code == "resources":
        if status == publication_rules.WARN:
            return _("The dataset has no file.")
        return _("Files: {count}.").format(count=params.get("count"))
    if code == "standard":
        if status == publication_rules.FAIL:
            return _("Files whose checks failed or have not finished: {files}. Open each "
                     "file's report, fix it, and submit again once its checks pass."
                     ).format(files=names)
        if status == publication_rules.WARN:
            return _("Files with warnings: {files}.").format(files=names)
        return _("Every file passes its checks against its standard.")
    if code == "personal_data":
        if status == publication_rules.FAIL:
            return _("Personal data found in: {files}.").format(files=names)
        if status == publication_rules.WARN:
            return _("Possible personal data in columns the standard defines: {files}."
                     ).format(files=names)
        return _("No personal data found.")
    if code == "open_formats":
        if status == publication_rules.FAIL:
            return _("Files in a closed format: {files}.").format(files=names)
        if status == publication_rules.WARN:
            return _("Files in a format that is not machine-readable: {files}.").format(
                files=names)
        return _("Every file is in an open format.")
    return ""


def _status_label(status: Optional[str]) -> str:
    return resource_checks.status_label(status or "pending")


def check_title(code: str) -> str:
    return {
        "metadata": _("Required metadata"),
        "licence": _("Licence"),
        "resources": _("Files"),
        "standard": _("Checks against the standards"),
        "personal_data": _("Personal data"),
        "open_formats": _("Open formats"),
    }.get(code, code)


def checks_out(checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Checks as the API returns them: with ``detail`` in the user's language."""
    return [{"code": c["code"], "status": c["status"], "detail": check_detail(c),
             "params": c.get("params") or {}} for c in checks]


def reason_label(code: str) -> str:
    label = {
        "personal_data": _("Personal data (GDPR)"),
        "intellectual_property": _("Intellectual property"),
        "licence": _("Licence"),
        "metadata": _("Metadata"),
        "standard": _("Data standard"),
        "quality": _("Quality"),
        "other": _("Other"),
    }.get(code, code)
    article = publication_rules.REASONS.get(code)
    return f"{label} ({article})" if article else label


# -- requests as the API returns them -------------------------------------

def _iso(value: Optional[dt.datetime]) -> Optional[str]:
    return value.replace(tzinfo=dt.timezone.utc).isoformat() if value else None


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
        "submitted_at": _iso(row.submitted_at),
        "due_at": _iso(row.due_at),
        "checks": checks_out(row.checks or []),
        "decided_by": decider.name if decider else None,
        "decided_at": _iso(row.decided_at),
        "reasons": row.reasons or [],
        "message": row.message,
        "within_sla": sla.within(row.due_at, row.decided_at) if decided else None,
        "remaining_seconds": sla.remaining_seconds(row.due_at, now) if pending else None,
        "overdue": sla.overdue(row.due_at, now) if pending else False,
    }


def pending_request(package_id: str) -> Optional[pmodel.PublicationRequest]:
    return (model.Session.query(pmodel.PublicationRequest)
            .filter_by(package_id=package_id, status=publication_rules.PENDING).first())


# -- activity stream -------------------------------------------------------

def add_activity(package: model.Package, user_name: Optional[str], event: str,
                 **data: Any) -> None:
    """One step of the workflow in the dataset's activity stream, with its
    actor (000 §9.3.1). Added to the session; the caller commits."""
    from ckanext.activity.model import Activity

    user = model.User.get(user_name) if user_name else None
    if user is None:
        user = model.User.get(tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"])
    activity = Activity(
        user.id, package.id, ACTIVITY_TYPE,
        {"package": {"id": package.id, "name": package.name, "title": package.title,
                     "type": package.type},
         "actor": user.name,
         "partnership": {"event": event, **data}},
        get_permission_labels().get_dataset_labels(package),
    )
    model.Session.add(activity)


# -- publishing ------------------------------------------------------------

def publish(context: Context, package: model.Package, user_name: str) -> None:
    """Make the dataset public as ``user_name``, through package_patch (so
    that every rule of a save applies), without committing."""
    tk.get_action("package_patch")(
        {"user": user_name, "ignore_auth": True, BY_REQUEST: True,
         "defer_commit": True},  # type: ignore[typeddict-unknown-key]
        {"id": package.id, "private": False})


def set_private(package: model.Package, user_name: str) -> None:
    tk.get_action("package_patch")(
        {"user": user_name, "ignore_auth": True, BY_REQUEST: True,
         "defer_commit": True},  # type: ignore[typeddict-unknown-key]
        {"id": package.id, "private": True})


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
    checks = dataset_checks(package_id)
    return publication_rules.flags(checks)


def flag_key(package_id: str, failing: list[dict[str, Any]]) -> str:
    digest = hashlib.sha1(json.dumps(failing, sort_keys=True).encode("utf-8")).hexdigest()
    return f"flag/{package_id}/{digest[:16]}"


# -- mail ------------------------------------------------------------------

def when(value: Optional[dt.datetime]) -> str:
    """An instant as people read it (the portal's time zone); ISO 8601 in
    UTC outside a request."""
    if value is None:
        return ""
    try:
        return tk.h.render_datetime(value, with_hours=True)
    except RuntimeError:
        return value.strftime("%Y-%m-%d %H:%M UTC")


def _partner(row_or_package: Any) -> str:
    org = model.Group.get(getattr(row_or_package, "organization_id", None)
                          or getattr(row_or_package, "owner_org", None) or "")
    return (org.title or org.name) if org else ""


def publisher_side(package: model.Package, *extra: Optional[str],
                   organization_id: Optional[str] = None) -> list[tuple[str, str]]:
    """The partner's publisher (and any extra user ids: the submitter); the
    partner is the dataset's organisation unless named."""
    agreement = pmodel.agreement_in_force(organization_id or package.owner_org)
    people = [roles.publisher_of(agreement) if agreement else None]
    people += [model.User.get(u) for u in extra if u]
    return mail.recipients(people)


def _org_title(organization_id: str) -> str:
    org = model.Group.get(organization_id)
    return (org.title or org.name) if org else ""


def _queue_url() -> str:
    return tk.url_for("partnership.queue", _external=True)


def mail_submitted(row: pmodel.PublicationRequest) -> None:
    """To the validators: a request to decide (or, in autonomous mode, a
    dataset the partner published)."""
    package = model.Package.get(row.package_id)
    with mail.portal_language() as ready:
        if not ready:
            return
        if row.status == publication_rules.APPROVED:
            subject = _("Published by {partner}: {title}").format(
                partner=_partner(row), title=package.title)
            body = _("{partner} published the dataset «{title}» on the portal "
                     "(autonomous publication).\n\n{url}\n").format(
                partner=_partner(row), title=package.title, url=mail.dataset_url(package))
        else:
            subject = _("To validate before {due}: {title}").format(
                due=when(row.due_at), title=package.title)
            body = _("{partner} submits the dataset «{title}» for publication.\n"
                     "Decision due before {due} ({hours} hours, agreement).\n\n"
                     "Dataset: {url}\nQueue: {queue}\n").format(
                partner=_partner(row), title=package.title, due=when(row.due_at),
                hours=int(round(sla.hours_between(row.submitted_at, row.due_at))),
                url=mail.dataset_url(package), queue=_queue_url())
        mail.later(mail.recipients(roles.validators()), subject, body)


def mail_decided(row: pmodel.PublicationRequest) -> None:
    """To the publisher: the host's decision."""
    package = model.Package.get(row.package_id)
    with mail.portal_language() as ready:
        if not ready:
            return
        if row.status == publication_rules.APPROVED:
            subject = _("Published: {title}").format(title=package.title)
            body = _("The host approved the publication of «{title}». It is now "
                     "public.\n\n{url}\n").format(title=package.title,
                                                  url=mail.dataset_url(package))
        else:
            subject = _("Publication refused: {title}").format(title=package.title)
            body = _("The host refused the publication of «{title}».\n\n"
                     "Reasons: {reasons}\n\n{message}\n\n"
                     "Fix the dataset and submit it again from its page: {url}\n").format(
                title=package.title,
                reasons="; ".join(reason_label(r) for r in row.reasons or []),
                message=row.message or "", url=mail.dataset_url(package))
        mail.later(publisher_side(package, row.submitted_by), subject, body)


def mail_removed(package: model.Package, by_validator: bool, user_name: str,
                 reason: str, message: str, deleted: bool = False,
                 organization_id: Optional[str] = None) -> None:
    """A dataset made private or deleted: the other side is told (000 §9.4)."""
    with mail.portal_language() as ready:
        if not ready:
            return
        user = model.User.get(user_name)
        who = (user.fullname or user.name) if user else user_name
        partner = _partner(package) if organization_id is None else _org_title(organization_id)
        if by_validator:
            to = publisher_side(package, organization_id=organization_id)
            subject = (_("Dataset deleted by the host: {title}") if deleted
                       else _("Dataset unpublished by the host: {title}")).format(
                title=package.title)
        else:
            to = mail.recipients(roles.validators())
            subject = (_("Dataset deleted by {partner}: {title}") if deleted
                       else _("Dataset withdrawn by {partner}: {title}")).format(
                partner=partner, title=package.title)
        if deleted:
            body = _("{who} deleted the dataset «{title}».\n\n{url}\n").format(
                who=who, title=package.title, url=mail.dataset_url(package))
        else:
            body = _("{who} made the dataset «{title}» private.\n\nReason: {reason}\n\n"
                     "{message}\n\n{url}\n").format(
                who=who, title=package.title, reason=reason_label(reason),
                message=message or "", url=mail.dataset_url(package))
        mail.later(to, subject, body)


def flag_mail(package: model.Package, failing: list[dict[str, Any]]
              ) -> Optional[tuple[list[tuple[str, str]], str, str]]:
    """The mail that tells the publisher and the validators that a
    published dataset now fails a check; None without a translator."""
    with mail.portal_language() as ready:
        if not ready:
            return None
        subject = _("Published dataset flagged: {title}").format(title=package.title)
        lines = "\n".join(f"- {check_title(c['code'])} : {check_detail(c)}" for c in failing)
        body = _("The dataset «{title}» of {partner} is online and now fails checks:\n\n"
                 "{lines}\n\nIt stays public. Fix it from its page: {url}\n").format(
            title=package.title, partner=_partner(package), lines=lines,
            url=mail.dataset_url(package))
        to = publisher_side(package) + mail.recipients(roles.validators())
        return to, subject, body


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
    key = flag_key(package.id, failing)
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


# -- deletion ----------------------------------------------------------------

def deleting(context: Context, package_id: str) -> None:
    """While a dataset is being deleted (its deletion already authorised
    by the same rule, see ``logic.auth.package_delete``): a public partner
    dataset's deletion is a withdrawal, recorded and told."""
    package = model.Package.get(package_id)
    if package is None or not visibility_of(package).public:
        return
    record_removal(package, package.owner_org, context.get("user") or "", deleted=True)


def deletion_refusal(user: Optional[str], package: model.Package) -> Optional[str]:
    """Why the user may not delete the dataset; None when they may."""
    refused = refusal(user, visibility_of(package),
                      visibility_of(package)._replace(state="deleted"))
    return refused[1] if refused else None


def move_refusal(user: Optional[str], package: model.Package,
                 organization_id: Optional[str]) -> Optional[str]:
    """Why the user may not move the dataset to ``organization_id`` (None
    for no organisation); None when they may."""
    refused = refusal(user, visibility_of(package),
                      visibility_of(package)._replace(org=organization_id))
    return refused[1] if refused else None


def check_publishable(pkg_dict: dict[str, Any]) -> None:
    """A public dataset carries every required field; otherwise nothing is
    saved and the error names each missing field."""
    stored = model.Package.get(pkg_dict["id"])
    if stored is None or stored.private:
        return
    dataset = tk.get_action("package_show")(
        {"ignore_auth": True, "use_cache": False}, {"id": pkg_dict["id"]}
    )
    if dataset.get("private"):
        return
    missing = metadata_rules.missing_fields(dataset)
    if missing:
        model.Session.rollback()
        raise tk.ValidationError(_publication_errors(missing))


def _publication_errors(missing: list[str]) -> dict[str, Any]:
    """The errors of a dataset that cannot be published, shaped as CKAN's
    forms show them: keywords under the form's field (tag_string), the
    coverage under the name of its first place."""
    message = tk._("Required to publish the dataset")
    errors: dict[str, Any] = {}
    for field in missing:
        if field == "tags":
            errors["tag_string"] = [message]
        elif field == "spatial_coverage":
            errors[field] = [{"text": [message]}]
        else:
            errors[field] = [message]
    return errors
