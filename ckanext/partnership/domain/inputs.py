# -*- coding: utf-8 -*-
"""Limits on what people type in: plain functions, no CKAN import.

Text is stored in PostgreSQL as UTF-8: a NUL character cannot be stored
at all, and a lone UTF-16 surrogate (U+D800 to U+DFFF, which JSON lets a
client send as ``"\\ud800"``) cannot be encoded. Whole numbers go into
PostgreSQL ``integer`` or ``bigint`` columns and must fit them. The
validators of ``logic/validators.py`` turn each problem into a message
naming the field.
"""
from __future__ import annotations

import json
from typing import Any, Optional

# The longest value of each kind of text, in characters.
ID_LENGTH = 100  # ids and names of CKAN objects (CKAN's own names are at most 100)
NAME_LENGTH = 200  # a person's name, a subject, a reference
EMAIL_LENGTH = 254  # RFC 5321
TITLE_LENGTH = 500
URL_LENGTH = 2000
MESSAGE_LENGTH = 5000  # a comment, a contact message, a refusal's message
LONG_TEXT_LENGTH = 50000  # a summary, committee minutes
# A Table Schema given in a resource's ``schema`` (inline or uploaded), as
# stored (``json.dumps``): the largest SCDL schema takes about 20,000.
TABLE_SCHEMA_LENGTH = 100000

# The largest values of PostgreSQL's integer types.
INTEGER_MAX = 2**31 - 1
BIGINT_MAX = 2**63 - 1

# Sensible ranges of the agreements' numbers.
SLA_HOURS = (1, 24 * 365)  # one hour to a year
MONTHS = (0, 1200)  # up to a hundred years
DAYS = (0, 36525)  # up to a hundred years
QUOTA = (0, BIGINT_MAX)

# Lists: an action returns at most LIMIT[1] rows per call (DEFAULT_LIMIT
# when ``limit`` is not given), from ``offset``; a page shows PAGE_SIZE.
LIMIT = (1, 1000)
DEFAULT_LIMIT = 100
OFFSET = (0, INTEGER_MAX)
PAGE_SIZE = 50

NUL = "nul"
SURROGATE = "surrogate"
TOO_LONG = "too_long"


def _surrogate(text: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in text)


def text_problem(value: Any, max_length: Optional[int] = None) -> Optional[str]:
    """What keeps ``value`` from being stored as text: ``nul``,
    ``surrogate``, ``too_long`` (more than ``max_length`` characters), or
    None. Values that are not text are not this function's business."""
    if not isinstance(value, str):
        return None
    if "\x00" in value:
        return NUL
    if _surrogate(value):
        return SURROGATE
    if max_length is not None and len(value) > max_length:
        return TOO_LONG
    return None


def whole_number(value: Any, minimum: int, maximum: int) -> Optional[int]:
    """``value`` as a whole number from ``minimum`` to ``maximum``, or None
    when it is not one (a boolean, a fraction, text that is not a number,
    out of range)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text.lstrip("+-").isdigit() or len(text) > 40:
            return None
        value = int(text)
    elif not isinstance(value, int):
        return None
    return value if minimum <= value <= maximum else None


def page_number(value: Any) -> int:
    """The page asked for in a URL (``?page=``), from 1; anything that is
    not a whole number from 1 is page 1."""
    number = whole_number(value, 1, INTEGER_MAX) if value not in (None, "") else None
    return number or 1


def page_window(page: int, size: int = PAGE_SIZE) -> tuple[int, int]:
    """(limit, offset) of page ``page`` (from 1) of ``size`` rows."""
    return size, (max(1, page) - 1) * size


class JsonSyntaxError(ValueError):
    """Text that is not JSON: ``line`` and ``column`` of the first error."""

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column
        super().__init__(line, column)


def json_value(text: str) -> Any:
    """The value of a JSON text, or JsonSyntaxError where it breaks (line
    1, column 1 for what the parser cannot place, too deep a nesting)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise JsonSyntaxError(error.lineno, error.colno) from None
    except (ValueError, RecursionError):
        raise JsonSyntaxError(1, 1) from None
