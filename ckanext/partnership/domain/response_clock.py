# -*- coding: utf-8 -*-
"""The partner's answer to its users, as plain functions with no CKAN
import (000 §10.1.3: the partner answers comments within 48 hours).

A thread's clock starts at its first message by someone outside the
owning organisation and stops at the first reply by a member of it; a new
question after an answer starts it again. ``due_at`` = start + the
agreement's ``comment_sla_hours``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Optional, Sequence

from ckanext.partnership.domain import sla

AWAITING, ANSWERED, OVERDUE, CLOSED = "awaiting", "answered", "overdue", "closed"
STATES = (AWAITING, ANSWERED, OVERDUE, CLOSED)

#: Why a validator closes a thread.
CLOSE_REASONS = ("no_answer_needed", "abuse")


@dataclass(frozen=True)
class Message:
    """One message of a thread: when, and whether the partner wrote it (a
    member of the owning organisation, or the partner marking a contact
    message answered)."""

    at: dt.datetime
    by_partner: bool


@dataclass(frozen=True)
class Clock:
    state: str
    started_at: Optional[dt.datetime]  # the current (or last) question
    due_at: Optional[dt.datetime]
    answered_at: Optional[dt.datetime]  # the answer to that question
    first_started_at: Optional[dt.datetime]  # the first question
    first_response_at: Optional[dt.datetime]  # its answer
    first_due_at: Optional[dt.datetime]
    on_time: Optional[bool]

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def clock(messages: Iterable[Message], sla_hours: int, now: dt.datetime,
          closed: bool = False) -> Clock:
    """The state of a thread at ``now``."""
    cycles: list[tuple[dt.datetime, Optional[dt.datetime]]] = []
    start: Optional[dt.datetime] = None
    for message in sorted(messages, key=lambda m: m.at):
        if not message.by_partner and start is None:
            start = message.at
        elif message.by_partner and start is not None:
            cycles.append((start, message.at))
            start = None
    if start is not None:
        cycles.append((start, None))
    if not cycles:  # only the partner wrote: nothing to answer
        return Clock(CLOSED if closed else ANSWERED, None, None, None, None, None, None, None)
    first_start, first_answer = cycles[0]
    last_start, last_answer = cycles[-1]
    due = sla.due_at(last_start, sla_hours)
    if closed:
        state = CLOSED
    elif last_answer is not None:
        state = ANSWERED
    else:
        state = OVERDUE if sla.overdue(due, now) else AWAITING
    if last_answer is not None:
        on_time: Optional[bool] = sla.within(due, last_answer)
    elif state == OVERDUE:
        on_time = False
    else:
        on_time = None
    return Clock(state, last_start, due, last_answer, first_start, first_answer,
                 sla.due_at(first_start, sla_hours), on_time)


def stats(clocks: Sequence[Clock]) -> dict[str, Any]:
    """Figures of threads: their first question and its answer.

    :returns: ``{threads, answered, answered_on_time, awaiting, overdue,
        closed, median_first_response_hours}``
    """
    timed = [c for c in clocks if c.first_started_at is not None]
    answered = [c for c in timed if c.first_response_at is not None]
    hours = [sla.hours_between(c.first_started_at, c.first_response_at)  # type: ignore[arg-type]
             for c in answered]
    on_time = sum(1 for c in answered
                  if sla.within(c.first_due_at, c.first_response_at))  # type: ignore[arg-type]
    return {
        "threads": len(timed),
        "answered": len(answered),
        "answered_on_time": on_time,
        "awaiting": sum(1 for c in timed if c.state == AWAITING),
        "overdue": sum(1 for c in timed if c.state == OVERDUE),
        "closed": sum(1 for c in timed if c.state == CLOSED),
        "median_first_response_hours": sla.median_hours(hours),
    }
