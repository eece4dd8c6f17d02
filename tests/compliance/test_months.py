# -*- coding: utf-8 -*-
"""Each partner's figures of the month, recorded by ``notify``: one row per
partner and month, the last run of the month wins."""
from __future__ import annotations

import datetime as dt

import pytest

import ckan.model as model
from ckan.tests import factories

from ckanext.partnership import compliance, notify
from ckanext.partnership import model as pmodel
from tests.compliance.test_dataset_compliance import EU_FREQ, TODAY, dataset, days_ago, partner
from tests.sql import queries

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index",
                                     "with_request_context")


def months(org_id):
    model.Session.expire_all()
    return (model.Session.query(pmodel.ComplianceMonth)
            .filter_by(organization_id=org_id).order_by(pmodel.ComplianceMonth.month).all())


def test_two_runs_in_a_month_keep_one_row_updated_and_a_new_month_adds_one():
    org = partner()
    dataset(org, frequency=EU_FREQ + "WEEKLY", modified=days_ago(1))
    notify.run(TODAY)
    [first] = months(org["id"])
    assert first.month == TODAY.replace(day=1)
    assert (first.datasets, first.fresh, first.late) == (1, 1, 0)
    dataset(org, frequency=EU_FREQ + "MONTHLY", modified=days_ago(100))
    dataset(org, frequency=EU_FREQ + "MONTHLY", modified=days_ago(1), private=True)
    notify.run(TODAY)
    [again] = months(org["id"])
    assert (again.datasets, again.fresh, again.late) == (2, 1, 1)
    assert again.recorded_at >= first.recorded_at
    later = compliance.month_start(TODAY, -1) + dt.timedelta(days=10)
    notify.run(later)
    rows = months(org["id"])
    assert [r.month for r in rows] == [TODAY.replace(day=1), compliance.month_start(TODAY, -1)]
    # the weekly dataset updated yesterday is late by then
    assert (rows[1].datasets, rows[1].late) == (2, 2)


def test_one_statement_for_every_partner_and_never_the_host():
    host = factories.Organization(name="region-sud", title="Région Sud")
    dataset(host, frequency=EU_FREQ + "MONTHLY", modified=days_ago(1))
    orgs = [partner(name=f"p{i}", title=f"Partenaire {i}") for i in range(3)]
    for org in orgs:
        dataset(org, frequency=EU_FREQ + "MONTHLY", modified=days_ago(1))
    with queries() as sent:
        compliance.record_month(TODAY)
    assert len([s for s in sent if "partnership_compliance_month" in s]) == 1
    assert months(host.get("id")) == []
    assert all(len(months(org["id"])) == 1 for org in orgs)
