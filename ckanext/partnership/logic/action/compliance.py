# -*- coding: utf-8 -*-
"""Whether a dataset keeps the agreements' promises: its freshness and its
open-data label, and the declarations that settle what the portal cannot
measure."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict
from ckanext.partnership import compliance
from ckanext.partnership import model as pmodel
from ckanext.partnership.core import roles
from ckanext.partnership.logic import schema
from ckanext.partnership.logic.transaction import writing


def _readable(context: Context, data_dict: DataDict) -> model.Package:
    """The dataset, once its reader may ``package_show`` it (404, 403)."""
    dataset = tk.get_action("package_show")(
        {"user": context.get("user"), "ignore_auth": context.get("ignore_auth", False)},
        {"id": data_dict["id"]})
    return model.Package.get(dataset["id"])


@tk.side_effect_free
def partnership_dataset_compliance(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A dataset's freshness (does its last update keep the promise of its
    frequency?) and its open-data label (the ten criteria of 000 annex 3).

    :param id: the id or name of the dataset
    :type id: string

    :returns: ``{freshness: {state, last_update, expected_by, days_late},
        label: {granted, score, criteria: [{code, status, reason, evidence,
        declarable}]}}``; ``state`` ``fresh``, ``late`` or
        ``not_applicable``; dates ISO days; ``status`` ``pass``, ``fail``,
        ``unknown`` or ``not_applicable``; ``evidence`` in the user's
        language
    :rtype: dictionary
    """
    data = schema.validated(data_dict, schema.dataset_id_schema(), context)
    tk.check_access("partnership_dataset_compliance", context, data)
    package = _readable(context, data)
    return compliance.as_dict(*compliance.assess(package))


def partnership_label_declare(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Declare what the portal cannot measure of a dataset's label:
    ``complete``, ``primary`` or ``free_of_charge``. A declaration counts
    only while the portal's own evidence is ``unknown``; ``unknown``
    withdraws the previous one. Each is kept, with who and when.

    :param id: the id or name of the dataset
    :type id: string
    :param criterion: ``complete``, ``primary`` or ``free_of_charge``
    :type criterion: string
    :param status: ``pass``, ``fail`` or ``unknown``
    :type status: string
    :param comment: why (optional)
    :type comment: string

    :returns: the dataset's compliance, as ``partnership_dataset_compliance``
    :rtype: dictionary
    """
    data = schema.validated(data_dict, schema.label_declaration_schema(), context)
    package = model.Package.get(data["id"])
    if package is None or package.state == "deleted":
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    tk.check_access("partnership_label_declare", context, {"id": package.id})
    user = model.User.get(context.get("user") or "")
    with writing(context):
        model.Session.add(pmodel.LabelDeclaration(
            package_id=package.id, criterion=data["criterion"], status=data["status"],
            comment=data.get("comment") or None, declared_by=user.id))
        model.Session.flush()
        compliance.refresh(package.id)
    return compliance.as_dict(*compliance.assess(package))


# -- the figures per partner ---------------------------------------------------

@tk.side_effect_free
def partnership_compliance_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A partner's freshness and label figures, of its active public
    datasets only (the same for every reader): the summary, its datasets
    late first, the criteria it fails most, its last 12 months.

    :param organization: the id or name of the organisation
    :type organization: string
    :param limit: at most this many datasets (1 to 1000, default 100)
    :type limit: int
    :param offset: from this one (default 0)
    :type offset: int

    :returns: ``{organization: {id, name, title}, summary: {datasets,
        fresh, late, not_applicable, label_granted, median_score},
        datasets: [{id, name, title, freshness, label}], failing_criteria:
        [{code, count}], history: [{month, datasets, fresh, late,
        not_applicable, label_granted}], quotas: [{code, used, limit,
        share, level}] or null}``; ``quotas`` to the partner's members and
        the host's validators only (null to anyone else)
    :rtype: dictionary
    """
    data = schema.validated(data_dict, schema.compliance_show_schema(), context)
    org = model.Group.get(data["organization"])
    if org is None or not org.is_organization or org.state != "active":
        raise tk.ObjectNotFound(tk._("Organization not found"))
    tk.check_access("partnership_compliance_show", context, {"organization": org.id})
    today = compliance.today()
    shown = compliance.partner_show(org, data["limit"], data["offset"], today)
    shown["quotas"] = (compliance.quota_usage(org.id, today)
                       if roles.reads_partner_details(context.get("user"), org.id) else None)
    return shown


@tk.side_effect_free
def partnership_compliance_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Every partner's summary (every active organisation but the host's),
    sorted and windowed.

    :param sort: ``title`` (default), ``datasets``, ``fresh``, ``late``,
        ``not_applicable``, ``label_granted``, ``median_score`` or
        ``fresh_share``
    :type sort: string
    :param order: ``asc`` (default) or ``desc``
    :type order: string
    :param limit: at most this many partners (1 to 1000, default 100)
    :type limit: int
    :param offset: from this one (default 0)
    :type offset: int

    :returns: ``[{organization: {id, name, title}, summary: {...},
        quotas: [{code, used, limit, share, level}] or null}]``;
        ``quotas`` of the partners the reader is a member of, of every
        partner to the host's validators, null otherwise
    :rtype: list of dictionaries
    """
    data = schema.validated(data_dict, schema.compliance_list_schema(), context)
    tk.check_access("partnership_compliance_list", context, data)
    today = compliance.today()
    rows = compliance.partner_list(data["sort"], data["order"], data["limit"],
                                   data["offset"], today)
    user = context.get("user")
    ids = [row["organization"]["id"] for row in rows]
    if not roles.is_validator(user):
        mine = roles.member_organization_ids(user)
        ids = [i for i in ids if i in mine]
    usages = compliance.quota_usages(ids, today) if ids else {}
    for row in rows:
        row["quotas"] = usages.get(row["organization"]["id"])
    return rows


@tk.side_effect_free
def partnership_compliance_count(context: Context, data_dict: DataDict) -> dict[str, int]:
    """How many partners ``partnership_compliance_list`` walks.

    :returns: ``{"count": n}``
    :rtype: dictionary
    """
    tk.check_access("partnership_compliance_count", context, data_dict)
    return {"count": compliance.partner_count()}
