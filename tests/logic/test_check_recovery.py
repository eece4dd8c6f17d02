# -*- coding: utf-8 -*-
"""Checks whose job was lost are found and queued again, then given up
after ``checks.max_attempts`` starts: with Redis stopped for real while a
file is saved, and a real ``ckan jobs worker`` killed halfway through a
check. The check is kept running by a named pipe in place of the uploaded
file: reading it blocks until the test writes the file back."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import ckan.lib.jobs as jobs
import ckan.lib.uploader as uploader
import ckan.model as model
from ckan.cli.cli import ckan
from ckan.tests import factories, helpers

from ckanext.partnership import resource_checks
from ckanext.partnership.resource_checks import jobs as check_jobs
from ckanext.partnership.model import ResourceCheck
from tests import faults
from tests.factories import partner
from tests.logic.test_resource_checks import burst_worker, create, findings, show

ROOT = Path(__file__).resolve().parents[2]
CSV = b"commune,population\nAix,145000\nArles,51000\n"


@pytest.fixture
def queue(with_plugins, clean_db, clean_index):
    jobs.get_queue().empty()
    yield jobs.get_queue()
    jobs.get_queue().empty()
    jobs.get_queue().failed_job_registry.cleanup()


@pytest.fixture
def org(queue):
    return partner()


def row(resource_id: str) -> ResourceCheck:
    """The check as the database holds it now (what other processes wrote)."""
    model.Session.rollback()
    found = model.Session.get(ResourceCheck, resource_id)
    model.Session.refresh(found)
    return found


def command(cli, *args: str):
    return cli.invoke(ckan, ["partnership", *args])


# -- Redis down when the file is saved --------------------------------------

def test_a_file_saved_while_redis_is_down_is_checked_once_redis_is_back(org, queue, cli):
    with faults.stopped("redis"):
        resource = create(org, content=CSV)  # the save succeeds
        assert show(org, resource["id"])["status"] == "pending"
        refused = command(cli, "check")
        assert refused.exit_code == 1
        assert "Redis est injoignable" in refused.output
    assert queue.count == 0  # the job never reached Redis

    result = command(cli, "check")
    assert result.exit_code == 0, result.output
    assert f"resource {resource['id']}: check queued again" in result.output
    assert "Checks queued again: 1; given up: 0." in result.output
    assert [j.args for j in queue.jobs] == [[resource["id"]]]
    burst_worker()
    assert show(org, resource["id"])["status"] == "success"
    # nothing lost any more: the next run queues nothing
    assert "Checks queued again: 0; given up: 0." in command(cli, "check").output


def test_a_check_with_its_job_waiting_is_not_queued_twice(org, queue, cli):
    resource = create(org, content=CSV)
    assert [j.args for j in queue.jobs] == [[resource["id"]]]
    result = command(cli, "check")
    assert "Checks queued again: 0; given up: 0." in result.output
    assert queue.count == 1


# -- the worker killed halfway ------------------------------------------------

class Worker:
    """A real ``ckan jobs worker --burst`` and the work-horse it forks for a
    job."""

    def __init__(self, log: Path):
        self.log = log
        exe = Path(sys.executable).with_name("ckan")
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [str(exe), "-c", str(ROOT / "test.ini"), "jobs", "worker", "--burst"],
                cwd=ROOT, env=dict(os.environ), stdout=out, stderr=subprocess.STDOUT)

    def horse_when_checking(self, resource_id: str, attempt: int) -> int:
        """Wait for the job to start its ``attempt``-th run; the work-horse's
        pid."""
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text(errors="replace")
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            horses = children.read_text().split() if children.exists() else []
            if horses and row(resource_id).attempts == attempt:
                return int(horses[0])
            time.sleep(0.2)
        raise AssertionError("the check did not start:\n" + self.log.read_text(errors="replace"))

    def kill(self, horse: int, worker_too: bool = True) -> None:
        if worker_too:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)
        os.kill(horse, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while resource_checks.pid_running(horse):
            assert time.monotonic() < deadline, "the work-horse survived SIGKILL"
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)


@pytest.fixture
def hanging(org):
    """An uploaded resource whose stored file is a named pipe nobody
    writes: its check blocks while reading it. ``restore()`` puts the file
    back."""
    resource = create(org, content=CSV)
    path = uploader.get_resource_uploader(resource).get_path(resource["id"])
    os.remove(path)
    os.mkfifo(path)

    def restore():
        os.remove(path)
        Path(path).write_bytes(CSV)

    resource["restore"] = restore
    yield resource
    if Path(path).is_fifo():
        os.remove(path)


@pytest.fixture
def workers(tmp_path):
    started: list[Worker] = []

    def start() -> Worker:
        worker = Worker(tmp_path / "worker.log")
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def test_a_check_whose_worker_is_killed_is_queued_again_by_notify_and_completed(
        org, queue, cli, hanging, workers):
    worker = workers()
    horse = worker.horse_when_checking(hanging["id"], 1)
    worker.kill(horse)  # the worker and its work-horse, mid-check
    assert row(hanging["id"]).status == "pending"
    assert queue.count == 0

    # the hourly run finds it: nobody has to remember
    result = command(cli, "notify")
    assert result.exit_code == 0, result.output
    assert f"resource {hanging['id']}: check queued again (its job was lost)" in result.output
    assert [j.args for j in queue.jobs] == [[hanging["id"]]]

    hanging["restore"]()
    burst_worker()
    checked = row(hanging["id"])
    assert (checked.status, checked.attempts) == ("success", 2)
    assert checked.rows == 2


def test_a_check_that_never_completes_is_given_up_after_its_attempts(
        app, org, queue, cli, hanging, workers):
    # 1: the worker and its work-horse killed
    worker = workers()
    worker.kill(worker.horse_when_checking(hanging["id"], 1))
    assert "Checks queued again: 1; given up: 0." in command(cli, "check").output
    # 2: the work-horse alone killed; its worker moves the job to the failed jobs
    worker = workers()
    worker.kill(worker.horse_when_checking(hanging["id"], 2), worker_too=False)
    worker.process.wait(timeout=60)
    assert "Checks queued again: 1; given up: 0." in command(cli, "check").output
    # 3: killed again; the default max_attempts is 3
    worker = workers()
    worker.kill(worker.horse_when_checking(hanging["id"], 3))
    result = command(cli, "check")
    assert result.exit_code == 0, result.output
    assert f"resource {hanging['id']}: check given up after 3 attempts" in result.output
    assert "Checks queued again: 0; given up: 1." in result.output
    assert queue.count == 0

    checks = show(org, hanging["id"])
    assert checks["status"] == "error"
    [lost] = findings(checks, "file")
    assert (lost["code"], lost["attempts"]) == ("check_lost", 3)
    assert helpers.call_action("resource_show", id=hanging["id"])[
        "validation_status"] == "error"
    token = factories.APIToken(user=org["publisher"]["name"])["token"]
    page = app.get(f"/dataset/{hanging['package_id']}/resource/{hanging['id']}/checks",
                   headers={"Authorization": token}).get_data(as_text=True)
    assert "Les vérifications n&#39;ont pas pu aboutir après 3 tentatives" in page
    # a lost check stays given up ...
    assert "Checks queued again: 0; given up: 0." in command(cli, "check").output
    # ... until someone checks again: a fresh count
    helpers.call_action("partnership_resource_checks_run",
                        context={"user": org["publisher"]["name"]}, id=hanging["id"])
    again = row(hanging["id"])
    assert (again.status, again.attempts) == ("pending", 0)
    hanging["restore"]()
    burst_worker()
    assert (row(hanging["id"]).status, row(hanging["id"]).attempts) == ("success", 1)


def test_one_check_run_at_a_time(org, queue, cli):
    from ckanext.partnership.model import locks

    create(org, content=CSV)
    queue.empty()  # a lost job, for a run to queue again
    with locks.held("check") as mine:
        assert mine
        busy = command(cli, "check")
        assert busy.exit_code == 0, busy.output
        assert "Une autre exécution détient le verrou" in busy.output
        assert queue.count == 0
    assert "Checks queued again: 1; given up: 0." in command(cli, "check").output


def test_a_job_queued_under_the_package_s_name_is_still_known(queue):
    """Jobs queued before the checks' code moved to resource_checks/jobs.py
    name ``ckanext.partnership.resource_checks.run``: they are still seen as
    waiting (not queued a second time) and RQ still runs them."""
    queue.enqueue("ckanext.partnership.resource_checks.run", "old-resource")
    queue.enqueue("ckanext.partnership.resource_checks.jobs.run", "new-resource")
    queue.enqueue("ckanext.partnership.notify.run", "not-ours")
    assert check_jobs.jobs_alive() == {"old-resource", "new-resource"}
    [old] = [j for j in queue.jobs if j.args == ("old-resource",)]
    assert old.func is resource_checks.run
