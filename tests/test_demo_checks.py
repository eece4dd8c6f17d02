# -*- coding: utf-8 -*-
"""The demo's files pass the checks of their standard, through the real
check job, except one public example that says in its description that it
fails on purpose; the validators' flagged list shows that one only."""
from __future__ import annotations

import csv
import hashlib
import io
import os
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

import ckan.lib.uploader as uploader
import ckan.model as model
from ckan.tests import helpers

from ckanext.partnership import demo, resource_checks
from ckanext.partnership.checks.custom import siren_valid, siret_valid

EARLIER = Path(__file__).parent / "fixtures" / "demo-earlier"
VALIDATOR = {"user": "validateur", "ignore_auth": False}


def rows(filename):
    with open(os.path.join(demo.DATA, filename), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def check_everything():
    """Run the real check job on every demo file, as the worker does."""
    for spec in demo.DATASETS:
        for resource in model.Package.get(spec["name"]).resources:
            resource_checks.queue(resource.id)
            model.Session.commit()
            resource_checks.run(resource.id)


def shown(name):
    return helpers.call_action("package_show", context={"user": "validateur"}, id=name)


def stored_bytes(resource):
    path = uploader.get_resource_uploader(
        {"id": resource["id"], "url_type": "upload"}).get_path(resource["id"])
    with open(path, "rb") as f:
        return f.read()


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_request_context")
class TestDemoChecks:
    def test_every_demo_file_passes_but_the_labelled_example(self):
        list(demo.load())
        check_everything()

        statuses = {spec["name"]: [r["validation_status"] for r in shown(spec["name"])["resources"]]
                    for spec in demo.DATASETS}
        public = [s["name"] for s in demo.DATASETS if not s["private"]]
        assert demo.FAILING_EXAMPLE in public
        assert statuses == {name: ["failure" if name == demo.FAILING_EXAMPLE else "success"]
                            for name in statuses}

        # the example says so, in French, at the top of its description
        example = shown(demo.FAILING_EXAMPLE)
        assert example["notes"].startswith(demo.EXAMPLE_LABEL)
        assert "volontairement des erreurs" in example["notes"]
        assert not any("volontairement" in (shown(n)["notes"] or "")
                       for n in statuses if n != demo.FAILING_EXAMPLE)
        # its report shows what the label announces: a missing column of
        # the standard, a value that is no year, a code outside the list
        [resource] = example["resources"]
        report = helpers.call_action("partnership_resource_checks_show",
                                     context={"user": "validateur"}, id=resource["id"])
        [schema] = [r for r in report["checks"] if r["check"] == "schema"]
        found = {(f["code"], f["column"]) for f in schema["findings"]}
        assert found == {("missing_column", "COLL_INSEE"), ("type", "ANNEE"),
                         ("constraint", "ENFANT_SEXE")}

        flagged = helpers.call_action("partnership_flagged_list", context=dict(VALIDATOR))
        assert [f["name"] for f in flagged] == [demo.FAILING_EXAMPLE]
        assert helpers.call_action("partnership_flagged_count",
                                   context=dict(VALIDATOR))["count"] == 1

    def test_a_new_load_replaces_an_earlier_demo_file_and_description(self):
        list(demo.load())
        subventions = shown("subventions-associations-2025-cd13")["resources"][0]
        earlier = (EARLIER / "subventions-associations-2025.csv").read_bytes()
        assert hashlib.sha256(earlier).hexdigest() in demo.SUPERSEDED_FILES[
            "subventions-associations-2025.csv"]
        # a portal loaded by the earlier demo: its file and description
        helpers.call_action("resource_patch", context={"user": "admin"},
                            id=subventions["id"], url="subventions-associations-2025.csv",
                            url_type="upload", upload=FileStorage(
                                open(EARLIER / "subventions-associations-2025.csv", "rb"),
                                filename="subventions-associations-2025.csv",
                                content_type="text/csv"))
        helpers.call_action("package_patch", context={"user": "admin"},
                            id=demo.FAILING_EXAMPLE,
                            notes=demo.SUPERSEDED_NOTES[demo.FAILING_EXAMPLE])
        # someone changed the délibérations: their file is kept
        deliberations = shown("deliberations-conseil-municipal-aix-2025")["resources"][0]
        theirs = b"COLL_NOM,COLL_SIRET\nVille d'Aix-en-Provence,21130001700012\n"
        helpers.call_action("resource_patch", context={"user": "aix-publicateur"},
                            id=deliberations["id"], url_type="upload",
                            url="deliberations-conseil-municipal-2025.csv",
                            upload=FileStorage(io.BytesIO(theirs),
                                               filename="deliberations-conseil-municipal-2025.csv",
                                               content_type="text/csv"))
        assert stored_bytes(subventions) == earlier

        assert list(demo.load()) == [
            "file subventions-associations-2025.csv of subventions-associations-2025-cd13 updated",
            f"description of {demo.FAILING_EXAMPLE} updated",
        ]

        current = Path(demo.DATA, "subventions-associations-2025.csv").read_bytes()
        assert stored_bytes(shown("subventions-associations-2025-cd13")["resources"][0]) == current
        assert stored_bytes(deliberations) == theirs
        assert shown(demo.FAILING_EXAMPLE)["notes"].startswith(demo.EXAMPLE_LABEL)
        assert list(demo.load()) == []
        # the new file is checked again, and passes
        check_everything()
        assert shown("subventions-associations-2025-cd13")["resources"][0][
            "validation_status"] == "success"


def test_the_siret_and_siren_numbers_pass_the_luhn_key():
    sirets = [r["idAttribuant"] for r in rows("subventions-associations-2025.csv")]
    beneficiaries = [r["idBeneficiaire"] for r in rows("subventions-associations-2025.csv")]
    towns = [r["COLL_SIRET"] for r in rows("deliberations-conseil-municipal-2025.csv")]
    assert len(beneficiaries) == 5 and len(towns) == 4
    for siret in sirets + beneficiaries + towns:
        assert siret_valid(siret), siret
        assert siren_valid(siret[:9]), siret
    for org in [demo.HOST, *demo.PARTNERS]:
        assert siren_valid(org["siren"]), org["name"]
    sirens = {p["name"]: p["siren"] for p in demo.PARTNERS}
    # each publishes under its own SIREN; no two associations share one
    assert {s[:9] for s in sirets} == {sirens["departement-bouches-du-rhone"]}
    assert {s[:9] for s in towns} == {sirens["ville-aix-en-provence"]}
    assert len({s[:9] for s in beneficiaries}) == len(beneficiaries)


def test_the_codes_are_those_of_bouches_du_rhone_and_herault_communes():
    for filename in ("colleges-publics-13.csv", "comptages-routiers-13.csv"):
        assert {r["code_insee"][:2] for r in rows(filename)} == {"13"}, filename
    assert {r["code_insee"][:2] for r in rows("points-apport-volontaire.csv")} == {"34"}
    # a UAI's letter is the key of its seven digits
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    for row in rows("colleges-publics-13.csv"):
        assert row["uai"][-1] == letters[int(row["uai"][:7]) % 23], row["uai"]
