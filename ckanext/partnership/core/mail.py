# -*- coding: utf-8 -*-
"""Mail of the publication workflow, by CKAN's mailer, in the portal's
language. A mail that cannot go is logged, never a reason to undo what was
decided: the decision is in the database and on the pages."""
from __future__ import annotations

import contextlib
import datetime as dt
import logging
from typing import Any, Iterable, Iterator, Optional

import click
import flask
from flask_babel import force_locale

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import mailer

from ckanext.partnership.core import aftercommit, language

log = logging.getLogger(__name__)


@contextlib.contextmanager
def portal_language() -> Iterator[bool]:
    """Write in the portal's default language. Yields False when there is
    no application to translate with (a bare background job): the caller
    then leaves the mail to ``ckan partnership notify``."""
    locale = tk.config.get("ckan.locale_default") or "en"
    if flask.has_request_context():
        with force_locale(locale):
            yield True
        return
    ctx = click.get_current_context(silent=True)
    app = ctx.meta.get("flask_app") if ctx else None
    if app is None:
        yield False
        return
    with app.test_request_context(), force_locale(locale):
        yield True


_LATER = "partnership_mail"


def later(to: Iterable[tuple[str, str]], subject: str, body: str) -> None:
    """Send once the current transaction commits; never if it rolls back.
    Everything is computed beforehand: no SQL runs after a commit."""
    aftercommit.later(_LATER, (list(to), subject, body))


def listen() -> None:
    aftercommit.listen(_LATER, lambda item: send(*item))


def recipients(users: Iterable[model.User | None]) -> list[tuple[str, str]]:
    """(name, email) of the active users who have an address, each once (a
    deleted account is written to no more)."""
    seen: dict[str, str] = {}
    for user in users:
        if user is not None and user.state == "active" and user.email and user.email not in seen:
            seen[user.email] = user.fullname or user.name
    return [(name, email) for email, name in seen.items()]


def send(to: Iterable[tuple[str, str]], subject: str, body: str) -> int:
    """Send to each (name, email); returns how many went."""
    sent = 0
    for name, email in to:
        try:
            mailer.mail_recipient(name, email, subject, body)
            sent += 1
        except Exception as error:  # a mail server down must not undo a decision
            log.error("mail to %s failed: %s", email, error)
    return sent


def dataset_url(package: Any) -> str:
    return tk.url_for("dataset.read", id=package.name, _external=True)


def when(value: Optional[dt.datetime]) -> str:
    """An instant as people read it (:func:`language.instant`)."""
    return language.instant(value)
