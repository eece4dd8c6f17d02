# -*- coding: utf-8 -*-
"""Bounded work per file, through CKAN: the real job checks a file of
200,000 columns and its report page stays small and cheap; findings left
out are said on the page, in French and in English."""
from __future__ import annotations

import json

import ckan.model as model
from ckan.tests import factories

from ckanext.partnership import model as pmodel, resource_checks
from tests.sql import queries
from tests.logic.test_resource_checks import (  # noqa: F401 (fixtures)
    create, findings, org, queue, show)

WIDE = 200_000


def wide_csv(columns: int = WIDE) -> bytes:
    """4.6 MB: a header, a row with a telephone number in every column, a
    row of short numbers."""
    return ("\n".join([",".join(f"c{i:06d}" for i in range(columns)),
                       ",".join(["0612345678"] * columns),
                       ",".join(["123"] * columns)]) + "\n").encode("utf-8")


def page(app, org, resource, prefix=""):
    token = factories.APIToken(user=org["publisher"]["name"])["token"]
    url = (f"{prefix}/dataset/{resource['package_id']}/resource/"
           f"{resource['id']}/checks")
    with queries() as sent:
        response = app.get(url, headers={"Authorization": token})
    assert response.status_code == 200
    return response.get_data(as_text=True), sent


def test_a_file_of_200000_columns_is_one_finding_and_a_small_page(app, org, queue):
    content = wide_csv()
    assert 4_500_000 < len(content) < 4_700_000
    resource = create(org, content=content)
    assert resource_checks.run(resource["id"]) == "failure"

    checks = show(org, resource["id"])
    assert checks["rows"] == 2
    assert [f["code"] for c in checks["checks"] for f in c["findings"]] == [
        "too_many_columns"]
    structure = findings(checks, "structure")[0]
    assert (structure["count"], structure["limit"]) == (WIDE, 2000)
    statuses = {c["check"]: (c["status"], c.get("reason")) for c in checks["checks"]}
    assert statuses["personal_data"] == ("skipped", "too_many_columns")
    assert len(json.dumps(model.Session.get(
        pmodel.ResourceCheck, resource["id"]).report)) < 50_000

    text, sent = page(app, org, resource)
    assert len(text.encode("utf-8")) < 200_000
    assert len(sent) < 100  # the page of any report: about 70
    assert "Le fichier a 200000 colonnes ; le portail en vérifie au plus 2000" in text
    assert "Non effectué : le fichier a trop de colonnes." in text


def test_findings_left_out_are_said_in_french_and_english(app, org, queue):
    # an e-mail address in one of 100 columns past the header on each row
    rows = "".join("Aix," + "," * (i % 100) + "jeanne.martin@free.fr\n"
                   for i in range(300))
    resource = create(org, content=("commune\n" + rows).encode("utf-8"))
    assert resource_checks.run(resource["id"]) == "failure"
    personal = findings(show(org, resource["id"]), "personal_data")
    assert len(personal) == 20

    french, _ = page(app, org, resource)
    assert french.count('data-code="email"') == 20
    assert french.count("80 autres du même type non affichés.") == 1
    english, _ = page(app, org, resource, prefix="/en")
    assert english.count("80 more of this kind not shown.") == 1
    assert "jeanne.martin@free.fr" not in french + english


def test_a_report_stored_before_the_bound_is_shown_bounded(app, org, queue):
    resource = create(org, content=b"a,b\n1,2\n")
    resource_checks.run(resource["id"])
    _, baseline = page(app, org, resource)  # no finding
    row = model.Session.get(pmodel.ResourceCheck, resource["id"])
    row.report = dict(row.report, results=[{
        "check": "schema", "status": "failure", "findings": [
            {"code": "extra_column", "severity": "error", "column": f"c{i}"}
            for i in range(50_000)]}])
    model.Session.commit()

    shown = findings(show(org, resource["id"]), "schema")
    assert len(shown) == 20
    schema = [c for c in show(org, resource["id"])["checks"] if c["check"] == "schema"]
    assert schema[0]["omitted"] == {"extra_column": {"findings": 49_980,
                                                     "count": 49_980}}
    text, sent = page(app, org, resource)
    assert len(text.encode("utf-8")) < 200_000
    assert text.count('data-code="extra_column"') == 20
    # no query per finding (20 shown): the same queries as with none,
    # give or take what CKAN's session has already loaded
    assert len(sent) < len(baseline) + 5
    assert "49980 autres du même type non affichés." in text
