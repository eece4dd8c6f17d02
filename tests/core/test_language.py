# -*- coding: utf-8 -*-
"""Labels in the page's language, translated only when shown (the pages
in French and English pin the translations: tests/publication/test_views)."""
from __future__ import annotations

from ckanext.partnership.core import language
from ckanext.partnership.core.language import N_

TABLE = {"approved": N_("Approved"), "refused": N_("Refused")}


def test_a_code_without_a_label_is_its_default():
    assert language.label(TABLE, "unknown", "unknown") == "unknown"
    assert language.label(TABLE, None, "") == ""
    assert N_("Approved") == "Approved"  # marked, not translated
