# -*- coding: utf-8 -*-
"""Labels in the page's language, translated only when shown (the pages
in French and English pin the translations: tests/publication/test_views)."""
from __future__ import annotations

import datetime as dt

import pytest
from flask_babel import force_locale

from ckanext.partnership.core import language
from ckanext.partnership.core.language import N_

TABLE = {"approved": N_("Approved"), "refused": N_("Refused")}


def test_a_code_without_a_label_is_its_default():
    assert language.label(TABLE, "unknown", "unknown") == "unknown"
    assert language.label(TABLE, None, "") == ""
    assert N_("Approved") == "Approved"  # marked, not translated


@pytest.mark.parametrize("locale, written", [
    ("fr", "2 décembre 2026 à 07:41 (UTC)"),
    ("en", "December 2, 2026, 07:41 (UTC)"),
])
def test_an_instant_reads_as_a_day_an_hour_and_its_zone(app, locale, written):
    at = dt.datetime(2026, 12, 2, 7, 41, 12)
    with app.flask_app.test_request_context(), force_locale(locale):
        assert language.instant(at) == written
        assert language.instant(at.replace(tzinfo=dt.timezone.utc)) == written
        assert language.instant("2026-12-02T07:41:12.345678") == written  # an action's output
        assert language.instant(None) == language.instant("") == ""


@pytest.mark.ckan_config("ckan.display_timezone", "Europe/Paris")
def test_an_instant_is_shown_in_the_portal_time_zone_with_its_offset(app):
    with app.flask_app.test_request_context(), force_locale("fr"):
        assert language.instant(dt.datetime(2026, 12, 2, 7, 41)) == "2 décembre 2026 à 08:41 (UTC+01:00)"
        assert language.instant(dt.datetime(2026, 7, 14, 7, 41)) == "14 juillet 2026 à 09:41 (UTC+02:00)"
