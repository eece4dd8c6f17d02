# -*- coding: utf-8 -*-
"""ckanext-harvest's CKANHarvester (1.6.3), the harvester of CKAN portals,
gathers the portal over HTTP (tests/ckanext_harvest/gather.py): every public
dataset, across its pages, each exactly as package_show gives it; no private
one."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
import requests

import ckan.plugins.toolkit as tk
from ckan.lib import search
from ckan.tests import helpers

from tests.conftest import ROOT
from tests.factories import full_dataset, minimal_dataset, partner

GATHER = ROOT / "tests" / "ckanext_harvest" / "gather.py"
# The rows of each package_search the harvester asks for (hard-coded in it).
PAGE = 100


def ckan_gather(url: str) -> list[dict]:
    result = subprocess.run([sys.executable, str(GATHER), url], capture_output=True,
                            text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _create(org: dict, sent: dict) -> dict:
    helpers.call_action("package_create", context={"user": org["publisher"]["name"]}, **sent)
    return sent


@pytest.fixture
def portal(with_plugins, clean_db, clean_index):
    """More public datasets than a page of the harvester holds, a complete
    one with a file among them, and private ones."""
    aix = partner()
    region = partner(title="Région Sud")
    public = [_create(aix, full_dataset(aix)), _create(region, minimal_dataset(region))]
    helpers.call_action(
        "resource_create", context={"user": aix["publisher"]["name"]},
        package_id=public[0]["name"], name="Prénoms 2025", format="CSV",
        url="https://www.aixenprovence.fr/opendata/prenoms-2025.csv",
    )
    # a page more, indexed as a bulk load is: one Solr commit at the end
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(tk.config, "ckan.search.solr_commit", False)
        public += [
            _create(region, minimal_dataset(region, name=f"deliberations-{i:03d}",
                                            title=f"Délibérations n° {i} de la séance"))
            for i in range(PAGE)
        ]
    search.commit()
    private = [
        _create(aix, full_dataset(aix, name="prenoms-brouillon", private=True)),
        _create(region, minimal_dataset(region, name="deliberations-brouillon", private=True)),
    ]
    return {"public": public, "private": private}


def _shown(server, name: str) -> dict:
    response = requests.get(f"{server.url}/api/3/action/package_show",
                            params={"id": name}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["result"]


def test_gather_gets_every_public_dataset_as_package_show_gives_it(live_server, portal):
    """ckanext-harvest's CKAN harvester gathers every public dataset of the portal, past
    its first page, exactly as package_show gives it, and no private one (003 art. 7)."""
    gathered = {d["name"]: d for d in ckan_gather(live_server.url)}

    assert sorted(gathered) == sorted(d["name"] for d in portal["public"])
    assert len(gathered) > PAGE  # it went past its first page
    for sent in portal["public"]:
        shown = _shown(live_server, sent["name"])
        dataset = gathered[sent["name"]]
        assert dataset.keys() == shown.keys(), sent["name"]
        for key, value in shown.items():
            assert dataset[key] == value, (sent["name"], key)
        assert dataset["title"] == sent["title"]  # accents intact
        assert dataset["notes"] == sent["notes"]

    complete = gathered["prenoms-nouveaux-nes-2025"]
    assert complete["title"] == "Prénoms des nouveau-nés à Aix-en-Provence en 2025"
    assert [r["name"] for r in complete["resources"]] == ["Prénoms 2025"]
    minimal = gathered["deliberations-conseil-2025"]
    assert minimal["title"] == "Délibérations du conseil municipal de Gréasque"
    for key in ("author", "maintainer", "maintainer_email", "url", "version"):
        assert minimal[key] is None, key
