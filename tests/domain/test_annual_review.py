# -*- coding: utf-8 -*-
"""The annual review's rules, as plain functions (no database, no CKAN):
the year asked for, the twelve months of a figure, the comparison with
the year before, the CSV's rows."""
from __future__ import annotations

import datetime as dt

import pytest

from ckanext.partnership.domain import annual_review as rules

TODAY = dt.date(2026, 12, 2)


@pytest.mark.parametrize("value", [2026, "2026", " 2025 ", 2000])
def test_a_year_from_2000_to_this_one(value):
    assert rules.year_error(value, TODAY) is None


@pytest.mark.parametrize("value,error", [
    ("deux-mille", "not_a_year"), ("2026.0", "not_a_year"), (2026.0, "not_a_year"),
    (True, "not_a_year"), (None, "not_a_year"), ("２０２６", "not_a_year"), ("-2026", "not_a_year"),
    (1999, "out_of_range"), (2027, "out_of_range"), ("99999999999999999999", "out_of_range"),
])
def test_what_is_not_a_year_to_review(value, error):
    assert rules.year_error(value, TODAY) == error


def test_the_months_of_a_figure_zero_without_events_unknown_after_today():
    values = rules.series(2026, {"2026-03": 4, "2026-12": 1}, dt.date(2026, 7, 9))
    assert values == [0, 0, 4, 0, 0, 0, 0, None, None, None, None, None]
    shares = rules.series(2026, {"2026-03": 0.5}, dt.date(2026, 7, 9), default=None)
    assert shares[:3] == [None, None, 0.5] and len(shares) == 12
    assert None not in rules.series(2025, {}, TODAY)
    assert rules.months_known(2027, TODAY) == 0


def test_the_comparison_with_the_year_before():
    compared = rules.comparison({"a": 5, "share": 0.75, "none": None, "new": 3},
                                {"a": 7, "share": 0.5, "none": 2})
    assert compared["a"] == {"value": 5, "previous": 7, "change": -2}
    assert compared["share"]["change"] == 0.25
    assert compared["none"]["change"] is None
    assert compared["new"] == {"value": 3, "previous": None, "change": None}


def test_shares_round_and_have_no_whole_without_figures():
    assert rules.share(2, 3) == 0.667
    assert rules.share(1, 0) is None and rules.share(None, 3) is None


def test_the_csv_has_one_row_per_month_and_figure_in_the_sections_order():
    rows = list(rules.csv_rows("aix", 2026, {
        "use.views": [1] * 12, "agreement.meetings": [0] * 11 + [None]}))
    assert len(rows) == 24
    assert tuple(rows[0]) == rules.CSV_COLUMNS
    assert [r["section"] for r in rows[:12]] == ["agreement"] * 12
    assert rows[11]["value"] == "" and rows[11]["month"] == "2026-12"
    assert rows[12] == {"organization": "aix", "year": 2026, "month": "2026-01",
                        "section": "use", "figure": "views", "value": 1}


def test_the_period_of_a_year():
    assert rules.period(2024) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert rules.months(2024)[0] == "2024-01" and len(rules.months(2024)) == 12
