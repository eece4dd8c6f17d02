# -*- coding: utf-8 -*-
"""The portal's API calls, counted per month (002 §3.3: 300,000 a month
shared by all signatories), cheaply: one Redis ``INCRBY`` per request to
``/api/…`` (``/fr/api/…`` too; not the pages), from a Flask hook.

- Redis down, or hanging (no answer within ``TIMEOUT_SECONDS``): the
  request answers as it would (never a 500); the calls missed are kept in
  the process and added at its next successful count.
- :func:`persist` (a step of ``ckan partnership notify``) moves each
  month's count from Redis to ``partnership_api_calls``: the count is read
  and deleted in one Redis transaction, then added to the table; if the
  database refuses, the count goes back to Redis (``INCRBY``). Only a crash
  of the process between the two loses that one move's calls.
- :func:`calls` reads a month: the table plus what Redis still holds.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import threading
from typing import Any

import redis

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

from ckanext.partnership import model as pmodel
from ckanext.partnership.domain import quotas

log = logging.getLogger(__name__)

#: ``/api/…``, with or without a language first (``/fr/api/…``, ``/pt_BR/api``).
API_PATH = re.compile(r"^/(?:[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?/)?api(?:/|$)")

#: How long an API call may wait for Redis to count it (connecting, then
#: answering): a Redis that hangs delays each call by at most this much,
#: then the call is kept in the process like one Redis refused.
TIMEOUT_SECONDS = 0.25

_missed: dict[str, int] = {}
_missed_lock = threading.Lock()


def _prefix() -> str:
    return f"{tk.config.get('ckan.site_id')}:partnership:api-calls:"


def key(month: str) -> str:
    """The Redis key of a month's count (``2026-12``)."""
    return _prefix() + month


def is_api(path: str) -> bool:
    """Whether a request path is a call of the API."""
    return bool(API_PATH.match(path or ""))


def _today() -> dt.date:
    return pmodel.now().date()


@functools.lru_cache(maxsize=4)
def _pool(url: str) -> redis.ConnectionPool:
    return redis.ConnectionPool.from_url(url, socket_timeout=TIMEOUT_SECONDS,
                                         socket_connect_timeout=TIMEOUT_SECONDS)


def _counting_connection() -> redis.Redis:
    """CKAN's Redis, through connections that give up after
    ``TIMEOUT_SECONDS``: counting never holds an API call up."""
    return redis.Redis(connection_pool=_pool(tk.config.get("ckan.redis.url")))


def count(path: str) -> None:
    """Count a request to ``path`` if it is an API call; never raises."""
    if not is_api(path):
        return
    month = quotas.month_key(_today())
    with _missed_lock:
        missed = dict(_missed)
        _missed.clear()
    missed[month] = missed.get(month, 0) + 1
    try:
        connection = _counting_connection()
        if len(missed) == 1:
            connection.incrby(key(month), missed[month])
        else:
            pipe = connection.pipeline(transaction=True)
            for each, n in missed.items():
                pipe.incrby(key(each), n)
            pipe.execute()
    except Exception as error:  # Redis down: kept for the next count
        with _missed_lock:
            for each, n in missed.items():
                _missed[each] = _missed.get(each, 0) + n
        log.warning("API calls not counted yet (%s): kept in the process",
                    type(error).__name__)


def count_api_calls(app: Any) -> None:
    """Register the counter on the Flask app (``IMiddleware``)."""

    def after(response: Any) -> Any:
        count(tk.request.path)
        return response

    app.after_request(after)


def missed() -> int:
    """The calls this process holds, not counted in Redis yet."""
    with _missed_lock:
        return sum(_missed.values())


def calls(month: str) -> int:
    """The month's API calls: those stored, plus those Redis still holds
    (Redis down: those stored only)."""
    stored = pmodel.stored_api_calls(month)
    try:
        held = connect_to_redis().get(key(month))
    except redis.exceptions.RedisError:
        held = None
    return stored + int(held or 0)


def calls_of_months(months: list[str]) -> dict[str, int]:
    """The API calls of each of ``months`` (``2026-12``), as :func:`calls`
    counts them: one query and one Redis read for all of them."""
    if not months:
        return {}
    stored = pmodel.stored_api_calls_of_months(months)
    try:
        held = connect_to_redis().mget([key(m) for m in months])
    except redis.exceptions.RedisError:
        held = [None] * len(months)
    return {m: stored.get(m, 0) + int(h or 0) for m, h in zip(months, held)}


def persist() -> dict[str, int]:
    """Move each month's count from Redis to the table; returns the calls
    moved per month (logged: bookkeeping, not a thing ``notify`` tells).
    Raises (the next run tries again) when Redis or the database fails; a
    count taken from Redis that the database refused is put back."""
    connection = connect_to_redis()
    moved: dict[str, int] = {}
    for name in sorted(connection.scan_iter(match=_prefix() + "*")):
        name = name.decode() if isinstance(name, bytes) else name
        month = name[len(_prefix()):]
        pipe = connection.pipeline(transaction=True)
        pipe.get(name)
        pipe.delete(name)
        taken, _deleted = pipe.execute()
        n = int(taken or 0)
        if not n:
            continue
        try:
            pmodel.add_api_calls(month, n)
            model.Session.commit()
        except Exception:
            model.Session.rollback()
            connection.incrby(name, n)
            raise
        log.info("API calls of %s: %d stored", month, n)
        moved[month] = n
    return moved
