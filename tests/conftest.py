# -*- coding: utf-8 -*-
"""Fixtures shared by the whole suite.

The suite runs on the real test stack that ``make test`` starts: PostgreSQL,
Redis and Apache Solr, with the plugins of ``test.ini``.
"""
from __future__ import annotations

import contextlib
import email
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean_db, plus the migrations of the plugins with tables."""
    reset_db()
    migrate_db_for("activity")
    migrate_db_for("partnership")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """A CKAN web server (``ckan run``) on the test configuration."""

    def __init__(self, url: str, log: Path, process: subprocess.Popen):
        self.url = url
        self.log = log
        self.process = process

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def serve(ini: Path, folder: Path):
    """``ckan run`` on ``ini``, on a free port of 127.0.0.1, until the end
    of the block; the test fails if it does not answer."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = folder / "ckan.log"
    env = dict(os.environ, CKAN_SITE_URL=url)
    ckan = Path(sys.executable).with_name("ckan")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(ckan), "-c", str(ini), "run",
             "--host", "127.0.0.1", "--port", str(port), "--disable-reloader",
             "--threaded"],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT,
        )
    server = LiveServer(url, log, process)
    deadline = time.monotonic() + 120
    while True:
        if process.poll() is not None:
            pytest.fail(f"ckan run exited with {process.returncode}:\n{server.log_text()}")
        try:
            if requests.get(url + "/api/3/action/status_show", timeout=2).ok:
                break
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"ckan run did not answer in 120s:\n{server.log_text()}")
        time.sleep(0.5)
    try:
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """CKAN served on a free port of 127.0.0.1 for the browser tests, on the
    same database, Solr core and Redis as the tests, so what a test creates
    shows in the pages."""
    with serve(ROOT / "test.ini", tmp_path_factory.mktemp("live")) as server:
        yield server


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, "report_" + report.when, report)
    return report


@pytest.fixture
def page(browser, request):
    """A fresh browser page, in a context whose preferred language is
    English: the portal must still answer in French, its default. When the
    test fails, a screenshot of the page goes to test-results/."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 1024})
    p = context.new_page()
    p.set_default_timeout(15000)
    yield p
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        out = ROOT / "test-results"
        out.mkdir(exist_ok=True)
        p.screenshot(path=str(out / (request.node.name + ".png")), full_page=True)
    context.close()


@pytest.fixture
def published(with_plugins, clean_db, clean_index):
    """A partner's public dataset with every field of the schema and a CSV
    resource: what harvesters are tested on."""
    from ckan.tests import helpers

    from tests.factories import full_dataset, partner

    org = partner()
    sent = full_dataset(org)
    context = {"user": org["publisher"]["name"]}
    helpers.call_action("package_create", context=context, **sent)
    helpers.call_action(
        "resource_create", context=context, package_id=sent["name"],
        name="Prénoms 2025", format="CSV",
        url="https://www.aixenprovence.fr/opendata/prenoms-2025.csv",
    )
    return sent


# -- mail --------------------------------------------------------------------

class Inbox:
    """What a real SMTP server on 127.0.0.1 received."""

    def __init__(self):
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def inbox(ckan_config, monkeypatch):
    box = Inbox()
    port = _free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{port}")
    monkeypatch.setenv("CKAN_SMTP_SERVER", f"127.0.0.1:{port}")  # for the command
    yield box
    controller.stop()


# -- a partner under a validated agreement -----------------------------------

@pytest.fixture
def people(with_plugins, clean_db, clean_index):
    """The host with its validator, a partner under a validated agreement
    (publisher, producer), another partner and a member of the public."""
    import ckan.lib.jobs as jobs
    from ckan.tests import factories, helpers

    from tests.factories import PASSWORD
    from tests.logic.test_agreements import agreement_004

    jobs.get_queue().empty()
    factories.User(name="validateur", password=PASSWORD, email="validateur@region-sud.invalid")
    factories.Organization(name="region-sud", title="Région Sud",
                           users=[{"name": "validateur", "capacity": "editor"}])
    factories.User(name="aix-publicateur", password=PASSWORD, email="publicateur@aix.invalid",
                   fullname="Paul Publicateur")
    factories.User(name="aix-producteur", password=PASSWORD, email="producteur@aix.invalid")
    org = factories.Organization(
        name="ville-aix-en-provence", title="Ville d'Aix-en-Provence",
        users=[{"name": "aix-publicateur", "capacity": "editor"},
               {"name": "aix-producteur", "capacity": "editor"}])
    factories.User(name="cd13-producteur", password=PASSWORD)
    other = factories.Organization(name="departement-13", title="Département 13",
                                   users=[{"name": "cd13-producteur", "capacity": "editor"}])
    factories.User(name="citoyen", password=PASSWORD)
    agreement = helpers.call_action("partnership_agreement_create",
                                    context={"user": "validateur"}, **agreement_004())
    yield {"org": org, "other": other, "agreement": agreement}
    jobs.get_queue().empty()


@pytest.fixture
def public_dataset(people):
    """A dataset of the partner, with a checked CSV file, published by the
    host (through a decided request)."""
    from ckan.tests import helpers

    from tests.logic.test_publication import dataset, submit

    package = dataset(people)
    helpers.call_action("partnership_publication_decide", context={"user": "validateur"},
                        id=submit(package)["id"], decision="approve")
    return helpers.call_action("package_show", id=package["id"])
