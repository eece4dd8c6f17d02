# -*- coding: utf-8 -*-
"""A validator records an agreement with the form, in a real browser."""
from __future__ import annotations

from playwright.sync_api import expect
import pytest

from ckan.tests import factories, helpers

from tests.browser.test_forms import PASSWORD, login
from tests.pdf import tiny_pdf

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

COMPARED = ("organization", "reference", "title", "signed_on", "effective_on", "term",
            "initial_term_months", "renewal", "renewal_term_months", "max_total_months",
            "notice_months", "publication_mode", "validation_sla_hours", "comment_sla_hours",
            "allowed_licenses", "quota_records_per_dataset", "end_policy", "state", "calendar")


@pytest.fixture
def people():
    factories.User(name="validateur", password=PASSWORD)
    factories.Organization(name="region-sud", users=[{"name": "validateur", "capacity": "editor"}])
    factories.User(name="aix-publicateur")
    factories.Organization(name="ville-aix-en-provence", title="Ville d'Aix-en-Provence",
                           users=[{"name": "aix-publicateur", "capacity": "editor"}])
    factories.Organization(name="departement-bouches-du-rhone",
                           title="Département des Bouches-du-Rhône")


def test_the_form_and_the_api_record_the_same_agreement(live_server, page, people, tmp_path):
    """In a browser, a validator records an agreement with the form and gets the same
    terms and calendar as through the API, then adds an amendment and the signed PDF to
    its page (004 art. 4, 004 art. 13). The publisher and the partner's referent typed in
    are its contacts (002 §2.1, 003 art. 5)."""
    login(page, live_server.url, "validateur")
    page.get_by_role("button", name="Partenariat").click()  # the header's menu
    page.get_by_role("link", name="Conventions").click()
    page.get_by_role("link", name="Nouvelle convention").click()
    page.select_option("#field-organization", "ville-aix-en-provence")
    page.fill("#field-reference", "DATASUD-2019-AIX")
    page.fill("#field-title", "Convention de partenariat Open Paca")
    page.fill("#field-signed_on", "2019-12-19")
    page.fill("#field-effective_on", "2019-12-19")
    page.select_option("#field-term", "fixed")
    page.fill("#field-initial_term_months", "12")
    page.select_option("#field-renewal", "tacit")
    page.fill("#field-renewal_term_months", "12")
    page.fill("#field-notice_months", "1")
    page.check("#field-license-lov2")
    page.fill("#field-quota_records_per_dataset", "300000")
    page.select_option("#field-end_policy", "withdraw")
    page.select_option("#field-state", "active")
    page.fill("#field-contact_publisher_user", "aix-publicateur")
    page.fill("#field-contact_referent_name", "Marie Dupont")
    page.fill("#field-contact_referent_email", "m.dupont@aix.exemple.fr")
    page.get_by_role("button", name="Enregistrer la convention").click()

    expect(page.get_by_text("Convention enregistrée")).to_be_visible()
    expect(page.locator("h1").get_by_text("DATASUD-2019-AIX")).to_be_visible()
    from_form = helpers.call_action("partnership_agreement_show", context={"user": "validateur"},
                                    organization="ville-aix-en-provence")

    from_api = helpers.call_action(
        "partnership_agreement_create", context={"user": "validateur"},
        organization="departement-bouches-du-rhone", reference="DATASUD-2019-AIX",
        title="Convention de partenariat Open Paca", signed_on="2019-12-19",
        effective_on="2019-12-19", term="fixed", initial_term_months=12, renewal="tacit",
        renewal_term_months=12, notice_months=1, allowed_licenses=["lov2"],
        quota_records_per_dataset=300000, end_policy="withdraw", state="active",
    )
    for field in COMPARED:
        if field != "organization":
            assert from_form[field] == from_api[field], field
    assert [(c["role"], c["user"], c["name"], c["email"]) for c in from_form["contacts"]] == [
        ("publisher", "aix-publicateur", from_form["contacts"][0]["name"],
         from_form["contacts"][0]["email"]),
        ("referent", None, "Marie Dupont", "m.dupont@aix.exemple.fr"),
    ]

    # an amendment, listed on the agreement's page
    page.fill("#amendment-reference", "AVENANT-1")
    page.fill("#amendment-signed_on", "2021-03-01")
    page.fill("#amendment-summary", "Ajout des délibérations")
    page.get_by_role("button", name="Ajouter l'avenant").click()
    expect(page.locator(".partnership-amendments").get_by_text("AVENANT-1")).to_be_visible()

    # the signed PDF, listed on the page
    pdf = tmp_path / "convention-signee.pdf"
    pdf.write_bytes(tiny_pdf())
    page.fill("#document-title", "Convention signée")
    page.set_input_files("#document-upload", str(pdf))
    page.get_by_role("button", name="Joindre").click()
    expect(page.locator(".partnership-documents").get_by_role(
        "link", name="Convention signée")).to_be_visible()


def test_the_form_names_what_is_wrong(live_server, page, people):
    login(page, live_server.url, "validateur")
    page.goto(live_server.url + "/partnership/agreements/new")
    page.fill("#field-reference", "SANS-DUREE")
    page.fill("#field-effective_on", "2024-02-27")
    page.select_option("#field-term", "fixed")
    page.select_option("#field-renewal", "tacit")
    page.get_by_role("button", name="Enregistrer la convention").click()
    errors = page.locator(".error-explanation").inner_text()
    assert "Une durée déterminée doit être donnée en mois" in errors
