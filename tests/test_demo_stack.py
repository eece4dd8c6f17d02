# -*- coding: utf-8 -*-
"""The demo's mail catcher and notify loop, as processes of the stack
(stack/stack.sh start-mail, start-notify; stack/mailcatcher.py,
stack/notify-loop.sh), run for real on free ports: a real SMTP server
receiving through CKAN's mailer, a real ``ckan partnership notify`` loop on
the test stack, processes killed with SIGKILL and stopped by the stack."""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

import ckan.model as model
from ckan.lib import mailer

from tests.conftest import _free_port
from tests.test_notify import agreement, partner

ROOT = Path(__file__).resolve().parent.parent
STACK = ROOT / "stack" / "stack.sh"
DEFAULT_CKAN = "2.11.6"  # stack/stack.sh's CKAN_VERSION when unset


def stack(env, *args, check=True):
    return subprocess.run([str(STACK), *args], env=env, capture_output=True, text=True,
                          timeout=180, check=check)


def stack_env(name, env):
    out = stack(env, "env", "test").stdout
    return dict(line.split("=", 1) for line in out.splitlines())[name]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is gone for our purpose
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def wait_until(what, predicate, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def processes_of(*needles: str) -> list[int]:
    """The live processes of this run whose command line holds every
    needle. Those of a run on the other CKAN version (``.ci/run`` runs both
    at once, from the same files) are not this run's: their environment
    names another ``CKAN_VERSION`` (unset is the stack's default, as
    ``stack/stack.sh`` reads it)."""
    def version_of(environ: dict[str, str]) -> str:
        return environ.get("CKAN_VERSION") or DEFAULT_CKAN

    ours = version_of(dict(os.environ))
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            environ = dict(item.split("=", 1) for item in (entry / "environ").read_bytes()
                           .decode(errors="replace").split("\0") if "=" in item)
        except OSError:
            continue
        if (all(n in cmdline for n in needles) and version_of(environ) == ours
                and alive(int(entry.name))):
            found.append(int(entry.name))
    return found


@pytest.fixture
def env():
    """The test stack's environment with the mail catcher on a free port and
    an empty Maildir; whatever the test started is stopped afterwards."""
    env = dict(os.environ, PARTNERSHIP_TEST_SMTP_PORT=str(_free_port()))
    run = Path(stack_env("PARTNERSHIP_MAILDIR", env)).parent / "run"
    for name in ("notify", "mail"):  # left by an interrupted run
        stack(env, f"stop-{name}", "test")
    shutil.rmtree(stack_env("PARTNERSHIP_MAILDIR", env), ignore_errors=True)
    env["_RUN"] = str(run)
    yield env
    stack(env, "stop-notify", "test", check=False)
    stack(env, "stop-mail", "test", check=False)


def pid_of(env, name: str) -> int:
    return int((Path(env["_RUN"]) / name).read_text())


def show(env, n=5) -> str:
    return stack(env, "mail", "test", "-n", str(n)).stdout


def send(ckan_config, monkeypatch, env, subject, body, name="Élodie Müller"):
    """Through CKAN's mailer, as the portal sends."""
    monkeypatch.setitem(ckan_config, "smtp.server",
                        "127.0.0.1:" + env["PARTNERSHIP_TEST_SMTP_PORT"])
    monkeypatch.setitem(ckan_config, "smtp.starttls", False)
    mailer.mail_recipient(name, "elodie.muller@aix.exemple.fr", subject, body)


def test_the_catcher_keeps_every_message_even_when_killed(env, ckan_config, monkeypatch):
    started = stack(env, "start-mail", "test")
    assert "Starting the mail catcher" in started.stderr
    supervisor, server = pid_of(env, "mail.pid"), pid_of(env, "mail.child")
    stack(env, "start-mail", "test")  # idempotent: nothing started twice
    assert (pid_of(env, "mail.pid"), pid_of(env, "mail.child")) == (supervisor, server)
    status = stack(env, "status", "test").stdout
    assert f"mail  running  pid {server} (SMTP 127.0.0.1:" in status
    assert "0 messages" in status

    send(ckan_config, monkeypatch, env, "Demande de publication : « Équipements sportifs »",
         "Bonjour Élodie,\n\nla demande a été acceptée ; le jeu de données est publié.")
    printed = show(env)
    assert "Subject: Demande de publication : « Équipements sportifs »" in printed
    assert "la demande a été acceptée ; le jeu de données est publié." in printed
    assert "To: Élodie Müller <elodie.muller@aix.exemple.fr>" in printed
    assert "Date: " in printed and "From: " in printed
    # a long name, folded into two encoded words, reads whole
    long_name = "Référent open data – Communauté de communes Vallée de l'Hérault"
    send(ckan_config, monkeypatch, env, "Convention : préavis", "Préavis.", name=long_name)
    assert f"To: {long_name} <elodie.muller@aix.exemple.fr>" in show(env, n=1)

    # the server killed outright: its supervisor starts it again, nothing lost
    os.kill(server, signal.SIGKILL)
    again = wait_until("the catcher started again", lambda: (
        (Path(env["_RUN"]) / "mail.child").exists()
        and pid_of(env, "mail.child") != server
        and "mail  running" in stack(env, "status", "test").stdout
        and pid_of(env, "mail.child")))
    wait_until("the catcher listening again", lambda: _smtp_answers(env))
    send(ckan_config, monkeypatch, env, "Rappel : échéance de la convention",
         "Échéance dans 15 jours : « préavis ».")
    printed = show(env)
    assert printed.index("« Équipements sportifs »") < printed.index("Rappel : échéance")
    assert "Échéance dans 15 jours : « préavis »." in printed
    assert "3 latest message(s)" in printed
    assert "Subject: Rappel" in show(env, n=1) and "Équipements" not in show(env, n=1)

    stack(env, "stop-mail", "test")
    assert not alive(supervisor) and not alive(again)
    assert "mail  stopped" in stack(env, "status", "test").stdout
    # stopped, the messages are still there to read
    assert "« Équipements sportifs »" in show(env)


def _smtp_answers(env) -> bool:
    import smtplib

    try:
        with smtplib.SMTP("127.0.0.1", int(env["PARTNERSHIP_TEST_SMTP_PORT"]), timeout=2) as s:
            return s.noop()[0] == 250
    except OSError:
        return False


def _due_agreement():
    """An agreement whose renewal comes in about 30 days from today: its
    60-day reminder is due now."""
    today = dt.date.today()
    renewal = today + dt.timedelta(days=30)
    effective = renewal.replace(year=renewal.year - 1, day=min(renewal.day, 28))
    org, _ = partner("ville-aix-en-provence", "Ville d'Aix-en-Provence")
    agreement(org, effective_on=effective.isoformat())
    model.Session.commit()


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_the_notify_loop_sends_the_due_reminders_goes_on_after_a_failure_and_stops(env):
    _due_agreement()
    log = Path(stack_env("PARTNERSHIP_MAILDIR", env)).parent / "log" / "notify.log"
    log.unlink(missing_ok=True)
    # the mail server is not there yet: the runs fail, the loop goes on
    loop_env = dict(env, CKAN_SMTP_SERVER="127.0.0.1:" + env["PARTNERSHIP_TEST_SMTP_PORT"])
    stack(loop_env, "start-notify", "test", str(ROOT / "test.ini"), "1")
    loop = pid_of(env, "notify.pid")
    stack(loop_env, "start-notify", "test", str(ROOT / "test.ini"), "1")  # idempotent
    assert pid_of(env, "notify.pid") == loop
    runs: set[int] = set()

    def logged(text):
        child = Path(env["_RUN"]) / "notify.child"
        if child.exists():
            runs.add(int(child.read_text() or 0))
        return log.exists() and text in log.read_text()

    def a_run_done():
        # the loop's own line, once the run's output is all written
        return logged(" done") and re.search(r"^\S+ run \d+ done$", log.read_text(), re.M)

    wait_until("a failing run", lambda: logged("run 1 failed (exit status 1)"))
    assert "CONV-ville-aix-en-provence: failed" in log.read_text()
    assert "notify  running" in stack(env, "status", "test").stdout

    stack(env, "start-mail", "test")
    wait_until("the reminder's mail", lambda: a_run_done()
               and "CONV-ville-aix-en-provence" in show(env))
    assert "CONV-ville-aix-en-provence: reminder, renewal on" in log.read_text()
    printed = show(env, n=10)
    assert "Subject: " in printed and "CONV-ville-aix-en-provence" in printed
    assert "referent@aix.exemple.fr" in printed

    # stopped during a run: the run and the loop are gone, nothing left
    wait_until("a run in progress", lambda: logged("run ") and re.fullmatch(
        r"\S+ run \d+", log.read_text().rstrip().splitlines()[-1]))
    in_progress = pid_of(env, "notify.child")
    stack(env, "stop-notify", "test")
    assert not alive(loop) and not alive(in_progress)
    assert all(not alive(pid) for pid in runs if pid)
    assert processes_of(str(ROOT / "stack" / "notify-loop.sh")) == []
    assert processes_of("partnership notify", str(ROOT / "test.ini")) == []
    assert log.read_text().rstrip().endswith("notify loop stopped")
    assert "notify  stopped" in stack(env, "status", "test").stdout
