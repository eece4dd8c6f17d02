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


@pytest.fixture
def restricted_published(with_plugins, clean_db, clean_index):
    """A partner's public dataset on restricted access (004 §7.1), with a
    link to a file on the partner's own server."""
    from ckan.tests import helpers

    from tests.factories import full_dataset, partner

    org = partner()
    sent = full_dataset(org)
    sent["access_rights"] = RESTRICTED
    sent["access_restriction"] = PERSONAL_DATA
    context = {"user": org["publisher"]["name"]}
    helpers.call_action("package_create", context=context, **sent)
    helpers.call_action("resource_create", context=context, package_id=sent["name"],
                        name="Prénoms 2025", format="CSV", url=SECRET_URL)
    return sent


RESTRICTED = "http://publications.europa.eu/resource/authority/access-right/RESTRICTED"
PERSONAL_DATA = ("http://inspire.ec.europa.eu/metadata-codelist/LimitationsOnPublicAccess/"
                 "INSPIRE_Directive_Article13_1f")
SECRET_URL = "https://intranet.aixenprovence.invalid/prive/prenoms-2025.csv"


@pytest.mark.parametrize("kind, path", [("ckan", "/"), ("dcat", "/catalog.ttl")])
def test_data_gouv_fr_harvesters_on_restricted_data(live_server, restricted_published,
                                                    kind, path):
    """udata receives the description and the restriction, never the file's
    address: the resource's URL is the portal's (its download route from
    the CKAN API, the file's page from DCAT, where access is asked for).
    From DCAT, data.gouv.fr's dataset is ``access_type`` restricted for the
    reason the partner gave (``dct:rights``, the INSPIRE code list); udata's
    CKAN harvester maps no access type, it keeps the restriction and its
    reason as extras."""
    job = udata_harvest(kind, live_server.url + path)
    assert SECRET_URL not in json.dumps(job)
    dataset = only_dataset(job)
    assert dataset["title"] == "Prénoms des nouveau-nés à Aix-en-Provence en 2025"
    [resource] = dataset["resources"]
    assert resource["url"].startswith(live_server.url + "/dataset/")
    if kind == "ckan":
        assert resource["url"].endswith("/download")  # a 403 to data.gouv.fr's users
        assert dataset["extras"]["access_rights"] == RESTRICTED
        assert dataset["extras"]["access_restriction"] == PERSONAL_DATA
    else:
        assert RESTRICTED in dataset["extras"]["dcat"]["accessRights"]
        assert dataset["access_type"] == "restricted"
        assert dataset["access_type_reason_category"] == "confidentiality_of_personal_data"


def test_data_gouv_fr_harvesters_on_open_data_read_no_restriction(live_server, published):
    """Open data reaches data.gouv.fr as ``access_type`` open, with no reason."""
    for kind, path in (("ckan", "/"), ("dcat", "/catalog.ttl")):
        dataset = only_dataset(udata_harvest(kind, live_server.url + path))
        assert dataset["access_type"] == "open"
        assert dataset["access_type_reason_category"] is None
        assert "access_restriction" not in dataset["extras"]
