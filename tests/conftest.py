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
    _pool_connections()


# -- plugins and app, loaded once ---------------------------------------------
#
# CKAN's ``with_plugins`` loads test.ini's plugins before each test and
# unloads them after; its ``app`` builds a new Flask application (which loads
# the whole environment, and the plugins, again). Together about two seconds
# a test, the same work each time: every test of this suite runs with the
# plugins of test.ini, as the portal does. These two load once and keep what
# they loaded, except around a test marked ``ckan_config``, whose changed
# configuration is read at load time: that test gets a fresh load and a
# fresh application of its own, and the next test another fresh load.

_LOADED: dict = {}


@pytest.fixture
def with_plugins(ckan_config, request):
    """The plugins of ``ckan.plugins``, loaded for the test."""
    import ckan.plugins

    if request.node.get_closest_marker("ckan_config") is not None:
        _LOADED.clear()
        ckan.plugins.load_all()
        yield
        # what CKAN's own fixture does after the test (2.12 has no
        # unload_non_system_plugins: it unloads all)
        getattr(ckan.plugins, "unload_non_system_plugins", ckan.plugins.unload_all)()
        _LOADED.clear()
        return
    if "plugins" not in _LOADED:
        ckan.plugins.load_all()
        _LOADED["plugins"] = True
    yield


@pytest.fixture
def app(make_app, request):
    """CKAN's test application (``app.get``, ``app.post``...)."""
    if request.node.get_closest_marker("ckan_config") is not None:
        _LOADED.clear()
        yield make_app()
        _LOADED.clear()
        return
    if "app" not in _LOADED:
        _LOADED["app"] = make_app()
        _LOADED["plugins"] = True  # the application loaded them
    # the same application in a new test client: no cookie, no login of an
    # earlier test (CKAN 2.12's client keeps its cookies)
    made = _LOADED["app"]
    yield type(made)(made.app)


_ENGINE: dict = {}


def _pool_connections() -> None:
    """Bind the model to a pooled engine again, as a running portal's is.

    CKAN's own migration environment (``ckan/migration/env.py``, run by
    ``reset_db``) binds the model to the engine it migrates with, which has
    no pool: every later session would open a new PostgreSQL connection
    (about 12 ms each, dozens per test). The engine made here is the one
    ``load_environment`` makes, from the same configuration."""
    import sqlalchemy
    from sqlalchemy.pool import NullPool

    from ckan.model import init_model, meta
    from ckan.plugins.toolkit import config

    if not isinstance(meta.engine.pool, NullPool):
        return
    if "pooled" not in _ENGINE:
        _ENGINE["pooled"] = sqlalchemy.engine_from_config(config)
    init_model(_ENGINE["pooled"])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """A CKAN web server (``ckan run``) on the test configuration."""

    def __init__(self, url: str, log: Path, process: subprocess.Popen,
                 inbox: "Inbox | None" = None):
        self.url = url
        self.log = log
        self.process = process
        #: what the server mailed, when it was given a mail server of its own
        self.inbox = inbox

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def serve(ini: Path, folder: Path, inbox: "Inbox | None" = None):
    """``ckan run`` on ``ini``, on a free port of 127.0.0.1, until the end
    of the block; the test fails if it does not answer. Given an ``inbox``,
    the server mails to a real SMTP server of its own, which keeps the
    messages there."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = folder / "ckan.log"
    env = dict(os.environ, CKAN_SITE_URL=url)
    controller = None
    if inbox is not None:
        smtp_port = _free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        env["CKAN_SMTP_SERVER"] = f"127.0.0.1:{smtp_port}"
    ckan = Path(sys.executable).with_name("ckan")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(ckan), "-c", str(ini), "run",
             "--host", "127.0.0.1", "--port", str(port), "--disable-reloader",
             "--threaded"],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT,
        )
    server = LiveServer(url, log, process, inbox)
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
        if controller is not None:
            controller.stop()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """CKAN served on a free port of 127.0.0.1 for the browser tests, on the
    same database, Solr core and Redis as the tests, so what a test creates
    shows in the pages; what it mails reaches ``live_server.inbox``."""
    with serve(ROOT / "test.ini", tmp_path_factory.mktemp("live"), Inbox()) as server:
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
