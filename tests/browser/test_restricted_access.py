# -*- coding: utf-8 -*-
"""Restricted-access data (004 §7.1) in a real browser, one context per
person: a citizen sees a restricted dataset and is refused its file (403),
asks for access; the publisher grants it until a date; the citizen
downloads the file, another citizen is still refused; the download is in
the publisher's log; after the date the citizen is refused again."""
from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

import ckan.model as model

from ckanext.partnership import model as pmodel
from tests.access.conftest import restricted  # noqa: F401 - the fixture

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_a_citizen_asks_the_publisher_grants_until_a_date(live_server, people, restricted,  # noqa: F811
                                                         person):
    """In a browser, a citizen refused a restricted file asks for access, the publisher
    grants it until a date, the download is logged, and the day after the last one the
    file is refused again (004 §7.1)."""
    base = live_server.url
    package = restricted["package"]
    url = f"{base}/dataset/{package['name']}"
    file_url = f"{url}/resource/{restricted['upload']}/download/population.csv"

    citizen = person("chercheuse")
    citizen.goto(url)
    box = citizen.locator(".partnership-access-box")
    expect(box).to_contain_text("Donnée sur accès restreint")
    assert restricted["link_url"] not in citizen.content()
    refused = citizen.request.get(file_url)
    assert refused.status == 403 and restricted["mark"] not in refused.text()
    box.get_by_role("link", name="Demander l'accès").click()
    citizen.locator("#field-purpose").fill("Une étude de démographie pour l'université")
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Envoyer la demande").click()
    expect(citizen.locator(".alert-success")).to_contain_text("Votre demande a été envoyée")
    expect(citizen.locator(".partnership-access-box")).to_contain_text("le partenaire répond")

    publisher = person("aix-publicateur")
    publisher.goto(base + "/partnership/dashboard")
    item = publisher.locator('[data-list="access_requests"] li')
    expect(item).to_contain_text("Claire Chercheuse")
    item.get_by_role("link").click()
    until = dt.date.today() + dt.timedelta(days=10)
    form = publisher.locator("form.partnership-access-decide")
    form.locator("input[name=until]").fill(until.isoformat())
    form.locator("textarea[name=message]").fill("Accordé pour l'étude")
    with publisher.expect_navigation():
        form.get_by_role("button", name="Accorder").click()
    expect(publisher.locator(".alert-success")).to_contain_text("Accès accordé")

    served = citizen.request.get(file_url)
    assert served.status == 200 and restricted["mark"] in served.text()
    other = person("citoyen")
    assert other.request.get(file_url).status == 403

    publisher.goto(f"{url}/access/downloads")
    rows = publisher.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Claire Chercheuse")
    expect(rows.first).to_contain_text("Population")

    # the day after the last one
    grant = model.Session.query(pmodel.AccessGrant).one()
    grant.until = dt.date.today() - dt.timedelta(days=1)
    model.repo.commit()
    assert citizen.request.get(file_url).status == 403
    citizen.goto(url)
    expect(citizen.locator(".partnership-access-box")).to_contain_text("Demander l'accès")
