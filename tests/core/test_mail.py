# -*- coding: utf-8 -*-
"""Mail (``core.mail``) through CKAN's mailer to a real SMTP server (the
``inbox`` fixture): nothing before the commit, nothing after a rollback,
in the portal's language whatever the page's."""
from __future__ import annotations

import email
import email.header
import email.policy
import email.utils

import click
import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.partnership.core import mail
from tests.conftest import _free_port
from tests.core.conftest import a_change
from tests.factories import full_dataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

TO = [("Jeanne Martin", "jeanne.martin@aix.invalid")]


def received(box):
    """(name, address, subject, body) of each message."""
    out = []
    for message in box.messages:
        subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
        to = str(email.header.make_header(email.header.decode_header(message["To"])))
        name, address = email.utils.parseaddr(to)
        body = message.get_payload(decode=True).decode("utf-8").rstrip("\n")
        out.append((name, address, subject, body))
    return out


@pytest.mark.usefixtures("with_request_context")
def test_later_sends_nothing_until_the_commit(inbox):
    a_change()
    mail.later(TO, "Jeu publié : Prénoms 2025", "Bonjour,\nLe jeu est publié.")
    model.Session.flush()
    assert inbox.messages == []
    model.Session.commit()
    assert received(inbox) == [("Jeanne Martin", "jeanne.martin@aix.invalid",
                                "Jeu publié : Prénoms 2025", "Bonjour,\nLe jeu est publié.")]
    model.Session.commit()
    assert len(inbox.messages) == 1  # sent once


@pytest.mark.usefixtures("with_request_context")
def test_later_sends_nothing_after_a_rollback(inbox):
    name = a_change()
    mail.later(TO, "Refusé", "Ne doit pas partir.")
    model.Session.rollback()
    assert model.User.get(name) is None
    model.Session.commit()
    assert inbox.messages == []


@pytest.mark.usefixtures("with_request_context")
def test_send_returns_how_many_went(inbox):
    to = TO + [("Paul", "paul@aix.invalid")]
    assert mail.send(to, "Sujet", "Corps") == 2
    assert sorted(a for _, a, _, _ in received(inbox)) == [
        "jeanne.martin@aix.invalid", "paul@aix.invalid"]


@pytest.mark.usefixtures("with_request_context")
def test_a_mail_server_down_is_logged_never_raised(ckan_config, monkeypatch, logged):
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{_free_port()}")
    assert mail.send(TO, "Sujet", "Corps") == 0
    assert "mail to jeanne.martin@aix.invalid failed" in logged.text


def test_a_mail_that_fails_after_the_commit_keeps_the_decision(ckan_config, monkeypatch,
                                                               with_request_context):
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{_free_port()}")
    name = a_change()
    mail.later(TO, "Sujet", "Corps")
    model.Session.commit()  # does not raise
    model.Session.expire_all()
    assert model.User.get(name) is not None


def test_portal_language_in_a_page_of_another_language(app):
    with app.flask_app.test_request_context("/", environ_overrides={"CKAN_LANG": "en"}):
        assert tk._("Waiting for validation") == "Waiting for validation"
        with mail.portal_language() as ready:
            assert ready is True
            assert tk._("Waiting for validation") == "En attente de validation"
        assert tk._("Waiting for validation") == "Waiting for validation"


def test_portal_language_follows_the_site_default(app, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckan.locale_default", "en")
    with app.flask_app.test_request_context("/"):
        with mail.portal_language() as ready:
            assert ready and tk._("Waiting for validation") == "Waiting for validation"


def test_portal_language_in_a_command_uses_its_application(app):
    with click.Context(click.Command("notify")) as ctx:
        ctx.meta["flask_app"] = app.flask_app
        with mail.portal_language() as ready:
            assert ready is True
            assert tk._("Waiting for validation") == "En attente de validation"


def test_portal_language_without_an_application_says_so():
    with mail.portal_language() as ready:
        assert ready is False


def test_send_within_the_portal_language_writes_french(app, inbox):
    with app.flask_app.test_request_context("/", environ_overrides={"CKAN_LANG": "en"}), mail.portal_language():
        mail.send(TO, tk._("Approved"), tk._("Waiting for validation"))
    [(_, _, subject, body)] = received(inbox)
    assert (subject, body) == ("Approuvée", "En attente de validation")


def test_recipients_skip_users_without_an_address(people):
    factories.User(name="sans-adresse")
    model.User.get("aix-producteur").fullname = None
    account = model.User.get("sans-adresse")
    account.email = None
    model.Session.commit()
    users = [model.User.get(n) for n in ("aix-publicateur", "sans-adresse", "aix-producteur",
                                         "aix-publicateur")] + [None]
    assert mail.recipients(users) == [("Paul Publicateur", "publicateur@aix.invalid"),
                                      ("aix-producteur", "producteur@aix.invalid")]
    assert mail.recipients([]) == []


def test_recipients_skip_deleted_users(people):
    helpers.call_action("user_delete", id="aix-producteur")
    users = [model.User.get(n) for n in ("aix-publicateur", "aix-producteur")]
    assert users[1].state == "deleted"
    assert mail.recipients(users) == [("Paul Publicateur", "publicateur@aix.invalid")]


def test_dataset_url_is_the_page_of_the_dataset_by_name(people, with_request_context):
    created = helpers.call_action(
        "package_create", context={"user": "aix-producteur"},
        **full_dataset(people["org"], name="jeu-url", private=True))
    url = mail.dataset_url(model.Package.get(created["id"]))
    assert url == tk.config["ckan.site_url"].rstrip("/") + "/dataset/jeu-url"


@pytest.mark.parametrize("name, shown", [
    ("Dupont, Jérôme", "Dupont Jérôme"),
    ("Claire Martin (Région Sud)", "Claire Martin Région Sud"),
    ('Éric "le référent" <Aix>', "Éric le référent Aix"),
    ("Référent open data – Communauté de communes Vallée de l'Hérault",
     "Référent open data – Communauté de communes Vallée de l'Hérault"),
])
def test_a_name_with_reserved_characters_reaches_its_one_address(inbox, name, shown):
    """Read back as any mail client reads it (RFC 5322 parsing): one
    address, the right one, and the name without the reserved signs."""
    assert mail.send([(name, "jerome.dupont@aix.invalid")], "Sujet", "Corps") == 1
    [message] = inbox.messages
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    [address] = parsed["To"].addresses
    assert address.addr_spec == "jerome.dupont@aix.invalid"
    assert str(email.header.make_header(email.header.decode_header(message["To"]))) == (
        f"{shown} <jerome.dupont@aix.invalid>")
