# -*- coding: utf-8 -*-
"""One run at a time: PostgreSQL advisory locks for the scheduled commands.

Two ``ckan partnership notify`` started together (two cron hosts, a slow
run overlapping the next) would each send every mail. A run holds a
session-level advisory lock on a connection of its own for as long as it
works; a second run finds it taken and stops. PostgreSQL releases the lock
when the holder's connection ends, so a run killed halfway never blocks the
next one."""
from __future__ import annotations

import contextlib
import zlib
from typing import Iterator

from sqlalchemy import text

from ckan.model import meta


def key(name: str) -> int:
    """The lock's number: stable across processes and hosts."""
    return zlib.crc32(f"ckanext.partnership/{name}".encode("utf-8"))


@contextlib.contextmanager
def held(name: str, wait: bool = False) -> Iterator[bool]:
    """Hold the lock ``name`` while the block runs. Yields False, at once,
    when another run holds it; with ``wait``, waits for it instead (and
    yields True)."""
    assert meta.engine is not None
    # outside any transaction: the lock belongs to the connection
    connection = meta.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    got = False
    try:
        if wait:
            connection.execute(text("select pg_advisory_lock(:key)"), {"key": key(name)})
            got = True
        else:
            got = bool(connection.execute(text("select pg_try_advisory_lock(:key)"),
                                          {"key": key(name)}).scalar())
        yield got
    finally:
        try:
            if got:
                connection.execute(text("select pg_advisory_unlock(:key)"), {"key": key(name)})
        except Exception:  # the connection is gone: so is the lock
            connection.invalidate()
        finally:
            connection.close()
