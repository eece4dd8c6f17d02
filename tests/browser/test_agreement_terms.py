# -*- coding: utf-8 -*-
"""A validator terminates an agreement by its terms and amends its terms,
in a real browser."""
from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from playwright.sync_api import expect

from ckan.tests import factories, helpers

from tests.browser.test_forms import PASSWORD, login

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

TODAY = dt.date.today()


@pytest.fixture
def agreement_000():
    """000: indefinite, 3 months' notice; 30 days of formal notice (§17.1)."""
    factories.User(name="validateur", password=PASSWORD)
    factories.Organization(name="region-sud", users=[{"name": "validateur", "capacity": "editor"}])
    factories.Organization(name="ville-hauts-de-seine", title="Ville des Hauts-de-Seine")
    return helpers.call_action(
        "partnership_agreement_create", context={"user": "validateur"},
        organization="ville-hauts-de-seine", reference="CONV-92-2021",
        effective_on=(TODAY - relativedelta(years=2)).isoformat(), term="indefinite",
        notice_months=3, breach_notice_days=30, force_majeure_months=2, state="active")


def test_a_validator_terminates_for_breach_and_sees_the_computed_date(
        live_server, page, agreement_000):
    """000 §17.1: in a browser, a validator terminates an agreement for breach from its
    page: the form computes the date, 30 days after the formal notice, and the
    agreement ends on it."""
    login(page, live_server.url, "validateur")
    page.goto(live_server.url + "/partnership/agreements/" + agreement_000["id"])
    page.get_by_text("Résilier la convention").click()
    page.select_option("#terminate-reason", "breach")
    notice = TODAY - dt.timedelta(days=2)
    page.fill("#terminate-notified_on", notice.isoformat())
    page.get_by_role("button", name="Calculer la date").click()
    computed = (notice + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    expect(page.locator(".partnership-termination-computed")).to_contain_text(computed)
    page.get_by_role("button", name="Résilier", exact=True).click()
    expect(page.get_by_text("Résiliation enregistrée")).to_be_visible()
    expect(page.locator(".partnership-agreement-facts")).to_contain_text(computed)
    shown = helpers.call_action("partnership_agreement_show", context={"user": "validateur"},
                                id=agreement_000["id"])
    assert (shown["state"], shown["termination_reason"], shown["ends_on"]) == (
        "terminating", "breach", (notice + dt.timedelta(days=30)).isoformat())


def test_a_validator_amends_the_comment_deadline_and_sees_the_terms_history(
        live_server, page, agreement_000):
    """000 §7.3: in a browser, a validator records an amendment that sets the partner's
    deadline to answer comments to 24 hours (000 §10.1.3: 48 hours before): the
    agreement's page shows the new deadline, what the amendment changed and the
    history of the term."""
    login(page, live_server.url, "validateur")
    page.goto(live_server.url + "/partnership/agreements/" + agreement_000["id"])
    page.fill("#amendment-reference", "AVENANT-1")
    page.fill("#amendment-signed_on", TODAY.isoformat())
    page.fill("#amendment-summary", "Délai de réponse aux commentaires")
    page.select_option("#amendment-term-1", "comment_sla_hours")
    page.fill("#amendment-value-1", "24")
    page.get_by_role("button", name="Ajouter l'avenant").click()
    expect(page.get_by_text("Avenant enregistré")).to_be_visible()
    expect(page.locator(".partnership-amendment-changes")).to_contain_text(
        "Réponse aux commentaires sous (heures) : 48 → 24")
    history = page.locator('.partnership-term-history table[data-term="comment_sla_hours"]')
    expect(history).to_be_visible()
    expect(history.locator("tbody tr")).to_have_count(1)
    expect(history.locator("tbody tr")).to_contain_text(TODAY.strftime("%d/%m/%Y"))
    expect(history.locator("tbody tr")).to_contain_text("l'avenant AVENANT-1")
    expect(page.locator(".partnership-agreement-facts")).to_contain_text("24")
    assert helpers.call_action("partnership_agreement_show", context={"user": "validateur"},
                               id=agreement_000["id"])["comment_sla_hours"] == 24
