# -*- coding: utf-8 -*-
"""Agreements through the action API (shared API, "Agreements")."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.partnership import model as pmodel
import ckan.model as model

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


@pytest.fixture
def host():
    validator = factories.User(name="validateur")
    factories.Organization(name="region-sud", users=[{"name": "validateur", "capacity": "editor"}])
    return validator


@pytest.fixture
def partner():
    factories.User(name="aix-publicateur", email="pub@aix.exemple.fr")
    factories.User(name="aix-producteur")
    org = factories.Organization(
        name="ville-aix-en-provence", title="Ville d'Aix-en-Provence",
        users=[{"name": "aix-publicateur", "capacity": "editor"},
               {"name": "aix-producteur", "capacity": "editor"}],
    )
    return org


def as_validator():
    return {"user": "validateur"}


def agreement_004(**overrides):
    """004: one year from the host's notification, renewed year to year."""
    data = {
        "organization": "ville-aix-en-provence",
        "reference": "CONV-2019-AIX",
        "title": "Convention de partenariat Open Data",
        "signed_on": "2019-12-19",
        "effective_on": "2019-12-19",
        "term": "fixed",
        "initial_term_months": 12,
        "renewal": "tacit",
        "renewal_term_months": 12,
        "notice_months": 1,
        "publication_mode": "validated",
        "allowed_licenses": ["lov2", "odc-odbl"],
        "quota_records_per_dataset": 300000,
        "end_policy": "withdraw",
        "state": "active",
        "contacts": [
            {"role": "publisher", "user": "aix-publicateur", "since": "2019-12-19"},
            {"role": "referent", "name": "Marie Dupont", "email": "m.dupont@aix.exemple.fr",
             "since": "2019-12-19"},
        ],
    }
    data.update(overrides)
    return data


def test_create_and_show_with_its_calendar(host, partner):
    """A recorded agreement shows its calendar on a given day: its current period, its
    next tacit renewal and its notice deadline (004 art. 4)."""
    created = helpers.call_action("partnership_agreement_create", context=as_validator(),
                                  **agreement_004())
    shown = helpers.call_action("partnership_agreement_show", context=as_validator(),
                                organization="ville-aix-en-provence", at="2026-11-23")
    assert shown["id"] == created["id"]
    assert shown["organization"] == "ville-aix-en-provence"
    assert shown["allowed_licenses"] == ["lov2", "odc-odbl"]
    assert shown["validation_sla_hours"] == 48 and shown["comment_sla_hours"] == 48
    assert shown["calendar"] == {
        "current_period_start": "2025-12-19",
        "current_period_end": "2026-12-18",
        "next_renewal_on": "2026-12-19",
        "notice_deadline": "2026-11-19",
        "final_end": None,
    }
    [publisher] = [c for c in shown["contacts"] if c["role"] == "publisher"]
    assert (publisher["user"], publisher["email"]) == ("aix-publicateur", "pub@aix.exemple.fr")


def test_the_public_reads_only_the_public_facts(host, partner):
    helpers.call_action("partnership_agreement_create", context=as_validator(),
                        **agreement_004())
    anonymous = helpers.call_action("partnership_agreement_show", context={"user": ""},
                                    organization="ville-aix-en-provence")
    assert set(anonymous) == {"id", "organization", "reference", "state", "effective_on"}
    member = helpers.call_action("partnership_agreement_show",
                                 context={"user": "aix-producteur"},
                                 organization="ville-aix-en-provence")
    assert "calendar" in member and "contacts" in member


def test_only_validators_manage_agreements(host, partner):
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("partnership_agreement_create",
                            context={"user": "aix-publicateur", "ignore_auth": False},
                            **agreement_004())


def test_a_change_of_publisher_is_dated_not_overwritten(host, partner):
    """A new publisher named in the agreement is dated from the day given, and the former
    one stays in the contact history with the day they ended (000 §9.1.2)."""
    created = helpers.call_action("partnership_agreement_create", context=as_validator(),
                                  **agreement_004())
    factories.User(name="nouveau-publicateur")
    helpers.call_action("organization_member_create", id="ville-aix-en-provence",
                        username="nouveau-publicateur", role="editor")
    patched = helpers.call_action(
        "partnership_agreement_patch", context=as_validator(), id=created["id"],
        contacts=[{"role": "publisher", "user": "nouveau-publicateur", "since": "2026-11-23"},
                  {"role": "referent", "name": "Marie Dupont",
                   "email": "m.dupont@aix.exemple.fr"}],
    )
    assert [c["user"] for c in patched["contacts"] if c["role"] == "publisher"] == [
        "nouveau-publicateur"]
    history = [(c["user"], c["since"], c["until"]) for c in patched["contact_history"]
               if c["role"] == "publisher"]
    assert ("aix-publicateur", "2019-12-19", history[0][2]) == history[0]
    assert history[0][2] is not None
    assert history[1] == ("nouveau-publicateur", "2026-11-23", None)


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"renewal_term_months": None}, "renewal_term_months"),
        ({"initial_term_months": None}, "initial_term_months"),
        ({"effective_on": "2019-12-01"}, "effective_on"),  # before its signature
        ({"term": "perpetual"}, "term"),
        ({"allowed_licenses": ["cc-by"]}, "allowed_licenses"),
        ({"organization": "inconnue"}, "organization"),
        ({"contacts": [{"role": "publisher", "user": "validateur"}]}, "contacts"),
        ({"contacts": [{"role": "referent", "name": "Sans courriel"}]}, "contacts"),
        ({"contacts": [{"role": "referent", "name": "A", "email": "a@b.fr",
                        "since": "2020-01-01", "until": "2019-01-01"}]}, "contacts"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(host, partner, overrides, field):
    """Bad agreement input, such as a licence outside the portal's list (Licence Ouverte
    2.0, ODbL, restricted access) or a publisher who is not a member, names the field
    and saves nothing (000 art. 11, 003 art. 13)."""
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action("partnership_agreement_create", context=as_validator(),
                            **agreement_004(**overrides))
    assert field in error.value.error_dict
    assert model.Session.query(pmodel.Agreement).count() == 0
    assert model.Session.query(pmodel.Contact).count() == 0


def test_one_agreement_in_force_per_organization(host, partner):
    helpers.call_action("partnership_agreement_create", context=as_validator(),
                        **agreement_004())
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action("partnership_agreement_create", context=as_validator(),
                            **agreement_004(reference="CONV-BIS"))
    assert "organization" in error.value.error_dict
    # a draft beside it is fine
    helpers.call_action("partnership_agreement_create", context=as_validator(),
                        **agreement_004(reference="CONV-2027", state="draft"))


def test_terminate_at_the_anniversary(host, partner):
    """Notice of termination given later than a month before the anniversary ends the
    agreement at the following anniversary (004 §14.3)."""
    created = helpers.call_action("partnership_agreement_create", context=as_validator(),
                                  **agreement_004())
    ended = helpers.call_action("partnership_agreement_terminate", context=as_validator(),
                                id=created["id"], reason="anniversary",
                                notified_on="2026-11-23")
    assert ended["state"] == "terminating"
    assert ended["ends_on"] == "2027-12-19"  # after the deadline of 19 Nov 2026
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action("partnership_agreement_terminate", context=as_validator(),
                            id=created["id"], reason="mutual", notified_on="2026-11-23")
    assert "id" in error.value.error_dict


def test_mutual_termination_needs_its_date(host, partner):
    created = helpers.call_action("partnership_agreement_create", context=as_validator(),
                                  **agreement_004())
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action("partnership_agreement_terminate", context=as_validator(),
                            id=created["id"], reason="mutual", notified_on="2026-11-23")
    assert "effective_on" in error.value.error_dict


def test_amendments_are_listed(host, partner):
    """A recorded amendment is listed with its agreement (000 §7.3, 003 art. 11,
    004 art. 13)."""
    created = helpers.call_action("partnership_agreement_create", context=as_validator(),
                                  **agreement_004())
    helpers.call_action("partnership_amendment_create", context=as_validator(),
                        agreement_id=created["id"], reference="AV-1", signed_on="2021-03-01",
                        summary="Ajout du jeu de données des délibérations")
    shown = helpers.call_action("partnership_agreement_show", context=as_validator(),
                                id=created["id"])
    assert [a["reference"] for a in shown["amendments"]] == ["AV-1"]


def test_list_filters(host, partner):
    helpers.call_action("partnership_agreement_create", context=as_validator(),
                        **agreement_004())
    assert len(helpers.call_action("partnership_agreement_list", context=as_validator(),
                                   state="active")) == 1
    assert helpers.call_action("partnership_agreement_list", context=as_validator(),
                               state="ended") == []


def test_the_migration_goes_down_and_up(migrate_db_for):
    engine = model.Session.get_bind()
    import sqlalchemy as sa

    assert sa.inspect(engine).has_table("partnership_agreement")
    migrate_db_for("partnership", "base", False)
    model.Session.remove()
    assert not sa.inspect(engine).has_table("partnership_agreement")
    assert not sa.inspect(engine).has_table("partnership_contact")
    migrate_db_for("partnership")
    assert sa.inspect(engine).has_table("partnership_agreement")


def _file(name, content, content_type="application/pdf"):
    import io

    from werkzeug.datastructures import FileStorage

    return FileStorage(io.BytesIO(content), filename=name, content_type=content_type)


def test_the_signed_pdf_is_attached_and_read_by_the_partner_only(app, host, partner):
    from tests.pdf import tiny_pdf

    created = helpers.call_action("partnership_agreement_create", context=as_validator(),
                                  **agreement_004())
    document = helpers.call_action(
        "partnership_document_create", context=as_validator(), agreement_id=created["id"],
        kind="signed", title="Convention signée", upload=_file("convention.pdf", tiny_pdf()),
    )
    shown = helpers.call_action("partnership_agreement_show", context=as_validator(),
                                id=created["id"])
    assert [(d["title"], d["original_name"]) for d in shown["documents"]] == [
        ("Convention signée", "convention.pdf")]
    path = document["url"].split("://", 1)[1].split("/", 1)[1]

    def token(user):
        return helpers.call_action("api_token_create", context={"user": user}, user=user,
                                   name="t")["token"]

    response = app.get("/" + path, headers={"Authorization": token("aix-producteur")})
    assert response.data == tiny_pdf()
    assert response.headers["Content-Type"] == "application/pdf"
    factories.User(name="citoyen")
    app.get("/" + path, headers={"Authorization": token("citoyen")}, status=403)


@pytest.mark.parametrize("name, content", [
    ("convention.csv", b"a,b\n1,2\n"),
    ("convention.pdf", b"a,b\n1,2\n"),  # a CSV named .pdf
    ("", b""),
])
def test_a_file_that_is_not_a_pdf_is_refused(host, partner, name, content):
    created = helpers.call_action("partnership_agreement_create", context=as_validator(),
                                  **agreement_004())
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action(
            "partnership_document_create", context=as_validator(),
            agreement_id=created["id"], kind="signed", title="Convention",
            upload=_file(name, content, "text/csv") if name else None,
        )
    assert list(error.value.error_dict) == ["upload"]
    assert model.Session.query(pmodel.Document).count() == 0


def test_the_annex_shows_what_is_promised_and_what_is_delivered(host, partner):
    """The agreement's annex lists the datasets the partner promised, with their
    standard, each shown delivered once its dataset is published (002 §2.2, 003 art. 5)."""
    from tests.factories import full_dataset

    created = helpers.call_action("partnership_agreement_create", context=as_validator(),
                                  **agreement_004())
    org = helpers.call_action("organization_show", id="ville-aix-en-provence")
    dataset = helpers.call_action("package_create", context={"user": "aix-publicateur"},
                                  **full_dataset(org, private=True))
    prenoms = helpers.call_action(
        "partnership_planned_dataset_create", context=as_validator(),
        agreement_id=created["id"], title="Prénoms des nouveau-nés",
        standard="https://schema.data.gouv.fr/schemas/scdl/prenoms/latest/schema.json",
        frequency="http://publications.europa.eu/resource/authority/frequency/ANNUAL",
    )
    helpers.call_action("partnership_planned_dataset_create", context=as_validator(),
                        agreement_id=created["id"], title="Délibérations")
    assert [p["delivered"] for p in helpers.call_action(
        "partnership_planned_dataset_list", context={"user": ""},
        organization="ville-aix-en-provence")] == [False, False]

    # linked to the real dataset: delivered once it is published
    helpers.call_action("partnership_planned_dataset_update", context=as_validator(),
                        id=prenoms["id"], package_id=dataset["name"])
    assert helpers.call_action("partnership_planned_dataset_list", context={"user": ""},
                               agreement_id=created["id"])[0]["delivered"] is False
    # validated mode: the host publishes
    helpers.call_action("package_patch", context=as_validator(),
                        id=dataset["id"], private=False)
    first = helpers.call_action("partnership_planned_dataset_list", context={"user": ""},
                                agreement_id=created["id"])[0]
    assert (first["delivered"], first["package_name"]) == (True, dataset["name"])


def test_the_annex_names_a_private_dataset_only_to_who_reads_it(host, partner):
    from tests.factories import full_dataset

    created = helpers.call_action("partnership_agreement_create", context=as_validator(),
                                  **agreement_004())
    org = helpers.call_action("organization_show", id="ville-aix-en-provence")
    private = helpers.call_action("package_create", context={"user": "aix-publicateur"},
                                  **full_dataset(org, name="deliberations-a-venir",
                                                 title="Délibérations à venir", private=True))
    helpers.call_action("partnership_planned_dataset_create", context=as_validator(),
                        agreement_id=created["id"], title="Délibérations",
                        package_id=private["id"])
    factories.User(name="citoyen")
    factories.User(name="cd13-producteur")
    factories.Organization(name="departement-13",
                           users=[{"name": "cd13-producteur", "capacity": "editor"}])
    link = ("package_id", "package_name", "package_title")
    for user in ("", "citoyen", "cd13-producteur"):
        [planned] = helpers.call_action("partnership_planned_dataset_list",
                                        context={"user": user}, agreement_id=created["id"])
        assert [planned[k] for k in link] == [None, None, None], user
        assert (planned["title"], planned["delivered"]) == ("Délibérations", False)
    for user in ("aix-producteur", "validateur"):
        [planned] = helpers.call_action("partnership_planned_dataset_list",
                                        context={"user": user}, agreement_id=created["id"])
        assert [planned[k] for k in link] == [
            private["id"], "deliberations-a-venir", "Délibérations à venir"], user
        shown = helpers.call_action("partnership_agreement_show", context={"user": user},
                                    id=created["id"])
        assert shown["planned_datasets"][0]["package_name"] == "deliberations-a-venir"
    # a validator's update that does not name the dataset keeps the link
    helpers.call_action("partnership_planned_dataset_update", context=as_validator(),
                        id=planned["id"], title="Délibérations du conseil")
    [planned] = helpers.call_action("partnership_planned_dataset_list", context={"user": ""},
                                    agreement_id=created["id"])
    assert planned["title"] == "Délibérations du conseil"
    assert helpers.call_action("partnership_planned_dataset_list",
                               context={"user": "validateur"},
                               agreement_id=created["id"])[0]["package_id"] == private["id"]


@pytest.mark.parametrize("field, value", [
    ("frequency", "Annuelle"), ("standard", "schema.json"), ("package_id", "inexistant"),
])
def test_a_bad_planned_dataset_names_the_field(host, partner, field, value):
    created = helpers.call_action("partnership_agreement_create", context=as_validator(),
                                  **agreement_004())
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action("partnership_planned_dataset_create", context=as_validator(),
                            agreement_id=created["id"], title="X", **{field: value})
    assert list(error.value.error_dict) == [field]


def test_a_warning_when_the_committee_did_not_meet_for_12_months(host, partner):
    """An agreement whose steering committee has not met for 12 months is marked overdue
    until a meeting is recorded (000 art. 12)."""
    created = helpers.call_action("partnership_agreement_create", context=as_validator(),
                                  **agreement_004())
    show = {"context": as_validator(), "id": created["id"], "at": "2026-11-23"}
    assert helpers.call_action("partnership_agreement_show", **show)["committee_overdue"]
    helpers.call_action("partnership_committee_meeting_create", context=as_validator(),
                        agreement_id=created["id"], held_on="2026-03-12",
                        minutes="Bilan annuel 2025 ; trois jeux de données ajoutés.")
    shown = helpers.call_action("partnership_agreement_show", **show)
    assert shown["committee_overdue"] is False
    assert shown["committee_meetings"][0]["held_on"] == "2026-03-12"
    show["at"] = "2027-03-13"
    assert helpers.call_action("partnership_agreement_show", **show)["committee_overdue"]
