# -*- coding: utf-8 -*-
"""CKAN's ``defer_commit``: a caller that owns the transaction composes
several of the extension's writes and commits or rolls back the whole
(real database: what another connection sees is what is committed)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

import ckan.model as model
from ckan.tests import helpers

from ckanext.partnership import model as pmodel
from tests.logic.test_publication import as_

pytestmark = pytest.mark.usefixtures("with_request_context")


def deferred(user):
    return {**as_(user), "defer_commit": True}


def committed(table, **where):
    """How many rows of ``table`` another connection sees: the committed ones."""
    query = sa.select(sa.func.count()).select_from(table.__table__)
    for column, value in where.items():
        query = query.where(table.__table__.c[column] == value)
    with model.Session.get_bind().connect() as other:
        return other.execute(query).scalar()


def _agreement_and_amendment(user="validateur"):
    agreement = helpers.call_action(
        "partnership_agreement_create", context=deferred(user),
        organization="departement-13", reference="CONV-2026-CD13",
        effective_on="2026-01-01", initial_term_months=36)
    amendment = helpers.call_action(
        "partnership_amendment_create", context=deferred(user),
        agreement_id=agreement["id"], reference="AV-1", signed_on="2026-03-01")
    return agreement, amendment


def test_two_agreement_writes_commit_together(people):
    agreement, amendment = _agreement_and_amendment()
    # flushed for the caller (ids given), committed for nobody yet
    assert agreement["id"] and amendment["id"]
    assert model.Session.get(pmodel.Amendment, amendment["id"]).agreement_id == agreement["id"]
    assert committed(pmodel.Agreement, id=agreement["id"]) == 0
    assert committed(pmodel.Amendment, id=amendment["id"]) == 0
    model.repo.commit()
    assert committed(pmodel.Agreement, id=agreement["id"]) == 1
    assert committed(pmodel.Amendment, id=amendment["id"]) == 1


def test_a_rollback_undoes_both_agreement_writes(people):
    agreement, amendment = _agreement_and_amendment()
    model.Session.rollback()
    assert model.Session.get(pmodel.Agreement, agreement["id"]) is None
    assert model.Session.get(pmodel.Amendment, amendment["id"]) is None
    assert committed(pmodel.Agreement, reference="CONV-2026-CD13") == 0


def test_without_defer_commit_each_write_commits(people):
    agreement = helpers.call_action(
        "partnership_agreement_create", context=as_("validateur"),
        organization="departement-13", reference="CONV-2026-CD13",
        effective_on="2026-01-01", initial_term_months=36)
    model.Session.rollback()
    assert committed(pmodel.Agreement, id=agreement["id"]) == 1


def _comment_and_contact_message(package):
    comment = helpers.call_action(
        "partnership_comment_create", context=deferred("citoyen"),
        package_id=package["id"], body="Quelle est la source ?")
    contact = helpers.call_action(
        "partnership_contact_create", context=deferred("citoyen"),
        organization="ville-aix-en-provence", name="Camille", email="camille@exemple.fr",
        body="Bonjour")
    return comment, contact


def test_two_discussion_writes_commit_together(public_dataset):
    comment, contact = _comment_and_contact_message(public_dataset)
    assert committed(pmodel.Comment) == 0 and committed(pmodel.Thread) == 0
    model.repo.commit()
    assert committed(pmodel.Thread, id=comment["thread_id"]) == 1
    assert committed(pmodel.Thread, id=contact["id"]) == 1
    assert committed(pmodel.Comment) == 2


def test_a_rollback_undoes_both_discussion_writes(public_dataset):
    comment, contact = _comment_and_contact_message(public_dataset)
    model.Session.rollback()
    assert committed(pmodel.Comment) == 0 and committed(pmodel.Thread) == 0
    assert helpers.call_action("partnership_comment_list", package_id=public_dataset["id"]) == []
