# -*- coding: utf-8 -*-
"""Each thread's clock is stored with it, by the one rule
(``domain.response_clock.clock``), and follows every change: a reply, a
new question, a closing, a contact message marked answered, the partner's
deadline changed; the migration gives existing threads the same clock.
Only the state between awaiting and overdue moves with time, without any
write. And the lists page: limit, offset, count."""
from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

import ckan.model as model
from ckan.cli.db import _run_migrations
from ckan.tests import helpers

from ckanext.partnership import discussions, model as pmodel
from ckanext.partnership.domain import response_clock
from tests.logic.test_comments import comment
from tests.logic.test_publication import as_
from tests.sql import queries

pytestmark = pytest.mark.usefixtures("with_request_context")

ValidationError = helpers.logic.ValidationError
H = dt.timedelta(hours=1)
COLUMNS = ("clock_started_at", "clock_due_at", "clock_answered_at",
           "first_started_at", "first_due_at", "first_response_at")


def stored(thread_id):
    model.Session.expire_all()
    row = model.Session.get(pmodel.Thread, thread_id)
    return {c: getattr(row, c) for c in COLUMNS}


def by_rule(thread_id, hours=48):
    """What the rule gives from the thread's messages, as stored columns."""
    model.Session.expire_all()
    thread = model.Session.get(pmodel.Thread, thread_id)
    clock = response_clock.clock(discussions.threads.messages(thread), hours,
                                 pmodel._now())
    return {"clock_started_at": clock.started_at, "clock_due_at": clock.due_at,
            "clock_answered_at": clock.answered_at,
            "first_started_at": clock.first_started_at, "first_due_at": clock.first_due_at,
            "first_response_at": clock.first_response_at}


def at(iso):
    """An instant of the API as the tables store it (naive UTC)."""
    return dt.datetime.fromisoformat(iso).replace(tzinfo=None)


def listed(user, **data):
    return helpers.call_action("partnership_thread_list", context=as_(user), **data)


def test_a_reply_stops_the_clock_and_a_new_question_starts_it_again(public_dataset):
    question = comment(public_dataset, "citoyen")
    thread_id = question["thread_id"]
    first = stored(thread_id)
    assert first["clock_started_at"] == first["first_started_at"] is not None
    assert first["clock_due_at"] - first["clock_started_at"] == 48 * H
    assert first["clock_answered_at"] is None
    answer = comment(public_dataset, "aix-producteur", "La DSDEN.", reply_to=question["id"])
    answered = stored(thread_id)
    assert answered["clock_answered_at"] == answered["first_response_at"] == \
        at(answer["created"])
    assert [t["id"] for t in listed("aix-producteur", state="answered")] == [thread_id]
    again = comment(public_dataset, "citoyen", "Et 2023 ?", reply_to=question["id"])
    restarted = stored(thread_id)
    assert restarted["clock_started_at"] == at(again["created"])
    assert restarted["clock_answered_at"] is None
    assert restarted["first_response_at"] == answered["first_response_at"]
    assert [t["id"] for t in listed("aix-producteur", state="awaiting")] == [thread_id]
    assert stored(thread_id) == by_rule(thread_id)


def test_closing_and_marking_a_contact_message_answered(public_dataset):
    question = comment(public_dataset, "citoyen")
    helpers.call_action("partnership_comment_close", context=as_("validateur"),
                        id=question["thread_id"], reason="no_answer_needed")
    assert [t["id"] for t in listed("validateur", state="closed")] == [question["thread_id"]]
    assert listed("validateur") == []
    sent = helpers.call_action("partnership_contact_create", context={"user": ""},
                               organization="ville-aix-en-provence", name="Camille",
                               email="camille@exemple.fr", body="Les menus ?")
    assert stored(sent["id"])["clock_answered_at"] is None
    helpers.call_action("partnership_contact_answered", context=as_("aix-producteur"),
                        id=sent["id"])
    marked = stored(sent["id"])
    assert marked["clock_answered_at"] == marked["first_response_at"] is not None
    assert [t["id"] for t in listed("aix-producteur", state="answered")] == [sent["id"]]
    assert stored(sent["id"]) == by_rule(sent["id"])


def test_a_change_of_the_partners_deadline_reschedules_its_threads(people, public_dataset):
    question = comment(public_dataset, "citoyen")
    helpers.call_action("partnership_agreement_patch", context=as_("validateur"),
                        id=people["agreement"]["id"], comment_sla_hours=24)
    clock = stored(question["thread_id"])
    assert clock["clock_due_at"] - clock["clock_started_at"] == 24 * H
    assert clock["first_due_at"] - clock["first_started_at"] == 24 * H
    assert clock == by_rule(question["thread_id"], 24)
    [thread] = listed("aix-producteur")
    assert at(thread["due_at"]) == clock["clock_due_at"]


def test_overdue_comes_with_time_without_any_write(public_dataset):
    question = comment(public_dataset, "citoyen")
    assert [t["state"] for t in listed("aix-producteur")] == ["awaiting"]
    with freeze_time(pmodel._now() + 49 * H):
        with queries() as sent:
            [thread] = listed("aix-producteur", state="overdue")
            stats = helpers.call_action("partnership_response_stats", context={"user": ""})
        assert (thread["id"], thread["state"], thread["on_time"]) == (
            question["thread_id"], "overdue", False)
        assert thread["remaining_seconds"] < 0
        assert (stats["overdue"], stats["awaiting"]) == (1, 0)
        assert listed("aix-producteur", state="awaiting") == []
    writes = [s for s in sent if s.lstrip().split()[0].upper() in ("INSERT", "UPDATE",
                                                                   "DELETE")]
    assert writes == []


def test_the_migration_gives_existing_threads_the_clock_of_the_rule(people, public_dataset):
    org_id, package_id = people["org"]["id"], public_dataset["id"]
    asker, partner = model.User.get("citoyen"), model.User.get("aix-producteur")
    t0 = pmodel._now() - 200 * H
    patterns = ["Q", "QP", "QQP", "QPQ", "PQ", "P", "QPQP", "QPPQ", "QQ", ""]
    ids = []
    for n, pattern in enumerate(patterns):
        thread = pmodel.Thread(kind="comment", organization_id=org_id, package_id=package_id,
                               created=t0 + n * H)
        for i, who in enumerate(pattern):
            thread.comments.append(pmodel.Comment(
                author_id=(partner if who == "P" else asker).id, by_partner=who == "P",
                body=who, created=t0 + n * H + i * 5 * H))
        model.Session.add(thread)
        ids.append(thread)
    contact = pmodel.Thread(kind="contact", organization_id=org_id, sender_name="Camille",
                            sender_email="c@exemple.fr", created=t0,
                            answered_at=t0 + 60 * H, closed_at=t0 + 70 * H)
    contact.comments.append(pmodel.Comment(body="Menus ?", created=t0))
    model.Session.add(contact)
    model.Session.commit()
    ids = [t.id for t in ids] + [contact.id]
    expected = {i: by_rule(i) for i in ids}
    assert {i: stored(i) for i in ids} == expected
    model.Session.remove()
    _run_migrations("partnership", "d8f0a2c4e6b1", forward=False)
    columns = {row[0] for row in model.Session.execute(model.sa.text(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'partnership_thread'"))}
    assert not columns & set(COLUMNS)  # the previous schema
    model.Session.remove()
    _run_migrations("partnership")
    assert {i: stored(i) for i in ids} == expected
    assert sum(1 for c in expected.values() if c["clock_started_at"] is None) == 2  # "P", ""


def test_the_thread_list_pages_and_counts(public_dataset):
    made = [comment(public_dataset, u, f"Question {u}")["thread_id"]
            for u in ("citoyen", "cd13-producteur", "validateur")]
    assert [t["id"] for t in listed("aix-producteur")] == made  # oldest deadline first
    assert [t["id"] for t in listed("aix-producteur", limit=2)] == made[:2]
    assert [t["id"] for t in listed("aix-producteur", limit=2, offset=2)] == made[2:]
    count = helpers.call_action("partnership_thread_count", context=as_("aix-producteur"))
    assert count == {"count": 3}
    assert helpers.call_action("partnership_thread_count", context=as_("cd13-producteur"),
                               state="all") == {"count": 0}
    assert [t["id"] for t in helpers.call_action(
        "partnership_comment_list", context=as_("citoyen"), package_id=public_dataset["id"],
        limit=1, offset=1)] == made[1:2]
    assert helpers.call_action("partnership_comment_count", context=as_("citoyen"),
                               package_id=public_dataset["id"]) == {"count": 3}
    for name, data in (("partnership_thread_list", {}),
                       ("partnership_comment_list", {"package_id": public_dataset["id"]})):
        for bad in (0, 1001, "dix"):
            with pytest.raises(ValidationError) as error:
                helpers.call_action(name, context=as_("aix-producteur"), limit=bad, **data)
            assert list(error.value.error_dict) == ["limit"], (name, bad)
        with pytest.raises(ValidationError) as error:
            helpers.call_action(name, context=as_("aix-producteur"), offset=-1, **data)
        assert list(error.value.error_dict) == ["offset"]
