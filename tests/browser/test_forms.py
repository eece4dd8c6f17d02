# -*- coding: utf-8 -*-
"""The dataset and organisation forms, in French, in a real browser."""
from __future__ import annotations

import re

from playwright.sync_api import expect
import pytest

from ckan.tests import factories, helpers

from tests.factories import EU_FREQ, EU_THEME, PASSWORD

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def login(page, base, name):
    page.goto(base + "/user/login")
    page.fill("#field-login", name)
    page.fill("#field-password", PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/dashboard/**")


@pytest.fixture
def publisher():
    user = factories.User(name="publicateur", password=PASSWORD)
    factories.Organization(
        name="ville-aix-en-provence", title="Ville d'Aix-en-Provence",
        users=[{"name": user["name"], "capacity": "editor"}],
    )
    return user


def fill_metadata(page, *, public=True, complete=True):
    page.fill("#field-title", "Délibérations du conseil municipal")
    page.fill("#field-notes", "Délibérations adoptées en 2025, avec le résultat des votes.")
    page.select_option("#field-private", "False" if public else "True")
    if complete:
        page.fill("#field-created", "2025-02-10")
        page.fill("#field-modified", "2025-07-01")
        page.select_option("#field-license_id", "lov2", force=True)
        page.check(f"[id='field-theme-{EU_THEME}GOVE']")
        # CKAN's Select2 widget: version 3 on CKAN 2.11 (#s2id_<field>),
        # version 4 on CKAN 2.12 (a span after the field)
        tags = page.locator("#s2id_field-tag_string input, #field-tag_string + "
                            "span.select2-container .select2-search__field")
        for tag in ("délibérations", "conseil municipal"):
            tags.press_sequentially(tag)
            # the choice appears once the autocompletion has answered
            page.locator(".select2-highlighted, .select2-results__option--highlighted"
                         ).get_by_text(tag).wait_for()
            tags.press("Enter")
        tags.press("Escape")
        page.select_option("#field-frequency", label="Bi-mensuelle")
        page.fill("#field-spatial_coverage-0-text", "Aix-en-Provence")
        page.fill("#field-spatial_coverage-0-code", "13001")
        page.select_option("#field-granularity", label="Commune")
    page.fill("#field-temporal_coverage-0-start", "2025-01-01")
    page.fill("#field-temporal_coverage-0-end", "2025-12-31")


def test_a_publisher_creates_a_complete_dataset_with_the_form(live_server, page, publisher):
    """In a browser, a publisher fills in every required field, picks « Bi-mensuelle »
    among the 13 frequencies, and the dataset page shows « Source : Ville d'Aix-en-
    Provence » and « Date de mise à jour : 01/07/2025 » (002 §2.6, 000 §16.3)."""
    login(page, live_server.url, publisher["name"])
    page.goto(live_server.url + "/dataset/new", wait_until="networkidle")
    expect(page.get_by_text("Fréquence de mise à jour").first).to_be_visible()
    fill_metadata(page)
    page.get_by_role("button", name="Suivant : Ajouter des données").click()

    page.get_by_role("button", name="Lien").click()
    page.fill("#field-resource-url", "https://www.aixenprovence.fr/deliberations-2025.csv")
    page.fill("#field-name", "Délibérations 2025")
    # CKAN's last step: "Finish" on 2.11, "Publish" on 2.12
    page.get_by_role("button", name=re.compile("^(Terminer|Publier)$")).click()
    page.wait_for_url("**/dataset/deliberations-du-conseil-municipal")

    expect(page.get_by_text("Source : Ville d'Aix-en-Provence")).to_be_visible()
    expect(page.get_by_text("Date de mise à jour : 01/07/2025")).to_be_visible()
    expect(page.get_by_text("Bi-mensuelle")).to_be_visible()

    shown = helpers.call_action("package_show", id="deliberations-du-conseil-municipal")
    assert shown["private"] is False
    assert shown["frequency"] == EU_FREQ + "MONTHLY_2"
    assert shown["theme"] == [EU_THEME + "GOVE"]
    assert shown["license_id"] == "lov2"
    assert shown["created"] == "2025-02-10"
    assert shown["spatial_coverage"] == [{"text": "Aix-en-Provence", "code": "13001"}]
    assert shown["temporal_coverage"] == [{"start": "2025-01-01", "end": "2025-12-31"}]
    assert sorted(t["name"] for t in shown["tags"]) == ["conseil municipal", "délibérations"]


def test_the_form_names_what_is_missing_to_publish(live_server, page, publisher):
    """In a browser, publishing a dataset without its required fields is refused, the form
    naming each missing one, and nothing is saved (002 §2.6, 000 §10.1.2)."""
    login(page, live_server.url, publisher["name"])
    page.goto(live_server.url + "/dataset/new", wait_until="networkidle")
    fill_metadata(page, public=True, complete=False)
    page.get_by_role("button", name="Suivant : Ajouter des données").click()

    errors = page.locator(".error-explanation")
    expect(errors).to_be_visible()
    assert "Obligatoire pour publier le jeu de données" in errors.inner_text()
    assert "Fréquence de mise à jour" in errors.inner_text()
    assert helpers.call_action("package_search", q="*:*", include_private=True,
                               include_drafts=True)["count"] == 0


def test_an_end_before_the_start_is_shown_in_french(live_server, page, publisher):
    login(page, live_server.url, publisher["name"])
    page.goto(live_server.url + "/dataset/new", wait_until="networkidle")
    fill_metadata(page, public=False, complete=False)
    page.fill("#field-temporal_coverage-0-start", "2025-12-31")
    page.fill("#field-temporal_coverage-0-end", "2025-01-01")
    page.get_by_role("button", name="Suivant : Ajouter des données").click()
    expect(page.get_by_text("La fin de la période précède son début").first).to_be_visible()


def test_the_organisation_form_edits_the_partner_profile(live_server, page):
    factories.Sysadmin(name="admin", password=PASSWORD)
    factories.Organization(name="ville-aix-en-provence", title="Ville d'Aix-en-Provence")
    login(page, live_server.url, "admin")
    page.goto(live_server.url + "/organization/edit/ville-aix-en-provence")
    page.select_option("#field-status", label="Commune")
    page.fill("#field-siren", "211300018")
    page.fill("#field-website", "https://www.aixenprovence.fr")
    page.fill("#field-opendata_email", "opendata@aix.exemple.fr")
    page.fill("#field-missions", "État civil, écoles, culture.")
    page.get_by_role("button", name="Mise à jour de l'Organisation").click()
    expect(page.get_by_text("n'est pas un numéro SIREN valide").first).to_be_visible()

    page.fill("#field-siren", "211300017")
    page.get_by_role("button", name="Mise à jour de l'Organisation").click()
    page.wait_for_url("**/organization/ville-aix-en-provence")
    page.goto(live_server.url + "/organization/about/ville-aix-en-provence")
    expect(page.get_by_role("heading", name="Missions")).to_be_visible()
    expect(page.get_by_text("État civil, écoles, culture.")).to_be_visible()
    assert page.locator("#organization-info .partnership-siren").inner_text() == "211300017"

    org = helpers.call_action("organization_show", id="ville-aix-en-provence")
    assert (org["status"], org["siren"], org["opendata_email"]) == (
        "commune", "211300017", "opendata@aix.exemple.fr"
    )
