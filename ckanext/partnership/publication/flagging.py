# -*- coding: utf-8 -*-
"""The flags of published partner datasets that now fail a check: they
stay online, flagged, until fixed.

The flags are kept in ``partnership_flag`` where they can change, never
recomputed on a view:

- a file's check is stored (:func:`flag_after_check`, the receiver of
  ``resource_checks.checked``) or the dataset is saved
  (:func:`flag_if_failing`): its row is written, or dropped when it is
  fixed, private, deleted or no longer under an agreement in force (a
  purge takes the row with the dataset);
- an agreement is saved (:func:`reflag`): its partner's public datasets
  are evaluated again, in a few queries for all of them.

The flagged list reads that table; an agreement whose end has come hides
its flags, by the calendar, even before ``ckan partnership notify``
records it.
"""
from __future__ import annotations

import hashlib
import json
import logging
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

import ckan.model as model

from ckanext.partnership import model as pmodel
from ckanext.partnership.core import mail
from ckanext.partnership.domain import agreement_calendar, publication_rules

from .activities import add_activity
from .mails import flag_mail
from .review import dataset_checks
from .texts import checks_out

log = logging.getLogger(__name__)

#: The stored check statuses of a file that can flag its dataset.
FAILING = ("failure", "error")


def flags(package_id: str) -> list[dict[str, Any]]:
    """The failing checks of a published dataset (files still being
    checked are not counted): it stays online, flagged."""
    return publication_rules.flags(dataset_checks(package_id))


def _flag_key(package_id: str, failing: list[dict[str, Any]]) -> str:
    digest = hashlib.sha1(json.dumps(failing, sort_keys=True).encode("utf-8")).hexdigest()
    return f"flag/{package_id}/{digest[:16]}"


# -- the table -------------------------------------------------------------------

def _store(rows: list[dict[str, Any]]) -> None:
    """Write the flags ``{package_id, organization_id, checks}`` in one
    statement; a row already there keeps its ``since``."""
    if not rows:
        return
    now = pmodel._now()
    statement = insert(pmodel.Flag.__table__).values([{**r, "since": now} for r in rows])
    model.Session.execute(statement.on_conflict_do_update(
        index_elements=["package_id"],
        set_={"checks": statement.excluded.checks,
              "organization_id": statement.excluded.organization_id}))


def _drop(*conditions: Any) -> None:
    model.Session.query(pmodel.Flag).filter(*conditions).delete(synchronize_session=False)


def _keep(package: model.Package, failing: list[dict[str, Any]]) -> None:
    if failing:
        _store([{"package_id": package.id, "organization_id": package.owner_org,
                 "checks": failing}])
    else:
        _drop(pmodel.Flag.package_id == package.id)


def _may_fail(package_id: str) -> tuple[bool, bool]:
    """(whether a file of the dataset fails its check, whether the dataset
    has a flag stored), in one query."""
    ResourceCheck, Flag = pmodel.ResourceCheck, pmodel.Flag
    files = sa.exists().where(ResourceCheck.package_id == package_id,
                              ResourceCheck.status.in_(FAILING))
    stored = sa.exists().where(Flag.package_id == package_id)
    failing, flagged = model.Session.execute(sa.select(files, stored)).one()
    return bool(failing), bool(flagged)


def _licence_allowed(license_id: Optional[str], agreement: pmodel.Agreement) -> bool:
    allowed = agreement.allowed_licenses or []
    return not allowed or license_id in allowed


# -- where the flags change -----------------------------------------------------

def flag_after_check(package_id: str) -> None:
    """A published dataset whose file now fails is flagged and its
    publisher and the validators told; it stays online (the receiver of
    ``resource_checks.checked``). A file fixed drops the flag."""
    try:
        flag_if_failing(package_id)
        model.Session.commit()
    except Exception:  # the report is stored; telling people can wait for notify
        model.Session.rollback()
        log.exception("flagging dataset %s failed", package_id)


def flag_if_failing(package_id: str) -> bool:
    """Keep the dataset's flag up to date, and tell the publisher and the
    validators, once per set of failures, that a published partner dataset
    fails a check. Returns whether a mail was recorded to go.

    A dataset none of whose files fails and whose licence its agreement
    allows cannot be flagged: one query on the checks and the agreement
    decide it, without reading the dataset again (the metadata a public
    dataset needs were checked by its save)."""
    package = model.Package.get(package_id)
    if package is None:
        return False
    agreement = None
    if not package.private and package.state == "active":
        agreement = pmodel.agreement_in_force(package.owner_org)
    if agreement is None:
        _drop(pmodel.Flag.package_id == package.id)
        return False
    files_fail, stored = _may_fail(package.id)
    if not files_fail and _licence_allowed(package.license_id, agreement):
        if stored:
            _drop(pmodel.Flag.package_id == package.id)
        return False
    failing = flags(package.id)
    _keep(package, failing)
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


def reflag(organization_id: Optional[str]) -> None:
    """The partner's agreement was saved (its licences, its state, its
    calendar may have changed): evaluate its public datasets again, in a
    constant number of queries. Only those with a failing file or a
    licence outside the agreement are read; the metadata line of a flag
    stored before is kept (an agreement does not change a dataset's
    metadata). Without an agreement in force, the partner has no flag."""
    if not organization_id:
        return
    Flag, Package, ResourceCheck = pmodel.Flag, model.Package, pmodel.ResourceCheck
    agreement = pmodel.agreement_in_force(organization_id)
    if agreement is None:
        _drop(Flag.organization_id == organization_id)
        return
    allowed = list(agreement.allowed_licenses or [])
    outside = (sa.or_(Package.license_id.is_(None), Package.license_id.notin_(allowed))
               if allowed else sa.false())
    files = sa.exists().where(ResourceCheck.package_id == Package.id,
                              ResourceCheck.status.in_(FAILING))
    candidates = dict(model.Session.query(Package.id, Package.license_id).filter(
        Package.owner_org == organization_id, Package.private == False,  # noqa: E712
        Package.state == "active", sa.or_(files, outside)).all())
    failing = _evaluate(candidates, allowed, organization_id)
    _drop(Flag.organization_id == organization_id, Flag.package_id.notin_(failing))
    _store([{"package_id": package_id, "organization_id": organization_id, "checks": checks}
            for package_id, checks in sorted(failing.items())])


def _evaluate(licences: dict[str, Optional[str]], allowed: list[str],
              organization_id: str) -> dict[str, list[dict[str, Any]]]:
    """The failing checks of these datasets (``id -> licence``), with the
    files and their checks loaded for all of them at once."""
    if not licences:
        return {}
    ids = list(licences)
    Resource, ResourceCheck = model.Resource, pmodel.ResourceCheck
    files: dict[str, list[Any]] = {}
    for row in (model.Session.query(Resource.id, Resource.package_id, Resource.name,
                                    Resource.url)
                .filter(Resource.package_id.in_(ids), Resource.state == "active")
                .order_by(Resource.package_id, Resource.position)):
        files.setdefault(row.package_id, []).append(row)
    checks = {row.resource_id: row for row in model.Session.query(
        ResourceCheck.resource_id, ResourceCheck.status, ResourceCheck.report).filter(
            ResourceCheck.package_id.in_(ids))}
    missing = {row.package_id: c.get("params", {}).get("fields") or []
               for row in model.Session.query(pmodel.Flag).filter(
                   pmodel.Flag.organization_id == organization_id)
               for c in row.checks or [] if c.get("code") == "metadata"}
    out = {}
    for package_id, license_id in licences.items():
        resources = []
        for resource in files.get(package_id, []):
            check = checks.get(resource.id)
            resources.append({
                "id": resource.id, "name": resource.name or resource.url,
                "status": check.status if check is not None else None,
                "results": (check.report or {}).get("results") if check is not None else None})
        found = publication_rules.flags(publication_rules.evaluate(
            missing.get(package_id, []), license_id, allowed, resources))
        if found:
            out[package_id] = found
    return out


# -- the list ------------------------------------------------------------------

def _in_force(organization_id: Optional[str]) -> list[str]:
    """The partners whose agreement is in force today: one query, then the
    calendar (an agreement whose end has come is not)."""
    Agreement = pmodel.Agreement
    query = model.Session.query(Agreement).filter(
        Agreement.state.in_(agreement_calendar.IN_FORCE))
    if organization_id:
        query = query.filter(Agreement.organization_id == organization_id)
    return sorted({a.organization_id for a in query if a.in_force()})


def _flagged_query(organization_id: Optional[str]) -> Any:
    Flag, Package = pmodel.Flag, model.Package
    return (model.Session.query(Flag, Package.name, Package.title, model.Group.name,
                                model.Group.title)
            .join(Package, Package.id == Flag.package_id)
            .outerjoin(model.Group, model.Group.id == Flag.organization_id)
            .filter(Package.private == False,  # noqa: E712
                    Package.state == "active",
                    Package.owner_org == Flag.organization_id,
                    Flag.organization_id.in_(_in_force(organization_id))))


def flagged(organization_id: Optional[str], limit: int, offset: int
            ) -> list[dict[str, Any]]:
    """Published partner datasets that now fail a check, by title: ``limit``
    from ``offset``."""
    rows = (_flagged_query(organization_id)
            .order_by(model.Package.title, model.Package.id).limit(limit).offset(offset))
    return [{"package_id": flag.package_id, "name": name, "title": title,
             "organization": org_name, "organization_title": org_title,
             "checks": checks_out(flag.checks or [])}
            for flag, name, title, org_name, org_title in rows]


def flagged_count(organization_id: Optional[str]) -> int:
    """How many published partner datasets are flagged."""
    return _flagged_query(organization_id).count()

