# -*- coding: utf-8 -*-
"""What text and numbers can be stored (``inputs.py``), as plain functions:
no database, no CKAN."""
from __future__ import annotations

import pytest

from ckanext.partnership.domain import inputs

TEXTS = [
    # value, longest length, problem
    ("Bonjour", None, None),
    ("Réponse à « l'usager » 😀", 200, None),  # a pair of surrogates in JSON is one character
    ("", 10, None),
    ("a\x00b", None, inputs.NUL),
    ("\x00", 10, inputs.NUL),
    ("a\ud800b", None, inputs.SURROGATE),
    ("\udfff", 10, inputs.SURROGATE),
    ("x" * 201, 200, inputs.TOO_LONG),
    ("x" * 200, 200, None),
    (12, 1, None),  # not text: other validators' business
    (None, 1, None),
]


@pytest.mark.parametrize("value, max_length, problem", TEXTS)
def test_text_problem(value, max_length, problem):
    assert inputs.text_problem(value, max_length) == problem


NUMBERS = [
    # value, minimum, maximum, result
    (48, 1, 8760, 48),
    ("48", 1, 8760, 48),
    (" 8760 ", 1, 8760, 8760),
    (48.0, 1, 8760, 48),
    (0, 1, 8760, None),  # an SLA of 0 hours
    (8761, 1, 8760, None),  # more than a year
    (2**31, *inputs.SLA_HOURS, None),
    (-1, 0, inputs.BIGINT_MAX, None),
    (inputs.BIGINT_MAX, 0, inputs.BIGINT_MAX, inputs.BIGINT_MAX),
    (2**63, 0, inputs.BIGINT_MAX, None),
    (str(2**63), 0, inputs.BIGINT_MAX, None),
    ("9" * 5000, 0, inputs.BIGINT_MAX, None),
    (1.5, 0, 10, None),
    (float("inf"), 0, 10, None),
    (float("nan"), 0, 10, None),
    (True, 0, 10, None),
    ("douze", 0, 10, None),
    ("1e3", 0, 10000, None),
    ([3], 0, 10, None),
]


@pytest.mark.parametrize("value, minimum, maximum, result", NUMBERS)
def test_whole_number(value, minimum, maximum, result):
    assert inputs.whole_number(value, minimum, maximum) == result


def test_the_ranges_fit_their_columns():
    assert inputs.SLA_HOURS == (1, 8760)
    assert inputs.MONTHS[1] <= inputs.INTEGER_MAX
    assert inputs.QUOTA == (0, 2**63 - 1)  # bigint


@pytest.mark.parametrize("value, page", [
    (None, 1), ("", 1), ("1", 1), ("3", 3), (" 7 ", 7), ("0", 1), ("-2", 1), ("2.5", 1),
    ("abc", 1), ("9" * 50, 1),
])
def test_a_page_number_from_a_url_is_a_whole_number_from_1(value, page):
    assert inputs.page_number(value) == page


def test_a_page_window_is_its_rows_from_the_first_of_the_page():
    assert inputs.page_window(1) == (inputs.PAGE_SIZE, 0)
    assert inputs.page_window(3, 20) == (20, 40)
    assert inputs.page_window(0, 20) == (20, 0)
