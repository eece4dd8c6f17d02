# -*- coding: utf-8 -*-
"""The freshness and label badges on the dataset page, the page of the ten
criteria and its declaration form, in French and English."""
from __future__ import annotations

import pytest

import ckan.model as model
from ckan.tests import factories

from ckanext.partnership import model as pmodel
from tests.compliance.test_dataset_compliance import (
    EU_FREQ, checked, dataset, days_ago, partner,
)
from tests.publication.test_views import _get, _post

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

CSV = [{"name": "Données", "format": "CSV", "url": "https://data.exemple.fr/d.csv"}]


def test_badges_on_the_dataset_page_in_french_and_english(app):
    """A late dataset's page says by how many days it is late, beside its open-data
    label, in French and in English (000 §10.1.1, 002 §2.2)."""
    late = dataset(partner(), frequency=EU_FREQ + "MONTHLY", modified=days_ago(100))
    days = 100 - 31 - 7  # at least: a month is 28 to 31 days
    page = _get(app, f"/dataset/{late['name']}").body
    assert "En retard de" in page and "jours" in page
    assert "Label open data :" in page
    assert f"/dataset/{late['name']}/label" in page
    english = _get(app, f"/en/dataset/{late['name']}").body
    assert "Late by" in english and "Open data label:" in english
    count = int(english.split("Late by ")[1].split(" ")[0])
    assert days <= count <= days + 3


def test_fresh_and_no_due_date(app):
    org = partner()
    fresh = dataset(org, frequency=EU_FREQ + "MONTHLY", modified=days_ago(1))
    assert "À jour" in _get(app, f"/dataset/{fresh['name']}").body
    never = dataset(org, frequency=EU_FREQ + "IRREG", modified=days_ago(1))
    assert "Sans échéance" in _get(app, f"/dataset/{never['name']}").body


def test_the_label_page_lists_the_ten_criteria_with_their_evidence(app):
    """The dataset's label page shows the ten criteria with their evidence and the
    score, in French and in English (000 annex 3)."""
    org = partner()
    created = dataset(org, frequency=EU_FREQ + "MONTHLY", modified=days_ago(1), resources=CSV)
    checked(created["id"])
    page = _get(app, f"/dataset/{created['name']}/label").body
    assert page.count('class="partnership-criterion ') == 10
    assert "Licence ouverte claire" in page and "Rempli" in page and "À établir" in page
    assert "Label open data : 9/10" in page
    assert "Le portail ne peut pas savoir si tous les enregistrements" in page
    assert "partnership-label-declare" not in page  # anonymous: no form
    english = _get(app, f"/en/dataset/{created['name']}/label").body
    assert "Clear open licence" in english and "To be established" in english


def test_the_publisher_declares_through_the_form(app):
    org = partner()
    created = dataset(org, frequency=EU_FREQ + "MONTHLY", modified=days_ago(1), resources=CSV)
    checked(created["id"])
    user = org["publisher"]["name"]
    page = _get(app, f"/dataset/{created['name']}/label", user=user).body
    assert "partnership-label-declare" in page and "_csrf_token" in page
    response = _post(app, f"/dataset/{created['name']}/label/declare", user,
                     {"criterion": "complete", "status": "pass", "comment": "Exhaustif"})
    assert response.status_code == 200
    assert "Label open data : 10/10" in response.body
    assert "Exhaustif" in response.body
    assert model.Session.query(pmodel.LabelDeclaration).count() == 1
    bad = _post(app, f"/dataset/{created['name']}/label/declare", user,
                {"criterion": "timely", "status": "pass"})
    assert bad.status_code == 200  # back to the page, the error flashed
    assert model.Session.query(pmodel.LabelDeclaration).count() == 1


def test_strangers_may_not_declare_and_a_private_label_stays_private(app):
    org = partner()
    created = dataset(org, private=True, frequency=EU_FREQ + "MONTHLY", modified=days_ago(1))
    stranger = factories.User()["name"]
    assert _get(app, f"/dataset/{created['name']}/label").status_code in (403, 404)
    assert _get(app, f"/dataset/{created['name']}/label", user=stranger).status_code in (403, 404)
    response = _post(app, f"/dataset/{created['name']}/label/declare", stranger,
                     {"criterion": "complete", "status": "pass"})
    assert response.status_code == 403
    assert model.Session.query(pmodel.LabelDeclaration).count() == 0
    assert _get(app, "/dataset/pas-de-jeu/label").status_code == 404
