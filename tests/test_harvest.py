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

from ckan.tests import helpers
from ckanext.dcat.processors import RDFParser

from tests.factories import EU_FREQ, EU_THEME, SCHEMA_FIELDS, full_dataset, partner

PROFILES = ["euro_dcat_ap_2", "euro_dcat_ap_scheming", "partnership"]


@pytest.fixture
def published(with_plugins, clean_db, clean_index):
    org = partner()
    sent = full_dataset(org)
    context = {"user": org["publisher"]["name"]}
    helpers.call_action("package_create", context=context, **sent)
    helpers.call_action(
        "resource_create", context=context, package_id=sent["name"],
        name="Prénoms 2025", format="CSV",
        url="https://www.aixenprovence.fr/opendata/prenoms-2025.csv",
    )
    return sent


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


def test_catalog_lists_the_dataset_in_utf8(live_server, published):
    response = requests.get(f"{live_server.url}/catalog.ttl", timeout=30)
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert "Prénoms des nouveau-nés à Aix-en-Provence en 2025" in response.text
