# -*- coding: utf-8 -*-
"""The partner's compliance page and the table of every partner, with its
CSV export, in French and English; a private dataset never shows."""
from __future__ import annotations

import csv
import io

import pytest

from ckan.tests import factories

from ckanext.partnership import notify
from tests.compliance.test_dataset_compliance import EU_FREQ, TODAY, dataset, days_ago, partner
from tests.publication.test_views import _get

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

SECRET = "Registre confidentiel des agents"


@pytest.fixture
def partners():
    aix = partner(name="aix", title="Ville d'Aix")
    dataset(aix, title="Menus en retard", frequency=EU_FREQ + "MONTHLY", modified=days_ago(100))
    dataset(aix, title="Horaires à jour", frequency=EU_FREQ + "MONTHLY", modified=days_ago(1))
    dataset(aix, title=SECRET, frequency=EU_FREQ + "MONTHLY", modified=days_ago(200),
            private=True)
    # a title a spreadsheet would run
    evil = partner(name="formule", title="=HYPERLINK(\"http://x\")")
    dataset(evil, title="Budget", frequency=EU_FREQ + "WEEKLY", modified=days_ago(1))
    dataset(evil, title="Budget 2", frequency=EU_FREQ + "WEEKLY", modified=days_ago(1))
    notify.run(TODAY)
    return aix, evil


def test_the_partner_page_in_french_and_english(app, partners):
    aix, _evil = partners
    page = _get(app, "/organization/compliance/aix")
    assert page.status_code == 200
    body = page.body
    assert "2 jeux de données : 1 à jour, 1 en retard, 0 sans échéance ; label open data : 0" in body
    assert "score médian" in body
    # the late dataset first, with its freshness and label linking to the label page
    assert body.index("Menus en retard") < body.index("Horaires à jour")
    assert "En retard de" in body and "Label open data :" in body
    assert "/dataset/" in body and "/label" in body
    # the chart, accessible, and its figures as a table
    assert '<svg' in body and 'role="img"' in body and "<title>Part des jeux" in body
    assert 'class="table table-sm partnership-history-table"' in body
    assert "50 %" in body
    assert "Critères les plus souvent non remplis" in body and "À jour" in body
    assert SECRET not in body
    english = _get(app, "/en/organization/compliance/aix")
    assert english.status_code == 200
    assert "2 datasets: 1 up to date, 1 late, 0 without a due date" in english.body
    assert "Share of datasets up to date" in english.body
    assert SECRET not in english.body
    assert _get(app, "/organization/compliance/inconnue").status_code == 404


def test_the_organisation_page_links_to_it(app, partners):
    body = _get(app, "/organization/aix").body
    assert "/organization/compliance/aix" in body and "Chiffres de conformité" in body


def test_the_table_of_partners_sorts_by_each_column(app, partners):
    page = _get(app, "/partnership/compliance")
    assert page.status_code == 200
    body = page.body
    assert "Conformité des partenaires" in body and "2 partenaires" in body
    assert 'aria-sort="ascending" data-column="title"' in body
    # the current column's link reverses the order, the others sort ascending
    assert "sort=title&amp;order=desc" in body and "sort=late&amp;order=asc" in body
    assert body.index("=HYPERLINK") < body.index("Ville d&#39;Aix")
    late = _get(app, "/partnership/compliance?sort=late&order=desc").body
    assert 'aria-sort="descending" data-column="late"' in late
    assert late.index("Ville d&#39;Aix") < late.index("=HYPERLINK")
    assert "sort=late&amp;order=asc" in late and "/partnership/compliance.csv?sort=late" in late
    assert SECRET not in body
    english = _get(app, "/en/partnership/compliance?sort=nope")
    assert english.status_code == 200
    assert "2 partners" in english.body, english.body[english.body.find("<h1"):][:600]
    assert "Partners" in english.body and "Conformité des partenaires" not in english.body


def test_the_csv_has_every_partner_in_the_tables_order_escaped(app, partners):
    response = _get(app, "/partnership/compliance.csv?sort=late&order=desc")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    raw = response.data
    assert raw.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Nom de l'organisation", "Partenaire", "Jeux de données", "À jour",
                       "En retard", "Sans échéance", "Label open data", "Score médian",
                       "Part à jour"]
    assert [r[0] for r in rows[1:]] == ["aix", "formule"]
    assert rows[1][2:7] == ["2", "1", "1", "0", "0"] and rows[1][8] == "0,5"
    # the formula is neutralised
    assert rows[2][1] == "'=HYPERLINK(\"http://x\")"
    assert SECRET not in raw.decode("utf-8-sig")


def test_the_menu_offers_the_table_to_validators_and_partners(app, partners):
    aix, _evil = partners
    validator = factories.Sysadmin()["name"]
    assert "Conformité des partenaires" in _get(app, "/dataset/", user=validator).body
    assert "Conformité des partenaires" in _get(app, "/dataset/",
                                                user=aix["publisher"]["name"]).body


def test_quotas_as_bars_to_the_partner_s_members_and_validators_only(app, partners):
    from tests.compliance.test_quotas import agree

    aix, evil = partners
    factories.User(name="validateur")
    factories.Organization(name="region-sud",
                           users=[{"name": "validateur", "capacity": "editor"}])
    agree(aix, quota_records_total=100, quota_storage_bytes=10 ** 9)
    for user in ("validateur", aix["publisher"]["name"]):
        body = _get(app, "/organization/compliance/aix", user).body
        assert "Quotas de la convention" in body
        assert 'data-quota="records_total"' in body and "Enregistrements de tous les jeux" in body
        assert "Fichiers stockés" in body and "sans limite" in body  # the limits not set
        assert 'class="partnership-quota-bar" aria-hidden="true"' in body
    for user in (None, evil["publisher"]["name"]):
        body = _get(app, "/organization/compliance/aix", user).body
        assert "Quotas de la convention" not in body and "partnership-quota-bar" not in body
    table = _get(app, "/partnership/compliance", "validateur").body
    assert "Quota le plus proche de sa limite" in table
    assert "Quota le plus proche de sa limite" not in _get(app, "/partnership/compliance").body
    rows = list(csv.reader(io.StringIO(
        _get(app, "/partnership/compliance.csv", "validateur").body.lstrip("\ufeff")),
        delimiter=";"))
    assert rows[0][-5:] == [
        "Enregistrements du plus gros jeu de données, part de la limite",
        "Enregistrements de tous les jeux de données, part de la limite",
        "Fichiers stockés, part de la limite",
        "Fichiers modifiés aujourd'hui, part de la limite",
        "Appels à l'API ce mois-ci, tous partenaires confondus, part de la limite"]
    assert all(len(row) == len(rows[0]) for row in rows)
    public = list(csv.reader(io.StringIO(
        _get(app, "/partnership/compliance.csv").body.lstrip("\ufeff")), delimiter=";"))
    assert len(public[0]) == len(rows[0]) - 5
