# -*- coding: utf-8 -*-
"""The lists that hide private datasets from outsiders (the annex, tag
lists, member_list) read what they hide in one go: the same number of SQL
queries for 10 rows as for 100."""
from __future__ import annotations

from collections import Counter

import pytest

import ckan.model as model
from ckan.tests import helpers

from tests.factories import full_dataset
from tests.sql import queries


def _add(people, start, count):
    """``count`` private datasets of the partner, each with its own keyword
    and an annex entry linked to it."""
    for i in range(start, start + count):
        created = helpers.call_action(
            "package_create", context={"user": "aix-producteur"},
            **full_dataset(people["org"], name=f"prive-{i:03d}", conforms_to="",
                           private=True, tag_string=f"secret-{i:03d}"))
        helpers.call_action("partnership_planned_dataset_create",
                            context={"user": "validateur"},
                            agreement_id=people["agreement"]["id"],
                            title=f"Jeu prévu {i}", package_id=created["id"])


READS = {
    "partnership_planned_dataset_list": lambda people: {
        "agreement_id": people["agreement"]["id"]},
    "tag_list": lambda people: {},
    "member_list": lambda people: {"id": people["org"]["id"], "object_type": "package"},
}


def _count(people, action, user):
    # each request starts with an empty session, as a request to the portal
    # does: nothing left in the session's identity map by the seeding (kept
    # or not depending on when Python's collector ran) saves a statement
    model.Session.remove()
    with queries() as sent:
        answer = helpers.call_action(action, context={"user": user, "ignore_auth": False},
                                     **READS[action](people))
    return sent, answer


def _differences(at_10: list[str], at_100: list[str]) -> str:
    """The statements one run sent more often than the other."""
    more, fewer = Counter(at_100) - Counter(at_10), Counter(at_10) - Counter(at_100)
    return "\n".join([f"+{n} {q}" for q, n in more.items()]
                     + [f"-{n} {q}" for q, n in fewer.items()])


@pytest.mark.parametrize("user", ["citoyen", "aix-producteur"])
def test_hiding_private_datasets_costs_the_same_for_10_and_100_rows(people, user):
    _add(people, 0, 10)
    at_10 = {action: _count(people, action, user) for action in READS}
    _add(people, 10, 90)
    at_100 = {action: _count(people, action, user) for action in READS}
    for action in READS:
        assert len(at_100[action][0]) == len(at_10[action][0]), (
            f"{action}: {len(at_10[action][0])} statements for 10 rows, "
            f"{len(at_100[action][0])} for 100:\n"
            + _differences(at_10[action][0], at_100[action][0]))
    # what each reader sees: the partner's member all 100, the citizen none
    planned = at_100["partnership_planned_dataset_list"][1]
    tags = {t for t in at_100["tag_list"][1] if t.startswith("secret-")}
    members = at_100["member_list"][1]
    expected = 100 if user == "aix-producteur" else 0
    assert len([p for p in planned if p["package_id"]]) == expected
    assert len(tags) == expected
    assert len(members) == expected
