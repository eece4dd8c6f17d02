# -*- coding: utf-8 -*-
"""Work that waits for the current transaction: done once it commits,
forgotten if it rolls back (a refused save queues no job, sends no mail).

Each kind of work has a key in the session's ``info`` and a handler, called
with each item after the commit; no SQL may run there, so items carry
everything their handler needs.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

from sqlalchemy import event

import ckan.model as model

log = logging.getLogger(__name__)

Handler = Callable[[Any], None]


def later(key: str, item: Any) -> None:
    """Hand ``item`` to the handler of ``key`` once the transaction commits.

    The transaction is begun if no statement has begun it yet, so that a
    rollback before the first statement forgets the item too (SQLAlchemy
    tells no rollback of a transaction that never began)."""
    session = model.Session()
    if not session.in_transaction():
        session.begin()
    session.info.setdefault(key, []).append(item)


def listen(key: str, handler: Handler) -> None:
    """Run ``handler`` on each item of ``key`` after each commit (idempotent)."""
    def after_commit(session: Any) -> None:
        for item in session.info.pop(key, None) or []:
            try:
                handler(item)
            except Exception:  # the commit is done: a failure here is only logged
                log.exception("after commit: %s", key)

    def after_rollback(session: Any, previous_transaction: Any) -> None:
        if previous_transaction.parent is None:
            session.info.pop(key, None)

    marker = f"_partnership_listening_{key}"
    if getattr(model.Session, marker, False):
        return
    setattr(model.Session, marker, True)
    event.listen(model.Session, "after_commit", after_commit)
    event.listen(model.Session, "after_soft_rollback", after_rollback)
