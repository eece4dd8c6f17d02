# -*- coding: utf-8 -*-
"""Pages and API answers, through CKAN's Flask app."""
from __future__ import annotations

import pytest

from ckan.tests import factories, helpers

from tests.factories import EU_FREQ, full_dataset, partner

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def dataset():
    org = partner()
    return helpers.call_action(
        "package_create", context={"user": org["publisher"]["name"]}, **full_dataset(org)
    )


def test_dataset_page_shows_source_and_update_date_in_french(app, dataset):
    """The dataset page shows « Source : <partner> » and « Date de mise à jour : JJ/MM/AAAA
    », with the profile's dates and labels in French (000 §16.3)."""
    page = app.get("/dataset/" + dataset["name"]).body
    assert "Source : Ville d&#39;Aix-en-Provence" in page
    assert "Date de mise à jour : 10/11/2025" in page
    # dates of the profile shown JJ/MM/AAAA, labels of the vocabularies
    assert "05/01/2025" in page
    assert "Bi-mensuelle" in page
    assert "Population et société" in page


def test_dataset_page_in_english(app, dataset):
    page = app.get("/en/dataset/" + dataset["name"]).body
    assert "Source: Ville d&#39;Aix-en-Provence" in page
    assert "Last updated: 10/11/2025" in page
    assert "Twice a month" in page


def _create_with_bad_frequency(app, prefix):
    user = factories.Sysadmin()
    org = partner()
    token = helpers.call_action(
        "api_token_create", context={"user": user["name"]}, user=user["name"], name="t"
    )["token"]
    return app.post(
        prefix + "/api/3/action/package_create",
        json=full_dataset(org, frequency=EU_FREQ + "BIMONTHLY"),
        headers={"Authorization": token},
        status=409,
    ).json["error"]


def test_api_errors_name_the_field_in_french(app):
    """A frequency outside the agreements' 13 is refused by the API, the error naming the
    field and the value in French (002 §2.6)."""
    error = _create_with_bad_frequency(app, "")
    assert error["__type"] == "Validation Error"
    [message] = error["frequency"]
    assert message.startswith("Valeur inconnue « " + EU_FREQ + "BIMONTHLY »")


def test_api_errors_in_english_under_en(app):
    [message] = _create_with_bad_frequency(app, "/en")["frequency"]
    assert message.startswith('Unknown value "' + EU_FREQ + 'BIMONTHLY"')


def test_partner_page_shows_its_profile(app):
    org = factories.Organization(
        name="ville-aix-en-provence", title="Ville d'Aix-en-Provence",
        status="commune", siren="211300017", website="https://www.aixenprovence.fr",
        opendata_email="opendata@aix.exemple.fr",
        missions="État civil, écoles, culture.", key_figures="- 147 000 habitants",
    )
    about = app.get("/organization/about/" + org["name"]).body
    assert "<h2>Missions</h2>" in about
    assert "État civil, écoles, culture." in about
    assert "<h2>Chiffres clés</h2>" in about
    assert "147 000 habitants" in about
    assert "Commune" in about and "211300017" in about
    page = app.get("/organization/" + org["name"]).body
    assert "https://www.aixenprovence.fr" in page
    assert "opendata@aix.exemple.fr" in page


def test_an_invalid_siren_is_refused():
    with pytest.raises(helpers.logic.ValidationError) as error:
        factories.Organization(siren="211300018")
    assert "siren" in error.value.error_dict


def test_partner_page_shows_its_agreement_public_facts(app):
    factories.Sysadmin(name="admin")
    org = factories.Organization(name="ville-aix-en-provence", title="Ville d'Aix-en-Provence")
    helpers.call_action(
        "partnership_agreement_create", context={"user": "admin"},
        organization=org["name"], reference="CONV-2019-AIX", effective_on="2019-12-19",
        term="fixed", initial_term_months=12, renewal="tacit", renewal_term_months=12,
        notice_months=1, state="active",
    )
    page = app.get("/organization/" + org["name"]).body
    assert "Convention de partenariat" in page
    assert "CONV-2019-AIX – en vigueur" in page
    assert "depuis le 19/12/2019" in page
