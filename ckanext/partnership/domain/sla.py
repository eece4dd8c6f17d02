# -*- coding: utf-8 -*-
"""Service-level clocks, as plain functions with no CKAN import.

The agreements promise answers within a number of calendar hours: the
host decides a publication within 48 hours (002 §4.2.1), the partner
answers a comment within 48 hours (000 §10.1.3). Every page, action,
reminder and figure reads those clocks from here.

Instants are naive UTC ``datetime`` values, as the database stores them.
"""
from __future__ import annotations

import datetime as dt
import statistics
from typing import Iterable, Optional

#: Hours before a deadline at which the reminder goes out.
REMINDER_HOURS = 12


def due_at(start: dt.datetime, hours: int) -> dt.datetime:
    """The deadline of a clock started at ``start``: calendar hours, nights
    and week-ends included."""
    return start + dt.timedelta(hours=hours)


def remaining_seconds(due: dt.datetime, now: dt.datetime) -> int:
    """Seconds left before ``due``; negative once it has passed."""
    return int((due - now).total_seconds())


def overdue(due: dt.datetime, now: dt.datetime) -> bool:
    """Whether the deadline has passed (the deadline itself is on time)."""
    return now > due


def within(due: dt.datetime, done: dt.datetime) -> bool:
    """Whether something done at ``done`` kept the deadline ``due``."""
    return done <= due


def reminder_due(due: dt.datetime, now: dt.datetime,
                 hours_before: int = REMINDER_HOURS) -> bool:
    """Whether the reminder of a pending deadline is due: from
    ``hours_before`` hours before it until it passes."""
    return due - dt.timedelta(hours=hours_before) <= now <= due


def hours_between(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).total_seconds() / 3600


def median_hours(durations: Iterable[float]) -> Optional[float]:
    """The median of durations in hours, rounded to 0.1; None when there
    are none."""
    values = list(durations)
    if not values:
        return None
    return round(statistics.median(values), 1)


def split_duration(seconds: int) -> tuple[int, int, int]:
    """(days, hours, minutes) of a duration, whatever its sign."""
    minutes = abs(int(seconds)) // 60
    return minutes // 1440, (minutes % 1440) // 60, minutes % 60
