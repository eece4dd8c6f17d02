# -*- coding: utf-8 -*-
"""The plugin's hooks through the real action chain and the Flask app.

Covered elsewhere, not repeated here: the harvest fields of package_show
and package_search (tests/test_dataset_schema.py), the charset of DCAT
documents served by ``ckan run`` (tests/test_harvest.py), a deletion of a
published dataset recorded and told (tests/logic/test_visibility_guard.py),
a failing file flagging a published dataset (tests/logic/test_publication.py
and tests/test_publication_notify.py)."""
from __future__ import annotations

import pytest

import ckan.model as model
from ckan.tests import helpers

from ckanext.partnership import model as pmodel, publication
from tests.factories import full_dataset
from tests.logic.test_publication import add_personal_file, as_, dataset
from tests.sql import queries

pytestmark = pytest.mark.usefixtures("with_request_context")


def search(user, **params):
    return helpers.call_action("package_search", context=as_(user or ""), **params)


# -- after_dataset_show, after_dataset_search ---------------------------------

def test_show_and_search_give_each_file_its_check_status(people):
    package = dataset(people)  # one CSV file, checked
    [resource] = package["resources"]
    assert resource["validation_status"] == "success"
    assert resource["validation_timestamp"]
    assert "validation_standard" in resource
    [found] = search("validateur", q=f"id:{package['id']}", include_private=True)["results"]
    [found_resource] = found["resources"]
    assert {k: found_resource[k] for k in ("validation_status", "validation_timestamp")} == {
        k: resource[k] for k in ("validation_status", "validation_timestamp")}
    assert found["source_notice"] == "Source : Ville d'Aix-en-Provence"

    add_personal_file(package)
    shown = helpers.call_action("package_show", id=package["id"])
    assert sorted(r["validation_status"] for r in shown["resources"]) == ["failure", "success"]
    [found] = search("validateur", q=f"id:{package['id']}", include_private=True)["results"]
    assert sorted(r["validation_status"] for r in found["resources"]) == ["failure", "success"]


def test_a_search_of_many_datasets_reads_the_checks_once(people):
    first = dataset(people)
    found = search("validateur", q=f"id:{first['id']}", include_private=True)
    with queries() as one:
        search("validateur", q=f"id:{first['id']}", include_private=True)
    others = [dataset(people) for _ in range(3)]
    ids = " OR ".join(p["id"] for p in [first] + others)
    with queries() as four:
        found = search("validateur", q=f"id:({ids})", include_private=True)
    assert found["count"] == 4
    assert all(r["validation_status"] == "success"
               for p in found["results"] for r in p["resources"])
    assert len(four) == len(one), four


# -- IPermissionLabels --------------------------------------------------------

def test_validators_find_a_partners_private_dataset_and_the_public_does_not(people):
    package = dataset(people)
    where = {"q": f"name:{package['name']}", "include_private": True}
    assert search("validateur", **where)["count"] == 1  # not a member: by its label
    assert search("aix-producteur", **where)["count"] == 1  # a member: by CKAN's own
    for user in ("cd13-producteur", "citoyen", None):
        assert search(user, **where)["count"] == 0, user


def test_a_validator_who_left_the_host_no_longer_finds_it(people):
    package = dataset(people)
    site_user = helpers.call_action("get_site_user")["name"]
    helpers.call_action("organization_member_delete", context={"user": site_user},
                        id="region-sud", username="validateur")
    assert search("validateur", q=f"name:{package['name']}", include_private=True)[
        "count"] == 0


# -- IMiddleware --------------------------------------------------------------

def test_dcat_documents_declare_utf8_other_answers_are_left_alone(app, people):
    helpers.call_action("package_create", context={"user": "cd13-producteur"},
                        **full_dataset(people["other"], name="jeu-public"))
    turtle = app.get("/dataset/jeu-public.ttl")
    assert turtle.status_code == 200
    assert turtle.headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert "Prénoms des nouveau-nés" in turtle.get_data(as_text=True)
    catalog = app.get("/catalog.rdf")
    assert catalog.headers["Content-Type"] == "application/rdf+xml; charset=utf-8"
    api = app.get("/api/3/action/status_show")
    assert api.headers["Content-Type"] == "application/json;charset=utf-8"


# -- after_dataset_delete, ISignal --------------------------------------------

def test_deleting_a_private_dataset_is_no_withdrawal(people):
    package = dataset(people)
    helpers.call_action("package_delete", context=as_("aix-publicateur"), id=package["id"])
    assert model.Package.get(package["id"]).state == "deleted"
    activities = helpers.call_action(
        "package_activity_list", context={"user": "validateur"}, id=package["id"],
        activity_types=[publication.ACTIVITY_TYPE], include_hidden_activity=True)
    assert activities == []


def test_a_failing_file_of_a_private_dataset_raises_no_flag(people):
    package = dataset(people)
    add_personal_file(package)
    assert model.Session.query(pmodel.Event).filter_by(kind="flagged").count() == 0
    assert helpers.call_action("partnership_flagged_list", context=as_("validateur")) == []
