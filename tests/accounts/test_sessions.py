# -*- coding: utf-8 -*-
"""Accounts (000 §9.3.1): sessions end at logout, one session per account
(option), login throttling per account and per client address.

Through a real ``ckan run`` server with real cookie jars (``requests``),
and, where the client address must vary, through CKAN's Flask app with
``REMOTE_ADDR`` set; the sessions and the counters are in the test
stack's Redis.
"""
from __future__ import annotations

import re
import time

import flask
import pytest
import requests
from flask_login.utils import encode_cookie

from ckan.lib.redis import connect_to_redis
from ckan.tests import factories, helpers

from ckanext.partnership import accounts
from tests.conftest import ROOT, serve
from tests.factories import PASSWORD

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

LOGGED_OUT_FR = ("Vous avez été déconnecté : une nouvelle connexion à ce compte "
                 "a été ouverte ailleurs.")
REFUSED_FR = "Trop de tentatives de connexion échouées. Réessayez dans"


@pytest.fixture(autouse=True)
def no_login_counts():
    """The limiter's counters only (the suite shares its Redis), before and
    after each test, so that a test's failed logins never refuse another
    test's login from 127.0.0.1."""
    def clear():
        redis = connect_to_redis()
        for key in redis.scan_iter(accounts.throttle_prefix() + ":*"):
            redis.delete(key)
    clear()
    yield
    clear()


@pytest.fixture
def member():
    return factories.User(name="aix-publicateur", email="publicateur@aix.invalid",
                          password=PASSWORD)


# -- helpers -------------------------------------------------------------------

CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')


def login(base, name, password=PASSWORD, jar=None, remember=True):
    """Log in as the form does (its CSRF token, "Remember me" ticked by
    default); the answer, not followed."""
    jar = jar if jar is not None else requests.Session()
    form = jar.get(base + "/user/login", timeout=30)
    data = {"login": name, "password": password,
            "_csrf_token": CSRF.search(form.text).group(1)}
    if remember:
        data["remember"] = "63072000"  # the value of CKAN's login form
    return jar.post(base + "/user/login", data=data, allow_redirects=False, timeout=30)


def logged_in_jar(base, name):
    jar = requests.Session()
    answer = login(base, name, jar=jar)
    assert answer.status_code == 302, answer.text
    assert reaches_dashboard(base, jar)
    return jar


def reaches_dashboard(base, jar) -> bool:
    """The dashboard needs a login: without one, CKAN redirects to it."""
    answer = jar.get(base + "/dashboard/datasets", allow_redirects=False, timeout=30)
    assert answer.status_code in (200, 302), answer.status_code
    return answer.status_code == 200


def copy_of(jar) -> requests.Session:
    other = requests.Session()
    for cookie in jar.cookies:
        other.cookies.set_cookie(cookie)
    return other


# -- sessions ------------------------------------------------------------------

def test_logging_out_ends_every_copy_of_the_session(live_server, member):
    """Logging out ends the session for every copy of its cookie, so that no one goes on
    acting under the account (000 §9.3)."""
    jar = logged_in_jar(live_server.url, member["name"])
    copy = copy_of(jar)
    assert reaches_dashboard(live_server.url, copy)  # a copy is the session

    jar.get(live_server.url + "/user/_logout", timeout=30)

    assert not reaches_dashboard(live_server.url, jar)
    assert not reaches_dashboard(live_server.url, copy)


def test_a_remember_me_cookie_is_neither_issued_nor_accepted(live_server, member, ckan_config):
    """Ticking « Remember me » issues no remember-me cookie, and a forged one logs nobody
    in (000 §9.3)."""
    answer = login(live_server.url, member["name"], remember=True)
    assert answer.status_code == 302
    assert "remember_token" not in answer.cookies
    # One made as Flask-Login makes it (the account's id signed with the
    # site's secret) logs nobody in.
    signer = flask.Flask(__name__)
    signer.config["SECRET_KEY"] = ckan_config["SECRET_KEY"]
    with signer.test_request_context():
        forged = encode_cookie(member["id"])
    jar = requests.Session()
    jar.cookies.set("remember_token", forged, domain="127.0.0.1", path="/")
    assert not reaches_dashboard(live_server.url, jar)


def test_remember_me_keeps_the_session_itself_past_the_browser(live_server, member):
    kept = login(live_server.url, member["name"], remember=True).cookies
    closed = login(live_server.url, member["name"], remember=False).cookies
    kept_cookie = next(c for c in kept if c.name == "ckan")
    closed_cookie = next(c for c in closed if c.name == "ckan")
    assert kept_cookie.expires and kept_cookie.expires > time.time() + 86400
    assert closed_cookie.expires is None  # ends with the browser


def test_two_sessions_of_one_account_are_both_valid_by_default(live_server, member):
    first = logged_in_jar(live_server.url, member["name"])
    second = logged_in_jar(live_server.url, member["name"])
    assert reaches_dashboard(live_server.url, first)
    assert reaches_dashboard(live_server.url, second)


@pytest.fixture(scope="module")
def single_session_server(tmp_path_factory):
    """A second ``ckan run``, on test.ini with single_session on."""
    folder = tmp_path_factory.mktemp("single-session")
    ini = folder / "single-session.ini"
    base = (ROOT / "test.ini").read_text(encoding="utf-8")
    ini.write_text(
        "[app:main]\n"
        f"use = config:{ROOT / 'test.ini'}\n"
        "ckanext.partnership.single_session = true\n\n"
        + base[base.index("[loggers]"):],  # the logging sections are not inherited
        encoding="utf-8",
    )
    with serve(ini, folder) as server:
        yield server


def test_single_session_logs_the_earlier_session_out_and_says_why(
        single_session_server, member):
    """With one session per account on, a new login logs the earlier session out with a
    message saying why, while API tokens keep working (000 §9.3)."""
    base = single_session_server.url
    token = helpers.call_action("api_token_create", context={"user": member["name"]},
                                user=member["name"], name="script")["token"]
    first = logged_in_jar(base, member["name"])
    second = logged_in_jar(base, member["name"])

    page = first.get(base + "/dashboard/datasets", timeout=30)
    assert "/user/login" in page.url
    assert LOGGED_OUT_FR in page.text
    assert not reaches_dashboard(base, first)
    assert reaches_dashboard(base, second)
    # API tokens are not sessions: they keep working.
    answer = requests.get(base + "/api/3/action/user_show", params={"id": member["name"]},
                          headers={"Authorization": token}, timeout=30)
    assert answer.json()["result"]["email"] == member["email"]


def test_single_session_keeps_the_latest_session_of_each_account(
        single_session_server, member):
    """With one session per account on, two accounts logged in at the same time both stay
    logged in (000 §9.3)."""
    base = single_session_server.url
    other = factories.User(password=PASSWORD)
    mine = logged_in_jar(base, member["name"])
    theirs = logged_in_jar(base, other["name"])
    assert reaches_dashboard(base, mine)
    assert reaches_dashboard(base, theirs)


# -- login throttling ----------------------------------------------------------

def test_thirty_wrong_passwords_then_the_right_one_is_refused(live_server, member):
    base = live_server.url
    jar = requests.Session()
    started = time.monotonic()
    for _ in range(30):
        login(base, member["name"], password="pas-le-bon", jar=jar)
    assert time.monotonic() - started < 30

    answer = login(base, member["name"], jar=jar)

    assert answer.status_code == 429
    assert REFUSED_FR in answer.text
    assert 'id="field-login"' in answer.text  # the login page, not an error page
    assert int(answer.headers["Retry-After"]) > 0
    assert not reaches_dashboard(base, jar)


def flask_login(app, login_name, password=PASSWORD, address="198.51.100.7"):
    """A login through CKAN's Flask app from a given client address."""
    client = app.test_client()
    env = {"REMOTE_ADDR": address}
    form = client.get("/user/login", environ_base=env)
    data = {"login": login_name, "password": password,
            "_csrf_token": CSRF.search(form.get_data(as_text=True)).group(1)}
    return client.post("/user/login", data=data, environ_base=env, follow_redirects=False)


@pytest.mark.ckan_config("ckanext.partnership.login_limit_account", "3 per minute")
def test_the_account_limit_counts_the_account_whatever_the_address_or_spelling(app, member):
    for address in ("198.51.100.1", "198.51.100.2"):
        assert flask_login(app, member["name"], "faux", address).status_code == 200
    assert flask_login(app, member["email"], "faux", "198.51.100.3").status_code == 200

    refused = flask_login(app, member["email"], address="198.51.100.4")
    assert refused.status_code == 429
    assert REFUSED_FR in refused.get_data(as_text=True)
    assert flask_login(app, member["name"], address="198.51.100.5").status_code == 429
    # another account is not refused
    other = factories.User(password=PASSWORD)
    assert flask_login(app, other["name"], address="198.51.100.4").status_code == 302


@pytest.mark.ckan_config("ckanext.partnership.login_limit_account", "3 per 2 seconds")
def test_the_account_is_accepted_again_after_the_window(app, member):
    for _ in range(3):
        flask_login(app, member["name"], "faux")
    assert flask_login(app, member["name"]).status_code == 429
    time.sleep(2.5)
    accepted = flask_login(app, member["name"])
    assert accepted.status_code == 302
    assert "/dashboard" in accepted.headers["Location"]


@pytest.mark.ckan_config("ckanext.partnership.login_limit_address", "4 per minute")
def test_the_address_limit_counts_every_account_from_one_address(app, member):
    for name in ("inconnu-1", "inconnu-2", "inconnu-3", "inconnu-4"):
        assert flask_login(app, name, "faux", "203.0.113.9").status_code == 200

    refused = flask_login(app, member["name"], address="203.0.113.9")
    assert refused.status_code == 429
    assert REFUSED_FR in refused.get_data(as_text=True)
    assert flask_login(app, member["name"], address="203.0.113.10").status_code == 302


@pytest.mark.ckan_config("ckanext.partnership.login_limit_address", "4 per minute")
def test_the_address_limit_counts_an_ipv6_network(app, member):
    for host in (1, 2, 3, 4):
        flask_login(app, f"inconnu-{host}", "faux", f"2001:db8:1:1::{host}")
    assert flask_login(app, member["name"], address="2001:db8:1:1::ffff").status_code == 429
    assert flask_login(app, member["name"], address="2001:db8:1:2::1").status_code == 302


@pytest.mark.ckan_config("ckanext.partnership.login_limit_account", "3 per minute")
@pytest.mark.ckan_config("ckanext.partnership.login_limit_address", "3 per minute")
def test_successful_logins_are_not_counted(app, member):
    for _ in range(6):
        assert flask_login(app, member["name"]).status_code == 302


@pytest.mark.ckan_config("ckanext.partnership.login_limit_account", "dix par minute")
def test_a_limit_that_is_not_one_stops_the_start(ckan_config):
    from ckan.config.middleware import make_app
    from ckan.exceptions import CkanConfigurationException

    with pytest.raises(CkanConfigurationException, match="login_limit_account"):
        make_app(ckan_config)
