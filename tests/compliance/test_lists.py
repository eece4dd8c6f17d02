# -*- coding: utf-8 -*-
"""The figures per partner through the API: one partner's datasets late
first, the criteria failing most and its months; the table of every
partner, sorted and windowed in SQL; public datasets only, for everyone."""
from __future__ import annotations

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.partnership import compliance, notify
from tests.compliance.test_dataset_compliance import (
    EU_FREQ, TODAY, checked, dataset, days_ago, partner,
)
from tests.sql import queries

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index",
                                     "with_request_context")

CSV = [{"name": "Données", "format": "CSV", "url": "https://data.exemple.fr/d.csv"}]


def show(**params):
    return helpers.call_action("partnership_compliance_show", context={"user": ""}, **params)


def listed(**params):
    return helpers.call_action("partnership_compliance_list", context={"user": ""}, **params)


def errors_of(action, **params):
    with pytest.raises(tk.ValidationError) as caught:
        helpers.call_action(action, context={"user": ""}, **params)
    return caught.value.error_dict


def _mixed(org):
    """Late by ~62 and by 11 days, not applicable, fresh without a file,
    fresh with a checked file."""
    late_long = dataset(org, title="B très en retard", frequency=EU_FREQ + "MONTHLY",
                        modified=days_ago(100))
    late_short = dataset(org, title="A un peu en retard", frequency=EU_FREQ + "WEEKLY",
                         modified=days_ago(20))
    as_needed = dataset(org, title="C au besoin", frequency=EU_FREQ + "AS_NEEDED",
                        modified=days_ago(1))
    bare = dataset(org, title="D à jour sans fichier", frequency=EU_FREQ + "MONTHLY",
                   modified=days_ago(1))
    good = dataset(org, title="E à jour", frequency=EU_FREQ + "MONTHLY",
                   modified=days_ago(1), resources=CSV)
    checked(good["id"])
    compliance.refresh(good["id"])  # as the ``checked`` signal does
    model.Session.commit()
    return [late_long, late_short, as_needed, bare, good]


def test_show_gives_the_summary_the_datasets_late_first_and_the_failing_criteria():
    org = partner()
    made = _mixed(org)
    found = show(organization=org["name"])
    assert found["organization"] == {"id": org["id"], "name": org["name"],
                                     "title": org["title"]}
    summary = found["summary"]
    assert {k: summary[k] for k in ("datasets", "fresh", "late", "not_applicable")} == {
        "datasets": 5, "fresh": 2, "late": 2, "not_applicable": 1}
    assert set(summary) == {"datasets", "fresh", "late", "not_applicable", "label_granted",
                            "median_score"}
    rows = found["datasets"]
    # the most days late first, then the lowest score, then the title
    assert [r["id"] for r in rows[:2]] == [made[0]["id"], made[1]["id"]]
    assert rows[0]["freshness"]["days_late"] > rows[1]["freshness"]["days_late"] > 0
    scores = [r["label"]["score"] for r in rows[2:]]
    assert scores == sorted(scores) and scores[0] < scores[-1]
    assert rows[-1]["id"] == made[4]["id"]
    assert set(rows[0]) == {"id", "name", "title", "freshness", "label"}
    assert len(rows[0]["label"]["criteria"]) == 10
    failing = {f["code"]: f["count"] for f in found["failing_criteria"]}
    assert failing["timely"] == 2
    assert failing["durable"] == 4  # every dataset but the one with a file
    counts = [f["count"] for f in found["failing_criteria"]]
    assert counts == sorted(counts, reverse=True) and min(counts) >= 1
    assert found["history"] == []


def test_the_window_walks_the_datasets_and_bad_windows_are_409s():
    org = partner()
    made = _mixed(org)
    whole = [r["id"] for r in show(organization=org["id"])["datasets"]]
    walked = []
    for offset in (0, 2, 4):
        walked += [r["id"] for r in show(organization=org["id"], limit=2,
                                          offset=offset)["datasets"]]
    assert walked == whole and len(set(walked)) == len(made)
    for key, value in (("limit", 0), ("limit", 1001), ("offset", -1), ("limit", "x")):
        assert key in errors_of("partnership_compliance_show", organization=org["id"],
                                **{key: value})
    assert "organization" in errors_of("partnership_compliance_show")
    with pytest.raises(tk.ObjectNotFound):
        show(organization="nulle-part")


def test_a_private_and_a_deleted_dataset_are_neither_listed_nor_counted():
    org = partner()
    sysadmin = factories.Sysadmin()["name"]
    public = dataset(org, title="Publique", frequency=EU_FREQ + "MONTHLY",
                     modified=days_ago(1))
    secret = dataset(org, title="Secret privé", frequency=EU_FREQ + "MONTHLY",
                     modified=days_ago(100), private=True)
    gone = dataset(org, title="Supprimé", frequency=EU_FREQ + "MONTHLY",
                   modified=days_ago(100))
    helpers.call_action("package_delete", context={"user": sysadmin}, id=gone["id"])
    notify.run(TODAY)
    found = show(organization=org["id"])
    assert [r["id"] for r in found["datasets"]] == [public["id"]]
    assert (found["summary"]["datasets"], found["summary"]["late"]) == (1, 0)
    assert "timely" not in {f["code"] for f in found["failing_criteria"]}
    assert [(h["datasets"], h["late"]) for h in found["history"]] == [(1, 0)]
    assert found["history"][0]["month"] == f"{TODAY:%Y-%m}"
    [row] = listed()
    assert (row["summary"]["datasets"], row["summary"]["late"]) == (1, 0)
    assert secret["id"] not in str(found) and gone["id"] not in str(found)


def test_an_organisation_without_datasets_has_zeros():
    org = partner()
    found = show(organization=org["id"])
    assert found["summary"]["datasets"] == 0 and found["summary"]["median_score"] is None
    assert (found["datasets"], found["failing_criteria"], found["history"]) == ([], [], [])


def _partners(n):
    orgs = []
    for i in range(n):
        org = partner(name=f"partenaire-{i}", title=f"Partenaire {i}")
        for _ in range(i + 1):
            dataset(org, frequency=EU_FREQ + "MONTHLY", modified=days_ago(1 if i % 2 else 100))
        orgs.append(org)
    return orgs


def test_the_list_sorts_in_sql_windows_and_counts_every_partner_but_the_host():
    factories.Organization(name="region-sud", title="Région Sud")
    orgs = _partners(4)
    count = helpers.call_action("partnership_compliance_count", context={"user": ""})
    assert count == {"count": 4}
    rows = listed()
    assert [r["organization"]["name"] for r in rows] == [o["name"] for o in orgs]
    assert set(rows[0]) == {"organization", "summary", "quotas"}
    by_datasets = listed(sort="datasets", order="desc")
    assert [r["summary"]["datasets"] for r in by_datasets] == [4, 3, 2, 1]
    by_late = listed(sort="late", order="desc")
    assert [r["summary"]["late"] for r in by_late] == [3, 1, 0, 0]
    # ties of a sort by title
    assert [r["organization"]["name"] for r in by_late[2:]] == ["partenaire-1", "partenaire-3"]
    share = listed(sort="fresh_share", order="asc")
    assert [r["summary"]["fresh"] / r["summary"]["datasets"] for r in share] == [0, 0, 1, 1]
    walked = listed(sort="late", order="desc", limit=3) + listed(sort="late", order="desc",
                                                                  limit=3, offset=3)
    assert walked == by_late
    for key, value in (("sort", "name"), ("order", "up"), ("limit", 0), ("offset", "x")):
        assert key in errors_of("partnership_compliance_list", **{key: value})


def test_a_partner_without_a_public_dataset_sorts_last_on_its_median():
    orgs = _partners(2)
    empty = partner(name="vide", title="AAA vide")
    for order in ("asc", "desc"):
        rows = listed(sort="median_score", order=order)
        assert rows[-1]["organization"]["id"] == empty["id"]
    assert {r["organization"]["id"] for r in rows} == {o["id"] for o in orgs + [empty]}


def test_queries_do_not_grow_with_the_partners_nor_the_datasets():
    def measured(org_id):
        with queries() as shown:
            show(organization=org_id)
        with queries() as partners:
            listed()
        return len(shown), len(partners)

    first = partner(name="premier", title="Premier")
    dataset(first, frequency=EU_FREQ + "MONTHLY", modified=days_ago(1), resources=CSV)
    one = measured(first["id"])
    for _ in range(4):
        dataset(first, frequency=EU_FREQ + "MONTHLY", modified=days_ago(100), resources=CSV)
    _partners(4)
    assert measured(first["id"]) == one


def test_anonymous_reads_both_through_the_api(app):
    org = partner()
    dataset(org, frequency=EU_FREQ + "MONTHLY", modified=days_ago(1))
    shown = app.get("/api/3/action/partnership_compliance_show",
                    query_string={"organization": org["name"]}).json["result"]
    assert shown["summary"]["datasets"] == 1
    rows = app.get("/api/3/action/partnership_compliance_list").json["result"]
    assert [r["organization"]["id"] for r in rows] == [org["id"]]
    assert app.get("/api/3/action/partnership_compliance_count").json["result"] == {"count": 1}
    bad = app.get("/api/3/action/partnership_compliance_list",
                  query_string={"sort": "nom"}, status=409).json["error"]
    assert "sort" in bad
    app.get("/api/3/action/partnership_compliance_show",
            query_string={"organization": "inconnue"}, status=404)


def test_the_quotas_go_to_the_partner_s_members_and_the_validators_only():
    from tests.compliance.test_quotas import agree

    factories.User(name="validateur")
    factories.Organization(name="region-sud",
                           users=[{"name": "validateur", "capacity": "editor"}])
    org = partner(name="gap", title="Ville de Gap")
    other = partner(name="digne", title="Ville de Digne")
    agree(org, quota_records_total=100)
    agree(other, quota_records_total=50)
    member = org["publisher"]["name"]

    def as_user(user, action, **params):
        return helpers.call_action(action, context={"user": user}, **params)

    for user in ("validateur", member):
        quotas = as_user(user, "partnership_compliance_show", organization="gap")["quotas"]
        assert [q["code"] for q in quotas] == [
            "records_per_dataset", "records_total", "storage_bytes",
            "updates_per_day_bytes", "api_calls_per_month"]
        assert {q["code"]: q["limit"] for q in quotas}["records_total"] == 100
    for user in ("", other["publisher"]["name"], factories.User()["name"]):
        assert as_user(user, "partnership_compliance_show", organization="gap")["quotas"] is None
    rows = {r["organization"]["name"]: r["quotas"]
            for r in as_user("validateur", "partnership_compliance_list")}
    assert {q["code"]: q["limit"] for q in rows["gap"]}["records_total"] == 100
    assert {q["code"]: q["limit"] for q in rows["digne"]}["records_total"] == 50
    rows = {r["organization"]["name"]: r["quotas"]
            for r in as_user(member, "partnership_compliance_list")}
    assert rows["digne"] is None and rows["gap"] is not None
    assert all(r["quotas"] is None for r in listed())


def test_the_quotas_cost_the_same_queries_for_one_partner_and_for_five():
    factories.User(name="validateur")
    factories.Organization(name="region-sud",
                           users=[{"name": "validateur", "capacity": "editor"}])

    def measured():
        with queries() as partners:
            helpers.call_action("partnership_compliance_list", context={"user": "validateur"})
        return len(partners)

    partner(name="premier", title="Premier")
    one = measured()
    _partners(4)
    assert measured() == one
