# -*- coding: utf-8 -*-
"""The quotas of an agreement as plain rules, with no CKAN import (002
§3.3: at most 300,000 records per dataset, 20 million records in all,
30 GB of content, 1 GB of updates a day, 300,000 API calls a month shared
by all signatories).

A quota is a figure the portal measures (``used``) against the limit of
the agreement in force (``limit``; None, an empty field, is no limit).
Its share is ``used / limit``; its level:

* ``exceeded`` once ``used`` is past the limit (``used > limit``): the
  limit itself is allowed, as the records-per-dataset check of each file
  allows a dataset of exactly 300,000 records and refuses 300,001;
* ``warning`` from 80 % of the limit up to the limit itself
  (``used ≥ 0.8 × limit``, in whole numbers: ``5 × used ≥ 4 × limit``);
* ``ok`` below, or without a limit.

A limit of 0 allows nothing: nothing used is ``ok`` (share 0), anything
used is ``exceeded``, its share counted against one unit (so it stays a
finite number).

Each quota is measured over a period, and the 80 % mail goes at most once
per quota and period while the figure stays above: the day for
``updates_per_day_bytes`` (key ``2026-12-02``), the month for
``api_calls_per_month`` and for the stock quotas (records, storage; key
``2026-12``), so that a stock that stays above 80 % is told once a month.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

#: The five quotas, in the order every list gives them.
CODES = ("records_per_dataset", "records_total", "storage_bytes",
         "updates_per_day_bytes", "api_calls_per_month")

#: The agreement's field that holds each quota's limit.
FIELDS = {code: f"quota_{code}" for code in CODES}

OK, WARNING, EXCEEDED = "ok", "warning", "exceeded"
LEVELS = (OK, WARNING, EXCEEDED)

#: The warning threshold, as a fraction (4/5 = 80 %).
WARNING_NUMERATOR, WARNING_DENOMINATOR = 4, 5

DAY, MONTH = "day", "month"

#: The period each quota is measured, and told, over.
PERIODS = {
    "records_per_dataset": MONTH,
    "records_total": MONTH,
    "storage_bytes": MONTH,
    "updates_per_day_bytes": DAY,
    "api_calls_per_month": MONTH,
}


def share(used: int, limit: Optional[int]) -> Optional[float]:
    """``used / limit``, rounded to 4 decimals (0.8123 is 81.23 %); None
    without a limit; a limit of 0 counts as one unit."""
    if limit is None:
        return None
    return round(used / max(limit, 1), 4)


def level(used: int, limit: Optional[int]) -> str:
    """``ok``, ``warning`` (from 80 % up to the limit itself) or
    ``exceeded`` (past the limit)."""
    if limit is None:
        return OK
    if used > limit:
        return EXCEEDED
    if used > 0 and WARNING_DENOMINATOR * used >= WARNING_NUMERATOR * limit:
        return WARNING
    return OK


def alert_due(used: int, limit: Optional[int]) -> bool:
    """Whether the quota is at 80 % or more: its mail is due (once per
    period, :func:`period_key`)."""
    return level(used, limit) in (WARNING, EXCEEDED)


def usage(code: str, used: int, limit: Optional[int]) -> dict:
    """``{code, used, limit, share, level}``, as the API gives a quota."""
    if code not in PERIODS:
        raise ValueError(f"unknown quota {code!r}")
    return {"code": code, "used": used, "limit": limit, "share": share(used, limit),
            "level": level(used, limit)}


def period(code: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The period of ``code`` that holds ``today``: ``[start, end)``."""
    if PERIODS[code] == DAY:
        return today, today + dt.timedelta(days=1)
    start = today.replace(day=1)
    end = (start.replace(year=start.year + 1, month=1) if start.month == 12
           else start.replace(month=start.month + 1))
    return start, end


def period_key(code: str, today: dt.date) -> str:
    """The period's key: ``2026-12-02`` for a day, ``2026-12`` for a month."""
    if PERIODS[code] == DAY:
        return today.isoformat()
    return f"{today.year:04d}-{today.month:02d}"


def month_key(today: dt.date) -> str:
    """The month's key, ``2026-12`` (the API calls' counter)."""
    return period_key("api_calls_per_month", today)
