# -*- coding: utf-8 -*-
"""A published restricted-access dataset (004 §7.1) with an uploaded file
and a linked one, each carrying a marker that must reach only those the
partner allows."""
from __future__ import annotations

import io
import uuid

import pytest
from werkzeug.datastructures import FileStorage

from ckan.tests import factories, helpers

from ckanext.partnership import resource_checks
from tests.factories import PASSWORD
from tests.logic.test_publication import as_, dataset, decide, submit

RESTRICTED = "http://publications.europa.eu/resource/authority/access-right/RESTRICTED"
PERSONAL_DATA = ("http://inspire.ec.europa.eu/metadata-codelist/LimitationsOnPublicAccess/"
                 "INSPIRE_Directive_Article13_1f")


@pytest.fixture
def restricted(people):
    """The dataset, its two files and the markers: the upload's content
    and the link's address."""
    mark = "secret" + uuid.uuid4().hex[:8]
    factories.User(name="chercheuse", password=PASSWORD, email="chercheuse@univ.invalid",
                   fullname="Claire Chercheuse")
    package = dataset(people, access_rights=RESTRICTED, access_restriction=PERSONAL_DATA)
    upload = package["resources"][0]
    helpers.call_action(
        "resource_update", context=as_("aix-producteur"), id=upload["id"],
        package_id=package["id"], name="Population", format="CSV", url="population.csv",
        upload=FileStorage(io.BytesIO(f"commune,{mark}\nAix,1\n".encode()),
                           filename="population.csv", content_type="text/csv"))
    resource_checks.run(upload["id"])
    decide(submit(package), decision="approve")
    # a link to the partner's own server, added once published
    link_url = f"https://intranet.aix.invalid/exports/{mark}-link.csv"
    link = helpers.call_action("resource_create", context=as_("aix-producteur"),
                               package_id=package["id"], name="Export", format="CSV",
                               url=link_url)
    shown = helpers.call_action("package_show", id=package["id"])
    assert shown["private"] is False and shown["access_rights"] == RESTRICTED
    return {"package": shown, "upload": upload["id"], "link": link["id"], "mark": mark,
            "link_url": link_url}
