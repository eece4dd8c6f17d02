# -*- coding: utf-8 -*-
"""The portal runs on the real stack: plugins loaded, PostgreSQL, Apache Solr."""
from __future__ import annotations

import os
import re

import pytest
import requests

import ckan
import ckan.plugins.toolkit as tk
from ckan.lib import search
from ckan.tests import helpers

from tests.factories import full_dataset, partner


@pytest.mark.usefixtures("with_plugins")
def test_status_show_lists_the_plugins(app):
    result = app.get("/api/3/action/status_show").json["result"]
    # the CKAN make test was asked for (CKAN_VERSION, 2.11.6 by default)
    assert result["ckan_version"] == os.environ.get("CKAN_VERSION", "2.11.6")
    for plugin in ("partnership", "scheming_datasets", "dcat", "activity"):
        assert plugin in result["extensions"]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_dataset_created_through_the_api_is_found_by_solr():
    org = partner()
    dataset = helpers.call_action(
        "package_create",
        context={"user": org["publisher"]["name"]},
        **full_dataset(
            org,
            name="points-apport-volontaire",
            title="Points d'apport volontaire du tri sélectif",
            notes="Conteneurs de tri sur les communes de la vallée",
        ),
    )

    found = helpers.call_action("package_search", q="apport")
    assert [d["id"] for d in found["results"]] == [dataset["id"]]
    assert helpers.call_action("package_search", q="inexistant")["count"] == 0

    # The index is Solr's own: ask it directly over HTTP.
    solr_url = tk.config["solr_url"]
    response = requests.get(
        solr_url + "/select",
        params={"q": f"id:{dataset['id']}", "fl": "name,title", "wt": "json"},
        timeout=10,
    ).json()
    assert response["response"]["numFound"] == 1
    assert response["response"]["docs"][0]["name"] == "points-apport-volontaire"


def test_solr_is_the_real_server_with_ckan_schema():
    solr_url = tk.config["solr_url"]
    info = requests.get(
        solr_url.rsplit("/", 1)[0] + "/admin/info/system", params={"wt": "json"}, timeout=10
    ).json()
    assert info["lucene"]["solr-spec-version"].startswith("9.")
    schema = requests.get(solr_url + "/schema/name", params={"wt": "json"}, timeout=10).json()
    # the schema.xml of the installed ckan package, named after its version
    assert schema["name"] == "ckan-" + ".".join(ckan.__version__.split(".")[:2])
    assert search.check_solr_schema_version() is True


def test_ckan_starts_with_no_solr_warning(live_server):
    log = live_server.log_text()
    assert "Loading templates" in log  # the log is CKAN's start-up
    problems = [
        line for line in log.splitlines()
        if re.search(r"\b(WARNI?N?G?|ERROR|CRITICAL)\b", line) and re.search("solr", line, re.I)
    ]
    assert problems == []
    # CKAN did talk to Solr at start-up: the server answers searches.
    found = requests.get(live_server.url + "/api/3/action/package_search", timeout=10).json()
    assert found["success"] is True
