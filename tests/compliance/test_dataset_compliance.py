# -*- coding: utf-8 -*-
"""A dataset's freshness and open-data label through the API, on the real
stack: what CKAN stores decides, the reader's rights are package_show's."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.partnership import model as pmodel
from tests.factories import EU_FREQ, full_dataset, partner

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

TODAY = dt.datetime.now(dt.timezone.utc).date()
REPORT = {"status": "success", "rows": 12, "results": [
    {"check": "format", "status": "success", "findings": [], "format": "CSV"},
    *({"check": c, "status": "success", "findings": []}
      for c in ("file", "encoding", "structure"))]}


def dataset(org, *, user=None, resources=None, **fields):
    """A dataset of every field (public unless said), made by a sysadmin."""
    fields.setdefault("conforms_to", "")
    fields.setdefault("name", f"jeu-{uuid.uuid4().hex[:10]}")
    return helpers.call_action(
        "package_create", context={"user": user or factories.Sysadmin()["name"]},
        **full_dataset(org, resources=resources or [], **fields))


def checked(package_id, report=REPORT, status="success"):
    """The files' checks stored, as the worker stores them."""
    (model.Session.query(pmodel.ResourceCheck)
     .filter(pmodel.ResourceCheck.package_id == package_id)
     .update({pmodel.ResourceCheck.status: status, pmodel.ResourceCheck.report: report,
              pmodel.ResourceCheck.finished: pmodel.now()}, synchronize_session=False))
    model.Session.commit()


def api(app, package_id, user=None, status=200):
    headers = {"Authorization": factories.APIToken(user=user)["token"]} if user else {}
    response = app.get("/api/3/action/partnership_dataset_compliance",
                       query_string={"id": package_id}, headers=headers, status=status)
    return response.json["result"] if status == 200 else response.json["error"]


def days_ago(n):
    return (TODAY - dt.timedelta(days=n)).isoformat()


def by_code(result):
    return {c["code"]: c for c in result["label"]["criteria"]}


def test_monthly_modified_100_days_ago_is_late(app):
    """A monthly dataset last updated 100 days ago is late by the days its compliance
    says, and fails the label's timely criterion (000 §10.1.1)."""
    found = api(app, dataset(partner(), frequency=EU_FREQ + "MONTHLY",
                             modified=days_ago(100))["id"])
    assert found["freshness"]["state"] == "late"
    assert found["freshness"]["last_update"] == days_ago(100)
    # 100 days ago + 1 month + 7 days of grace
    assert found["freshness"]["days_late"] > 50
    timely = by_code(found)["timely"]
    assert (timely["status"], timely["reason"]) == ("fail", "late")
    assert str(found["freshness"]["days_late"]) in timely["evidence"]


def test_monthly_modified_yesterday_is_fresh(app):
    found = api(app, dataset(partner(), frequency=EU_FREQ + "MONTHLY",
                             modified=days_ago(1))["id"])
    assert found["freshness"]["state"] == "fresh"
    assert found["freshness"]["days_late"] is None
    assert dt.date.fromisoformat(found["freshness"]["expected_by"]) > TODAY
    assert by_code(found)["timely"]["status"] == "pass"


def test_as_needed_is_not_applicable(app):
    found = api(app, dataset(partner(), frequency=EU_FREQ + "AS_NEEDED",
                             modified=days_ago(100))["id"])
    assert found["freshness"] == {"state": "not_applicable", "last_update": days_ago(100),
                                  "expected_by": None, "days_late": None}
    assert by_code(found)["timely"]["status"] == "not_applicable"


def test_a_file_changed_after_an_old_modified_makes_it_fresh(app):
    created = dataset(partner(), frequency=EU_FREQ + "MONTHLY", modified=days_ago(100),
                      resources=[{"name": "Données", "format": "CSV",
                                  "url": "https://data.exemple.fr/d.csv"}])
    found = api(app, created["id"])
    # the file was created today: it is the last update
    assert (found["freshness"]["state"], found["freshness"]["last_update"]) == \
        ("fresh", TODAY.isoformat())


def test_the_ten_criteria_with_their_evidence(app):
    """A dataset's compliance lists the ten criteria of the open-data label in order,
    each with its status and the evidence the portal has for it (000 annex 3)."""
    created = dataset(partner(), frequency=EU_FREQ + "MONTHLY", modified=days_ago(1),
                      resources=[{"name": "Données", "format": "CSV",
                                  "url": "https://data.exemple.fr/d.csv"}])
    before = by_code(api(app, created["id"]))
    assert before["durable"]["status"] == "unknown"  # not checked yet
    assert "Données" in before["durable"]["evidence"]
    checked(created["id"])
    found = api(app, created["id"])
    criteria = by_code(found)
    assert list(criteria) == ["complete", "primary", "timely", "durable", "downloadable",
                              "machine_readable", "non_discriminatory", "open_standards",
                              "open_licence", "free_of_charge"]
    assert {c: v["status"] for c, v in criteria.items()} == {
        "complete": "unknown", "primary": "pass", "timely": "pass", "durable": "pass",
        "downloadable": "pass", "machine_readable": "pass", "non_discriminatory": "pass",
        "open_standards": "pass", "open_licence": "pass", "free_of_charge": "pass"}
    assert found["label"] == {**found["label"], "granted": False, "score": 9}
    assert "Licence Ouverte" in criteria["open_licence"]["evidence"]
    assert all(c["evidence"] for c in criteria.values())


def test_closed_format_and_a_paying_link_fail(app):
    created = dataset(partner(), frequency=EU_FREQ + "MONTHLY", modified=days_ago(1),
                      resources=[{"name": "Tableau", "format": "XLSX",
                                  "url": "https://data.exemple.fr/t.xlsx"}])
    checked(created["id"], status="error", report={"status": "error", "results": [
        {"check": "file", "status": "error", "findings": [
            {"code": "http_error", "severity": "error", "reason": "HTTP 402"}]}]})
    criteria = by_code(api(app, created["id"]))
    assert criteria["open_standards"]["status"] == "fail"
    assert "XLSX" in criteria["open_standards"]["evidence"]
    assert criteria["free_of_charge"]["status"] == "fail"
    assert "402" in criteria["free_of_charge"]["evidence"]
    assert criteria["durable"]["status"] == "fail"


def test_a_private_dataset_is_read_only_by_who_may_read_it(app):
    org = partner()
    created = dataset(org, private=True, frequency=EU_FREQ + "MONTHLY", modified=days_ago(1))
    assert api(app, created["id"], status=403)["__type"] == "Authorization Error"
    assert api(app, created["id"], user=factories.User()["name"], status=403)
    other = partner(name="autre-partenaire", title="Autre")
    assert api(app, created["id"], user=other["publisher"]["name"], status=403)
    found = api(app, created["id"], user=org["publisher"]["name"])
    assert by_code(found)["non_discriminatory"]["status"] == "fail"


def test_unknown_dataset_is_404_and_missing_id_409(app):
    assert api(app, "pas-de-jeu", status=404)["__type"] == "Not Found Error"
    error = app.get("/api/3/action/partnership_dataset_compliance", status=409).json["error"]
    assert "id" in error


def test_evidence_in_french(app):
    created = dataset(partner(), frequency=EU_FREQ + "MONTHLY", modified=days_ago(100))
    response = app.get("/fr/api/3/action/partnership_dataset_compliance",
                       query_string={"id": created["id"]})
    timely = by_code(response.json["result"])["timely"]
    assert "En retard de" in timely["evidence"]


def test_a_dataset_without_any_extra_is_assessed(with_plugins, clean_db, clean_index,
                                                 with_request_context):
    """A dataset holding none of the profile's fields, as an older portal or
    a harvester may have stored it (CKAN 2.12 then keeps no extras at all
    for it, not an empty set): assessed, listed, never a 500."""
    org = factories.Organization()
    bare = model.Package(name="sans-extras", title="Sans extras", owner_org=org["id"],
                         type="dataset", private=False, state="active")
    model.Session.add(bare)
    model.Session.commit()
    found = helpers.call_action("partnership_dataset_compliance",
                                context={"user": factories.Sysadmin()["name"]}, id=bare.id)
    assert found["freshness"]["state"] == "not_applicable"
    assert len(found["label"]["criteria"]) == 10
    shown = helpers.call_action("partnership_compliance_show", context={"user": ""},
                                organization=org["id"])
    assert [d["name"] for d in shown["datasets"]] == ["sans-extras"]
