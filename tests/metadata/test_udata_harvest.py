# -*- coding: utf-8 -*-
"""data.gouv.fr's own harvesters (udata's CKAN and DCAT backends) read the
portal: what they make of a partner's dataset is what data.gouv.fr would
publish. See tests/udata/harvest.py."""
from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import ROOT

UDATA_PYTHON = ROOT / ".venv-udata" / "bin" / "python"


def udata_harvest(kind: str, url: str) -> dict:
    result = subprocess.run(
        [str(UDATA_PYTHON), str(ROOT / "tests" / "udata" / "harvest.py"), kind, url],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def only_dataset(job: dict) -> dict:
    assert job["status"] == "done", job
    [item] = job["items"]
    assert item["status"] == "done", item["errors"]
    return item["dataset"]


def assert_all_fields_received(dataset: dict) -> None:
    assert dataset["title"] == "Prénoms des nouveau-nés à Aix-en-Provence en 2025"
    assert dataset["frequency"] == "semimonthly"  # Bi-mensuelle: twice a month
    assert dataset["temporal_coverage"] == {"start": "2025-01-01", "end": "2025-12-31"}
    assert dataset["spatial"]["geom"]["type"] == "MultiPolygon"
    assert dataset["license"] == "lov2"
    assert "prenoms" in dataset["tags"]


def test_data_gouv_fr_ckan_harvester(live_server, published):
    dataset = only_dataset(udata_harvest("ckan", live_server.url + "/"))
    assert_all_fields_received(dataset)
    assert "« Prénoms »" in dataset["description"]
    # udata has no place for a CKAN portal's granularity: it keeps the extra
    assert dataset["extras"]["granularity"] == "commune"


def test_data_gouv_fr_dcat_harvester(live_server, published):
    dataset = only_dataset(udata_harvest("dcat", live_server.url + "/catalog.ttl"))
    assert_all_fields_received(dataset)
    # the theme labels the DCAT output carries become keywords
    assert "population-et-societe" in dataset["tags"]
    assert dataset["schema"] == (
        "https://schema.data.gouv.fr/schemas/scdl/prenoms/latest/schema.json"
    )


@pytest.mark.parametrize("kind, path", [("ckan", "/"), ("dcat", "/catalog.ttl")])
def test_data_gouv_fr_harvesters_on_a_dataset_with_only_the_required_fields(
        live_server, minimal, kind, path):
    dataset = only_dataset(udata_harvest(kind, live_server.url + path))
    assert dataset["title"] == "Délibérations du conseil municipal de Gréasque"
    assert dataset["description"] == minimal["notes"]
    assert dataset["frequency"] == "monthly"
    assert dataset["license"] == "lov2"
    assert "deliberations" in dataset["tags"]
    assert dataset["temporal_coverage"] is None and dataset["spatial"] is None
    [resource] = dataset["resources"]
    assert resource["url"].startswith("https://www.greasque.fr/opendata/")
    assert resource["format"] == "csv"
