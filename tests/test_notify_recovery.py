# -*- coding: utf-8 -*-
"""``ckan partnership notify`` when things fail: two real ``notify``
processes started at once send each mail once."""
from __future__ import annotations

import asyncio
import email.header
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

import ckan.model as model

from ckanext.partnership import model as pmodel
from tests.conftest import Inbox, _free_port
from tests.test_notify import agreement, partner

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


# -- two runs at once -----------------------------------------------------------

class HeldInbox(Inbox):
    """A real SMTP server that holds the first mail until the second run has
    either started sending too or exited, so that the two runs surely
    overlap."""

    def __init__(self):
        super().__init__()
        self.release = threading.Event()
        self.sessions: set[int] = set()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.sessions.add(id(session))  # CKAN's mailer connects once per mail
        if len(self.sessions) > 1:
            self.release.set()
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for _ in range(1200):
            if self.release.is_set():
                break
            await asyncio.sleep(0.1)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def held_inbox():
    box = HeldInbox()
    controller = Controller(box, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield box, f"127.0.0.1:{controller.port}"
    controller.stop()


def notify_process(smtp: str, log: Path) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("ckan")
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(exe), "-c", str(ROOT / "test.ini"), "partnership", "notify",
             "--today", "2026-10-20"],
            cwd=ROOT, env=dict(os.environ, CKAN_SMTP_SERVER=smtp),
            stdout=out, stderr=subprocess.STDOUT)


def test_two_notify_runs_at_once_send_each_mail_once(held_inbox, tmp_path):
    box, smtp = held_inbox
    for name, title in (("ville-aix-en-provence", "Ville d'Aix-en-Provence"),
                        ("ville-arles", "Ville d'Arles")):
        agreement(partner(name, title)[0])
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    runs = [notify_process(smtp, log) for log in logs]
    deadline = time.monotonic() + 300
    while any(process.poll() is None for process in runs) and time.monotonic() < deadline:
        if any(process.poll() is not None for process in runs):
            box.release.set()  # one of them has finished: let the other one go
        time.sleep(0.1)
    codes = [process.wait(timeout=30) for process in runs]
    outputs = [log.read_text(errors="replace") for log in logs]
    assert codes == [0, 0], "\n----\n".join(outputs)

    sent = sorted(
        (message["To"], str(email.header.make_header(email.header.decode_header(
            message["Subject"]))))
        for message in box.messages)
    # two agreements x (notice deadline, renewal) x two referents, each once
    assert len(sent) == 8, sent
    assert len(set(sent)) == 8, sent
    assert sum("Une autre exécution détient le verrou" in out for out in outputs) == 1
    assert model.Session.query(pmodel.Event).filter_by(kind="reminder").count() == 4
