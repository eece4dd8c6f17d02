# -*- coding: utf-8 -*-
"""The schema API (scheming_dataset_schema_show) lists the values of every
controlled field with their French and English labels, in scheming's own
``choices`` form, from the vocabularies: a script learns what a form
offers. The form keeps offering them in the user's language."""
from __future__ import annotations

import pytest

from ckan.tests import helpers

from ckanext.partnership.domain import vocabularies

from tests.factories import EU_FREQ, EU_THEME, partner

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

CONTROLLED = {
    "theme": vocabularies.THEMES,
    "frequency": vocabularies.FREQUENCIES,
    "granularity": vocabularies.GRANULARITIES,
    "access_rights": vocabularies.ACCESS_LEVELS,
    "access_restriction": vocabularies.ACCESS_RESTRICTIONS,
}


def _schema(app, **params) -> dict:
    response = app.get("/api/3/action/scheming_dataset_schema_show",
                       query_string={"type": "dataset", **params})
    assert response.status_code == 200, response.body
    return response.json["result"]


@pytest.mark.parametrize("expanded", ["true", "false"])
def test_each_controlled_field_lists_its_values_with_both_labels(app, expanded):
    fields = {f["field_name"]: f for f in _schema(app, expanded=expanded)["dataset_fields"]}
    for name, terms in CONTROLLED.items():
        assert fields[name]["choices"] == [
            {"value": t.value, "label": {"fr": t.fr, "en": t.en}} for t in terms
        ], name
    frequencies = [c["value"] for c in fields["frequency"]["choices"]]
    assert len(frequencies) == 13 and EU_FREQ + "MONTHLY_2" in frequencies
    assert {"value": EU_THEME + "ECON",
            "label": {"fr": "Économie et finances", "en": "Economy and finance"}
            } in fields["theme"]["choices"]
    # fields without a vocabulary get none
    assert "choices" not in fields["title"]


def test_the_form_keeps_offering_the_values_in_the_users_language(app):
    publisher = partner()["publisher"]["name"]
    token = helpers.call_action("api_token_create", context={"user": publisher},
                                user=publisher, name="t")["token"]
    headers = {"Authorization": token}
    french = app.get("/dataset/new", headers=headers).body
    english = app.get("/en/dataset/new", headers=headers).body
    assert "Bi-mensuelle" in french and "Twice a month" not in french
    assert "Twice a month" in english and "Bi-mensuelle" not in english
    assert 'value="' + EU_FREQ + 'MONTHLY_2"' in french
    # the schema API leaves the form's own schema untouched
    _schema(app)
    assert "Bi-mensuelle" in app.get("/dataset/new", headers=headers).body
