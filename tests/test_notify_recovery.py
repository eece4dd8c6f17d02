# -*- coding: utf-8 -*-
"""``ckan partnership notify`` when things fail: an agreement ending while
Solr is stopped for real is finished once Solr is back (the database and
the index always agree: a private dataset never shows in search), and two
real ``notify`` processes started at once send each mail once."""
from __future__ import annotations

import asyncio
import datetime as dt
import email.header
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from aiosmtpd.controller import Controller

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.partnership import model as pmodel
from ckanext.partnership.notify import run
from tests import faults
from tests.conftest import Inbox, _free_port
from tests.test_notify import agreement, partner

ROOT = Path(__file__).resolve().parent.parent
D = dt.date.fromisoformat

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def indexed(dataset_id: str) -> str:
    """What Solr itself holds about a dataset's visibility."""
    docs = requests.get(tk.config["solr_url"] + "/select", timeout=10, params={
        "q": f'id:"{dataset_id}"', "fl": "capacity", "wt": "json"}).json()["response"]["docs"]
    return docs[0]["capacity"] if docs else "absent"


def stored(dataset_id: str) -> str:
    """What the database holds."""
    model.Session.rollback()
    private = model.Session.query(model.Package.private).filter_by(id=dataset_id).scalar()
    return "private" if private else "public"


def found_by_the_public(app, dataset: dict) -> int:
    """How many datasets an anonymous search by its name finds, through the
    API as a visitor reaches it."""
    return app.get("/api/3/action/package_search",
                   query_string={"q": f'name:"{dataset["name"]}"'}).json["result"]["count"]


def ending(org):
    """An agreement that withdraws the partner's datasets on 2026-12-01."""
    made = agreement(org)
    helpers.call_action("partnership_agreement_terminate", context={"user": "admin"},
                        id=made["id"], reason="mutual", notified_on="2026-11-01",
                        effective_on="2026-12-01")
    return made


def test_an_end_while_solr_is_down_is_finished_once_solr_is_back(app, inbox):
    """A withdrawal at an agreement's end that Solr interrupts leaves the datasets
    public, and the next run finishes it (001 §7.1)."""
    aix, dataset = partner("ville-aix-en-provence", "Ville d'Aix-en-Provence")
    ending(aix)
    assert found_by_the_public(app, dataset) == 1
    with faults.stopped("solr"):
        failures: list[str] = []
        done = run(D("2026-12-01"), failures)
        assert "CONV-ville-aix-en-provence: ended on 2026-12-01" in done
        assert [f for f in failures if f.startswith("CONV-ville-aix-en-provence: failed")]
        # nothing half-done: still public in the database, as in the index
        assert stored(dataset["id"]) == "public"
    assert (stored(dataset["id"]), indexed(dataset["id"])) == ("public", "public")

    # the next hourly run goes on with the end
    done = run(D("2026-12-01"))
    assert done == ["CONV-ville-aix-en-provence: dataset ville-aix-en-provence-donnees "
                    "made private"]
    assert (stored(dataset["id"]), indexed(dataset["id"])) == ("private", "private")
    assert found_by_the_public(app, dataset) == 0
    [withdrawn] = model.Session.query(pmodel.Event).filter_by(kind="withdrawn").all()
    assert withdrawn.package_id == dataset["id"]
    assert model.Session.query(pmodel.Event).filter_by(kind="withdrawal_done").count() == 1
    # done: later runs leave it alone
    assert run(D("2026-12-01")) == []
    assert run(D("2026-12-02")) == []


def test_a_dataset_private_in_the_database_but_public_in_the_index_is_hidden(app, inbox):
    """A withdrawal half-done elsewhere (a save that commits the database
    before Solr refuses, as CKAN 2.11's bulk_update_private does) is found by
    the end's check of the index."""
    aix, dataset = partner("ville-aix-en-provence", "Ville d'Aix-en-Provence")
    ending(aix)
    with faults.stopped("solr"):
        # the database alone, as such a save leaves it (an SQL UPDATE, as
        # bulk_update_private's, which CKAN does not index at commit)
        model.Session.execute(sa.text("UPDATE package SET private = true WHERE id = :id"),
                              {"id": dataset["id"]})
        model.Session.commit()
        failures: list[str] = []
        run(D("2026-12-01"), failures)  # Solr down: the index cannot be checked
        assert failures
    assert (stored(dataset["id"]), indexed(dataset["id"])) == ("private", "public")
    assert found_by_the_public(app, dataset) == 1  # the leak

    done = run(D("2026-12-01"))
    assert done == ["CONV-ville-aix-en-provence: dataset ville-aix-en-provence-donnees "
                    "removed from the public search"]
    assert (stored(dataset["id"]), indexed(dataset["id"])) == ("private", "private")
    assert found_by_the_public(app, dataset) == 0
    assert run(D("2026-12-01")) == []


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
