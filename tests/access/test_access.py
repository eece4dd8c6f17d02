# -*- coding: utf-8 -*-
"""Restricted-access data through the real stack (004 §7.1, 000 §9.3.1):
who downloads a restricted dataset's files, the requests, the grants and
their end, the log of downloads."""
from __future__ import annotations

import datetime as dt

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.partnership import model as pmodel
from tests.logic.test_publication import as_
from tests.access.conftest import PERSONAL_DATA



def call(app, action, user, **data):
    """An action as a request would run it (its mails go)."""
    with app.flask_app.test_request_context():
        return helpers.call_action(action, context=as_(user), **data)


def _token(user):
    return {"Authorization": helpers.call_action(
        "api_token_create", context={"user": user}, user=user, name="t")["token"]}


def _download(app, restricted, user=None, which="upload"):
    package = restricted["package"]
    headers = _token(user) if user else {}
    url = f"/dataset/{package['name']}/resource/{restricted[which]}/download"
    if which == "upload":
        url += "/population.csv"
    return app.get(url, headers=headers, status=None, follow_redirects=False)


def _ask(app, restricted, user="chercheuse", purpose="Une étude sur la démographie locale"):
    return call(app, "partnership_access_request_create", user,
                package_id=restricted["package"]["id"], purpose=purpose)


def test_a_citizen_reads_the_description_but_not_the_files(app, restricted):
    """004 §7.1: the metadata is open; the files are not."""
    shown = call(app, "package_show", "citoyen", id=restricted["package"]["id"])
    assert shown["title"] == restricted["package"]["title"]
    urls = {r["id"]: r["url"] for r in shown["resources"]}
    assert restricted["link_url"] not in urls.values()
    assert urls[restricted["link"]].endswith(
        f"/dataset/{shown['name']}/resource/{restricted['link']}/download")
    assert all(r["partnership_restricted"] for r in shown["resources"])
    assert shown["partnership_may_download"] is False
    for who in (None, "citoyen", "cd13-producteur"):
        for which in ("upload", "link"):
            response = _download(app, restricted, who, which)
            assert response.status_code == 403, (who, which)
            assert restricted["mark"] not in response.get_data(as_text=True)
    # the index keeps no address to probe, for anyone
    for who in ("citoyen", "validateur"):
        found = call(app, "package_search", who, q=f"res_url:*{restricted['mark']}*")
        assert found["count"] == 0, who
        found = call(app, "package_search", who, q=f"urls:*{restricted['mark']}*")
        assert found["count"] == 0, who
    page = app.get(f"/dataset/{shown['name']}", headers=_token("citoyen"))
    assert "Demander l&#39;accès" in page.get_data(as_text=True) or \
        "Demander l'accès" in page.get_data(as_text=True)


def test_the_partner_and_the_validators_download_and_are_logged(app, restricted):
    for who in ("aix-producteur", "validateur"):
        response = _download(app, restricted, who)
        assert response.status_code == 200
        assert restricted["mark"] in response.get_data(as_text=True)
    link = _download(app, restricted, "aix-publicateur", "link")
    assert link.status_code == 302 and link.headers["Location"] == restricted["link_url"]
    log = call(app, "partnership_download_log", "aix-publicateur", package_id=restricted["package"]["id"])
    assert [d["user"] for d in log] == ["aix-publicateur", "validateur", "aix-producteur"]
    assert log[0]["resource_name"] == "Export"
    assert call(app, "partnership_download_count", "validateur",
                package_id=restricted["package"]["id"]) == {"count": 3}
    with pytest.raises(tk.NotAuthorized):
        call(app, "partnership_download_log", "citoyen", package_id=restricted["package"]["id"])


def test_a_request_granted_until_a_day_then_refused_after_it(app, restricted, inbox):
    request = _ask(app, restricted)
    assert request["state"] == "pending"
    due = dt.datetime.fromisoformat(request["due_at"]) - dt.datetime.fromisoformat(
        request["created"])
    assert due == dt.timedelta(hours=48)  # the agreement's comment_sla_hours
    assert any("Claire Chercheuse" in m.get_payload(decode=True).decode()
               for m in inbox.messages if "publicateur@aix.invalid" in m["To"])
    assert _download(app, restricted, "chercheuse").status_code == 403
    with pytest.raises(tk.NotAuthorized):
        call(app, "partnership_access_request_decide", "chercheuse", id=request["id"], decision="grant")
    until = dt.date.today() + dt.timedelta(days=30)
    decided = call(app, "partnership_access_request_decide", "aix-publicateur", id=request["id"],
                                  decision="grant", until=until.isoformat(),
                                  message="Bonne étude")
    assert decided["state"] == "granted" and decided["until"] == until.isoformat()
    assert any("chercheuse@univ.invalid" in m["To"] for m in inbox.messages)
    response = _download(app, restricted, "chercheuse")
    assert response.status_code == 200 and restricted["mark"] in response.get_data(as_text=True)
    link = _download(app, restricted, "chercheuse", "link")
    assert link.status_code == 302 and link.headers["Location"] == restricted["link_url"]
    # a grantee reads the portal's route, not the address: each download is logged
    shown = call(app, "package_show", "chercheuse", id=restricted["package"]["id"])
    assert restricted["link_url"] not in str(shown) and shown["partnership_may_download"]
    assert _download(app, restricted, "citoyen").status_code == 403
    log = call(app, "partnership_download_log", "aix-publicateur", package_id=restricted["package"]["id"])
    assert [d["user"] for d in log] == ["chercheuse", "chercheuse"]
    # the day after the last one
    grant = model.Session.get(pmodel.AccessGrant, decided["grant_id"])
    grant.until = dt.date.today() - dt.timedelta(days=1)
    model.repo.commit()
    assert _download(app, restricted, "chercheuse").status_code == 403


def test_a_grant_to_an_organisation_and_its_revocation(app, restricted):
    grant = call(app, "partnership_access_grant_create", "aix-publicateur", package_id=restricted["package"]["id"],
                                organization="departement-13")
    assert grant["organization"] == "departement-13" and grant["active"]
    assert _download(app, restricted, "cd13-producteur").status_code == 200
    assert _download(app, restricted, "citoyen").status_code == 403
    grants = call(app, "partnership_access_grant_list", "validateur", package_id=restricted["package"]["id"])
    assert [g["id"] for g in grants] == [grant["id"]]
    revoked = call(app, "partnership_access_grant_revoke", "aix-publicateur", id=grant["id"])
    assert revoked["active"] is False and revoked["revoked_by"] == "aix-publicateur"
    assert _download(app, restricted, "cd13-producteur").status_code == 403
    with pytest.raises(tk.ValidationError) as error:
        call(app, "partnership_access_grant_revoke", "aix-publicateur", id=grant["id"])
    assert "id" in error.value.error_dict


def test_bad_input_is_a_409_naming_the_field(app, restricted, public_dataset):
    cases = [
        ("partnership_access_request_create", "chercheuse",
         {"package_id": restricted["package"]["id"], "purpose": "court"}, "purpose"),
        ("partnership_access_request_create", "chercheuse",
         {"package_id": public_dataset["id"], "purpose": "Une étude sérieuse"}, "package_id"),
        ("partnership_access_request_create", "chercheuse",
         {"package_id": restricted["package"]["id"], "purpose": "x\x00y" * 5}, "purpose"),
        ("partnership_access_grant_create", "aix-publicateur",
         {"package_id": restricted["package"]["id"], "user": "personne"}, "user"),
        ("partnership_access_grant_create", "aix-publicateur",
         {"package_id": restricted["package"]["id"], "user": "citoyen",
          "until": "2001-01-01"}, "until"),
        ("partnership_access_grant_create", "aix-publicateur",
         {"package_id": restricted["package"]["id"], "user": "citoyen",
          "until": "demain"}, "until"),
    ]
    for action, user, data, field in cases:
        response = app.post(f"/api/3/action/{action}", json=data, headers=_token(user),
                            status=None)
        assert response.status_code == 409, (action, data, response.get_data(as_text=True))
        assert field in response.json["error"], (action, data, response.json)
    request = _ask(app, restricted)
    again = app.post("/api/3/action/partnership_access_request_create",
                     json={"package_id": restricted["package"]["id"],
                           "purpose": "Encore la même étude"},
                     headers=_token("chercheuse"), status=None)
    assert again.status_code == 409 and "package_id" in again.json["error"]
    call(app, "partnership_access_request_decide", "validateur", id=request["id"], decision="refuse", message="Non")
    twice = app.post("/api/3/action/partnership_access_request_decide",
                     json={"id": request["id"], "decision": "grant"},
                     headers=_token("validateur"), status=None)
    assert twice.status_code == 409 and "id" in twice.json["error"]
    anonymous = app.post("/api/3/action/partnership_access_request_create",
                         json={"package_id": restricted["package"]["id"],
                               "purpose": "Une étude sérieuse"}, status=None)
    assert anonymous.status_code == 403


def test_dcat_says_restricted_and_gives_no_download_address(app, restricted):
    """Harvesters: ``dct:accessRights`` RESTRICTED, no ``dcat:downloadURL``;
    the ``dcat:accessURL`` is the file's page, where access is asked for;
    for every reader, the partner's own members included."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS

    package = restricted["package"]
    for who in (None, "aix-producteur"):
        headers = _token(who) if who else {}
        text = app.get(f"/dataset/{package['name']}.ttl", headers=headers).get_data(as_text=True)
        assert restricted["link_url"] not in text and "/download" not in text
        graph = Graph().parse(data=text, format="turtle")
        [dataset_ref] = graph.subjects(DCAT.distribution, None, unique=True)
        assert (dataset_ref, DCTERMS.accessRights, URIRef(
            "http://publications.europa.eu/resource/authority/access-right/RESTRICTED")) in graph
        distributions = list(graph.objects(dataset_ref, DCAT.distribution))
        assert len(distributions) == 2
        for distribution in distributions:
            assert list(graph.objects(distribution, DCAT.downloadURL)) == []
            assert list(graph.objects(distribution, DCAT.accessURL)) == [distribution]
            assert "/resource/" in str(distribution)
        # the reason, as udata writes and reads it: the INSPIRE code list's IRI
        reason = URIRef(PERSONAL_DATA)
        assert list(graph.objects(dataset_ref, DCTERMS.rights)) == [reason]
        assert (reason, RDF.type, DCTERMS.RightsStatement) in graph
        assert Literal("L124-4-I-1 du code de l'environnement (Directive 2007/2/CE (INSPIRE),"
                       " Article 13.1.f)", lang="fr") in set(graph.objects(reason, RDFS.label))

    # and read back by ckanext-dcat's parser, as a CKAN harvester would
    from ckanext.dcat.processors import RDFParser

    parser = RDFParser()
    parser.parse(text, _format="turtle")
    [parsed] = parser.datasets()
    assert parsed["access_restriction"] == PERSONAL_DATA


def test_requests_and_downloads_count_in_the_figures_and_the_review(app, restricted):
    """The partner's answers to access requests are response figures; the
    logged downloads are the review's use of restricted data."""
    request = _ask(app, restricted)
    call(app, "partnership_access_request_decide", "aix-publicateur", id=request["id"],
         decision="grant")
    _download(app, restricted, "chercheuse")
    _download(app, restricted, "chercheuse", "link")
    year = dt.date.today().year
    stats = call(app, "partnership_response_stats", "", organization="ville-aix-en-provence",
                 since=f"{year}-01-01", until=f"{year}-12-31")["access_requests"]
    assert {k: stats[k] for k in ("requests", "decided", "decided_on_time", "granted",
                                  "refused", "overdue")} == {
        "requests": 1, "decided": 1, "decided_on_time": 1, "granted": 1, "refused": 0,
        "overdue": 0}
    assert stats["by_month"][0]["month"] == dt.date.today().strftime("%Y-%m")
    review = call(app, "partnership_annual_review", "aix-publicateur",
                  organization="ville-aix-en-provence", year=year)
    assert review["answers"]["access_requests"] == stats
    assert review["totals"]["answers.access_requests"] == 1
    assert review["totals"]["use.restricted_downloads"] == 2
    assert review["totals"]["use.restricted_accounts"] == 1
    month = dt.date.today().month
    assert review["series"]["use.restricted_downloads"][month - 1] == 2
    board = call(app, "partnership_dashboard_show", "aix-publicateur")
    assert board["access_requests"]["count"] == 0  # decided
    _ask(app, restricted, user="citoyen")
    board = call(app, "partnership_dashboard_show", "validateur")
    assert [r["user"] for r in board["access_requests"]["items"]] == ["citoyen"]


def test_the_lists_send_as_many_queries_for_100_rows_as_for_10(app, restricted):
    """Requests, grants and downloads: a fixed number of statements per
    page, whatever the rows."""
    from tests.sql import queries

    package = model.Package.get(restricted["package"]["id"])
    citizen = model.User.get("citoyen")

    def seed(n):
        for _ in range(n):
            model.Session.add(pmodel.AccessRequest(
                package_id=package.id, organization_id=package.owner_org, user_id=citizen.id,
                purpose="Une étude", state="refused", due_at=pmodel.now(),
                decided_at=pmodel.now(), decided_by=citizen.id))
            model.Session.add(pmodel.AccessGrant(
                package_id=package.id, organization_id=package.owner_org, user_id=citizen.id,
                granted_by=citizen.id))
            model.Session.add(pmodel.Download(
                package_id=package.id, resource_id=restricted["upload"],
                organization_id=package.owner_org, user_id=citizen.id))
        model.Session.commit()

    def counted():
        names = ("partnership_access_request_list", "partnership_access_grant_list",
                 "partnership_download_log")
        for name in names:  # warm
            call(app, name, "aix-publicateur", package_id=package.id, limit=1000)
        model.Session.remove()
        with queries() as sent:
            rows = [len(call(app, name, "aix-publicateur", package_id=package.id, limit=1000))
                    for name in names]
        return len(sent), rows

    seed(10)
    small, rows = counted()
    assert rows == [10, 10, 10]
    seed(90)
    large, rows = counted()
    assert rows == [100, 100, 100]
    assert small == large
