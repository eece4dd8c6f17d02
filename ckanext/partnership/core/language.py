# -*- coding: utf-8 -*-
"""The language of what the portal writes: the page's, else the site's;
labels translated only when shown."""
from __future__ import annotations

import datetime as dt
from typing import Mapping, Optional

import flask_babel

import ckan.plugins.toolkit as tk


def ui_language() -> str:
    """'en' or 'fr': the page's language, else the site's default."""
    try:
        lang = tk.h.lang()
    except RuntimeError:  # outside a request: a script, a job
        lang = tk.config.get("ckan.locale_default")
    return "en" if (lang or "fr").startswith("en") else "fr"


def N_(msgid: str) -> str:
    """A text marked for translation (extracted like ``_``) and translated
    where it is shown, by :func:`label`."""
    return msgid


def label(table: Mapping[str, str], key: Optional[str], default: Optional[str]) -> Optional[str]:
    """The label of ``key`` in ``table`` (code -> msgid marked with
    :func:`N_`), translated: only that one goes through gettext, however
    long the table (a page of 50 rows asks hundreds of labels); ``default``
    when ``key`` is not in the table."""
    msgid = table.get(key) if key is not None else None
    return tk._(msgid) if msgid is not None else default


def instant(value: "Optional[dt.datetime | str]") -> str:
    """An instant as people read it, in the portal's time zone
    (``ckan.display_timezone``) and the language being written: « 2 décembre
    2026 à 07:41 (UTC) », "December 2, 2026, 07:41 (UTC)". A naive value is
    UTC, as is an ISO 8601 string (an action's output). ISO 8601 in UTC
    outside a request (a script)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value) if value else None
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    try:
        local = value.astimezone(tk.h.get_display_timezone())
        day = flask_babel.format_date(local.date(), "long")
    except RuntimeError:  # no application or request to write in
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    offset = local.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    zone = "UTC" if not minutes else "UTC{}{:02d}:{:02d}".format(
        "+" if minutes > 0 else "-", abs(minutes) // 60, abs(minutes) % 60)
    return tk._("{day}, {time} ({zone})").format(
        day=day, time=local.strftime("%H:%M"), zone=zone)
