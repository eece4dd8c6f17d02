# -*- coding: utf-8 -*-
"""The delays of termination an agreement sets (000 §17.1, 000 §20.1) and
the end of the service (002 art. 7), through the actions and the page."""
from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.partnership import model as pmodel

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

TODAY = dt.date.today()


@pytest.fixture
def agreement_000():
    """000: indefinite, 3 months' notice, 30 days of formal notice (§17.1),
    two months of force majeure (§20.1)."""
    factories.User(name="validateur")
    factories.Organization(name="region-sud",
                           users=[{"name": "validateur", "capacity": "editor"}])
    factories.User(name="vdh-producteur")
    factories.Organization(name="ville-hauts-de-seine",
                           users=[{"name": "vdh-producteur", "capacity": "editor"}])
    return helpers.call_action(
        "partnership_agreement_create", context={"user": "validateur"},
        organization="ville-hauts-de-seine", reference="CONV-92-2021",
        effective_on=(TODAY - relativedelta(years=2)).isoformat(), term="indefinite",
        notice_months=3, breach_notice_days=30, force_majeure_months=2, state="active")


def terminate(agreement, **data):
    return helpers.call_action("partnership_agreement_terminate",
                               context={"user": "validateur"}, id=agreement["id"], **data)


def test_the_agreement_records_its_delays(agreement_000):
    """000 §17.1, 000 §20.1: the agreement records the delay of a formal notice (30
    days) and of force majeure (two months); the API gives them back."""
    assert agreement_000["breach_notice_days"] == 30
    assert agreement_000["force_majeure_months"] == 2


def test_a_termination_for_breach_takes_effect_30_days_after_the_formal_notice(
        agreement_000):
    """000 §17.1: a breach not remedied within 30 days of the formal notice ends the
    agreement: its date is computed, none typed."""
    notice = TODAY - dt.timedelta(days=5)
    ended = terminate(agreement_000, reason="breach", notified_on=notice.isoformat())
    assert ended["state"] == "terminating"
    assert ended["ends_on"] == (notice + dt.timedelta(days=30)).isoformat()


def test_force_majeure_ends_the_agreement_after_two_months(agreement_000):
    """000 §20.1: force majeure lasting more than two months ends the agreement,
    two months after the event began."""
    began = TODAY - dt.timedelta(days=10)
    ended = terminate(agreement_000, reason="force_majeure", notified_on=began.isoformat())
    assert ended["ends_on"] == (began + relativedelta(months=2)).isoformat()


def test_a_date_before_the_delay_is_refused_a_later_one_kept(agreement_000):
    """000 §17.1: a termination for breach cannot take effect before the 30 days of
    the formal notice (409 on effective_on, naming the earliest date); the parties
    may set a later one."""
    with pytest.raises(tk.ValidationError) as error:
        terminate(agreement_000, reason="breach", notified_on=TODAY.isoformat(),
                  effective_on=(TODAY + dt.timedelta(days=29)).isoformat())
    earliest = (TODAY + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    assert list(error.value.error_dict) == ["effective_on"]
    assert earliest in str(error.value.error_dict["effective_on"])
    model.Session.expire_all()
    assert model.Session.get(pmodel.Agreement, agreement_000["id"]).state == "active"
    later = (TODAY + dt.timedelta(days=45)).isoformat()
    assert terminate(agreement_000, reason="breach", notified_on=TODAY.isoformat(),
                     effective_on=later)["ends_on"] == later


def test_without_a_delay_the_parties_set_the_date(agreement_000):
    """001 §7.1, 003 §12.1, 004 §14.1: a formal notice with "a reasonable delay" fixed
    in writing: an agreement without a delay needs the date of a termination for
    breach."""
    helpers.call_action("partnership_agreement_patch", context={"user": "validateur"},
                        id=agreement_000["id"], breach_notice_days="")
    with pytest.raises(tk.ValidationError) as error:
        terminate(agreement_000, reason="breach", notified_on=TODAY.isoformat())
    assert "effective_on" in error.value.error_dict


def test_the_end_of_the_service_at_the_date_the_parties_set(agreement_000):
    """002 art. 7: the agreement may end at the end of the service, on the date set by
    the parties (required)."""
    with pytest.raises(tk.ValidationError) as error:
        terminate(agreement_000, reason="end_of_service", notified_on=TODAY.isoformat())
    assert "effective_on" in error.value.error_dict
    end = (TODAY + relativedelta(months=6)).isoformat()
    ended = terminate(agreement_000, reason="end_of_service", notified_on=TODAY.isoformat(),
                      effective_on=end)
    assert (ended["termination_reason"], ended["ends_on"]) == ("end_of_service", end)


@pytest.mark.parametrize("field, value", [("breach_notice_days", -1),
                                          ("breach_notice_days", "trente"),
                                          ("force_majeure_months", 1201),
                                          ("force_majeure_months", 1.5)])
def test_a_bad_delay_names_its_field(agreement_000, field, value):
    """000 §17.1, 000 §20.1: the delays are whole numbers of days and months; a bad one
    is a 409 naming it."""
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action("partnership_agreement_patch", context={"user": "validateur"},
                            id=agreement_000["id"], **{field: value})
    assert list(error.value.error_dict) == [field]


def _token():
    return helpers.call_action("api_token_create", context={"user": "validateur"},
                               user="validateur", name="t")["token"]


def test_the_termination_form_tells_the_computed_date(app, agreement_000):
    """000 §17.1: the termination form tells the delay and the date a termination for
    breach would take effect, before anything is recorded."""
    token = _token()
    url = "/partnership/agreements/" + agreement_000["id"]
    page = app.get(url, headers={"Authorization": token}).body
    assert "Pour manquement : la résiliation prend effet 30 jours après la mise en demeure" in page
    notice = TODAY - dt.timedelta(days=3)
    page = app.post(url + "/terminate", headers={"Authorization": token},
                    data={"reason": "breach", "notified_on": notice.isoformat(),
                          "preview": "1"}).body
    computed = (notice + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    assert f"Cette résiliation prendrait effet le {computed}" in page
    model.Session.expire_all()
    assert model.Session.get(pmodel.Agreement, agreement_000["id"]).state == "active"
