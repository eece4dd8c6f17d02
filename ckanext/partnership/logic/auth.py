# -*- coding: utf-8 -*-
"""Auth functions, one per action of the same name."""
from __future__ import annotations

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.partnership import roles


@tk.auth_allow_anonymous_access
def partnership_metadata_check(context: Context, data_dict: DataDict) -> AuthResult:
    """Whoever may read the dataset may check it."""
    return authz.is_authorized("package_show", context, data_dict)


def _validators_only(context: Context) -> AuthResult:
    if roles.is_validator(context.get("user")):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the host's validators manage agreements")}


def partnership_agreement_create(context: Context, data_dict: DataDict) -> AuthResult:
    return _validators_only(context)


def partnership_agreement_update(context: Context, data_dict: DataDict) -> AuthResult:
    return _validators_only(context)


def partnership_agreement_patch(context: Context, data_dict: DataDict) -> AuthResult:
    return _validators_only(context)


def partnership_agreement_terminate(context: Context, data_dict: DataDict) -> AuthResult:
    return _validators_only(context)


def partnership_amendment_create(context: Context, data_dict: DataDict) -> AuthResult:
    return _validators_only(context)


def partnership_planned_dataset_create(context: Context, data_dict: DataDict) -> AuthResult:
    return _validators_only(context)


def partnership_planned_dataset_update(context: Context, data_dict: DataDict) -> AuthResult:
    return _validators_only(context)


def partnership_committee_meeting_create(context: Context, data_dict: DataDict) -> AuthResult:
    return _validators_only(context)


@tk.auth_allow_anonymous_access
def partnership_planned_dataset_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Anyone sees what a partner promised and what it delivered."""
    return {"success": True}


def partnership_document_create(context: Context, data_dict: DataDict) -> AuthResult:
    return _validators_only(context)


@tk.auth_allow_anonymous_access
def partnership_agreement_show(context: Context, data_dict: DataDict) -> AuthResult:
    """Anyone reads the public facts; the action gives the rest only to
    validators and the partner's members."""
    return {"success": True}


@tk.auth_allow_anonymous_access
def partnership_agreement_list(context: Context, data_dict: DataDict) -> AuthResult:
    """As partnership_agreement_show."""
    return {"success": True}


@tk.auth_allow_anonymous_access
def partnership_resource_checks_show(context: Context, data_dict: DataDict) -> AuthResult:
    """The producers and publishers who may edit the dataset, and the
    host's validators."""
    if roles.is_validator(context.get("user")):
        return {"success": True}
    resource = model.Resource.get(data_dict.get("id") or "")
    if resource is None:
        return {"success": False}
    return authz.is_authorized("package_update", context, {"id": resource.package_id})


@tk.auth_allow_anonymous_access
def resource_validation_show(context: Context, data_dict: DataDict) -> AuthResult:
    return partnership_resource_checks_show(context, data_dict)


def partnership_resource_checks_run(context: Context, data_dict: DataDict) -> AuthResult:
    return partnership_resource_checks_show(context, data_dict)


def resource_validation_run(context: Context, data_dict: DataDict) -> AuthResult:
    return partnership_resource_checks_show(context, data_dict)
