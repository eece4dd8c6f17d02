# -*- coding: utf-8 -*-
"""Freshness: the 13 frequencies and their boundaries, without a database."""
import datetime as dt

import pytest

from ckanext.partnership.domain import freshness as f
from ckanext.partnership.domain.vocabularies import FREQUENCIES, values

D = dt.date

# frequency, last update, the last fresh day
PERIODIC = [
    (f.DAILY, D(2026, 3, 10), D(2026, 3, 12)),
    (f.CONT, D(2026, 3, 10), D(2026, 3, 12)),
    (f.UPDATE_CONT, D(2026, 3, 10), D(2026, 3, 12)),
    (f.WEEKLY, D(2026, 3, 10), D(2026, 3, 19)),
    (f.MONTHLY_2, D(2026, 3, 10), D(2026, 3, 28)),
    (f.MONTHLY, D(2026, 3, 10), D(2026, 4, 17)),
    (f.QUARTERLY, D(2026, 3, 10), D(2026, 6, 25)),
    (f.ANNUAL_2, D(2026, 3, 10), D(2026, 10, 10)),
    (f.ANNUAL, D(2026, 3, 10), D(2027, 4, 9)),
]
NONE = [f.AS_NEEDED, f.NOT_PLANNED, f.IRREG, f.UNKNOWN]


def test_the_table_covers_the_13_frequencies_once():
    assert sorted([p[0] for p in PERIODIC] + NONE) == sorted(values(FREQUENCIES))
    assert set(f.INTERVALS) | f.NO_EXPECTATION == set(values(FREQUENCIES))
    assert not set(f.INTERVALS) & f.NO_EXPECTATION


@pytest.mark.parametrize("frequency,last,due", PERIODIC)
def test_fresh_on_the_last_day_late_by_one_the_day_after(frequency, last, due):
    """A dataset is fresh up to the last day its update frequency allows and one day
    late the day after (000 §10.1.1, 002 §2.2)."""
    assert f.assess(frequency, last, [], due) == f.Freshness("fresh", last, due, None)
    assert f.assess(frequency, last, [], due + dt.timedelta(days=1)) == f.Freshness(
        "late", last, due, 1)
    assert f.assess(frequency, last, [], last).state == "fresh"


@pytest.mark.parametrize("frequency,last,due", PERIODIC)
def test_days_late_count_from_the_expected_day(frequency, last, due):
    assert f.assess(frequency, last, [], due + dt.timedelta(days=40)).days_late == 40


@pytest.mark.parametrize("frequency", NONE + [None, "", "http://example.org/WEEKLY"])
def test_no_expectation_is_not_applicable(frequency):
    result = f.assess(frequency, D(2020, 1, 1), [D(2020, 2, 1)], D(2026, 1, 1))
    assert result == f.Freshness("not_applicable", D(2020, 2, 1), None, None)


@pytest.mark.parametrize("frequency", NONE)
def test_no_expectation_without_dates_is_not_applicable(frequency):
    assert f.assess(frequency, None, [], D(2026, 1, 1)) == f.Freshness(
        "not_applicable", None, None, None)


@pytest.mark.parametrize("frequency,last,due", PERIODIC)
def test_a_periodic_dataset_without_any_date_is_late(frequency, last, due):
    assert f.assess(frequency, None, [None], D(2026, 1, 1)) == f.Freshness(
        "late", None, None, None)


def test_months_end_on_the_last_day_of_a_shorter_month():
    # 31 January + 1 month = 28 February (+ 7 days of grace)
    assert f.expected_by(f.MONTHLY, D(2026, 1, 31)) == D(2026, 3, 7)
    assert f.expected_by(f.MONTHLY, D(2028, 1, 31)) == D(2028, 3, 7)  # 29 February
    assert f.expected_by(f.QUARTERLY, D(2026, 11, 30)) == D(2027, 3, 15)
    assert f.expected_by(f.ANNUAL, D(2028, 2, 29)) == D(2029, 3, 30)


def test_the_later_of_modified_and_the_file_changes():
    result = f.assess(f.MONTHLY, D(2026, 1, 1), [D(2026, 2, 1), None, D(2025, 12, 1)],
                      D(2026, 3, 8))
    assert result == f.Freshness("fresh", D(2026, 2, 1), D(2026, 3, 8), None)
    # a file changed before modified does not make it older
    result = f.assess(f.MONTHLY, D(2026, 2, 1), [D(2026, 1, 1)], D(2026, 3, 9))
    assert result == f.Freshness("late", D(2026, 2, 1), D(2026, 3, 8), 1)
    # only a file change: it is the last update
    assert f.assess(f.WEEKLY, None, [D(2026, 2, 1)], D(2026, 2, 2)).last_update == D(2026, 2, 1)


def test_date_times_count_by_their_day():
    result = f.assess(f.DAILY, dt.datetime(2026, 3, 10, 23, 59),
                      [dt.datetime(2026, 3, 9, 8, 0)], D(2026, 3, 12))
    assert result == f.Freshness("fresh", D(2026, 3, 10), D(2026, 3, 12), None)
    assert f.assess(f.DAILY, None, [dt.datetime(2026, 3, 10, 0, 1)],
                    D(2026, 3, 13)).days_late == 1


def test_as_dict_gives_iso_days():
    assert f.assess(f.MONTHLY, D(2026, 1, 31), [], D(2026, 3, 10)).as_dict() == {
        "state": "late", "last_update": "2026-01-31", "expected_by": "2026-03-07",
        "days_late": 3}
