# -*- coding: utf-8 -*-
"""The metadata rules as plain functions: no database, no CKAN."""
from __future__ import annotations

import json

import pytest

from ckanext.partnership.domain import metadata_rules
from ckanext.partnership.domain.vocabularies import FREQUENCIES, label

EU = "http://publications.europa.eu/resource/authority/frequency/"

# The 13 frequencies of the agreements (DOMAIN.md, "Metadata"), each with the
# EU frequency-authority URI it is stored as.
AGREEMENT_FREQUENCIES = [
    ("Lorsque nécessaire", EU + "AS_NEEDED"),
    ("Non planifiée", EU + "NOT_PLANNED"),
    ("Irrégulière", EU + "IRREG"),
    ("Continue", EU + "CONT"),
    ("Temps réel", EU + "UPDATE_CONT"),
    ("Journalière", EU + "DAILY"),
    ("Hebdomadaire", EU + "WEEKLY"),
    ("Bi-mensuelle", EU + "MONTHLY_2"),  # twice a month, not BIMONTHLY
    ("Mensuelle", EU + "MONTHLY"),
    ("Trimestrielle", EU + "QUARTERLY"),
    ("Bi-annuelle", EU + "ANNUAL_2"),  # twice a year, not BIENNIAL
    ("Annuelle", EU + "ANNUAL"),
    ("Inconnue", EU + "UNKNOWN"),
]


@pytest.mark.parametrize("french, uri", AGREEMENT_FREQUENCIES)
def test_each_agreement_frequency_maps_to_its_eu_uri(french, uri):
    [term] = [t for t in FREQUENCIES if t.fr == french]
    assert term.value == uri
    assert label(FREQUENCIES, uri, "fr") == french


def test_exactly_the_13_frequencies_of_the_agreements():
    """The update frequencies offered are exactly the 13 of the agreements, in their order,
    without the EU's every-two-months and every-two-years (002 §2.6, 000 §10.1.2)."""
    assert [(t.fr, t.value) for t in FREQUENCIES] == AGREEMENT_FREQUENCIES
    values = {t.value for t in FREQUENCIES}
    assert EU + "BIMONTHLY" not in values
    assert EU + "BIENNIAL" not in values


def complete_dataset() -> dict:
    return {
        "title": "Prénoms des nouveau-nés",
        "owner_org": "ville-aix-en-provence",
        "notes": "Prénoms déclarés à l'état civil.",
        "created": "2025-01-05",
        "modified": "2025-11-10",
        "license_id": "lov2",
        "theme": ["http://publications.europa.eu/resource/authority/data-theme/SOCI"],
        "tags": [{"name": "prénoms"}],
        "frequency": EU + "MONTHLY",
        "spatial_coverage": [{"text": "Aix-en-Provence", "code": "13001"}],
        "granularity": "commune",
    }


def test_a_complete_dataset_misses_nothing():
    assert metadata_rules.missing_fields(complete_dataset()) == []


@pytest.mark.parametrize("field", metadata_rules.REQUIRED_FIELDS)
@pytest.mark.parametrize("empty", [None, "", [], "[]"])
def test_each_missing_required_field_is_named(field, empty):
    """A dataset lacking any one of the required fields, its licence included, is told
    exactly that field (002 §2.6, 000 §10.1.2)."""
    dataset = complete_dataset()
    dataset[field] = empty
    assert metadata_rules.missing_fields(dataset) == [field]


def test_keywords_count_from_the_tag_string_too():
    dataset = complete_dataset()
    dataset["tags"] = []
    dataset["tag_string"] = "prénoms,naissances"
    assert metadata_rules.missing_fields(dataset) == []


def test_a_place_without_a_name_is_no_coverage():
    dataset = complete_dataset()
    dataset["spatial_coverage"] = [{"code": "13001", "text": ""}]
    assert metadata_rules.missing_fields(dataset) == ["spatial_coverage"]


def test_several_missing_fields_in_form_order():
    dataset = complete_dataset()
    for field in ("granularity", "notes", "frequency"):
        del dataset[field]
    assert metadata_rules.missing_fields(dataset) == ["notes", "frequency", "granularity"]


@pytest.mark.parametrize(
    "value, shown",
    [
        ("2025-11-10", "10/11/2025"),
        ("2025-11-10T15:28:43.928424", "10/11/2025"),
        ("", ""),
        (None, ""),
        ("n'importe quoi", ""),
    ],
)
def test_display_date_is_jj_mm_aaaa(value, shown):
    assert metadata_rules.display_date(value) == shown


def test_notices_of_000_16_3():
    """A dataset reads « Source : <partner> » and « Date de mise à jour : JJ/MM/AAAA », the
    data's update date, else the metadata's (000 §16.3)."""
    dataset = {
        "organization": {"name": "ville-aix-en-provence", "title": "Ville d'Aix-en-Provence"},
        "modified": "2025-11-10",
        "metadata_modified": "2026-01-02T10:00:00",
    }
    assert metadata_rules.source_notice(dataset) == "Source : Ville d'Aix-en-Provence"
    assert metadata_rules.update_notice(dataset) == "Date de mise à jour : 10/11/2025"
    del dataset["modified"]
    assert metadata_rules.update_notice(dataset) == "Date de mise à jour : 02/01/2026"


SQUARE = {"type": "Polygon", "coordinates": [[[5.27, 43.47], [5.55, 43.47], [5.55, 43.62], [5.27, 43.47]]]}


def test_harvest_extras_mirror_the_fields():
    dataset = {
        "frequency": EU + "MONTHLY",
        "temporal_coverage": [{"start": "2025-01-01", "end": "2025-12-31"}],
        "spatial_coverage": [
            {"text": "Aix-en-Provence", "uri": "https://geo.api.gouv.fr/communes/13001",
             "geom": json.dumps(SQUARE)}
        ],
        "granularity": "commune",
    }
    assert metadata_rules.harvest_extras(dataset) == [
        {"key": "frequency", "value": EU + "MONTHLY"},
        {"key": "temporal_start", "value": "2025-01-01"},
        {"key": "temporal_end", "value": "2025-12-31"},
        {"key": "spatial", "value": json.dumps(SQUARE)},
        {"key": "spatial-text", "value": "Aix-en-Provence"},
        {"key": "spatial-uri", "value": "https://geo.api.gouv.fr/communes/13001"},
        {"key": "granularity", "value": "commune"},
    ]
    assert metadata_rules.harvest_extras({"frequency": ""}) == []


@pytest.mark.parametrize(
    "geometry, error",
    [
        (json.dumps(SQUARE), None),
        (json.dumps({"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]]}), None),
        ("{pas du json", "json"),
        (json.dumps({"type": "Point", "coordinates": [5.4, 43.5]}), "type"),
        (json.dumps({"type": "Polygon", "coordinates": []}), "rings"),
        (json.dumps({"type": "Polygon", "coordinates": [[[5, 43], [6, 43], [5, 43]]]}), "ring-size"),
        (json.dumps({"type": "Polygon", "coordinates": [[[5, 43], [6, 43], [6, 44], [5, 44]]]}),
         "ring-open"),
        (json.dumps({"type": "Polygon", "coordinates": [[[5, 43], ["x", 43], [6, 44], [5, 43]]]}),
         "position"),
        (json.dumps({"type": "Polygon", "coordinates": [[[543, 43], [6, 43], [6, 44], [543, 43]]]}),
         "range"),
    ],
)
def test_geometry_error(geometry, error):
    assert metadata_rules.geometry_error(geometry) == error


@pytest.mark.parametrize(
    "siren, valid",
    [("211300017", True), ("221300015", True), ("211300018", False), ("21130001", False),
     ("2113000l7", False)],
)
def test_siren_checksum(siren, valid):
    assert metadata_rules.siren_valid(siren) is valid


def test_resources_carry_every_key_harvesters_expect():
    resource = metadata_rules.with_resource_keys({"id": "r1", "url": "https://x.fr/a.csv", "name": "A"})
    assert set(metadata_rules.RESOURCE_KEYS) <= set(resource)
    assert resource["description"] is None
    assert resource["url"] == "https://x.fr/a.csv"
