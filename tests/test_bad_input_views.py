# -*- coding: utf-8 -*-
"""Bad input through HTTP (the Flask test app): the Action API answers 409
naming the field, the forms show the error, never a 500; and the rate
limit counts per network address as well as per account or e-mail."""
from __future__ import annotations

import re

import pytest

import ckan.model as model
from ckan.tests import helpers

from ckanext.partnership import model as pmodel
from tests.publication.test_views import _get, _post


def _token(user):
    return helpers.call_action("api_token_create", context={"user": user}, user=user,
                               name="t")["token"]


def _api(app, action, data, user=None, address="192.0.2.10"):
    headers = {"Authorization": _token(user)} if user else {}
    return app.post(f"/api/3/action/{action}", json=data, headers=headers, status=None,
                    environ_base={"REMOTE_ADDR": address})


def _contact_form(app, data, address, org="ville-aix-en-provence"):
    """Post the contact form as an anonymous visitor from ``address``."""
    url = f"/organization/contact/{org}"
    page = app.get(url, environ_base={"REMOTE_ADDR": address})
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.body).group(1)
    return app.post(url, data={**data, "_csrf_token": token}, status=None,
                    environ_base={"REMOTE_ADDR": address})


def _message(email="camille@exemple.fr", **overrides):
    return {"name": "Camille Durand", "email": email, "subject": "Menus",
            "body": "Publierez-vous les menus ?", **overrides}


@pytest.mark.parametrize("bad", ["\x00", "\ud800"], ids=["nul", "surrogate"])
def test_the_api_answers_409_naming_the_field(app, public_dataset, bad):
    for field in ("name", "email", "subject", "body"):
        data = {"organization": "ville-aix-en-provence", **_message()}
        data[field] = data[field][:3] + bad + data[field][3:]
        response = _api(app, "partnership_contact_create", data)
        assert response.status_code == 409, (field, response.body)
        assert field in response.json["error"], response.json
    response = _api(app, "partnership_comment_create",
                    {"package_id": public_dataset["id"], "body": f"Question {bad}"}, "citoyen")
    assert response.status_code == 409 and "body" in response.json["error"]
    response = _api(app, "partnership_agreement_patch",
                    {"id": public_dataset["id"], "title": "x"}, "validateur")
    assert response.status_code == 404  # a well-formed id that is no agreement
    agreement = helpers.call_action("partnership_agreement_show",
                                    organization="ville-aix-en-provence")
    response = _api(app, "partnership_agreement_patch",
                    {"id": agreement["id"], "reference": f"CONV{bad}"}, "validateur")
    assert response.status_code == 409 and "reference" in response.json["error"]
    assert model.Session.query(pmodel.Thread).count() == 0


def test_the_api_answers_409_for_numbers_out_of_range(app, people):
    agreement = people["agreement"]
    for field, value in (("validation_sla_hours", 2**31), ("validation_sla_hours", 0),
                         ("quota_records_total", 2**63)):
        response = _api(app, "partnership_agreement_patch",
                        {"id": agreement["id"], field: value}, "validateur")
        assert response.status_code == 409, response.body
        assert field in response.json["error"]
    assert model.Session.get(pmodel.Agreement, agreement["id"]).validation_sla_hours == 48


def test_the_forms_show_the_error(app, public_dataset):
    page = _contact_form(app, _message(name="Cam\x00ille"), "192.0.2.11")
    assert page.status_code == 200
    assert "caractère NUL" in page.body
    page = _post(app, f"/dataset/{public_dataset['name']}/comments", "citoyen",
                 {"body": "Merci\x00 !"})
    assert page.status_code == 200 and "caractère NUL" in page.body
    page = _post(app, "/partnership/agreements/new", "validateur",
                 {"organization": "departement-13", "reference": "CONV-13",
                  "effective_on": "2026-01-01", "term": "fixed", "initial_term_months": "12",
                  "renewal": "none", "state": "draft", "validation_sla_hours": str(2**31)})
    assert page.status_code == 200
    assert "Doit être un nombre entier de 1 à 8760" in page.body
    page = _post(app, "/partnership/agreements/new", "validateur",
                 {"organization": "departement-13", "reference": "CONV\x00-13",
                  "effective_on": "2026-01-01", "term": "fixed", "initial_term_months": "12",
                  "renewal": "none", "state": "draft"})
    assert page.status_code == 200 and "caractère NUL" in page.body
    assert model.Session.query(pmodel.Thread).count() == 0
    assert model.Session.query(pmodel.Agreement).count() == 1


def test_changing_the_email_does_not_lift_the_limit_of_an_address(app, people):
    for i in range(5):
        page = _contact_form(app, _message(f"camille{i}@exemple.fr"), "198.51.100.7")
        assert "Votre message est envoyé" in page.body, i
    page = _contact_form(app, _message("camille5@exemple.fr"), "198.51.100.7")
    assert page.status_code == 200
    assert "Au plus 5 messages toutes les 10 minutes" in page.body
    response = _api(app, "partnership_contact_create",
                    {"organization": "ville-aix-en-provence", **_message("c6@exemple.fr")},
                    address="198.51.100.7")
    assert response.status_code == 409 and "body" in response.json["error"]
    assert "5" in response.json["error"]["body"][0]
    # another address is not held back
    page = _contact_form(app, _message("camille5@exemple.fr"), "198.51.100.8")
    assert "Votre message est envoyé" in page.body
    assert model.Session.query(pmodel.Thread).count() == 6


def test_changing_the_account_does_not_lift_the_limit_of_an_address(app, public_dataset):
    from ckan.tests import factories

    for name in ("curieux", "curieuse"):
        factories.User(name=name)
    for i, user in enumerate(["citoyen", "citoyen", "citoyen", "curieux", "curieux"]):
        response = _api(app, "partnership_comment_create",
                        {"package_id": public_dataset["id"], "body": f"Question {i}"}, user,
                        address="203.0.113.5")
        assert response.status_code == 200, response.body
    response = _api(app, "partnership_comment_create",
                    {"package_id": public_dataset["id"], "body": "Encore"}, "curieuse",
                    address="203.0.113.5")
    assert response.status_code == 409 and "body" in response.json["error"]
    response = _api(app, "partnership_comment_create",
                    {"package_id": public_dataset["id"], "body": "Encore"}, "curieuse",
                    address="203.0.113.6")
    assert response.status_code == 200
    # the partner answers from any address
    first = model.Session.query(pmodel.Comment).order_by(pmodel.Comment.created).first()
    response = _api(app, "partnership_comment_create",
                    {"package_id": public_dataset["id"], "body": "Réponse",
                     "reply_to": first.id}, "aix-publicateur", address="203.0.113.5")
    assert response.status_code == 200


def test_an_agreement_past_its_end_is_not_shown_in_force(app, people):
    from tests.logic.test_bad_input import _org, agreement_002

    _org()
    draft = helpers.call_action("partnership_agreement_create", context={"user": "validateur"},
                                **agreement_002(state="draft"))
    row = model.Session.get(pmodel.Agreement, draft["id"])
    row.state = "active"  # recorded while it ran; notify has not run since its end
    model.Session.commit()
    page = _get(app, "/organization/commune-de-gap").body
    assert "CONV-2019-GAP" in page
    assert "terminée" in page and "en vigueur" not in page
    page = _get(app, f"/partnership/agreements/{draft['id']}", "validateur").body
    assert "terminée" in page
    page = _get(app, "/partnership/agreements?state=active", "validateur").body
    assert "CONV-2019-AIX" in page and "CONV-2019-GAP" not in page
    # the agreement form refuses to put it back in force
    page = _post(app, "/partnership/agreements/new", "validateur",
                 {"organization": "commune-de-gap", "reference": "CONV-2019-GAP-BIS",
                  "effective_on": "2019-07-01", "term": "fixed", "initial_term_months": "36",
                  "renewal": "tacit", "renewal_term_months": "12", "max_total_months": "72",
                  "state": "active"})
    assert page.status_code == 200 and "30/06/2025" in page.body


def test_the_messages_in_french_and_english(app, people):
    data = {"organization": "ville-aix-en-provence", **_message(name="Cam\x00ille")}
    french = app.post("/api/3/action/partnership_contact_create", json=data, status=None)
    english = app.post("/en/api/3/action/partnership_contact_create", json=data, status=None)
    assert french.status_code == english.status_code == 409
    assert "caractère NUL" in french.json["error"]["name"][0]
    assert "NUL character" in english.json["error"]["name"][0]
    data = {"id": people["agreement"]["id"], "comment_sla_hours": 0}
    token = {"Authorization": _token("validateur")}
    english = app.post("/en/api/3/action/partnership_agreement_patch", json=data,
                       headers=token, status=None)
    assert english.json["error"]["comment_sla_hours"] == [
        "Must be a whole number from 1 to 8760"]
