# -*- coding: utf-8 -*-
"""The template helpers (``partnership_*``) as the pages call them:
``tk.h.<name>`` in a request of real CKAN, in French (the portal's
language) and in English, for each person browsing. A private dataset's
facts are never shown to someone who may not read it."""
from __future__ import annotations

import contextlib

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from tests.factories import full_dataset
from tests.logic.test_publication import add_personal_file, dataset, submit

EU_FREQ = "http://publications.europa.eu/resource/authority/frequency/"
PRENOMS = "https://schema.data.gouv.fr/schemas/scdl/prenoms/latest/schema.json"
EVERYONE = ("validateur", "aix-publicateur", "aix-producteur", "cd13-producteur",
            "citoyen", None)


@contextlib.contextmanager
def browsing(app, user=None, lang=None):
    """A page of the portal (in ``lang``, else the portal's French), seen
    by ``user`` (logged in), else by an anonymous visitor."""
    environ = {"CKAN_LANG": lang} if lang else {}
    headers = {}
    if user:
        headers["Authorization"] = helpers.call_action(
            "api_token_create", context={"user": user}, user=user, name="page")["token"]
    with app.flask_app.test_request_context("/", headers=headers, environ_overrides=environ):
        app.flask_app.preprocess_request()  # CKAN identifies the user, as for a page
        assert tk.current_user.name == user if user else tk.current_user.is_anonymous
        yield tk.h


def both(app, call):
    """What ``call(h)`` gives in French, then in English."""
    with browsing(app) as h:
        fr = call(h)
    with browsing(app, lang="en") as h:
        en = call(h)
    return fr, en


# -- labels -------------------------------------------------------------------

LABELS = [
    (lambda h: h.partnership_label("frequency", EU_FREQ + "AS_NEEDED"),
     "Lorsque nécessaire", "As needed"),
    (lambda h: h.partnership_choices({"partnership_vocabulary": "granularity"})[0],
     {"value": "adresse", "label": "Adresse"}, {"value": "adresse", "label": "Address"}),
    (lambda h: h.partnership_agreement_state_label("active"), "en vigueur", "in force"),
    (lambda h: h.partnership_check_title("schema"), "Standard de données", "Data standard"),
    (lambda h: h.partnership_check_status_label("failure"), "Échec", "Failed"),
    (lambda h: h.partnership_check_status_label("pending"), "En cours de vérification",
     "Being checked"),
    (lambda h: h.partnership_publication_check_title("metadata"),
     "Métadonnées obligatoires", "Required metadata"),
    (lambda h: h.partnership_reason_label("personal_data"),
     "Données personnelles (RGPD) (§2.3)", "Personal data (GDPR) (§2.3)"),
    (lambda h: h.partnership_reason_label("other"), "Autre", "Other"),  # no article
    (lambda h: h.partnership_request_status_label("refused"), "Refusée", "Refused"),
    (lambda h: h.partnership_request_status_label("cancelled"), "Annulée", "Cancelled"),
    (lambda h: h.partnership_thread_state_label("overdue"), "Réponse en retard",
     "Answer overdue"),
    (lambda h: h.partnership_thread_state_label("awaiting"),
     "En attente de la réponse du partenaire", "Awaiting the partner's answer"),
    (lambda h: h.partnership_close_reason_label("abuse"), "Masqué (abus)", "Hidden as abuse"),
    (lambda h: h.partnership_close_reason_label("no_answer_needed"),
     "Sans réponse nécessaire", "Needs no answer"),
    (lambda h: h.partnership_duration(100_000), "1 j 3 h", "1 d 3 h"),
    (lambda h: h.partnership_duration(12_000), "3 h 20 min", "3 h 20 min"),
    (lambda h: h.partnership_duration(-12_000), "3 h 20 min", "3 h 20 min"),  # overdue
    (lambda h: h.partnership_duration(59), "0 min", "0 min"),
    (lambda h: h.partnership_duration(None), "", ""),
]


@pytest.mark.parametrize("call, fr, en", LABELS)
def test_labels_in_french_and_english(app, call, fr, en):
    assert both(app, call) == (fr, en)


@pytest.mark.parametrize("call", [
    lambda h: h.partnership_agreement_state_label("someday"),
    lambda h: h.partnership_check_title("someday"),
    lambda h: h.partnership_check_status_label("someday"),
    lambda h: h.partnership_publication_check_title("someday"),
    lambda h: h.partnership_reason_label("someday"),
    lambda h: h.partnership_request_status_label("someday"),
    lambda h: h.partnership_thread_state_label("someday"),
    lambda h: h.partnership_close_reason_label("someday"),
])
def test_an_unknown_code_is_shown_as_it_is(app, call):
    assert both(app, call) == ("someday", "someday")


def test_every_choice_of_a_vocabulary_is_labelled(app):
    fr, en = both(app, lambda h: h.partnership_choices({"partnership_vocabulary": "frequency"}))
    assert [c["value"] for c in fr] == [c["value"] for c in en]
    assert len(fr) == 13  # the 13 frequencies
    assert {"value": EU_FREQ + "NOT_PLANNED", "label": "Non planifiée"} in fr
    assert {"value": EU_FREQ + "NOT_PLANNED", "label": "Not planned"} in en


def test_dates_as_the_agreements_write_them(app):
    with browsing(app) as h:
        assert h.partnership_display_date("2025-11-10") == "10/11/2025"
        assert h.partnership_display_date(None) == ""
        assert h.partnership_update_date({"modified": "2025-11-10",
                                          "metadata_modified": "2026-01-02T10:00:00"}) \
            == "10/11/2025"
        assert h.partnership_update_date({"metadata_modified": "2026-01-02T10:00:00"}) \
            == "02/01/2026"
        assert h.partnership_source_name(
            {"organization": {"name": "ville-aix", "title": "Ville d'Aix-en-Provence"}}) \
            == "Ville d'Aix-en-Provence"
        assert h.partnership_source_name({"organization": {"name": "ville-aix"}}) == "ville-aix"
        assert h.partnership_source_name({}) == ""


# -- standards ----------------------------------------------------------------

def test_standards_by_title_with_their_version(app):
    with browsing(app) as h:
        standards = h.partnership_standards()
        prenoms = h.partnership_standard("scdl/prenoms")
        assert h.partnership_standard(PRENOMS) == prenoms  # by one of its URLs
        assert h.partnership_standard("scdl/no-such-standard") is None
    titles = [s["title"].casefold() for s in standards]
    assert titles == sorted(titles)
    assert prenoms in standards
    assert prenoms["name"] == "scdl/prenoms"
    assert prenoms["label"] == f"{prenoms['title']}, version {prenoms['version']}"
    assert prenoms["latest_url"] == PRENOMS


# -- people -------------------------------------------------------------------

def test_partner_organisations_are_every_organisation_but_the_host(app, people):
    with browsing(app) as h:
        found = h.partnership_partner_organizations()
        assert [o["name"] for o in h.partnership_partner_organizations(limit=1)] == [
            "departement-13"]
    assert [o["name"] for o in found] == ["departement-13", "ville-aix-en-provence"]  # by title
    assert "package_count" in found[0]


def test_who_is_a_validator_and_who_reads_the_agreement(app, people):
    org, other = people["org"]["id"], people["other"]["id"]
    expected = {"validateur": (True, True, True), "aix-publicateur": (False, True, True),
                "aix-producteur": (False, True, True), "cd13-producteur": (False, False, True),
                "citoyen": (False, False, False), None: (False, False, False)}
    for user, (validator, reads, follows) in expected.items():
        with browsing(app, user) as h:
            assert h.partnership_is_validator() is validator, user
            assert h.partnership_can_read_agreement(org) is reads, user
            assert h.partnership_follows_threads() is follows, user
            assert h.partnership_can_read_agreement(other) is (
                validator or user == "cd13-producteur"), user


def test_the_agreements_public_facts(app, people):
    with browsing(app) as h:
        facts = h.partnership_agreement_facts(people["org"]["id"])
        assert h.partnership_agreement_facts(people["other"]["id"]) is None
    assert facts["reference"] == "CONV-2019-AIX"
    assert facts["state"] == "active"
    assert "m.dupont@aix.exemple.fr" not in repr(facts)  # a contact is not a public fact


def test_the_annex_of_the_agreement(app, people):
    helpers.call_action("partnership_planned_dataset_create", context={"user": "validateur"},
                        agreement_id=people["agreement"]["id"], title="Délibérations")
    with browsing(app) as h:
        annex = h.partnership_planned_datasets(people["agreement"]["id"])
    assert [(p["title"], p["delivered"]) for p in annex] == [("Délibérations", False)]


def test_who_publishes_the_datasets_of_a_partner(app, people):
    with browsing(app, "aix-producteur") as h:
        assert h.partnership_publish_hint(people["org"]["id"]) == (
            "Seul le publicateur de Ville d'Aix-en-Provence, Paul Publicateur, peut publier "
            "ou retirer ses jeux de données (ainsi que les validateurs de l'hôte).")
        assert h.partnership_publish_hint(people["other"]["id"]) == ""  # no agreement
    with browsing(app, "aix-producteur", lang="en") as h:
        assert h.partnership_publish_hint(people["org"]["id"]).startswith(
            "Only the publisher of Ville d'Aix-en-Provence, Paul Publicateur,")


def test_comment_sla_hours(app, people):
    helpers.call_action("partnership_agreement_patch", context={"user": "validateur"},
                        id=people["agreement"]["id"], comment_sla_hours=72)
    with browsing(app) as h:
        assert h.partnership_comment_sla_hours(people["org"]["id"]) == 72
        assert h.partnership_comment_sla_hours(people["other"]["id"]) == 48  # no agreement
        assert h.partnership_comment_sla_hours("") == 48


# -- a dataset's facts --------------------------------------------------------

def test_a_private_datasets_standard_is_not_shown_to_who_may_not_read_it(app, people):
    private = helpers.call_action(
        "package_create", context={"user": "aix-producteur"},
        **full_dataset(people["org"], name="jeu-prive", private=True))
    for user in ("aix-producteur", "validateur"):
        with browsing(app, user) as h:
            assert h.partnership_dataset_standard(private["id"]) == PRENOMS, user
    for user in ("cd13-producteur", "citoyen", None):
        with browsing(app, user) as h:
            assert h.partnership_dataset_standard(private["id"]) == "", user
    with browsing(app) as h:
        assert h.partnership_dataset_standard("no-such-dataset") == ""
        assert h.partnership_dataset_standard(None) == ""


def test_the_publication_box_for_each_role(app, people):
    package = dataset(people)
    boxes = {}
    for user in EVERYONE:
        with browsing(app, user) as h:
            boxes[user] = h.partnership_dataset_publication(package)
    for user in ("cd13-producteur", "citoyen", None):
        assert boxes[user] is None, user  # not theirs to follow
    assert boxes["validateur"] == {"pending": None, "flags": [], "may_publish": True,
                                   "mode": "validated"}
    assert boxes["aix-publicateur"]["may_publish"] is True
    assert boxes["aix-producteur"] == {"pending": None, "flags": [], "may_publish": False,
                                       "mode": "validated"}

    request = submit(package)
    with browsing(app, "aix-producteur") as h:
        box = h.partnership_dataset_publication(package)
    assert box["pending"]["id"] == request["id"]
    assert box["pending"]["status"] == "pending"
    with browsing(app, "citoyen") as h:
        assert h.partnership_dataset_publication(package) is None


def test_the_publication_box_outside_an_agreement_is_not_shown(app, people):
    other = helpers.call_action(
        "package_create", context={"user": "cd13-producteur"},
        **full_dataset(people["other"], name="jeu-cd13", private=True))
    for user in ("validateur", "cd13-producteur"):
        with browsing(app, user) as h:
            assert h.partnership_dataset_publication(other) is None, user


def test_the_publication_box_shows_the_flags_of_a_published_dataset(app, public_dataset):
    add_personal_file(public_dataset)
    shown = helpers.call_action("package_show", id=public_dataset["id"])
    with browsing(app, "aix-publicateur") as h:
        box = h.partnership_dataset_publication(shown)
    assert [f["code"] for f in box["flags"]] == ["personal_data"]
    assert box["flags"][0]["status"] == "fail"
    assert box["flags"][0]["detail"]
    with browsing(app, "citoyen") as h:
        assert h.partnership_dataset_publication(shown) is None


# -- comments -----------------------------------------------------------------

def test_a_comment_is_rendered_safely(app):
    with browsing(app) as h:
        html = str(h.partnership_render_comment(
            "**Merci** <script>alert(1)</script> [source](https://www.aixenprovence.fr)"))
    assert "<strong>Merci</strong>" in html
    assert "<script" not in html
    assert 'href="https://www.aixenprovence.fr"' in html
    assert 'rel="nofollow ugc"' in html


def test_the_threads_of_a_private_dataset_are_never_listed(app, people):
    package = dataset(people)
    with browsing(app, "validateur") as h:
        assert h.partnership_comment_threads(package) == []


def test_the_threads_of_a_published_dataset(app, public_dataset):
    helpers.call_action("partnership_comment_create", context={"user": "citoyen"},
                        package_id=public_dataset["id"],
                        body="Les données de 2024 sont-elles prévues ?")
    with browsing(app) as h:
        threads = h.partnership_comment_threads(public_dataset)
    assert len(threads) == 1
    assert "Les données de 2024" in repr(threads[0])
