# -*- coding: utf-8 -*-
"""Restricted-access data on CKAN's side (004 §7.1): who may download a
restricted dataset's files, the requests, grants and downloads as stored,
their lists and figures. The rules are ``domain.access``'s."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from sqlalchemy import and_, func, literal_column, or_

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.partnership import discussions
from ckanext.partnership import model as pmodel
from ckanext.partnership.core import compat, roles
from ckanext.partnership.domain import access, sla

_ = tk._

AccessRequest, AccessGrant, Download = pmodel.AccessRequest, pmodel.AccessGrant, pmodel.Download


# -- who may download ------------------------------------------------------------

@dataclass(frozen=True)
class Reader:
    """What decides, for one account, whether it downloads restricted
    files: read once per request (three queries at most, none for an
    anonymous visitor), whatever the number of datasets shown."""

    name: str
    privileged: bool = False
    member_of: frozenset[str] = frozenset()
    granted: frozenset[str] = field(default_factory=frozenset)

    def may_download(self, package_id: str, owner_org: Optional[str]) -> bool:
        return access.package_allowed(owner_org, privileged=self.privileged,
                                      member_of=self.member_of, granted=self.granted,
                                      package_id=package_id)

    def manages(self, owner_org: Optional[str]) -> bool:
        """The partner's members and the validators read the files' own
        addresses (they edit them); grantees read the portal's route."""
        return self.privileged or owner_org in self.member_of


def reader(user_name: Optional[str]) -> Reader:
    """The :class:`Reader` of an account, read now (a list reads it once
    for all its rows: :func:`scrub_package` takes it)."""
    return _read(user_name or "")


def _read(name: str) -> Reader:
    if not name:
        return Reader("")
    user = model.User.get(name)
    if user is None or user.state != "active":
        return Reader(name)
    if roles.is_validator(name):
        return Reader(name, privileged=True)
    member_of = frozenset(roles.member_organization_ids(name))
    today = pmodel.now().date()
    grantee = AccessGrant.user_id == user.id
    if member_of:
        grantee = or_(grantee, AccessGrant.grantee_organization_id.in_(member_of))
    granted = frozenset(p for (p,) in model.Session.query(AccessGrant.package_id).filter(
        grantee, AccessGrant.revoked_at.is_(None),
        or_(AccessGrant.until.is_(None), AccessGrant.until >= today)))
    return Reader(name, member_of=member_of, granted=granted)


def stored_access_rights(package_ids: Iterable[str]) -> dict[str, Optional[str]]:
    """The stored ``access_rights`` of these datasets (on both CKAN
    versions, ``compat``)."""
    return compat.package_extra_values(package_ids, "access_rights")


def package_restricted(package: model.Package) -> bool:
    return access.is_restricted(stored_access_rights([package.id]).get(package.id))


def may_download(user_name: Optional[str], package: model.Package) -> bool:
    """Whether the account downloads this dataset's files (any dataset:
    a dataset that is not restricted is as CKAN decides)."""
    if not package_restricted(package):
        return True
    return reader(user_name).may_download(package.id, package.owner_org)


# -- what a reader reads ----------------------------------------------------------

def download_url(package_name: str, resource_id: str) -> str:
    """The portal's route of a file: CKAN's own download route, which
    answers 403 to those who may not download it (``guard``)."""
    site = (tk.config.get("ckan.site_url") or "").rstrip("/")
    return f"{site}/dataset/{package_name}/resource/{resource_id}/download"


def scrub_package(pkg_dict: dict[str, Any], user: Optional[str] | Reader) -> dict[str, Any]:
    """A dataset dict as ``user`` (a name or its :class:`Reader`) may read
    it: a restricted dataset's files carry, for anyone but its managers,
    the portal's route instead of their address. The dict is changed in
    place and returned."""
    if not isinstance(pkg_dict, dict) or not access.dataset_restricted(pkg_dict):
        return pkg_dict
    who = user if isinstance(user, Reader) else reader(user)
    owner = pkg_dict.get("owner_org")
    if who.manages(owner):
        return pkg_dict
    name = pkg_dict.get("name") or pkg_dict.get("id") or ""
    pkg_dict["resources"] = [
        _scrubbed(r, name) for r in pkg_dict.get("resources") or [] if isinstance(r, dict)]
    pkg_dict["partnership_may_download"] = who.may_download(pkg_dict.get("id") or "", owner)
    return pkg_dict


def _scrubbed(resource: dict[str, Any], package_name: str) -> dict[str, Any]:
    if resource.get("url_type") == "upload" and str(resource.get("url") or "").startswith(
            download_url(package_name, resource.get("id") or "")):
        route = resource["url"]  # already the portal's own route
    else:
        route = download_url(package_name, resource.get("id") or "")
    return access.scrubbed_resource(resource, route)


def scrub_activity(activity: Any, user_name: Optional[str] | Reader,
                   restricted_now: set[str]) -> Any:
    """An activity as ``user_name`` may read it: the dataset it holds is
    scrubbed when that version, or the dataset today, is restricted."""
    data = activity.get("data") if isinstance(activity, dict) else None
    package = data.get("package") if isinstance(data, dict) else None
    if isinstance(package, dict):
        rights = package.get("access_rights")
        if package.get("id") in restricted_now and not access.is_restricted(rights):
            package["access_rights"] = access.RESTRICTED
            scrub_package(package, user_name)
            package["access_rights"] = rights
        else:
            scrub_package(package, user_name)
    return activity


def restricted_ids(package_ids: Iterable[str]) -> set[str]:
    """Those of these datasets that are restricted today (one query)."""
    return {p for p, rights in stored_access_rights(package_ids).items()
            if access.is_restricted(rights)}


# -- requests, grants, downloads ------------------------------------------------

def package_or_404(id_or_name: Optional[str]) -> model.Package:
    package = model.Package.get(id_or_name or "")
    if package is None or package.state != "active" or package.type != "dataset":
        raise tk.ObjectNotFound(_("Dataset not found"))
    return package


def restricted_package(id_or_name: Optional[str]) -> model.Package:
    """A published restricted dataset, or a 409 naming ``package_id``."""
    package = package_or_404(id_or_name)
    if package.private or not package_restricted(package):
        raise tk.ValidationError({"package_id": [_(
            "Access is asked only for a published restricted-access dataset.")]})
    return package


def user_or_404(name: Optional[str]) -> model.User:
    user = model.User.get(name or "")
    if user is None or user.state != "active":
        raise tk.ObjectNotFound(_("User not found"))
    return user


def create_request(package: model.Package, user: model.User, purpose: str) -> AccessRequest:
    """A pending request; a second one of the same account on the same
    dataset while one waits is refused (409 on ``package_id``)."""
    pending = model.Session.query(AccessRequest.id).filter(
        AccessRequest.package_id == package.id, AccessRequest.user_id == user.id,
        AccessRequest.state == access.PENDING).first()
    if pending is not None:
        raise tk.ValidationError({"package_id": [_(
            "Your request for this dataset is already waiting for the partner's answer.")]})
    now = pmodel.now()
    request = AccessRequest(package_id=package.id, organization_id=package.owner_org,
                            user_id=user.id, purpose=purpose.strip(), state=access.PENDING,
                            created=now,
                            due_at=sla.due_at(now, discussions.sla_hours(package.owner_org)))
    model.Session.add(request)
    model.Session.flush()
    return request


def request_or_404(request_id: Optional[str]) -> AccessRequest:
    found = model.Session.get(AccessRequest, request_id or "")
    if found is None:
        raise tk.ObjectNotFound(_("Access request not found"))
    return found


def decide(request: AccessRequest, by: model.User, decision: str, message: Optional[str],
           until: Optional[dt.date]) -> Optional[AccessGrant]:
    """Grant (a grant to the requester, until ``until``) or refuse; the
    request row is locked so that two deciders cannot both decide."""
    model.Session.refresh(request, with_for_update=True)
    if access.decision_error(request.state):
        raise tk.ValidationError({"id": [_("This request has already been decided.")]})
    today = pmodel.now().date()
    if decision == "grant" and access.until_error(until, today):
        raise tk.ValidationError({"until": [_("The last day of access cannot be in the past.")]})
    request.state = access.DECISIONS[decision]
    request.decided_at = pmodel.now()
    request.decided_by = by.id
    request.message = message or None
    grant = None
    if decision == "grant":
        request.until = until
        grant = AccessGrant(package_id=request.package_id,
                            organization_id=request.organization_id, user_id=request.user_id,
                            until=until, granted_by=by.id, request_id=request.id)
        model.Session.add(grant)
        model.Session.flush()
        request.grant_id = grant.id
    return grant


def create_grant(package: model.Package, by: model.User, user: Optional[model.User],
                 organization: Optional[model.Group],
                 until: Optional[dt.date]) -> AccessGrant:
    if access.until_error(until, pmodel.now().date()):
        raise tk.ValidationError({"until": [_("The last day of access cannot be in the past.")]})
    grant = AccessGrant(package_id=package.id, organization_id=package.owner_org,
                        user_id=user.id if user else None,
                        grantee_organization_id=organization.id if organization else None,
                        until=until, granted_by=by.id)
    model.Session.add(grant)
    model.Session.flush()
    return grant


def grant_or_404(grant_id: Optional[str]) -> AccessGrant:
    found = model.Session.get(AccessGrant, grant_id or "")
    if found is None:
        raise tk.ObjectNotFound(_("Access grant not found"))
    return found


def revoke(grant: AccessGrant, by: model.User) -> None:
    model.Session.refresh(grant, with_for_update=True)
    if grant.revoked_at is not None:
        raise tk.ValidationError({"id": [_("This grant has already been revoked.")]})
    grant.revoked_at = pmodel.now()
    grant.revoked_by = by.id


def log_download(package: model.Package, resource_id: str, user: model.User) -> None:
    model.Session.add(Download(package_id=package.id, resource_id=resource_id,
                               organization_id=package.owner_org, user_id=user.id,
                               at=pmodel.now()))


# -- as the API gives them --------------------------------------------------------

def _names(user_ids: Iterable[Optional[str]]) -> dict[str, tuple[str, str]]:
    ids = {u for u in user_ids if u}
    if not ids:
        return {}
    return {u.id: (u.name, u.fullname or u.name) for u in model.Session.query(
        model.User.id, model.User.name, model.User.fullname).filter(model.User.id.in_(ids))}


def _groups(group_ids: Iterable[Optional[str]]) -> dict[str, tuple[str, str]]:
    ids = {g for g in group_ids if g}
    if not ids:
        return {}
    return {g.id: (g.name, g.title or g.name) for g in model.Session.query(
        model.Group.id, model.Group.name, model.Group.title).filter(model.Group.id.in_(ids))}


def _packages(package_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    ids = set(package_ids)
    if not ids:
        return {}
    return {p.id: (p.name, p.title or p.name) for p in model.Session.query(
        model.Package.id, model.Package.name, model.Package.title).filter(
        model.Package.id.in_(ids))}


def request_dicts(rows: list[AccessRequest]) -> list[dict[str, Any]]:
    """Requests as the API gives them, with their clock (3 queries for the
    whole list)."""
    now = pmodel.now()
    users = _names([r.user_id for r in rows] + [r.decided_by for r in rows])
    packages = _packages(r.package_id for r in rows)
    out = []
    for r in rows:
        d = pmodel.as_dict(r)
        d["user"], d["user_title"] = users.get(r.user_id, (None, None))
        d["decided_by"] = users.get(r.decided_by, (None, None))[0]
        d["package_name"], d["package_title"] = packages.get(r.package_id, (None, None))
        d["overdue"] = r.state == access.PENDING and sla.overdue(r.due_at, now)
        d["on_time"] = (sla.within(r.due_at, r.decided_at) if r.decided_at
                        else (False if d["overdue"] else None))
        out.append(d)
    return out


def grant_dicts(rows: list[AccessGrant]) -> list[dict[str, Any]]:
    today = pmodel.now().date()
    users = _names([g.user_id for g in rows] + [g.granted_by for g in rows]
                   + [g.revoked_by for g in rows])
    groups = _groups(g.grantee_organization_id for g in rows)
    packages = _packages(g.package_id for g in rows)
    out = []
    for g in rows:
        d = pmodel.as_dict(g)
        d["package_name"], d["package_title"] = packages.get(g.package_id, (None, None))
        d["user"], d["user_title"] = users.get(g.user_id, (None, None))
        d["organization"], d["organization_title"] = groups.get(
            g.grantee_organization_id, (None, None))
        d["granted_by"] = users.get(g.granted_by, (None, None))[0]
        d["revoked_by"] = users.get(g.revoked_by, (None, None))[0]
        d["active"] = access.grant_active(g.until, g.revoked_at is not None, today)
        del d["grantee_organization_id"]
        out.append(d)
    return out


def download_dicts(rows: list[Download]) -> list[dict[str, Any]]:
    users = _names(d.user_id for d in rows)
    names = {}
    ids = {d.resource_id for d in rows}
    if ids:
        names = dict(model.Session.query(model.Resource.id, model.Resource.name).filter(
            model.Resource.id.in_(ids)))
    out = []
    for row in rows:
        d = pmodel.as_dict(row)
        d["user"], d["user_title"] = users.get(row.user_id, (None, None))
        d["resource_name"] = names.get(row.resource_id)
        out.append(d)
    return out


def requests_query(package_id: Optional[str], organization_ids: Optional[Iterable[str]],
                   state: Optional[str]):
    query = model.Session.query(AccessRequest)
    if package_id:
        query = query.filter(AccessRequest.package_id == package_id)
    if organization_ids is not None:
        query = query.filter(AccessRequest.organization_id.in_(list(organization_ids)))
    if state:
        query = query.filter(AccessRequest.state == state)
    return query


def managed_organization_ids(user_name: Optional[str]) -> Optional[set[str]]:
    """The partners whose requests the account decides: None (all) for a
    validator, else the organisations it is a member of."""
    who = reader(user_name)
    return None if who.privileged else set(who.member_of)


def may_manage(user_name: Optional[str], organization_id: Optional[str]) -> bool:
    """The partner's publisher and members, and the validators, manage a
    dataset's access."""
    return reader(user_name).manages(organization_id)


# -- figures ---------------------------------------------------------------------

def request_stats(organization_id: Optional[str], since: Optional[dt.date],
                  until: Optional[dt.date]) -> dict[str, Any]:
    """How the partners answered access requests made in the period: one
    aggregate query, overall and per month of the request."""
    now = pmodel.now()
    month = func.date_trunc(literal_column("'month'"), AccessRequest.created)
    decided = AccessRequest.decided_at.isnot(None)
    figures = (
        func.count(AccessRequest.id).label("requests"),
        func.count(AccessRequest.decided_at).label("decided"),
        func.count().filter(and_(decided, AccessRequest.decided_at <= AccessRequest.due_at)
                            ).label("decided_on_time"),
        func.count().filter(AccessRequest.state == access.GRANTED).label("granted"),
        func.count().filter(AccessRequest.state == access.REFUSED).label("refused"),
        func.count().filter(and_(AccessRequest.state == access.PENDING,
                                 AccessRequest.due_at < now)).label("overdue"),
        func.percentile_cont(0.5).within_group(
            func.extract("epoch", AccessRequest.decided_at - AccessRequest.created) / 3600
        ).label("median_decision_hours"),
    )
    query = model.Session.query(*figures, month.label("month"),
                                func.grouping(month).label("all_months"))
    query = _period(query, AccessRequest.created, AccessRequest.organization_id,
                    organization_id, since, until)
    rows = query.group_by(func.rollup(month)).all()
    keys = ("requests", "decided", "decided_on_time", "granted", "refused", "overdue")

    def figures_of(row: Any) -> dict[str, Any]:
        out: dict[str, Any] = {k: int(getattr(row, k) or 0) for k in keys}
        hours = row.median_decision_hours
        out["median_decision_hours"] = round(float(hours), 1) if hours is not None else None
        return out

    total = [r for r in rows if r.all_months]
    result = figures_of(total[0]) if total else {**dict.fromkeys(keys, 0),
                                                 "median_decision_hours": None}
    result["by_month"] = sorted(({"month": r.month.strftime("%Y-%m"), **figures_of(r)}
                                 for r in rows if not r.all_months), key=lambda r: r["month"])
    return result


def download_stats(organization_id: Optional[str], since: Optional[dt.date],
                   until: Optional[dt.date]) -> dict[str, Any]:
    """Downloads of restricted files in the period: total, distinct
    accounts, per month (one query)."""
    month = func.date_trunc(literal_column("'month'"), Download.at)
    query = model.Session.query(func.count(Download.id).label("downloads"),
                                func.count(func.distinct(Download.user_id)).label("accounts"),
                                month.label("month"), func.grouping(month).label("all_months"))
    query = _period(query, Download.at, Download.organization_id, organization_id, since, until)
    rows = query.group_by(func.rollup(month)).all()
    total = [r for r in rows if r.all_months]
    result = ({"downloads": int(total[0].downloads), "accounts": int(total[0].accounts)}
              if total else {"downloads": 0, "accounts": 0})
    result["by_month"] = sorted(({"month": r.month.strftime("%Y-%m"),
                                  "downloads": int(r.downloads), "accounts": int(r.accounts)}
                                 for r in rows if not r.all_months), key=lambda r: r["month"])
    return result


def _period(query, at, org_column, organization_id, since, until):
    if organization_id:
        query = query.filter(org_column == organization_id)
    if since:
        query = query.filter(at >= dt.datetime.combine(since, dt.time()))
    if until:
        query = query.filter(at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time()))
    return query
