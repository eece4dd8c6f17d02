# -*- coding: utf-8 -*-
"""The "what waits for me" dashboard, page and action, through the real
action chain on the real stack: each role's lists, their links, private
data kept private, anonymous refused, a constant number of queries."""
from __future__ import annotations

import pytest

import ckan.model as model
from ckan.tests import helpers

from tests.dashboard.work import board, draft, listed
from tests.logic.test_publication import as_, dataset, decide, submit
from tests.sql import queries

pytestmark = pytest.mark.usefixtures("with_request_context")

NotAuthorized = helpers.logic.NotAuthorized


def test_the_publishers_dashboard_lists_what_waits_for_its_organisation(work):
    """The partner's dashboard lists, for its publisher and producers alike, its private
    datasets ready to submit, its requests waiting and refused, its discussions, flags
    and deadlines (000 §9.3.2)."""
    mine = board("aix-publicateur")
    assert mine["role"] == "partner"
    assert [o["name"] for o in mine["organizations"]] == ["ville-aix-en-provence"]
    assert [d["name"] for d in mine["to_submit"]["items"]] == [work["ready"]["name"]]
    assert mine["to_submit"]["count"] == 1
    assert listed(mine["pending"]) == [work["pending"]["name"]]
    assert listed(mine["to_fix"]) == [work["refused"]["name"]]
    assert mine["to_fix"]["items"][0]["reasons"] == ["metadata"]
    assert [t["id"] for t in mine["threads"]["items"]] == [work["question"]["thread_id"]]
    assert mine["threads"]["overdue"] == 1
    assert listed(mine["flagged"], "name") == [work["flagged"]["name"]]
    assert mine["flagged"]["items"][0]["checks"][0]["code"] == "personal_data"
    # agreement 004: renewed each 19 December, notice one month before
    kinds = {d["kind"]: d for d in mine["deadlines"]["items"]}
    assert kinds["next_renewal_on"]["on"][5:] == "12-19"
    assert all(d["days"] >= 0 for d in mine["deadlines"]["items"])
    assert {d["reference"] for d in mine["deadlines"]["items"]} == {"CONV-2019-AIX"}
    # the producer of the same organisation sees the same work
    producer = board("aix-producteur")
    assert [t["id"] for t in producer.pop("threads")["items"]] == [
        t["id"] for t in mine.pop("threads")["items"]]  # remaining_seconds runs on
    for board_ in (producer, mine):  # so does a request's clock
        for item in board_["pending"]["items"]:
            assert item.pop("remaining_seconds") > 0
    assert producer == mine


def test_the_validators_dashboard_lists_the_queue_the_flags_and_the_deadlines(work):
    theirs = board("validateur")
    assert theirs["role"] == "validator"
    assert listed(theirs["pending"]) == [work["pending"]["name"]]
    assert theirs["pending"]["count"] == 1
    assert listed(theirs["flagged"], "name") == [work["flagged"]["name"]]
    assert [t["id"] for t in theirs["threads"]["items"]] == [work["question"]["thread_id"]]
    assert theirs["threads"]["overdue"] == 1
    assert [d["reference"] for d in theirs["deadlines"]["items"]][:1] == ["CONV-2019-AIX"]
    assert theirs["to_submit"]["count"] == theirs["to_fix"]["count"] == 0


def test_a_partner_sees_nothing_of_another(work):
    theirs = board("cd13-producteur")
    assert [o["name"] for o in theirs["organizations"]] == ["departement-13"]
    assert [d["name"] for d in theirs["to_submit"]["items"]] == [work["other"]["name"]]
    for key in ("pending", "to_fix", "threads", "flagged", "deadlines"):
        assert theirs[key]["count"] == 0 and theirs[key]["items"] == [], key
    assert board("aix-publicateur")["to_submit"]["count"] == 1  # not the other's draft


def test_the_number_of_queries_does_not_grow_with_the_items(people):
    def measured():
        model.Session.expire_all()
        with queries() as sent:
            board("aix-publicateur")
        with queries() as validator:
            board("validateur")
        return len(sent), len(validator)

    def one_of_each():
        draft(people)
        decide(submit(dataset(people)), decision="refuse",
               reasons=["quality"], message="À revoir.")
        submit(dataset(people))

    one_of_each()
    few = measured()
    for _ in range(3):
        one_of_each()
    assert board("aix-publicateur")["pending"]["count"] == 4
    assert measured() == few


def test_a_member_reads_its_own_organisations_queue_and_flags_only(work, people):
    own = {"organization": "ville-aix-en-provence"}
    member = as_("aix-producteur")
    assert [r["package_name"] for r in helpers.call_action(
        "partnership_queue_list", context=dict(member), **own)] == [work["pending"]["name"]]
    assert helpers.call_action("partnership_queue_count", context=dict(member), **own) == {
        "count": 1}
    assert helpers.call_action("partnership_flagged_count", context=dict(member), **own) == {
        "count": 1}
    for action in ("partnership_queue_list", "partnership_queue_count",
                   "partnership_flagged_list", "partnership_flagged_count"):
        for data in ({}, {"organization": "departement-13"},
                     {"organization": people["other"]["id"]}, {"organization": "region-sud"}):
            with pytest.raises(NotAuthorized):
                helpers.call_action(action, context=as_("aix-producteur"), **data)
        with pytest.raises(NotAuthorized):
            helpers.call_action(action, context=as_("citoyen"), **own)
