# -*- coding: utf-8 -*-
"""The publication pages, in French and English: the validators' queue,
a dataset's publication page, the figures, the activity stream."""
from __future__ import annotations

import datetime as dt

import pytest

import ckan.model as model
from ckan.tests import helpers

from ckanext.partnership import model as pmodel
from tests.logic.test_publication import dataset, decide, submit


def _get(app, url, user=None, **kwargs):
    headers = {}
    if user:
        headers["Authorization"] = helpers.call_action(
            "api_token_create", context={"user": user}, user=user, name="t")["token"]
    return app.get(url, headers=headers, status=None, **kwargs)


def _post(app, url, user, data):
    token = helpers.call_action("api_token_create", context={"user": user}, user=user,
                                name="t")["token"]
    return app.post(url, headers={"Authorization": token}, data=data, status=None)


def test_the_queue_in_french_and_english(app, people):
    package = dataset(people)
    request = submit(package)
    row = model.Session.get(pmodel.PublicationRequest, request["id"])
    row.submitted_at -= dt.timedelta(hours=50)
    row.due_at -= dt.timedelta(hours=50)
    model.Session.commit()
    submit(dataset(people))

    page = _get(app, "/partnership/queue", "validateur")
    assert page.status_code == 200
    body = page.body
    assert "File de validation" in body and "Approuver et publier" in body
    assert body.index(package["title"]) < body.rindex(package["title"])  # two, overdue first
    assert "en retard de 2 h" in body and 'data-overdue="true"' in body
    assert "reste 1 j 23 h" in body or "reste 1 j 22 h" in body
    assert "Ville d&#39;Aix-en-Provence" in body  # escaped, as Jinja writes it
    assert "Métadonnées obligatoires" in body and "Données personnelles (RGPD)" in body

    english = _get(app, "/en/partnership/queue", "validateur").body
    assert "Validation queue" in english and "overdue by 2 h" in english
    assert "Approve and publish" in english
    # the labels of checks and reasons, each translated where it is shown
    assert "Required metadata" in english and "Métadonnées obligatoires" not in english
    assert "Personal data (GDPR)" in english


def test_only_validators_open_the_queue(app, people):
    for user in ("aix-producteur", "aix-publicateur", None):
        assert _get(app, "/partnership/queue", user).status_code == 403


def test_a_refusal_without_reason_is_told_and_changes_nothing(app, people):
    """On the queue page a refusal without a reason is sent back with the error and the
    request stays pending; with a reason it is refused and the publisher told
    (002 §4.2.1)."""
    request = submit(dataset(people))
    page = _post(app, f"/partnership/queue/{request['id']}/decide", "validateur",
                 {"decision": "refuse", "message": "Non."})
    assert "Donnez au moins un motif de refus" in page.body
    assert helpers.call_action("partnership_queue_list", context={"user": "validateur"})[0][
        "status"] == "pending"
    page = _post(app, f"/partnership/queue/{request['id']}/decide", "validateur",
                 {"decision": "refuse", "reasons": ["licence"], "message": "Licence."})
    assert "le publicateur est informé du motif" in page.body
    assert helpers.call_action("partnership_queue_list", context={"user": "validateur"}) == []


def test_a_message_holding_a_script_shows_as_text(app, people):
    package = dataset(people)
    decide(submit(package), decision="refuse", reasons=["other"],
           message='<script>alert("x")</script> Voir <b>ici</b>')
    for url in (f"/dataset/{package['name']}/publication",
                f"/dataset/activity/{package['name']}"):
        body = _get(app, url, "aix-publicateur").body
        assert '<script>alert("x")</script>' not in body
        assert "&lt;script&gt;alert(" in body and "&lt;b&gt;ici&lt;/b&gt;" in body


def test_the_publication_page_for_each_role(app, people):
    """On a dataset's publication page the producer is told who publishes, the publisher
    submits, and outsiders are refused the page (000 §9.3.2)."""
    package = dataset(people)
    url = f"/dataset/{package['name']}/publication"
    producer = _get(app, url, "aix-producteur").body
    assert "Soumettre pour publication" not in producer
    assert "Seul le publicateur de Ville d" in producer and "Paul Publicateur" in producer
    publisher = _get(app, url, "aix-publicateur").body
    assert "Soumettre pour publication" in publisher
    assert _get(app, url, None).status_code in (403, 404)
    assert _get(app, url, "cd13-producteur").status_code in (403, 404)

    page = _post(app, f"{url}/submit", "aix-publicateur", {})
    assert "Soumis pour publication." in page.body
    assert "Annuler la demande" in page.body
    shown = _get(app, f"/dataset/{package['name']}", "aix-producteur").body
    assert "En attente de la décision de l&#39;hôte" in shown or \
        "En attente de la décision de l'hôte" in shown
    # the validator reads the private dataset it reviews
    assert _get(app, f"/dataset/{package['name']}", "validateur").status_code == 200


def test_the_activity_stream_tells_each_step_in_french(app, people):
    package = dataset(people)
    decide(submit(package), decision="refuse", reasons=["metadata"], message="Colonnes ?")
    body = _get(app, f"/dataset/activity/{package['name']}", "aix-producteur").body
    assert "a soumis" in body and "a refusé la publication de" in body
    assert "Métadonnées (§2.6)" in body


def test_the_figures_are_public(app, people):
    decide(submit(dataset(people)), decision="approve")
    decide(submit(dataset(people)), decision="refuse", reasons=["licence"], message="Non")
    body = _get(app, "/partnership/publication-stats").body
    assert "Chiffres de la publication" in body
    assert 'data-organization="ville-aix-en-provence"' in body
    assert "Licence (§2.5)" in body and "100 %" in body
    assert "Tous les partenaires" in body
    bad = _get(app, "/partnership/publication-stats?since=hier").body
    assert "AAAA-MM-JJ" in bad  # the portal's French


@pytest.mark.parametrize("lang, label", [("", "File de validation"),
                                         ("/en", "Validation queue")])
def test_the_menu_leads_validators_to_the_queue(app, people, lang, label):
    assert label in _get(app, f"{lang}/dataset/", "validateur").body
    assert label not in _get(app, f"{lang}/dataset/", "aix-publicateur").body
