# -*- coding: utf-8 -*-
"""A dataset holding only the required fields, read over HTTP as scripts and
harvesters read it: package_show and package_search return every key plain
CKAN returns, None when empty, and the same dict."""
from __future__ import annotations

import ckanapi
import requests

import ckan.model as model
from ckan.lib.dictization import model_dictize
from ckan.lib.navl.dictization_functions import validate
from ckan.logic.schema import default_show_package_schema
from ckan.tests import helpers
from ckanext.dcat.processors import RDFParser

# What udata's CKAN harvester requires (its voluptuous schema), absent here.
UDATA_REQUIRED = ("author", "maintainer", "maintainer_email")


def _plain_ckan_show(name: str) -> dict:
    """What plain CKAN's package_show makes of the stored dataset: its own
    dictization validated by its own show schema, no plugin involved."""
    context = {"model": model, "session": model.Session}
    dictized = model_dictize.package_dictize(model.Package.get(name), context)
    shown, errors = validate(dictized, default_show_package_schema(), context)
    assert not errors
    return shown


def _api(server, action: str, **params) -> dict:
    """An action called as scripts call it, with ckanapi over HTTP."""
    return ckanapi.RemoteCKAN(server.url).call_action(action, params)


def test_show_and_search_carry_every_key_of_plain_ckan_null_when_empty(live_server, minimal):
    sent = minimal
    plain = _plain_ckan_show(sent["name"])
    shown = _api(live_server, "package_show", id=sent["name"])
    [found] = _api(live_server, "package_search", q="name:" + sent["name"])["results"]

    assert found == shown
    for key in UDATA_REQUIRED + ("author_email", "url", "version"):
        assert key in shown and shown[key] is None, key
    for key, value in plain.items():
        assert key in shown, key
        if value is None:
            assert shown[key] is None, key
    assert shown["title"] == "Délibérations du conseil municipal de Gréasque"
    assert shown["notes"] == sent["notes"]

    [plain_resource] = plain["resources"]
    [resource] = shown["resources"]
    for key, value in plain_resource.items():
        assert key in resource, key
        if value is None:
            assert resource[key] is None, key


def test_a_dataset_shown_with_its_null_keys_can_be_sent_back(live_server, minimal):
    sent = minimal
    shown = _api(live_server, "package_show", id=sent["name"])
    shown["title"] = "Délibérations 2025"
    updated = helpers.call_action("package_update", context={"user": sent["publisher"]},
                                  **shown)
    assert updated["title"] == "Délibérations 2025"
    assert updated["author"] is None and updated["maintainer_email"] is None
    pkg = model.Package.get(sent["name"])
    assert (pkg.author, pkg.maintainer, pkg.maintainer_email) == (None, None, None)


def test_ckanext_dcat_parser_reads_a_dataset_with_only_the_required_fields(live_server, minimal):
    sent = minimal
    response = requests.get(f"{live_server.url}/dataset/{sent['name']}.ttl", timeout=30)
    assert response.status_code == 200
    parser = RDFParser(profiles=["euro_dcat_ap_2", "euro_dcat_ap_scheming", "partnership"])
    parser.parse(response.content, _format="turtle")
    [parsed] = list(parser.datasets())
    for field in ("title", "notes", "created", "modified", "license_id", "theme",
                  "frequency", "spatial_coverage", "granularity"):
        assert parsed.get(field) == sent[field], field
    assert [t["name"] for t in parsed["tags"]] == ["délibérations"]
    assert [r["url"] for r in parsed["resources"]] == [sent["resources"][0]["url"]]
    # nothing empty turns into text
    assert "None" not in response.text
