# -*- coding: utf-8 -*-
"""Work that waits for the commit (``core.aftercommit``), on CKAN's real
session and database: handed over once the transaction commits, forgotten
if it rolls back, a failing handler breaking neither the others nor the
commit."""
from __future__ import annotations

import uuid

import pytest

import ckan.model as model

from ckanext.partnership.core import aftercommit
from tests.core.conftest import a_change

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def kind(handler=None):
    """A key of its own (listeners stay for the whole session) and the
    list its handler fills."""
    key = f"test-{uuid.uuid4().hex}"
    got: list = []
    aftercommit.listen(key, handler or got.append)
    return key, got


def stored(name):
    model.Session.expire_all()
    return model.Session.query(model.User).filter_by(name=name).count() == 1


def test_items_are_handed_over_once_the_transaction_commits():
    key, got = kind()
    aftercommit.later(key, {"to": "a"})
    aftercommit.later(key, {"to": "b"})
    model.Session.flush()
    assert got == []  # nothing before the commit
    model.Session.commit()
    assert got == [{"to": "a"}, {"to": "b"}]  # in order
    model.Session.commit()
    assert got == [{"to": "a"}, {"to": "b"}]  # once


def test_items_are_forgotten_when_the_transaction_rolls_back():
    key, got = kind()
    name = a_change()
    aftercommit.later(key, "refused")
    model.Session.rollback()
    assert not stored(name)
    aftercommit.later(key, "accepted")
    model.Session.commit()
    assert got == ["accepted"]


def test_items_handed_over_before_any_sql_are_forgotten_on_rollback():
    """A rollback before the transaction sent its first statement still
    forgets the items: they must not go with the next commit."""
    key, got = kind()
    model.Session.commit()
    aftercommit.later(key, "refused")
    model.Session.rollback()
    model.Session.commit()
    assert got == []


def test_a_failing_handler_breaks_neither_the_others_nor_the_commit(logged):
    def fail(item):
        if item == "bad":
            raise RuntimeError("mail server on fire")
        done.append(item)

    done: list = []
    failing, _ = kind(fail)
    other, got = kind()
    name = a_change(flush=False)
    aftercommit.later(failing, "bad")
    aftercommit.later(failing, "good")
    aftercommit.later(other, "other")
    model.Session.commit()  # does not raise
    assert stored(name)
    assert done == ["good"]  # the next item of the same kind still goes
    assert got == ["other"]
    assert "mail server on fire" in logged.text and failing in logged.text


def test_a_savepoint_rolled_back_does_not_drop_the_outer_items():
    key, got = kind()
    aftercommit.later(key, "outer")
    savepoint = model.Session.begin_nested()
    aftercommit.later(key, "inner")
    savepoint.rollback()
    model.Session.commit()
    assert "outer" in got


def test_listen_is_idempotent():
    calls: list = []
    key, _ = kind(calls.append)
    aftercommit.listen(key, calls.append)
    aftercommit.listen(key, lambda item: calls.append(("second handler", item)))
    aftercommit.later(key, 1)
    model.Session.commit()
    assert calls == [1]


def test_kinds_are_kept_apart():
    first, got_first = kind()
    second, got_second = kind()
    aftercommit.later(first, "a")
    model.Session.commit()
    assert (got_first, got_second) == (["a"], [])
