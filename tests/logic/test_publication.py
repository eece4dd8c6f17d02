# -*- coding: utf-8 -*-
"""The publication workflow through the real action chain: producers
produce, the publisher publishes, the host validates within 48 hours
(002 §4.2.1; 000 §9.1.2, §9.4)."""
from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from werkzeug.datastructures import FileStorage

import ckan.model as model
from ckan.tests import helpers

from ckanext.partnership import publication, resource_checks
from ckanext.partnership import model as pmodel
from tests.factories import full_dataset

NotAuthorized = helpers.logic.NotAuthorized
ValidationError = helpers.logic.ValidationError

# Actions run inside a web request (its language, its mail).
pytestmark = pytest.mark.usefixtures("with_request_context")

GOOD_CSV = b"commune,population\nAix-en-Provence,147000\nArles,51000\n"


def as_(user):
    return {"user": user, "ignore_auth": False}


def dataset(people, user="aix-producteur", checked=True, **overrides):
    """A private dataset of the partner with one CSV file, its checks run."""
    data = full_dataset(people["org"], name=f"jeu-{uuid.uuid4().hex[:8]}", conforms_to="",
                        private=True)
    data.update(overrides)
    created = helpers.call_action("package_create", context=as_(user), **data)
    resource = helpers.call_action(
        "resource_create", context=as_(user), package_id=created["id"], name="Population",
        format="CSV", url="population.csv",
        upload=FileStorage(io.BytesIO(GOOD_CSV), filename="population.csv",
                           content_type="text/csv"))
    if checked:
        assert resource_checks.run(resource["id"]) == "success"
    return helpers.call_action("package_show", id=created["id"])


def add_personal_file(package, user="aix-producteur"):
    """A file with an e-mail address in it, checked: its checks fail."""
    resource = helpers.call_action(
        "resource_create", context=as_(user), package_id=package["id"],
        name="Contacts", format="CSV", url="contacts.csv",
        upload=FileStorage(io.BytesIO(b"commune,contact\nAix,jeanne.martin@free.fr\n"),
                           filename="contacts.csv", content_type="text/csv"))
    assert resource_checks.run(resource["id"]) == "failure"
    return resource


def submit(package, user="aix-publicateur"):
    return helpers.call_action("partnership_publication_submit", context=as_(user),
                               id=package["id"])


def decide(request, user="validateur", **data):
    return helpers.call_action("partnership_publication_decide", context=as_(user),
                               id=request["id"], **data)


def is_public(package):
    return helpers.call_action("package_show", id=package["id"])["private"] is False


def test_submit_then_approve_publishes_within_the_deadline(people):
    """A submitted dataset waits in the validators' queue with a deadline 48 hours away,
    and a validator's approval publishes it on time (002 §4.2.1)."""
    package = dataset(people)
    request = submit(package)
    assert request["status"] == "pending"
    assert request["submitted_by"] == "aix-publicateur"
    submitted = dt.datetime.fromisoformat(request["submitted_at"])
    assert dt.datetime.fromisoformat(request["due_at"]) - submitted == dt.timedelta(hours=48)
    assert {c["code"]: c["status"] for c in request["checks"]} == {
        "metadata": "pass", "licence": "pass", "resources": "pass", "standard": "pass",
        "personal_data": "pass", "open_formats": "pass"}
    assert not is_public(package)

    queue = helpers.call_action("partnership_queue_list", context=as_("validateur"))
    assert [r["id"] for r in queue] == [request["id"]]
    assert queue[0]["overdue"] is False and 47 * 3600 < queue[0]["remaining_seconds"] <= 48 * 3600

    decided = decide(request, decision="approve")
    assert (decided["status"], decided["decided_by"], decided["within_sla"]) == (
        "approved", "validateur", True)
    shown = helpers.call_action("package_show", id=package["id"])
    assert shown["private"] is False
    assert shown["issued"] == dt.date.today().isoformat()
    assert helpers.call_action("package_search", q=f"name:{package['name']}")["count"] == 1
    assert helpers.call_action("partnership_queue_list", context=as_("validateur")) == []


def test_the_deadline_is_the_agreements(people):
    helpers.call_action("partnership_agreement_patch", context={"user": "validateur"},
                        id=people["agreement"]["id"], validation_sla_hours=72)
    request = submit(dataset(people))
    submitted = dt.datetime.fromisoformat(request["submitted_at"])
    assert dt.datetime.fromisoformat(request["due_at"]) - submitted == dt.timedelta(hours=72)


def test_a_refusal_needs_reasons_and_a_message_and_keeps_the_dataset_private(people):
    """A validator refuses only with a known reason and a message for the publisher; the
    dataset stays private and can be fixed and submitted again (002 §4.2.1)."""
    package = dataset(people)
    request = submit(package)
    with pytest.raises(ValidationError) as error:
        decide(request, decision="refuse")
    assert set(error.value.error_dict) == {"reasons", "message"}
    with pytest.raises(ValidationError) as error:
        decide(request, decision="refuse", reasons=["gdpr"], message="x")
    assert "gdpr" in str(error.value.error_dict["reasons"])
    refused = decide(request, decision="refuse", reasons=["personal_data", "metadata"],
                     message="La colonne « contact » contient des adresses.")
    assert refused["status"] == "refused"
    assert refused["reasons"] == ["personal_data", "metadata"]
    assert not is_public(package)
    # decided once
    with pytest.raises(ValidationError) as error:
        decide(request, decision="approve")
    assert "refus" in str(error.value.error_dict["id"]).lower()
    # the publisher fixes and submits again
    again = submit(package)
    assert again["id"] != request["id"] and again["status"] == "pending"
    listed = helpers.call_action("partnership_publication_list", context=as_("aix-producteur"),
                                 id=package["id"])
    assert [r["status"] for r in listed] == ["pending", "refused"]


def test_failing_checks_refuse_the_submission_with_what_to_fix(people):
    """A submission is refused, naming what to fix, when a required field is missing, a
    file is not checked yet or the licence is not one the agreement allows (002 §2.6,
    003 art. 5)."""
    incomplete = dataset(people, frequency="", checked=False)
    with pytest.raises(ValidationError) as error:
        submit(incomplete)
    messages = " ".join(error.value.error_dict["checks"])
    assert "Fréquence de mise à jour" in messages  # in the page's language
    # the file's checks have not run: nothing is known of it yet
    assert "Population" in messages
    assert model.Session.query(pmodel.PublicationRequest).count() == 0

    wrong_licence = dataset(people, license_id="other-closed")
    with pytest.raises(ValidationError) as error:
        submit(wrong_licence)
    assert "other-closed" in " ".join(error.value.error_dict["checks"])


def test_personal_data_blocks_the_submission(people):
    """A file holding an e-mail address fails the personal-data check, which refuses the
    submission without repeating the address (002 §2.3, 004 art. 5)."""
    package = dataset(people)
    add_personal_file(package)
    checks = helpers.call_action("partnership_publication_checks",
                                 context=as_("aix-publicateur"), id=package["id"])
    by_code = {c["code"]: c for c in checks}
    assert by_code["personal_data"]["status"] == "fail"
    assert "Contacts" in by_code["personal_data"]["detail"]
    assert "jeanne.martin" not in str(checks)
    with pytest.raises(ValidationError):
        submit(package)


def test_one_pending_request_per_dataset_and_cancel(people):
    package = dataset(people)
    request = submit(package)
    with pytest.raises(ValidationError):
        submit(package)
    with pytest.raises(NotAuthorized):
        helpers.call_action("partnership_publication_cancel", context=as_("aix-producteur"),
                            id=request["id"])
    cancelled = helpers.call_action("partnership_publication_cancel",
                                    context=as_("aix-publicateur"), id=request["id"])
    assert cancelled["status"] == "cancelled"
    with pytest.raises(ValidationError) as error:
        decide(request, decision="approve")
    assert "annul" in str(error.value.error_dict["id"]).lower() or \
        "cancel" in str(error.value.error_dict["id"]).lower()
    assert submit(package)["status"] == "pending"


def test_autonomous_agreements_publish_at_once_with_the_same_checks(people):
    """Under an autonomous agreement the publisher's submission, or its own save, publishes
    at once after the same checks as a validated one (002 art. 1, 3)."""
    helpers.call_action("partnership_agreement_patch", context={"user": "validateur"},
                        id=people["agreement"]["id"], publication_mode="autonomous")
    with pytest.raises(ValidationError):
        submit(dataset(people, license_id="other-closed"))
    package = dataset(people)
    request = submit(package)
    assert (request["status"], request["decided_by"]) == ("approved", "aix-publicateur")
    assert is_public(package)
    # a direct save by the publisher is a publication too, with the same checks
    direct = dataset(people)
    helpers.call_action("package_patch", context=as_("aix-publicateur"), id=direct["id"],
                        private=False)
    assert is_public(direct)
    assert [r["status"] for r in helpers.call_action(
        "partnership_publication_list", context=as_("validateur"), id=direct["id"])] == [
        "approved"]
    unchecked = dataset(people, checked=False)
    with pytest.raises(ValidationError):
        helpers.call_action("package_patch", context=as_("aix-publicateur"),
                            id=unchecked["id"], private=False)
    assert not is_public(unchecked)
    # the producer still may not
    with pytest.raises(ValidationError):
        helpers.call_action("package_patch", context=as_("aix-producteur"),
                            id=dataset(people)["id"], private=False)


def test_unpublish_by_a_validator_and_withdrawal_by_the_publisher(people):
    """A validator removes a published dataset and the publisher withdraws one, each with a
    reason and a message, and the dataset goes private (000 §9.4, 003 §9.1, 001 §2.3,
    003 art. 7)."""
    package = dataset(people)
    decide(submit(package), decision="approve")
    with pytest.raises(ValidationError) as error:
        helpers.call_action("partnership_dataset_unpublish", context=as_("validateur"),
                            id=package["id"], reason="", message="")
    assert set(error.value.error_dict) == {"reason", "message"}
    with pytest.raises(NotAuthorized):
        helpers.call_action("partnership_dataset_unpublish", context=as_("aix-producteur"),
                            id=package["id"], reason="quality", message="Données périmées")
    helpers.call_action("partnership_dataset_unpublish", context=as_("validateur"),
                        id=package["id"], reason="quality", message="Données périmées")
    assert not is_public(package)
    decide(submit(package), decision="approve")
    helpers.call_action("partnership_dataset_unpublish", context=as_("aix-publicateur"),
                        id=package["id"], reason="other", message="Jeu remplacé")
    assert not is_public(package)


def test_every_step_is_in_the_activity_stream_with_its_actor(people):
    """Each step of the workflow (submitted, refused, approved, unpublished) shows in the
    dataset's activity stream with the person who took it (000 §9.3)."""
    package = dataset(people)
    request = submit(package)
    decide(request, decision="refuse", reasons=["metadata"], message="Décrivez les colonnes.")
    decide(submit(package), decision="approve")
    helpers.call_action("partnership_dataset_unpublish", context=as_("validateur"),
                        id=package["id"], reason="quality", message="Périmé")
    activities = helpers.call_action("package_activity_list", context={"user": "validateur"},
                                     id=package["id"], activity_types=[publication.ACTIVITY_TYPE])
    steps = [(a["data"]["partnership"]["event"], a["data"]["actor"]) for a in activities]
    assert steps == [
        ("unpublished", "validateur"), ("approved", "validateur"),
        ("submitted", "aix-publicateur"), ("refused", "validateur"),
        ("submitted", "aix-publicateur")]


def test_the_steps_of_a_private_dataset_are_not_shown_to_others(people):
    package = dataset(people)
    decide(submit(package), decision="refuse", reasons=["metadata"],
           message="Décrivez les colonnes.")

    def events(action, user, **data):
        return [a["data"]["partnership"]["event"] for a in helpers.call_action(
            action, context={"user": user}, **data)
            if a["activity_type"] == publication.ACTIVITY_TYPE]

    for user in ("", "citoyen", "cd13-producteur"):
        assert events("user_activity_list", user, id="aix-publicateur") == []
        assert events("organization_activity_list", user, id="ville-aix-en-provence") == []
    for user in ("aix-producteur", "validateur"):
        assert events("user_activity_list", user, id="aix-publicateur") == ["submitted"]
    assert events("user_activity_list", "aix-producteur", id="validateur") == ["refused"]


def test_stats_count_decisions_within_the_deadline_and_reasons(people):
    on_time = submit(dataset(people))
    decide(on_time, decision="approve")
    late = submit(dataset(people))
    row = model.Session.get(pmodel.PublicationRequest, late["id"])
    row.submitted_at -= dt.timedelta(hours=60)
    row.due_at -= dt.timedelta(hours=60)
    model.Session.commit()
    decide(late, decision="refuse", reasons=["licence", "metadata"], message="Licence")
    waiting = submit(dataset(people))
    row = model.Session.get(pmodel.PublicationRequest, waiting["id"])
    row.due_at -= dt.timedelta(hours=49)
    model.Session.commit()

    stats = helpers.call_action("partnership_publication_stats", context={"user": ""})
    assert {k: stats[k] for k in ("decided", "approved", "refused", "within_sla",
                                  "pending", "overdue")} == {
        "decided": 2, "approved": 1, "refused": 1, "within_sla": 1, "pending": 1, "overdue": 1}
    assert stats["by_reason"] == {"licence": 1, "metadata": 1}
    assert 29 < stats["median_decision_hours"] < 31  # (0 h + 60 h) / 2
    assert stats["by_organization"][0]["organization"] == "ville-aix-en-provence"
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert helpers.call_action("partnership_publication_stats", since=tomorrow)["decided"] == 0
    with pytest.raises(ValidationError):
        helpers.call_action("partnership_publication_stats", since="23/11/2026")
    queue = helpers.call_action("partnership_queue_list", context=as_("validateur"))
    assert queue[0]["overdue"] is True and queue[0]["remaining_seconds"] < 0


def test_a_published_dataset_whose_update_fails_is_flagged_not_unpublished(people):
    """A published dataset whose new file holds personal data stays online but is
    flagged to the validators, and told once (000 §10.1.1, 001 §2.3)."""
    package = dataset(people)
    decide(submit(package), decision="approve")
    resource = add_personal_file(package)
    assert is_public(package)
    flagged = helpers.call_action("partnership_flagged_list", context=as_("validateur"))
    assert [f["name"] for f in flagged] == [package["name"]]
    assert [c["code"] for c in flagged[0]["checks"]] == ["personal_data"]
    events = model.Session.query(pmodel.Event).filter_by(kind="flagged").all()
    assert len(events) == 1
    # checked again with the same outcome: told once
    resource_checks.queue(resource["id"])
    model.Session.commit()
    resource_checks.run(resource["id"])
    assert model.Session.query(pmodel.Event).filter_by(kind="flagged").count() == 1
