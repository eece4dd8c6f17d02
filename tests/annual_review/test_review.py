# -*- coding: utf-8 -*-
"""The steering committee's annual review (000 art. 12) through the real
action chain: its figures are the statistics' own for the same year, each
month of each figure adds up to the year, who reads it, what it refuses,
and its cost does not grow with what it counts."""
from __future__ import annotations

import datetime as dt

import pytest

import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.partnership import model as pmodel
from tests.logic.test_comments import comment
from tests.logic.test_publication import as_, dataset, decide, submit
from tests.sql import queries

NotAuthorized = helpers.logic.NotAuthorized
ValidationError = helpers.logic.ValidationError

pytestmark = pytest.mark.usefixtures("with_request_context")

ORG = "ville-aix-en-provence"


def review(user="validateur", **data):
    return helpers.call_action("partnership_annual_review", context=as_(user), **data)


def this_year() -> int:
    return pmodel.now().year


def period(year):
    return {"since": f"{year}-01-01", "until": f"{year}-12-31"}


def _move(request_id, hours):
    """A request submitted ``hours`` earlier (and due as much earlier)."""
    row = model.Session.get(pmodel.PublicationRequest, request_id)
    row.submitted_at -= dt.timedelta(hours=hours)
    row.due_at -= dt.timedelta(hours=hours)
    model.Session.commit()


def _decisions(people):
    """One request approved in time, one refused late, one waiting; the
    dataset published."""
    approved = dataset(people)
    decide(submit(approved), decision="approve")
    late = submit(dataset(people))
    _move(late["id"], 60)
    decide(late, decision="refuse", reasons=["licence", "metadata"], message="Licence ouverte")
    submit(dataset(people))
    return approved


def _published(people):
    package = dataset(people)
    decide(submit(package), decision="approve")
    return package


def test_the_review_figures_are_the_statistics_of_the_same_year(people):
    approved = _decisions(people)
    question = comment(approved, "citoyen")
    comment(approved, "aix-publicateur", "Les effectifs viennent du rectorat.",
            reply_to=question["id"])
    comment(approved, "citoyen", "Et pour 2025 ?")
    helpers.call_action("partnership_contact_create", context=as_(""), organization=ORG,
                        name="Camille Durand", email="camille@exemple.fr", subject="Menus",
                        body="Bonjour, où sont les menus ?")
    year = this_year()
    for organization in (ORG, None):
        filters = {"organization": organization} if organization else {}
        found = review(year=year, **filters)
        decisions = helpers.call_action("partnership_publication_stats", context=as_(""),
                                        **filters, **period(year))
        answers = helpers.call_action("partnership_response_stats", context=as_(""),
                                      **filters, **period(year))
        decisions.pop("by_organization")
        answers.pop("by_organization")
        assert found["publication"]["decisions"] == decisions
        assert {k: found["answers"][k] for k in answers if k != "by_month"} == \
            {k: v for k, v in answers.items() if k != "by_month"}
        # the review adds the share answered in time to each month
        assert [{k: m[k] for k in stats} for m, stats in zip(found["answers"]["by_month"],
                                                             answers["by_month"])] \
            == answers["by_month"]
        assert decisions["decided"] == 2 and decisions["by_reason"] == {"licence": 1,
                                                                        "metadata": 1}
        assert answers["threads"] == 3 and answers["contact_messages"] == 1
        totals = found["totals"]
        assert totals["publication.decided"] == 2
        assert totals["publication.within_sla_share"] == 0.5
        assert totals["answers.threads"] == 3 and totals["answers.answered"] == 1
        # the months add up to the year, and the months to come are not known yet
        month = pmodel.now().month
        for name in ("publication.decided", "publication.refused", "answers.threads",
                     "answers.contact_messages"):
            values = found["series"][name]
            assert len(values) == 12 and sum(v for v in values if v) == totals[name], name
            assert values[month - 1] == totals[name]
            assert all(v is None for v in values[month:]), name
    # the year before had nothing of it
    before = review(year=year - 1, organization=ORG)
    assert before["totals"]["publication.decided"] == 0
    assert before["publication"]["decisions"]["decided"] == 0
    compared = review(year=year, organization=ORG)["comparison"]["publication.decided"]
    assert compared == {"value": 2, "previous": 0, "change": 2}


def test_published_updated_withdrawn_and_why(people):
    package = _published(people)
    helpers.call_action("package_patch", context=as_("aix-producteur"), id=package["id"],
                        notes="Les effectifs des collèges, mis à jour.")
    helpers.call_action("partnership_dataset_unpublish", context=as_("aix-publicateur"),
                        id=package["id"], reason="quality", message="Des erreurs de saisie.")
    other = _published(people)
    helpers.call_action("partnership_dataset_unpublish", context=as_("validateur"),
                        id=other["id"], reason="personal_data",
                        message="Des noms de personnes.")
    found = review(year=this_year(), organization=ORG)
    totals = found["totals"]
    assert totals["publication.published"] == 2
    assert totals["publication.updated"] >= 1
    assert totals["publication.withdrawn"] == 1
    assert totals["publication.removed"] == 1
    assert found["publication"]["removals_by_reason"] == {"personal_data": 1, "quality": 1}
    month = pmodel.now().month
    assert found["series"]["publication.published"][month - 1] == 2
    # another partner's review counts none of it
    other_review = review(year=this_year(), organization="departement-13")
    assert other_review["totals"]["publication.published"] == 0


def test_a_step_of_last_year_counts_in_last_years_review(people):
    package = _published(people)
    from ckanext.activity.model import Activity

    for activity in model.Session.query(Activity).filter(Activity.object_id == package["id"]):
        activity.timestamp = activity.timestamp.replace(year=this_year() - 1)
    model.Session.commit()
    assert review(year=this_year(), organization=ORG)["totals"]["publication.published"] == 0
    last = review(year=this_year() - 1, organization=ORG)
    assert last["totals"]["publication.published"] == 1
    assert sum(last["series"]["publication.published"]) == 1
    assert len([v for v in last["series"]["publication.published"] if v is None]) == 0


def test_the_agreements_year(people):
    """The annual review counts the year's committee meetings and amendments and names
    the agreement's renewals and notice deadlines (000 art. 12, 004 art. 13)."""
    agreement = people["agreement"]
    year = this_year()
    helpers.call_action("partnership_committee_meeting_create", context=as_("validateur"),
                        agreement_id=agreement["id"], held_on=f"{year}-03-12",
                        minutes="Bilan de l'année écoulée.")
    helpers.call_action("partnership_amendment_create", context=as_("validateur"),
                        agreement_id=agreement["id"], reference="AV-1",
                        signed_on=f"{year}-02-01", summary="Quotas relevés.")
    found = review(year=year, organization=ORG)["agreement"]
    assert found["meetings"] == [{"held_on": f"{year}-03-12"}]
    assert [a["reference"] for a in found["amendments"]] == ["AV-1"]
    assert found["totals"]["meetings"] == 1 and found["totals"]["amendments"] == 1
    # 004's calendar: renewed each 19 December, notice one month before
    assert found["notice_deadlines"] == [{"reference": "CONV-2019-AIX",
                                          "on": f"{year}-11-19"}]
    last = review(year=year - 1, organization=ORG)["agreement"]
    assert last["renewals"] == [{"reference": "CONV-2019-AIX", "on": f"{year - 1}-12-19"}]
    assert last["totals"]["meetings"] == 0
    series = review(year=year, organization=ORG)["series"]
    assert series["agreement.meetings"][2] == 1 and series["agreement.amendments"][1] == 1
    portal = review(year=year)["agreement"]["totals"]
    assert portal["meetings"] == 1 and portal["in_force"] == 1 and portal["without_meeting"] == 0


def test_members_and_validators_read_it_others_do_not(people):
    year = this_year()
    assert review("aix-producteur", year=year, organization=ORG)["organization"]["name"] == ORG
    assert review("validateur", year=year)["organization"] is None
    for user, data in (("citoyen", {"organization": ORG}), ("cd13-producteur", {"organization": ORG}),
                       ("aix-producteur", {}), ("", {"organization": ORG})):
        with pytest.raises(NotAuthorized):
            review(user, year=year, **data)


@pytest.mark.parametrize("year,says", [
    ("deux-mille", "AAAA"), ("2026.5", "AAAA"), (True, "AAAA"), ("", "manquante"),
    ("1999", "de 2000 à"), (str(dt.date.today().year + 1), "de 2000 à"),
    ("99999999999999999999", "de 2000 à"),
])
def test_a_year_that_cannot_be_reviewed_is_named(people, year, says):
    with pytest.raises(ValidationError) as error:
        review(year=year, organization=ORG)
    assert "year" in error.value.error_dict
    assert says in " ".join(str(m) for m in error.value.error_dict["year"])


def test_an_unknown_partner_is_named(people):
    with pytest.raises(ValidationError) as error:
        review(year=this_year(), organization="nulle-part")
    assert error.value.error_dict["organization"] == ["Organisation introuvable"]


def test_the_api_answers_409_naming_the_field(app, people):
    user = factories.Sysadmin()
    token = helpers.call_action("api_token_create", context={"user": user["name"]},
                                user=user["name"], name="t")["token"]
    response = app.post("/api/3/action/partnership_annual_review",
                        json={"year": "deux-mille"}, headers={"Authorization": token},
                        status=409)
    assert "year" in response.json["error"]


def test_its_queries_do_not_grow_with_what_it_counts(people):
    """The same statements for one published dataset as for three, with
    their questions; and for the portal with two partners as with four."""
    year = this_year()

    def counted(organization=None):
        model.Session.remove()
        data = {"organization": organization} if organization else {}
        with queries() as sent:
            review(year=year, **data)
        return len(sent)

    first = _published(people)
    comment(first, "citoyen")
    few, portal_few = counted(ORG), counted()
    for _ in range(2):
        more = _published(people)
        comment(more, "citoyen")
    for i in range(2):
        factories.Organization(name=f"commune-{i}")
    assert counted(ORG) == few
    assert counted() == portal_few


def _planned(people, title, due_on=None, package=None):
    data = {"agreement_id": people["agreement"]["id"], "title": title}
    if due_on:
        data["due_on"] = due_on.isoformat()
    if package:
        data["package_id"] = package["id"]
    return helpers.call_action("partnership_planned_dataset_create",
                               context=as_("validateur"), **data)


def test_the_annex_planned_delivered_late_and_still_planned(people):
    """000 art. 12: the committee reviews the datasets each party planned
    to publish; the review says which came, on time or late, and which
    are late or still to come. These are the datasets the partner
    publishes first (002 §2.2, 003 art. 5)."""
    today = dt.date.today()
    _planned(people, "Menus des cantines", today + dt.timedelta(days=30), _published(people))
    _planned(people, "Effectifs scolaires", today - dt.timedelta(days=10), _published(people))
    _planned(people, "Arrêtés de voirie", today - dt.timedelta(days=1))
    _planned(people, "Subventions", None, dataset(people))  # the dataset is still private
    _planned(people, "Délibérations")
    found = review(year=this_year(), organization=ORG)["annex"]
    assert {k: found[k] for k in ("planned", "delivered", "delivered_on_time",
                                  "delivered_late", "late", "still_planned")} == {
        "planned": 5, "delivered": 2, "delivered_on_time": 1, "delivered_late": 1,
        "late": 1, "still_planned": 2}
    states = {item["title"]: item["state"] for item in found["items"]}
    assert states == {"Menus des cantines": "delivered", "Effectifs scolaires": "delivered_late",
                      "Arrêtés de voirie": "late", "Subventions": "planned",
                      "Délibérations": "planned"}
    delivered = [i for i in found["items"] if i["state"].startswith("delivered")]
    assert all(i["delivered_on"] == today.isoformat() and i["package_name"] for i in delivered)
    # the private dataset's name is not told
    assert [i["package_name"] for i in found["items"] if i["title"] == "Subventions"] == [None]
    month = f"{today:%Y-%m}"
    assert [m["delivered"] for m in found["by_month"] if m["month"] == month] == [2]
    totals = review(year=this_year(), organization=ORG)["totals"]
    assert totals["annex.delivered_late"] == 1 and totals["annex.late"] == 1
    # the portal counts them without listing them; another partner has none
    portal = review(year=this_year())["annex"]
    assert portal["planned"] == 5 and portal["items"] == []
    assert review(year=this_year(), organization="departement-13")["annex"]["planned"] == 0
    # a dataset delivered the year before is not this year's delivery
    last = review(year=this_year() - 1, organization=ORG)["annex"]
    assert last["delivered"] == 0


def test_a_due_date_that_is_not_a_date_is_named(people):
    with pytest.raises(ValidationError) as error:
        helpers.call_action("partnership_planned_dataset_create", context=as_("validateur"),
                            agreement_id=people["agreement"]["id"], title="Menus",
                            due_on="bientôt")
    assert "due_on" in error.value.error_dict
