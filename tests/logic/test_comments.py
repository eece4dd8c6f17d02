# -*- coding: utf-8 -*-
"""Comments and contact messages through the real action chain, and the
partner's 48-hour answer (000 §10.1.3)."""
from __future__ import annotations

import datetime as dt

import pytest

import ckan.model as model
from ckan.tests import helpers

from ckanext.partnership import model as pmodel
from tests.logic.test_publication import as_, dataset

NotAuthorized = helpers.logic.NotAuthorized
ValidationError = helpers.logic.ValidationError

pytestmark = pytest.mark.usefixtures("with_request_context")


def comment(package, user, body="Quelle est la source des effectifs ?", **data):
    return helpers.call_action("partnership_comment_create", context=as_(user),
                               package_id=package["id"], body=body, **data)


def threads(package, user="citoyen"):
    return helpers.call_action("partnership_comment_list", context=as_(user),
                               package_id=package["id"])


def test_a_question_then_the_partners_answer(public_dataset):
    """A question awaits an answer for 48 hours, and only an answer from a member of the
    partner, marked as the partner's, stops the clock (000 §10.1.3)."""
    question = comment(public_dataset, "citoyen")
    assert question["author"] == "citoyen" and question["by_partner"] is False
    [thread] = threads(public_dataset)
    assert thread["state"] == "awaiting"
    started = dt.datetime.fromisoformat(thread["started_at"])
    assert dt.datetime.fromisoformat(thread["due_at"]) - started == dt.timedelta(hours=48)
    # another user's reply does not stop the clock
    comment(public_dataset, "cd13-producteur", "Même question.", reply_to=question["id"])
    assert threads(public_dataset)[0]["state"] == "awaiting"
    answer = comment(public_dataset, "aix-producteur", "Le fichier de la DSDEN.",
                     reply_to=question["id"])
    assert answer["by_partner"] is True and answer["thread_id"] == question["thread_id"]
    [thread] = threads(public_dataset)
    assert (thread["state"], thread["on_time"]) == ("answered", True)
    assert thread["first_response_at"] == answer["created"]
    assert [c["author"] for c in thread["comments"]] == [
        "citoyen", "cd13-producteur", "aix-producteur"]


def test_late_and_overdue(public_dataset):
    late = comment(public_dataset, "citoyen")
    overdue = comment(public_dataset, "citoyen", "Et les années précédentes ?")
    for c in (late, overdue):
        row = model.Session.get(pmodel.Comment, c["id"])
        row.created -= dt.timedelta(hours=49)
    model.Session.commit()
    comment(public_dataset, "aix-publicateur", "Pardon du retard.", reply_to=late["id"])
    by_id = {t["id"]: t for t in threads(public_dataset)}
    assert (by_id[late["thread_id"]]["state"], by_id[late["thread_id"]]["on_time"]) == (
        "answered", False)
    assert by_id[overdue["thread_id"]]["state"] == "overdue"
    stats = helpers.call_action("partnership_response_stats", context={"user": ""})
    assert {k: stats[k] for k in ("threads", "answered", "answered_on_time", "awaiting",
                                  "overdue")} == {
        "threads": 2, "answered": 1, "answered_on_time": 0, "awaiting": 0, "overdue": 1}
    assert 48.9 < stats["median_first_response_hours"] < 49.1
    assert stats["by_organization"][0]["organization"] == "ville-aix-en-provence"
    assert stats["by_month"][0]["threads"] == 2


def test_bad_input_is_refused(public_dataset, people):
    for body in ("", "   ", "x" * 5001):
        with pytest.raises(ValidationError) as error:
            comment(public_dataset, "citoyen", body)
        assert "body" in error.value.error_dict
    with pytest.raises(NotAuthorized):
        comment(public_dataset, "", "Bonjour")
    private = dataset(people)
    with pytest.raises(NotAuthorized):  # may not read it
        comment(private, "citoyen")
    with pytest.raises(ValidationError) as error:  # reads it, not published
        comment(private, "aix-producteur")
    assert list(error.value.error_dict) == ["package_id"]
    with pytest.raises(ValidationError) as error:
        comment(public_dataset, "citoyen", "Réponse", reply_to="nope")
    assert list(error.value.error_dict) == ["reply_to"]
    assert model.Session.query(pmodel.Comment).count() == 0


def test_a_flood_from_one_account_is_slowed_down(public_dataset):
    for i in range(5):
        comment(public_dataset, "citoyen", f"Question {i}")
    with pytest.raises(ValidationError) as error:
        comment(public_dataset, "citoyen", "Encore une")
    [message] = error.value.error_dict["body"]
    assert message.startswith("Au plus 5 messages toutes les 10 minutes depuis un même "
                              "compte"), message
    # the partner answers as much as it needs
    first = threads(public_dataset)[0]["comments"][0]["id"]
    for i in range(6):
        comment(public_dataset, "aix-publicateur", f"Réponse {i}", reply_to=first)


def test_a_validator_closes_or_hides_a_thread(public_dataset):
    spam = comment(public_dataset, "citoyen", "Achetez mes montres")
    question = comment(public_dataset, "citoyen", "Merci pour ces données !")
    with pytest.raises(NotAuthorized):
        helpers.call_action("partnership_comment_close", context=as_("aix-publicateur"),
                            id=spam["thread_id"], reason="abuse")
    with pytest.raises(ValidationError):
        helpers.call_action("partnership_comment_close", context=as_("validateur"),
                            id=spam["thread_id"], reason="spam")
    helpers.call_action("partnership_comment_close", context=as_("validateur"),
                        id=spam["thread_id"], reason="abuse")
    closed = helpers.call_action("partnership_comment_close", context=as_("validateur"),
                                 id=question["thread_id"], reason="no_answer_needed")
    assert closed["state"] == "closed"
    assert [t["id"] for t in threads(public_dataset)] == [question["thread_id"]]
    assert len(threads(public_dataset, "validateur")) == 2
    with pytest.raises(ValidationError):
        comment(public_dataset, "citoyen", "Encore ?", reply_to=question["id"])
    stats = helpers.call_action("partnership_response_stats")
    assert (stats["threads"], stats["closed"]) == (1, 1)


def test_contact_messages_are_tracked_until_marked_answered(people):
    """A contact message awaits in the partner's threads until a member of the partner
    marks it answered, and the sender's address shows to the partner only (000 §10.1.3)."""
    sent = helpers.call_action("partnership_contact_create", context={"user": ""},
                               organization="ville-aix-en-provence", name="Camille Durand",
                               email="camille@exemple.fr", subject="Données des cantines",
                               body="Publierez-vous les menus ?")
    assert (sent["kind"], sent["state"]) == ("contact", "awaiting")
    assert sent["sender_email"] is None  # not shown to the public
    with pytest.raises(ValidationError) as error:
        helpers.call_action("partnership_contact_create", context={"user": ""},
                            organization="ville-aix-en-provence", name="", email="pas-un-mail",
                            body="")
    assert set(error.value.error_dict) == {"name", "email", "body"}
    mine = helpers.call_action("partnership_thread_list", context=as_("aix-producteur"))
    assert [t["id"] for t in mine] == [sent["id"]]
    assert mine[0]["sender_email"] == "camille@exemple.fr"
    assert helpers.call_action("partnership_thread_list", context=as_("cd13-producteur")) == []
    with pytest.raises(NotAuthorized):
        helpers.call_action("partnership_contact_answered", context=as_("cd13-producteur"),
                            id=sent["id"])
    answered = helpers.call_action("partnership_contact_answered",
                                   context=as_("aix-producteur"), id=sent["id"])
    assert (answered["state"], answered["on_time"]) == ("answered", True)
    assert helpers.call_action("partnership_thread_list", context=as_("aix-producteur")) == []


def test_a_contact_message_about_a_dataset_is_read_by_the_partner_and_the_host_only(
        public_dataset):
    """A contact message about a dataset is read by the partner and the host only, never
    on the dataset's public page (000 §10.1.3)."""
    sent = helpers.call_action("partnership_contact_create", context={"user": ""},
                               package_id=public_dataset["id"], name="Camille Durand",
                               email="camille@exemple.fr", subject="Erreur de ligne",
                               body="La ligne 12 donne mon adresse.")
    question = comment(public_dataset, "citoyen")
    for outsider in ("", "citoyen", "cd13-producteur"):
        listed = threads(public_dataset, outsider)
        assert [t["id"] for t in listed] == [question["thread_id"]], outsider
    for insider in ("aix-producteur", "validateur"):
        listed = threads(public_dataset, insider)
        assert {t["id"] for t in listed} == {question["thread_id"], sent["id"]}, insider
    # nor can an outsider write into it
    with pytest.raises(ValidationError) as error:
        comment(public_dataset, "citoyen", "Je lis ?", reply_to=sent["comments"][0]["id"])
    assert list(error.value.error_dict) == ["reply_to"]
    reply = comment(public_dataset, "aix-producteur", "Corrigé.",
                    reply_to=sent["comments"][0]["id"])
    assert reply["thread_id"] == sent["id"]
    # the figures still count it
    assert helpers.call_action("partnership_response_stats", context={"user": ""})[
        "threads"] == 2
