# -*- coding: utf-8 -*-
"""The store the lists read (``partnership_dataset_compliance``): kept up
to date by a save, a file's checks, a declaration and ``notify``; the
per-partner figures in one SQL query agree with the per-dataset answer."""
from __future__ import annotations

import datetime as dt
import statistics

import pytest

import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.partnership import compliance, notify, resource_checks
from ckanext.partnership import model as pmodel
from tests.compliance.test_dataset_compliance import (
    EU_FREQ, TODAY, checked, dataset, days_ago, partner,
)
from tests.sql import queries

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index",
                                     "with_request_context")

CSV = [{"name": "Données", "format": "CSV", "url": "https://data.exemple.fr/d.csv"}]


def row(package_id):
    model.Session.expire_all()
    return model.Session.get(pmodel.DatasetCompliance, package_id)


def test_a_save_stores_the_row_and_an_update_changes_it():
    created = dataset(partner(), frequency=EU_FREQ + "MONTHLY", modified=days_ago(100))
    stored = row(created["id"])
    assert stored.frequency == EU_FREQ + "MONTHLY"
    assert stored.last_update == TODAY - dt.timedelta(days=100)
    assert stored.expected_by < TODAY and stored.timely_fixed is None
    assert stored.criteria["timely"] == "fail"
    helpers.call_action("package_patch", context={"user": factories.Sysadmin()["name"]},
                        id=created["id"], frequency=EU_FREQ + "AS_NEEDED")
    stored = row(created["id"])
    assert (stored.expected_by, stored.timely_fixed) == (None, "not_applicable")


def test_a_files_checks_stored_update_the_row():
    created = dataset(partner(), frequency=EU_FREQ + "MONTHLY", modified=days_ago(1),
                      resources=CSV)
    assert row(created["id"]).criteria["durable"] == "unknown"
    checked(created["id"])
    resource_checks.checked.send(created["id"])  # as the worker does once stored
    assert row(created["id"]).criteria["durable"] == "pass"


def test_notify_brings_missing_and_stale_rows_up_to_date_once():
    created = dataset(partner(), frequency=EU_FREQ + "MONTHLY", modified=days_ago(1),
                      resources=CSV)
    other = dataset(partner(name="autre", title="Autre"), frequency=EU_FREQ + "WEEKLY",
                    modified=days_ago(1))
    model.Session.query(pmodel.DatasetCompliance).filter_by(package_id=other["id"]).delete()
    # a check stored without its signal (the receiver failed): stale
    checked(created["id"])
    assert row(created["id"]).criteria["durable"] == "unknown"
    assert sorted(compliance.stale_ids(10)) == sorted([created["id"], other["id"]])
    lines = notify.run(TODAY)
    assert "compliance: 2 dataset(s) assessed again" in lines
    assert row(created["id"]).criteria["durable"] == "pass"
    assert row(other["id"]).frequency == EU_FREQ + "WEEKLY"
    assert compliance.stale_ids(10) == []
    assert not [line for line in notify.run(TODAY) if line.startswith("compliance")]


def _mixed(org):
    """Public datasets in every state, a private and a deleted one."""
    sysadmin = factories.Sysadmin()["name"]
    ids = []
    # (a file created today is the last update of its dataset)
    for frequency, modified, files in ((EU_FREQ + "MONTHLY", days_ago(1), CSV),
                                       (EU_FREQ + "MONTHLY", days_ago(100), []),
                                       (EU_FREQ + "WEEKLY", days_ago(20), []),
                                       (EU_FREQ + "ANNUAL", days_ago(300), CSV),
                                       (EU_FREQ + "AS_NEEDED", days_ago(900), CSV),
                                       (EU_FREQ + "UNKNOWN", days_ago(1), CSV)):
        ids.append(dataset(org, user=sysadmin, frequency=frequency, modified=modified,
                           resources=files)["id"])
    checked(ids[0])
    checked(ids[4])
    helpers.call_action("partnership_label_declare", context={"user": sysadmin},
                        id=ids[4], criterion="complete", status="pass")
    helpers.call_action("partnership_label_declare", context={"user": sysadmin},
                        id=ids[0], criterion="complete", status="pass")
    dataset(org, user=sysadmin, private=True, frequency=EU_FREQ + "MONTHLY",
            modified=days_ago(100))
    gone = dataset(org, user=sysadmin, frequency=EU_FREQ + "MONTHLY", modified=days_ago(100))
    helpers.call_action("package_delete", context={"user": sysadmin}, id=gone["id"])
    return ids


def _expected(ids, on):
    found = [compliance.assess(model.Package.get(i), on) for i in ids]
    states = [f.state for f, _ in found]
    return {"datasets": len(ids), "fresh": states.count("fresh"), "late": states.count("late"),
            "not_applicable": states.count("not_applicable"),
            "label_granted": sum(label.granted for _, label in found),
            "median_score": float(statistics.median(label.score for _, label in found))}


@pytest.mark.parametrize("days_later", [0, 30, 400])
def test_the_sql_figures_agree_with_each_datasets_answer(days_later):
    org = partner()
    ids = _mixed(org)
    on = TODAY + dt.timedelta(days=days_later)
    got = compliance.summaries([org["id"]], on)[org["id"]]
    assert got == _expected(ids, on)
    if days_later == 0:
        assert got["fresh"] == 2 and got["late"] == 2 and got["not_applicable"] == 2
        assert got["label_granted"] == 2


def test_the_figures_of_a_partner_without_public_dataset_and_of_all():
    org, empty = partner(), partner(name="vide", title="Vide")
    ids = _mixed(org)
    got = compliance.summaries([org["id"], empty["id"]], TODAY)
    assert got[empty["id"]] == {"datasets": 0, "fresh": 0, "late": 0, "not_applicable": 0,
                                "label_granted": 0, "median_score": None}
    assert compliance.summaries(None, TODAY) == {org["id"]: _expected(ids, TODAY)}


def test_one_query_whatever_the_number_of_datasets():
    small, large = partner(), partner(name="grand", title="Grand")
    for _ in range(2):
        dataset(small, frequency=EU_FREQ + "MONTHLY", modified=days_ago(1))
    for _ in range(8):
        dataset(large, frequency=EU_FREQ + "MONTHLY", modified=days_ago(100))
    with queries() as one:
        compliance.summaries([small["id"]], TODAY)
    with queries() as many:
        got = compliance.summaries([small["id"], large["id"]], TODAY)
    assert len(one) == len(many) == 1
    assert got[large["id"]]["late"] == 8


def test_assessing_many_datasets_costs_a_fixed_number_of_queries():
    org = partner()
    few = [dataset(org, resources=CSV)["id"] for _ in range(2)]
    more = few + [dataset(org, resources=CSV * 2)["id"] for _ in range(5)]
    counts = []
    for ids in (few, more):
        model.Session.remove()
        with queries() as sent:
            compliance.refresh(*ids)
        counts.append(len(sent))
    assert counts[0] == counts[1]
