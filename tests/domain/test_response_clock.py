# -*- coding: utf-8 -*-
"""The partner's answer clock as a plain function, without CKAN or a
database (000 §10.1.3: the partner answers within 48 hours)."""
from __future__ import annotations

import datetime as dt

import pytest

from ckanext.partnership.domain.response_clock import Clock, Message, clock, stats

T0 = dt.datetime(2026, 11, 20, 9, 0)
H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)
NOW = T0 + 100 * H


def user(after):
    return Message(T0 + after, by_partner=False)


def partner(after):
    return Message(T0 + after, by_partner=True)


@pytest.mark.parametrize("messages, now, state, on_time", [
    # a question, then nothing
    ([user(0 * H)], T0 + 47 * H, "awaiting", None),
    ([user(0 * H)], T0 + 48 * H, "awaiting", None),  # the deadline itself
    ([user(0 * H)], T0 + 48 * H + M, "overdue", False),
    # replies inside the organisation stop the clock, at 47h59 and 48h01
    ([user(0 * H), partner(47 * H + 59 * M)], NOW, "answered", True),
    ([user(0 * H), partner(48 * H)], NOW, "answered", True),
    ([user(0 * H), partner(48 * H + M)], NOW, "answered", False),
    # replies outside the organisation do not
    ([user(0 * H), user(2 * H), user(3 * H)], T0 + 10 * H, "awaiting", None),
    ([user(0 * H), user(47 * H)], T0 + 49 * H, "overdue", False),
    # a thread the partner started and nobody asked in: nothing to answer
    ([partner(0 * H)], NOW, "answered", None),
    # the partner speaks first, then a question: the clock starts at the question
    ([partner(0 * H), user(10 * H)], T0 + 57 * H, "awaiting", None),
    ([partner(0 * H), user(10 * H)], T0 + 58 * H + M, "overdue", False),
])
def test_the_clock(messages, now, state, on_time):
    """A question is awaiting, then overdue past 48 hours, and answered on time or late
    by the partner's first reply (000 §10.1.3)."""
    result = clock(messages, 48, now)
    assert (result.state, result.on_time) == (state, on_time)


def test_it_starts_at_the_first_question_outside_the_organisation():
    result = clock([user(5 * H), user(6 * H), partner(7 * H)], 48, NOW)
    assert result.started_at == T0 + 5 * H
    assert result.due_at == T0 + 53 * H
    assert result.first_response_at == T0 + 7 * H


def test_a_new_question_after_an_answer_reopens_the_thread():
    messages = [user(0 * H), partner(2 * H), user(30 * H)]
    reopened = clock(messages, 48, T0 + 40 * H)
    assert reopened.state == "awaiting"
    assert reopened.started_at == T0 + 30 * H and reopened.due_at == T0 + 78 * H
    # the first answer stays what it was: 2 hours, on time
    assert reopened.first_response_at == T0 + 2 * H
    assert clock(messages, 48, T0 + 78 * H + M).state == "overdue"
    answered_late = clock(messages + [partner(80 * H)], 48, NOW)
    assert (answered_late.state, answered_late.on_time) == ("answered", False)
    assert answered_late.first_response_at == T0 + 2 * H


def test_a_closed_thread_is_closed_whatever_its_clock():
    assert clock([user(0 * H)], 48, NOW, closed=True).state == "closed"
    assert clock([user(0 * H), partner(1 * H)], 48, NOW, closed=True).state == "closed"


def test_the_deadline_is_the_agreements():
    assert clock([user(0 * H)], 72, T0 + 71 * H).state == "awaiting"
    assert clock([user(0 * H)], 24, T0 + 25 * H).state == "overdue"


def test_figures_read_the_first_question_and_its_answer():
    clocks = [
        clock([user(0 * H), partner(2 * H)], 48, NOW),  # on time, 2 h
        clock([user(0 * H), partner(50 * H)], 48, NOW),  # late, 50 h
        clock([user(0 * H), partner(1 * H), user(60 * H)], 48, NOW),  # reopened, 1 h
        clock([user(90 * H)], 48, NOW),  # awaiting
        clock([user(0 * H)], 48, NOW),  # overdue
        clock([user(0 * H)], 48, NOW, closed=True),  # closed
        clock([partner(0 * H)], 48, NOW),  # nothing asked: not counted
    ]
    assert stats(clocks) == {
        "threads": 6, "answered": 3, "answered_on_time": 2, "awaiting": 2,
        "overdue": 1, "closed": 1, "median_first_response_hours": 2.0,
    }
    assert stats([])["median_first_response_hours"] is None
    assert isinstance(clocks[0], Clock)
