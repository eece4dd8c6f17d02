# -*- coding: utf-8 -*-
"""Whether a dataset is as fresh as its update frequency promises (000
§10.1.1 and annex 3 "données fraîches", 002 §2.2): plain functions, no CKAN
import.

The last update is the later of the dataset's ``modified`` and the latest
change of one of its files (date-times count by their day). The update is
expected by ``last update + interval + grace``:

=================================  ==============  =======
frequency                          interval        grace
=================================  ==============  =======
Journalière (DAILY)                1 day           1 day
Continue (CONT)                    1 day           1 day
Temps réel (UPDATE_CONT)           1 day           1 day
Hebdomadaire (WEEKLY)              7 days          2 days
Bi-mensuelle (MONTHLY_2)           15 days         3 days
Mensuelle (MONTHLY)                1 month         7 days
Trimestrielle (QUARTERLY)          3 months        15 days
Bi-annuelle (ANNUAL_2)             6 months        30 days
Annuelle (ANNUAL)                  12 months       30 days
=================================  ==============  =======

Months are calendar months, the day clamped to the month's end (31 January
+ 1 month is the last day of February), as the agreements' calendar adds
them. The grace is about a tenth to a quarter of the interval, at least a
day: a producer publishing "monthly" on the first working day of the month
is not late because of a weekend and a bank holiday (7 days covers the
longest French run of non-working days, Christmas to New Year), a quarterly
or yearly one because its figures are closed a few weeks after the period
ends; a daily or continuous feed one day behind is still fed, two days
behind it has stopped.

``fresh`` when ``today <= expected_by``; ``late`` after, with ``days_late =
(today - expected_by).days`` (1 the day after). The frequencies without an
expected update (Lorsque nécessaire, Non planifiée, Irrégulière, Inconnue),
no frequency or a value outside the vocabulary are ``not_applicable``. A
periodic dataset without any date at all is ``late`` with ``last_update``,
``expected_by`` and ``days_late`` None: it promised updates and nothing shows
that one ever happened (``not_applicable`` would hide it among the datasets
that promised nothing).
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable, NamedTuple, Optional, Union

from .agreement_calendar import add_months
from .vocabularies import EU_FREQUENCY

FRESH = "fresh"
LATE = "late"
NOT_APPLICABLE = "not_applicable"
STATES = (FRESH, LATE, NOT_APPLICABLE)

DAILY = EU_FREQUENCY + "DAILY"
CONT = EU_FREQUENCY + "CONT"
UPDATE_CONT = EU_FREQUENCY + "UPDATE_CONT"
WEEKLY = EU_FREQUENCY + "WEEKLY"
MONTHLY_2 = EU_FREQUENCY + "MONTHLY_2"
MONTHLY = EU_FREQUENCY + "MONTHLY"
QUARTERLY = EU_FREQUENCY + "QUARTERLY"
ANNUAL_2 = EU_FREQUENCY + "ANNUAL_2"
ANNUAL = EU_FREQUENCY + "ANNUAL"
AS_NEEDED = EU_FREQUENCY + "AS_NEEDED"
NOT_PLANNED = EU_FREQUENCY + "NOT_PLANNED"
IRREG = EU_FREQUENCY + "IRREG"
UNKNOWN = EU_FREQUENCY + "UNKNOWN"


class Interval(NamedTuple):
    """An expected interval and its grace: ``months`` calendar months plus
    ``days`` days, then ``grace`` days."""
    days: int
    months: int
    grace: int


#: The frequencies that promise an update, by URI (the table above).
INTERVALS: dict[str, Interval] = {
    DAILY: Interval(1, 0, 1),
    CONT: Interval(1, 0, 1),
    UPDATE_CONT: Interval(1, 0, 1),
    WEEKLY: Interval(7, 0, 2),
    MONTHLY_2: Interval(15, 0, 3),
    MONTHLY: Interval(0, 1, 7),
    QUARTERLY: Interval(0, 3, 15),
    ANNUAL_2: Interval(0, 6, 30),
    ANNUAL: Interval(0, 12, 30),
}

#: The frequencies that promise none.
NO_EXPECTATION = frozenset({AS_NEEDED, NOT_PLANNED, IRREG, UNKNOWN})

Day = Union[dt.date, dt.datetime, None]


class Freshness(NamedTuple):
    state: str
    last_update: Optional[dt.date]
    expected_by: Optional[dt.date]
    days_late: Optional[int]

    def as_dict(self) -> dict[str, object]:
        """The API's form: dates as ISO days."""
        return {"state": self.state,
                "last_update": self.last_update.isoformat() if self.last_update else None,
                "expected_by": self.expected_by.isoformat() if self.expected_by else None,
                "days_late": self.days_late}


def _day(value: Day) -> Optional[dt.date]:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def last_update(modified: Day, file_changes: Iterable[Day] = ()) -> Optional[dt.date]:
    """The later of ``modified`` and the latest file change, as a day."""
    days = [d for d in (_day(v) for v in (modified, *file_changes)) if d is not None]
    return max(days) if days else None


def expected_by(frequency: Optional[str], last: Optional[dt.date]) -> Optional[dt.date]:
    """The last day on which the dataset is still fresh; None without an
    expectation or without a last update."""
    interval = INTERVALS.get(frequency or "")
    if interval is None or last is None:
        return None
    return add_months(last, interval.months) + dt.timedelta(days=interval.days + interval.grace)


def assess(frequency: Optional[str], modified: Day, file_changes: Iterable[Day],
           today: dt.date) -> Freshness:
    """The freshness of a dataset on ``today`` (see the module's rules)."""
    last = last_update(modified, file_changes)
    if frequency not in INTERVALS:
        return Freshness(NOT_APPLICABLE, last, None, None)
    due = expected_by(frequency, last)
    if due is None:
        return Freshness(LATE, None, None, None)
    if today <= due:
        return Freshness(FRESH, last, due, None)
    return Freshness(LATE, last, due, (today - due).days)
