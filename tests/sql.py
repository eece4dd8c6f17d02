# -*- coding: utf-8 -*-
"""Counting the SQL a block sends: the regression guard of lists (the
statements for 10 rows are those for 100 rows, never one per row)."""
from __future__ import annotations

import contextlib
from typing import Iterator

from sqlalchemy import event

import ckan.model as model


@contextlib.contextmanager
def queries() -> Iterator[list[str]]:
    """The SQL statements sent while the block runs."""
    sent: list[str] = []

    def count(conn, cursor, statement, *args):
        sent.append(statement)

    event.listen(model.meta.engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(model.meta.engine, "before_cursor_execute", count)
