# -*- coding: utf-8 -*-
"""The API calls counted per month (002 §3.3: "300 000 appels API par mois
mutualisés entre tous les signataires"), through CKAN's real Flask app and
the real Redis, stopped for real in one test."""
from __future__ import annotations

import pytest

import ckan.model as model
from ckan.lib.redis import connect_to_redis

from ckanext.partnership import compliance
from ckanext.partnership import model as pmodel
from ckanext.partnership.compliance import counter
from ckanext.partnership.domain import quotas
from ckanext.partnership.notify import run
from tests import faults

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_redis",
                                     "with_request_context")


def month() -> str:
    return quotas.month_key(pmodel.now().date())


def held() -> int:
    return int(connect_to_redis().get(counter.key(month())) or 0)


def stored() -> int:
    model.Session.expire_all()
    return pmodel.stored_api_calls(month())


@pytest.mark.parametrize("path, counted", [
    ("/api/3/action/status_show", True),
    ("/api/action/package_search", True),
    ("/fr/api/3/action/status_show", True),
    ("/pt_BR/api/3", True),
    ("/api", True),
    ("/dataset/", False),
    ("/", False),
    ("/apidoc", False),
    ("/dataset/api-calls", False),
])
def test_what_counts_as_an_api_call(path, counted):
    assert counter.is_api(path) is counted


def test_each_api_call_counts_once_and_pages_do_not(app):
    before = compliance.api_calls(month())
    for _ in range(4):
        assert app.get("/api/3/action/status_show").status_code == 200
    app.get("/api/3/action/package_show?id=nothing-here", status=404)  # an error counts too
    app.get("/fr/api/3/action/status_show")
    app.get("/dataset/")
    app.get("/")
    assert compliance.api_calls(month()) == before + 6
    assert held() == 6


def test_with_redis_stopped_the_api_answers_and_the_calls_are_counted_later(app):
    app.get("/api/3/action/status_show")
    with faults.stopped("redis"):
        for _ in range(3):
            response = app.get("/api/3/action/status_show")
            assert response.status_code == 200
            assert response.json["success"] is True
        assert counter.missed() == 3
        # what Redis held is out of reach; what is stored is still read
        assert compliance.api_calls(month()) == 0
    # the first call once Redis is back brings the three missed along
    app.get("/api/3/action/status_show")
    assert counter.missed() == 0
    assert compliance.api_calls(month()) == 5


def test_notify_moves_the_count_to_the_table_once(app):
    for _ in range(3):
        app.get("/api/3/action/status_show")
    assert (held(), stored()) == (3, 0)
    assert run(pmodel.now().date()) == []  # notify's step: bookkeeping, no line
    assert (held(), stored()) == (0, 3)
    assert compliance.persist_api_calls() == {}
    assert compliance.api_calls(month()) == 3
    # run again: nothing moved twice
    run(pmodel.now().date())
    assert compliance.api_calls(month()) == 3
    app.get("/api/3/action/status_show")
    assert compliance.persist_api_calls() == {month(): 1}
    assert (held(), stored(), compliance.api_calls(month())) == (0, 4, 4)


def test_a_count_the_database_refuses_goes_back_to_redis(app):
    for _ in range(2):
        app.get("/api/3/action/status_show")
    # the table gone (a database that refuses): the count is not lost
    model.Session.execute(pmodel.ApiCalls.__table__.delete())
    model.Session.commit()
    with model.meta.engine.begin() as connection:
        connection.exec_driver_sql(
            "ALTER TABLE partnership_api_calls RENAME TO partnership_api_calls_away")
    try:
        with pytest.raises(Exception):
            compliance.persist_api_calls()
        assert held() == 2
    finally:
        model.Session.rollback()
        with model.meta.engine.begin() as connection:
            connection.exec_driver_sql(
                "ALTER TABLE partnership_api_calls_away RENAME TO partnership_api_calls")
    assert compliance.persist_api_calls() == {month(): 2}
    assert (held(), stored()) == (0, 2)


@pytest.fixture
def hanging_redis():
    """A server on a port of 127.0.0.1 that accepts connections and never
    answers: a Redis that hangs."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


def test_with_redis_hanging_the_api_answers_and_the_calls_are_kept(app, hanging_redis):
    import threading

    from ckan.common import config

    answers = []
    real = config["ckan.redis.url"]
    config["ckan.redis.url"] = hanging_redis
    try:
        calls = threading.Thread(target=lambda: answers.extend(
            app.get("/api/3/action/status_show").status_code for _ in range(3)))
        calls.start()
        # a hang would be endless: generous bound, far above 3 × TIMEOUT_SECONDS
        calls.join(timeout=30)
        assert answers == [200, 200, 200]
        assert counter.missed() == 3
    finally:
        config["ckan.redis.url"] = real
    app.get("/api/3/action/status_show")
    assert counter.missed() == 0
    assert held() == 4
