# -*- coding: utf-8 -*-
"""Resource checks in the background: what to queue, the job, the results.

A dataset's save queues every resource whose file, format or standard
changed since its last check; the row is written ``pending`` in the same
transaction and the job is enqueued once that transaction commits, so a
rolled-back save queues nothing. The job fetches the resource itself, runs
:func:`ckanext.partnership.checks.suite.check_file` and stores the report.
Whatever goes wrong becomes a stored report, never a crashed worker.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from typing import Any, Optional

from sqlalchemy import func

import ckan.lib.uploader as uploader
import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.partnership import aftercommit, fetch
from ckanext.partnership.checks import catalogue
from ckanext.partnership.checks.suite import check_file
from ckanext.partnership.model import ResourceCheck, _now, current_agreement

log = logging.getLogger(__name__)

PENDING = "pending"
_QUEUE_KEY = "partnership_resource_checks"


# -- what to queue ---------------------------------------------------------

def standard_of(resource: model.Resource, package: model.Package) -> Optional[str]:
    """The standard a resource is checked against (resource first)."""
    return catalogue.effective_standard(
        (resource.extras or {}).get("schema"), package.extras.get("conforms_to"))


def fingerprint(resource: model.Resource, package: model.Package) -> str:
    """What a check depends on: the file (address, upload time, size), its
    format and its standard."""
    parts = [resource.url or "", str(resource.last_modified or ""),
             str(resource.size or ""), resource.format or "",
             standard_of(resource, package) or ""]
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


def queue_changed(package_id: str) -> list[str]:
    """Mark ``pending`` and queue (after commit) each active resource of
    the dataset whose fingerprint changed. Returns their ids."""
    package = model.Package.get(package_id)
    if package is None:
        return []
    known = {c.resource_id: c for c in model.Session.query(ResourceCheck)
             .filter(ResourceCheck.package_id == package.id)}
    queued = []
    for resource in package.resources:
        if not (resource.url or "").strip():
            continue
        print_ = fingerprint(resource, package)
        row = known.get(resource.id)
        if row is not None and row.fingerprint == print_:
            continue
        if row is None:
            row = ResourceCheck(resource_id=resource.id, package_id=package.id)
            model.Session.add(row)
        row.fingerprint = print_
        row.status = PENDING
        row.standard = standard_of(resource, package)
        row.report = None
        row.rows = None
        row.queued = _now()
        row.finished = None
        queued.append(resource.id)
    for resource_id in queued:
        aftercommit.later(_QUEUE_KEY, resource_id)
    return queued


def queue(resource_id: str) -> None:
    """Queue one resource again, whatever its fingerprint."""
    row = model.Session.get(ResourceCheck, resource_id)
    if row is not None:
        row.fingerprint = ""
    resource = model.Resource.get(resource_id)
    if resource is not None:
        queue_changed(resource.package_id)


def queue_unchecked(everything: bool = False) -> int:
    """Queue every active resource never checked (every one if
    ``everything``): for a portal that had datasets before the extension.
    Returns how many were queued."""
    query = (model.Session.query(model.Resource.package_id)
             .join(model.Package, model.Package.id == model.Resource.package_id)
             .filter(model.Resource.state == "active", model.Package.state == "active"))
    if everything:
        model.Session.query(ResourceCheck).update({ResourceCheck.fingerprint: ""})
    else:
        query = query.outerjoin(ResourceCheck,
                                ResourceCheck.resource_id == model.Resource.id
                                ).filter(ResourceCheck.resource_id.is_(None))
    queued = 0
    for (package_id,) in query.distinct():
        queued += len(queue_changed(package_id))
    model.Session.commit()
    return queued


def listen() -> None:
    """Enqueue after commit, forget after rollback (idempotent)."""
    aftercommit.listen(_QUEUE_KEY, enqueue)


def enqueue(resource_id: str) -> None:
    """The one place jobs are enqueued."""
    tk.enqueue_job(run, [resource_id], title=f"partnership checks {resource_id}",
                   rq_kwargs={"timeout": tk.config.get(
                       "ckanext.partnership.checks.timeout")})


# -- the job ---------------------------------------------------------------

def run(resource_id: str) -> Optional[str]:
    """The background job: check the resource, store the report. Returns
    the status, or None when the resource is gone or changed meanwhile."""
    row = model.Session.get(ResourceCheck, resource_id)
    resource = model.Resource.get(resource_id)
    if row is None or resource is None or resource.state != "active":
        return None
    package = resource.package
    expected = row.fingerprint
    try:
        report = _check(resource, package, row.standard)
    except Exception as error:  # a report, never a crashed worker
        model.Session.rollback()
        log.error("checks of resource %s failed: %s", resource_id,
                  type(error).__name__)
        report = {"status": "error", "results": [{
            "check": "file", "status": "error", "findings": [
                {"code": "internal_error", "severity": "error"}]}]}
    model.Session.refresh(row)
    if row.fingerprint != expected:
        return None  # a newer version is queued; its job will report
    row.status = report["status"]
    row.report = report
    row.rows = report.get("rows")
    row.finished = _now()
    model.Session.commit()
    log.info("checks of resource %s: %s", resource_id, row.status)
    _flag(row.package_id)
    return row.status


def _flag(package_id: str) -> None:
    """A published dataset whose file now fails is flagged and its
    publisher and the validators told; it stays online."""
    from ckanext.partnership import workflow

    try:
        if workflow.flag_if_failing(package_id):
            model.Session.commit()
    except Exception:  # the report is stored; telling people can wait for notify
        model.Session.rollback()
        log.exception("flagging dataset %s failed", package_id)


def _check(resource: model.Resource, package: model.Package,
           standard: Optional[str]) -> dict[str, Any]:
    descriptor, schema_error = _standard(standard)
    quota = None
    agreement = current_agreement(package.owner_org) if package.owner_org else None
    if agreement is not None:
        quota = agreement.quota_records_per_dataset
    other_rows = (model.Session.query(func.coalesce(func.sum(ResourceCheck.rows), 0))
                  .join(model.Resource, model.Resource.id == ResourceCheck.resource_id)
                  .filter(ResourceCheck.package_id == package.id)
                  .filter(ResourceCheck.resource_id != resource.id)
                  .filter(model.Resource.state == "active").scalar())
    max_bytes = tk.config.get("ckanext.partnership.checks.max_bytes")
    options = {"descriptor": descriptor, "schema_error": schema_error,
               "fmt": resource.format, "url": resource.url, "quota": quota,
               "other_rows": int(other_rows), "max_bytes": max_bytes}
    if resource.url_type == "upload":
        path = uploader.get_resource_uploader(
            {"id": resource.id, "url_type": "upload", "url": resource.url}
        ).get_path(resource.id)
        if not os.path.exists(path):
            return _unreachable("file_missing", None)
        report = check_file(path, **options)
    else:
        with tempfile.TemporaryDirectory(prefix="partnership-") as directory:
            path = os.path.join(directory, "data")
            problem = _download(resource.url, path, max_bytes)
            if problem:
                return problem
            report = check_file(path, **options)
    report["standard"] = standard
    return report


def _unreachable(code: str, reason: Optional[str]) -> dict[str, Any]:
    finding = {"code": code, "severity": "error"}
    if reason:
        finding["reason"] = reason
    return {"status": "error", "results": [
        {"check": "file", "status": "error", "findings": [finding]}]}


def _download(url: str, path: str, max_bytes: int) -> Optional[dict[str, Any]]:
    """Fetch ``url`` into ``path`` (public addresses only, see
    :mod:`ckanext.partnership.fetch`); a report when that fails. A refused
    address is never contacted: its report holds no content."""
    try:
        with open(path, "wb") as out:
            fetch.download(url, out, fetch.Policy.from_config(tk.config, max_bytes))
    except fetch.FetchError as error:
        if error.code == "too_large":
            return {"status": "error", "results": [{
                "check": "size", "status": "error", "findings": [
                    {"code": "too_large", "severity": "error",
                     "limit": max_bytes}]}]}
        if error.code in ("timeout", "deadline", "too_many_redirects"):
            return _unreachable(error.code, None)
        return _unreachable(error.code, error.reason)
    return None


def _standard(ref: Optional[str]) -> tuple[Optional[dict[str, Any]], Optional[str]]:
    """The Table Schema of a standard, from the catalogue or its address;
    or the reason it could not be loaded."""
    if not ref:
        return None, None
    descriptor = standards().descriptor(ref)
    if descriptor is not None:
        return descriptor, None
    if not ref.startswith(("http://", "https://")):
        return None, f"unknown standard {ref}"
    policy = fetch.Policy.from_config(tk.config, catalogue.MAX_BYTES)
    try:
        payload = fetch.fetch_bytes(ref, policy, {"Accept": "application/json"})
    except fetch.FetchError as error:
        # a code the report page words (address_refused, deadline...), or
        # the HTTP status / the kind of network error
        return None, error.reason if error.code in ("http_error", "unreachable") \
            else error.code
    try:
        descriptor = json.loads(payload.decode("utf-8-sig"))
    except ValueError as error:
        return None, type(error).__name__
    if not isinstance(descriptor, dict):
        return None, "not a Table Schema"
    return descriptor, None


def standards() -> Any:
    """The configured catalogue of standards."""
    from ckanext.partnership.helpers import standards_catalogue

    return standards_catalogue()


# -- what people and scripts read ------------------------------------------

def statuses(*package_ids: str) -> dict[str, ResourceCheck]:
    """The checks of the resources of these datasets, by resource id."""
    return {c.resource_id: c for c in model.Session.query(ResourceCheck)
            .filter(ResourceCheck.package_id.in_(package_ids))}


def resource_fields(row: Optional[ResourceCheck]) -> dict[str, Any]:
    """``validation_status``, ``validation_timestamp`` and
    ``validation_standard`` of a resource (ckanext-validation's names)."""
    if row is None:
        return {}
    stamp = row.finished or row.queued
    return {"validation_status": row.status,
            "validation_timestamp": stamp.isoformat() if stamp else None,
            "validation_standard": row.standard}


def as_dict(row: ResourceCheck) -> dict[str, Any]:
    report = row.report or {}
    return {
        "resource_id": row.resource_id,
        "package_id": row.package_id,
        "status": row.status,
        "standard": row.standard,
        "queued": row.queued.isoformat() if row.queued else None,
        "finished": row.finished.isoformat() if row.finished else None,
        "rows": row.rows,
        "delimiter": report.get("delimiter"),
        "size": report.get("size"),
        "checks": report.get("results", []),
    }

