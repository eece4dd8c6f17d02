# -*- coding: utf-8 -*-
"""A producer uploads a file with the form: the checks are pending, then the
worker reports, and the report page says what to fix, in French."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import expect
import pytest

from ckan.tests import helpers

from tests.browser import test_forms
from tests.browser.test_forms import login
from tests.factories import full_dataset

ROOT = Path(__file__).resolve().parents[2]
SCDL = ROOT / "tests/fixtures/scdl"

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

publisher = test_forms.publisher


@pytest.fixture
def worker():
    """Start CKAN's own background worker on the test queue, when asked."""
    started = []

    def start():
        ckan = Path(sys.executable).with_name("ckan")
        started.append(subprocess.Popen(
            [str(ckan), "-c", str(ROOT / "test.ini"), "jobs", "worker"], cwd=ROOT,
            env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=30)


def test_an_uploaded_file_is_checked_in_the_background(live_server, page, publisher,
                                                       worker, tmp_path):
    """In a browser, a publisher uploads a file under the SCDL « Subventions » standard
    and reads, once it is checked, where it breaks the standard (002 §2.2, 003 art. 5)."""
    org = helpers.call_action("organization_show", id="ville-aix-en-provence")
    helpers.call_action("package_create", context={"user": publisher["name"]},
                        **full_dataset(org, name="subventions-2025", conforms_to=""))
    source = tmp_path / "subventions-2025.csv"
    source.write_bytes(
        (SCDL / "subventions/exemple_invalide_erreurs_cellules.csv").read_bytes())

    login(page, live_server.url, publisher["name"])
    page.goto(live_server.url + "/dataset/subventions-2025/resource/new",
              wait_until="networkidle")
    page.set_input_files("#field-resource-upload", str(source))
    page.fill("#field-name", "Subventions 2025")
    page.fill("#field-schema", "scdl/subventions")
    page.get_by_role("button", name="Ajouter", exact=True).click()
    page.wait_for_url("**/dataset/subventions-2025")

    assert page.locator(".partnership-check-status").first.inner_text() == \
        "En cours de vérification"
    page.get_by_role("link", name="Subventions 2025").first.click()
    page.get_by_role("link", name="Voir le rapport").click()
    expect(page.locator(".partnership-checks-status").get_by_text(
        "En cours de vérification")).to_be_visible()

    worker()  # the page refreshes itself until the report is there
    page.locator('.partnership-checks-status [data-status="failure"]').wait_for(
        timeout=60000)
    expect(page.get_by_text("Valeurs de dateConvention qui ne sont pas une date "
                            "écrite AAAA-MM-JJ : 1.")).to_be_visible()
    finding = page.locator('.partnership-check-schema [data-code="type"]').first
    assert "Lignes : 5" in finding.inner_text()
    expect(page.get_by_text("Colonne dispositifAide du standard manquante.")).to_be_visible()
