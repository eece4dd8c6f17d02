# -*- coding: utf-8 -*-
"""The use of the data in the annual review: CKAN's own tracking (its
``tracking`` plugin), as ``ckan tracking update`` stores it, month by
month; private datasets and other partners' left out; said off when the
plugin is off."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

import ckan.model as model

from ckanext.partnership import model as pmodel
from tests.annual_review.test_review import ORG, _published, review
from tests.logic.test_publication import dataset

PLUGINS = "partnership scheming_datasets scheming_organizations dcat activity tracking"

pytestmark = pytest.mark.usefixtures("with_request_context")


def _tracked(url, kind, day, count, package_id=None):
    """A row as ``ckan tracking update`` stores it (a URL's count of a day)."""
    model.Session.execute(sa.text(
        "INSERT INTO tracking_summary (url, package_id, tracking_type, count, running_total,"
        " recent_views, tracking_date) VALUES (:url, :pkg, :kind, :count, :count, 0, :day)"),
        {"url": url, "pkg": package_id, "kind": kind, "count": count, "day": day})
    model.Session.commit()


@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
def test_views_and_downloads_by_month_of_public_datasets_only(people):
    year = pmodel.now().year
    public = _published(people)
    resource = public["resources"][0]
    hidden = dataset(people)  # private: never counted
    january, february = dt.date(year, 1, 15), dt.date(year, 2, 3)
    _tracked(f"/dataset/{public['name']}", "page", january, 7, public["id"])
    _tracked(f"/dataset/{public['name']}", "page", february, 5, public["id"])
    download = (f"http://test.ckan.net/dataset/{public['id']}/resource/{resource['id']}"
                f"/download/population.csv")
    _tracked(download, "resource", february, 3)
    _tracked(f"/dataset/{hidden['name']}", "page", january, 100, hidden["id"])
    _tracked(f"/dataset/{public['name']}", "page", dt.date(year - 1, 12, 31), 40, public["id"])

    use = review(year=year, organization=ORG)["use"]
    assert use["tracking"] is True
    assert (use["views"], use["downloads"]) == (12, 3)
    assert use["by_month"] == {"views": {f"{year}-01": 7, f"{year}-02": 5},
                               "downloads": {f"{year}-01": 0, f"{year}-02": 3}}
    assert use["datasets"] == [{"name": public["name"], "title": public["title"],
                                "views": 12, "downloads": 3}]
    found = review(year=year, organization=ORG)
    assert found["series"]["use.views"][:2] == [7, 5]
    assert found["comparison"]["use.views"] == {"value": 12, "previous": 40, "change": -28}
    assert review(year=year, organization="departement-13")["use"]["views"] == 0
    assert review(year=year)["use"]["views"] == 12


def test_off_without_the_tracking_plugin(people):
    use = review(year=pmodel.now().year, organization=ORG)["use"]
    restricted = use.pop("restricted")
    assert use == {"tracking": False, "views": None, "downloads": None, "by_month": {},
                   "datasets": []}
    # the downloads of restricted files are the portal's own log (004 §7.1)
    assert restricted == {"downloads": 0, "accounts": 0, "by_month": []}
    assert "use.views" not in review(year=pmodel.now().year, organization=ORG)["series"]
