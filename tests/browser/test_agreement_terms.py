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
