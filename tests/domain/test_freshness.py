# -*- coding: utf-8 -*-
"""Freshness as a plain function of the frequency and the dates, without
CKAN or a database: the 13 frequencies at their boundaries."""
from __future__ import annotations

import datetime as dt

import pytest

from ckanext.partnership.domain import freshness
from ckanext.partnership.domain.freshness import assess
from ckanext.partnership.domain.vocabularies import EU_FREQUENCY, FREQUENCIES, values

D = dt.date
F = EU_FREQUENCY
LAST = D(2026, 3, 10)

# frequency, the last fresh day after an update on LAST
PERIODIC = [
    (F + "DAILY", D(2026, 3, 12)),        # 1 day + 1 day of grace
    (F + "CONT", D(2026, 3, 12)),         # as daily
    (F + "UPDATE_CONT", D(2026, 3, 12)),  # as daily
    (F + "WEEKLY", D(2026, 3, 19)),       # 7 + 2
    (F + "MONTHLY_2", D(2026, 3, 28)),    # 15 + 3
    (F + "MONTHLY", D(2026, 4, 17)),      # 10 April + 7
    (F + "QUARTERLY", D(2026, 6, 25)),    # 10 June + 15
    (F + "ANNUAL_2", D(2026, 10, 10)),    # 10 September + 30
    (F + "ANNUAL", D(2027, 4, 9)),        # 10 March 2027 + 30
]
WITHOUT_EXPECTATION = [F + "AS_NEEDED", F + "NOT_PLANNED", F + "IRREG", F + "UNKNOWN",
                       None, "", "http://example.org/weird"]


def test_every_frequency_of_the_vocabulary_is_decided():
    decided = {f for f, _ in PERIODIC} | set(WITHOUT_EXPECTATION)
    assert set(values(FREQUENCIES)) <= decided
    assert len(values(FREQUENCIES)) == 13


@pytest.mark.parametrize("frequency, due", PERIODIC)
def test_fresh_up_to_expected_by_included(frequency, due):
    for today in (LAST, due - dt.timedelta(days=1), due):
        result = assess(frequency, LAST, [], today)
        assert result == freshness.Freshness("fresh", LAST, due, None), today


@pytest.mark.parametrize("frequency, due", PERIODIC)
def test_late_from_the_day_after(frequency, due):
    assert assess(frequency, LAST, [], due + dt.timedelta(days=1)) == \
        freshness.Freshness("late", LAST, due, 1)
    assert assess(frequency, LAST, [], due + dt.timedelta(days=12)).days_late == 12


@pytest.mark.parametrize("frequency", WITHOUT_EXPECTATION)
def test_no_expectation_is_not_applicable(frequency):
    result = assess(frequency, D(2000, 1, 1), [], D(2026, 3, 10))
    assert result == freshness.Freshness("not_applicable", D(2000, 1, 1), None, None)
    assert assess(frequency, None, [], D(2026, 3, 10)).state == "not_applicable"


@pytest.mark.parametrize("last, due", [
    (D(2026, 1, 31), D(2026, 2, 28) + dt.timedelta(days=7)),  # clamped to February's end
    (D(2028, 1, 31), D(2028, 2, 29) + dt.timedelta(days=7)),  # a leap year
    (D(2026, 12, 31), D(2027, 1, 31) + dt.timedelta(days=7)),  # across the year
])
def test_calendar_months_at_month_ends(last, due):
    assert assess(F + "MONTHLY", last, [], due).state == "fresh"
    assert assess(F + "MONTHLY", last, [], due + dt.timedelta(days=1)).days_late == 1


def test_quarterly_from_the_end_of_november():
    # 30 November + 3 months = 28 February, + 15 days
    assert assess(F + "QUARTERLY", D(2026, 11, 30), [], D(2027, 3, 15)).state == "fresh"
    assert assess(F + "QUARTERLY", D(2026, 11, 30), [], D(2027, 3, 16)).days_late == 1


def test_a_later_file_change_is_the_last_update():
    result = assess(F + "MONTHLY", D(2026, 1, 1), [D(2026, 3, 1), D(2026, 2, 1)], D(2026, 3, 20))
    assert (result.state, result.last_update) == ("fresh", D(2026, 3, 1))


def test_a_later_modified_wins_over_older_file_changes():
    result = assess(F + "WEEKLY", D(2026, 3, 1), [D(2026, 1, 1), None], D(2026, 3, 5))
    assert (result.state, result.last_update) == ("fresh", D(2026, 3, 1))


def test_datetimes_count_as_their_day():
    change = dt.datetime(2026, 3, 10, 23, 59, 59)
    result = assess(F + "DAILY", None, [change], D(2026, 3, 12))
    assert result == freshness.Freshness("fresh", D(2026, 3, 10), D(2026, 3, 12), None)
    assert assess(F + "DAILY", dt.datetime(2026, 3, 10, 0, 0), [], D(2026, 3, 13)).days_late == 1


def test_only_file_changes_without_modified():
    assert assess(F + "ANNUAL", None, [D(2026, 3, 10)], D(2027, 4, 9)).state == "fresh"


@pytest.mark.parametrize("frequency, _", PERIODIC)
def test_a_periodic_dataset_without_any_date_is_late_since_unknown(frequency, _):
    assert assess(frequency, None, [], D(2026, 3, 10)) == \
        freshness.Freshness("late", None, None, None)
    assert assess(frequency, None, [None], D(2026, 3, 10)).state == "late"


def test_the_monthly_acceptance_case():
    today = D(2026, 12, 2)
    assert assess(F + "MONTHLY", today - dt.timedelta(days=100), [], today).state == "late"
    assert assess(F + "MONTHLY", today - dt.timedelta(days=1), [], today).state == "fresh"
    assert assess(F + "AS_NEEDED", today - dt.timedelta(days=100), [], today).state == "not_applicable"
