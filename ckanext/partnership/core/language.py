# -*- coding: utf-8 -*-
"""The language of what the portal writes: the page's, else the site's."""
from __future__ import annotations

import ckan.plugins.toolkit as tk


def ui_language() -> str:
    """'en' or 'fr': the page's language, else the site's default."""
    try:
        lang = tk.h.lang()
    except RuntimeError:  # outside a request: a script, a job
        lang = tk.config.get("ckan.locale_default")
    return "en" if (lang or "fr").startswith("en") else "fr"
