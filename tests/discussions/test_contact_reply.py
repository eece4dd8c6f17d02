# -*- coding: utf-8 -*-
"""The partner's answer to a contact message (000 §10.1.3: "the partner
answers with the host in copy"): mailed at once through CKAN's mailer to a
real SMTP server, to the sender with the host's mailbox in copy, kept in
the thread, the message's clock stopped. When the mail server fails,
nothing is recorded and the partner is told to send it again."""
from __future__ import annotations

import re

import pytest

import ckan.model as model
from ckan.tests import helpers
from ckan.logic import NotAuthorized, ValidationError

from ckanext.partnership import model as pmodel
from tests.discussions.test_mails import (  # noqa: F401 (mailbox: a fixture)
    GENERIC, HOST, addresses, contact, in_subject, mailbox,
)
from tests.logic.test_comments import comment
from tests.logic.test_publication import as_
from tests.publication.test_reminders import mails
from tests.test_bad_input_views import _api

ANSWER = "Oui : les menus seront publiés chaque lundi à partir de janvier."


def reply(user="aix-publicateur", **data):
    return helpers.call_action("partnership_contact_reply", context=as_(user), **data)


def thread(thread_id):
    model.Session.expire_all()
    return model.Session.get(pmodel.Thread, thread_id)


@pytest.mark.usefixtures("mailbox", "with_request_context")
def test_the_answer_goes_to_the_sender_with_the_host_in_copy(people, inbox):
    """000 §10.1.3: the partner answers a contact message with the host in copy: one
    mail to the sender, the host's mailbox in Cc and sent a copy, answers going back to
    the partner's mailbox; the answer is kept in the thread and the message is
    answered."""
    sent = contact()
    inbox.messages.clear()

    answered = reply(id=sent["id"], body=ANSWER)

    assert answered["state"] == "answered"
    to_sender = [m for m in inbox.messages if "camille@exemple.fr" in m["To"]]
    to_host = [m for m in inbox.messages if HOST in m["To"]]
    assert len(to_sender) == 1 and len(to_host) == 1 and len(inbox.messages) == 2
    message = to_sender[0]
    assert HOST in message["Cc"]
    assert message["Reply-To"] == GENERIC
    [(_, subject, body)] = mails(inbox)  # the same message to both
    assert in_subject("Réponse de Ville d'Aix-en-Provence", subject)
    assert in_subject("Données des cantines", subject)
    assert ANSWER in body
    assert "> Publierez-vous les menus ?" in body  # the question, quoted
    assert "Paul Publicateur, Ville d'Aix-en-Provence" in body
    assert "reçoit une copie de cette réponse" in body
    assert addresses(" ".join(m["To"] for m in inbox.messages)) == {
        "camille@exemple.fr", HOST}

    row = thread(sent["id"])
    assert [c.body for c in row.comments] == ["Publierez-vous les menus ?", ANSWER]
    assert row.comments[1].by_partner
    assert row.answered_at is not None and row.clock_answered_at is not None
    listed = helpers.call_action("partnership_thread_list", context=as_("validateur"),
                                 state="answered")
    assert [t["id"] for t in listed] == [sent["id"]]
    assert [c["body"] for c in listed[0]["comments"]][-1] == ANSWER


def test_when_the_mail_server_fails_nothing_is_recorded(people, inbox, ckan_config,
                                                        monkeypatch, app):
    """000 §10.1.3: an answer that cannot reach the sender is not recorded as given:
    the message stays awaiting, its clock running, and the error names the answer
    (a 409 through the API), to be sent again."""
    with app.flask_app.test_request_context():
        sent = contact()
    inbox.messages.clear()
    smtp = ckan_config["smtp.server"]
    monkeypatch.setitem(ckan_config, "smtp.server", "127.0.0.1:1")  # nobody listens

    with app.flask_app.test_request_context(), pytest.raises(ValidationError) as error:
        reply(id=sent["id"], body=ANSWER)
    assert "body" in error.value.error_dict
    assert "rien n'est enregistré" in " ".join(error.value.error_dict["body"])
    response = _api(app, "partnership_contact_reply", {"id": sent["id"], "body": ANSWER},
                    user="aix-publicateur")
    assert response.status_code == 409
    assert "body" in response.json["error"]
    row = thread(sent["id"])
    assert len(row.comments) == 1 and row.answered_at is None
    assert helpers.call_action("partnership_thread_list", context=as_("validateur"),
                               state="open")[0]["state"] == "awaiting"

    # the server is back: the answer goes
    monkeypatch.setitem(ckan_config, "smtp.server", smtp)
    with app.flask_app.test_request_context():
        assert reply(id=sent["id"], body=ANSWER)["state"] == "answered"
    assert len(inbox.messages) == 2  # the sender, and the host's copy


@pytest.mark.usefixtures("with_request_context")
def test_only_the_partner_answers_its_messages_and_only_contact_messages(
        people, public_dataset, inbox):
    """000 §10.1.3: the partner (or the host's validators) answers its own contact
    messages; a comment is answered on the dataset's page; a closed message or an
    empty answer is refused, naming the field."""
    sent = contact()
    for user in ("citoyen", "cd13-producteur"):
        with pytest.raises(NotAuthorized):
            reply(user, id=sent["id"], body=ANSWER)
    with pytest.raises(ValidationError) as error:
        reply(id=sent["id"], body="   ")
    assert "body" in error.value.error_dict
    question = comment(public_dataset, "citoyen")
    with pytest.raises(ValidationError) as error:
        reply(id=question["thread_id"], body=ANSWER)
    assert "sur la page du jeu de données" in " ".join(error.value.error_dict["id"])

    closed = contact(subject="Spam", email="spam@exemple.fr")
    helpers.call_action("partnership_comment_close", context=as_("validateur"),
                        id=closed["id"], reason="abuse")
    with pytest.raises(ValidationError) as error:
        reply(id=closed["id"], body=ANSWER)
    assert "id" in error.value.error_dict
    assert all(len(thread(t["id"]).comments) == 1 for t in (sent, closed))

    # a validator may answer too: the host forwards questions (003 §9.1)
    assert reply("validateur", id=sent["id"], body=ANSWER)["state"] == "answered"
    assert not thread(sent["id"]).comments[1].by_partner


def _form_token(page):
    return re.search(r'name="_csrf_token" value="([^"]+)"', page.body).group(1)


def test_the_discussions_page_answers_and_keeps_an_answer_that_could_not_go(
        people, inbox, app, ckan_config, monkeypatch):
    """000 §10.1.3: on the discussions page, the partner's member answers a contact
    message in its form; when the mail server fails the page says so and keeps the
    answer typed, nothing recorded; once it is back the answer goes."""
    with app.flask_app.test_request_context():
        sent = contact()
    inbox.messages.clear()
    headers = {"Authorization": helpers.call_action(
        "api_token_create", context={"user": "aix-producteur"}, user="aix-producteur",
        name="t")["token"]}
    page = app.get("/partnership/threads", headers=headers)
    assert f'action="/partnership/threads/{sent["id"]}/reply"' in page.body
    assert "Répondre à Camille Durand par courriel, l'hôte en copie" in page.body

    smtp = ckan_config["smtp.server"]
    monkeypatch.setitem(ckan_config, "smtp.server", "127.0.0.1:1")
    refused = app.post(f"/partnership/threads/{sent['id']}/reply", headers=headers,
                       data={"body": ANSWER, "_csrf_token": _form_token(page)})
    assert "rien n&#39;est enregistré" in refused.body or "rien n'est enregistré" in refused.body
    assert ANSWER in refused.body  # kept in the form
    assert thread(sent["id"]).answered_at is None

    monkeypatch.setitem(ckan_config, "smtp.server", smtp)
    done = app.post(f"/partnership/threads/{sent['id']}/reply", headers=headers,
                    data={"body": ANSWER, "_csrf_token": _form_token(page)},
                    follow_redirects=False)
    assert done.status_code == 302
    assert "state=answered" in done.headers["Location"]
    assert thread(sent["id"]).answered_at is not None
    assert {m["To"] for m in inbox.messages} >= {"Camille Durand <camille@exemple.fr>"}
