# -*- coding: utf-8 -*-
"""Agreements at the size of a region: the lists and pages of agreements
send as many SQL statements for 10 rows as for 100 (never one per row),
they come a page at a time, and every organisation can be picked (not the
25 that ``organization_list`` gives with its fields)."""
from __future__ import annotations

import datetime as dt
import re

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.partnership import model as pmodel
from tests.sql import queries

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

VALIDATOR = {"user": "validateur"}


@pytest.fixture
def host():
    validator = factories.User(name="validateur")
    factories.Organization(name="region-sud", title="Région Sud",
                           users=[{"name": "validateur", "capacity": "editor"}])
    member = factories.User(name="membre")
    return {"validator": validator, "member": member,
            "tokens": {}}


def token(host, name):
    if name not in host["tokens"]:
        host["tokens"][name] = factories.APIToken(user=name)["token"]
    return {"Authorization": host["tokens"][name]}


def organization(number: int, member_id: str | None = None) -> model.Group:
    """An organisation, straight through the model (only setup)."""
    org = model.Group(name=f"commune-{number:03d}", title=f"Commune {number:03d}",
                      is_organization=True, type="organization")
    org.state = "active"
    model.Session.add(org)
    model.Session.flush()
    if member_id:
        model.Session.add(model.Member(group=org, table_name="user", table_id=member_id,
                                       capacity="editor", state="active"))
    return org


def package(org: model.Group, number: int, private: bool) -> model.Package:
    pkg = model.Package(name=f"{org.name}-jeu-{number:03d}", title=f"Jeu {number}",
                        owner_org=org.id, private=private, state="active", type="dataset")
    model.Session.add(pkg)
    return pkg


def annex(agreement: pmodel.Agreement, org: model.Group, user_id: str, start: int,
          stop: int) -> None:
    """Rows ``start`` to ``stop`` of each table hanging on the agreement."""
    for i in range(start, stop):
        day = dt.date(2020, 1, 1) + dt.timedelta(days=i)
        stamp = dt.datetime(2020, 1, 1) + dt.timedelta(seconds=i)
        pkg = package(org, i, private=bool(i % 2))
        model.Session.add_all([
            pmodel.Contact(agreement_id=agreement.id, role="producer", user_id=user_id,
                           since=day),
            pmodel.Contact(agreement_id=agreement.id, role="referent", name=f"Référent {i}",
                           email=f"ref{i}@exemple.fr", since=day, until=day),
            pmodel.Amendment(agreement_id=agreement.id, reference=f"AV-{i}", signed_on=day),
            pmodel.Document(agreement_id=agreement.id, kind="annex", title=f"Annexe {i}",
                            original_name=f"annexe-{i}.pdf", stored_name=f"annexe-{i}.pdf",
                            created=stamp),
            pmodel.CommitteeMeeting(agreement_id=agreement.id, held_on=day),
        ])
        model.Session.flush()
        model.Session.add(pmodel.PlannedDataset(agreement_id=agreement.id,
                                                title=f"Prévu {i}", package_id=pkg.id,
                                                created=stamp))


def agreements(first: int, last: int, member_id: str) -> None:
    """Agreements ``first`` to ``last`` (each its organisation, contacts, a
    document, an amendment, a meeting, a planned dataset), through the
    model: only setup, the reads go through the actions and the pages."""
    for number in range(first, last):
        org = organization(number, member_id)
        agreement = pmodel.Agreement(
            organization_id=org.id, reference=f"CONV-{number:03d}", effective_on=dt.date(2024, 1, 1),
            term="indefinite", renewal="none", publication_mode="validated",
            validation_sla_hours=48, comment_sla_hours=48, end_policy="keep", state="active")
        model.Session.add(agreement)
        model.Session.flush()
        annex(agreement, org, member_id, number, number + 1)
    model.Session.commit()


def sql_of(read):
    """The statements ``read`` sends, once warm (caches filled)."""
    read()
    with queries() as sent:
        read()
    return len(sent)


def reads(app, host, agreement_id):
    """Each list action and page of agreements, as a validator and (the
    list) as a partner's member."""
    def page(url):
        return lambda: app.get(url, headers=token(host, "validateur"), status=200)

    return {
        "partnership_agreement_list": lambda: helpers.call_action(
            "partnership_agreement_list", context=dict(VALIDATOR)),
        "partnership_agreement_list (member)": lambda: helpers.call_action(
            "partnership_agreement_list", context={"user": "membre"}),
        "partnership_agreement_count": lambda: helpers.call_action(
            "partnership_agreement_count", context=dict(VALIDATOR)),
        "/partnership/agreements": page("/partnership/agreements"),
        "/partnership/agreements?state=active": page("/partnership/agreements?state=active"),
        "agreement page": page(f"/partnership/agreements/{agreement_id}"),
        "partnership_agreement_show": lambda: helpers.call_action(
            "partnership_agreement_show", context=dict(VALIDATOR), id=agreement_id),
        "partnership_planned_dataset_list": lambda: helpers.call_action(
            "partnership_planned_dataset_list", context={"user": "membre"},
            agreement_id=agreement_id),
        "partnership_planned_dataset_count": lambda: helpers.call_action(
            "partnership_planned_dataset_count", context={"user": "membre"},
            agreement_id=agreement_id),
    }


def test_the_sql_of_10_agreements_is_that_of_100(app, host):
    member_id = host["member"]["id"]
    agreements(0, 10, member_id)
    one = model.Session.query(pmodel.Agreement).filter_by(reference="CONV-000").one()
    org = model.Session.get(model.Group, one.organization_id)
    annex(one, org, member_id, 1, 10)  # 10 rows of each table on that agreement
    model.Session.commit()
    assert len(helpers.call_action("partnership_agreement_list", context=dict(VALIDATOR))) == 10
    small = {name: sql_of(read) for name, read in reads(app, host, one.id).items()}

    agreements(10, 100, member_id)
    one = model.Session.query(pmodel.Agreement).filter_by(reference="CONV-000").one()
    annex(one, model.Session.get(model.Group, one.organization_id), member_id, 100, 190)
    model.Session.commit()
    listed = helpers.call_action("partnership_agreement_list", context=dict(VALIDATOR))
    assert len(listed) == 100 and all("contacts" in a for a in listed)
    shown = helpers.call_action("partnership_agreement_show", context=dict(VALIDATOR), id=one.id)
    assert (len(shown["contact_history"]), len(shown["documents"]), len(shown["amendments"]),
            len(shown["committee_meetings"]), len(shown["planned_datasets"])) == (
        200, 100, 100, 100, 100)
    large = {name: sql_of(read) for name, read in reads(app, host, one.id).items()}
    assert large == small


def test_a_member_reads_its_partners_in_full_and_the_others_public(host):
    member_id = host["member"]["id"]
    agreements(0, 2, member_id)
    outsider = organization(50)
    model.Session.add(pmodel.Agreement(
        organization_id=outsider.id, reference="CONV-050", effective_on=dt.date(2024, 1, 1),
        term="indefinite", renewal="none", publication_mode="validated",
        validation_sla_hours=48, comment_sla_hours=48, end_policy="keep", state="active"))
    model.Session.commit()
    listed = helpers.call_action("partnership_agreement_list", context={"user": "membre"})
    full = {a["reference"]: "calendar" in a for a in listed}
    assert full == {"CONV-000": True, "CONV-001": True, "CONV-050": False}
    public = next(a for a in listed if a["reference"] == "CONV-050")
    assert sorted(public) == sorted(["id", "organization", "reference", "state",
                                     "effective_on"])
    mine = next(a for a in listed if a["reference"] == "CONV-000")
    assert [(c["user"], c["name"], c["email"]) for c in mine["contacts"]] == [
        ("membre", host["member"]["fullname"], host["member"]["email"])]
    # the same day: in the order of the roles (publisher, producer, referent...)
    assert [(c["role"], c["user"], c["name"], c["until"] is None)
            for c in mine["contact_history"]] == [
        ("producer", "membre", host["member"]["fullname"], True),
        ("referent", None, "Référent 0", False)]
    # the private dataset of the annex shows to the partner's member only
    assert mine["planned_datasets"][0]["package_name"] == "commune-000-jeu-000"
    anonymous = helpers.call_action("partnership_agreement_list", context={"user": ""})
    assert all("calendar" not in a for a in anonymous)


def test_the_list_comes_a_window_at_a_time_with_its_count(host):
    agreements(0, 7, host["member"]["id"])
    everything = helpers.call_action("partnership_agreement_list", context=dict(VALIDATOR))
    assert [a["reference"] for a in everything] == [
        a["reference"] for a in sorted(everything, key=lambda a: (
            model.Group.get(a["organization"]).id, a["effective_on"], a["id"]))]
    window = helpers.call_action("partnership_agreement_list", context=dict(VALIDATOR),
                                 limit=3, offset=3)
    assert [a["id"] for a in window] == [a["id"] for a in everything[3:6]]
    assert helpers.call_action("partnership_agreement_count",
                               context=dict(VALIDATOR)) == {"count": 7}
    assert helpers.call_action("partnership_agreement_count", context=dict(VALIDATOR),
                               organization="commune-002") == {"count": 1}
    assert helpers.call_action("partnership_agreement_count", context=dict(VALIDATOR),
                               state="ended") == {"count": 0}
    assert [a["reference"] for a in helpers.call_action(
        "partnership_agreement_list", context=dict(VALIDATOR), organization="commune-002",
    )] == ["CONV-002"]


@pytest.mark.parametrize("action", ["partnership_agreement_list",
                                    "partnership_planned_dataset_list"])
@pytest.mark.parametrize("window", [{"limit": 0}, {"limit": 1001}, {"limit": "dix"},
                                    {"offset": -1}])
def test_a_bad_window_is_refused_naming_the_field(app, host, action, window):
    agreements(0, 1, host["member"]["id"])
    agreement_id = model.Session.query(pmodel.Agreement.id).scalar()
    field = next(iter(window))
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action(action, context=dict(VALIDATOR), agreement_id=agreement_id,
                            **window)
    assert list(error.value.error_dict) == [field]
    response = app.post(f"/api/3/action/{action}", json={"agreement_id": agreement_id, **window},
                        headers=token(host, "validateur"), status=409)
    assert field in response.json["error"]


def test_the_annex_comes_a_window_at_a_time_with_its_count(host):
    agreements(0, 1, host["member"]["id"])
    one = model.Session.query(pmodel.Agreement).one()
    annex(one, model.Session.get(model.Group, one.organization_id), host["member"]["id"], 1, 5)
    model.Session.commit()
    everything = helpers.call_action("partnership_planned_dataset_list",
                                     context={"user": "membre"}, agreement_id=one.id)
    assert [p["title"] for p in everything] == [f"Prévu {i}" for i in range(5)]
    window = helpers.call_action("partnership_planned_dataset_list", context={"user": "membre"},
                                 organization="commune-000", limit=2, offset=1)
    assert [p["title"] for p in window] == ["Prévu 1", "Prévu 2"]
    assert helpers.call_action("partnership_planned_dataset_count", context={"user": ""},
                               organization="commune-000") == {"count": 5}
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("partnership_planned_dataset_count", context={"user": ""},
                            agreement_id="nope")


def test_the_page_of_agreements_is_paginated_and_keeps_its_filters(app, host):
    agreements(0, 60, host["member"]["id"])
    first = app.get("/partnership/agreements?state=active",
                    headers=token(host, "validateur")).body
    assert "60 conventions" in first
    read = re.compile(r'href="/partnership/agreements/[0-9a-f-]{36}"')
    assert len(read.findall(first)) == 50
    assert re.search(r'href="/partnership/agreements\?[^"]*state=active[^"]*page=2"', first) or \
        re.search(r'href="/partnership/agreements\?[^"]*page=2[^"]*state=active', first)
    second = app.get("/partnership/agreements?state=active&page=2",
                     headers=token(host, "validateur")).body
    assert len(read.findall(second)) == 10


def test_the_agreement_page_shows_its_annex_a_page_at_a_time(app, host):
    agreements(0, 1, host["member"]["id"])
    one = model.Session.query(pmodel.Agreement).one()
    annex(one, model.Session.get(model.Group, one.organization_id), host["member"]["id"], 1, 55)
    model.Session.commit()
    url = f"/partnership/agreements/{one.id}"
    first = app.get(url, headers=token(host, "membre")).body
    assert "55 jeux de données prévus" in first
    assert first.count("partnership-planned-status") == 50
    assert f'href="{url}?page=2"' in first
    second = app.get(url + "?page=2", headers=token(host, "membre")).body
    assert second.count("partnership-planned-status") == 5
    assert "Prévu 54" in second and "Prévu 54" not in first


def test_every_organisation_is_a_partner_to_pick_past_cknas_cap_of_25(app, host):
    member_id = host["member"]["id"]
    agreements(0, 30, member_id)
    model.Session.commit()
    page = app.get("/partnership/agreements", headers=token(host, "validateur")).body
    form = app.get("/partnership/agreements/new", headers=token(host, "validateur")).body
    for number in range(30):
        title = f"Commune {number:03d}"
        assert re.search(rf'<option value="commune-{number:03d}"\s*>{title}</option>', page), title
        assert f"<td>{title}</td>" in page, title
        assert re.search(rf'<option value="commune-{number:03d}"\s*>{title}</option>', form), title
    assert "Région Sud" in form
