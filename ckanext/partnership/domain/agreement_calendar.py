# -*- coding: utf-8 -*-
"""The calendar of a partnership agreement: plain functions, no CKAN import.

The rules are the contract's (shared API, "Agreements"). With E the date of
entry into force (``effective_on``), T the initial term and R the renewal
term, in calendar months added as ``dateutil.relativedelta`` adds them:

* period 0 is [E, E+T); period i ≥ 1 is [E+T+(i−1)R, E+T+iR), each month
  count added to E itself;
* with ``max_total_months`` M no period runs past E+M, and the final end is
  E+M minus one day;
* a period's ``current_period_end`` is its exclusive end minus one day;
* ``notice_deadline`` is the exclusive end of the current period minus
  ``notice_months``: the last day on which notice still stops the next
  renewal;
* ``next_renewal_on`` is the exclusive end of the current period when a tacit
  renewal follows it, else None;
* an ``indefinite`` agreement has no period end and no final end;
* a termination for breach takes effect ``breach_notice_days`` after the
  formal notice left unheeded (000 §17.1: 30 days), one for force majeure
  ``force_majeure_months`` after the event began (000 §20.1: two months),
  when the agreement sets these delays; else on the date the parties set.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping, Optional

from dateutil.relativedelta import relativedelta

#: The names an agreement is written with (its form, its actions, the API).
CONTACT_ROLES = ("publisher", "producer", "referent", "host_referent", "committee")
PUBLICATION_MODES = ("validated", "autonomous")
END_POLICIES = ("keep", "withdraw")
STATES = ("draft", "active", "terminating", "ended")
TERMS = ("indefinite", "fixed")
RENEWALS = ("none", "tacit")
TERMINATION_REASONS = (
    "notice", "anniversary", "mutual", "breach", "convenience", "force_majeure",
    "end_of_service",
)
#: The terms an agreement records, that an amendment changes (000 §7.3,
#: 003 art. 11, 004 art. 13) and whose every change is kept in their history.
AGREEMENT_TERMS = (
    "term", "initial_term_months", "renewal", "renewal_term_months", "max_total_months",
    "notice_months", "publication_mode", "validation_sla_hours", "comment_sla_hours",
    "allowed_licenses", "quota_records_per_dataset", "quota_records_total",
    "quota_storage_bytes", "quota_updates_per_day_bytes", "quota_api_calls_per_month",
    "end_policy", "breach_notice_days", "force_majeure_months",
)
# The states of an agreement in force: its rules govern the partner's datasets.
IN_FORCE = ("active", "terminating")
# Reasons whose effective date the parties set (API: required for them).
# (breach and force majeure: unless the agreement sets their delay)
REASONS_WITH_GIVEN_DATE = ("mutual", "breach", "convenience", "force_majeure",
                           "end_of_service")


class CalendarError(ValueError):
    """Terms or a termination that the rules cannot apply to; ``field``
    names the input at fault."""

    def __init__(self, field: str, message: str, earliest: Optional[dt.date] = None):
        super().__init__(message)
        self.field = field
        self.message = message
        #: for a termination dated before the agreement's delay: the
        #: earliest date it may take effect
        self.earliest = earliest


@dataclass(frozen=True)
class Terms:
    effective_on: dt.date
    term: str = "fixed"
    initial_term_months: Optional[int] = None
    renewal: str = "none"
    renewal_term_months: Optional[int] = None
    max_total_months: Optional[int] = None
    notice_months: Optional[int] = None
    #: the delay of a formal notice before a termination for breach
    #: (000 §17.1: 30 days); None: the parties set the date
    breach_notice_days: Optional[int] = None
    #: how long force majeure lasts before it ends the agreement (000
    #: §20.1: two months); None: the parties set the date
    force_majeure_months: Optional[int] = None

    def check(self) -> None:
        """Raise CalendarError for terms the rules cannot apply to."""
        if self.term not in TERMS:
            raise CalendarError("term", f"term must be one of {', '.join(TERMS)}")
        if self.renewal not in RENEWALS:
            raise CalendarError("renewal", f"renewal must be one of {', '.join(RENEWALS)}")
        for name in ("initial_term_months", "renewal_term_months", "max_total_months",
                     "notice_months", "force_majeure_months", "breach_notice_days"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 0):
                unit = "days" if name.endswith("_days") else "months"
                raise CalendarError(name, f"{name} must be a whole number of {unit}")
        if self.term == "fixed" and not self.initial_term_months:
            raise CalendarError("initial_term_months", "a fixed term needs its length in months")
        if self.term == "indefinite" and self.renewal == "tacit":
            raise CalendarError("renewal", "an indefinite agreement is not renewed")
        if self.renewal == "tacit" and not self.renewal_term_months:
            raise CalendarError("renewal_term_months", "a tacit renewal needs its term in months")
        if self.max_total_months is not None and self.initial_term_months and (
            self.max_total_months < self.initial_term_months
        ):
            raise CalendarError(
                "max_total_months", "the maximum duration is shorter than the initial term"
            )


@dataclass(frozen=True)
class Calendar:
    current_period_start: dt.date
    current_period_end: Optional[dt.date]
    next_renewal_on: Optional[dt.date]
    notice_deadline: Optional[dt.date]
    final_end: Optional[dt.date]

    def as_dict(self) -> dict[str, Optional[str]]:
        return {
            k: (v.isoformat() if v else None) for k, v in self.__dict__.items()
        }


def add_months(start: dt.date, months: int) -> dt.date:
    """``start`` plus calendar months, the day clamped to the month's end
    (31 January + 1 month = 28 or 29 February)."""
    return start + relativedelta(months=months)


_months = add_months


def _limit(terms: Terms) -> Optional[dt.date]:
    """E+M: the day no period runs past, or None."""
    if terms.max_total_months is None:
        return None
    return _months(terms.effective_on, terms.max_total_months)


def _period(terms: Terms, index: int) -> tuple[dt.date, dt.date]:
    """[start, exclusive end) of period ``index``, cut at E+M."""
    e, t, r = terms.effective_on, terms.initial_term_months or 0, terms.renewal_term_months or 0
    if index == 0:
        start, end = e, _months(e, t)
    else:
        start, end = _months(e, t + (index - 1) * r), _months(e, t + index * r)
    limit = _limit(terms)
    if limit is not None and end > limit:
        end = limit
    return start, end


def _last_index(terms: Terms) -> Optional[int]:
    """The index of the last possible period, or None when renewals never
    stop."""
    if terms.renewal != "tacit":
        return 0
    limit = _limit(terms)
    if limit is None:
        return None
    index = 0
    while _period(terms, index)[1] < limit:
        index += 1
    return index


def _index_at(terms: Terms, at: dt.date) -> int:
    """The period that ``at`` falls in (0 before the start, the last one
    after the end)."""
    last = _last_index(terms)
    index = 0
    while (last is None or index < last) and at >= _period(terms, index)[1]:
        index += 1
    return index


def _notice_deadline(terms: Terms, exclusive_end: dt.date) -> dt.date:
    return exclusive_end - relativedelta(months=terms.notice_months or 0)


def calendar(terms: Terms, at: dt.date) -> Calendar:
    """The calendar of an agreement on day ``at``."""
    terms.check()
    if terms.term == "indefinite":
        return Calendar(terms.effective_on, None, None, None, None)
    last = _last_index(terms)
    index = _index_at(terms, at)
    start, end = _period(terms, index)
    renews = terms.renewal == "tacit" and (last is None or index < last)
    if last is None:
        final_end = None
    else:
        final_end = _period(terms, last)[1] - dt.timedelta(days=1)
    return Calendar(
        current_period_start=start,
        current_period_end=end - dt.timedelta(days=1),
        next_renewal_on=end if renews else None,
        notice_deadline=_notice_deadline(terms, end) if renews else None,
        final_end=final_end,
    )


def computed_termination_date(terms: Terms, reason: str,
                              notified_on: dt.date) -> Optional[dt.date]:
    """The date a termination for ``reason`` takes effect by the agreement's
    own delays, or None when the parties set it: for ``breach``,
    ``notified_on`` (the formal notice) + ``breach_notice_days`` (000 §17.1);
    for ``force_majeure``, ``notified_on`` (the start of the event) +
    ``force_majeure_months`` (000 §20.1)."""
    if reason == "breach" and terms.breach_notice_days is not None:
        return notified_on + dt.timedelta(days=terms.breach_notice_days)
    if reason == "force_majeure" and terms.force_majeure_months is not None:
        return _months(notified_on, terms.force_majeure_months)
    return None


def termination_effective_on(
    terms: Terms,
    reason: str,
    notified_on: dt.date,
    effective_on: Optional[dt.date] = None,
) -> dt.date:
    """The first day the agreement is no longer in force.

    * ``notice``, on an indefinite agreement: ``notified_on`` + notice;
    * ``anniversary``: the exclusive end of the period current on
      ``notified_on`` if notice came by its deadline, else the exclusive end
      of the next one (never past E+M);
    * ``breach`` and ``force_majeure``, when the agreement sets their delay:
      :func:`computed_termination_date`, or a later ``effective_on``; an
      earlier one is refused (``CalendarError.earliest`` tells the date);
    * ``mutual``, ``convenience``, ``end_of_service``, and ``breach`` and
      ``force_majeure`` without their delay: the date the parties set
      (``effective_on``), required.
    """
    terms.check()
    if reason not in TERMINATION_REASONS:
        raise CalendarError("reason", f"reason must be one of {', '.join(TERMINATION_REASONS)}")
    computed = computed_termination_date(terms, reason, notified_on)
    if computed is not None:
        if effective_on is None:
            return computed
        if effective_on < computed:
            raise CalendarError(
                "effective_on", f"a termination for {reason} takes effect on "
                f"{computed.isoformat()} at the earliest", earliest=computed)
        return effective_on
    if reason in REASONS_WITH_GIVEN_DATE:
        if effective_on is None:
            raise CalendarError("effective_on", f"a termination for {reason} needs its date")
        if effective_on < notified_on:
            raise CalendarError("effective_on", "the termination takes effect before its notice")
        return effective_on
    if reason == "notice":
        if terms.term != "indefinite":
            raise CalendarError(
                "reason", "a fixed-term agreement ends at an anniversary, not by simple notice"
            )
        return _months(notified_on, terms.notice_months or 0)
    # anniversary
    if terms.term == "indefinite":
        raise CalendarError("reason", "an indefinite agreement has no anniversary: give notice")
    last = _last_index(terms)
    index = _index_at(terms, notified_on)
    end = _period(terms, index)[1]
    if terms.renewal == "tacit" and notified_on > _notice_deadline(terms, end) and (
        last is None or index < last
    ):
        end = _period(terms, index + 1)[1]
    return end


def _comparable(value: Any) -> Any:
    """A term's value as compared: a list of licences is a set, and an empty
    one is none (any licence)."""
    if isinstance(value, (list, tuple)):
        return sorted(value) or None
    return value


def term_changes(before: Mapping[str, Any],
                 after: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    """``(term, old value, new value)`` of each of :data:`AGREEMENT_TERMS`
    whose value differs from ``before`` to ``after``, in their order."""
    return [(term, before.get(term), after.get(term)) for term in AGREEMENT_TERMS
            if _comparable(before.get(term)) != _comparable(after.get(term))]


# --------------------------------------------------------------------------
# Reminders
# --------------------------------------------------------------------------

REMINDER_DAYS = (60, 15)


def reminders_due(
    events: dict[str, Optional[dt.date]],
    today: dt.date,
    sent: set[tuple[str, dt.date, int]],
) -> list[tuple[str, dt.date, int]]:
    """The reminders to send today: for each event (kind -> date), the one of
    60 and 15 days before it whose day has come, while the event is still
    ahead and that reminder was not sent (``sent`` holds ``(kind, date,
    days)``). When both are due (the command did not run for a while), only
    the nearer one, 15 days, is sent."""
    due = []
    for kind, date in events.items():
        if date is None or today >= date:
            continue
        crossed = [d for d in REMINDER_DAYS if today >= date - dt.timedelta(days=d)]
        if not crossed:
            continue
        days = min(crossed)
        if (kind, date, days) not in sent:
            due.append((kind, date, days))
    return due


def end_date(terms: Terms, at: dt.date, ends_on: Optional[dt.date]) -> Optional[dt.date]:
    """The first day the agreement is no longer in force, as known on ``at``:
    the termination's date, else the end of its last period; None while it
    runs on."""
    if ends_on is not None:
        return ends_on
    final = calendar(terms, at).final_end
    return final + dt.timedelta(days=1) if final else None


def state_on(state: str, terms: Terms, ends_on: Optional[dt.date], today: dt.date) -> str:
    """The state of an agreement on ``today``: one recorded in force
    (``active`` or ``terminating``) whose end has come is ``ended``,
    whether or not ``ckan partnership notify`` has yet recorded its end
    and applied its end policy; any other state is the recorded one."""
    if state in IN_FORCE:
        end = end_date(terms, today, ends_on)
        if end is not None and today >= end:
            return "ended"
    return state


def last_day(terms: Terms, today: dt.date, ends_on: Optional[dt.date]) -> Optional[dt.date]:
    """The last day the agreement is in force, as known on ``today``; None
    while it runs on."""
    end = end_date(terms, today, ends_on)
    return end - dt.timedelta(days=1) if end else None


def committee_overdue(effective_on: dt.date, meetings: list[dt.date], today: dt.date) -> bool:
    """000 art. 12: the steering committee meets at least once a year. True
    when no meeting was held in the last 12 months of an agreement in force
    for more than 12 months."""
    year_ago = today - relativedelta(months=12)
    if effective_on > year_ago:
        return False
    return not any(year_ago < held <= today for held in meetings)


def renewals_between(terms: Terms, since: dt.date, until: dt.date,
                     ends_on: Optional[dt.date] = None) -> list[dt.date]:
    """The days in [``since``, ``until``] on which the agreement was (or
    will be) tacitly renewed: the start of each period after the first,
    before its end (``ends_on``, the first day out of force, when it was
    terminated) and before its last possible period's end."""
    terms.check()
    if terms.term == "indefinite" or terms.renewal != "tacit":
        return []
    last = _last_index(terms)
    found = []
    index = 1
    while last is None or index <= last:
        start, _end = _period(terms, index)
        if start > until or (ends_on is not None and start >= ends_on):
            break
        if start >= since:
            found.append(start)
        index += 1
    return found


def notice_deadlines_between(terms: Terms, since: dt.date, until: dt.date,
                             ends_on: Optional[dt.date] = None) -> list[dt.date]:
    """The notice deadlines (the last day on which notice stops the next
    renewal) that fall in [``since``, ``until``]: one before each renewal
    of :func:`renewals_between`, looked for up to a renewal term after
    ``until``."""
    if terms.term == "indefinite" or terms.renewal != "tacit":
        return []
    horizon = _months(until, (terms.notice_months or 0) + 1)
    return [d for d in (_notice_deadline(terms, renewal)
                        for renewal in renewals_between(terms, since, horizon, ends_on))
            if since <= d <= until]


# --------------------------------------------------------------------------
# The publisher's standing (000 §9.1.2)
# --------------------------------------------------------------------------

#: What the publisher named in an agreement may have become: no longer a
#: member of the partner (left, or the account deleted), or a member who
#: cannot edit its datasets any more (CKAN's ``member`` capacity).
PUBLISHER_LEFT, PUBLISHER_NO_RIGHTS = "left", "no_rights"
PUBLISHER_OK, PUBLISHER_NONE = "ok", "none"
#: The capacities in which a member edits, and so publishes, datasets.
PUBLISHING_CAPACITIES = ("editor", "admin")


def publisher_standing(named: bool, account_state: Optional[str],
                       capacity: Optional[str]) -> str:
    """The standing of an agreement's publisher: ``none`` when the agreement
    names none, ``left`` when the account is not an active member of the
    partner, ``no_rights`` when it is a member that cannot publish, ``ok``
    otherwise. A change of publisher is reported to the host (000 §9.1.2):
    ``left`` and ``no_rights`` are such changes."""
    if not named:
        return PUBLISHER_NONE
    if account_state != "active" or capacity is None:
        return PUBLISHER_LEFT
    if capacity not in PUBLISHING_CAPACITIES:
        return PUBLISHER_NO_RIGHTS
    return PUBLISHER_OK
