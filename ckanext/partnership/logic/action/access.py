# -*- coding: utf-8 -*-
"""Actions of restricted-access data (README, API, "Restricted access"),
and the core reads they guard: the activity streams and the lists that
dictize datasets or files themselves, which package_show's hook does not
reach. Each checks access, validates its input with a schema of
:mod:`..schema` and calls :mod:`ckanext.partnership.access`."""
from __future__ import annotations

from typing import Any

import ckan.logic.action.get as core_get
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.partnership import access
from ckanext.partnership import model as pmodel
from ckanext.partnership.domain import access as rules
from ckanext.partnership.logic import schema
from ckanext.partnership.logic.transaction import writing

_ = tk._


def _purpose_error(keys: list[str]) -> str:
    key = keys[0]
    if key == "too_short":
        return _("Say in a sentence what you need the data for (at least {n} characters).").format(
            n=rules.PURPOSE_MIN)
    return _("Missing value")


def partnership_access_request_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A signed-in user asks the partner for access to a restricted
    dataset's files. The partner's publisher and mailbox, and the host's,
    are told; the partner answers within the agreement's
    ``comment_sla_hours``.

    :param package_id: the dataset's id or name
    :type package_id: string
    :param purpose: what the data is for (10 to 5000 characters)
    :type purpose: string

    :returns: the request ``{id, package_id, user, purpose, state, created,
        due_at, ...}``
    :rtype: dictionary
    """
    data = schema.validated(data_dict, schema.access_request_schema(), context)
    package = access.restricted_package(data["package_id"])
    tk.check_access("partnership_access_request_create", context, {"package_id": package.id})
    errors = rules.purpose_errors(data["purpose"])
    if errors:
        raise tk.ValidationError({"purpose": [_purpose_error(errors)]})
    user = access.user_or_404(context.get("user"))
    if access.reader(user.name).may_download(package.id, package.owner_org):
        raise tk.ValidationError({"package_id": [_("You may already download these files.")]})
    with writing(context):
        request = access.create_request(package, user, data["purpose"])
        access.mail_new_request(request)
    return access.request_dicts([request])[0]


def partnership_access_request_decide(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The partner (its publisher or members) or a validator grants or
    refuses a pending request; the requester is told by mail.

    :param id: the request's id
    :type id: string
    :param decision: ``grant`` or ``refuse``
    :type decision: string
    :param message: to the requester (optional)
    :type message: string
    :param until: the last day of access, ``YYYY-MM-DD`` (optional; none:
        until revoked)
    :type until: string

    :returns: the request, decided
    :rtype: dictionary
    """
    data = schema.validated(data_dict, schema.access_decide_schema(), context)
    request = access.request_or_404(data["id"])
    tk.check_access("partnership_access_request_decide", context,
                    {"organization_id": request.organization_id})
    with writing(context):
        access.decide(request, access.user_or_404(context.get("user")), data["decision"],
                      data.get("message"), data.get("until"))
        access.mail_decision(request)
    return access.request_dicts([request])[0]


def _list_scope(context: Context, data: dict[str, Any]) -> tuple[Any, Any]:
    """(package, organisation ids) a list reads, once the reader may."""
    package = None
    if data.get("package_id"):
        package = access.package_or_404(data["package_id"])
        tk.check_access("partnership_access_grant_list", context,
                        {"organization_id": package.owner_org})
        return package, None
    if data.get("organization"):
        org = model.Group.get(data["organization"])
        if org is None or not org.is_organization:
            raise tk.ObjectNotFound(_("Organization not found"))
        tk.check_access("partnership_access_grant_list", context, {"organization_id": org.id})
        return None, {org.id}
    # neither: every partner the reader manages (all of them for a validator)
    tk.check_access("partnership_access_request_list", context, {})
    return None, access.managed_organization_ids(context.get("user"))


def _requests(context: Context, data_dict: DataDict) -> tuple[Any, dict[str, Any]]:
    """The query of the requests a reader asked for, once it may."""
    data = schema.validated(data_dict, schema.access_list_schema(), context)
    user = context.get("user")
    if data.get("package_id") and not data.get("organization"):
        package = access.package_or_404(data["package_id"])
        if not access.may_manage(user, package.owner_org):
            tk.check_access("partnership_access_request_list", context,
                            {"package_id": package.id})
            account = access.user_or_404(user)
            return access.requests_query(package.id, None, data.get("state")).filter(
                pmodel.AccessRequest.user_id == account.id), data
    package, orgs = _list_scope(context, data)
    return access.requests_query(package.id if package else None, orgs,
                                 data.get("state")), data


@tk.side_effect_free
def partnership_access_request_list(context: Context, data_dict: DataDict) -> list[Any]:
    """Access requests, newest first (pending ones: the soonest deadline
    first): of a dataset or of a partner, for
    the partner's members and the validators; another signed-in user reads
    its own requests on a dataset.

    :param package_id: a dataset's id or name, or
    :type package_id: string
    :param organization: a partner's name or id (neither: every partner the
        reader manages, all of them for a validator)
    :type organization: string
    :param state: ``pending``, ``granted`` or ``refused`` (optional)
    :type state: string
    :param limit: at most this many (default 100, at most 1000)
    :type limit: int
    :param offset: from this one (default 0)
    :type offset: int

    :returns: ``[{id, package_id, package_name, package_title, user,
        user_title, purpose, state, created, due_at, overdue, decided_at,
        decided_by, message, until, grant_id, on_time}]``
    :rtype: list of dictionaries
    """
    query, data = _requests(context, data_dict)
    request = pmodel.AccessRequest
    order = ((request.due_at, request.id) if data.get("state") == "pending"
             else (request.created.desc(), request.id))
    rows = query.order_by(*order).limit(data["limit"]).offset(data["offset"]).all()
    return access.request_dicts(rows)


@tk.side_effect_free
def partnership_access_request_count(context: Context, data_dict: DataDict) -> dict[str, int]:
    """How many requests ``partnership_access_request_list`` gives in all.

    :param package_id: a dataset's id or name, or
    :type package_id: string
    :param organization: a partner's name or id (neither: every partner the
        reader manages, all of them for a validator)
    :type organization: string
    :param state: ``pending``, ``granted`` or ``refused`` (optional)
    :type state: string

    :returns: ``{count}``
    :rtype: dictionary
    """
    query, _data = _requests(context, data_dict)
    return {"count": query.order_by(None).count()}


def _grants(context: Context, data_dict: DataDict) -> tuple[Any, dict[str, Any]]:
    data = schema.validated(data_dict, schema.access_list_schema(), context)
    package, orgs = _list_scope(context, data)
    grant = pmodel.AccessGrant
    query = model.Session.query(grant)
    if package is not None:
        query = query.filter(grant.package_id == package.id)
    elif orgs is not None:
        query = query.filter(grant.organization_id.in_(list(orgs)))
    return query, data


@tk.side_effect_free
def partnership_access_grant_list(context: Context, data_dict: DataDict) -> list[Any]:
    """The grants of a dataset (or of a partner's datasets), newest first,
    revoked and expired ones included (``active`` says which hold), for the
    partner's members and the validators.

    :param package_id: a dataset's id or name, or
    :type package_id: string
    :param organization: a partner's name or id (neither: every partner the
        reader manages, all of them for a validator)
    :type organization: string
    :param limit: at most this many (default 100, at most 1000)
    :type limit: int
    :param offset: from this one (default 0)
    :type offset: int

    :returns: ``[{id, package_id, package_name, user, organization, until,
        active, created, granted_by, request_id, revoked_at, revoked_by}]``
    :rtype: list of dictionaries
    """
    query, data = _grants(context, data_dict)
    grant = pmodel.AccessGrant
    rows = query.order_by(grant.created.desc(), grant.id).limit(data["limit"]).offset(
        data["offset"]).all()
    return access.grant_dicts(rows)


@tk.side_effect_free
def partnership_access_grant_count(context: Context, data_dict: DataDict) -> dict[str, int]:
    """How many grants ``partnership_access_grant_list`` gives in all.

    :param package_id: a dataset's id or name, or
    :type package_id: string
    :param organization: a partner's name or id (neither: every partner the
        reader manages, all of them for a validator)
    :type organization: string

    :returns: ``{count}``
    :rtype: dictionary
    """
    query, _data = _grants(context, data_dict)
    return {"count": query.order_by(None).count()}


def partnership_access_grant_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The partner grants an account, or every member of an organisation,
    access to a restricted dataset's files, until a day or until revoked.

    :param package_id: the dataset's id or name
    :type package_id: string
    :param user: an account's name or id, or
    :type user: string
    :param organization: an organisation's name or id
    :type organization: string
    :param until: the last day of access, ``YYYY-MM-DD`` (optional)
    :type until: string

    :returns: the grant
    :rtype: dictionary
    """
    data = schema.validated(data_dict, schema.access_grant_schema(), context)
    package = access.restricted_package(data["package_id"])
    tk.check_access("partnership_access_grant_create", context,
                    {"organization_id": package.owner_org})
    if bool(data.get("user")) == bool(data.get("organization")):
        raise tk.ValidationError({"user": [_("Give an account (user) or an organisation "
                                             "(organization), not both")]})
    user = org = None
    if data.get("user"):
        user = model.User.get(data["user"])
        if user is None or user.state != "active":
            raise tk.ValidationError({"user": [_("No such account")]})
    else:
        org = model.Group.get(data["organization"])
        if org is None or not org.is_organization or org.state != "active":
            raise tk.ValidationError({"organization": [_("No such organisation")]})
    with writing(context):
        grant = access.create_grant(package, access.user_or_404(context.get("user")), user, org,
                                    data.get("until"))
    return access.grant_dicts([grant])[0]


def partnership_access_grant_revoke(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Withdraw a grant: its holder downloads no more (told by mail).

    :param id: the grant's id
    :type id: string

    :returns: the grant, revoked
    :rtype: dictionary
    """
    data = schema.checked_text(data_dict, schema.lookup_schema())
    grant = access.grant_or_404(data.get("id"))
    tk.check_access("partnership_access_grant_revoke", context,
                    {"organization_id": grant.organization_id})
    with writing(context):
        access.revoke(grant, access.user_or_404(context.get("user")))
        access.mail_revoked(grant)
    return access.grant_dicts([grant])[0]


def _downloads(context: Context, data_dict: DataDict) -> tuple[Any, dict[str, Any]]:
    data = schema.validated(data_dict, schema.access_list_schema(), context)
    package, orgs = _list_scope(context, data)
    download = pmodel.Download
    query = model.Session.query(download)
    if package is not None:
        query = query.filter(download.package_id == package.id)
    elif orgs is not None:
        query = query.filter(download.organization_id.in_(list(orgs)))
    return query, data


@tk.side_effect_free
def partnership_download_log(context: Context, data_dict: DataDict) -> list[Any]:
    """Who downloaded which file of a restricted dataset (or of a
    partner's), and when, newest first (000 §9.3.1), for the partner's
    members and the validators.

    :param package_id: a dataset's id or name, or
    :type package_id: string
    :param organization: a partner's name or id (neither: every partner the
        reader manages, all of them for a validator)
    :type organization: string
    :param limit: at most this many (default 100, at most 1000)
    :type limit: int
    :param offset: from this one (default 0)
    :type offset: int

    :returns: ``[{id, package_id, resource_id, resource_name, user,
        user_title, organization_id, at}]``
    :rtype: list of dictionaries
    """
    query, data = _downloads(context, data_dict)
    download = pmodel.Download
    rows = query.order_by(download.at.desc(), download.id).limit(data["limit"]).offset(
        data["offset"]).all()
    return access.download_dicts(rows)


@tk.side_effect_free
def partnership_download_count(context: Context, data_dict: DataDict) -> dict[str, int]:
    """How many downloads ``partnership_download_log`` gives in all.

    :param package_id: a dataset's id or name, or
    :type package_id: string
    :param organization: a partner's name or id (neither: every partner the
        reader manages, all of them for a validator)
    :type organization: string

    :returns: ``{count}``
    :rtype: dictionary
    """
    query, _data = _downloads(context, data_dict)
    return {"count": query.order_by(None).count()}


# -- the core reads a restricted dataset's files could leak by -------------------

def _doc_of(original: Any, note: str) -> Any:
    """A chained read keeps the core action's docstring (its parameters,
    as ``action_help`` and the leak sweeps read them), with a note."""
    def mark(func: Any) -> Any:
        func.__dict__["__doc__"] = (original.__doc__ or "") + "\n    " + note + "\n"
        return func
    return mark


_NOTE = ("(ckanext-partnership) The files of a restricted-access dataset carry the "
         "portal's download route for those who may not read their address.")


def _scrubbed_activities(context: Context, activities: list[Any]) -> list[Any]:
    ids = {a.get("object_id") for a in activities if isinstance(a, dict)}
    restricted_now = access.restricted_ids(i for i in ids if i)
    if not restricted_now and not any(
            rules.dataset_restricted(((a.get("data") or {}).get("package") or {}))
            for a in activities if isinstance(a, dict) and isinstance(a.get("data"), dict)):
        return activities
    who = access.reader(context.get("user"))  # once for the list
    for activity in activities:
        access.scrub_activity(activity, who, restricted_now)
    return activities


def _activity_reads() -> dict[str, Any]:
    from ckanext.activity.logic import action as activity_action

    def scrubbing_list(name: str) -> Any:
        original = getattr(activity_action, name)

        @tk.chained_action
        @tk.side_effect_free
        @_doc_of(original, _NOTE)
        def chained(up_func: Action, context: Context, data_dict: DataDict) -> Any:
            return _scrubbed_activities(context, up_func(context, data_dict))
        chained.__name__ = name
        return chained

    reads = {name: scrubbing_list(name) for name in (
        "package_activity_list", "organization_activity_list", "group_activity_list",
        "user_activity_list", "dashboard_activity_list",
        "recently_changed_packages_activity_list")}

    @tk.chained_action
    @tk.side_effect_free
    @_doc_of(activity_action.activity_show, _NOTE)
    def activity_show(up_func: Action, context: Context, data_dict: DataDict) -> Any:
        # core's authorisation reads ``include_data`` unchecked: absent, a 500
        data_dict = {"include_data": False, **data_dict}
        return _scrubbed_activities(context, [up_func(context, data_dict)])[0]

    @tk.chained_action
    @tk.side_effect_free
    @_doc_of(activity_action.activity_data_show, _NOTE)
    def activity_data_show(up_func: Action, context: Context, data_dict: DataDict) -> Any:
        data = up_func(context, data_dict)
        activity = model.Session.get(_activity_model(), data_dict.get("id") or "")
        object_id = activity.object_id if activity is not None else None
        if isinstance(data, dict) and "resources" in data:
            wrapped = {"object_id": object_id, "data": {"package": data}}
            return _scrubbed_activities(context, [wrapped])[0]["data"]["package"]
        if isinstance(data, dict):
            _scrubbed_activities(context, [{"object_id": object_id, "data": data}])
        return data

    @tk.chained_action
    @tk.side_effect_free
    @_doc_of(activity_action.activity_diff, _NOTE)
    def activity_diff(up_func: Action, context: Context, data_dict: DataDict) -> Any:
        result = up_func(context, data_dict)
        activities = result.get("activities") or []
        before = [_json_dump(a.get("data", {}).get(data_dict.get("object_type"))) for a in
                  activities]
        _scrubbed_activities(context, activities)
        after = [_json_dump(a.get("data", {}).get(data_dict.get("object_type"))) for a in
                 activities]
        if before != after:  # a file's address was scrubbed: the diff is drawn again
            result["diff"] = _access_diff(after, data_dict.get("diff_type", "unified"))
        return result

    reads.update(activity_show=activity_show, activity_data_show=activity_data_show,
                 activity_diff=activity_diff)
    return reads


def _activity_model() -> Any:
    from ckanext.activity.model import Activity
    return Activity


def _json_dump(obj: Any) -> str:
    import json
    return json.dumps(obj, indent=2, sort_keys=True)


def _access_diff(texts: list[str], diff_type: str) -> str:
    """The diff of two scrubbed versions, drawn as ``activity_diff`` draws
    it."""
    import difflib
    import re
    lines = [t.split("\n") for t in texts]
    if len(lines) != 2:
        return ""
    if diff_type == "context":
        return "\n".join(difflib.context_diff(*lines))
    if diff_type == "html":
        wrapped = [[w for line in side for w in re.findall(r".{1,70}(?:\s+|$)", line)]
                   for side in lines]
        return difflib.HtmlDiff().make_table(*wrapped)
    return "\n".join(difflib.unified_diff(*lines))


globals().update(_activity_reads())


def _scrub_resources(context: Context, resources: list[dict[str, Any]]) -> list[Any]:
    """Files dictized by core outside package_show, scrubbed as their
    datasets would be (two queries for the list)."""
    ids = {r.get("package_id") for r in resources if isinstance(r, dict)}
    restricted = access.restricted_ids(i for i in ids if i)
    if not restricted:
        return resources
    packages = {p.id: p for p in model.Session.query(model.Package).filter(
        model.Package.id.in_(restricted))}
    who = access.reader(context.get("user"))
    out = []
    for resource in resources:
        package = packages.get(resource.get("package_id"))
        if package is None:
            out.append(resource)
            continue
        shell = {"id": package.id, "name": package.name, "owner_org": package.owner_org,
                 "access_rights": rules.RESTRICTED, "resources": [resource]}
        out.append(access.scrub_package(shell, who)["resources"][0])
    return out


@tk.chained_action
@tk.side_effect_free
@_doc_of(core_get.resource_search, _NOTE + " A query on ``url`` does not find them.")
def resource_search(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    found = up_func(context, data_dict)
    results = found.get("results")
    if not isinstance(results, list) or not results or not isinstance(results[0], dict):
        return found
    scrubbed = _scrub_resources(context, [dict(r) for r in results])
    probes_url = any("url" in str(q).split(":")[0] for q in
                     ([data_dict.get("query")] if isinstance(data_dict.get("query"), str)
                      else list(data_dict.get("query") or [])) + list(
                         (data_dict.get("fields") or {}).keys()))
    kept = [r for r in scrubbed if not (probes_url and r.get("partnership_restricted"))]
    return {**found, "results": kept, "count": found["count"] - (len(results) - len(kept))}


@tk.chained_action
@tk.side_effect_free
@_doc_of(core_get.dataset_followee_list, _NOTE)
def dataset_followee_list(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    datasets = up_func(context, data_dict)
    who = access.reader(context.get("user"))
    return [access.scrub_package(d, who) for d in datasets]


def _views_hidden(context: Context, resource_id: Any) -> bool:
    resource = model.Resource.get(str(resource_id or ""))
    package = resource.package if resource is not None else None
    return (package is not None and not package.private
            and not access.may_download(context.get("user"), package))


@tk.chained_action
@tk.side_effect_free
@_doc_of(core_get.resource_view_list, _NOTE + " Their previews are not listed.")
def resource_view_list(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    views = up_func(context, data_dict)
    return [] if _views_hidden(context, data_dict.get("id")) else views


@tk.chained_action
@tk.side_effect_free
@_doc_of(core_get.resource_view_show, _NOTE + " Their previews are not shown.")
def resource_view_show(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    view = up_func(context, data_dict)
    if _views_hidden(context, view.get("resource_id")):
        raise tk.NotAuthorized(_("The files of this dataset are restricted"))
    return view
