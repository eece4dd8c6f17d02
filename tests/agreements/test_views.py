# -*- coding: utf-8 -*-
"""The agreement pages, through CKAN's Flask app."""
from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from ckan.tests import factories, helpers

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def setup():
    validator = factories.User(name="validateur")
    factories.Organization(name="region-sud",
                           users=[{"name": "validateur", "capacity": "editor"}])
    member = factories.User(name="aix-producteur")
    outsider = factories.User(name="citoyen")
    org = factories.Organization(name="ville-aix-en-provence", title="Ville d'Aix-en-Provence",
                                 users=[{"name": "aix-producteur", "capacity": "editor"}])
    # in force for six months: its next deadline is the notice deadline
    effective_on = dt.date.today() - relativedelta(months=6)
    agreement = helpers.call_action(
        "partnership_agreement_create", context={"user": "validateur"},
        organization=org["name"], reference="CONV-2019-AIX", effective_on=effective_on.isoformat(),
        term="fixed", initial_term_months=12, renewal="tacit", renewal_term_months=12,
        notice_months=1, state="active",
    )
    deadline = effective_on + relativedelta(months=11)
    return {"validator": validator, "member": member, "outsider": outsider,
            "agreement": agreement, "deadline": deadline.strftime("%d/%m/%Y")}


def get(app, url, user, status=200, **kwargs):
    return app.get(url, **kwargs, headers={"Authorization": helpers.call_action(
        "api_token_create", context={"user": user["name"]}, user=user["name"], name="t"
    )["token"]} if user else {}, status=status)


def test_validators_see_every_agreement_with_its_next_deadline(app, setup):
    """The validators' list of agreements shows each one in force with its next notice
    deadline (004 §14.3)."""
    page = get(app, "/partnership/agreements", setup["validator"]).body
    assert "CONV-2019-AIX" in page
    assert "en vigueur" in page
    assert f"date limite de préavis : {setup['deadline']}" in page
    page = get(app, "/partnership/agreements?state=ended", setup["validator"]).body
    assert "CONV-2019-AIX" not in page


def test_others_cannot_list_agreements(app, setup):
    get(app, "/partnership/agreements", setup["member"], status=403)
    get(app, "/partnership/agreements", None, status=403)


def test_the_partner_reads_its_agreement_but_not_the_public(app, setup):
    url = "/partnership/agreements/" + setup["agreement"]["id"]
    page = get(app, url, setup["member"]).body
    assert "CONV-2019-AIX" in page and "Date limite de préavis" in page
    assert "partnership-amendment-form" not in page  # read-only
    get(app, url, setup["outsider"], status=403)
    assert get(app, "/organization/agreement/ville-aix-en-provence", setup["member"],
               status=302, follow_redirects=False).location.endswith(url)


def test_editing_with_the_form_keeps_the_contacts_it_does_not_show(app, setup):
    helpers.call_action(
        "partnership_agreement_patch", context={"user": "validateur"},
        id=setup["agreement"]["id"],
        contacts=[{"role": "producer", "user": "aix-producteur"}],
    )
    token = helpers.call_action("api_token_create", context={"user": "validateur"},
                                user="validateur", name="t")["token"]
    url = "/partnership/agreements/{}/edit".format(setup["agreement"]["id"])
    form = app.get(url, headers={"Authorization": token}).body
    assert 'value="CONV-2019-AIX"' in form
    agreement = helpers.call_action("partnership_agreement_show", context={"user": "validateur"},
                                    id=setup["agreement"]["id"])
    app.post(url, headers={"Authorization": token}, data={
        "organization": "ville-aix-en-provence", "reference": "CONV-2019-AIX-bis",
        "effective_on": agreement["effective_on"], "term": "fixed", "initial_term_months": "12",
        "renewal": "tacit", "renewal_term_months": "12", "notice_months": "1",
        "publication_mode": "validated", "end_policy": "keep", "state": "active",
        "validation_sla_hours": "48", "comment_sla_hours": "48",
    })
    agreement = helpers.call_action("partnership_agreement_show", context={"user": "validateur"},
                                    id=setup["agreement"]["id"])
    assert agreement["reference"] == "CONV-2019-AIX-bis"
    assert [c["user"] for c in agreement["contacts"]] == ["aix-producteur"]


def test_the_form_lists_every_referent_adds_one_and_ends_one(app, setup):
    """002 §2.1, 003 art. 5: the partner designates one or more referents; the
    agreement form shows each current one with a blank row to add another, and saving
    it keeps them (emptying a row ends that referent's role, its history kept)."""
    agreement_id = setup["agreement"]["id"]
    helpers.call_action(
        "partnership_agreement_patch", context={"user": "validateur"}, id=agreement_id,
        contacts=[{"role": "referent", "name": "Marie Dupont", "email": "m.dupont@aix.fr"},
                  {"role": "referent", "name": "Luc Martin", "email": "l.martin@aix.fr"},
                  {"role": "host_referent", "user": "validateur"}],
    )
    token = helpers.call_action("api_token_create", context={"user": "validateur"},
                                user="validateur", name="t")["token"]
    url = f"/partnership/agreements/{agreement_id}/edit"
    form = app.get(url, headers={"Authorization": token}).body
    assert 'value="m.dupont@aix.fr"' in form and 'value="l.martin@aix.fr"' in form
    assert 'id="field-contact_referent_email-2"' in form  # the blank row
    assert 'id="field-contact_referent_email-3"' not in form

    def referents():
        shown = helpers.call_action("partnership_agreement_show",
                                    context={"user": "validateur"}, id=agreement_id)
        return sorted(c.get("user") or c["email"] for c in shown["contacts"]
                      if c["role"] in ("referent", "host_referent"))

    terms = {
        "organization": "ville-aix-en-provence", "reference": "CONV-2019-AIX",
        "effective_on": setup["agreement"]["effective_on"], "term": "fixed",
        "initial_term_months": "12", "renewal": "tacit", "renewal_term_months": "12",
        "notice_months": "1", "publication_mode": "validated", "end_policy": "keep",
        "state": "active", "validation_sla_hours": "48", "comment_sla_hours": "48",
        "contact_host_referent_user": "validateur",
    }
    # saved as shown, plus a third referent in the blank row
    app.post(url, headers={"Authorization": token}, data={
        **terms,
        "contact_referent_name": "Marie Dupont", "contact_referent_email": "m.dupont@aix.fr",
        "contact_referent_name-1": "Luc Martin", "contact_referent_email-1": "l.martin@aix.fr",
        "contact_referent_name-2": "Ana Roux", "contact_referent_email-2": "a.roux@aix.fr",
    })
    assert referents() == ["a.roux@aix.fr", "l.martin@aix.fr", "m.dupont@aix.fr", "validateur"]
    # Luc Martin's row emptied: his role ends, the others stay
    app.post(url, headers={"Authorization": token}, data={
        **terms,
        "contact_referent_name": "Marie Dupont", "contact_referent_email": "m.dupont@aix.fr",
        "contact_referent_name-1": "", "contact_referent_email-1": "",
        "contact_referent_name-2": "Ana Roux", "contact_referent_email-2": "a.roux@aix.fr",
    })
    assert referents() == ["a.roux@aix.fr", "m.dupont@aix.fr", "validateur"]
    shown = helpers.call_action("partnership_agreement_show", context={"user": "validateur"},
                                id=agreement_id)
    [ended] = [c for c in shown["contact_history"] if c.get("email") == "l.martin@aix.fr"]
    assert ended["until"]


def test_the_public_partner_page_shows_the_annex(app, setup):
    """The partner's public page lists the datasets its agreement plans, each marked
    planned until published (002 §2.2, 003 art. 5)."""
    helpers.call_action("partnership_planned_dataset_create", context={"user": "validateur"},
                        agreement_id=setup["agreement"]["id"], title="Menus des cantines")
    about = app.get("/organization/about/ville-aix-en-provence").body
    assert "Jeux de données prévus par la convention" in about
    assert "Menus des cantines" in about
    assert "prévu" in about


def test_the_agreement_page_warns_of_a_missing_committee(app, setup):
    """The agreement page warns when no steering committee met in the last 12 months of
    an agreement in force for more than a year (000 art. 12)."""
    token = helpers.call_action("api_token_create", context={"user": "aix-producteur"},
                                user="aix-producteur", name="t")["token"]
    url = "/partnership/agreements/" + setup["agreement"]["id"]
    warning = "Aucun comité de suivi ne s'est réuni depuis 12 mois"
    # in force for six months: no warning yet
    assert warning not in app.get(url, headers={"Authorization": token}).body
    helpers.call_action("partnership_agreement_patch", context={"user": "validateur"},
                        id=setup["agreement"]["id"],
                        effective_on=(dt.date.today() - relativedelta(years=2)).isoformat())
    page = app.get(url, headers={"Authorization": token}).body
    assert warning in page


def test_a_validator_terminates_from_the_page(app, setup):
    token = helpers.call_action("api_token_create", context={"user": "validateur"},
                                user="validateur", name="t")["token"]
    agreement = setup["agreement"]
    app.post("/partnership/agreements/{}/terminate".format(agreement["id"]),
             headers={"Authorization": token},
             data={"reason": "mutual", "notified_on": dt.date.today().isoformat(),
                   "effective_on": (dt.date.today() + relativedelta(months=1)).isoformat()})
    shown = helpers.call_action("partnership_agreement_show", context={"user": "validateur"},
                                id=agreement["id"])
    assert shown["state"] == "terminating"
    assert shown["ends_on"] == (dt.date.today() + relativedelta(months=1)).isoformat()
    page = app.get("/partnership/agreements/" + agreement["id"],
                   headers={"Authorization": token}).body
    assert "en cours de résiliation" in page


QUOTA_FIELDS = {"quota_records_per_dataset": "300000", "quota_records_total": "20000000",
                "quota_storage_bytes": "30000000000", "quota_updates_per_day_bytes": "1000000000",
                "quota_api_calls_per_month": "300000"}


def test_the_form_sets_every_quota_and_the_page_shows_them(app, setup):
    """002 §3.3's five quotas, set from the form, shown on the agreement's
    page; an edit that leaves them empty removes the limits."""
    token = helpers.call_action("api_token_create", context={"user": "validateur"},
                                user="validateur", name="t")["token"]
    agreement_id = setup["agreement"]["id"]
    url = f"/partnership/agreements/{agreement_id}/edit"
    form = {
        "organization": "ville-aix-en-provence", "reference": "CONV-2019-AIX",
        "effective_on": setup["agreement"]["effective_on"], "term": "fixed",
        "initial_term_months": "12", "renewal": "tacit", "renewal_term_months": "12",
        "notice_months": "1", "publication_mode": "validated", "end_policy": "keep",
        "state": "active", "validation_sla_hours": "48", "comment_sla_hours": "48",
    }
    app.post(url, headers={"Authorization": token}, data={**form, **QUOTA_FIELDS})
    shown = helpers.call_action("partnership_agreement_show", context={"user": "validateur"},
                                id=agreement_id)
    assert {k: shown[k] for k in QUOTA_FIELDS} == {k: int(v) for k, v in QUOTA_FIELDS.items()}
    edit = app.get(url, headers={"Authorization": token}).body
    assert 'value="1000000000"' in edit and 'value="30000000000"' in edit
    page = get(app, f"/partnership/agreements/{agreement_id}", setup["member"]).body
    assert "Fichiers modifiés en un jour, octets (quota)" in page
    assert "Appels à l'API par mois, tous partenaires (quota)" in page
    for field, value in QUOTA_FIELDS.items():
        code = field[len("quota_"):]
        assert f'<dd class="partnership-quota-{code}">{value}</dd>' in page
    # a bad figure is the form's error, naming the field, nothing stored
    bad = app.post(url, headers={"Authorization": token},
                   data={**form, **QUOTA_FIELDS, "quota_api_calls_per_month": "-3"})
    assert bad.status_code == 200 and "field-quota_api_calls_per_month" in bad.body
    app.post(url, headers={"Authorization": token}, data=form)
    shown = helpers.call_action("partnership_agreement_show", context={"user": "validateur"},
                                id=agreement_id)
    assert [shown[k] for k in QUOTA_FIELDS] == [None] * 5
