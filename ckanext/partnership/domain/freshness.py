# -*- coding: utf-8 -*-
"""Whether a dataset is kept up to date as its declared frequency promises
(000 §10.1.1 and annex 3 "données fraîches", 002 §2.2): plain functions, no
CKAN import.

The **last update** is the later of the dataset's ``modified`` date and the
latest change of one of its files, both taken as days. The dataset is
**expected** to be updated again by::

    expected_by = last_update + interval + grace

where the interval is the frequency's (calendar months are added as
:func:`agreement_calendar.add_months` adds them: 31 January + 1 month is the
last day of February):

==============  =====================  ========
frequency       interval               grace
==============  =====================  ========
DAILY           1 day                  1 day
CONT            1 day (as daily)       1 day
UPDATE_CONT     1 day (as daily)       1 day
WEEKLY          7 days                 2 days
MONTHLY_2       15 days (half a month) 3 days
MONTHLY         1 month                7 days
QUARTERLY       3 months               15 days
ANNUAL_2        6 months               30 days
ANNUAL          12 months              30 days
==============  =====================  ========

The grace period absorbs what a partner does not control and the portal
cannot see: a weekend or a bank holiday for the short periods (a daily file
published on Monday for Saturday is one day late, not two), the week a
monthly statistic takes to be closed, the fortnight a quarterly one takes,
the month a yearly report takes to be voted or checked. It is about a
quarter of the interval for the short periods and falls to about a twelfth
for the year, so that a dataset is never said fresh for much longer than its
promise.

A dataset is ``fresh`` while ``today <= expected_by`` and ``late`` from the
day after, ``days_late`` counting from ``expected_by`` (the day after is
1; None while fresh).
AS_NEEDED, NOT_PLANNED, IRREG, UNKNOWN and no frequency at all promise no
date: ``not_applicable``. A periodic dataset without any date at all (no
``modified``, no file) has never shown an update: it is ``late``, with
``last_update``, ``expected_by`` and ``days_late`` None, since nothing says
since when.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Iterable, Optional, Union

from .agreement_calendar import add_months
from .vocabularies import EU_FREQUENCY

__all__ = ["FRESH", "LATE", "NOT_APPLICABLE", "STATES", "INTERVALS", "GRACE_DAYS",
           "Freshness", "assess", "expected_by", "last_update", "is_periodic"]

FRESH = "fresh"
LATE = "late"
NOT_APPLICABLE = "not_applicable"
STATES = (FRESH, LATE, NOT_APPLICABLE)

#: The expected interval of each periodic frequency: (months, days).
INTERVALS: dict[str, tuple[int, int]] = {
    EU_FREQUENCY + "DAILY": (0, 1),
    EU_FREQUENCY + "CONT": (0, 1),
    EU_FREQUENCY + "UPDATE_CONT": (0, 1),
    EU_FREQUENCY + "WEEKLY": (0, 7),
    EU_FREQUENCY + "MONTHLY_2": (0, 15),
    EU_FREQUENCY + "MONTHLY": (1, 0),
    EU_FREQUENCY + "QUARTERLY": (3, 0),
    EU_FREQUENCY + "ANNUAL_2": (6, 0),
    EU_FREQUENCY + "ANNUAL": (12, 0),
}

#: The grace period of each periodic frequency, in days (see above).
GRACE_DAYS: dict[str, int] = {
    EU_FREQUENCY + "DAILY": 1,
    EU_FREQUENCY + "CONT": 1,
    EU_FREQUENCY + "UPDATE_CONT": 1,
    EU_FREQUENCY + "WEEKLY": 2,
    EU_FREQUENCY + "MONTHLY_2": 3,
    EU_FREQUENCY + "MONTHLY": 7,
    EU_FREQUENCY + "QUARTERLY": 15,
    EU_FREQUENCY + "ANNUAL_2": 30,
    EU_FREQUENCY + "ANNUAL": 30,
}

Day = Union[dt.date, dt.datetime]


@dataclasses.dataclass(frozen=True)
class Freshness:
    state: str
    last_update: Optional[dt.date]
    expected_by: Optional[dt.date]
    days_late: Optional[int]


def is_periodic(frequency: Optional[str]) -> bool:
    """Whether the frequency promises a date (the nine of :data:`INTERVALS`)."""
    return (frequency or "") in INTERVALS


def _day(value: Day) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def last_update(modified: Optional[Day], file_changes: Iterable[Optional[Day]] = ()
                ) -> Optional[dt.date]:
    """The later of ``modified`` and the latest file change, as a day; None
    without any date."""
    days = [_day(d) for d in (modified, *file_changes) if d is not None]
    return max(days) if days else None


def expected_by(frequency: Optional[str], last: Optional[dt.date]) -> Optional[dt.date]:
    """The last day the dataset is fresh: ``last + interval + grace``; None
    for a frequency without expectation or without a last update."""
    if not is_periodic(frequency) or last is None:
        return None
    months, days = INTERVALS[frequency]  # type: ignore[index]
    return add_months(last, months) + dt.timedelta(days=days + GRACE_DAYS[frequency])  # type: ignore[index]


def assess(frequency: Optional[str], modified: Optional[Day],
           file_changes: Iterable[Optional[Day]], today: dt.date) -> Freshness:
    """The freshness of a dataset on ``today`` (see the module's rules)."""
    last = last_update(modified, file_changes)
    if not is_periodic(frequency):
        return Freshness(NOT_APPLICABLE, last, None, None)
    due = expected_by(frequency, last)
    if due is None:
        return Freshness(LATE, None, None, None)
    if today <= due:
        return Freshness(FRESH, last, due, None)
    return Freshness(LATE, last, due, (today - due).days)
