# -*- coding: utf-8 -*-
"""The restricted-access sweep (004 §7.1): no path leaks a restricted
file. A restricted dataset's link carries a marker in its address (changed
once, so that the activity stream holds two versions of it) and its upload
a marker in its content. Every read action (in process and through the HTTP
API), every page, feed and DCAT output, the upload and preview routes are
read as an anonymous visitor, a logged-in citizen and a member of another
partner: neither marker may appear. A validator reads the same and sees
both, so that the sweep cannot pass because nothing was stored."""
from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage

import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.partnership import resource_checks
from tests.access.conftest import PERSONAL_DATA, RESTRICTED
from tests.factories import PASSWORD
from tests.logic.test_publication import as_, dataset, decide, submit
from tests.test_leak_sweep import Reader, mark, pmodel_activity

KINDS = ("link", "upload")


@pytest.fixture
def files(app, people):
    with app.flask_app.test_request_context():
        factories.User(name="chercheuse", password=PASSWORD, email="chercheuse@univ.invalid")
        package = dataset(people, access_rights=RESTRICTED, access_restriction=PERSONAL_DATA)
        upload = package["resources"][0]
        helpers.call_action(
            "resource_update", context=as_("aix-producteur"), id=upload["id"],
            package_id=package["id"], name="Population", format="CSV", url="population.csv",
            upload=FileStorage(io.BytesIO(f"commune,{mark('upload')}\nAix,1\n".encode()),
                               filename="population.csv", content_type="text/csv"))
        resource_checks.run(upload["id"])
        decide(submit(package), decision="approve")
        link = helpers.call_action(
            "resource_create", context=as_("aix-producteur"), package_id=package["id"],
            name="Export", format="CSV", url=f"https://intranet.aix.invalid/{mark('link')}/a.csv")
        helpers.call_action(
            "resource_patch", context=as_("aix-producteur"), id=link["id"],
            url=f"https://intranet.aix.invalid/{mark('link')}/b.csv")
        request = helpers.call_action(
            "partnership_access_request_create", context=as_("chercheuse"),
            package_id=package["id"], purpose="Une étude sur la démographie locale")
        package = helpers.call_action("package_show", id=package["id"])
    activity = pmodel_activity()
    activities = [a for (a,) in model.Session.query(activity.id).filter(
        activity.object_id == package["id"])]
    assert len(activities) >= 3
    return {
        "datasets": [package], "dataset_ids": [package["id"]],
        "organizations": [people["org"]["name"], people["other"]["name"]],
        "users": ["aix-producteur", "chercheuse", "validateur"],
        "activities": activities, "agreement": people["agreement"]["id"],
        "agreements": [people["agreement"]["id"]], "document": "none",
        "resources": [r["id"] for r in package["resources"]], "threads": [],
        "requests": [request["id"]],
        "ids": [package["id"], *(r["id"] for r in package["resources"]), request["id"]],
        "private_ids": [],
    }


def test_no_path_leaks_a_restricted_file(app, files):
    """No read action, page, feed or DCAT output gives a restricted file to an anonymous
    visitor, a citizen or another partner, while a validator reads it (004 §7.1)."""
    readers = {"anonymous": None, "citizen": "citoyen", "another partner": "cd13-producteur",
               "validator": "validateur"}
    report = {}
    for who, user in readers.items():
        reader = Reader(app, user, files)
        reader.actions()
        package = files["datasets"][0]
        extra = [f"/dataset/?q={package['name']}", f"/api/3/action/resource_search?query=url:{mark('link')}",
                 f"/api/3/action/package_search?fl=res_url,validated_data_dict,data_dict,name"
                 f"&q=name:{package['name']}",
                 f"/api/3/action/package_search?q=res_url:*{mark('link')}*",
                 f"/dataset/{package['name']}.rdf", f"/dataset/{package['name']}.ttl",
                 "/catalog.ttl", "/feeds/dataset.atom"]
        for url in extra:
            reader.get(url)
        reader.pages()
        report[who] = reader

    validator = report.pop("validator")
    assert set(validator.found) >= set(KINDS), f"never stored: {set(KINDS) - set(validator.found)}"
    assert validator.crashes == []
    assert any(p.startswith("GET /dataset/") and "/download" in p
               for p in validator.found["upload"])
    leaks = []
    for who, reader in report.items():
        assert reader.reads > 300
        assert reader.crashes == [], f"{who}: {reader.crashes[:10]}"
        for kind, found in reader.found.items():
            leaks.extend(f"{who}: {kind} in {p}" for p in sorted(found)[:8])
    assert not leaks, "\n".join(leaks)
