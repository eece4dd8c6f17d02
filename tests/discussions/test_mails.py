# -*- coding: utf-8 -*-
"""Mail of comments and contact messages, through CKAN's mailer to a real
SMTP server (000 §10.1.3): each new thread at once to the host's mailbox
and the partner's side; from ``ckan partnership notify``, a reminder to
the partner 12 hours before a question's deadline and a daily digest of
the overdue threads to both sides."""
from __future__ import annotations

import datetime as dt
import re

import pytest

import ckan.model as model
from ckan.tests import helpers

from ckanext.partnership import discussions
from ckanext.partnership import model as pmodel
from ckanext.partnership.notify import run
from tests.logic.test_comments import comment
from tests.logic.test_publication import as_
from tests.publication.test_reminders import mails

pytestmark = pytest.mark.usefixtures("with_request_context")

HOST = "opendata@region-sud.invalid"  # ckanext.partnership.host_mailbox of test.ini
PUBLISHER = "publicateur@aix.invalid"
GENERIC = "opendata@aix.invalid"
TITLE = "Prénoms des nouveau-nés à Aix-en-Provence en 2025"


@pytest.fixture
def mailbox(people):
    """The partner's generic open-data mailbox."""
    helpers.call_action("organization_patch", context={"user": "validateur",
                                                       "ignore_auth": True},
                        id="ville-aix-en-provence", opendata_email=GENERIC)


def comment_lines(done):
    """The lines about comment threads (not the agreements' or the queue's)."""
    return [line for line in done if ": comment " in line]


def addresses(to):
    """The addresses of the recipients ``mails`` joined."""
    return set(re.findall(r"[\w.+-]+@[\w.-]+\w", to))


def in_subject(text, subject):
    """Whether ``text`` is in a subject: the header's folding may lose a
    space between two encoded words."""
    return text.replace(" ", "") in subject.replace(" ", "")


def clock(thread_id):
    return discussions.thread_clock(model.Session.get(pmodel.Thread, thread_id))


def notify(now):
    return comment_lines(run(dt.date.today(), now=now))


def age(comment_id, hours):
    """Move a message back in time."""
    row = model.Session.get(pmodel.Comment, comment_id)
    row.created -= dt.timedelta(hours=hours)
    model.Session.commit()


def contact(org="ville-aix-en-provence", subject="Données des cantines",
            email="camille@exemple.fr"):
    return helpers.call_action("partnership_contact_create", context={"user": ""},
                               organization=org, name="Camille Durand", email=email,
                               subject=subject, body="Publierez-vous les menus ?")


@pytest.mark.usefixtures("mailbox")
def test_a_new_thread_goes_at_once_to_the_host_and_the_partner(public_dataset, inbox):
    """Each new comment and contact message is mailed at once to the host's open-data
    mailbox and to the partner's publisher and mailbox, replies are not (000 §10.1.3,
    003 §9.1)."""
    question = comment(public_dataset, "citoyen")
    [(to, subject, body)] = mails(inbox)
    assert addresses(to) == {HOST, PUBLISHER, GENERIC}
    assert in_subject(TITLE, subject)
    assert "Quelle est la source des effectifs ?" in body
    assert f"/dataset/{public_dataset['name']}#comments" in body
    inbox.messages.clear()

    # replies, by the partner or anyone else, are not mailed
    comment(public_dataset, "aix-publicateur", "Le fichier de la DSDEN.", reply_to=question["id"])
    comment(public_dataset, "citoyen", "Merci !", reply_to=question["id"])
    assert mails(inbox) == []

    sent = contact()
    [(to, subject, body)] = mails(inbox)
    assert addresses(to) == {HOST, PUBLISHER, GENERIC}
    assert in_subject("Données des cantines", subject)
    assert "camille@exemple.fr" in body and "Publierez-vous les menus ?" in body
    assert sent["state"] == "awaiting"


@pytest.mark.usefixtures("mailbox")
def test_a_reminder_to_the_partner_12_hours_before_the_deadline_once(public_dataset, inbox):
    """The partner is reminded by mail, once, 12 hours before a question's 48-hour
    deadline (000 §10.1.3)."""
    question = comment(public_dataset, "citoyen")
    due = clock(question["thread_id"]).due_at
    inbox.messages.clear()

    assert notify(due - dt.timedelta(hours=12, minutes=1)) == []
    assert mails(inbox) == []
    done = notify(due - dt.timedelta(hours=11))
    assert done == [f"{public_dataset['name']}: comment reminder, due {due.isoformat()}"]
    [(to, subject, body)] = mails(inbox)
    assert addresses(to) == {PUBLISHER, GENERIC}  # the partner's side only
    assert in_subject(TITLE, subject) and TITLE in body
    assert f"/dataset/{public_dataset['name']}#comments" in body
    # once
    assert notify(due - dt.timedelta(hours=10)) == []
    assert notify(due) == []
    assert len(mails(inbox)) == 1


@pytest.mark.usefixtures("mailbox")
def test_a_new_question_after_the_answer_gets_its_own_reminder(public_dataset, inbox):
    question = comment(public_dataset, "citoyen")
    first = clock(question["thread_id"]).due_at
    assert len(notify(first - dt.timedelta(hours=11))) == 1
    comment(public_dataset, "aix-publicateur", "Le fichier de la DSDEN.", reply_to=question["id"])
    assert notify(first - dt.timedelta(hours=10)) == []  # answered

    comment(public_dataset, "citoyen", "Et pour les années précédentes ?", reply_to=question["id"])
    second = clock(question["thread_id"]).due_at
    assert second > first
    inbox.messages.clear()
    assert notify(second - dt.timedelta(hours=11)) == [
        f"{public_dataset['name']}: comment reminder, due {second.isoformat()}"]
    assert len(mails(inbox)) == 1


@pytest.mark.usefixtures("mailbox")
def test_a_daily_digest_of_the_overdue_threads_to_both_sides(public_dataset, inbox):
    """Once a day the host and the partner get by mail the partner's overdue questions
    and contact messages, oldest deadline first (000 §10.1.3, 003 §9.1)."""
    late = comment(public_dataset, "citoyen")
    age(late["id"], 49)
    menus = contact(subject="Menus des cantines")
    age(model.Session.get(pmodel.Thread, menus["id"]).comments[0].id, 60)
    contact(subject="Horaires des piscines", email="dominique@exemple.fr")  # 48 hours left
    # another partner's, with no agreement: not followed
    other = contact(org="departement-13", subject="Collèges", email="lou@exemple.fr")
    age(model.Session.get(pmodel.Thread, other["id"]).comments[0].id, 60)
    inbox.messages.clear()

    now = pmodel._now()
    assert notify(now) == ["ville-aix-en-provence: comment digest, 2 overdue"]
    [(to, subject, body)] = mails(inbox)
    assert addresses(to) == {HOST, PUBLISHER, GENERIC}
    assert in_subject("Ville d'Aix-en-Provence", subject)
    assert TITLE in body and "Menus des cantines" in body
    assert "Horaires des piscines" not in body and "Collèges" not in body
    # oldest deadline first
    assert body.index("Menus des cantines") < body.index(TITLE)
    assert f"/dataset/{public_dataset['name']}#comments" in body
    assert "/partnership/threads" in body

    # once a day
    assert notify(now + dt.timedelta(minutes=5)) == []
    tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(0, 30))
    inbox.messages.clear()
    assert notify(tomorrow) == ["ville-aix-en-provence: comment digest, 2 overdue"]
    assert len(mails(inbox)) == 1
    # later that day, before the swimming pools' reminder (12 hours before
    # their deadline, at the earliest tomorrow at noon): nothing
    assert notify(tomorrow + dt.timedelta(hours=1)) == []
    # two days later the message about the swimming pools is overdue too
    inbox.messages.clear()
    assert notify(now + dt.timedelta(hours=49)) == [
        "ville-aix-en-provence: comment digest, 3 overdue"]
    [(to, subject, body)] = mails(inbox)
    assert "Horaires des piscines" in body


@pytest.mark.usefixtures("mailbox")
def test_a_closed_thread_gets_nothing(public_dataset, inbox):
    spam = comment(public_dataset, "citoyen", "Achetez mes montres")
    thanks = comment(public_dataset, "citoyen", "Merci pour ces données !")
    due = clock(thanks["thread_id"]).due_at
    helpers.call_action("partnership_comment_close", context=as_("validateur"),
                        id=spam["thread_id"], reason="abuse")
    helpers.call_action("partnership_comment_close", context=as_("validateur"),
                        id=thanks["thread_id"], reason="no_answer_needed")
    inbox.messages.clear()

    assert notify(due - dt.timedelta(hours=11)) == []
    assert notify(due + dt.timedelta(days=3)) == []
    assert mails(inbox) == []


def test_an_answered_contact_message_gets_nothing(people, inbox):
    sent = contact()
    due = clock(sent["id"]).due_at
    helpers.call_action("partnership_contact_answered", context=as_("aix-producteur"),
                        id=sent["id"])
    inbox.messages.clear()
    assert notify(due - dt.timedelta(hours=11)) == []
    assert notify(due + dt.timedelta(days=1)) == []
    assert mails(inbox) == []


def test_a_mail_that_cannot_go_is_sent_next_run(people, inbox, ckan_config, monkeypatch):
    sent = contact()
    due = clock(sent["id"]).due_at
    smtp = ckan_config["smtp.server"]
    monkeypatch.setitem(ckan_config, "smtp.server", "127.0.0.1:1")  # nobody listens
    failures: list[str] = []
    assert comment_lines(run(dt.date.today(), failures, now=due - dt.timedelta(hours=11))) == []
    assert [f for f in failures if f.startswith("comments:")]
    monkeypatch.setitem(ckan_config, "smtp.server", smtp)
    inbox.messages.clear()
    assert notify(due - dt.timedelta(hours=10)) == [
        f"contact {sent['id']}: comment reminder, due {due.isoformat()}"]
    [(to, subject, body)] = mails(inbox)
    assert addresses(to) == {PUBLISHER}  # no generic mailbox set here
    assert in_subject("Données des cantines", subject)
    assert "/partnership/threads" in body
