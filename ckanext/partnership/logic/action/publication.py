# -*- coding: utf-8 -*-
"""Actions of the publication workflow (shared API, "Publication")."""
from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.partnership import publication
from ckanext.partnership import model as pmodel
from ckanext.partnership.core import roles
from ckanext.partnership.domain import publication_rules, sla
from ckanext.partnership.logic import schema
from ckanext.partnership.logic.transaction import writing

_ = tk._

__all__ = [
    "partnership_publication_submit",
    "partnership_publication_decide",
    "partnership_publication_cancel",
    "partnership_publication_list",
    "partnership_publication_checks",
    "partnership_queue_list",
    "partnership_flagged_list",
    "partnership_publication_stats",
    "partnership_dataset_unpublish",
]

Request = pmodel.PublicationRequest


def _package_or_404(data_dict: DataDict) -> model.Package:
    schema.checked_text(data_dict, schema.lookup_schema())
    package = model.Package.get(str(data_dict.get("id") or data_dict.get("package_id") or ""))
    if package is None or package.state == "deleted":
        raise tk.ObjectNotFound(_("Dataset not found"))
    return package


def _request_or_404(request_id: Any, lock: bool = False) -> Request:
    schema.checked_text({"id": request_id}, schema.lookup_schema())
    query = model.Session.query(Request).filter(Request.id == str(request_id or ""))
    if lock:  # wait for a concurrent decision, then read what it wrote
        query = query.with_for_update().populate_existing()
    row = query.one_or_none()
    if row is None:
        raise tk.ObjectNotFound(_("Publication request not found"))
    return row




@tk.side_effect_free
def partnership_publication_checks(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The checks a dataset would pass or fail if submitted now.

    :param id: the dataset's id or name
    :type id: string

    :returns: ``[{code, status: pass|warn|fail, detail, params}]``
    :rtype: list of dictionaries
    """
    package = _package_or_404(data_dict)
    tk.check_access("partnership_publication_checks", context, {"id": package.id})
    return publication.checks_out(publication.dataset_checks(package.id))


def partnership_publication_submit(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit a dataset for publication. The checks run first; a failing
    one refuses the submission with what to fix. In ``validated`` mode the
    request waits for the host's decision until ``due_at``; in
    ``autonomous`` mode the dataset is published at once.

    :param id: the dataset's id or name
    :type id: string

    :returns: the request ``{id, package_id, organization_id, agreement_id,
        status, submitted_by, submitted_at, due_at, checks, ...}``
    :rtype: dictionary
    """
    package = _package_or_404(data_dict)
    tk.check_access("partnership_publication_submit", context, {"id": package.id})
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
    pending = publication.pending_request(package.id)
    if pending is not None:
        raise tk.ValidationError({"id": [_(
            "This dataset is already waiting for the host's decision (due {due}).").format(
                due=publication.when(pending.due_at))]})
    checks = publication.dataset_checks(package.id)
    failing = publication_rules.blocking(checks)
    if failing:
        raise tk.ValidationError({"checks": [
            f"{publication.check_title(c['code'])} : {publication.check_detail(c)}" for c in failing]})
    user = model.User.get(context.get("user") or "")
    now = pmodel._now()
    row = Request(package_id=package.id, organization_id=package.owner_org,
                  agreement_id=agreement.id, mode=agreement.publication_mode,
                  status=publication_rules.PENDING, submitted_by=user.id, submitted_at=now,
                  due_at=sla.due_at(now, agreement.validation_sla_hours), checks=checks)
    try:
        with writing(context):
            model.Session.add(row)
            model.Session.flush()
            publication.add_activity(package, user.name, "submitted", request_id=row.id,
                                     due_at=pmodel.iso(row.due_at))
            if agreement.publication_mode == "autonomous":
                publication.publish(package, user.name)
                row.status = publication_rules.APPROVED
                row.decided_by = user.id
                row.decided_at = now
                publication.add_activity(package, user.name, "published", request_id=row.id)
            publication.mail_submitted(row)
    except IntegrityError:  # the same dataset submitted at the same moment
        raise tk.ValidationError({"id": [_(
            "This dataset is already waiting for the host's decision.")]})
    return publication.request_dict(row)


def partnership_publication_decide(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Approve or refuse a pending request; approval publishes the dataset
    and sets its publication date, refusal keeps it private. A request is
    decided once: whoever comes second gets a ValidationError naming the
    decision taken.

    :param id: the request's id
    :type id: string
    :param decision: ``approve`` or ``refuse``
    :type decision: string
    :param reasons: reason codes (required to refuse): ``personal_data``,
        ``intellectual_property``, ``licence``, ``metadata``, ``standard``,
        ``quality``, ``other``
    :type reasons: list of strings (or one string, separated by commas or
        spaces)
    :param message: for the publisher (required to refuse)
    :type message: string

    :returns: the request, with ``decided_by``, ``decided_at``, ``within_sla``
    :rtype: dictionary
    """
    tk.check_access("partnership_publication_decide", context, data_dict)
    data_dict = schema.checked_text(data_dict, schema.decision_message_schema())
    decision = data_dict.get("decision")
    reasons = data_dict.get("reasons") or []
    if isinstance(reasons, str):
        reasons = [r for r in reasons.replace(",", " ").split() if r]
    message = (data_dict.get("message") or "").strip()
    errors: dict[str, list[str]] = {}
    if decision not in ("approve", "refuse"):
        errors["decision"] = [_("Choose approve or refuse")]
    unknown = publication_rules.bad_reasons(reasons)
    if unknown:
        errors["reasons"] = [_("Unknown reason: {codes}; allowed: {allowed}").format(
            codes=", ".join(unknown), allowed=", ".join(publication_rules.REASONS))]
    if decision == "refuse":
        if not reasons:
            errors.setdefault("reasons", []).append(_("Give at least one reason to refuse"))
        if not message:
            errors["message"] = [_("Tell the publisher what to fix")]
    if len(message) > 5000:
        errors["message"] = [_("At most 5000 characters")]
    if errors:
        raise tk.ValidationError(errors)
    with writing(context):
        row = _request_or_404(data_dict.get("id"), lock=True)  # waits for a concurrent decision
        if row.status != publication_rules.PENDING:
            decider = model.User.get(row.decided_by) if row.decided_by else None
            if row.status == publication_rules.CANCELLED:
                text = _("This request was cancelled by the publisher.")
            else:
                text = _("This request was already decided ({status}) by {who} on {when}."
                         ).format(status=publication.status_label(row.status),
                                  who=(decider.fullname or decider.name) if decider else "?",
                                  when=publication.when(row.decided_at))
            raise tk.ValidationError({"id": [text]})
        user = model.User.get(context.get("user") or "")
        package = model.Package.get(row.package_id)
        row.decided_by = user.id
        row.decided_at = pmodel._now()
        row.message = message or None
        if decision == "approve":
            row.status = publication_rules.APPROVED
            row.reasons = []
            publication.publish(package, user.name)
        else:
            row.status = publication_rules.REFUSED
            row.reasons = reasons
        publication.add_activity(package, user.name,
                                 "approved" if decision == "approve" else "refused",
                                 request_id=row.id, reasons=row.reasons, message=row.message)
        publication.mail_decided(row)
    return publication.request_dict(row)


def partnership_publication_cancel(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The publisher withdraws a pending request.

    :param id: the request's id
    :type id: string

    :returns: the request, ``cancelled``
    :rtype: dictionary
    """
    with writing(context):
        row = _request_or_404(data_dict.get("id"), lock=True)
        tk.check_access("partnership_publication_cancel", context, {"id": row.package_id})
        if row.status != publication_rules.PENDING:
            raise tk.ValidationError({"id": [_("Only a pending request can be cancelled.")]})
        user = model.User.get(context.get("user") or "")
        row.status = publication_rules.CANCELLED
        row.decided_by = user.id
        row.decided_at = pmodel._now()
        publication.add_activity(model.Package.get(row.package_id), user.name, "cancelled",
                                 request_id=row.id)
    return publication.request_dict(row)


@tk.side_effect_free
def partnership_publication_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """A dataset's publication requests, newest first.

    :param id: the dataset's id or name
    :type id: string

    :returns: the requests, as ``partnership_publication_submit`` gives them
    :rtype: list of dictionaries
    """
    package = _package_or_404(data_dict)
    tk.check_access("partnership_publication_list", context, {"id": package.id})
    rows = (model.Session.query(Request).filter(Request.package_id == package.id)
            .order_by(Request.submitted_at.desc()).all())
    now = pmodel._now()
    return [publication.request_dict(r, now) for r in rows]


@tk.side_effect_free
def partnership_queue_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The validators' queue: requests, oldest deadline first, each with
    ``remaining_seconds`` (negative once overdue) and ``overdue``.

    :param organization: only this partner's (name or id)
    :type organization: string
    :param status: ``pending`` (default), ``approved``, ``refused``,
        ``cancelled``
    :type status: string

    :returns: the requests, as ``partnership_publication_submit`` gives
        them, with ``remaining_seconds`` and ``overdue``
    :rtype: list of dictionaries
    """
    tk.check_access("partnership_queue_list", context, data_dict)
    data = schema.validated(data_dict, schema.queue_list_schema(), context)
    query = model.Session.query(Request).filter(Request.status == data["status"])
    if data.get("organization"):
        query = query.filter(Request.organization_id == data["organization"])
    now = pmodel._now()
    return [publication.request_dict(r, now) for r in query.order_by(Request.due_at)]




@tk.side_effect_free
def partnership_flagged_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Published partner datasets that now fail a check: they stay online,
    flagged, until fixed.

    :param organization: only this partner's (name or id)
    :type organization: string

    :returns: ``[{package_id, name, title, organization,
        organization_title, checks}]``
    :rtype: list of dictionaries
    """
    tk.check_access("partnership_flagged_list", context, data_dict)
    data = schema.validated(data_dict, schema.organization_filter_schema(), context)
    ResourceCheck = pmodel.ResourceCheck
    query = (model.Session.query(model.Package)
             .join(pmodel.Agreement, pmodel.Agreement.organization_id == model.Package.owner_org)
             .filter(pmodel.Agreement.state.in_(("active", "terminating")))
             .filter(model.Package.private == False)  # noqa: E712
             .filter(model.Package.state == "active"))
    if data.get("organization"):
        query = query.filter(model.Package.owner_org == data["organization"])
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
        failing = publication.flags(package.id)
        if failing:
            org = model.Group.get(package.owner_org)
            out.append({"package_id": package.id, "name": package.name,
                        "title": package.title, "organization": org.name if org else None,
                        "organization_title": org.title if org else None,
                        "checks": publication.checks_out(failing)})
    return out


@tk.side_effect_free
def partnership_publication_stats(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Figures of the host's decisions: how many, how fast, why refused.
    Public: they show whether the 48-hour promise is kept.

    :param organization: only this partner's (name or id)
    :type organization: string
    :param since: decisions from this day (``YYYY-MM-DD``)
    :type since: string
    :param until: decisions up to this day, included
    :type until: string

    :returns: ``{decided, approved, refused, within_sla, within_sla_share,
        median_decision_hours, by_reason: {code: n}, pending, overdue,
        by_organization: [{organization, title, ...same figures}]}``
    :rtype: dictionary
    """
    tk.check_access("partnership_publication_stats", context, data_dict)
    data = schema.validated(data_dict, schema.period_schema(), context)
    since, until = data.get("since"), data.get("until")
    query = model.Session.query(Request).filter(Request.mode == "validated")
    if data.get("organization"):
        query = query.filter(Request.organization_id == data["organization"])
    rows = query.all()
    now = pmodel._now()

    def figures(subset: list[Request]) -> dict[str, Any]:
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
    by_org: dict[str, list[Request]] = {}
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


def partnership_dataset_unpublish(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Make a published partner dataset private again: a validator removes
    it (000 §9.4), or its publisher withdraws it; the other side is told.

    :param id: the dataset's id or name
    :type id: string
    :param reason: a reason code (as for a refusal)
    :type reason: string
    :param message: why, for the other side
    :type message: string

    :returns: the dataset, as ``package_show`` gives it
    :rtype: dictionary
    """
    data_dict = schema.checked_text(data_dict, schema.decision_message_schema())
    package = _package_or_404(data_dict)
    tk.check_access("partnership_dataset_unpublish", context, {"id": package.id})
    reason = data_dict.get("reason") or ""
    message = (data_dict.get("message") or "").strip()
    errors: dict[str, list[str]] = {}
    if reason not in publication_rules.REASONS:
        errors["reason"] = [_("Choose a reason: {allowed}").format(
            allowed=", ".join(publication_rules.REASONS))]
    if not message:
        errors["message"] = [_("Say why, for the other side")]
    if errors:
        raise tk.ValidationError(errors)
    if package.private:
        raise tk.ValidationError({"id": [_("This dataset is not published.")]})
    user = context.get("user") or ""
    by_validator = roles.is_validator(user)
    with writing(context):
        publication.set_private(package, user)
        publication.add_activity(package, user, "unpublished" if by_validator else "withdrawn",
                                 reason=reason, message=message)
        publication.mail_removed(package, by_validator, user, reason, message)
    return tk.get_action("package_show")({"user": user, "ignore_auth": True},
                                         {"id": package.id})
