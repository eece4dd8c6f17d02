# -*- coding: utf-8 -*-
"""The DCAT output conforms to DCAT-AP 3.0.0: pyshacl validates it against
the official shapes (tests/fixtures/dcat/), as ckanext-dcat's own tests do,
on every demo dataset, on a dataset holding only the required fields and on
the catalogue; harvesters still read what they read."""
from __future__ import annotations

import functools

import pytest
import requests
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SH

from ckan.tests import factories, helpers
from ckanext.dcat.processors import RDFParser, RDFSerializer

from ckanext.partnership import demo
from tests.conftest import ROOT
from tests.factories import minimal_dataset, partner
from tests.metadata.test_udata_harvest import only_dataset, udata_harvest

SHAPES = ROOT / "tests" / "fixtures" / "dcat" / "dcat-ap-3.0.0-shacl-shapes.ttl"

# What ckanext-dcat's own DCAT-AP 3 test accepts (test_validate_dcat_ap_3_graph):
# the shapes want the vocabularies' concepts and the catalogue's datasets
# described in the same document.
ACCEPTED = {
    "Value does not have class skos:Concept",
    "Value does not have class dcat:Dataset",
}

FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
IANA = "https://www.iana.org/assignments/media-types/"


@functools.lru_cache(maxsize=1)
def _shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def violations(graph: Graph) -> list[str]:
    """Each result of pyshacl beyond the accepted messages, as one line:
    focus node, path, value, message."""
    _conforms, results, _text = validate(graph, shacl_graph=_shapes())
    found = []
    for result in results.objects(None, SH.result):
        message = str(results.value(result, SH.resultMessage))
        if message in ACCEPTED:
            continue
        found.append(" | ".join(str(results.value(result, p)) for p in (
            SH.focusNode, SH.resultPath, SH.value)) + " | " + message)
    return sorted(found)


def assert_conforms(found: dict[str, list[str]]) -> None:
    """Fails listing, for each document, what broke the shapes."""
    if any(found.values()):
        pytest.fail("DCAT-AP 3.0.0 violations (focus | path | value | message):\n" + "\n".join(
            f"{where}:\n  " + "\n  ".join(lines) for where, lines in found.items() if lines))


def served(url: str) -> Graph:
    response = requests.get(url, timeout=60)
    assert response.status_code == 200, (url, response.status_code)
    return Graph().parse(data=response.content, format="turtle")


def create_minimal(org: dict) -> dict:
    """What a script sends for a partner's dataset: the required fields
    only, and one resource given by its address."""
    sent = minimal_dataset(org)
    context = {"user": org["publisher"]["name"]}
    helpers.call_action("package_create", context=context, **sent)
    helpers.call_action("resource_create", context=context, package_id=sent["name"],
                        url="https://www.aixenprovence.fr/opendata/tarifs-cantine.csv",
                        format="CSV")
    return sent


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_every_demo_dataset_and_the_catalogue_conform(live_server):
    list(demo.load())
    sysadmin = {"user": factories.Sysadmin()["name"], "ignore_auth": True}
    found = {}
    for spec in demo.DATASETS:
        # the private ones too: they are what the validators will publish
        dataset = helpers.call_action("package_show", context=dict(sysadmin), id=spec["name"])
        serializer = RDFSerializer()  # the profiles of the configuration
        serializer.graph_from_dataset(dataset)
        found[spec["name"]] = violations(serializer.g)
    found["/catalog.ttl"] = violations(served(live_server.url + "/catalog.ttl"))
    assert_conforms(found)
    # the check measures something: the demo's datasets are in the catalogue
    catalogue = served(live_server.url + "/catalog.ttl")
    assert len(set(catalogue.subjects(RDF.type, DCAT.Dataset))) == len(
        [d for d in demo.DATASETS if not d["private"]])


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_a_dataset_with_only_the_required_fields_conforms(live_server):
    sent = create_minimal(partner())
    found = {
        f"/dataset/{sent['name']}.ttl": violations(
            served(f"{live_server.url}/dataset/{sent['name']}.ttl")),
        "/catalog.ttl": violations(served(live_server.url + "/catalog.ttl")),
    }
    assert_conforms(found)
    # and ckanext-dcat's parser reads it back
    parser = RDFParser()
    parser.parse(requests.get(f"{live_server.url}/dataset/{sent['name']}.ttl",
                              timeout=60).content, _format="turtle")
    [parsed] = list(parser.datasets())
    assert parsed["title"] == sent["title"]
    assert [r["format"] for r in parsed["resources"]] == ["CSV"]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_a_format_the_eu_list_lacks_conforms_and_comes_back(live_server):
    org = partner()
    sent = create_minimal(org)
    helpers.call_action("resource_create", context={"user": org["publisher"]["name"]},
                        package_id=sent["name"], format="Format maison",
                        url="https://www.aixenprovence.fr/opendata/tarifs.maison")
    url = f"{live_server.url}/dataset/{sent['name']}.ttl"
    assert_conforms({url: violations(served(url))})
    parser = RDFParser()
    parser.parse(requests.get(url, timeout=60).content, _format="turtle")
    [parsed] = list(parser.datasets())
    shown = helpers.call_action("package_show", id=sent["name"])
    assert sorted(r["format"] for r in parsed["resources"]) == sorted(
        r["format"] for r in shown["resources"]) == ["CSV", "Format maison"]


def test_the_catalogue_of_a_complete_dataset_conforms(live_server, published):
    found = {"/catalog.ttl": violations(served(live_server.url + "/catalog.ttl")),
             f"/dataset/{published['name']}.ttl": violations(
                 served(f"{live_server.url}/dataset/{published['name']}.ttl"))}
    assert_conforms(found)


def test_the_shapes_find_what_breaks_them(live_server, published):
    """The validation is not blind: a literal format, as ckanext-dcat writes
    it alone, is reported with its node and path."""
    g = served(f"{live_server.url}/dataset/{published['name']}.ttl")
    [distribution] = g.subjects(RDF.type, DCAT.Distribution)
    g.remove((distribution, DCTERMS["format"], None))
    g.add((distribution, DCTERMS["format"], Literal("CSV")))
    assert violations(g) == [
        f"{distribution} | {DCTERMS['format']} | CSV | Value does not have class "
        "dc1:MediaTypeOrExtent",
        f"{distribution} | {DCTERMS['format']} | CSV | Value is not of Node Kind "
        "shacl:BlankNodeOrIRI",
    ]


def test_formats_and_media_types_are_iris_and_come_back_as_package_show_holds_them(
        live_server, published):
    shown = helpers.call_action("package_show", id=published["name"])
    [resource] = shown["resources"]
    g = served(f"{live_server.url}/dataset/{published['name']}.ttl")
    [distribution] = g.subjects(RDF.type, DCAT.Distribution)
    assert g.value(distribution, DCTERMS["format"]) == URIRef(FILE_TYPE + "CSV")
    assert g.value(distribution, DCAT.mediaType) == URIRef(IANA + "text/csv")
    assert isinstance(g.value(distribution, DCAT.accessURL), URIRef)

    parser = RDFParser()
    parser.parse(g.serialize(format="turtle"), _format="turtle")
    [parsed] = list(parser.datasets())
    [back] = parsed["resources"]
    assert back["format"] == resource["format"] == "CSV"
    assert back["url"] == resource["url"]
    assert back["mimetype"] == "text/csv"


def test_data_gouv_fr_dcat_harvester_reads_formats_licence_and_place(live_server, published):
    """data.gouv.fr's DCAT harvester reads from the portal's catalogue the file's format
    and address, the licence and the place (002 art. 5). The licence it reads is the
    Licence Ouverte, a licence of the decree (000 art. 11, 000 §10.1.2)."""
    dataset = only_dataset(udata_harvest("dcat", live_server.url + "/catalog.ttl"))
    [resource] = dataset["resources"]
    assert resource["format"] == "csv"
    assert resource["url"] == "https://www.aixenprovence.fr/opendata/prenoms-2025.csv"
    assert dataset["license"] == "lov2"
    assert dataset["spatial"]["geom"]["type"] == "MultiPolygon"
