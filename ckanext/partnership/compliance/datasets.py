# -*- coding: utf-8 -*-
"""Each dataset's freshness and open-data label, from what CKAN stores: the
dataset, its files and their latest checks, the licence register, the
partner, the declarations. The rules are :mod:`domain.freshness` and
:mod:`domain.open_label`; this module gathers their evidence in a fixed
number of queries, keeps the store the lists read
(``partnership_dataset_compliance``) up to date, and writes the API's
answer."""
from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any, Iterable, Iterator, Optional

from sqlalchemy import orm, text

import ckan.model as model
from ckanext.partnership import model as pmodel
from ckanext.partnership import resource_checks
from ckanext.partnership.checks import formats
from ckanext.partnership.core import compat
from ckanext.partnership.domain import freshness as fresh_rules
from ckanext.partnership.domain import open_label
from ckanext.partnership.domain.freshness import Freshness
from ckanext.partnership.domain.open_label import Declaration, Evidence, FileEvidence, Label

from . import texts

log = logging.getLogger(__name__)

#: Check statuses of a finished check (``pending`` is queued, ``error`` a
#: check that could not run unless its ``file`` check says why).
_FINISHED = ("success", "warning", "failure")
#: The ``file`` finding of a check whose job was lost: nothing was measured.
_LOST = "check_lost"


def today() -> dt.date:
    """The day in UTC, as the tables store times."""
    return pmodel.now().date()


def _day(value: Optional[str]) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _results(row: Optional[pmodel.ResourceCheck]) -> dict[str, dict[str, Any]]:
    report = (row.report if row is not None else None) or {}
    return {r.get("check"): r for r in report.get("results") or [] if isinstance(r, dict)}


def _http_status(reason: Optional[str]) -> Optional[int]:
    """``HTTP 403`` (the fetch's reason of an ``http_error``) → 403."""
    parts = (reason or "").split()
    if len(parts) == 2 and parts[0] == "HTTP" and parts[1].isdigit():
        return int(parts[1])
    return None


def _kind(fmt: str) -> str:
    if fmt in formats.CLOSED:
        return open_label.CLOSED
    if fmt in formats.DOCUMENTS:
        return open_label.DOCUMENT
    if fmt in formats.OPEN:
        return open_label.OPEN
    return open_label.UNKNOWN_FORMAT


def file_evidence(resource: model.Resource, row: Optional[pmodel.ResourceCheck]) -> FileEvidence:
    """One file, as its latest check saw it."""
    results = _results(row)
    file_findings = [f for f in (results.get("file") or {}).get("findings") or []
                     if f.get("severity", "error") == "error" and f.get("code") != _LOST]
    status = row.status if row is not None else None
    checked = status in _FINISHED or (status == "error" and bool(file_findings))
    fmt_result = results.get("format") or {}
    fmt = fmt_result.get("format") or formats.declared_format(resource.format, resource.url)
    codes = {f.get("code") for f in fmt_result.get("findings") or []}
    error = file_findings[0] if file_findings else None
    return FileEvidence(
        name=resource.name or resource.url or resource.id,
        format=fmt, kind=_kind(fmt), tabular=fmt in formats.TABULAR,
        upload=resource.url_type == "upload", checked=checked,
        html_instead_of_data="html_instead_of_data" in codes,
        encoding_failed=(results.get("encoding") or {}).get("status") == "failure",
        file_error=error.get("code") if error else None,
        http_status=_http_status(error.get("reason")) if error else None)


def file_changes(package: model.Package) -> list[Optional[dt.datetime]]:
    """When each active file last changed: ``last_modified``, else ``created``."""
    return [r.last_modified or r.created for r in package.resources]


def declarations(*package_ids: str) -> dict[str, dict[str, Declaration]]:
    """The declaration in force per dataset and criterion (one query): the
    latest, a withdrawal (``unknown``) included."""
    if not package_ids:
        return {}
    rows = model.Session.execute(text(
        "SELECT DISTINCT ON (d.package_id, d.criterion) d.package_id, d.criterion, d.status,"
        " d.comment, u.name, d.declared_at"
        " FROM partnership_label_declaration d JOIN \"user\" u ON u.id = d.declared_by"
        " WHERE d.package_id = ANY(:ids)"
        " ORDER BY d.package_id, d.criterion, d.declared_at DESC, d.id DESC"),
        {"ids": list(package_ids)})
    out: dict[str, dict[str, Declaration]] = {}
    for package_id, criterion, status, comment, user, at in rows:
        out.setdefault(package_id, {})[criterion] = Declaration(
            status, user, pmodel.iso(at) or "", comment or "")
    return out


def load(package_ids: Iterable[str]) -> list[model.Package]:
    """The datasets with their files and extras, in a fixed number of
    queries on both CKAN versions (``compat.package_extras_loader``)."""
    return (model.Session.query(model.Package)
            .options(orm.selectinload(model.Package.resources_all),
                     *compat.package_extras_loader())
            .filter(model.Package.id.in_(list(package_ids))).all())


def _partner_names(package: model.Package, orgs: dict[str, model.Group]) -> tuple[str, ...]:
    org = orgs.get(package.owner_org or "")
    return (org.name, org.title) if org is not None else ()


def evidence(package: model.Package, checks: dict[str, pmodel.ResourceCheck],
             declared: dict[str, Declaration], orgs: dict[str, model.Group],
             on: dt.date) -> Evidence:
    """What the rules decide on, from what CKAN stores of ``package``."""
    extras = package.extras or {}  # CKAN 2.12: None without extras
    frequency = extras.get("frequency") or None
    state = fresh_rules.assess(frequency, _day(extras.get("modified")),
                               file_changes(package), on)
    licence = (model.Package.get_license_register().get(package.license_id)
               if package.license_id else None)
    return Evidence(
        freshness=state, frequency=frequency,
        files=tuple(file_evidence(r, checks.get(r.id)) for r in package.resources),
        licence_id=package.license_id,
        licence_title=licence.title if licence is not None else package.license_id,
        licence_open=bool(licence is not None and licence.isopen()),
        private=bool(package.private), access_rights=extras.get("access_rights") or None,
        producer=package.author, partner_names=_partner_names(package, orgs),
        declarations=declared)


def assess_many(packages: list[model.Package], on: dt.date
                ) -> dict[str, tuple[Freshness, Label]]:
    """Freshness and label of each dataset, in four queries whatever their
    number (checks, declarations, partners; the datasets are given)."""
    ids = [p.id for p in packages]
    checks = resource_checks.statuses(*ids) if ids else {}
    declared = declarations(*ids)
    org_ids = {p.owner_org for p in packages if p.owner_org}
    orgs = ({g.id: g for g in model.Session.query(model.Group)
             .filter(model.Group.id.in_(org_ids))} if org_ids else {})
    out = {}
    for package in packages:
        found = evidence(package, checks, declared.get(package.id, {}), orgs, on)
        out[package.id] = (found.freshness, open_label.evaluate(found))
    return out


def assess(package: model.Package, on: Optional[dt.date] = None) -> tuple[Freshness, Label]:
    return assess_many([package], on or today())[package.id]


def as_dict(state: Freshness, label: Label) -> dict[str, Any]:
    """The API's answer, the evidence in the language being written."""
    return {
        "freshness": {
            "state": state.state,
            "last_update": state.last_update.isoformat() if state.last_update else None,
            "expected_by": state.expected_by.isoformat() if state.expected_by else None,
            "days_late": state.days_late,
        },
        "label": {
            "granted": label.granted,
            "score": label.score,
            "criteria": [{"code": c.code, "status": c.status, "reason": c.reason,
                          "evidence": texts.evidence(c),
                          "declarable": c.code in open_label.DECLARABLE}
                         for c in label.criteria],
        },
    }


# -- the store the lists read ----------------------------------------------

def _timely_fixed(state: Freshness, label: Label) -> Optional[str]:
    """The state of ``timely`` that does not follow from ``expected_by``."""
    if state.expected_by is not None:
        return None
    timely = next(c for c in label.criteria if c.code == "timely")
    return timely.status if timely.status != "fail" else fresh_rules.LATE


def _row(package_id: str, frequency: Optional[str], state: Freshness, label: Label
         ) -> dict[str, Any]:
    others = [c for c in label.criteria if c.code != "timely"]
    return {"package_id": package_id, "frequency": frequency,
            "last_update": state.last_update, "expected_by": state.expected_by,
            "timely_fixed": _timely_fixed(state, label),
            "other_passed": sum(c.status == open_label.PASS for c in others),
            "other_blocking": any(c.status in (open_label.FAIL, open_label.UNKNOWN)
                                  for c in others),
            "criteria": {c.code: c.status for c in label.criteria},
            "computed_at": pmodel.now()}


_UPSERT = text(
    "INSERT INTO partnership_dataset_compliance (package_id, frequency, last_update,"
    " expected_by, timely_fixed, other_passed, other_blocking, criteria, computed_at)"
    " VALUES (:package_id, :frequency, :last_update, :expected_by, :timely_fixed,"
    " :other_passed, :other_blocking, CAST(:criteria AS json), :computed_at)"
    " ON CONFLICT (package_id) DO UPDATE SET frequency = EXCLUDED.frequency,"
    " last_update = EXCLUDED.last_update, expected_by = EXCLUDED.expected_by,"
    " timely_fixed = EXCLUDED.timely_fixed, other_passed = EXCLUDED.other_passed,"
    " other_blocking = EXCLUDED.other_blocking, criteria = EXCLUDED.criteria,"
    " computed_at = EXCLUDED.computed_at")


def refresh(*package_ids: str) -> int:
    """Compute again and store the compliance of these datasets (a fixed
    number of queries for the lot), in the caller's transaction; a deleted
    dataset's row goes. Returns how many rows were written."""
    packages = [p for p in load(package_ids) if p.state == "active" and p.type == "dataset"]
    gone = set(package_ids) - {p.id for p in packages}
    if gone:
        model.Session.execute(text(
            "DELETE FROM partnership_dataset_compliance WHERE package_id = ANY(:ids)"),
            {"ids": list(gone)})
    if not packages:
        return 0
    found = assess_many(packages, today())
    rows = []
    for package in packages:
        state, label = found[package.id]
        row = _row(package.id, (package.extras or {}).get("frequency") or None, state, label)
        row["criteria"] = json.dumps(row["criteria"])
        rows.append(row)
    model.Session.execute(_UPSERT, rows)
    return len(rows)


#: The datasets whose row is missing or older than what it was computed
#: from: the dataset saved since, a file's check finished since, a
#: declaration made since.
_STALE = text(
    "SELECT p.id FROM package p"
    " LEFT JOIN partnership_dataset_compliance c ON c.package_id = p.id"
    " WHERE p.state = 'active' AND p.type = 'dataset' AND (c.package_id IS NULL"
    "  OR p.metadata_modified > c.computed_at"
    "  OR EXISTS (SELECT 1 FROM partnership_resource_check r WHERE r.package_id = p.id"
    "             AND r.finished > c.computed_at)"
    "  OR EXISTS (SELECT 1 FROM partnership_label_declaration d WHERE d.package_id = p.id"
    "             AND d.declared_at > c.computed_at))"
    " ORDER BY p.id LIMIT :limit")


def stale_ids(limit: int) -> list[str]:
    return [r[0] for r in model.Session.execute(_STALE, {"limit": limit})]


def refresh_stale(batch: int = 200) -> Iterator[str]:
    """The ``notify`` step: bring every missing or stale row up to date, a
    batch per transaction (one query finds each batch)."""
    total = 0
    while True:
        ids = stale_ids(batch)
        if not ids:
            break
        total += refresh(*ids)
        model.Session.commit()
        if len(ids) < batch:
            break
    if total:
        yield f"compliance: {total} dataset(s) assessed again"


def refresh_after_check(package_id: str) -> None:
    """The receiver of ``resource_checks.checked``: the row follows the
    file's new report; left to ``notify`` if it fails."""
    try:
        refresh(package_id)
        model.Session.commit()
    except Exception:  # the report is stored; notify brings the row up to date
        model.Session.rollback()
        log.exception("compliance of dataset %s not refreshed", package_id)
