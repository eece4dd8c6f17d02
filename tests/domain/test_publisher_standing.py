# -*- coding: utf-8 -*-
"""The standing of an agreement's publisher (000 §9.1.2), the rule alone."""
from __future__ import annotations

import pytest

from ckanext.partnership.domain.agreement_calendar import publisher_standing


@pytest.mark.parametrize("named, state, capacity, expected", [
    (True, "active", "editor", "ok"),
    (True, "active", "admin", "ok"),
    (True, "active", "member", "no_rights"),
    (True, "active", None, "left"),
    (True, "deleted", "editor", "left"),
    (True, "pending", "editor", "left"),
    (False, None, None, "none"),
])
def test_a_publisher_who_left_or_cannot_publish_is_a_change_to_report(
        named, state, capacity, expected):
    """A publisher no longer an active member, or a plain member, is a
    change of publisher the host must be told of (000 §9.1.2)."""
    assert publisher_standing(named, state, capacity) == expected
