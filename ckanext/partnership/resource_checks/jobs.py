# -*- coding: utf-8 -*-
"""Resource checks in the background: what to queue, the job, the results.

A dataset's save queues every resource whose file, format, standard or data
dictionary changed since its last check; the row is written ``pending`` in the same
transaction and the job is enqueued once that transaction commits, so a
rolled-back save queues nothing. The job fetches the resource itself, runs
:func:`ckanext.partnership.checks.suite.check_file` and stores the report.
Whatever goes wrong becomes a stored report, never a crashed worker.

A job can still be lost: Redis down when the file was saved, a worker
killed halfway. :func:`recover` (run by ``ckan partnership check`` and by
every ``ckan partnership notify``) finds the pending checks that no job in
Redis will finish and queues them again; a check whose job started
``ckanext.partnership.checks.max_attempts`` times without finishing ends as
an error (``check_lost``) instead of staying pending.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import tempfile
from typing import Any, NamedTuple, Optional

from sqlalchemy import any_, cast, func, select, types
from sqlalchemy.dialects.postgresql import ARRAY

import ckan.lib.uploader as uploader
import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.partnership.checks import catalogue, dictionary, fetch, inline
from ckanext.partnership.checks.base import bound
from ckanext.partnership.checks.suite import check_file
from ckanext.partnership.core import aftercommit
from ckanext.partnership.model import ResourceCheck, _now, current_agreement, locks

log = logging.getLogger(__name__)

PENDING = "pending"
LOST = "check_lost"
_QUEUE_KEY = "partnership_resource_checks"
#: Sent with the package id once a file's checks are stored and committed.
checked = tk.signals.ckanext.signal(
    "partnership_resource_checked", "the checks of a file of the dataset are stored")
_RUNNER = "partnership_runner"  # job meta: the host and process running it


# -- what to queue ---------------------------------------------------------

def standard_of(resource: model.Resource, package: model.Package) -> Optional[str]:
    """The standard a resource is checked against (resource first): a
    catalogue name, an address, or the Table Schema the resource holds
    (its stored JSON text)."""
    return catalogue.effective_standard(
        (resource.extras or {}).get("schema"), package.extras.get("conforms_to"))


def standard_name(ref: Optional[str]) -> Optional[str]:
    """How the checks name a standard (``standard``,
    ``validation_standard``): as the resource or dataset names it, or
    ``inline`` for a Table Schema the resource holds itself."""
    return inline.INLINE if inline.is_inline(ref) else ref


def dictionary_of(resource: model.Resource) -> list[dict[str, str]]:
    """The columns of a resource's data dictionary (000 §10.1.2), [] for
    none."""
    return dictionary.read((resource.extras or {}).get("data_dictionary"))


def fingerprint(resource: model.Resource, package: model.Package) -> str:
    """What a check depends on: the file (address, upload time, size), its
    format, its standard and its data dictionary (when it has one: the
    fingerprints of files without one are those of before dictionaries)."""
    parts = [resource.url or "", str(resource.last_modified or ""),
             str(resource.size or ""), resource.format or "",
             standard_of(resource, package) or ""]
    columns = dictionary_of(resource)
    if columns:
        parts.append(json.dumps(columns, sort_keys=True))
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
        row.standard = standard_name(standard_of(resource, package))
        row.report = None
        row.rows = None
        row.queued = _now()
        row.finished = None
        row.attempts = 0
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


# -- checks whose job was lost ---------------------------------------------

class Recovered(NamedTuple):
    """What :func:`recover` did: the resources queued again, and those
    given up (``error``) after too many attempts."""

    queued: list[str]
    given_up: list[str]


def recover() -> Recovered:
    """Queue again each pending check that no job in Redis will finish (its
    job never reached Redis, or its worker died); mark ``error`` those whose
    job already started ``checks.max_attempts`` times. Raises
    ``redis.exceptions.RedisError`` (nothing done) while Redis is
    down: the next run tries again."""
    alive = jobs_alive()
    limit = tk.config.get("ckanext.partnership.checks.max_attempts")
    pending = (model.Session.query(ResourceCheck)
               .join(model.Resource, model.Resource.id == ResourceCheck.resource_id)
               .join(model.Package, model.Package.id == ResourceCheck.package_id)
               .filter(ResourceCheck.status == PENDING)
               .filter(model.Resource.state == "active", model.Package.state == "active")
               .order_by(ResourceCheck.queued).all())
    lost = [row for row in pending if row.resource_id not in alive]
    done = Recovered([], [])
    for row in lost:
        if row.attempts >= limit:
            row.status = "error"
            row.report = lost_report(row.attempts)
            row.rows = None
            row.finished = _now()
            done.given_up.append(row.resource_id)
    packages = {row.package_id for row in lost if row.resource_id in done.given_up}
    model.Session.commit()
    for row in lost:
        if row.resource_id not in done.given_up:
            enqueue(row.resource_id)
            done.queued.append(row.resource_id)
    for resource_id in done.given_up:
        log.warning("checks of resource %s given up after %s attempts", resource_id, limit)
    for package_id in sorted(packages):
        _flag(package_id)
    return done


def lost_report(attempts: int) -> dict[str, Any]:
    return {"status": "error", "results": [{
        "check": "file", "status": "error", "findings": [
            {"code": LOST, "severity": "error", "attempts": attempts}]}]}


def jobs_alive() -> set[str]:
    """The resources whose check job waits in the queue or runs in a live
    worker. A started job is dead once rq's registry of started jobs lets
    it go (its worker stopped sending heartbeats: at most 90 seconds with
    rq's defaults) or, sooner, when it ran on this host in a process that
    is gone."""
    import rq

    from ckan.lib import jobs

    queue = jobs.get_queue()
    # get_job_ids() first moves the jobs whose heartbeat expired to the
    # failed registry (rq's own cleanup)
    started = set(queue.started_job_registry.get_job_ids())
    ids = list(dict.fromkeys(queue.get_job_ids() + sorted(started)))
    alive = set()
    for job in rq.job.Job.fetch_many(ids, connection=queue.connection):
        resource_id = _resource_of(job)
        if resource_id is None:
            continue
        if job.id in started and not _runner_alive(job.meta or {}):
            continue
        alive.add(resource_id)
    return alive


#: The names the check job is queued under: this module's, and the one jobs
#: queued before the package had modules still carry (the package re-exports
#: ``run``, so RQ runs them too).
_RUN_NAMES = (f"{__name__}.run", "ckanext.partnership.resource_checks.run")


def _resource_of(job: Any) -> Optional[str]:
    """The resource a job of ours checks; None for anyone else's job."""
    if job is None:
        return None
    try:
        if job.func_name not in _RUN_NAMES or not job.args:
            return None
        return str(job.args[0])
    except Exception:  # a job rq cannot read is none of ours
        return None


def _runner_alive(meta: dict[str, Any]) -> bool:
    """Whether the process a started job said it runs in still runs; only
    known on its own host (elsewhere, the job's heartbeat decides)."""
    runner = meta.get(_RUNNER) or {}
    if runner.get("host") != socket.gethostname() or not runner.get("pid"):
        return True
    return pid_running(int(runner["pid"]))


def pid_running(pid: int) -> bool:
    """Whether a process of this host runs (a zombie does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _say_where_it_runs() -> None:
    """Tell Redis which host and process run the current job, so that a
    killed worker is known at once (see :func:`jobs_alive`)."""
    import rq

    try:
        job = rq.get_current_job()
        if job is not None:
            job.meta[_RUNNER] = {"host": socket.gethostname(), "pid": os.getpid()}
            job.save_meta()
    except Exception:  # only a faster recovery is lost
        log.warning("could not record where the checks run", exc_info=True)


def recovery_lines(done: Recovered) -> list[str]:
    """A line per resource recovered, for the commands."""
    limit = tk.config.get("ckanext.partnership.checks.max_attempts")
    return ([f"resource {r}: check queued again (its job was lost)" for r in done.queued]
            + [f"resource {r}: check given up after {limit} attempts" for r in done.given_up])


# -- the job ---------------------------------------------------------------

def run(resource_id: str) -> Optional[str]:
    """The background job: check the resource, store the report. Returns
    the status, or None when the resource is gone or changed meanwhile.

    A file can have two jobs in the queue (saved, then checked again before
    a worker took the first job), and two workers may run them at once, on
    one machine or two: the second waits for the first (an advisory lock
    per resource, see ``model/locks.py``), then finds the check done."""
    with locks.held(f"check:{resource_id}", wait=True):
        return _run(resource_id)


def _run(resource_id: str) -> Optional[str]:
    row = model.Session.get(ResourceCheck, resource_id)
    resource = model.Resource.get(resource_id)
    if row is None or resource is None or resource.state != "active":
        return None
    if row.status != PENDING:
        return None  # done already, by another job of the same version
    _say_where_it_runs()
    row.attempts = (row.attempts or 0) + 1
    model.Session.commit()  # an attempt counts even if this process dies
    package = resource.package
    expected = row.fingerprint
    try:
        report = _check(resource, package, standard_of(resource, package))
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
    """Tell who listens (see ``subscriptions.py``) that the checks of a
    dataset's file are stored, once they are committed."""
    checked.send(package_id)


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
               "other_rows": int(other_rows), "max_bytes": max_bytes,
               "max_columns": tk.config.get("ckanext.partnership.checks.max_columns"),
               "dictionary": dictionary_of(resource) or None}
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
    report["standard"] = standard_name(standard)
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
    """The Table Schema of a standard, held by the resource itself, from
    the catalogue or from its address; or the reason it could not be
    loaded."""
    if not ref:
        return None, None
    if inline.is_inline(ref):
        descriptor = inline.descriptor_of(ref)
        return (descriptor, None) if descriptor is not None else (None, "not a Table Schema")
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
    """The catalogue of data standards the portal uses: the configured
    directory's (``ckanext.partnership.standards_path``) once ``ckan
    partnership schemas`` has written it, else the packaged one."""
    return catalogue.open_catalogue(tk.config.get("ckanext.partnership.standards_path"))


# -- what people and scripts read ------------------------------------------

def statuses(*package_ids: str) -> dict[str, ResourceCheck]:
    """The checks of the resources of these datasets, by resource id."""
    return {c.resource_id: c for c in model.Session.query(ResourceCheck)
            .filter(ResourceCheck.package_id.in_(package_ids))}


#: What the search and show hook reads of each check: never the report.
_STAMP_COLUMNS = (ResourceCheck.resource_id, ResourceCheck.status, ResourceCheck.standard,
                  ResourceCheck.queued, ResourceCheck.finished)


def stamps(*package_ids: str) -> dict[str, dict[str, Any]]:
    """The fields of :func:`resource_fields` of each checked resource of
    these datasets, by resource id: one query of the columns they need
    (an index covers them, see migration b7e9a1c3d5f6), no report decoded,
    no ORM object built."""
    if not package_ids:
        return {}
    rows = model.Session.execute(
        select(*_STAMP_COLUMNS).where(ResourceCheck.package_id == any_(
            cast(list(package_ids), ARRAY(types.UnicodeText)))))
    return {resource_id: _fields(status, finished or queued, standard)
            for resource_id, status, standard, queued, finished in rows}


def _fields(status: str, stamp: Any, standard: Optional[str]) -> dict[str, Any]:
    return {"validation_status": status,
            "validation_timestamp": stamp.isoformat() if stamp else None,
            "validation_standard": standard}


def resource_fields(row: Optional[ResourceCheck]) -> dict[str, Any]:
    """``validation_status``, ``validation_timestamp`` and
    ``validation_standard`` of a resource (ckanext-validation's names)."""
    if row is None:
        return {}
    return _fields(row.status, row.finished or row.queued, row.standard)


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
        # bounded again: a report stored before the bound was cut
        "checks": [bound(r) for r in report.get("results", [])],
    }


def add_check_status(*pkg_dicts: dict[str, Any]) -> None:
    """Each resource's checks: status, time, standard (one query)."""
    ids = [p["id"] for p in pkg_dicts if p.get("id") and p.get("resources")]
    if not ids:
        return
    fields = stamps(*ids)
    for pkg_dict in pkg_dicts:
        for resource in pkg_dict.get("resources") or []:
            found = fields.get(resource.get("id"))
            if found is not None:
                resource.update(found)
