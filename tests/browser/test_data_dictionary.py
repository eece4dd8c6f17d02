# -*- coding: utf-8 -*-
"""A producer describes the columns of a file in the resource form, then
reads its data dictionary on the resource page."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ckan.tests import helpers

from tests.browser import test_forms
from tests.browser.test_forms import login
from tests.factories import full_dataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

publisher = test_forms.publisher


def test_a_producer_describes_the_columns_of_a_file(live_server, page, publisher, tmp_path):
    """000 §10.1.2: in a browser, a producer gives the field descriptions of
    a file without a standard (name, type, unit, description) in the
    resource form, adding a column, and sees them on the resource page."""
    org = helpers.call_action("organization_show", id="ville-aix-en-provence")
    helpers.call_action("package_create", context={"user": publisher["name"]},
                        **full_dataset(org, name="equipements-sportifs", conforms_to=""))
    source = tmp_path / "equipements.csv"
    source.write_text("equipement,surface\nGymnase du Val de l'Arc,1200.5\n", "utf-8")

    login(page, live_server.url, publisher["name"])
    page.goto(live_server.url + "/dataset/equipements-sportifs/resource/new",
              wait_until="networkidle")
    page.set_input_files("#field-resource-upload", str(source))
    page.fill("#field-name", "Équipements sportifs")
    dictionary = page.locator(".partnership-data-dictionary")
    expect(dictionary.get_by_text("Dictionnaire des données").first).to_be_visible()
    page.fill("#field-data_dictionary-0-name", "equipement")
    page.select_option("#field-data_dictionary-0-type", "string")
    page.fill("#field-data_dictionary-0-description", "Nom de l'équipement")
    dictionary.locator('[name="repeating-add"]').click()
    second = page.locator("#field-data_dictionary-1-name")
    expect(second).to_be_visible()
    second.fill("surface")
    page.select_option("#field-data_dictionary-1-type", "number")
    page.fill("#field-data_dictionary-1-unit", "m²")
    page.fill("#field-data_dictionary-1-description", "Surface de l'aire de jeu")
    page.get_by_role("button", name="Ajouter", exact=True).click()
    page.wait_for_url("**/dataset/equipements-sportifs")

    page.get_by_role("link", name="Équipements sportifs").first.click()
    table = page.locator("#data-dictionary table")
    expect(table).to_be_visible()
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("equipement")
    expect(rows.nth(0)).to_contain_text("Texte")
    expect(rows.nth(0)).to_contain_text("Nom de l'équipement")
    expect(rows.nth(1)).to_contain_text("surface")
    expect(rows.nth(1)).to_contain_text("Nombre décimal (point décimal)")
    expect(rows.nth(1)).to_contain_text("m²")
    expect(rows.nth(1)).to_contain_text("Surface de l'aire de jeu")
    resource = helpers.call_action("package_show", id="equipements-sportifs")["resources"][0]
    assert resource["data_dictionary"] == [
        {"name": "equipement", "type": "string", "description": "Nom de l'équipement"},
        {"name": "surface", "type": "number", "description": "Surface de l'aire de jeu",
         "unit": "m²"}]

    # the form shows it again; a column without a description is refused,
    # what was typed kept; an empty row left as it is changes nothing
    page.goto(live_server.url + f"/dataset/equipements-sportifs/resource/{resource['id']}/edit",
              wait_until="networkidle")
    expect(page.locator("#field-data_dictionary-1-unit")).to_have_value("m²")
    page.fill("#field-data_dictionary-1-description", "")
    page.get_by_role("button", name="Mettre à jour la ressource").click()
    expect(page.get_by_text("Colonne 2 : une description est obligatoire").first).to_be_visible()
    expect(page.locator("#field-data_dictionary-1-name")).to_have_value("surface")
    page.fill("#field-data_dictionary-1-description", "Surface de l'aire de jeu")
    page.locator('.partnership-data-dictionary [name="repeating-add"]').click()
    expect(page.locator("#field-data_dictionary-2-name")).to_be_visible()
    page.get_by_role("button", name="Mettre à jour la ressource").click()
    page.wait_for_url(f"**/dataset/equipements-sportifs/resource/{resource['id']}")
    expect(page.locator("#data-dictionary tbody tr")).to_have_count(2)
