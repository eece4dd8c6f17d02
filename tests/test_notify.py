# -*- coding: utf-8 -*-
"""``ckan partnership notify``: reminders by mail through CKAN's mailer to a
real SMTP server on 127.0.0.1, and the end of agreements."""
from __future__ import annotations

import datetime as dt
import email.header

import pytest

import ckan.model as model
from ckan.cli.cli import ckan
from ckan.tests import factories, helpers

from ckanext.partnership import model as pmodel
from ckanext.partnership.notify import run
from tests.conftest import _free_port
from tests.factories import full_dataset

D = dt.date.fromisoformat

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def partner(name, title):
    publisher = factories.User(name=name + "-pub")
    org = factories.Organization(name=name, title=title,
                                 users=[{"name": publisher["name"], "capacity": "editor"}])
    dataset = helpers.call_action(
        "package_create", context={"user": publisher["name"]},
        **full_dataset(org, name=name + "-donnees", title="Données " + title),
    )
    return org, dataset


def agreement(org, **overrides):
    factories.Sysadmin(name="admin") if not model.User.get("admin") else None
    data = dict(
        organization=org["name"], reference="CONV-" + org["name"], state="active",
        effective_on="2019-12-19", term="fixed", initial_term_months=12,
        renewal="tacit", renewal_term_months=12, notice_months=1, end_policy="withdraw",
        contacts=[
            {"role": "referent", "name": "Marie Dupont", "email": "referent@aix.exemple.fr"},
            {"role": "host_referent", "name": "Claire Martin",
             "email": "validation@region.exemple.fr"},
        ],
    )
    data.update(overrides)
    return helpers.call_action("partnership_agreement_create", context={"user": "admin"},
                               **data)


def test_reminders_go_once_to_the_referents_of_both_sides(inbox):
    """The referents of both sides are mailed, once each, 60 and then 15 days before the
    notice deadline and the tacit renewal (004 art. 4, 004 §14.3). The partner's referent
    is the agreement's contact (002 §2.1, 003 art. 5)."""
    org, _ = partner("ville-aix-en-provence", "Ville d'Aix-en-Provence")
    agreement(org)
    # notice deadline 19/11/2026, renewal 19/12/2026: 60 days before the renewal
    day = D("2026-10-20")
    done = run(day)
    assert done == [
        "CONV-ville-aix-en-provence: reminder, notice_deadline on 2026-11-19, 60 days before",
        "CONV-ville-aix-en-provence: reminder, renewal on 2026-12-19, 60 days before",
    ]
    recipients = sorted(m["To"] for m in inbox.messages)
    assert recipients == sorted(["Marie Dupont <referent@aix.exemple.fr>",
                                 "Claire Martin <validation@region.exemple.fr>"] * 2)
    assert "CONV-ville-aix-en-provence" in inbox.messages[0]["Subject"]

    assert run(day) == []  # the same day again: nothing more
    assert run(day + dt.timedelta(days=1)) == []
    assert len(inbox.messages) == 4
    # 15 days before the notice deadline
    assert run(D("2026-11-04")) == [
        "CONV-ville-aix-en-provence: reminder, notice_deadline on 2026-11-19, 15 days before"
    ]


def test_on_its_end_date_a_withdraw_agreement_makes_only_its_partners_datasets_private(inbox):
    """On its end date an agreement whose end policy is withdraw makes its partner's
    public datasets private, those of no other partner, and records why (001 §7.1)."""
    aix, aix_dataset = partner("ville-aix-en-provence", "Ville d'Aix-en-Provence")
    cd13, cd13_dataset = partner("departement-bouches-du-rhone", "Département des Bouches-du-Rhône")
    ending = agreement(aix)
    agreement(cd13)
    helpers.call_action("partnership_agreement_terminate", context={"user": "admin"},
                        id=ending["id"], reason="mutual", notified_on="2026-11-01",
                        effective_on="2026-12-01")

    assert not any("made private" in line for line in run(D("2026-11-30")))
    assert helpers.call_action("package_show", id=aix_dataset["id"])["private"] is False

    done = run(D("2026-12-01"))
    assert "CONV-ville-aix-en-provence: ended on 2026-12-01" in done
    assert "CONV-ville-aix-en-provence: dataset ville-aix-en-provence-donnees made private" in done
    assert helpers.call_action("package_show", id=aix_dataset["id"])["private"] is True
    assert helpers.call_action("package_show", id=cd13_dataset["id"])["private"] is False
    assert helpers.call_action("partnership_agreement_show", context={"user": "admin"},
                               id=ending["id"])["state"] == "ended"
    [why] = model.Session.query(pmodel.Event).filter_by(kind="withdrawn").all()
    assert why.package_id == aix_dataset["id"]
    assert "end policy: withdraw" in why.detail
    assert run(D("2026-12-01")) == []


def test_a_keep_agreement_leaves_the_datasets(inbox):
    """An agreement whose end policy is keep ends and leaves its partner's datasets
    public, for the host and users to go on reusing them (000 §18.2)."""
    aix, aix_dataset = partner("ville-aix-en-provence", "Ville d'Aix-en-Provence")
    ending = agreement(aix, end_policy="keep")
    helpers.call_action("partnership_agreement_terminate", context={"user": "admin"},
                        id=ending["id"], reason="anniversary", notified_on="2026-11-01")
    run(D("2026-12-19"))
    assert helpers.call_action("package_show", id=aix_dataset["id"])["private"] is False
    assert helpers.call_action("partnership_agreement_show", context={"user": "admin"},
                               id=ending["id"])["state"] == "ended"


def test_the_command_says_when_mail_cannot_go(cli, monkeypatch):
    monkeypatch.setenv("CKAN_SMTP_SERVER", f"127.0.0.1:{_free_port()}")  # nobody there
    aix, _ = partner("ville-aix-en-provence", "Ville d'Aix-en-Provence")
    agreement(aix)
    result = cli.invoke(ckan, ["partnership", "notify", "--today", "2026-10-20"])
    assert result.exit_code == 1
    assert "CONV-ville-aix-en-provence: failed" in result.output
    # nothing recorded: the next run tries again
    assert model.Session.query(pmodel.Event).count() == 0


def test_the_command(cli, inbox):
    aix, _ = partner("ville-aix-en-provence", "Ville d'Aix-en-Provence")
    agreement(aix)
    result = cli.invoke(ckan, ["partnership", "notify", "--today", "2026-10-20"])
    assert result.exit_code == 0, result.output
    assert "renewal on 2026-12-19, 60 days before" in result.output
    assert len(inbox.messages) == 4
    # in the portal's language, French
    subjects = sorted(
        " ".join(str(email.header.make_header(email.header.decode_header(m["Subject"]))).split())
        for m in inbox.messages)
    assert subjects[0] == (
        "Convention CONV-ville-aix-en-provence : la date limite de préavis le 19/11/2026")
