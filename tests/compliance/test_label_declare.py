# -*- coding: utf-8 -*-
"""Declaring what the portal cannot measure of the label: who may, what,
and that measured evidence always wins."""
from __future__ import annotations

import pytest

import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.partnership import model as pmodel
from tests.compliance.test_dataset_compliance import (
    EU_FREQ, by_code, checked, dataset, days_ago, partner,
)

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index",
                                     "with_request_context")


def declare(user, **data):
    return helpers.call_action("partnership_label_declare",
                               context={"user": user, "ignore_auth": False}, **data)


def _granted_candidate(org):
    created = dataset(org, frequency=EU_FREQ + "MONTHLY", modified=days_ago(1),
                      resources=[{"name": "Données", "format": "CSV",
                                  "url": "https://data.exemple.fr/d.csv"}])
    checked(created["id"])
    return created


def test_the_publisher_declares_complete_and_the_label_is_granted():
    org = partner()
    created = _granted_candidate(org)
    result = declare(org["publisher"]["name"], id=created["name"], criterion="complete",
                     status="pass", comment="Tous les enregistrements sont publiés")
    complete = by_code(result)["complete"]
    assert (complete["status"], complete["reason"]) == ("pass", "declared")
    assert org["publisher"]["name"] in complete["evidence"]
    assert "Tous les enregistrements" in complete["evidence"]
    assert result["label"]["granted"] is True and result["label"]["score"] == 10
    # what partnership_dataset_compliance says afterwards, too
    again = helpers.call_action("partnership_dataset_compliance", id=created["id"])
    assert again["label"]["granted"] is True
    # the store the lists read follows
    row = model.Session.get(pmodel.DatasetCompliance, created["id"])
    assert row.criteria["complete"] == "pass" and row.other_blocking is False


def test_history_is_kept_and_unknown_withdraws():
    org = partner()
    created = _granted_candidate(org)
    validator = factories.Sysadmin()["name"]
    declare(org["publisher"]["name"], id=created["id"], criterion="complete", status="pass")
    result = declare(validator, id=created["id"], criterion="complete", status="unknown")
    assert by_code(result)["complete"]["status"] == "unknown"
    assert result["label"]["granted"] is False
    rows = (model.Session.query(pmodel.LabelDeclaration)
            .filter_by(package_id=created["id"]).order_by(pmodel.LabelDeclaration.declared_at))
    assert [r.status for r in rows] == ["pass", "unknown"]


def test_measured_evidence_wins():
    org = partner()
    created = _granted_candidate(org)  # the producer is the partner: primary passes
    result = declare(org["publisher"]["name"], id=created["id"], criterion="primary",
                     status="fail")
    assert by_code(result)["primary"]["reason"] == "produced_by_partner"
    assert by_code(result)["primary"]["status"] == "pass"


@pytest.mark.parametrize("data, field", [
    ({"criterion": "timely", "status": "pass"}, "criterion"),
    ({"criterion": "open_licence", "status": "pass"}, "criterion"),
    ({"criterion": "complete", "status": "not_applicable"}, "status"),
    ({"criterion": "complete", "status": ["pass"]}, "status"),
    ({"status": "pass"}, "criterion"),
    ({"criterion": "complete", "status": "pass", "comment": "x" * 6000}, "comment"),
])
def test_bad_input_is_409_naming_the_field(data, field):
    org = partner()
    created = dataset(org)
    with pytest.raises(helpers.logic.ValidationError) as error:
        declare(org["publisher"]["name"], id=created["id"], **data)
    assert field in error.value.error_dict


def test_who_may_declare():
    org = partner()
    created = dataset(org, private=True)
    other = partner(name="autre", title="Autre")
    for user in (factories.User()["name"], other["publisher"]["name"]):
        with pytest.raises(helpers.logic.NotAuthorized):
            declare(user, id=created["id"], criterion="complete", status="pass")
    member = factories.User()
    helpers.call_action("organization_member_create", id=org["id"],
                        username=member["name"], role="member")
    with pytest.raises(helpers.logic.NotAuthorized):
        declare(member["name"], id=created["id"], criterion="complete", status="pass")
    assert declare(org["publisher"]["name"], id=created["id"], criterion="complete",
                   status="pass")
    with pytest.raises(helpers.logic.NotFound):
        declare(org["publisher"]["name"], id="pas-de-jeu", criterion="complete", status="pass")


def test_through_the_api_anonymous_is_403(app):
    created = dataset(partner())
    response = app.post("/api/3/action/partnership_label_declare",
                        json={"id": created["id"], "criterion": "complete", "status": "pass"},
                        status=403)
    assert response.json["success"] is False
    assert model.Session.query(pmodel.LabelDeclaration).count() == 0
