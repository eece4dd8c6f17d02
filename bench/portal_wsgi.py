"""The WSGI application the portal benchmark serves with Gunicorn.

``BENCH_INI`` names the CKAN configuration (the portal's or the vanilla
one). The application is CKAN's own (``make_app``, as CKAN's images build
it), wrapped in :class:`Measure`, which times each request and counts the
SQL statements CKAN sends during it, and returns both in response headers:

* ``Server-Timing: app;dur=<ms>``: from the request's arrival in the
  middleware to the moment CKAN starts its response (Flask renders the
  whole body before calling ``start_response``);
* ``X-Bench-SQL: <n>``: the statements executed on any SQLAlchemy engine
  of the process in that time (a ``before_cursor_execute`` listener).

Gunicorn's sync workers serve one request at a time per process, so a
process-wide counter is exact.
"""
from __future__ import annotations

import os
import time
from logging.config import fileConfig

import sqlalchemy as sa
from sqlalchemy.engine import Engine


class Measure:
    def __init__(self, app):
        self.app = app
        self.statements = 0
        sa.event.listen(Engine, "before_cursor_execute", self._count)

    def _count(self, *args, **kwargs):
        self.statements += 1

    def __call__(self, environ, start_response):
        self.statements = 0
        start = time.perf_counter()

        def timed_start_response(status, headers, exc_info=None):
            ms = (time.perf_counter() - start) * 1000.0
            headers = list(headers) + [
                ("Server-Timing", f"app;dur={ms:.2f}"),
                ("X-Bench-SQL", str(self.statements)),
            ]
            return start_response(status, headers, exc_info)

        return self.app(environ, timed_start_response)


def _application():
    from ckan.cli import CKANConfigLoader
    from ckan.config.middleware import make_app

    ini = os.path.abspath(os.environ["BENCH_INI"])
    fileConfig(ini, disable_existing_loggers=False)
    return Measure(make_app(CKANConfigLoader(ini).get_config()))


application = _application()
