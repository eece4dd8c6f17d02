# -*- coding: utf-8 -*-
"""Publication at the size of a region: every list of requests, flags and
figures, action and page, sends the same SQL for 10 rows as for 100 (no
query per row); the lists are windows (limit, offset) with their counts.

The rows are seeded through the model (only setup); the requests go
through the real actions and the Flask test app."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

import ckan.model as model
from ckan.tests import helpers

from ckanext.partnership import model as pmodel, publication
from tests.sql import queries

VALIDATOR = {"user": "validateur", "ignore_auth": False}


def _tag() -> str:
    return uuid.uuid4().hex[:8]


def _users(count: int) -> list[model.User]:
    tag = _tag()
    users = [model.User(name=f"personne-{tag}-{i:03d}", email=f"p{i}-{tag}@aix.invalid",
                        fullname=f"Personne {i:03d}") for i in range(count)]
    model.Session.add_all(users)
    return users


def _organizations(count: int) -> list[model.Group]:
    tag = _tag()
    groups = [model.Group(name=f"commune-{tag}-{i:03d}", title=f"Commune {i:03d}",
                          type="organization", is_organization=True)
              for i in range(count)]
    model.Session.add_all(groups)
    return groups


def _packages(org_id: str, count: int, private: bool = True) -> list[model.Package]:
    tag = _tag()
    packages = [model.Package(name=f"jeu-{tag}-{i:03d}", title=f"Jeu {tag} {i:03d}",
                              owner_org=org_id, private=private, state="active",
                              type="dataset", license_id="lov2")
                for i in range(count)]
    model.Session.add_all(packages)
    model.Session.flush()
    return packages


def _requests(people, count: int, status: str = "pending", package=None,
              organizations=None) -> None:
    """``count`` requests, each by its own submitter (and decider), on their
    own datasets (or all on ``package``), of their own partners when
    ``organizations`` is given."""
    now = pmodel._now()
    submitters, deciders = _users(count), _users(count)
    model.Session.flush()
    orgs = organizations or [None] * count
    packages = ([package] * count if package is not None
                else _packages(people["org"]["id"], count))
    for i in range(count):
        decided = status != "pending"
        model.Session.add(pmodel.PublicationRequest(
            package_id=packages[i].id,
            organization_id=orgs[i].id if orgs[i] is not None else people["org"]["id"],
            agreement_id=people["agreement"]["id"], mode="validated", status=status,
            submitted_by=submitters[i].id, submitted_at=now - dt.timedelta(hours=30 + i),
            due_at=now + dt.timedelta(hours=18 - i), checks=[],
            decided_by=deciders[i].id if decided else None,
            decided_at=now - dt.timedelta(hours=i % 7) if decided else None,
            reasons=["licence", "metadata"] if status == "refused" else None,
            message="Non" if status == "refused" else None))
    model.Session.commit()


def _failing(people, count: int) -> list[model.Package]:
    """``count`` public datasets of the partner, each with a file whose
    stored check found personal data, flagged by the check's receiver."""
    packages = _packages(people["org"]["id"], count, private=False)
    for i, package in enumerate(packages):
        resource = model.Resource(package_id=package.id, name=f"Contacts {i}",
                                  url="contacts.csv", format="CSV")
        resource.position = 0
        model.Session.add(resource)
        model.Session.flush()
        model.Session.add(pmodel.ResourceCheck(
            resource_id=resource.id, package_id=package.id, status="failure",
            fingerprint="x", report={"results": [
                {"check": "personal_data", "status": "failure"}]}))
    model.Session.commit()
    for package in packages:
        publication.flag_after_check(package.id)
    return packages


@pytest.fixture
def sql(test_request_context):
    """``sql(action, **data)``: the action run as the validator inside a web
    request (its language), and the number of SQL statements it sent."""
    def run(action: str, **data):
        with test_request_context():
            helpers.call_action(action, context=dict(VALIDATOR), **data)  # what is loaded once
            model.Session.remove()  # each count from a new session, as a web request has
            with queries() as sent:
                answer = helpers.call_action(action, context=dict(VALIDATOR), **data)
        return len(sent), answer
    return run


def _page(app, url: str, user: str = "validateur"):
    token = helpers.call_action("api_token_create", context={"user": user}, user=user,
                                name="t")["token"]
    app.get(url, headers={"Authorization": token})  # what the first request loads once
    with queries() as sent:
        response = app.get(url, headers={"Authorization": token})
    assert response.status_code == 200
    return len(sent), response.body


# -- the same SQL for 10 rows as for 100 ------------------------------------------

@pytest.fixture
def measure(app, sql):
    """``measure(reads, url, user)``: ``{action: (statements, answer)}`` of
    each read (``{action: data}``) and ``{"page": (statements, body)}`` of
    the page at ``url``."""
    def run(reads: dict, url: str, user: str = "validateur"):
        out = {action: sql(action, **data) for action, data in reads.items()}
        out["page"] = _page(app, url, user)
        return out
    return run


def _ten_then_hundred(measure, seed, reads: dict, url: str, user: str = "validateur"):
    """``seed(10)``, measure, ``seed(90)``, measure: the same SQL both times
    for each read and the page. Returns the two measures."""
    seed(10)
    at_10 = measure(reads, url, user)
    seed(90)
    at_100 = measure(reads, url, user)
    counts = {key: (at_10[key][0], at_100[key][0]) for key in at_10}
    assert all(a == b for a, b in counts.values()), counts
    return at_10, at_100


def test_the_queue_costs_the_same_for_10_and_100_requests(people, measure):
    at_10, at_100 = _ten_then_hundred(
        measure, lambda n: _requests(people, n),
        {"partnership_queue_list": {}, "partnership_queue_count": {}}, "/partnership/queue")
    assert len(at_10["partnership_queue_list"][1]) == 10
    assert len(at_100["partnership_queue_list"][1]) == 100
    assert at_100["partnership_queue_count"][1] == {"count": 100}
    page = at_100["page"][1]
    assert page.count('data-request=') == 50  # a page of 50
    assert 'data-count="100"' in page and "100 demandes" in page and "Personne" in page


def test_a_datasets_requests_cost_the_same_for_10_and_100(people, measure):
    package = _packages(people["org"]["id"], 1)[0]
    model.Session.commit()

    def seed(count):
        for status in ("cancelled", "refused"):
            _requests(people, count // 2, status=status, package=package)

    _, at_100 = _ten_then_hundred(measure, seed,
                                  {"partnership_publication_list": {"id": package.id}},
                                  f"/dataset/{package.name}/publication")
    assert len(at_100["partnership_publication_list"][1]) == 100
    assert at_100["page"][1].count('data-status="refused"') == 50


def test_the_flagged_datasets_cost_the_same_for_10_and_100(people, measure):
    _, at_100 = _ten_then_hundred(
        measure, lambda n: _failing(people, n),
        {"partnership_flagged_list": {}, "partnership_flagged_count": {}}, "/partnership/queue")
    flagged = at_100["partnership_flagged_list"][1]
    assert len(flagged) == 100 and at_100["partnership_flagged_count"][1] == {"count": 100}
    assert "personal_data" in [c["code"] for c in flagged[0]["checks"]]
    assert at_100["page"][1].count("<li data-dataset=") == 50
    assert 'data-count="100"' in at_100["page"][1]
    assert "Les 50 premiers des 100 jeux de données signalés" in at_100["page"][1]


def test_the_figures_cost_the_same_for_10_and_100_partners(people, measure):
    def seed(count):  # 9 partners, then 99: one request each, decided or waiting
        for status in ("approved", "refused", "pending"):
            _requests(people, count // 3, status=status,
                      organizations=_organizations(count // 3))

    _, at_100 = _ten_then_hundred(measure, seed, {"partnership_publication_stats": {}},
                                  "/partnership/publication-stats", user="citoyen")
    assert len(at_100["partnership_publication_stats"][1]["by_organization"]) == 99
    assert at_100["page"][1].count('<tr data-organization="commune-') == 99


# -- windows and counts --------------------------------------------------------------

@pytest.mark.usefixtures("with_request_context")
def test_the_lists_are_windows_in_a_stable_order(people):
    _requests(people, 12)
    whole = helpers.call_action("partnership_queue_list", context=dict(VALIDATOR))
    assert [r["due_at"] for r in whole] == sorted(r["due_at"] for r in whole)
    window = helpers.call_action("partnership_queue_list", context=dict(VALIDATOR),
                                 limit=5, offset=5)
    assert [r["id"] for r in window] == [r["id"] for r in whole[5:10]]
    assert helpers.call_action("partnership_queue_count", context=dict(VALIDATOR),
                               status="approved") == {"count": 0}
    other = helpers.call_action("partnership_queue_count", context=dict(VALIDATOR),
                                organization=people["other"]["name"])
    assert other == {"count": 0}
    _failing(people, 3)
    titles = [f["title"] for f in helpers.call_action(
        "partnership_flagged_list", context=dict(VALIDATOR), limit=2, offset=1)]
    assert titles == sorted(f["title"] for f in helpers.call_action(
        "partnership_flagged_list", context=dict(VALIDATOR)))[1:3]


@pytest.mark.parametrize("action", ["partnership_queue_list", "partnership_flagged_list"])
@pytest.mark.parametrize("field, value", [("limit", 0), ("limit", 1001), ("limit", "dix"),
                                          ("offset", -1)])
@pytest.mark.usefixtures("with_request_context")
def test_a_bad_window_is_refused_naming_the_field(people, action, field, value):
    with pytest.raises(helpers.logic.ValidationError) as error:
        helpers.call_action(action, context=dict(VALIDATOR), **{field: value})
    assert field in error.value.error_dict


def test_a_bad_window_of_a_datasets_requests_is_a_409(app, people):
    package = _packages(people["org"]["id"], 1)[0]
    model.Session.commit()
    token = helpers.call_action("api_token_create", context={"user": "validateur"},
                                user="validateur", name="t")["token"]
    response = app.get(f"/api/3/action/partnership_publication_list?id={package.id}"
                       "&limit=5000", headers={"Authorization": token}, status=409)
    assert "limit" in response.json["error"]


@pytest.mark.parametrize("action", ["partnership_queue_count", "partnership_flagged_count"])
@pytest.mark.usefixtures("with_request_context")
def test_the_counts_are_the_validators(people, action):
    for user in ("aix-publicateur", "citoyen", ""):
        with pytest.raises(helpers.logic.NotAuthorized):
            helpers.call_action(action, context={"user": user, "ignore_auth": False})


# -- the figures, counted by PostgreSQL, are the domain's --------------------------

@pytest.mark.usefixtures("with_request_context")
def test_the_figures_in_sql_are_those_of_the_rules(people):
    from ckanext.partnership.domain import publication_rules

    second = _organizations(1)
    _requests(people, 7, status="approved")
    _requests(people, 5, status="refused", organizations=second * 5)
    _requests(people, 3, status="pending", organizations=second * 3)
    rows = model.Session.query(pmodel.PublicationRequest).all()
    approved = [r for r in rows if r.status == "approved"]
    approved[0].reasons, approved[0].status = ["quality"], "refused"
    approved[1].due_at = approved[1].decided_at - dt.timedelta(minutes=1)  # late
    model.Session.commit()

    def expected(subset):
        out = publication_rules.stats([
            {"status": r.status, "submitted_at": r.submitted_at, "decided_at": r.decided_at,
             "due_at": r.due_at, "reasons": r.reasons} for r in subset if r.decided_at])
        pending = [r for r in subset if r.status == "pending"]
        return {**out, "pending": len(pending),
                "overdue": sum(1 for r in pending if pmodel.now() > r.due_at)}

    stats = helpers.call_action("partnership_publication_stats", context={"user": ""})
    by_org = {o["organization"]: o for o in stats.pop("by_organization")}
    # the months (all of this one here) add up to the figures
    [month] = stats.pop("by_month")
    assert month["month"] == pmodel.now().strftime("%Y-%m")
    assert {k: month[k] for k in ("decided", "approved", "refused", "within_sla")} == \
        {k: stats[k] for k in ("decided", "approved", "refused", "within_sla")}
    assert stats == expected(rows)
    for org_id, name in ((people["org"]["id"], "ville-aix-en-provence"),
                         (second[0].id, second[0].name)):
        figures = dict(by_org[name])
        assert figures.pop("title") and figures.pop("organization") == name
        assert figures == expected([r for r in rows if r.organization_id == org_id])
    today = dt.date.today().isoformat()
    assert helpers.call_action("partnership_publication_stats", since=today,
                               until=today)["decided"] == len(
        [r for r in rows if r.decided_at and r.decided_at.date() == dt.date.today()
         and r.status != "cancelled"])
