# -*- coding: utf-8 -*-
"""The discussion pages, in French and English: comments on a dataset's
page, the partner's list of threads, the contact forms, the figures."""
from __future__ import annotations

from tests.logic.test_comments import comment
from tests.publication.test_views import _get, _post


def test_comments_show_on_the_dataset_page_with_the_partners_answer(app, public_dataset):
    question = comment(public_dataset, "citoyen", "Quelle **source** ? Voir https://exemple.fr")
    comment(public_dataset, "aix-publicateur", "La DSDEN.", reply_to=question["id"])
    body = _get(app, f"/dataset/{public_dataset['name']}").body
    assert "Questions et commentaires" in body
    assert "<strong>source</strong>" in body
    assert 'rel="nofollow ugc"' in body
    assert "Réponse du partenaire" in body and 'data-state="answered"' in body
    assert "Connectez-vous pour commenter" in body
    english = _get(app, f"/en/dataset/{public_dataset['name']}", "citoyen").body
    assert "Questions and comments" in english
    assert "Partner's answer" in english


def test_a_script_in_a_comment_shows_as_text(app, public_dataset):
    comment(public_dataset, "citoyen", '<script>alert("x")</script> <img src=x onerror=alert(1)>')
    body = _get(app, f"/dataset/{public_dataset['name']}").body
    assert '<script>alert("x")</script>' not in body
    assert "<img src=x onerror" not in body and "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "&lt;script&gt;" in body


def test_commenting_through_the_page(app, public_dataset):
    page = _post(app, f"/dataset/{public_dataset['name']}/comments", "citoyen",
                 {"body": "Merci !"})
    assert "Votre message est publié." in page.body
    page = _post(app, f"/dataset/{public_dataset['name']}/comments", "citoyen", {"body": " "})
    assert "Écrivez un message" in page.body


def test_the_partners_threads_and_the_contact_form(app, public_dataset):
    """A visitor writes to a partner with its contact form, and the message, with the
    sender's address, shows in that partner's threads only (000 §10.1.3)."""
    page = _post(app, "/organization/contact/ville-aix-en-provence", "citoyen",
                 {"name": "Camille", "email": "camille@exemple.fr", "subject": "Menus",
                  "body": "Publierez-vous les menus ?"})
    assert "Votre message est envoyé" in page.body
    comment(public_dataset, "citoyen")
    mine = _get(app, "/partnership/threads", "aix-producteur").body
    assert "Message de contact" in mine and "camille@exemple.fr" in mine
    assert public_dataset["title"] in mine
    assert "Discussions" in _get(app, "/dataset/", "aix-producteur").body
    other = _get(app, "/partnership/threads", "cd13-producteur").body
    assert "camille@exemple.fr" not in other
    bad = _post(app, f"/dataset/{public_dataset['name']}/contact", "citoyen",
                {"name": "", "email": "x", "body": ""})
    assert "Donnez une adresse électronique où vous répondre" in bad.body
    assert "Écrivez un message" in bad.body
    assert "Écrire à ce partenaire" in _get(app, "/organization/ville-aix-en-provence").body
    assert "Écrire à Ville d" in _get(app, "/organization/contact/ville-aix-en-provence").body


def test_the_figures_are_public(app, public_dataset):
    question = comment(public_dataset, "citoyen")
    comment(public_dataset, "aix-publicateur", "Réponse", reply_to=question["id"])
    body = _get(app, "/partnership/response-stats").body
    assert "Réponses aux usagers" in body
    assert 'data-organization="ville-aix-en-provence"' in body and "100 %" in body


def test_a_contact_message_is_not_on_the_public_dataset_page(app, public_dataset):
    _post(app, f"/dataset/{public_dataset['name']}/contact", "citoyen",
          {"name": "Camille Secrète", "email": "camille@exemple.fr",
           "subject": "Objet confidentiel", "body": "Mon adresse est 3 rue des Lilas."})
    for user in (None, "citoyen", "cd13-producteur"):
        body = _get(app, f"/dataset/{public_dataset['name']}", user).body
        assert "Questions et commentaires" in body
        for secret in ("Camille Secrète", "Objet confidentiel", "rue des Lilas"):
            assert secret not in body, (user, secret)
    mine = _get(app, f"/dataset/{public_dataset['name']}", "aix-producteur").body
    assert "rue des Lilas" in mine and "Message privé" in mine
