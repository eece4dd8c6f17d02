# -*- coding: utf-8 -*-
"""Amendments that change an agreement's terms, and the history of the
terms (000 §7.3, 003 art. 11, 004 art. 13), through the actions and the
page."""
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
VALIDATOR = {"user": "validateur"}


@pytest.fixture
def agreement():
    """004: one year from the host's notification, renewed year to year;
    48 hours to answer comments."""
    factories.User(name="validateur")
    factories.Organization(name="region-sud",
                           users=[{"name": "validateur", "capacity": "editor"}])
    factories.User(name="aix-producteur")
    factories.User(name="citoyen")
    factories.Organization(name="ville-aix-en-provence",
                           users=[{"name": "aix-producteur", "capacity": "editor"}])
    return helpers.call_action(
        "partnership_agreement_create", context=dict(VALIDATOR),
        organization="ville-aix-en-provence", reference="CONV-2019-AIX",
        effective_on=(TODAY - relativedelta(months=6)).isoformat(), term="fixed",
        initial_term_months=12, renewal="tacit", renewal_term_months=12, notice_months=1,
        allowed_licenses=["lov2"], state="active")


def amend(agreement, changes, reference="AV-1", **extra):
    return helpers.call_action(
        "partnership_amendment_create", context=dict(VALIDATOR), agreement_id=agreement["id"],
        reference=reference, signed_on=TODAY.isoformat(), changes=changes, **extra)


def shown(agreement, user="validateur"):
    model.Session.expire_all()
    return helpers.call_action("partnership_agreement_show", context={"user": user},
                               id=agreement["id"])


def history(agreement, **data):
    return helpers.call_action("partnership_agreement_term_history", context=dict(VALIDATOR),
                               id=agreement["id"], **data)


def test_an_amendment_changes_the_agreements_terms(agreement):
    """000 §7.3, 004 art. 13: an amendment modifies the agreement: its new terms apply
    (the comment deadline, the licences, a quota, the delay of formal notice), and the
    amendment tells what it changed."""
    made = amend(agreement, {"comment_sla_hours": 24, "allowed_licenses": ["lov2", "odc-odbl"],
                             "quota_storage_bytes": 2_000_000_000, "breach_notice_days": 30})
    after = shown(agreement)
    assert (after["comment_sla_hours"], after["allowed_licenses"],
            after["quota_storage_bytes"], after["breach_notice_days"]) == (
        24, ["lov2", "odc-odbl"], 2_000_000_000, 30)
    assert made["changes"] == [
        {"term": "comment_sla_hours", "old_value": 48, "new_value": 24},
        {"term": "allowed_licenses", "old_value": ["lov2"], "new_value": ["lov2", "odc-odbl"]},
        {"term": "quota_storage_bytes", "old_value": None, "new_value": 2_000_000_000},
        {"term": "breach_notice_days", "old_value": None, "new_value": 30},
    ]
    assert after["amendments"][0]["changes"] == made["changes"]


def test_an_amendment_extends_the_term_and_the_calendar_follows(agreement):
    """003 art. 11: an amendment changes the duration: the calendar is computed from
    the new terms."""
    amend(agreement, {"renewal": "none", "initial_term_months": 36})
    after = shown(agreement)
    effective = dt.date.fromisoformat(agreement["effective_on"])
    assert after["calendar"]["final_end"] == (
        effective + relativedelta(months=36) - dt.timedelta(days=1)).isoformat()
    assert after["calendar"]["next_renewal_on"] is None


@pytest.mark.parametrize("changes, field", [
    ({"comment_sla_hours": 0}, "changes.comment_sla_hours"),
    ({"comment_sla_hours": "vite"}, "changes.comment_sla_hours"),
    ({"allowed_licenses": ["cc-by-nc"]}, "changes.allowed_licenses"),
    ({"publication_mode": "libre"}, "changes.publication_mode"),
    ({"renewal_term_months": None}, "changes.renewal_term_months"),  # tacit needs it
    ({"force_majeure_months": -1}, "changes.force_majeure_months"),
    ({"reference": "AUTRE"}, "changes"),  # not a term
    (["comment_sla_hours"], "changes"),
])
def test_a_bad_change_names_its_field_and_records_nothing(agreement, changes, field):
    """000 §7.3: an amendment's changes follow the rules of the agreement; one refused
    is a 409 naming it, and neither the amendment nor any change is recorded."""
    with pytest.raises(tk.ValidationError) as error:
        amend(agreement, {"quota_records_total": 1000, **changes} if isinstance(changes, dict)
              and field != "changes" else changes)
    assert field in error.value.error_dict
    after = shown(agreement)
    assert after["amendments"] == []
    assert after["quota_records_total"] is None and after["comment_sla_hours"] == 48
    assert model.Session.query(pmodel.TermChange).count() == 0


def test_each_term_keeps_its_history_amendments_and_updates(agreement):
    """000 §7.3, 003 art. 11: each term has its history: the value before and after each
    amendment, and each plain update (no amendment), oldest first."""
    amend(agreement, {"comment_sla_hours": 24}, reference="AV-1")
    helpers.call_action("partnership_agreement_patch", context=dict(VALIDATOR),
                        id=agreement["id"], comment_sla_hours=36, notice_months=2)
    amend(agreement, {"comment_sla_hours": 72}, reference="AV-2")
    rows = history(agreement, term="comment_sla_hours")
    assert [(r["old_value"], r["new_value"], r["amendment_reference"]) for r in rows] == [
        (48, 24, "AV-1"), (24, 36, None), (36, 72, "AV-2")]
    every = history(agreement)
    # the changes of one save in the order of the terms
    assert [r["term"] for r in every] == ["comment_sla_hours", "notice_months",
                                          "comment_sla_hours", "comment_sla_hours"]
    assert [r["term"] for r in history(agreement, limit=2, offset=1)] == [
        "notice_months", "comment_sla_hours"]


def test_saving_without_a_change_writes_no_history(agreement):
    """000 §7.3: the history holds changes only: an update that changes no term adds
    none."""
    helpers.call_action("partnership_agreement_patch", context=dict(VALIDATOR),
                        id=agreement["id"], title="Convention Open Paca")
    assert history(agreement) == []


@pytest.mark.parametrize("data, field", [({"term": "reference"}, "term"),
                                         ({"limit": 0}, "limit"), ({"offset": -1}, "offset")])
def test_a_bad_history_filter_names_its_field(agreement, data, field):
    with pytest.raises(tk.ValidationError) as error:
        history(agreement, **data)
    assert field in error.value.error_dict


def test_only_who_reads_the_agreement_reads_its_history(agreement):
    """000 §7.3: the history of the terms is the agreement's: its partner's members and
    the host's validators read it, no one else."""
    amend(agreement, {"comment_sla_hours": 24})
    assert len(helpers.call_action("partnership_agreement_term_history",
                                   context={"user": "aix-producteur", "ignore_auth": False},
                                   id=agreement["id"])) == 1
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("partnership_agreement_term_history",
                            context={"user": "citoyen", "ignore_auth": False},
                            id=agreement["id"])
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("partnership_agreement_term_history", context=dict(VALIDATOR),
                            id="nope")


@pytest.mark.usefixtures("with_request_context")
def test_an_amendment_of_the_comment_deadline_reschedules_the_threads(people, public_dataset):
    """000 §7.3 and 000 §10.1.3: an amendment that sets the partner's deadline to answer
    comments to 24 hours moves the deadline of its open threads, as an update does."""
    from tests.logic.test_comments import comment

    question = comment(public_dataset, "citoyen")
    helpers.call_action("partnership_amendment_create", context=dict(VALIDATOR),
                        agreement_id=people["agreement"]["id"], reference="AV-SLA",
                        signed_on=TODAY.isoformat(), changes={"comment_sla_hours": 24})
    model.Session.expire_all()
    thread = model.Session.get(pmodel.Thread, question["thread_id"])
    assert thread.clock_due_at - thread.clock_started_at == dt.timedelta(hours=24)
    [listed] = helpers.call_action("partnership_thread_list", context={"user": "aix-producteur"})
    assert dt.datetime.fromisoformat(listed["due_at"]).replace(tzinfo=None) == thread.clock_due_at


def _token(user="validateur"):
    return {"Authorization": helpers.call_action(
        "api_token_create", context={"user": user}, user=user, name="t")["token"]}


def test_the_amendment_form_changes_a_term_and_the_page_shows_its_history(app, agreement):
    """000 §7.3, 004 art. 13: from the agreement's page a validator records an amendment
    that changes the comment deadline; the page shows what the amendment changed and
    the history of the term (Historique des termes)."""
    url = "/partnership/agreements/" + agreement["id"]
    app.post(url + "/amendments", headers=_token(), data={
        "reference": "AV-1", "signed_on": TODAY.isoformat(), "summary": "Délai de réponse",
        "change_term_1": "comment_sla_hours", "change_value_1": "24",
        "change_term_2": "", "change_value_2": ""})
    assert shown(agreement)["comment_sla_hours"] == 24
    page = app.get(url, headers=_token()).body
    assert "Historique des termes" in page
    assert "Réponse aux commentaires sous (heures) : 48 → 24" in page
    # the partner reads it too
    assert "Historique des termes" in app.get(url, headers=_token("aix-producteur")).body


def test_a_bad_change_from_the_form_is_told_and_records_nothing(app, agreement):
    """000 §7.3: a change refused from the form is told with its field, and no amendment
    is recorded."""
    url = "/partnership/agreements/" + agreement["id"]
    page = app.post(url + "/amendments", headers=_token(), data={
        "reference": "AV-1", "signed_on": TODAY.isoformat(),
        "change_term_1": "comment_sla_hours", "change_value_1": "0"}, follow_redirects=True).body
    assert "changes.comment_sla_hours" in page
    assert shown(agreement)["amendments"] == []
