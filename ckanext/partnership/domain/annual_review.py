# -*- coding: utf-8 -*-
"""The steering committee's annual review (000 art. 12, « établir
annuellement le bilan de l'exécution du partenariat »): plain functions,
no CKAN import. The review covers one calendar year; each figure has a
month-by-month series, a total for the year and the same total for the
year before. What the figures count is decided where they are computed
(the statistics the pages and actions already give); here: the year
asked for, the shape of the series, the comparison and the rows of the
CSV export.

A figure is named ``section.figure`` (``publication.published``,
``answers.answered_on_time``): the key of the review's ``series`` and
``previous``, and of the CSV's ``section`` and ``figure`` columns.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterator, Mapping, Optional, Sequence

#: The first year a review can be asked for: before, no portal held data.
FIRST_YEAR = 2000

#: The sections of a review, in the order the page, the PDF and the CSV
#: give them.
SECTIONS = ("agreement", "publication", "answers", "quality", "annex", "quotas", "use")

#: The CSV export's columns: one row per month and figure (``month`` is
#: ``YYYY-MM``; ``value`` is empty for a month without figures).
CSV_COLUMNS = ("organization", "year", "month", "section", "figure", "value")


def year_error(value: Any, today: dt.date) -> Optional[str]:
    """Why ``value`` is not a year a review can be drawn up for (None when
    it is): a whole number from FIRST_YEAR to this year."""
    if isinstance(value, bool):
        return "not_a_year"
    if isinstance(value, int):
        year = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        year = int(value.strip())
    else:
        return "not_a_year"
    if year < FIRST_YEAR or year > today.year:
        return "out_of_range"
    return None


def period(year: int) -> tuple[dt.date, dt.date]:
    """The first and last day of the year (both included)."""
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def months(year: int) -> list[str]:
    """The twelve months of the year, ``YYYY-MM``."""
    return [f"{year:04d}-{m:02d}" for m in range(1, 13)]


def months_known(year: int, today: dt.date) -> int:
    """How many months of the year have begun on ``today`` (12 for a past
    year): the months after them have no figures yet, not zero."""
    if year < today.year:
        return 12
    if year > today.year:
        return 0
    return today.month


def series(year: int, by_month: Mapping[str, Any], today: dt.date,
           default: Any = 0) -> list[Any]:
    """The twelve values of a figure from ``{"YYYY-MM": value}``: a month
    without a value is ``default`` (0 for a count, None for a share or a
    median) up to today's month, None after it (not yet known)."""
    known = months_known(year, today)
    return [by_month.get(month, default) if i < known else None
            for i, month in enumerate(months(year))]


def share(part: Optional[float], whole: Optional[float]) -> Optional[float]:
    """``part / whole`` rounded to 0.001; None when there is no whole."""
    if not whole or part is None:
        return None
    return round(part / whole, 3)


def change(value: Any, previous: Any) -> Optional[float]:
    """How a total moved from the year before: ``value - previous``
    (rounded to 0.001 for shares and medians); None when either is
    unknown."""
    if value is None or previous is None or isinstance(value, bool):
        return None
    if not isinstance(value, (int, float)) or not isinstance(previous, (int, float)):
        return None
    moved = value - previous
    return moved if isinstance(moved, int) else round(moved, 3)


def comparison(totals: Mapping[str, Any], previous: Mapping[str, Any]) -> dict[str, Any]:
    """Each figure of ``totals`` beside its value the year before:
    ``{figure: {"value", "previous", "change"}}``."""
    return {name: {"value": value, "previous": previous.get(name),
                   "change": change(value, previous.get(name))}
            for name, value in totals.items()}


def csv_rows(organization: str, year: int,
             figures: Mapping[str, Sequence[Any]]) -> Iterator[dict[str, Any]]:
    """The CSV export: one row per month and figure, in the order of
    SECTIONS, then of ``figures``; ``figures`` maps ``section.figure`` to
    its twelve monthly values."""
    order = {name: i for i, name in enumerate(SECTIONS)}
    names = sorted(figures, key=lambda n: (order.get(n.split(".", 1)[0], len(order))))
    for name in names:
        section, figure = name.split(".", 1)
        for month, value in zip(months(year), figures[name]):
            yield {"organization": organization, "year": year, "month": month,
                   "section": section, "figure": figure,
                   "value": "" if value is None else value}

