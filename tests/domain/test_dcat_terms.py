# -*- coding: utf-8 -*-
"""The DCAT output's vocabularies for plain CKAN strings (no database)."""
from __future__ import annotations

import json
import re

import pytest

from ckanext.partnership.domain import dcat_terms as t

FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
IANA = "https://www.iana.org/assignments/media-types/"


@pytest.mark.parametrize("given", ["CSV", "csv", " .csv ", "text/csv", "TEXT/CSV"])
def test_a_format_whatever_its_spelling_is_the_eu_file_type(given):
    assert t.file_type_iri(given) == FILE_TYPE + "CSV"
    assert t.file_type(given).media_type == "text/csv"


@pytest.mark.parametrize("name, code", [
    ("GeoJSON", "GEOJSON"), ("JSON-LD", "JSON_LD"), ("RDF", "RDF_XML"),
    ("TTL", "RDF_TURTLE"), ("XLSX", "XLSX"), ("SHP", "SHP"), ("dBase", "DBF"),
    ("WMS", "WMS_SRVC"),
])
def test_formats_whose_code_differs_go_both_ways(name, code):
    assert t.file_type_iri(name) == FILE_TYPE + code
    assert t.format_of_iri(FILE_TYPE + code) == name


def test_unknown_formats_and_foreign_iris_have_no_term():
    assert t.file_type_iri("Format maison") is None
    assert t.file_type_iri("") is None and t.file_type_iri(None) is None
    assert t.format_of_iri(FILE_TYPE + "NOPE") is None
    assert t.format_of_iri("http://example.org/CSV") is None


def test_one_table_each_format_and_code_once_with_registered_media_types():
    names = [ft.name.upper() for ft in t.FILE_TYPES]
    codes = [ft.code for ft in t.FILE_TYPES]
    assert len(names) == len(set(names)) and len(codes) == len(set(codes))
    for ft in t.FILE_TYPES:
        assert re.fullmatch(r"[A-Z0-9_]+", ft.code), ft
        if ft.media_type:
            assert t.media_type_iri(ft.media_type) == IANA + ft.media_type, ft


@pytest.mark.parametrize("given, iri", [
    ("text/csv", IANA + "text/csv"),
    ("Text/CSV; charset=utf-8", IANA + "text/csv"),
    ("application/vnd.ms-excel", IANA + "application/vnd.ms-excel"),
    ("application/x-msaccess", None),  # unregistered: IANA has no page
    ("CSV", None),
    ("", None),
    (None, None),
])
def test_media_types_are_iana_iris(given, iri):
    assert t.media_type_iri(given) == iri


def test_media_type_back_from_its_iri():
    assert t.media_type_of_iri(IANA + "text/csv") == "text/csv"
    assert t.media_type_of_iri("text/csv") is None
    assert t.media_type_of_iri(None) is None


@pytest.mark.parametrize("locale, code", [("fr", "FRA"), ("fr_FR", "FRA"), ("en-GB", "ENG")])
def test_languages_are_eu_iris(locale, code):
    assert t.language_iri(locale) == (
        "http://publications.europa.eu/resource/authority/language/" + code)


def test_unknown_language_has_no_iri():
    assert t.language_iri("xx") is None and t.language_iri(None) is None


def test_bounding_box_of_a_polygon_and_of_a_multipolygon():
    polygon = {"type": "Polygon", "coordinates": [[[5.3, 43.5], [5.55, 43.47], [5.4, 43.62],
                                                   [5.3, 43.5]]]}
    assert t.bbox_wkt(polygon) == (
        "POLYGON((5.3 43.47, 5.55 43.47, 5.55 43.62, 5.3 43.62, 5.3 43.47))")
    multi = {"type": "MultiPolygon", "coordinates": [polygon["coordinates"],
                                                     [[[6, 44], [7, 44], [7, 45], [6, 44]]]]}
    assert t.bbox_wkt(json.dumps(multi)) == "POLYGON((5.3 43.47, 7 43.47, 7 45, 5.3 45, 5.3 43.47))"


def test_bounding_box_of_a_point_and_a_collection():
    assert t.bbox_wkt({"type": "Point", "coordinates": [5.45, 43.53]}) == (
        "POLYGON((5.45 43.53, 5.45 43.53, 5.45 43.53, 5.45 43.53, 5.45 43.53))")
    collection = {"type": "GeometryCollection", "geometries": [
        {"type": "Point", "coordinates": [1, 2]}, {"type": "Point", "coordinates": [3, -4]}]}
    assert t.bbox_wkt(collection) == "POLYGON((1 -4, 3 -4, 3 2, 1 2, 1 -4))"


@pytest.mark.parametrize("bad", ["not json", "{}", '{"type":"Polygon","coordinates":[]}', 42, None])
def test_no_bounding_box_without_positions(bad):
    assert t.bbox_wkt(bad) is None
