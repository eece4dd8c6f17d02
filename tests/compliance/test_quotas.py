# -*- coding: utf-8 -*-
"""The quotas measured for real (002 §3.3: "300 000 enregistrements maximum
par jeu de données", "20 millions d'enregistrements", "30 Go de contenu",
"1 Go de mises à jour par jour", "300 000 appels API par mois mutualisés"):
files uploaded through CKAN, checked by the real check job, counted in
SQL; the queries are the same for one partner and for five."""
from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

import ckan.lib.jobs as jobs
import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.partnership import compliance, resource_checks
from tests.factories import full_dataset, partner
from tests.logic.test_agreements import agreement_004
from tests.sql import queries

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis",
                                     "with_request_context")

A = b"commune,nombre\nAix,1\nArles,2\nGap,3\n"  # 3 records
B = b"commune,nombre\nNice,4\nDigne,5\n"          # 2 records
C = b"commune,nombre\nToulon,6\n"                  # 1 record


@pytest.fixture(autouse=True)
def empty_queue():
    jobs.get_queue().empty()
    yield
    jobs.get_queue().empty()


@pytest.fixture
def host():
    factories.User(name="validateur")
    factories.Organization(name="region-sud",
                           users=[{"name": "validateur", "capacity": "editor"}])


def agree(org, **quotas):
    return helpers.call_action("partnership_agreement_create", context={"user": "validateur"},
                               **agreement_004(organization=org["name"], contacts=[],
                                               reference=f"CONV-{org['name']}", **quotas))


def dataset(org, **overrides):
    return helpers.call_action("package_create", context={"user": org["publisher"]["name"]},
                               **full_dataset(org, conforms_to="", private=True,
                                              name=f"donnees-{uuid.uuid4().hex[:8]}",
                                              **overrides))


def upload(org, package, name, content, check=True):
    resource = helpers.call_action(
        "resource_create", context={"user": org["publisher"]["name"]},
        package_id=package["id"], name=name, url=name, format="CSV",
        upload=FileStorage(io.BytesIO(content), filename=name, content_type="text/csv"))
    if check:
        resource_checks.run(resource["id"])
    return resource


def figures(org, today=None):
    return {q["code"]: q for q in compliance.quota_usage(org["id"], today or dt.date.today())}


def used(org, today=None):
    return {code: q["used"] for code, q in figures(org, today).items()}


def test_what_each_figure_counts(host):
    """Each quota counts what the agreement says: records per dataset and in all, stored
    bytes, bytes changed in the day and API calls, against its limits (002 §3.3)."""
    aix = partner(name="ville-aix")
    agree(aix, quota_records_per_dataset=10, quota_records_total=8, quota_storage_bytes=10**6,
          quota_updates_per_day_bytes=10**6, quota_api_calls_per_month=1000)
    first = dataset(aix)            # private: its files use the storage all the same
    upload(aix, first, "a.csv", A)
    upload(aix, first, "b.csv", B)
    removed = upload(aix, first, "gone.csv", C)
    helpers.call_action("resource_delete", context={"user": aix["publisher"]["name"]},
                        id=removed["id"])
    second = dataset(aix)
    upload(aix, second, "c.csv", C)
    # a link to another server: its rows count, its bytes are not stored here
    helpers.call_action("resource_create", context={"user": aix["publisher"]["name"]},
                        package_id=second["id"], url="https://data.example.invalid/x.csv",
                        format="CSV")
    deleted = dataset(aix)
    upload(aix, deleted, "d.csv", A + B)
    helpers.call_action("package_delete", context={"user": aix["publisher"]["name"]},
                        id=deleted["id"])
    # another partner's files are not Aix's
    other = partner(name="ville-gap")
    upload(other, dataset(other), "e.csv", A)

    assert used(aix) == {
        "records_per_dataset": 5,              # a.csv + b.csv
        "records_total": 6,                    # + c.csv
        "storage_bytes": len(A) + len(B) + len(C),
        "updates_per_day_bytes": len(A) + len(B) + len(C),
        "api_calls_per_month": 0,
    }
    shown = figures(aix)
    assert shown["records_total"] == {"code": "records_total", "used": 6, "limit": 8,
                                      "share": 0.75, "level": "ok"}
    assert shown["storage_bytes"]["limit"] == 10**6
    assert [q["code"] for q in compliance.quota_usage(aix["id"], dt.date.today())] == [
        "records_per_dataset", "records_total", "storage_bytes", "updates_per_day_bytes",
        "api_calls_per_month"]
    # yesterday's change is not today's
    model.Session.execute(sa.text(
        "UPDATE resource SET created = created - interval '1 day', "
        "last_modified = last_modified - interval '1 day' WHERE name = 'a.csv'"))
    model.Session.commit()
    assert used(aix)["updates_per_day_bytes"] == len(B) + len(C)
    assert used(aix)["storage_bytes"] == len(A) + len(B) + len(C)
    # the file's day, not any day: tomorrow nothing has changed yet
    assert used(aix, dt.date.today() + dt.timedelta(days=1))["updates_per_day_bytes"] == 0


def test_a_size_edited_by_hand_hides_nothing_once_checked(host):
    aix = partner(name="ville-aix")
    agree(aix, quota_storage_bytes=len(A))
    resource = upload(aix, dataset(aix), "a.csv", A + B)
    assert figures(aix)["storage_bytes"]["level"] == "exceeded"
    helpers.call_action("resource_patch", context={"user": aix["publisher"]["name"]},
                        id=resource["id"], size=1)
    resource_checks.run(resource["id"])  # the changed record is checked again
    assert used(aix)["storage_bytes"] == len(A + B)
    assert figures(aix)["storage_bytes"]["level"] == "exceeded"


def test_records_per_dataset_agree_with_the_check_that_blocks_publication(host):
    aix = partner(name="ville-aix")
    agree(aix, quota_records_per_dataset=4)
    package = dataset(aix)
    upload(aix, package, "a.csv", A)
    assert figures(aix)["records_per_dataset"] == {
        "code": "records_per_dataset", "used": 3, "limit": 4, "share": 0.75, "level": "ok"}
    second = upload(aix, package, "b.csv", B)
    checks = helpers.call_action("partnership_resource_checks_show",
                                 context={"user": aix["publisher"]["name"]}, id=second["id"])
    [over] = [f for c in checks["checks"] if c["check"] == "row_quota" for f in c["findings"]]
    assert (over["count"], over["quota"]) == (5, 4)
    assert figures(aix)["records_per_dataset"] == {
        "code": "records_per_dataset", "used": 5, "limit": 4, "share": 1.25,
        "level": "exceeded"}


def test_no_agreement_in_force_no_limit(host):
    aix = partner(name="ville-aix")
    agree(aix, quota_records_total=1, state="draft")
    upload(aix, dataset(aix), "a.csv", A)
    assert figures(aix)["records_total"] == {"code": "records_total", "used": 3,
                                             "limit": None, "share": None, "level": "ok"}


def test_the_api_calls_are_the_same_figure_for_every_partner(host, app):
    aix, gap = partner(name="ville-aix"), partner(name="ville-gap")
    agree(aix, quota_api_calls_per_month=4)
    agree(gap, quota_api_calls_per_month=100)
    for _ in range(4):
        app.get("/api/3/action/status_show")
    both = compliance.quota_usages([aix["id"], gap["id"]], dt.date.today())
    assert [q for q in both[aix["id"]] if q["code"] == "api_calls_per_month"] == [
        {"code": "api_calls_per_month", "used": 4, "limit": 4, "share": 1.0,
         "level": "warning"}]
    assert [q for q in both[gap["id"]] if q["code"] == "api_calls_per_month"] == [
        {"code": "api_calls_per_month", "used": 4, "limit": 100, "share": 0.04,
         "level": "ok"}]


def test_the_queries_are_the_same_for_one_partner_and_for_five(host):
    partners = []
    for i in range(5):
        org = partner(name=f"commune-{i}")
        agree(org, quota_records_total=100 + i)
        upload(org, dataset(org), "a.csv", A, check=(i % 2 == 0))
        partners.append(org)
    today = dt.date.today()
    with queries() as one:
        alone = compliance.quota_usages([partners[0]["id"]], today)
    with queries() as five:
        together = compliance.quota_usages([p["id"] for p in partners], today)
    assert len(one) == len(five) <= 4
    assert together[partners[0]["id"]] == alone[partners[0]["id"]]
    assert [next(q["used"] for q in together[p["id"]] if q["code"] == "records_total")
            for p in partners] == [3, 0, 3, 0, 3]
    assert [next(q["limit"] for q in together[p["id"]] if q["code"] == "records_total")
            for p in partners] == [100, 101, 102, 103, 104]


def test_the_whole_portal(host, app):
    aix, gap, nice = (partner(name="ville-aix"), partner(name="ville-gap"),
                      partner(name="ville-nice"))
    agree(aix, quota_api_calls_per_month=300000, quota_records_total=1)
    agree(gap, quota_api_calls_per_month=2)
    agree(nice, quota_api_calls_per_month=1, state="draft")  # not in force: not binding
    upload(aix, dataset(aix), "a.csv", A)
    gap_dataset = dataset(gap)
    upload(gap, gap_dataset, "b.csv", B)
    upload(gap, gap_dataset, "c.csv", C)
    for _ in range(3):
        app.get("/api/3/action/status_show")
    portal = {q["code"]: q for q in compliance.portal_quota_usage(dt.date.today())}
    assert {code: (q["used"], q["limit"]) for code, q in portal.items()} == {
        "records_per_dataset": (3, None),
        "records_total": (6, None),
        "storage_bytes": (len(A) + len(B) + len(C), None),
        "updates_per_day_bytes": (len(A) + len(B) + len(C), None),
        "api_calls_per_month": (3, 2),        # the smallest limit in force
    }
    assert portal["api_calls_per_month"]["level"] == "exceeded"
