# -*- coding: utf-8 -*-
"""The quotas' rules as plain functions, without CKAN or a database (002
§3.3: "300 000 enregistrements maximum par jeu de données", 20 million in
all, 30 GB, 1 GB of updates a day, 300,000 API calls a month)."""
from __future__ import annotations

import datetime as dt

import pytest

from ckanext.partnership.domain import quotas


def test_the_five_codes_in_order():
    assert quotas.CODES == ("records_per_dataset", "records_total", "storage_bytes",
                            "updates_per_day_bytes", "api_calls_per_month")
    assert quotas.FIELDS["api_calls_per_month"] == "quota_api_calls_per_month"


@pytest.mark.parametrize("used, limit, share, level", [
    (0, None, None, "ok"),                       # no limit: never a warning
    (10**12, None, None, "ok"),
    (0, 300000, 0.0, "ok"),
    (239999, 300000, 0.8, "ok"),                 # 79.9997 %: rounded share, still ok
    (240000, 300000, 0.8, "warning"),            # 80 % exactly
    (299999, 300000, 1.0, "warning"),
    (300000, 300000, 1.0, "warning"),            # the limit itself is allowed
    (300001, 300000, 1.0, "exceeded"),           # as the file check refuses 300,001
    (600000, 300000, 2.0, "exceeded"),
    (3, 4, 0.75, "ok"),
    (4, 5, 0.8, "warning"),
    (0, 0, 0.0, "ok"),                           # nothing allowed, nothing used
    (5, 0, 5.0, "exceeded"),                     # nothing allowed, 5 used
    (1, 1, 1.0, "warning"),
])
def test_share_and_level(used, limit, share, level):
    assert quotas.share(used, limit) == share
    assert quotas.level(used, limit) == level
    assert quotas.alert_due(used, limit) == (level != "ok")
    assert quotas.usage("records_total", used, limit) == {
        "code": "records_total", "used": used, "limit": limit, "share": share,
        "level": level}


def test_an_unknown_code_is_refused():
    with pytest.raises(ValueError):
        quotas.usage("datasets", 1, 2)


@pytest.mark.parametrize("code, today, start, end, key", [
    ("updates_per_day_bytes", dt.date(2026, 12, 2), dt.date(2026, 12, 2),
     dt.date(2026, 12, 3), "2026-12-02"),
    ("updates_per_day_bytes", dt.date(2026, 12, 31), dt.date(2026, 12, 31),
     dt.date(2027, 1, 1), "2026-12-31"),
    ("api_calls_per_month", dt.date(2026, 12, 2), dt.date(2026, 12, 1),
     dt.date(2027, 1, 1), "2026-12"),
    ("api_calls_per_month", dt.date(2027, 2, 28), dt.date(2027, 2, 1),
     dt.date(2027, 3, 1), "2027-02"),
    # the stock quotas are told once a month while they stay above 80 %
    ("records_per_dataset", dt.date(2026, 1, 31), dt.date(2026, 1, 1),
     dt.date(2026, 2, 1), "2026-01"),
    ("records_total", dt.date(2026, 11, 1), dt.date(2026, 11, 1),
     dt.date(2026, 12, 1), "2026-11"),
    ("storage_bytes", dt.date(2026, 12, 15), dt.date(2026, 12, 1),
     dt.date(2027, 1, 1), "2026-12"),
])
def test_periods_and_their_keys(code, today, start, end, key):
    assert quotas.period(code, today) == (start, end)
    assert quotas.period_key(code, today) == key


def test_the_month_key_of_the_api_counter():
    assert quotas.month_key(dt.date(2026, 3, 9)) == "2026-03"
