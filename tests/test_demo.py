# -*- coding: utf-8 -*-
"""The demo content that `make demo` loads."""
from __future__ import annotations

import datetime as dt

import pytest

import ckan.model as model
from ckan.tests import helpers

from ckanext.partnership import demo


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDemoLoad:
    def test_creates_the_host_partners_accounts_and_datasets(self):
        created = list(demo.load())

        orgs = helpers.call_action("organization_list")
        assert sorted(orgs) == sorted(
            [demo.HOST["name"]] + [p["name"] for p in demo.PARTNERS]
        )
        for name, _fullname, role, org, capacity in demo.ACCOUNTS:
            user = model.User.get(name)
            assert user is not None, name
            assert user.sysadmin == (role == "sysadmin")
            if org:
                members = helpers.call_action(
                    "member_list", id=org, object_type="user"
                )
                assert (user.id, "user", capacity.capitalize()) in [
                    tuple(m) for m in members
                ]
        linked = sum(1 for p in demo.PLANNED.values() for x in p if x.get("link"))
        assert len(created) == len(demo.ACCOUNTS) + 4 + 3 + len(demo.DATASETS) + linked

        # each partner has an agreement in force; one notice deadline is near
        deadlines = []
        for partner in demo.PARTNERS:
            agreement = helpers.call_action(
                "partnership_agreement_show", context={"user": "validateur"},
                organization=partner["name"],
            )
            assert agreement["state"] == "active"
            assert [c["user"] for c in agreement["contacts"] if c["role"] == "publisher"] == [
                partner["short"] + "-publicateur"]
            deadlines.append(dt.date.fromisoformat(agreement["calendar"]["notice_deadline"]))
        assert min(d - dt.date.today() for d in deadlines) <= dt.timedelta(days=30)

        # annexes: delivered and still planned; a committee warning for Aix
        annex = helpers.call_action("partnership_planned_dataset_list",
                                    organization="ville-aix-en-provence")
        assert [p["delivered"] for p in annex] == [True, True, False]
        aix = helpers.call_action("partnership_agreement_show", context={"user": "validateur"},
                                  organization="ville-aix-en-provence")
        assert aix["committee_overdue"] is True

        public = helpers.call_action("package_search", q="*:*")
        assert public["count"] == len([d for d in demo.DATASETS if not d["private"]])
        college = helpers.call_action(
            "package_show", id="colleges-publics-bouches-du-rhone"
        )
        assert college["organization"]["title"] == "Département des Bouches-du-Rhône"
        [resource] = college["resources"]
        assert resource["format"] == "CSV"
        assert resource["url_type"] == "upload"
        assert resource["url"].endswith("/colleges-publics-13.csv")

    def test_running_again_keeps_what_changed(self):
        list(demo.load())
        publisher = {"user": "aix-publicateur"}
        helpers.call_action(
            "package_patch",
            context={"user": "ccvh-publicateur"},
            id="horaires-decheteries-vallee-herault",
            title="Horaires d'hiver des déchèteries",
        )
        helpers.call_action(
            "package_create",
            context=publisher,
            name="ajout-entre-deux",
            title="Ajouté entre deux chargements",
            owner_org="ville-aix-en-provence",
            private=True,
        )

        assert list(demo.load()) == []

        assert (
            helpers.call_action("package_show", id="horaires-decheteries-vallee-herault")[
                "title"
            ]
            == "Horaires d'hiver des déchèteries"
        )
        assert helpers.call_action("package_show", id="ajout-entre-deux")

    def test_describe_accounts_names_every_account_and_the_password(self):
        text = demo.describe_accounts()
        assert demo.PASSWORD in text
        for name, *_ in demo.ACCOUNTS:
            assert name in text
