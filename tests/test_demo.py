# -*- coding: utf-8 -*-
"""The demo content that `make demo` loads."""
from __future__ import annotations

import datetime as dt
import email.header
import re

import pytest

import ckan.model as model
from ckan.tests import helpers

from ckanext.partnership import compliance, demo
from ckanext.partnership import model as pmodel
from tests.test_demo_checks import check_everything


def _token(user):
    return {"Authorization": helpers.call_action(
        "api_token_create", context={"user": user}, user=user, name="t")["token"]}


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDemoLoad:
    def test_creates_the_host_partners_accounts_and_datasets(self):
        created = list(demo.load())

        orgs = helpers.call_action("organization_list")
        assert sorted(orgs) == sorted(
            [demo.HOST["name"]] + [p["name"] for p in demo.PARTNERS]
        )
        for name, _fullname, role, org, capacity in demo.ACCOUNTS:
            user = model.User.get(name)
            assert user is not None, name
            assert user.sysadmin == (role == "sysadmin")
            if org:
                members = helpers.call_action(
                    "member_list", id=org, object_type="user"
                )
                assert (user.id, "user", capacity.capitalize()) in [
                    tuple(m) for m in members
                ]
        linked = sum(1 for p in demo.PLANNED.values() for x in p if x.get("link"))
        # the year's lines: one per public dataset, and the freshness months
        year = [line for line in created if line.startswith("year: ")]
        created = [line for line in created if not line.startswith("year: ")]
        public_count = len([d for d in demo.DATASETS if not d["private"]])
        assert len([line for line in year if "updates" in line]) == public_count
        assert len(created) == (len(demo.ACCOUNTS) + 4 + 3 + len(demo.DATASETS) + linked
                                + len(demo.HISTORY) + len(demo.QUEUE) + 2 + len(demo.DISCUSSIONS)
                                + sum(len(d) for d in demo.LABEL_DECLARATIONS.values())
                                + 1)  # ACCESS_REQUEST

        # each partner has an agreement in force; one notice deadline is near
        deadlines = []
        for partner in demo.PARTNERS:
            agreement = helpers.call_action(
                "partnership_agreement_show", context={"user": "validateur"},
                organization=partner["name"],
            )
            assert agreement["state"] == "active"
            assert [c["user"] for c in agreement["contacts"] if c["role"] == "publisher"] == [
                partner["short"] + "-publicateur"]
            deadlines.append(dt.date.fromisoformat(agreement["calendar"]["notice_deadline"]))
        assert min(d - dt.date.today() for d in deadlines) <= dt.timedelta(days=30)

        # annexes: delivered and still planned; a committee warning for Aix
        annex = helpers.call_action("partnership_planned_dataset_list",
                                    organization="ville-aix-en-provence")
        assert [p["delivered"] for p in annex] == [True, True, False]
        aix = helpers.call_action("partnership_agreement_show", context={"user": "validateur"},
                                  organization="ville-aix-en-provence")
        assert aix["committee_overdue"] is True

        public = helpers.call_action("package_search", q="*:*")
        assert public["count"] == len([d for d in demo.DATASETS if not d["private"]])
        college = helpers.call_action(
            "package_show", id="colleges-publics-bouches-du-rhone"
        )
        assert college["organization"]["title"] == "Département des Bouches-du-Rhône"
        [resource] = college["resources"]
        assert resource["format"] == "CSV"
        assert resource["url_type"] == "upload"
        assert resource["url"].endswith("/colleges-publics-13.csv")

    def test_the_queue_waits_oldest_deadline_first_one_overdue(self):
        list(demo.load())

        queue = helpers.call_action("partnership_queue_list", context={"user": "validateur"})

        assert len(queue) >= 2
        assert {r["status"] for r in queue} == {"pending"}
        assert [r["due_at"] for r in queue] == sorted(r["due_at"] for r in queue)
        assert [r["overdue"] for r in queue] == [True] + [False] * (len(queue) - 1)
        assert queue[0]["remaining_seconds"] < 0
        # one has less than the 12 hours of the reminder left
        assert any(0 < r["remaining_seconds"] < 12 * 3600 for r in queue)
        for request in queue:
            assert request["submitted_by"].endswith("-publicateur")
            assert request["checks"] and all(c["status"] != "fail" for c in request["checks"])
            dataset = helpers.call_action("package_show", context={"user": "validateur"},
                                          id=request["package_id"])
            assert dataset["private"] is True
            assert dataset["resources"][0]["format"] == "CSV"

    def test_the_figures_show_decisions_refusals_and_late_ones(self):
        list(demo.load())

        stats = helpers.call_action("partnership_publication_stats", context={"user": ""})

        assert stats["decided"] > 0
        assert stats["approved"] == len([d for d in demo.DATASETS if not d["private"]])
        assert stats["refused"] > 0
        assert {"metadata", "personal_data", "licence"} <= set(stats["by_reason"])
        assert 0 < stats["within_sla"] < stats["decided"]
        assert stats["pending"] == len(demo.QUEUE) + 1  # and the live submission
        assert stats["overdue"] == 1

        # a dataset's history: refused, then approved, by the validator
        history = helpers.call_action("partnership_publication_list",
                                      context={"user": "aix-publicateur"},
                                      id="prenoms-nouveaux-nes-aix-2025")
        assert [r["status"] for r in history] == ["approved", "refused"]
        assert {r["submitted_by"] for r in history} == {"aix-publicateur"}
        assert {r["decided_by"] for r in history} == {"validateur"}
        assert history[1]["reasons"] == ["personal_data"]
        assert history[1]["message"]
        now = dt.datetime.now(dt.timezone.utc)
        assert all(dt.datetime.fromisoformat(r["decided_at"]) < now - dt.timedelta(days=7)
                   for r in history)

    def test_the_partners_answer_on_time_late_or_not_yet(self):
        list(demo.load())

        # DISCUSSIONS, the last 17 days; the year's questions are older
        since = (dt.date.today() - dt.timedelta(days=17)).isoformat()
        stats = helpers.call_action("partnership_response_stats", context={"user": ""},
                                    since=since)

        assert stats["threads"] == len(demo.DISCUSSIONS)
        # Aix, the Département and the EPCI each answered one question on
        # time; the Département answered one late
        assert (stats["answered"], stats["answered_on_time"]) == (4, 3)
        assert (stats["awaiting"], stats["overdue"], stats["closed"]) == (2, 2, 0)
        assert 5 < stats["median_first_response_hours"] < 48
        assert {o["organization"] for o in stats["by_organization"]} == {
            p["name"] for p in demo.PARTNERS}

        # a dataset's page: the public's question, the publisher's answer
        [answered] = [t for t in helpers.call_action(
            "partnership_comment_list", context={"user": ""},
            package_id="colleges-publics-bouches-du-rhone")
            if t["comments"][0]["author"] == "journaliste"]
        assert (answered["state"], answered["on_time"]) == ("answered", False)
        assert [(c["author"], c["by_partner"]) for c in answered["comments"]] == [
            ("journaliste", False), ("cd13-publicateur", True)]

    def test_the_publisher_sees_the_open_threads_oldest_deadline_first(self):
        list(demo.load())

        threads = helpers.call_action("partnership_thread_list",
                                      context={"user": "aix-publicateur"})

        assert {t["organization"] for t in threads} == {"ville-aix-en-provence"}
        assert [t["due_at"] for t in threads] == sorted(t["due_at"] for t in threads)
        assert [t["state"] for t in threads] == ["overdue", "awaiting", "awaiting"]
        assert threads[0]["remaining_seconds"] < 0
        # the reminder of the second is due: less than 12 hours left
        assert 0 < threads[1]["remaining_seconds"] < 12 * 3600
        assert [t["kind"] for t in threads] == ["comment", "comment", "contact"]
        assert threads[2]["sender_email"] == "dominique.bernard@exemple.fr"
        assert threads[2]["comments"][0]["author"] is None

    def test_running_again_keeps_what_changed(self):
        list(demo.load())
        publisher = {"user": "aix-publicateur"}
        helpers.call_action(
            "package_patch",
            context={"user": "ccvh-publicateur"},
            id="horaires-decheteries-vallee-herault",
            title="Horaires d'hiver des déchèteries",
        )
        helpers.call_action(
            "package_create",
            context=publisher,
            name="ajout-entre-deux",
            title="Ajouté entre deux chargements",
            owner_org="ville-aix-en-provence",
            private=True,
        )

        # the partner answers its overdue comment, the host closes another
        [overdue_thread, *_rest] = helpers.call_action(
            "partnership_thread_list", context={"user": "aix-publicateur"})
        helpers.call_action("partnership_comment_create", context=publisher,
                            package_id=overdue_thread["package_id"],
                            reply_to=overdue_thread["comments"][0]["id"],
                            body="Oui, en début de mois prochain.")
        [ccvh] = helpers.call_action("partnership_thread_list",
                                     context={"user": "ccvh-publicateur"})
        helpers.call_action("partnership_comment_close", context={"user": "validateur"},
                            id=ccvh["id"], reason="no_answer_needed")
        threads = model.Session.query(pmodel.Thread).count()

        # the validator decides the overdue request in between
        [overdue, *waiting] = helpers.call_action(
            "partnership_queue_list", context={"user": "validateur"})
        helpers.call_action("partnership_publication_decide",
                            context={"user": "validateur"},
                            id=overdue["id"], decision="approve")

        assert list(demo.load()) == []

        assert [r["id"] for r in helpers.call_action(
            "partnership_queue_list", context={"user": "validateur"})] == [
                r["id"] for r in waiting]
        assert helpers.call_action("package_show", id=overdue["package_id"])["private"] is False

        assert (
            helpers.call_action("package_show", id="horaires-decheteries-vallee-herault")[
                "title"
            ]
            == "Horaires d'hiver des déchèteries"
        )
        assert helpers.call_action("package_show", id="ajout-entre-deux")

        assert model.Session.query(pmodel.Thread).count() == threads
        stats = helpers.call_action(
            "partnership_response_stats", context={"user": ""},
            since=(dt.date.today() - dt.timedelta(days=17)).isoformat())
        assert (stats["answered"], stats["overdue"], stats["closed"]) == (5, 0, 1)

    @pytest.mark.usefixtures("with_request_context")  # as `ckan partnership demo load` has
    def test_the_first_load_submits_and_refuses_through_the_actions_and_mails_them(
            self, inbox, ckan_config, monkeypatch):
        monkeypatch.setitem(ckan_config, "ckan.locale_default", "fr")
        created = list(demo.load())

        assert f"publication request of {demo.LIVE_SUBMISSION} (pending) submitted" in created
        assert (f"publication request of {demo.LIVE_REFUSAL.dataset} (refused) submitted "
                "and decided") in created
        # the demo's names have parentheses: the address is the one in <>
        mails = {(re.search(r"<([^>]+)>", m["To"])[1], str(email.header.make_header(
            email.header.decode_header(m["Subject"])))): m.get_payload(decode=True).decode()
            for m in inbox.messages}
        menus = model.Package.get(demo.LIVE_SUBMISSION).title
        tarifs = model.Package.get(demo.LIVE_REFUSAL.dataset).title
        [(to, subject)] = [k for k in mails if k[1].startswith("À valider") and menus in k[1]]
        assert to == "validateur@demo.partenariat.invalid"
        assert "Ville d'Aix-en-Provence soumet le jeu de données" in mails[to, subject]
        refused = mails["aix-publicateur@demo.partenariat.invalid",
                        f"Publication refusée : {tarifs}"]
        assert demo.LIVE_REFUSAL.message in refused
        # the live steps are in the workflow's history like any other
        [request] = helpers.call_action("partnership_publication_list",
                                        context={"user": "aix-publicateur"},
                                        id=demo.LIVE_REFUSAL.dataset)
        assert (request["status"], request["reasons"], request["decided_by"]) == (
            "refused", ["metadata"], "validateur")
        [pending] = helpers.call_action("partnership_publication_list",
                                        context={"user": "aix-publicateur"},
                                        id=demo.LIVE_SUBMISSION)
        assert (pending["status"], pending["submitted_by"]) == ("pending", "aix-publicateur")

        inbox.messages.clear()
        assert list(demo.load()) == []  # once
        assert not [m for m in inbox.messages if menus in str(m["Subject"])]

    @pytest.mark.usefixtures("with_request_context")
    def test_each_compliance_state_shows_on_a_public_dataset_and_a_quota_passes_80(
            self, app, inbox):
        list(demo.load())
        check_everything()  # as the job workers do after the load
        today = dt.datetime.now(dt.timezone.utc).date()

        def shown(name):
            return helpers.call_action("partnership_dataset_compliance",
                                       context={"user": ""}, id=name)

        def days_ago(days):
            return (today - dt.timedelta(days=days)).isoformat()

        fresh = shown("colleges-publics-bouches-du-rhone")["freshness"]
        assert (fresh["state"], fresh["last_update"]) == ("fresh", days_ago(9))
        # monthly, last updated 60 days ago, no later file: it was due a
        # month (28 to 31 days) and the 7 days of grace later
        late = shown(demo.LATE_EXAMPLE)["freshness"]
        assert (late["state"], late["last_update"]) == ("late", days_ago(60))
        assert 22 <= late["days_late"] <= 25
        assert shown(demo.NOT_APPLICABLE_EXAMPLE)["freshness"]["state"] == "not_applicable"

        granted = shown(demo.LABEL_GRANTED)
        assert granted["freshness"]["state"] == "fresh"
        assert (granted["label"]["granted"], granted["label"]["score"]) == (True, 10)
        [complete] = [c for c in granted["label"]["criteria"] if c["code"] == "complete"]
        assert (complete["status"], complete["reason"]) == ("pass", "declared")
        assert "cd13-publicateur" in complete["evidence"]

        pdf = shown(demo.PDF_EXAMPLE)["label"]
        assert pdf["granted"] is False
        assert [(c["code"], c["reason"]) for c in pdf["criteria"] if c["status"] == "fail"] == [
            ("machine_readable", "documents_only")]
        notes = helpers.call_action("package_show", id=demo.PDF_EXAMPLE)["notes"]
        assert notes.startswith(demo.PDF_EXAMPLE_LABEL)

        # what a visitor reads on the pages (French, the demo's language)
        def page(url):
            response = app.get(url, extra_environ={"HTTP_ACCEPT_LANGUAGE": "fr"})
            assert response.status_code == 200
            return response.body

        assert "À jour" in page("/fr/dataset/colleges-publics-bouches-du-rhone")
        assert f"En retard de {late['days_late']} jours" in page(
            f"/fr/dataset/{demo.LATE_EXAMPLE}")
        assert "Sans échéance" in page(f"/fr/dataset/{demo.NOT_APPLICABLE_EXAMPLE}")
        assert "Label open data : 10/10" in page(f"/fr/dataset/{demo.LABEL_GRANTED}")
        assert "Label open data : 8/10" in page(f"/fr/dataset/{demo.PDF_EXAMPLE}")

        # the EPCI's files take 90 % of its storage quota: one mail to its
        # publisher and one to the validators, once
        ccvh = model.Group.get("cc-vallee-de-l-herault").id
        [storage] = [u for u in compliance.quota_usage(ccvh, today)
                     if u["code"] == "storage_bytes"]
        assert storage["used"] == demo.demo_storage_bytes("cc-vallee-de-l-herault")
        assert storage["level"] == "warning" and 0.8 <= storage["share"] < 1
        assert {u["level"] for p in demo.PARTNERS
                for u in compliance.quota_usage(model.Group.get(p["name"]).id, today)
                if u["code"] != "storage_bytes" or p["short"] != "ccvh"} == {"ok"}
        inbox.messages.clear()  # the live steps' mail
        assert list(compliance.quota_alerts(today)) == [
            f"{model.Group.get(ccvh).title}: storage_bytes at 90% of its limit, "
            f"mail to the {audience}" for audience in ("publisher", "validators")]
        assert sorted(re.search(r"<([^>]+)>", m["To"])[1] for m in inbox.messages) == [
            "ccvh-publicateur@demo.partenariat.invalid", "validateur@demo.partenariat.invalid"]
        assert {str(email.header.make_header(email.header.decode_header(m["Subject"])))
                for m in inbox.messages} == {
            "Quota atteint à 90\xa0% : octets de fichiers stockés "
            "(Communauté de communes Vallée de l'Hérault)"}
        assert list(compliance.quota_alerts(today)) == []

        # loading again changes none of it
        before = {s["name"]: shown(s["name"]) for s in demo.DATASETS if not s["private"]}
        assert list(demo.load()) == []
        assert {name: shown(name) for name in before} == before
        assert model.Session.query(pmodel.LabelDeclaration).count() == 1

    def test_the_review_of_the_demo_year_has_curves(self):
        """Each partner's year: decisions, updates, answered questions and
        freshness spread over the months; its annex delivered on time,
        late and to come."""
        list(demo.load())
        year = dt.date.today().year
        months_known = dt.date.today().month

        def months_with(series):
            return sum(1 for v in series[:months_known] if v)

        annex = {}
        for partner in demo.PARTNERS:
            review = helpers.call_action("partnership_annual_review",
                                         context={"user": "validateur"},
                                         organization=partner["name"], year=year)
            series = review["series"]
            if months_known >= 9:
                assert months_with(series["publication.decided"]) >= 3, partner["name"]
                assert months_with(series["publication.updated"]) >= 3, partner["name"]
                assert months_with(series["answers.threads"]) >= 2, partner["name"]
                assert months_with(series["quality.fresh_share"]) >= 3, partner["name"]
            assert review["totals"]["publication.refused"] >= 1
            assert review["answers"]["answered"] >= 1
            for name in ("delivered_on_time", "delivered_late", "late", "still_planned"):
                annex[name] = annex.get(name, 0) + review["annex"][name]
        assert all(annex.values()), annex
        cd13 = helpers.call_action("partnership_annual_review", context={"user": "validateur"},
                                   organization="departement-bouches-du-rhone", year=year)
        assert cd13["totals"]["agreement.amendments"] == 1
        assert cd13["totals"]["agreement.meetings"] == 1

    def test_the_departements_amendment_raised_its_storage_quota(self):
        """000 §7.3 in the demo: the Département's amendment raised its storage quota
        from 1 to 2 GB; the term's history tells it."""
        list(demo.load())
        agreement = helpers.call_action("partnership_agreement_show",
                                        context={"user": "validateur"},
                                        organization="departement-bouches-du-rhone")
        assert agreement["quota_storage_bytes"] == 2_000_000_000
        [change] = helpers.call_action("partnership_agreement_term_history",
                                       context={"user": "validateur"}, id=agreement["id"])
        assert (change["term"], change["old_value"], change["new_value"],
                change["amendment_reference"]) == (
            "quota_storage_bytes", 1_000_000_000, 2_000_000_000, "DATASUD-2018-CD13-AV1")

    def test_the_restricted_example_is_open_in_description_and_closed_in_files(self, app):
        """004 §7.1 in the demo: the restricted dataset's page is open, its
        file refused to a citizen and served to the Ville's publisher; the
        journalist's request waits for the Ville, once however many loads."""
        list(demo.load())
        list(demo.load())
        shown = helpers.call_action("package_show", id=demo.RESTRICTED_EXAMPLE)
        assert shown["private"] is False
        assert shown["access_restriction"].endswith("INSPIRE_Directive_Article13_1f")
        page = app.get(f"/dataset/{demo.RESTRICTED_EXAMPLE}", headers=_token("citoyen"))
        assert "Demander l'accès" in page.get_data(as_text=True)
        [resource] = shown["resources"]
        path = f"/dataset/{shown['id']}/resource/{resource['id']}/download/" \
            "demandes-logement-social-aix-2025.csv"
        assert app.get(path, headers=_token("citoyen"), status=None).status_code == 403
        served = app.get(path, headers=_token("aix-publicateur"))
        assert served.get_data(as_text=True).startswith("numero_demande,")
        [request] = helpers.call_action(
            "partnership_access_request_list", context={"user": "aix-publicateur"},
            package_id=demo.RESTRICTED_EXAMPLE)
        assert (request["user"], request["state"]) == ("journaliste", "pending")

    def test_describe_accounts_names_every_account_and_the_password(self):
        text = demo.describe_accounts()
        assert demo.PASSWORD in text
        for name, *_ in demo.ACCOUNTS:
            assert name in text
