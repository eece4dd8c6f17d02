# -*- coding: utf-8 -*-
"""The mails of the workflow (ckanext/partnership/publication/mails.py),
received by a real SMTP server, in the portal's language: whom each one
goes to and how it names the partner."""
from __future__ import annotations

import datetime as dt
import email.header
import email.utils

import pytest

import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.partnership import publication
from tests.logic.test_publication import as_, dataset, decide, submit

in_request = pytest.mark.usefixtures("with_request_context")


def told(box, title):
    """(address, subject, body) of each mail about the dataset ``title``."""
    out = []
    for message in box.messages:
        subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
        if title in subject:
            out.append((email.utils.parseaddr(message["To"])[1], subject,
                        message.get_payload(decode=True).decode("utf-8")))
    return out


def published(people):
    package = dataset(people)
    decide(submit(package), decision="approve")
    return package


@in_request
def test_a_public_dataset_the_host_moves_out_is_told_to_the_partner_it_left(people, inbox):
    """Once moved, the dataset's organisation has no agreement: the mail
    goes to the publisher of the partner it left (000 §9.4, 003 §9.1)."""
    package = published(people)
    inbox.messages.clear()
    helpers.call_action("package_patch", context={"user": factories.Sysadmin()["name"]},
                        id=package["id"], owner_org=people["other"]["id"])
    [(to, subject, _body)] = told(inbox, package["title"])
    assert to == "publicateur@aix.invalid"
    assert subject == f"Jeu de données dépublié par l'hôte : {package['title']}"


@in_request
def test_the_partner_is_named_by_its_title_else_by_its_name(people, inbox):
    """Each dataset a partner withdraws is mailed to the validators, naming the partner by
    its title, else by its name (000 §9.4)."""
    for expected in ("Ville d'Aix-en-Provence", "ville-aix-en-provence"):
        package = published(people)
        inbox.messages.clear()
        helpers.call_action("partnership_dataset_unpublish", context=as_("aix-publicateur"),
                            id=package["id"], reason="other", message="Jeu remplacé")
        [(to, subject, body)] = told(inbox, package["title"])
        assert to == "validateur@region-sud.invalid"
        assert subject == f"Jeu de données retiré par {expected} : {package['title']}"
        model.Group.get(people["org"]["id"]).title = ""  # the next round: no title
        model.Session.commit()


@in_request
def test_an_autonomous_publication_tells_the_validators_who_published(people, inbox):
    """An autonomous partner's publication is mailed to the validators, naming the partner
    and linking the dataset (002 art. 1, 3)."""
    helpers.call_action("partnership_agreement_patch", context={"user": "validateur"},
                        id=people["agreement"]["id"], publication_mode="autonomous")
    package = dataset(people)
    inbox.messages.clear()
    helpers.call_action("package_patch", context=as_("aix-publicateur"), id=package["id"],
                        private=False)
    [(to, subject, body)] = told(inbox, package["title"])
    assert to == "validateur@region-sud.invalid"
    assert subject == f"Publié par Ville d'Aix-en-Provence : {package['title']}"
    assert f"/dataset/{package['name']}" in body


@in_request
def test_a_submission_tells_the_validators_its_deadline_as_people_write_it(people, inbox):
    package = dataset(people)
    inbox.messages.clear()
    request = submit(package)
    due = dt.datetime.fromisoformat(request["due_at"])
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre"]
    written = f"{due.day} {months[due.month - 1]} {due.year} à {due:%H:%M} (UTC)"
    [(to, subject, body)] = told(inbox, package["title"])
    assert subject == f"À valider avant le {written} : {package['title']}"
    assert f"Décision attendue avant le {written} (48 heures" in body


def test_an_instant_outside_a_request_is_written_in_utc():
    """A bare worker has no request to render a date in: ISO, in UTC."""
    assert publication.when(dt.datetime(2026, 11, 20, 17, 30)) == "2026-11-20 17:30 UTC"
    assert publication.when(None) == ""
