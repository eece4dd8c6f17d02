# -*- coding: utf-8 -*-
"""A contact message and the partner's answer with the host in copy (000
§10.1.3), in a real browser: a visitor writes to the partner through its
contact form, the partner's publisher finds the message on its discussions
page and answers in the form there; the answer reaches the visitor by mail
through a real SMTP server, the host's mailbox in copy."""
from __future__ import annotations

import email.header

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

HOST = "opendata@region-sud.invalid"  # ckanext.partnership.host_mailbox of test.ini
ANSWER = "Les menus seront publiés chaque lundi à partir de janvier."


def subject(message):
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


def test_a_visitor_writes_the_publisher_answers_the_host_in_copy(live_server, people, person):
    """000 §10.1.3: in a browser, a visitor writes to the partner through its contact
    form; its publisher answers from the discussions page; the visitor receives the
    answer by mail with the host's mailbox in copy, and the message counts as
    answered."""
    base = live_server.url
    visitor = person("")
    visitor.goto(base + "/organization/contact/ville-aix-en-provence")
    visitor.fill("#field-name", "Camille Durand")
    visitor.fill("#field-email", "camille@exemple.fr")
    visitor.fill("#field-subject", "Menus des cantines")
    visitor.fill("#field-body", "Publierez-vous les menus des cantines ?")
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="Envoyer").click()
    expect(visitor.locator(".alert-success")).to_contain_text("Ville d'Aix-en-Provence")
    live_server.inbox.messages.clear()

    publisher = person("aix-publicateur")
    publisher.goto(base + "/partnership/threads")
    thread = publisher.locator(".partnership-thread").filter(has_text="Menus des cantines")
    expect(thread).to_have_attribute("data-state", "awaiting")
    form = thread.locator("form.partnership-contact-reply")
    form.get_by_label("Répondre à Camille Durand par courriel, l'hôte en copie").fill(ANSWER)
    with publisher.expect_navigation():
        form.get_by_role("button", name="Envoyer la réponse").click()
    expect(publisher.locator(".alert-success")).to_contain_text(
        "Votre réponse est envoyée, l'hôte en copie.")
    answered = publisher.locator(".partnership-thread").filter(has_text="Menus des cantines")
    expect(answered).to_have_attribute("data-state", "answered")
    expect(answered).to_contain_text(ANSWER)

    to_visitor = [m for m in live_server.inbox.messages if "camille@exemple.fr" in m["To"]]
    assert len(to_visitor) == 1
    assert HOST in to_visitor[0]["Cc"]
    assert "Menus des cantines" in subject(to_visitor[0])
    assert ANSWER in to_visitor[0].get_payload(decode=True).decode("utf-8")
    assert any(HOST in m["To"] for m in live_server.inbox.messages)  # the host's copy
