# -*- coding: utf-8 -*-
"""Fixtures of the tests of ``core``."""
from __future__ import annotations

import logging
import uuid

import pytest

import ckan.model as model


class Logged(logging.Handler):
    """The errors logged while a test runs."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)

    @property
    def text(self) -> str:
        return "\n".join(self.format(r) for r in self.records)


@pytest.fixture
def logged(monkeypatch):
    """The errors ``core``'s modules log. Their loggers do not propagate to
    the root (pytest's caplog misses them), CKAN's logging set-up replaces
    the handlers of "ckanext" when it makes the app, and the migrations of
    ``clean_db`` (alembic's fileConfig) disable the loggers they do not
    name: listen on the modules' own loggers, enabled."""
    handler = Logged()
    handler.setFormatter(logging.Formatter("%(message)s"))
    loggers = [logging.getLogger(f"ckanext.partnership.core.{name}")
               for name in ("aftercommit", "mail")]
    for logger in loggers:
        monkeypatch.setattr(logger, "disabled", False)
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)


def a_change(flush: bool = True) -> str:
    """A change of the current transaction (a new user); its name."""
    name = f"user-{uuid.uuid4().hex[:10]}"
    model.Session.add(model.User(name=name, email=f"{name}@example.invalid"))
    if flush:
        model.Session.flush()
    return name
