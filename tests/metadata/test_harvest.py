# -*- coding: utf-8 -*-
"""Harvesters read the portal over HTTP: real clients against a real CKAN
server (``live_server``), on the real stack."""
from __future__ import annotations

import json

import ckanapi
import pytest
import requests
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SKOS

from ckan.tests import factories, helpers
from ckanext.dcat.processors import RDFParser

from tests.factories import EU_FREQ, EU_THEME, SCHEMA_FIELDS, full_dataset, partner

PROFILES = ["euro_dcat_ap_2", "euro_dcat_ap_scheming", "partnership"]


def test_ckanapi_reads_the_same_dataset_from_show_and_search(live_server, published):
    remote = ckanapi.RemoteCKAN(live_server.url)
    shown = remote.action.package_show(id=published["name"])
    [found] = remote.action.package_search(q="prénoms")["results"]
    assert found == shown
    for field in SCHEMA_FIELDS:
        assert shown[field] == published[field], field
    assert shown["title"] == "Prénoms des nouveau-nés à Aix-en-Provence en 2025"
    extras = {e["key"]: e["value"] for e in shown["extras"]}
    assert extras["frequency"] == EU_FREQ + "MONTHLY_2"
    assert json.loads(extras["spatial"])["type"] == "Polygon"
    assert shown["type"] == "dataset"


@pytest.mark.parametrize("ext, fmt", [("ttl", "turtle"), ("rdf", "xml"), ("jsonld", "json-ld")])
def test_dcat_round_trip_through_ckanext_dcat_parser(live_server, published, ext, fmt):
    """A dataset's DCAT page in Turtle, RDF/XML and JSON-LD is read back by
    ckanext-dcat's parser with its fields and accents intact (002 art. 5, 003 art. 7)."""
    response = requests.get(f"{live_server.url}/dataset/{published['name']}.{ext}", timeout=30)
    assert response.status_code == 200
    assert "charset=utf-8" in response.headers["Content-Type"]
    # decoded as the header says, accents intact
    assert "Prénoms des nouveau-nés" in response.text

    parser = RDFParser(profiles=PROFILES)
    parser.parse(response.content, _format=fmt)
    [parsed] = list(parser.datasets())
    for field in SCHEMA_FIELDS:
        if field == "name":
            continue  # a harvester names datasets itself
        assert parsed.get(field) == published[field], field
    assert sorted(t["name"] for t in parsed["tags"]) == ["prénoms", "état civil"]


def test_dcat_gives_frequency_theme_licence_and_coverage(live_server, published):
    """A dataset's DCAT gives harvesters its frequency, its themes, the Licence Ouverte's
    address as its licence and its coverage (000 art. 11, 000 §10.1.2)."""
    response = requests.get(f"{live_server.url}/dataset/{published['name']}.ttl", timeout=30)
    g = Graph().parse(data=response.text, format="turtle")
    [dataset] = g.subjects(RDF.type, DCAT.Dataset)
    assert g.value(dataset, DCTERMS.accrualPeriodicity) == URIRef(EU_FREQ + "MONTHLY_2")
    themes = set(g.objects(dataset, DCAT.theme))
    assert themes == {URIRef(EU_THEME + "SOCI"), URIRef(EU_THEME + "GOVE")}
    # theme labels travel with the URIs, for harvesters that show labels
    assert {str(l) for l in g.objects(URIRef(EU_THEME + "SOCI"), SKOS.prefLabel)} >= {
        "Population et société"
    }
    assert g.value(dataset, DCTERMS.license) == URIRef(
        "https://www.etalab.gouv.fr/licence-ouverte-open-licence"
    )
    place = g.value(dataset, DCTERMS.spatial)
    assert str(g.value(place, SKOS.prefLabel)) == "Aix-en-Provence"
    assert len(list(g.objects(dataset, DCTERMS.temporal))) == 1


SPDX = "http://spdx.org/rdf/terms#"


def test_dcat_checksums_carry_their_algorithm_as_plain_strings(live_server, published):
    digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    resource = helpers.call_action("package_show", id=published["name"])["resources"][0]
    helpers.call_action("resource_patch", context={"user": factories.Sysadmin()["name"]},
                        id=resource["id"], hash=digest)
    g = Graph().parse(data=requests.get(
        f"{live_server.url}/dataset/{published['name']}.ttl", timeout=30).text, format="turtle")
    [checksum] = g.objects(None, URIRef(SPDX + "checksum"))
    assert g.value(checksum, URIRef(SPDX + "algorithm")) == URIRef(
        SPDX + "checksumAlgorithm_sha256")
    value = g.value(checksum, URIRef(SPDX + "checksumValue"))
    assert (str(value), value.datatype) == (digest, None)


def test_dcat_drops_a_checksum_whose_algorithm_is_unknown(live_server, published):
    resource = helpers.call_action("package_show", id=published["name"])["resources"][0]
    helpers.call_action("resource_patch", context={"user": factories.Sysadmin()["name"]},
                        id=resource["id"], hash="abc123")
    g = Graph().parse(data=requests.get(
        f"{live_server.url}/dataset/{published['name']}.ttl", timeout=30).text, format="turtle")
    assert list(g.objects(None, URIRef(SPDX + "checksum"))) == []


def test_dcat_places_without_uri_are_written_once_with_their_codes(
        live_server, with_plugins, clean_db, clean_index):
    org = partner()
    places = [
        {"text": "Aix-en-Provence", "code": "13001",
         "geom": full_dataset(org)["spatial_coverage"][0]["geom"]},
        {"text": "Marseille", "code": "13055"},
    ]
    sent = full_dataset(org, spatial_coverage=places)
    helpers.call_action("package_create", context={"user": org["publisher"]["name"]}, **sent)
    response = requests.get(f"{live_server.url}/dataset/{sent['name']}.ttl", timeout=30)
    g = Graph().parse(data=response.text, format="turtle")
    [dataset] = g.subjects(RDF.type, DCAT.Dataset)
    nodes = list(g.objects(dataset, DCTERMS.spatial))
    assert sorted((str(g.value(n, SKOS.prefLabel)), str(g.value(n, DCTERMS.identifier)))
                  for n in nodes) == [("Aix-en-Provence", "13001"), ("Marseille", "13055")]
    parser = RDFParser(profiles=PROFILES)
    parser.parse(response.content, _format="turtle")
    [parsed] = list(parser.datasets())
    assert sorted(parsed["spatial_coverage"], key=lambda p: p["text"]) == places


def test_catalog_lists_the_dataset_in_utf8(live_server, published):
    response = requests.get(f"{live_server.url}/catalog.ttl", timeout=30)
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert "Prénoms des nouveau-nés à Aix-en-Provence en 2025" in response.text
