# -*- coding: utf-8 -*-
"""The publication workflow's actions (README, API, "Publication"): each
checks access, validates its input and calls :mod:`ckanext.partnership.publication`."""
from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.partnership import publication
from ckanext.partnership import model as pmodel
from ckanext.partnership.domain import publication_rules
from ckanext.partnership.logic import schema
from ckanext.partnership.logic.transaction import writing

_ = tk._

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
    try:
        with writing(context):
            row = publication.submit(package, context.get("user") or "")
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
        publication.decide(row, context.get("user") or "", decision, reasons, message)
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
        publication.cancel(row, context.get("user") or "")
    return publication.request_dict(row)


@tk.side_effect_free
def partnership_publication_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """A dataset's publication requests, newest first.

    :param id: the dataset's id or name
    :type id: string
    :param limit: at most this many (default 100, at most 1000)
    :type limit: int
    :param offset: skip the first ones (default 0)
    :type offset: int

    :returns: the requests, as ``partnership_publication_submit`` gives them
    :rtype: list of dictionaries
    """
    package = _package_or_404(data_dict)
    tk.check_access("partnership_publication_list", context, {"id": package.id})
    window = schema.validated(data_dict, schema.page_schema(), context)
    return publication.dataset_requests(package.id, window["limit"], window["offset"])


@tk.side_effect_free
def partnership_queue_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The validators' queue: requests, oldest deadline first, each with
    ``remaining_seconds`` (negative once overdue) and ``overdue``.

    :param organization: only this partner's (name or id)
    :type organization: string
    :param status: ``pending`` (default), ``approved``, ``refused``,
        ``cancelled``
    :type status: string
    :param limit: at most this many (default 100, at most 1000)
    :type limit: int
    :param offset: skip the first ones (default 0)
    :type offset: int

    :returns: the requests, as ``partnership_publication_submit`` gives
        them, with ``remaining_seconds`` and ``overdue``
    :rtype: list of dictionaries
    """
    tk.check_access("partnership_queue_list", context, data_dict)
    data = schema.validated(data_dict, schema.queue_page_schema(), context)
    return publication.queue(data["status"], data.get("organization"), data["limit"],
                             data["offset"])


@tk.side_effect_free
def partnership_queue_count(context: Context, data_dict: DataDict) -> dict[str, int]:
    """How many requests ``partnership_queue_list`` holds with the same
    filters (same access).

    :param organization: only this partner's (name or id)
    :type organization: string
    :param status: ``pending`` (default), ``approved``, ``refused``,
        ``cancelled``
    :type status: string

    :returns: ``{"count": n}``
    :rtype: dictionary
    """
    tk.check_access("partnership_queue_list", context, data_dict)
    data = schema.validated(data_dict, schema.queue_list_schema(), context)
    return {"count": publication.queue_count(data["status"], data.get("organization"))}


@tk.side_effect_free
def partnership_flagged_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Published partner datasets that now fail a check: they stay online,
    flagged, until fixed. By title.

    :param organization: only this partner's (name or id)
    :type organization: string
    :param limit: at most this many (default 100, at most 1000)
    :type limit: int
    :param offset: skip the first ones (default 0)
    :type offset: int

    :returns: ``[{package_id, name, title, organization,
        organization_title, checks}]``
    :rtype: list of dictionaries
    """
    tk.check_access("partnership_flagged_list", context, data_dict)
    data = schema.validated(data_dict, schema.flagged_page_schema(), context)
    return publication.flagged(data.get("organization"), data["limit"], data["offset"])


@tk.side_effect_free
def partnership_flagged_count(context: Context, data_dict: DataDict) -> dict[str, int]:
    """How many datasets ``partnership_flagged_list`` holds with the same
    filter (same access).

    :param organization: only this partner's (name or id)
    :type organization: string

    :returns: ``{"count": n}``
    :rtype: dictionary
    """
    tk.check_access("partnership_flagged_list", context, data_dict)
    data = schema.validated(data_dict, schema.organization_filter_schema(), context)
    return {"count": publication.flagged_count(data.get("organization"))}


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
    return publication.decision_stats(data.get("organization"), data.get("since"),
                                      data.get("until"))


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
    user = context.get("user") or ""
    with writing(context):
        publication.unpublish(package, user, reason, message)
    return tk.get_action("package_show")({"user": user, "ignore_auth": True},
                                         {"id": package.id})
