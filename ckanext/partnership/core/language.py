# -*- coding: utf-8 -*-
"""The language of what the portal writes: the page's, else the site's;
labels translated only when shown."""
from __future__ import annotations

from typing import Mapping, Optional

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
