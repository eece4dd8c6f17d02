# -*- coding: utf-8 -*-
"""The annual review of the demo year in a real browser (headless
Chromium), with CKAN's tracking on as in the demo: every section has a
chart drawn on the server and the chart's figures as a table; a
screenshot of the whole page goes to test-results/."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ckanext.partnership import demo
from ckanext.partnership.domain import annual_review as rules
from tests.conftest import serve

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = "partnership scheming_datasets scheming_organizations dcat activity tracking"
ORG = "ville-aix-en-provence"


@pytest.fixture(scope="module")
def tracking_server(tmp_path_factory):
    """CKAN with its tracking plugin, on the tests' database."""
    with serve(ROOT / "tests" / "tracking.ini", tmp_path_factory.mktemp("live-tracking")) as s:
        yield s


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_the_demo_years_review_has_a_chart_in_every_section(browser, tracking_server):
    """In a browser, the partner's publisher opens the year's annual review and finds in
    every section a drawn chart with its table, and a link to the PDF (000 art. 12)."""
    list(demo.load())
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 1024})
    page = context.new_page()
    page.set_default_timeout(20000)
    try:
        page.goto(tracking_server.url + "/user/login")
        page.fill("#field-login", "aix-publicateur")
        page.fill("#field-password", demo.PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url("**/dashboard/**")
        year = dt.date.today().year
        response = page.goto(f"{tracking_server.url}/partnership/review/{ORG}/{year}")
        assert response.status == 200
        assert page.locator("html").get_attribute("lang") == "fr"
        assert "Ville d'Aix-en-Provence" in page.locator("h1").inner_text()
        for key in rules.SECTIONS:
            section = page.locator(f'section[data-section="{key}"]')
            charts = section.locator("figure[data-chart] svg")
            assert charts.count() >= 1, key
            # drawn: the chart has a size on the page, and its figures a table
            box = charts.first.bounding_box()
            assert box and box["width"] > 200 and box["height"] > 80, key
            assert section.locator("figure[data-chart] table").count() == charts.count(), key
        # the use of the data, counted by CKAN's tracking: the demo's visits
        views = page.locator('section[data-section="use"] tr[data-figure="use.views"] '
                             '.partnership-review-value').inner_text()
        assert int(views.replace("\u202f", "").replace("\xa0", "").replace(" ", "")) > 0
        out = ROOT / "test-results"
        out.mkdir(exist_ok=True)
        page.screenshot(path=str(out / "annual-review-page.png"), full_page=True)
        assert (out / "annual-review-page.png").stat().st_size > 50000
        # the PDF link of the page
        assert page.locator(f'a[href$="/partnership/review/{ORG}/{year}.pdf"]').count() >= 1
    finally:
        context.close()
