# -*- coding: utf-8 -*-
"""Auth functions, one per action of the same name."""
from __future__ import annotations

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.partnership import access, publication
from ckanext.partnership import model as pmodel
from ckanext.partnership.core import roles


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


def partnership_agreement_term_history(context: Context, data_dict: DataDict) -> AuthResult:
    """The history of an agreement's terms: to the host's validators and
    the partner's members (``organization_id``, the agreement's partner),
    who read the agreement in full."""
    if roles.reads_partner_details(context.get("user"), str(data_dict.get("organization_id") or "")):
        return {"success": True}
    return {"success": False, "msg": tk._(
        "Only the partner's members and the host's validators read an agreement")}


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
def partnership_agreement_count(context: Context, data_dict: DataDict) -> AuthResult:
    """As partnership_agreement_list."""
    return partnership_agreement_list(context, data_dict)


@tk.auth_allow_anonymous_access
def partnership_planned_dataset_count(context: Context, data_dict: DataDict) -> AuthResult:
    """As partnership_planned_dataset_list."""
    return partnership_planned_dataset_list(context, data_dict)


@tk.auth_allow_anonymous_access
def partnership_resource_checks_show(context: Context, data_dict: DataDict) -> AuthResult:
    """The producers and publishers who may edit the dataset, and the
    host's validators."""
    if roles.is_validator(context.get("user")):
        return {"success": True}
    resource = model.Resource.get(data_dict.get("id") or "")
    if resource is None:
        return {"success": False}
    if authz.is_authorized("package_update", context, {"id": resource.package_id})["success"]:
        return {"success": True}
    # core's refusal names the dataset's id: a private dataset's is private
    return {"success": False, "msg": tk._(
        "Only the partner's producers and publishers and the host's validators read the "
        "checks' report")}


@tk.auth_allow_anonymous_access
def resource_validation_show(context: Context, data_dict: DataDict) -> AuthResult:
    return partnership_resource_checks_show(context, data_dict)


def partnership_resource_checks_run(context: Context, data_dict: DataDict) -> AuthResult:
    return partnership_resource_checks_show(context, data_dict)


def resource_validation_run(context: Context, data_dict: DataDict) -> AuthResult:
    return partnership_resource_checks_show(context, data_dict)


# -- publication -----------------------------------------------------------

def _may_edit_or_validate(context: Context, data_dict: DataDict) -> AuthResult:
    """Whoever may edit the dataset (its producers and publisher), and the
    host's validators."""
    if roles.is_validator(context.get("user")):
        return {"success": True}
    return authz.is_authorized("package_update", context, {"id": data_dict.get("id")})


def _publisher_only(context: Context, data_dict: DataDict) -> AuthResult:
    package = model.Package.get(str(data_dict.get("id") or ""))
    org_id = package.owner_org if package else None
    if roles.may_publish(context.get("user"), org_id):
        return {"success": True}
    agreement = pmodel.agreement_in_force(org_id)
    if agreement is None:
        return {"success": False, "msg": tk._("This dataset's organisation has no agreement "
                                              "in force")}
    return {"success": False, "msg": roles._only_publisher(agreement, org_id)}


def partnership_publication_checks(context: Context, data_dict: DataDict) -> AuthResult:
    return _may_edit_or_validate(context, data_dict)


def partnership_publication_submit(context: Context, data_dict: DataDict) -> AuthResult:
    """The partner's publisher (and the host's validators)."""
    return _publisher_only(context, data_dict)


def partnership_publication_cancel(context: Context, data_dict: DataDict) -> AuthResult:
    return _publisher_only(context, data_dict)


def partnership_dataset_unpublish(context: Context, data_dict: DataDict) -> AuthResult:
    """A validator removes, the publisher withdraws."""
    return _publisher_only(context, data_dict)


def partnership_publication_decide(context: Context, data_dict: DataDict) -> AuthResult:
    if roles.is_validator(context.get("user")):
        return {"success": True}
    return {"success": False,
            "msg": tk._("Only the host's validators decide publication requests")}


def partnership_publication_list(context: Context, data_dict: DataDict) -> AuthResult:
    return _may_edit_or_validate(context, data_dict)


def _validators_or_own_organization(context: Context, data_dict: DataDict) -> AuthResult:
    """The validators see every partner's; a member of an organisation sees
    its own, when it asks for it by the ``organization`` filter (as CKAN
    resolves it: a name or an id)."""
    if roles.is_validator(context.get("user")):
        return {"success": True}
    wanted = data_dict.get("organization") if isinstance(data_dict, dict) else None
    org = model.Group.get(str(wanted)) if wanted and isinstance(wanted, str) else None
    if (org is not None and org.is_organization and org.state == "active"
            and roles.is_member(context.get("user"), org.id)):
        return {"success": True}
    return partnership_publication_decide(context, data_dict)


def partnership_queue_list(context: Context, data_dict: DataDict) -> AuthResult:
    return _validators_or_own_organization(context, data_dict)


def partnership_flagged_list(context: Context, data_dict: DataDict) -> AuthResult:
    return _validators_or_own_organization(context, data_dict)


@tk.auth_allow_anonymous_access
def partnership_publication_stats(context: Context, data_dict: DataDict) -> AuthResult:
    """Public figures: whether the host keeps its promise."""
    return {"success": True}


def _refused(refusal: str | None) -> AuthResult | None:
    return {"success": False, "msg": refusal} if refusal else None


@tk.chained_auth_function
def bulk_update_public(next_auth, context: Context, data_dict: DataDict) -> AuthResult:
    """Bulk publication in a partner's organisation: as a direct save."""
    return _refused(roles.publish_refusal(context.get("user"), data_dict.get("org_id"))) \
        or next_auth(context, data_dict)


@tk.chained_auth_function
def bulk_update_private(next_auth, context: Context, data_dict: DataDict) -> AuthResult:
    return _refused(roles.withdraw_refusal(context.get("user"), data_dict.get("org_id"))) \
        or next_auth(context, data_dict)


@tk.chained_auth_function
def bulk_update_delete(next_auth, context: Context, data_dict: DataDict) -> AuthResult:
    """Deleting in bulk: as deleting each public dataset of the list (only
    those of ``org_id`` are touched, as CKAN does)."""
    org_id = data_dict.get("org_id")
    user = context.get("user")
    for package in _bulk_packages(data_dict):
        if not package.private and package.state == "active":
            refusal = roles.delete_refusal(user, org_id)
            if refusal:
                return {"success": False, "msg": refusal}
            break
    return next_auth(context, data_dict)


def _bulk_packages(data_dict: DataDict) -> list[model.Package]:
    """The datasets a bulk action changes: those of the list owned by
    ``org_id`` (CKAN's own filter)."""
    ids = [str(i) for i in data_dict.get("datasets") or []]
    if not ids or not data_dict.get("org_id"):
        return []
    return (model.Session.query(model.Package).filter(model.Package.id.in_(ids))
            .filter(model.Package.owner_org == data_dict["org_id"]).all())


@tk.chained_auth_function
def package_owner_org_update(next_auth, context: Context, data_dict: DataDict) -> AuthResult:
    """Moving a dataset: leaving a partner's organisation, or arriving
    public in one, follows the rules of publication (the organisation
    resolved as CKAN resolves it)."""
    package = model.Package.get(str(data_dict.get("id") or ""))
    if package is not None:
        target = model.Group.get(str(data_dict.get("organization_id") or ""))
        target_id = target.id if target is not None else None
        if target_id != package.owner_org:
            refusal = publication.move_refusal(context.get("user"), package, target_id)
            if refusal:
                return {"success": False, "msg": refusal}
    return next_auth(context, data_dict)


@tk.chained_auth_function
def package_delete(next_auth, context: Context, data_dict: DataDict) -> AuthResult:
    """Deleting a published partner dataset withdraws it: the publisher's
    and the validators' only (000 §9.4)."""
    package = model.Package.get(str(data_dict.get("id") or ""))
    if package is not None:
        refusal = publication.deletion_refusal(context.get("user"), package)
        if refusal:
            return {"success": False, "msg": refusal}
    return next_auth(context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def package_show(next_auth, context: Context, data_dict: DataDict) -> AuthResult:
    """The host's validators read every dataset, private ones included:
    they review them before publication (002 §4.2.1)."""
    if roles.is_validator(context.get("user")):
        return {"success": True}
    return next_auth(context, data_dict)


# -- comments and contact messages -------------------------------------------

def partnership_comment_create(context: Context, data_dict: DataDict) -> AuthResult:
    """Logged-in users who may read the dataset."""
    if not context.get("user"):
        return {"success": False, "msg": tk._("Log in to comment")}
    return authz.is_authorized("package_show", context, {"id": data_dict.get("package_id")})


@tk.auth_allow_anonymous_access
def partnership_comment_list(context: Context, data_dict: DataDict) -> AuthResult:
    return authz.is_authorized("package_show", context, {"id": data_dict.get("package_id")})


def partnership_comment_close(context: Context, data_dict: DataDict) -> AuthResult:
    if roles.is_validator(context.get("user")):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the host's validators moderate comments")}


@tk.auth_allow_anonymous_access
def partnership_contact_create(context: Context, data_dict: DataDict) -> AuthResult:
    """Anyone writes to a partner."""
    return {"success": True}


def _partner_side(context: Context, data_dict: DataDict, refusal: str) -> AuthResult:
    """The members of the partner ``organization_id`` and the validators."""
    user = context.get("user")
    if roles.is_validator(user) or roles.is_member(user, data_dict.get("organization_id") or ""):
        return {"success": True}
    return {"success": False, "msg": refusal}


def partnership_contact_answered(context: Context, data_dict: DataDict) -> AuthResult:
    """The partner's members (and the validators)."""
    return _partner_side(context, data_dict,
                         tk._("Only the partner's members mark its messages answered"))


def partnership_contact_reply(context: Context, data_dict: DataDict) -> AuthResult:
    """The partner's members (and the validators): 000 §10.1.3."""
    return _partner_side(context, data_dict,
                         tk._("Only the partner's members answer its messages"))


def partnership_thread_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Logged-in users: each sees the threads of its organisations."""
    if context.get("user"):
        return {"success": True}
    return {"success": False, "msg": tk._("Log in to see your organisation's discussions")}


def partnership_thread_count(context: Context, data_dict: DataDict) -> AuthResult:
    """As ``partnership_thread_list``."""
    return partnership_thread_list(context, data_dict)


@tk.auth_allow_anonymous_access
def partnership_response_stats(context: Context, data_dict: DataDict) -> AuthResult:
    """Public figures: whether partners answer their users."""
    return {"success": True}


# -- the dashboard -------------------------------------------------------------

def partnership_dashboard_show(context: Context, data_dict: DataDict) -> AuthResult:
    """Logged-in users: each sees what waits for it, nothing else."""
    if context.get("user"):
        return {"success": True}
    return {"success": False, "msg": tk._("Log in to see what waits for you")}


@tk.auth_allow_anonymous_access
def partnership_dataset_compliance(context: Context, data_dict: DataDict) -> AuthResult:
    """Whoever may read the dataset reads its freshness and label."""
    return authz.is_authorized("package_show", context, data_dict)


def partnership_label_declare(context: Context, data_dict: DataDict) -> AuthResult:
    """The host's validators and the editors and admins of the dataset's
    organisation (its producers and publisher)."""
    user = context.get("user")
    if roles.is_validator(user):
        return {"success": True}
    package = model.Package.get(data_dict.get("id") or "")
    if (package is not None and package.owner_org and user
            and authz.users_role_for_group_or_org(package.owner_org, user)
            in ("editor", "admin")):
        return {"success": True}
    return {"success": False, "msg": tk._(
        "Only the partner's producers and publisher and the host's validators declare "
        "what the portal cannot measure")}


# -- the figures per partner ---------------------------------------------------

@tk.auth_allow_anonymous_access
def partnership_compliance_show(context: Context, data_dict: DataDict) -> AuthResult:
    """Public figures: whether a partner keeps the agreement's promises
    (of its public datasets only, the same for every reader)."""
    return {"success": True}


@tk.auth_allow_anonymous_access
def partnership_compliance_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Public figures: every partner's."""
    return {"success": True}


@tk.auth_allow_anonymous_access
def partnership_compliance_count(context: Context, data_dict: DataDict) -> AuthResult:
    """As ``partnership_compliance_list``."""
    return {"success": True}


# -- the annual review -----------------------------------------------------------

def partnership_annual_review(context: Context, data_dict: DataDict) -> AuthResult:
    """A partner's review: its members and the host's validators; the
    whole portal's: the validators."""
    user = context.get("user")
    organization = data_dict.get("organization") if isinstance(data_dict, dict) else None
    if roles.is_validator(user):
        return {"success": True}
    if organization:
        org = model.Group.get(str(organization))
        if org is not None and roles.is_member(user, org.id):
            return {"success": True}
        return {"success": False, "msg": tk._(
            "Only the partner's members and the host's validators read its annual review")}
    return {"success": False, "msg": tk._(
        "Only the host's validators read the annual review of the whole portal")}


# -- restricted-access data -------------------------------------------------------

def partnership_access_request_create(context: Context, data_dict: DataDict) -> AuthResult:
    """Signed-in users ask for access (the partner must know who)."""
    if context.get("user"):
        return {"success": True}
    return {"success": False, "msg": tk._("Log in to ask for access to these files")}


def partnership_access_request_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Signed-in users: each reads its own requests, the partner and the
    validators those of the partner's datasets (the action decides)."""
    return partnership_access_request_create(context, data_dict)


def _manages_access(context: Context, data_dict: DataDict) -> AuthResult:
    if access.may_manage(context.get("user"), data_dict.get("organization_id")):
        return {"success": True}
    return {"success": False, "msg": tk._(
        "Only the partner and the host's validators manage access to a dataset")}


def partnership_access_request_decide(context: Context, data_dict: DataDict) -> AuthResult:
    return _manages_access(context, data_dict)


def partnership_access_grant_create(context: Context, data_dict: DataDict) -> AuthResult:
    return _manages_access(context, data_dict)


def partnership_access_grant_revoke(context: Context, data_dict: DataDict) -> AuthResult:
    return _manages_access(context, data_dict)


def partnership_access_grant_list(context: Context, data_dict: DataDict) -> AuthResult:
    return _manages_access(context, data_dict)


def partnership_download_log(context: Context, data_dict: DataDict) -> AuthResult:
    return _manages_access(context, data_dict)


def partnership_access_request_count(context: Context, data_dict: DataDict) -> AuthResult:
    return partnership_access_request_list(context, data_dict)


def partnership_access_grant_count(context: Context, data_dict: DataDict) -> AuthResult:
    return _manages_access(context, data_dict)


def partnership_download_count(context: Context, data_dict: DataDict) -> AuthResult:
    return _manages_access(context, data_dict)
