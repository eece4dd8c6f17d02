# -*- coding: utf-8 -*-
"""The pages people open, in a real browser (headless Chromium)."""
from __future__ import annotations

from playwright.sync_api import expect
import pytest

from ckanext.partnership import demo


@pytest.fixture
def demo_content(with_plugins, clean_db, clean_index):
    list(demo.load())


@pytest.mark.usefixtures("demo_content")
def test_home_page_in_french_lists_the_partners(live_server, page):
    response = page.goto(live_server.url + "/")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "fr"

    partners = page.locator(".partnership-partners")
    assert partners.locator("h2").inner_text() == "Partenaires"
    for partner in demo.PARTNERS:
        assert partners.get_by_role("link", name=partner["title"]).count() == 1
    # The host is not a partner.
    assert partners.get_by_role("link", name=demo.HOST["title"]).count() == 0
    # CKAN's own French catalogue is in use too.
    expect(page.get_by_role("link", name="Jeux de données").first).to_be_visible()


@pytest.mark.usefixtures("demo_content")
def test_dataset_page_in_french(live_server, page):
    response = page.goto(live_server.url + "/dataset/colleges-publics-bouches-du-rhone")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").first.inner_text().strip() == (
        "Collèges publics des Bouches-du-Rhône"
    )
    expect(page.get_by_text("Données et ressources")).to_be_visible()
    expect(page.get_by_role("link", name="Collèges publics – rentrée 2025")).to_be_visible()
