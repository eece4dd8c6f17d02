# -*- coding: utf-8 -*-
"""Bad input through the real action chain: text that cannot be stored,
numbers out of range and an agreement past its end are refused with a
ValidationError naming the field (HTTP 409), never a failure (HTTP 500)."""
from __future__ import annotations

import datetime as dt

import pytest

import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.partnership import model as pmodel
from ckanext.partnership.core import roles
from ckanext.partnership.notify import run
from tests.logic.test_agreements import agreement_004
from tests.logic.test_publication import as_, dataset, submit

ValidationError = helpers.logic.ValidationError

pytestmark = pytest.mark.usefixtures("with_request_context")

# a NUL (JSON "\u0000") and a lone surrogate (JSON "\ud800")
BAD = pytest.mark.parametrize("bad", ["\x00", "\ud800"], ids=["nul", "surrogate"])


def _refused(action, user, field, **data):
    """The action's ValidationError: it names ``field``, says what is wrong."""
    with pytest.raises(ValidationError) as error:
        helpers.call_action(action, context=as_(user), **data)
    assert field in error.value.error_dict, error.value.error_dict
    return error.value.error_dict[field]


def _says_why(messages, *words):
    text = " ".join(str(m) for m in messages)
    assert any(w in text for w in words), text


# -- comments and contact messages -------------------------------------------

@BAD
def test_a_comment_that_cannot_be_stored(public_dataset, bad):
    messages = _refused("partnership_comment_create", "citoyen", "body",
                        package_id=public_dataset["id"], body=f"Question {bad} ?")
    _says_why(messages, "NUL", "UTF-16")
    assert model.Session.query(pmodel.Comment).count() == 0


@BAD
@pytest.mark.parametrize("field", ["name", "email", "subject", "body"])
def test_a_contact_message_that_cannot_be_stored(people, field, bad):
    data = {"organization": "ville-aix-en-provence", "name": "Camille Durand",
            "email": "camille@exemple.fr", "subject": "Menus", "body": "Bonjour"}
    data[field] = data[field][:3] + bad + data[field][3:]
    _says_why(_refused("partnership_contact_create", "", field, **data), "NUL", "UTF-16")
    assert model.Session.query(pmodel.Thread).count() == 0


@pytest.mark.parametrize("field, length", [("name", 200), ("email", 254)])
def test_a_contact_message_has_bounded_fields(people, field, length):
    data = {"organization": "ville-aix-en-provence", "name": "Camille Durand",
            "email": "camille@exemple.fr", "subject": "Menus", "body": "Bonjour"}
    data[field] = ("x" * (length + 1)) if field != "email" else "x" * length + "@ex.fr"
    _says_why(_refused("partnership_contact_create", "", field, **data), str(length))
    # a 1 MB name is neither stored nor mailed
    data[field] = "x" * 1_000_000
    _refused("partnership_contact_create", "", field, **data)
    assert model.Session.query(pmodel.Thread).count() == 0


@BAD
def test_a_validators_texts_that_cannot_be_stored(public_dataset, bad):
    thread = helpers.call_action("partnership_comment_create", context=as_("citoyen"),
                                 package_id=public_dataset["id"], body="Question")
    _refused("partnership_comment_close", "validateur", "note", id=thread["thread_id"],
             reason="no_answer_needed", note=f"Doublon {bad}")
    _refused("partnership_dataset_unpublish", "validateur", "message",
             id=public_dataset["id"], reason="other", message=f"Erreur {bad}")
    assert helpers.call_action("package_show", id=public_dataset["id"])["private"] is False


@BAD
def test_a_refusal_message_that_cannot_be_stored(people, bad):
    request = submit(dataset(people))
    _refused("partnership_publication_decide", "validateur", "message", id=request["id"],
             decision="refuse", reasons=["metadata"], message=f"À compléter {bad}")
    row = model.Session.get(pmodel.PublicationRequest, request["id"])
    assert row.status == "pending"


# -- agreements ------------------------------------------------------------------

def _org(name="commune-de-gap"):
    factories.User(name=name + "-pub") if not model.User.get(name + "-pub") else None
    return factories.Organization(name=name, title=name.title(),
                                  users=[{"name": name + "-pub", "capacity": "editor"}])


@BAD
@pytest.mark.parametrize("field", ["reference", "title"])
def test_an_agreement_text_that_cannot_be_stored(people, field, bad):
    _org()
    data = agreement_004(organization="commune-de-gap", contacts=[])
    data[field] = data[field][:4] + bad + data[field][4:]
    _says_why(_refused("partnership_agreement_create", "validateur", field, **data),
              "NUL", "UTF-16")
    assert model.Session.query(pmodel.Agreement).count() == 1  # the fixture's


@BAD
@pytest.mark.parametrize("field", ["name"])  # CKAN's email_validator refuses a bad e-mail
def test_a_contact_of_an_agreement_that_cannot_be_stored(people, field, bad):
    _org()
    contact = {"role": "referent", "name": "Marie Dupont", "email": "m.dupont@gap.fr"}
    contact[field] = contact[field][:3] + bad + contact[field][3:]
    [errors] = _refused("partnership_agreement_create", "validateur", "contacts",
                        **agreement_004(organization="commune-de-gap", contacts=[contact]))
    assert field in errors, errors
    assert model.Session.query(pmodel.Agreement).count() == 1


@BAD
def test_annex_committee_and_amendment_texts_that_cannot_be_stored(people, bad):
    agreement_id = people["agreement"]["id"]
    _refused("partnership_planned_dataset_create", "validateur", "title",
             agreement_id=agreement_id, title=f"Menus {bad}")
    _refused("partnership_committee_meeting_create", "validateur", "minutes",
             agreement_id=agreement_id, held_on="2026-11-01", minutes=f"Relevé {bad}")
    _refused("partnership_amendment_create", "validateur", "reference",
             agreement_id=agreement_id, reference=f"AV-{bad}", signed_on="2026-11-01")
    _refused("partnership_amendment_create", "validateur", "summary",
             agreement_id=agreement_id, reference="AV-1", signed_on="2026-11-01",
             summary=f"Durée {bad}")
    _refused("partnership_agreement_show", "validateur", "id", id=f"x{bad}")
    _refused("partnership_agreement_show", "", "organization", organization=f"x{bad}")
    _refused("partnership_agreement_patch", "validateur", "id", id=f"x{bad}", title="T")
    assert model.Session.query(pmodel.PlannedDataset).count() == 0
    assert model.Session.query(pmodel.CommitteeMeeting).count() == 0
    assert model.Session.query(pmodel.Amendment).count() == 0


NUMBERS = [
    # field, value, what the message names
    ("validation_sla_hours", 2**31, "8760"),
    ("validation_sla_hours", 0, "8760"),
    ("validation_sla_hours", 8761, "8760"),
    ("validation_sla_hours", -48, "8760"),
    ("comment_sla_hours", 2**31, "8760"),
    ("comment_sla_hours", "quarante-huit", "8760"),
    ("quota_records_per_dataset", 2**63, str(2**63 - 1)),
    ("quota_records_total", -1, str(2**63 - 1)),
    ("quota_storage_bytes", 10**30, str(2**63 - 1)),
    ("quota_updates_per_day_bytes", -1, str(2**63 - 1)),
    ("quota_api_calls_per_month", "trois cent mille", str(2**63 - 1)),
    ("initial_term_months", 2**31, "1200"),
    ("renewal_term_months", 10**6, "1200"),
    ("notice_months", 1.5, "1200"),
    ("max_total_months", 2**40, "1200"),
]


@pytest.mark.parametrize("field, value, limit", NUMBERS)
def test_numbers_out_of_range_name_the_field_and_the_range(people, field, value, limit):
    _org()
    messages = _refused("partnership_agreement_create", "validateur", field,
                        **agreement_004(organization="commune-de-gap", contacts=[],
                                        **{field: value}))
    _says_why(messages, limit)
    assert model.Session.query(pmodel.Agreement).count() == 1


def test_numbers_at_the_limits_are_stored(people):
    _org()
    created = helpers.call_action(
        "partnership_agreement_create", context=as_("validateur"),
        **agreement_004(organization="commune-de-gap", contacts=[], validation_sla_hours=1,
                        comment_sla_hours=8760, quota_storage_bytes=2**63 - 1,
                        quota_records_total=0, notice_months=0,
                        quota_updates_per_day_bytes=2**63 - 1, quota_api_calls_per_month=0))
    shown = helpers.call_action("partnership_agreement_show", context=as_("validateur"),
                                id=created["id"])
    assert (shown["validation_sla_hours"], shown["comment_sla_hours"]) == (1, 8760)
    assert (shown["quota_storage_bytes"], shown["quota_records_total"]) == (2**63 - 1, 0)
    assert (shown["quota_updates_per_day_bytes"], shown["quota_api_calls_per_month"]) == (
        2**63 - 1, 0)
    # the patch path checks the same
    _refused("partnership_agreement_patch", "validateur", "validation_sla_hours",
             id=created["id"], validation_sla_hours=2**31)


# -- an agreement's state follows its calendar ----------------------------------------

def agreement_002(**overrides):
    """002 art. 9: three years, tacit yearly renewals up to six years.
    Signed 1 July 2019: its last day was 30 June 2025."""
    data = {
        "organization": "commune-de-gap", "reference": "CONV-2019-GAP",
        "signed_on": "2019-07-01", "effective_on": "2019-07-01", "term": "fixed",
        "initial_term_months": 36, "renewal": "tacit", "renewal_term_months": 12,
        "max_total_months": 72, "notice_months": 6, "end_policy": "keep",
        "state": "active",
        "contacts": [{"role": "publisher", "user": "commune-de-gap-pub",
                      "since": "2019-07-01"}],
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("state", ["active", "terminating"])
def test_an_agreement_past_its_end_cannot_be_created_in_force(people, state):
    _org()
    messages = _refused("partnership_agreement_create", "validateur", "state",
                        **agreement_002(state=state))
    _says_why(messages, "30/06/2025")
    assert model.Session.query(pmodel.Agreement).filter_by(reference="CONV-2019-GAP").count() == 0
    # recorded as what it is, it is accepted
    ended = helpers.call_action("partnership_agreement_create", context=as_("validateur"),
                                **agreement_002(state="ended"))
    assert ended["state"] == "ended"


def test_an_agreement_past_its_end_cannot_be_set_active(people):
    _org()
    draft = helpers.call_action("partnership_agreement_create", context=as_("validateur"),
                                **agreement_002(state="draft"))
    _says_why(_refused("partnership_agreement_patch", "validateur", "state",
                       id=draft["id"], state="active"), "30/06/2025")
    _refused("partnership_agreement_update", "validateur", "state",
             **agreement_002(id=draft["id"], state="active"))
    assert model.Session.get(pmodel.Agreement, draft["id"]).state == "draft"
    # an amendment extending it (no maximum duration) puts it back in force
    extended = helpers.call_action("partnership_agreement_patch", context=as_("validateur"),
                                   id=draft["id"], state="active", max_total_months=None)
    assert extended["state"] == "active"


def _recorded_in_force_past_its_end():
    """002 recorded ``active`` while it ran, and ``notify`` has not run
    since its end."""
    _org()
    draft = helpers.call_action("partnership_agreement_create", context=as_("validateur"),
                                **agreement_002(state="draft"))
    row = model.Session.get(pmodel.Agreement, draft["id"])
    row.state = "active"
    model.Session.commit()
    return draft["id"]


def test_an_agreement_past_its_end_is_never_shown_in_force(people):
    agreement_id = _recorded_in_force_past_its_end()
    org_id = model.Group.get("commune-de-gap").id
    for user in ("validateur", "", "citoyen", "commune-de-gap-pub"):
        shown = helpers.call_action("partnership_agreement_show", context=as_(user),
                                    organization="commune-de-gap")
        assert (shown["id"], shown["state"]) == (agreement_id, "ended"), user
    listed = helpers.call_action("partnership_agreement_list", context=as_("validateur"),
                                 organization="commune-de-gap")
    assert [a["state"] for a in listed] == ["ended"]
    active = helpers.call_action("partnership_agreement_list", context=as_("validateur"),
                                 state="active")
    assert [a["reference"] for a in active] == ["CONV-2019-AIX"]
    ended = helpers.call_action("partnership_agreement_list", context=as_("validateur"),
                                state="ended")
    assert [a["id"] for a in ended] == [agreement_id]
    # permissions follow: no agreement in force, no publisher
    assert pmodel.agreement_in_force(org_id) is None
    assert not roles.may_publish("commune-de-gap-pub", org_id)
    assert roles.may_publish("aix-publicateur", model.Group.get("ville-aix-en-provence").id)
    _refused("partnership_agreement_terminate", "validateur", "id", id=agreement_id,
             reason="anniversary", notified_on=dt.date.today().isoformat())


def test_saved_as_shown_it_stays_recorded_until_notify_ends_it(people):
    agreement_id = _recorded_in_force_past_its_end()
    patched = helpers.call_action("partnership_agreement_patch", context=as_("validateur"),
                                  id=agreement_id, title="Convention Open Data")
    assert (patched["title"], patched["state"]) == ("Convention Open Data", "ended")
    # still recorded in force: notify records its end and applies its end policy
    assert model.Session.get(pmodel.Agreement, agreement_id).state == "active"
    # another agreement cannot be put in force before that end is applied
    messages = _refused("partnership_agreement_create", "validateur", "organization",
                        **agreement_004(organization="commune-de-gap", contacts=[]))
    _says_why(messages, "notify")
    assert "CONV-2019-GAP: ended on 2025-07-01" in run(dt.date.today())
    assert model.Session.get(pmodel.Agreement, agreement_id).state == "ended"
    helpers.call_action("partnership_agreement_create", context=as_("validateur"),
                        **agreement_004(organization="commune-de-gap", contacts=[]))


@BAD
def test_lookups_that_cannot_be_stored_name_the_field(people, bad):
    for action, user, field in (
        ("partnership_publication_submit", "aix-publicateur", "id"),
        ("partnership_publication_list", "validateur", "id"),
        ("partnership_publication_decide", "validateur", "id"),
        ("partnership_comment_list", "citoyen", "package_id"),
        ("partnership_contact_answered", "aix-producteur", "id"),
        ("partnership_contact_reply", "aix-producteur", "id"),
        ("partnership_thread_list", "validateur", "organization"),
        ("partnership_response_stats", "", "organization"),
        ("partnership_queue_list", "validateur", "organization"),
        ("partnership_agreement_list", "validateur", "organization"),
        ("partnership_planned_dataset_list", "", "organization"),
    ):
        data = {field: f"x{bad}", "decision": "approve"}
        if field == "package_id":
            data = {"package_id": f"x{bad}"}
        _refused(action, user, field, **data)


def test_a_patch_extending_an_agreement_past_its_end_keeps_it_in_force(people):
    agreement_id = _recorded_in_force_past_its_end()
    extended = helpers.call_action("partnership_agreement_patch", context=as_("validateur"),
                                   id=agreement_id, max_total_months=None)
    assert extended["state"] == "active"
    assert pmodel.agreement_in_force(model.Group.get("commune-de-gap").id).id == agreement_id


@BAD
def test_ids_of_files_and_datasets_that_cannot_be_stored_name_the_field(people, bad):
    for action, field in (
        ("partnership_resource_checks_show", "id"),
        ("partnership_resource_checks_run", "id"),
        ("resource_validation_show", "resource_id"),
        ("resource_validation_run", "resource_id"),
        ("partnership_metadata_check", "id"),
        ("partnership_comment_close", "reason"),
    ):
        data = {field: f"x{bad}"}
        if action == "partnership_comment_close":
            data["id"] = "un-fil"
        _says_why(_refused(action, "validateur", field, **data), "NUL", "UTF-16")


def test_unknown_filters_name_the_field_and_the_allowed_values(people):
    for action, field, allowed in (
        ("partnership_agreement_list", "state", "draft, active, terminating, ended"),
        ("partnership_thread_list", "state", "open, all"),
        ("partnership_queue_list", "status", "pending"),
    ):
        messages = _refused(action, "validateur", field, **{field: "en-cours"})
        _says_why(messages, "en-cours")
        _says_why(messages, allowed)


def test_days_that_are_not_dates_name_the_field(people):
    for action, field in (
        ("partnership_agreement_show", "at"),
        ("partnership_agreement_list", "at"),
        ("partnership_response_stats", "since"),
        ("partnership_publication_stats", "until"),
    ):
        data = {field: "31/12/2025", "organization": "ville-aix-en-provence"}
        _says_why(_refused(action, "validateur", field, **data), "YYYY-MM-DD", "AAAA-MM-JJ")


def test_an_unknown_organization_filter_names_the_field(people):
    for action in ("partnership_agreement_list", "partnership_thread_list",
                   "partnership_response_stats", "partnership_queue_list",
                   "partnership_flagged_list", "partnership_publication_stats"):
        _says_why(_refused(action, "validateur", "organization", organization="nulle-part"),
                  "Organization not found", "Organisation introuvable")


def test_a_missing_dataset_id_is_named(people):
    _says_why(_refused("partnership_metadata_check", "validateur", "id"), "Missing value", "Valeur manquante")
