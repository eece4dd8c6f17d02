# -*- coding: utf-8 -*-
"""The portal served as in production: CKAN under Gunicorn with several
worker processes (``ckanext.partnership.wsgi``), and two real ``ckan jobs
worker`` processes on the test stack's Redis. A file is checked once, a
request decided once, whatever process takes the work."""
from __future__ import annotations

import contextlib
import email.header
import functools
import os
import re
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
import requests

import ckan.lib.jobs as jobs
import ckan.lib.uploader as uploader
import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.partnership import publication, resource_checks
from ckanext.partnership import model as pmodel
from ckanext.partnership.model import ResourceCheck
from tests.conftest import ROOT, _free_port
from tests.factories import partner
from tests.logic.test_publication import GOOD_CSV, dataset, submit
from tests.logic.test_resource_checks import create

BIN = Path(sys.executable).parent
CSV = b"commune,population\nAix,145000\nArles,51000\n"


class Gunicorn:
    """``gunicorn 'ckanext.partnership.wsgi:make_app()'`` on the test
    configuration, on a free port; its access log names the worker process
    (pid) of each request."""

    def __init__(self, folder: Path, workers: int):
        self.url = f"http://127.0.0.1:{_free_port()}"
        self.log = folder / "gunicorn.log"
        self.access = folder / "access.log"
        env = dict(os.environ, CKAN_INI=str(ROOT / "test.ini"), CKAN_SITE_URL=self.url)
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [str(BIN / "gunicorn"), "--bind", self.url.removeprefix("http://"),
                 "--workers", str(workers), "--timeout", "120",
                 "--access-logfile", str(self.access),
                 "--access-logformat", '%(p)s "%(r)s" %(s)s',
                 "ckanext.partnership.wsgi:make_app()"],
                stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)

    def wait_started(self) -> None:
        deadline = time.monotonic() + 180
        while True:
            assert self.process.poll() is None, self.log_text()
            try:
                if requests.get(self.url + "/api/3/action/status_show", timeout=5).ok:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, "Gunicorn did not answer:\n" + self.log_text()
            time.sleep(0.5)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(p) for p in children.read_text().split()]

    def served_by(self, path: str) -> list[int]:
        """The worker pids that answered the requests for ``path``."""
        lines = self.access.read_text(encoding="utf-8").splitlines()
        return [int(line.split()[0].strip("<>")) for line in lines if f" {path} " in line]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)


@contextlib.contextmanager
def gunicorn(folder: Path, workers: int = 2) -> Iterator[Gunicorn]:
    server = Gunicorn(folder, workers)
    try:
        server.wait_started()
        yield server
    finally:
        server.stop()


class JobWorkers:
    """``ckan jobs worker`` processes, as ``make demo`` runs them (not
    ``--burst``: they wait for jobs), each with its log."""

    def __init__(self, folder: Path, count: int):
        self.logs = [folder / f"worker-{n}.log" for n in range(1, count + 1)]
        self.processes = []
        for log in self.logs:
            with log.open("wb") as out:
                self.processes.append(subprocess.Popen(
                    [str(BIN / "ckan"), "-c", str(ROOT / "test.ini"), "jobs", "worker"],
                    stdout=out, stderr=subprocess.STDOUT, env=dict(os.environ), cwd=ROOT))

    def wait_started(self) -> None:
        deadline = time.monotonic() + 120
        while not all("has started on queue" in self.text(log) for log in self.logs):
            assert time.monotonic() < deadline, self.all_logs()
            for process in self.processes:
                assert process.poll() is None, self.all_logs()
            time.sleep(0.3)

    @staticmethod
    def text(log: Path) -> str:
        return log.read_text(encoding="utf-8", errors="replace")

    def all_logs(self) -> str:
        return "\n".join(f"--- {log.name}\n{self.text(log)}" for log in self.logs)

    def check_runs(self, resource_id: str) -> int:
        """How many times a worker stored the checks of the resource."""
        pattern = re.compile(rf"checks of resource {resource_id}: \w+")
        return sum(len(pattern.findall(self.text(log))) for log in self.logs)

    def horses(self) -> list[int]:
        """The work-horses the workers forked: one per job running."""
        horses = []
        for process in self.processes:
            children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
            with contextlib.suppress(OSError):
                horses += [int(p) for p in children.read_text().split()]
        return [pid for pid in horses if pid not in _schedulers()]

    def stop(self) -> None:
        """Each worker, then the work-horses it forked (a horse blocked on a
        file would outlive its worker)."""
        horses = self.horses()
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)
        for horse in horses:
            with contextlib.suppress(ProcessLookupError):
                os.kill(horse, signal.SIGKILL)


def _forget_jobs(queue) -> None:
    """No job waiting, and none left in the registries (what the tests
    count): no worker of the tests runs in between."""
    queue.empty()
    # the jobs and the registries' keys themselves: rq 2 (CKAN 2.12) no
    # longer removes a job from the started registry one by one
    for registry in (queue.started_job_registry, queue.finished_job_registry,
                     queue.failed_job_registry):
        for job_id in registry.get_job_ids():
            queue.connection.delete(queue.job_class.key_for(job_id))
        queue.connection.delete(registry.key)


@pytest.fixture
def queue(with_plugins, clean_db, clean_index):
    # A portal has its site user from its first start; after clean_db, the
    # test and the workers it starts would both create it, and one of them
    # would fail on the unique name.
    helpers.call_action("get_site_user")
    model.Session.commit()
    queue = jobs.get_queue()
    _forget_jobs(queue)
    yield queue
    _forget_jobs(queue)


@pytest.fixture
def job_workers(tmp_path):
    started: list[JobWorkers] = []

    def start(count: int = 2) -> JobWorkers:
        workers = JobWorkers(tmp_path, count)
        started.append(workers)
        workers.wait_started()
        return workers

    yield start
    for workers in started:
        workers.stop()


def row(resource_id: str) -> ResourceCheck:
    """The check as the database holds it now (what the workers wrote)."""
    model.Session.rollback()
    found = model.Session.get(ResourceCheck, resource_id)
    model.Session.refresh(found)
    return found


def wait_until(condition, what: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def _schedulers() -> set[int]:
    """The processes of rq's scheduler: with rq 2 (CKAN 2.12), one job
    worker forks one, beside its work-horses (rq 1 has none)."""
    redis = jobs.get_queue().connection
    return {int(pid) for key in redis.scan_iter("rq:scheduler:*")
            if redis.type(key) == b"hash" and (pid := redis.hget(key, "pid"))}


def finished(queue, count: int):
    """Whether ``count`` jobs have ended (none waiting, none running)."""
    return lambda: (queue.count == 0 and queue.started_job_registry.count == 0
                    and queue.finished_job_registry.count
                    + queue.failed_job_registry.count >= count)


# -- the checks, with two workers ---------------------------------------------

def test_a_file_uploaded_is_checked_once_with_two_workers(queue, job_workers):
    workers = job_workers(2)
    resource = create(partner(), content=CSV)

    wait_until(finished(queue, 1), "the check did not run:\n" + workers.all_logs())
    checked = row(resource["id"])
    assert (checked.status, checked.attempts, checked.rows) == ("success", 1, 2)
    assert workers.check_runs(resource["id"]) == 1
    assert queue.failed_job_registry.count == 0


def test_a_file_queued_twice_is_checked_once_by_two_workers(queue, job_workers):
    org = partner()
    resource = create(org, content=CSV)  # the save queues a job
    # ... and the publisher asks again before any worker took it: two jobs
    helpers.call_action("partnership_resource_checks_run",
                        context={"user": org["publisher"]["name"]}, id=resource["id"])
    assert [j.args for j in queue.jobs] == [[resource["id"]], [resource["id"]]]
    # the stored file is a named pipe: the first check blocks reading it
    # until the test writes the file, so both workers are busy at once
    path = uploader.get_resource_uploader(resource).get_path(resource["id"])
    os.remove(path)
    os.mkfifo(path)
    try:
        workers = job_workers(2)
        wait_until(lambda: queue.count == 0 and queue.started_job_registry.count == 2,
                   "the two workers did not take the two jobs:\n" + workers.all_logs())
        wait_until(lambda: len(workers.horses()) == 2, "both jobs do not run at once")
        wait_until(lambda: row(resource["id"]).attempts >= 1, "no check started")
        time.sleep(2)  # time for the second job to start a second check
        assert row(resource["id"]).attempts == 1, workers.all_logs()

        # the file takes the pipe's place before the first check reads on:
        # its later reads of the path (a second pass) open the file, never
        # a pipe that nobody writes to any more; the check blocked reading
        # the pipe gets the content through a second name of the pipe
        os.link(path, path + ".pipe")
        Path(path + ".new").write_bytes(CSV)
        os.replace(path + ".new", path)
        try:
            writer = os.open(path + ".pipe", os.O_WRONLY | os.O_NONBLOCK)
        except OSError as error:  # ENXIO: nobody reads the pipe
            raise AssertionError(f"the first check is not reading the file: {error}\n"
                                 + workers.all_logs()) from None
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(CSV)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(path + ".pipe")
        if stat.S_ISFIFO(os.stat(path).st_mode):
            os.remove(path)
            Path(path).write_bytes(CSV)

    wait_until(finished(queue, 2), "the jobs did not end:\n" + workers.all_logs())
    checked = row(resource["id"])
    assert (checked.status, checked.attempts, checked.rows) == ("success", 1, 2)
    assert workers.check_runs(resource["id"]) == 1, workers.all_logs()
    assert queue.failed_job_registry.count == 0


# -- decisions, with Gunicorn's worker processes -------------------------------

def at_once(calls: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Each call in a thread of its own, all released at the same moment;
    what each returned."""
    barrier = threading.Barrier(len(calls))
    results: dict[str, Any] = {}

    def run(key: str, call: Callable[[], Any]) -> None:
        barrier.wait()
        results[key] = call()

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.keys() == calls.keys(), "a call raised: see the output"
    return results


def subject(message) -> str:
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


def _token(user: str) -> str:
    return helpers.call_action("api_token_create", context={"user": user}, user=user,
                               name="serving")["token"]


def test_two_validators_decide_at_once_through_two_gunicorn_workers(
        people, inbox, tmp_path):
    factories.User(name="validatrice", fullname="Valérie Validatrice",
                   email="validatrice@region-sud.invalid")
    helpers.call_action("organization_member_create", id="region-sud",
                        username="validatrice", role="editor")
    tokens = {user: _token(user) for user in ("validateur", "validatrice")}
    decide_path = "/api/3/action/partnership_publication_decide"
    with gunicorn(tmp_path, workers=2) as server:
        assert len(server.workers()) == 2, server.log_text()
        for attempt in range(3):
            package = dataset(people)
            request = submit(package)
            inbox.messages.clear()
            votes = {"validateur": {"decision": "approve"},
                     "validatrice": {"decision": "refuse", "reasons": ["quality"],
                                     "message": "Données incomplètes."}}
            answers = at_once({
                user: functools.partial(
                    requests.post, server.url + decide_path,
                    json={"id": request["id"], **vote},
                    headers={"Authorization": tokens[user]}, timeout=60)
                for user, vote in votes.items()})

            codes = sorted(a.status_code for a in answers.values())
            assert codes == [200, 409], {u: a.text for u, a in answers.items()}
            [winner] = [u for u, a in answers.items() if a.status_code == 200]
            [loser] = [u for u, a in answers.items() if a.status_code == 409]
            error = " ".join(answers[loser].json()["error"]["id"])
            assert "déjà été décidée" in error or "already decided" in error, error
            assert model.User.get(winner).fullname in error

            model.Session.expire_all()
            stored = model.Session.get(pmodel.PublicationRequest, request["id"])
            approved = winner == "validateur"
            assert stored.status == ("approved" if approved else "refused")
            assert stored.decided_by == model.User.get(winner).id
            assert helpers.call_action("package_show", id=package["id"])[
                "private"] is not approved
            steps = [a["data"]["partnership"]["event"] for a in helpers.call_action(
                "package_activity_list", context={"user": "validateur"}, id=package["id"],
                activity_types=[publication.ACTIVITY_TYPE])]
            assert steps.count("approved") + steps.count("refused") == 1, steps
            # one decision mail: the winner's, once to the publisher
            sent = [(str(m["To"]), subject(m)) for m in inbox.messages]
            expected = "Publié : " if approved else "Publication refusée : "
            assert [to for to, _ in sent] == ["Paul Publicateur <publicateur@aix.invalid>"], sent
            assert sent[0][1] == expected + package["title"], sent
        # the decisions were taken by both worker processes, not one
        assert len(set(server.served_by(decide_path))) == 2, server.access.read_text()


def test_gunicorn_serves_the_pages_their_css_and_the_uploads(public_dataset, tmp_path):
    [resource] = public_dataset["resources"]
    with gunicorn(tmp_path, workers=2) as server:
        page = requests.get(f"{server.url}/dataset/{public_dataset['name']}", timeout=30)
        assert page.status_code == 200
        assert public_dataset["title"] in page.text
        sheets = re.findall(r'<link[^>]+href="([^"]+\.css[^"]*)"', page.text)
        assert sheets, page.text[:2000]
        for sheet in sheets:
            url = sheet if sheet.startswith("http") else server.url + sheet
            css = requests.get(url, timeout=30)
            assert css.status_code == 200, url
            assert "text/css" in css.headers["Content-Type"]
        download = requests.get(
            f"{server.url}/dataset/{public_dataset['id']}/resource/{resource['id']}"
            f"/download/{resource['url'].rsplit('/', 1)[-1]}", timeout=30)
        assert download.status_code == 200, download.text[:500]
        assert download.content == GOOD_CSV


# -- stack/stack.sh: the processes it starts, stops and reports ---------------

STACK = ROOT / "stack" / "stack.sh"


def stack(*args: str, **env: str) -> str:
    done = subprocess.run([str(STACK), *args], cwd=ROOT, env=dict(os.environ, **env),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def status_of(name: str) -> str:
    [line] = [line for line in stack("status", "test").splitlines()
              if line.split()[0] == name]
    return line


def test_the_stack_serves_ckan_with_gunicorn_on_an_ini_and_a_port(queue):
    port = str(_free_port())
    stack("start-web", "test", str(ROOT / "test.ini"), port, "2")
    try:
        assert re.fullmatch(rf"web-{port}  running  pid \d+ \(Gunicorn, 2 workers\)",
                            status_of(f"web-{port}"))
        shown = requests.get(f"http://127.0.0.1:{port}/api/3/action/status_show", timeout=30)
        assert "partnership" in shown.json()["result"]["extensions"]
        stack("start-web", "test", str(ROOT / "test.ini"), port, "2")  # idempotent
    finally:
        stack("stop-web", "test", port)
    assert f"web-{port}" not in stack("status", "test")  # gone, not left behind
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/api/3/action/status_show", timeout=10)


def _worker_pids() -> dict[str, int]:
    return {line.split()[0]: int(line.split()[-1])
            for line in stack("status", "test").splitlines()
            if line.startswith("worker-") and "  running  " in line}


def test_the_stack_supervises_two_job_workers(queue):
    running: dict[str, int] = {}
    stack("start-workers", "test", PARTNERSHIP_JOB_WORKERS="2")
    try:
        wait_until(lambda: len(_worker_pids()) == 2, "two workers do not run")
        first = _worker_pids()
        stack("start-workers", "test", PARTNERSHIP_JOB_WORKERS="2")  # nothing started twice
        assert _worker_pids() == first
        os.kill(first["worker-1"], signal.SIGKILL)  # killed: started again
        wait_until(lambda: _worker_pids().get("worker-1") not in (None, first["worker-1"]),
                   "the killed worker was not started again")
        running = _worker_pids()
        assert running["worker-2"] == first["worker-2"]
        # the workers work: a file saved is checked
        resource = create(partner(), content=CSV)
        wait_until(lambda: row(resource["id"]).status == "success", "no worker checked the file")
    finally:
        stack("stop-workers", "test")
    assert status_of("worker") == "worker  stopped"
    for pid in running.values():  # the workers stopped with their supervisors
        assert not resource_checks.pid_running(pid)
