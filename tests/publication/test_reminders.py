# -*- coding: utf-8 -*-
"""Mail of the publication workflow, through CKAN's mailer to a real SMTP
server: validators on each submission, the publisher on each decision,
the validators 12 hours before a deadline, the host's admins once it has
passed, both sides when a published dataset is flagged or removed."""
from __future__ import annotations

import datetime as dt
import email.header
import email.utils

import pytest

import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.partnership import model as pmodel
from ckanext.partnership.notify import run
from tests.logic.test_publication import add_personal_file, as_, dataset, decide, submit


# Actions run inside a web request; the mail is written in its language.
in_request = pytest.mark.usefixtures("with_request_context")


def queue_lines(done):
    """The lines about the validation queue (not the agreements' own)."""
    return [line for line in done if not line.startswith("CONV-")]


def mails(box):
    """(recipients, subject, body) of each mail: CKAN's mailer sends one
    message per recipient."""
    out: dict[tuple[str, str], list[str]] = {}
    for message in box.messages:
        subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
        body = message.get_payload(decode=True).decode("utf-8")
        if "CONV-" in subject:
            continue  # the agreement's own reminders (tests/test_notify.py)
        out.setdefault((subject, body), []).append(message["To"])
    return [(" ".join(to), subject, body) for (subject, body), to in out.items()]


@in_request
def test_validators_on_submission_and_the_publisher_on_the_decision(people, inbox):
    package = dataset(people)
    request = submit(package)
    [(to, subject, body)] = mails(inbox)
    assert "validateur@region-sud.invalid" in to
    assert package["title"] in subject and "Ville d'Aix-en-Provence" in body
    assert "/partnership/queue" in body
    inbox.messages.clear()

    decide(request, decision="refuse", reasons=["personal_data"],
           message="La colonne « contact » contient des adresses.")
    [(to, subject, body)] = mails(inbox)
    assert "publicateur@aix.invalid" in to
    assert "La colonne « contact » contient des adresses." in body
    assert "§2.3" in body
    inbox.messages.clear()

    decide(submit(package), decision="approve")
    submission, decision = mails(inbox)
    assert email.utils.parseaddr(decision[0]) == ("Paul Publicateur", "publicateur@aix.invalid")
    assert "validateur@region-sud.invalid" in submission[0]


@in_request
def test_nothing_is_sent_when_the_decision_fails(people, inbox):
    package = dataset(people)
    request = submit(package)
    inbox.messages.clear()
    with pytest.raises(helpers.logic.ValidationError) as error:
        decide(request, decision="refuse", reasons=[], message="")
    assert "reasons" in error.value.error_dict
    assert mails(inbox) == []


@in_request
def test_a_reminder_12_hours_before_and_an_escalation_once_passed(people, inbox):
    """The validators are reminded 12 hours before a publication request's deadline, and
    the host's admins are told once it has passed, each once (002 §4.2.1)."""
    factories.User(name="chef", email="chef@region-sud.invalid")
    helpers.call_action("organization_member_create", id="region-sud", username="chef",
                        role="admin")
    request = submit(dataset(people))
    row = model.Session.get(pmodel.PublicationRequest, request["id"])
    due = row.due_at
    inbox.messages.clear()
    assert queue_lines(run(dt.date.today(), now=due - dt.timedelta(hours=12, minutes=1))) == []
    assert mails(inbox) == []
    done = queue_lines(run(dt.date.today(), now=due - dt.timedelta(hours=11)))
    assert len(done) == 1 and "reminder" in done[0]
    [(to, subject, body)] = mails(inbox)
    assert "validateur@region-sud.invalid" in to
    # once
    assert queue_lines(run(dt.date.today(), now=due - dt.timedelta(hours=10))) == []
    inbox.messages.clear()

    done = queue_lines(run(dt.date.today(), now=due + dt.timedelta(minutes=1)))
    assert len(done) == 1 and "escalation" in done[0]
    [(to, subject, body)] = mails(inbox)
    assert email.utils.parseaddr(to)[1] == "chef@region-sud.invalid"
    assert "validateur" not in to
    assert queue_lines(run(dt.date.today(), now=due + dt.timedelta(hours=5))) == []
    assert len(inbox.messages) == 1


@in_request
def test_a_decided_request_is_not_reminded(people, inbox):
    request = submit(dataset(people))
    decide(request, decision="approve")
    row = model.Session.get(pmodel.PublicationRequest, request["id"])
    inbox.messages.clear()
    assert queue_lines(run(dt.date.today(), now=row.due_at + dt.timedelta(hours=1))) == []
    assert mails(inbox) == []


def test_a_flag_raised_by_a_bare_worker_is_told_by_notify(people, inbox, test_request_context):
    """A worker job has no request to write mail in: ckan partnership
    notify tells of the flag instead, once."""
    package = dataset(people)
    decide(submit(package), decision="approve")
    assert mails(inbox) == []  # no request: the decision's mail is not written here

    add_personal_file(package)
    assert mails(inbox) == []
    with test_request_context():  # as the command runs
        assert [line for line in run(dt.date.today()) if "flagged" in line] == [
            f"{package['name']}: flagged"]
    [(to, subject, body)] = mails(inbox)
    assert "publicateur@aix.invalid" in to and "validateur@region-sud.invalid" in to
    assert "jeanne.martin" not in body
    assert [line for line in run(dt.date.today()) if "flagged" in line] == []


@in_request
def test_flagged_and_removed_datasets_are_told_to_both_sides(people, inbox):
    """A published dataset flagged by a failing file is told to the publisher and the
    validators, and one the publisher withdraws is told to the validators with its
    reason (000 §9.4)."""
    package = dataset(people)
    decide(submit(package), decision="approve")
    inbox.messages.clear()
    add_personal_file(package)
    [(to, subject, body)] = mails(inbox)
    assert "publicateur@aix.invalid" in to and "validateur@region-sud.invalid" in to
    assert "jeanne.martin" not in body
    inbox.messages.clear()

    helpers.call_action("partnership_dataset_unpublish", context=as_("aix-publicateur"),
                        id=package["id"], reason="other", message="Jeu remplacé")
    [(to, subject, body)] = mails(inbox)
    assert "validateur@region-sud.invalid" in to and "Jeu remplacé" in body
