# -*- coding: utf-8 -*-
"""The flags of published datasets are kept where they change (a file's
check, a save, the agreement), never recomputed on a view; the list reads
them, and an agreement whose end has come hides them. Through the real
action chain and the real check job."""
from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

import ckan.model as model
from ckan.tests import helpers

from ckanext.partnership import model as pmodel, publication
from tests.logic.test_publication import add_personal_file
from tests.sql import queries

pytestmark = pytest.mark.usefixtures("with_request_context")

VALIDATOR = {"user": "validateur", "ignore_auth": False}
MIGRATION = (Path(__file__).parents[2] / "ckanext/partnership/migration/partnership/versions"
             / "f3c5e7a9b1d2_publication_scale.py")


def listed(**data):
    """(names, count) of the flagged list as the validator reads it."""
    names = [f["name"] for f in helpers.call_action(
        "partnership_flagged_list", context=dict(VALIDATOR), **data)]
    count = helpers.call_action("partnership_flagged_count", context=dict(VALIDATOR),
                                **data)["count"]
    return names, count


def stored(package):
    row = model.Session.get(pmodel.Flag, package["id"])
    model.Session.expire_all()
    return [c["code"] for c in row.checks] if row is not None else None


def test_a_failing_file_flags_the_dataset_and_its_removal_drops_the_flag(public_dataset):
    """A published dataset whose new file fails its checks is flagged to the validators
    until that file is removed (000 §10.1.1)."""
    resource = add_personal_file(public_dataset)  # the real check job, its receiver
    assert stored(public_dataset) == ["personal_data"]
    assert listed() == ([public_dataset["name"]], 1)
    helpers.call_action("resource_delete", context={"user": "aix-publicateur"},
                        id=resource["id"])
    assert stored(public_dataset) is None
    assert listed() == ([], 0)


def test_a_dataset_made_private_or_deleted_leaves_the_list(public_dataset):
    add_personal_file(public_dataset)
    helpers.call_action("partnership_dataset_unpublish", context=dict(VALIDATOR),
                        id=public_dataset["id"], reason="quality", message="À corriger")
    assert stored(public_dataset) is None and listed() == ([], 0)


def test_a_deleted_then_purged_dataset_leaves_the_list(public_dataset):
    add_personal_file(public_dataset)
    helpers.call_action("package_delete", context={"user": "validateur"},
                        id=public_dataset["id"])
    assert listed() == ([], 0)  # not public any more
    helpers.call_action("dataset_purge", context={"ignore_auth": True, "user": ""},
                        id=public_dataset["id"])
    assert stored(public_dataset) is None


def test_the_flags_follow_the_agreements_licences(people, public_dataset):
    """A published dataset whose licence the agreement no longer allows is flagged, and
    no longer once the licence is allowed again (000 §10.1.1, 003 art. 5)."""
    assert public_dataset["license_id"] == "lov2"
    helpers.call_action("partnership_agreement_patch", context=dict(VALIDATOR),
                        id=people["agreement"]["id"], allowed_licenses=["odc-odbl"])
    assert stored(public_dataset) == ["licence"]
    flagged = helpers.call_action("partnership_flagged_list", context=dict(VALIDATOR))
    assert flagged[0]["checks"][0]["params"] == {"license": "lov2", "allowed": ["odc-odbl"]}
    helpers.call_action("partnership_agreement_patch", context=dict(VALIDATOR),
                        id=people["agreement"]["id"], allowed_licenses=["lov2", "odc-odbl"])
    assert stored(public_dataset) is None and listed() == ([], 0)


def test_an_agreement_whose_end_has_come_hides_its_flags(people, public_dataset):
    add_personal_file(public_dataset)
    assert listed(organization=people["org"]["name"])[1] == 1
    agreement = model.Session.get(pmodel.Agreement, people["agreement"]["id"])
    agreement.ends_on = dt.date.today()  # its end comes, no one has saved anything
    model.Session.commit()
    assert listed() == ([], 0)
    assert listed(organization=people["org"]["name"]) == ([], 0)


def test_a_save_with_nothing_failing_does_not_read_the_dataset_again(public_dataset):
    with queries() as sent:
        assert publication.flag_if_failing(public_dataset["id"]) is False
    # the agreement in force, then one query on the file checks and the flag
    assert len(sent) <= 3, sent
    assert not [s for s in sent if re.search(r"\bFROM (resource|package_extra)\b", s)]
    helpers.call_action("package_patch", context={"user": "aix-publicateur"},
                        id=public_dataset["id"], notes="Mis à jour")
    assert stored(public_dataset) is None


def test_the_migration_fills_the_flags_of_datasets_published_before(people,
                                                                    public_dataset):
    from tests.logic.test_publication import dataset, decide, submit

    add_personal_file(public_dataset)
    other = dataset(people)
    decide(submit(other), decision="approve")
    helpers.call_action("partnership_agreement_patch", context=dict(VALIDATOR),
                        id=people["agreement"]["id"], allowed_licenses=["odc-odbl"])
    written = {r.package_id: r.checks for r in model.Session.query(pmodel.Flag)}
    assert set(written) == {public_dataset["id"], other["id"]}
    model.Session.query(pmodel.Flag).delete()
    model.Session.commit()

    spec = importlib.util.spec_from_file_location("publication_scale", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    model.Session.execute(sa.text(migration.BACKFILL))
    model.Session.commit()
    assert {r.package_id: r.checks for r in model.Session.query(pmodel.Flag)} == written
