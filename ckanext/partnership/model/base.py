# -*- coding: utf-8 -*-
"""What every table module uses: the time rows are stamped with, and rows
and times as the API returns them."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

__all__ = ["now", "iso", "as_dict"]


def now() -> dt.datetime:
    """The current time in UTC, naive, as the tables store it."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


#: The name the code has always used (column defaults, clocks).
_now = now


def iso(value: Optional[dt.datetime]) -> Optional[str]:
    """A stored (naive, UTC) time in ISO 8601 with its offset; None stays None."""
    return value.replace(tzinfo=dt.timezone.utc).isoformat() if value else None


def as_dict(obj: Any) -> dict[str, Any]:
    """A row as a dict of JSON-ready values (dates ISO 8601)."""
    out: dict[str, Any] = {}
    for column in obj.__table__.columns:
        value = getattr(obj, column.name)
        if isinstance(value, dt.datetime):
            value = iso(value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        out[column.name] = value
    return out
