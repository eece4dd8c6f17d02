# -*- coding: utf-8 -*-
"""Two validators decide the same request at the same moment, through two
real HTTP requests to a threaded CKAN server: exactly one decision is
recorded, the other gets a clear error."""
from __future__ import annotations

import threading

import requests

import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.partnership import publication
from ckanext.partnership import model as pmodel
from tests.logic.test_publication import dataset, submit


def _token(user):
    return helpers.call_action("api_token_create", context={"user": user}, user=user,
                               name="t")["token"]


def test_two_validators_decide_at_the_same_moment(live_server, people):
    factories.User(name="validatrice")
    helpers.call_action("organization_member_create", id="region-sud",
                        username="validatrice", role="editor")
    outcomes = []
    for attempt in range(3):  # three races, each between an approval and a refusal
        package = dataset(people)
        request = submit(package)
        votes = [("validateur", {"decision": "approve"}),
                 ("validatrice", {"decision": "refuse", "reasons": ["quality"],
                                  "message": "Données incomplètes."})]
        tokens = {user: _token(user) for user, _ in votes}
        start = threading.Barrier(len(votes))
        answers: dict[str, requests.Response] = {}

        def decide(user, data):
            start.wait()
            answers[user] = requests.post(
                live_server.url + "/api/3/action/partnership_publication_decide",
                json={"id": request["id"], **data},
                headers={"Authorization": tokens[user]}, timeout=60)

        threads = [threading.Thread(target=decide, args=vote) for vote in votes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        codes = sorted(a.status_code for a in answers.values())
        assert codes == [200, 409], {u: a.text for u, a in answers.items()}
        winner = next(u for u, a in answers.items() if a.status_code == 200)
        loser = next(u for u, a in answers.items() if a.status_code == 409)
        error = answers[loser].json()["error"]
        # the error names who decided first
        assert model.User.get(winner).fullname in " ".join(error["id"])
        model.Session.expire_all()
        row = model.Session.get(pmodel.PublicationRequest, request["id"])
        assert row.decided_by == model.User.get(winner).id
        assert row.status == ("approved" if winner == "validateur" else "refused")
        shown = helpers.call_action("package_show", id=package["id"])
        assert shown["private"] is (winner != "validateur")
        steps = [a["data"]["partnership"]["event"] for a in helpers.call_action(
            "package_activity_list", context={"user": "validateur"}, id=package["id"],
            activity_types=[publication.ACTIVITY_TYPE])]
        assert steps.count("approved") + steps.count("refused") == 1
        outcomes.append(winner)
    assert len(outcomes) == 3
