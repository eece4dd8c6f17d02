# -*- coding: utf-8 -*-
"""The datasets the harvest tests read, besides ``published`` (every field)."""
from __future__ import annotations

import pytest

from ckan.tests import helpers

from tests.factories import minimal_dataset, partner


@pytest.fixture
def minimal(with_plugins, clean_db, clean_index):
    """A public dataset holding only the required fields and a link to a
    file, created through the API: no author, maintainer, maintainer_email,
    URL, period or outline. ``publisher`` names who may edit it."""
    org = partner()
    sent = minimal_dataset(org, resources=[
        {"url": "https://www.greasque.fr/opendata/deliberations-2025.csv", "format": "CSV"},
    ])
    helpers.call_action("package_create", context={"user": org["publisher"]["name"]}, **sent)
    return {**sent, "publisher": org["publisher"]["name"]}
