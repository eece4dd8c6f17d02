# -*- coding: utf-8 -*-
"""What package_show and package_search add to the datasets they return
(the checks' status of each file, the harvest fields) costs the same SQL
whatever the number of datasets and files, and never reads a report."""
from __future__ import annotations

import uuid

import pytest

import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.partnership.model import ResourceCheck
from tests.factories import full_dataset
from tests.sql import queries

REPORT = {"status": "success", "rows": 12, "results": [
    {"check": c, "status": "success", "findings": []}
    for c in ("file", "encoding", "structure", "schema", "personal_data")]}


def _datasets(org: dict, count: int, files: int = 3) -> list[str]:
    """``count`` public datasets of every field with ``files`` files each,
    their checks stored (as the worker stores them). Returns their ids."""
    ids = []
    user = factories.Sysadmin()["name"]
    for _ in range(count):
        created = helpers.call_action(
            "package_create", context={"user": user},
            **full_dataset(org, name=f"jeu-{uuid.uuid4().hex[:10]}", conforms_to="",
                           resources=[{"name": f"f{i}", "format": "CSV",
                                       "url": f"https://data.exemple.fr/{i}.csv"}
                                      for i in range(files)]))
        ids.append(created["id"])
    (model.Session.query(ResourceCheck).filter(ResourceCheck.package_id.in_(ids))
     .update({ResourceCheck.status: "success", ResourceCheck.report: REPORT,
              ResourceCheck.finished: ResourceCheck.queued}, synchronize_session=False))
    model.Session.commit()
    return ids


pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index",
                                     "with_request_context")


def _search(org: dict, rows: int) -> tuple[dict, list[str]]:
    model.Session.remove()  # nothing cached in the session from the setup
    with queries() as sent:
        found = helpers.call_action("package_search", fq=f"owner_org:{org['id']}",
                                    rows=rows, sort="name asc")
    return found, sent


def _show(package_id: str) -> tuple[dict, list[str]]:
    model.Session.remove()
    with queries() as sent:
        shown = helpers.call_action("package_show", context={"use_cache": False},
                                    id=package_id)
    return shown, sent


def _reads_reports(sent: list[str]) -> bool:
    return any("partnership_resource_check.report" in s for s in sent)


def test_search_costs_the_same_sql_for_10_and_100_datasets():
    org = factories.Organization()
    _datasets(org, 100)
    ten, ten_sql = _search(org, 10)
    hundred, hundred_sql = _search(org, 100)
    assert len(ten["results"]) == 10 and len(hundred["results"]) == 100
    for result in hundred["results"]:  # the fields are there, from the stored checks
        assert len(result["resources"]) == 3
        assert {r["validation_status"] for r in result["resources"]} == {"success"}
        assert all(r["validation_timestamp"] for r in result["resources"])
        assert result["source_notice"]
    assert len(ten_sql) == len(hundred_sql), (len(ten_sql), len(hundred_sql))


def test_search_never_reads_the_reports():
    """Only the columns the fields need (the reports are large JSON, decoded
    per row): status, standard and times of each check."""
    org = factories.Organization()
    _datasets(org, 3)
    found, sent = _search(org, 10)
    assert {r["validation_status"] for p in found["results"] for r in p["resources"]} \
        == {"success"}
    assert [s for s in sent if "partnership_resource_check" in s]  # it does read the checks
    assert not _reads_reports(sent)


def test_show_costs_the_same_sql_for_3_and_30_files():
    org = factories.Organization()
    [three] = _datasets(org, 1, files=3)
    [thirty] = _datasets(org, 1, files=30)
    shown3, sql3 = _show(three)
    shown30, sql30 = _show(thirty)
    assert len(shown30["resources"]) == 30
    assert {r["validation_status"] for r in shown30["resources"]} == {"success"}
    assert len(sql3) == len(sql30), (len(sql3), len(sql30))
    assert not _reads_reports(sql30)
