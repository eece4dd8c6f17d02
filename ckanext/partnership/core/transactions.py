# -*- coding: utf-8 -*-
"""Every request ends its database transaction, whatever happened in it.

CKAN disposes of the SQLAlchemy session in an ``after_request`` handler,
which a request that fails before its view (CKAN 2.11's ``identify_user``
on an account deleted while its session was being read, for one) may not
reach: the request's connection then stays *idle in transaction*, holding
its locks, until the process ends, and a migration or any ``ALTER`` or
``DROP`` waits for it for ever.

The release wraps the Flask application's WSGI callable, so it concerns
HTTP requests only: a ``test_request_context()`` that a command or a mail
opens to render in the portal's language never goes through it, and keeps
its session and its uncommitted work."""
from __future__ import annotations

from typing import Any, Callable, Iterable

from werkzeug.wsgi import ClosingIterator

import ckan.model as model


def release() -> None:
    """End the current transaction and give its connection back."""
    model.Session.remove()


class ReleaseSession:
    """WSGI middleware: :func:`release` once the response is sent, or
    when the application raised."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]):
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        try:
            response = self.wsgi_app(environ, start_response)
        except BaseException:
            release()
            raise
        return ClosingIterator(response, [release])


def setup(app: Any) -> None:
    """Around the Flask application ``app``'s WSGI callable."""
    app.wsgi_app = ReleaseSession(app.wsgi_app)
