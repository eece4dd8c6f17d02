# -*- coding: utf-8 -*-
"""What the checks fetch: public addresses only, within a deadline, with
a bounded number of redirects; through the real job, the real worker and
the report's API and page, against real HTTP servers on 127.0.0.1."""
from __future__ import annotations

import html
import json

import pytest

import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.partnership import model as pmodel, resource_checks
from tests.logic.test_resource_checks import (  # noqa: F401 (fixtures)
    SUBVENTIONS, burst_worker, create, findings, org, queue, show, worker_ini,
)
from tests.checks.test_fetch import MARKER, body, drip, other, redirect, server  # noqa: F401 (fixtures)

SECRET = MARKER.decode()

# what a Solr select with wt=csv answers: the first line is the field names
SOLR_CSV = (f"id,name,title,private,notes_{SECRET}\n"
            f"1,budget-interne,Budget interne,true,{SECRET}\n").encode()


@pytest.fixture
def trust(ckan_config, monkeypatch):
    def set_(hosts: str, **options):
        monkeypatch.setitem(ckan_config, "ckanext.partnership.fetch.trusted_hosts", hosts)
        for key, value in options.items():
            monkeypatch.setitem(ckan_config, key, value)
    return set_


def report_page(app, org, resource, lang=""):
    token = factories.APIToken(user=org["publisher"]["name"])["token"]
    page = app.get(f"{lang}/dataset/{resource['package_id']}/resource/{resource['id']}/checks",
                   headers={"Authorization": token})
    assert page.status_code == 200
    return html.unescape(page.get_data(as_text=True))


def file_finding(org, resource):
    [finding] = findings(show(org, resource["id"]), "file")
    return finding


def test_a_link_to_a_private_address_is_refused_without_being_fetched(app, org, queue,
                                                                       server):
    """A link to the portal's own Solr, with a standard so that the report
    would list the columns of the answer: refused, never contacted."""
    server.routes["/solr/ckan/select"] = body(SOLR_CSV)
    resource = create(org, url=server.url + "/solr/ckan/select?q=*:*&fq=private:true&wt=csv",
                      schema=SUBVENTIONS)
    burst_worker()  # the real worker, the tests' configuration: nothing trusted

    checks = show(org, resource["id"])
    assert checks["status"] == "error"
    assert file_finding(org, resource) == {"code": "address_refused", "severity": "error",
                                           "reason": "private"}
    assert server.requests == []
    stored = model_report(resource["id"])
    dataset = helpers.call_action("package_show", id=resource["package_id"])
    french = report_page(app, org, resource)
    english = report_page(app, org, resource, "/en")
    for text in (json.dumps(checks), json.dumps(stored), json.dumps(dataset), french, english):
        assert SECRET not in text
    assert ("L'adresse n'est pas une adresse publique d'internet, ou redirige vers une "
            "telle adresse : le portail ne la télécharge pas.") in french
    assert "The address is not a public internet address" in english


def model_report(resource_id):
    row = model.Session.get(pmodel.ResourceCheck, resource_id)
    model.Session.refresh(row)
    return row.report


@pytest.mark.parametrize("host", ["2130706433", "0x7f.1", "127.1", "localhost",
                                  "[::ffff:127.0.0.1]"])
def test_other_spellings_of_loopback_are_refused(org, queue, server, host):
    server.routes["/data.csv"] = body(SOLR_CSV)
    resource = create(org, url=f"http://{host}:{server.port}/data.csv")
    assert resource_checks.run(resource["id"]) == "error"
    assert file_finding(org, resource)["code"] == "address_refused"
    assert server.requests == []


def test_a_trusted_source_is_fetched(org, queue, server, trust):
    server.routes["/data.csv"] = body(b"a,b\n1,2\n")
    resource = create(org, url=f"http://localhost:{server.port}/data.csv")
    trust("localhost")
    assert resource_checks.run(resource["id"]) == "success"
    assert [p for p, _h in server.requests] == ["/data.csv"]


def test_a_redirect_to_a_private_address_is_refused_at_the_redirect(org, queue, server,
                                                                    other, trust):
    other.routes["/solr/select"] = body(SOLR_CSV)
    server.routes["/data.csv"] = redirect(f"{other.url}/solr/select?wt=csv")
    resource = create(org, url=f"http://localhost:{server.port}/data.csv",
                      schema=SUBVENTIONS)
    trust("localhost")  # the first host only: the address it sends to is not
    assert resource_checks.run(resource["id"]) == "error"
    assert file_finding(org, resource)["code"] == "address_refused"
    assert [p for p, _h in server.requests] == ["/data.csv"]
    assert other.requests == []
    assert SECRET not in json.dumps(show(org, resource["id"]))


def test_too_many_redirects(app, org, queue, server, trust):
    server.routes["/loop.csv"] = redirect("/loop.csv")
    resource = create(org, url=server.url + "/loop.csv")
    trust("127.0.0.1", **{"ckanext.partnership.fetch.max_redirects": "3"})
    assert resource_checks.run(resource["id"]) == "error"
    assert file_finding(org, resource) == {"code": "too_many_redirects", "severity": "error"}
    assert len(server.requests) == 4
    page = report_page(app, org, resource)
    assert "L'adresse redirige trop de fois." in page
    assert "Donnez l'adresse finale du fichier." in page
    assert "The address redirects too many times." in report_page(app, org, resource, "/en")


def test_a_slow_drip_is_stopped_at_the_deadline(app, org, queue, server, trust):
    """One byte a second, for ten minutes: the job stops at the deadline
    (the read timeout alone would have let it run to the job's timeout)."""
    server.routes["/drip.csv"] = drip
    resource = create(org, url=server.url + "/drip.csv")
    trust("127.0.0.1", **{"ckanext.partnership.checks.download_deadline": "3",
                          "ckanext.partnership.checks.download_timeout": "30"})
    assert resource_checks.run(resource["id"]) == "error"
    assert file_finding(org, resource) == {"code": "deadline", "severity": "error"}
    page = report_page(app, org, resource)
    assert "Le téléchargement a pris trop de temps : il a été interrompu." in page
    assert "The download took too long: it was stopped." in report_page(
        app, org, resource, "/en")


def test_a_slow_drip_is_stopped_in_the_real_worker(org, queue, server, tmp_path):
    server.routes["/drip.csv"] = drip
    resource = create(org, url=server.url + "/drip.csv")
    burst_worker(worker_ini(tmp_path, **{
        "ckanext.partnership.fetch.trusted_hosts": "127.0.0.1",
        "ckanext.partnership.checks.download_deadline": "3"}))
    assert file_finding(org, resource)["code"] == "deadline"


def test_a_standard_at_a_private_address_is_refused(app, org, queue, server):
    schema = {"fields": [{"name": f"champ_{SECRET}", "type": "string"}]}
    server.routes["/schema.json"] = body(json.dumps(schema).encode())
    resource = create(org, content=b"a,b\n1,2\n", schema=server.url + "/schema.json")
    assert resource_checks.run(resource["id"]) == "error"
    [unavailable] = findings(show(org, resource["id"]), "schema")
    assert unavailable == {"code": "schema_unavailable", "severity": "error",
                           "reason": "address_refused"}
    assert server.requests == []
    page = report_page(app, org, resource)
    assert ("Le standard n'a pas pu être chargé (son adresse n'est pas une adresse "
            "publique d'internet).") in page
    assert SECRET not in page + json.dumps(show(org, resource["id"]))


def test_a_standard_at_a_trusted_address_is_fetched(org, queue, server, trust):
    schema = {"fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "integer"}]}
    server.routes["/schema.json"] = body(json.dumps(schema).encode())
    resource = create(org, content=b"a,b\n1,2\n", schema=server.url + "/schema.json")
    trust("127.0.0.1")
    assert resource_checks.run(resource["id"]) == "success"
    assert [p for p, _h in server.requests] == ["/schema.json"]


def test_a_long_column_name_is_cut_in_the_report(app, org, queue):
    name = "x" * 5000
    resource = create(org, content=f"{name},{name}\n1,2\n".encode(), schema=SUBVENTIONS)
    assert resource_checks.run(resource["id"]) == "failure"
    checks = show(org, resource["id"])
    columns = [f["column"] for c in checks["checks"] for f in c["findings"] if "column" in f]
    assert columns and all(len(c) <= 80 for c in columns)
    assert columns[0] == "x" * 79 + "…"
    assert name not in report_page(app, org, resource)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/data.csv",
                                 "gopher://127.0.0.1:70/_data"])
def test_a_link_that_is_not_a_web_address_is_refused(app, org, queue, url):
    resource = create(org, url=url)
    assert resource_checks.run(resource["id"]) == "error"
    assert file_finding(org, resource) == {"code": "address_refused", "severity": "error",
                                           "reason": "scheme"}
    page = report_page(app, org, resource)
    assert ("L'adresse n'est pas une adresse web (http ou https) : le portail ne la "
            "télécharge pas.") in page
    assert "root:" not in page
