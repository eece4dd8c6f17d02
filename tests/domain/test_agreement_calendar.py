# -*- coding: utf-8 -*-
"""Agreement calendars, as plain functions (no database, no CKAN), on the
five agreements of the conventions with real dates.

Where a text gives no date of entry into force (it starts at a notification
whose date is not in the text), the date used is the one next to it in the
text, as noted.
"""
from __future__ import annotations

import datetime as dt

import pytest

from ckanext.partnership.domain.agreement_calendar import (
    AGREEMENT_TERMS,
    CalendarError,
    Terms,
    calendar,
    computed_termination_date,
    term_changes,
    termination_effective_on,
)

D = dt.date.fromisoformat

# 000 art. 5: indefinite, 3 months' notice (registered letter).
A000 = Terms(D("2021-01-04"), term="indefinite", notice_months=3)
# 001: one year from notification, tacitly renewed for a year; 1 month's
# notice at the anniversary. Deliberation of 29 June 2018; notified 10 July.
A001 = Terms(D("2018-07-10"), "fixed", 12, "tacit", 12, None, 1)
# 002 art. 9: three years, tacit yearly renewals up to 6 years, denounced
# six months before the end of the current period. Signed 1 July 2019
# (after the CPR of 7 June 2019).
A002 = Terms(D("2019-07-01"), "fixed", 36, "tacit", 12, 72, 6)
# 003 art. 3: one year from the signature of both parties, tacitly renewed
# for the same duration; 1 month's notice. Deliberation published 27 Feb 2024.
A003 = Terms(D("2024-02-27"), "fixed", 12, "tacit", 12, None, 1)
# 004: one year from the host's notification, renewed year to year; as 001.
# Signed 19 December 2019.
A004 = Terms(D("2019-12-19"), "fixed", 12, "tacit", 12, None, 1)

CALENDARS = [
    # agreement, at, start, end, next renewal, notice deadline, final end
    (A000, "2026-11-23", "2021-01-04", None, None, None, None),
    (A001, "2018-07-10", "2018-07-10", "2019-07-09", "2019-07-10", "2019-06-10", None),
    (A001, "2026-11-23", "2026-07-10", "2027-07-09", "2027-07-10", "2027-06-10", None),
    (A001, "2027-07-10", "2027-07-10", "2028-07-09", "2028-07-10", "2028-06-10", None),
    (A002, "2020-01-01", "2019-07-01", "2022-06-30", "2022-07-01", "2022-01-01", "2025-06-30"),
    (A002, "2022-07-01", "2022-07-01", "2023-06-30", "2023-07-01", "2023-01-01", "2025-06-30"),
    (A002, "2024-01-01", "2023-07-01", "2024-06-30", "2024-07-01", "2024-01-01", "2025-06-30"),
    # the last period: nothing renews, no notice to give
    (A002, "2024-09-01", "2024-07-01", "2025-06-30", None, None, "2025-06-30"),
    (A002, "2030-01-01", "2024-07-01", "2025-06-30", None, None, "2025-06-30"),
    (A003, "2024-02-26", "2024-02-27", "2025-02-26", "2025-02-27", "2025-01-27", None),
    (A003, "2026-11-23", "2026-02-27", "2027-02-26", "2027-02-27", "2027-01-27", None),
    (A004, "2026-11-23", "2025-12-19", "2026-12-18", "2026-12-19", "2026-11-19", None),
    (A004, "2026-12-19", "2026-12-19", "2027-12-18", "2027-12-19", "2027-11-19", None),
]


@pytest.mark.parametrize("terms, at, start, end, renewal, deadline, final", CALENDARS)
def test_calendar(terms, at, start, end, renewal, deadline, final):
    """Each of the five agreements has on a given day its current period, its next tacit
    renewal, its notice deadline and its final end (000 art. 5, 001 art. 6, 002 art. 7,
    003 art. 3, 004 art. 4)."""
    assert calendar(terms, D(at)).as_dict() == {
        "current_period_start": start,
        "current_period_end": end,
        "next_renewal_on": renewal,
        "notice_deadline": deadline,
        "final_end": final,
    }


def test_months_are_added_to_the_date_of_entry_into_force():
    # relativedelta clips to the end of the month, from E each time:
    # periods end on 29 Feb, then 31 Mar, not 29 Mar
    terms = Terms(D("2020-01-31"), "fixed", 1, "tacit", 1, None, 0)
    assert calendar(terms, D("2020-03-01")).as_dict()["current_period_end"] == "2020-03-30"
    assert calendar(terms, D("2020-02-15")).as_dict()["current_period_end"] == "2020-02-28"


TERMINATIONS = [
    # 000: 3 months' notice, any time
    (A000, "notice", "2026-11-23", None, "2027-02-23"),
    (A000, "notice", "2025-11-30", None, "2026-02-28"),
    # 001/003/004: at the anniversary, with a month's notice
    (A001, "anniversary", "2027-06-10", None, "2027-07-10"),  # on the deadline
    (A001, "anniversary", "2027-06-11", None, "2028-07-10"),  # a day late
    (A003, "anniversary", "2026-11-23", None, "2027-02-27"),
    (A004, "anniversary", "2026-11-23", None, "2027-12-19"),  # deadline was 19 Nov
    (A004, "anniversary", "2026-11-19", None, "2026-12-19"),
    # 002: six months before the end of the current period, never past 6 years
    (A002, "anniversary", "2021-12-31", None, "2022-07-01"),
    (A002, "anniversary", "2022-01-02", None, "2023-07-01"),
    (A002, "anniversary", "2024-01-02", None, "2025-07-01"),
    (A002, "anniversary", "2024-09-01", None, "2025-07-01"),
    # dates set by the parties
    (A001, "mutual", "2026-11-23", "2026-12-23", "2026-12-23"),
    (A000, "breach", "2026-11-23", "2026-12-23", "2026-12-23"),  # 30 days after formal notice
    (A000, "convenience", "2026-11-23", "2026-11-23", "2026-11-23"),
    (A000, "force_majeure", "2026-11-23", "2027-01-01", "2027-01-01"),
]


@pytest.mark.parametrize("terms, reason, notified, given, effective", TERMINATIONS)
def test_termination_effective_date(terms, reason, notified, given, effective):
    """An agreement ends 3 months after notice (000 art. 5), at the anniversary when
    notice came a month before it (001 §7.3, 003 §12.3, 004 §14.3) or six months before
    the period's end and never past 6 years (002 art. 7), and on the date the parties
    set for a breach or force majeure (000 §17, 000 §20.1)."""
    assert termination_effective_on(
        terms, reason, D(notified), D(given) if given else None
    ) == D(effective)


@pytest.mark.parametrize(
    "terms, reason, notified, given, field",
    [
        (A001, "mutual", "2026-11-23", None, "effective_on"),
        (A001, "breach", "2026-11-23", "2026-11-01", "effective_on"),
        (A001, "notice", "2026-11-23", None, "reason"),
        (A000, "anniversary", "2026-11-23", None, "reason"),
        (A000, "lassitude", "2026-11-23", None, "reason"),
    ],
)
def test_termination_errors_name_the_field(terms, reason, notified, given, field):
    """A termination for breach dated before its notice, or by mutual consent without
    its date, is refused naming the field (000 §17)."""
    with pytest.raises(CalendarError) as error:
        termination_effective_on(terms, reason, D(notified), D(given) if given else None)
    assert error.value.field == field


@pytest.mark.parametrize(
    "terms, field",
    [
        (Terms(D("2024-01-01"), "fixed", None), "initial_term_months"),
        (Terms(D("2024-01-01"), "fixed", 12, "tacit", None), "renewal_term_months"),
        (Terms(D("2024-01-01"), "indefinite", None, "tacit", 12), "renewal"),
        (Terms(D("2024-01-01"), "fixed", 36, "tacit", 12, 24), "max_total_months"),
        (Terms(D("2024-01-01"), "perpetual"), "term"),
        (Terms(D("2024-01-01"), "fixed", 12, "tacit", 12, None, -1), "notice_months"),
    ],
)
def test_bad_terms_name_the_field(terms, field):
    with pytest.raises(CalendarError) as error:
        calendar(terms, D("2024-06-01"))
    assert error.value.field == field


from ckanext.partnership.domain.agreement_calendar import end_date, reminders_due  # noqa: E402

DEADLINE = D("2027-01-27")


@pytest.mark.parametrize(
    "today, sent, due",
    [
        ("2026-11-27", set(), []),  # 61 days before
        ("2026-11-28", set(), [("notice_deadline", DEADLINE, 60)]),  # 60 days before
        ("2026-11-28", {("notice_deadline", DEADLINE, 60)}, []),  # already sent
        ("2026-12-20", {("notice_deadline", DEADLINE, 60)}, []),
        ("2027-01-12", {("notice_deadline", DEADLINE, 60)}, [("notice_deadline", DEADLINE, 15)]),
        ("2027-01-20", set(), [("notice_deadline", DEADLINE, 15)]),  # late: the nearer only
        ("2027-01-27", set(), []),  # the day has come
    ],
)
def test_reminders_60_and_15_days_before(today, sent, due):
    assert reminders_due({"notice_deadline": DEADLINE, "end": None}, D(today), sent) == due


def test_end_date():
    """An agreement renewed for at most 6 years ends after its last period (002 art. 7),
    while one renewed year to year runs on until it is terminated (004 art. 4)."""
    assert end_date(A002, D("2024-01-01"), None) == D("2025-07-01")  # 6 years reached
    assert end_date(A004, D("2026-11-23"), None) is None  # renewed on and on
    assert end_date(A004, D("2026-11-23"), D("2027-12-19")) == D("2027-12-19")


from ckanext.partnership.domain.agreement_calendar import committee_overdue  # noqa: E402


@pytest.mark.parametrize(
    "effective, meetings, today, overdue",
    [
        ("2026-01-01", [], "2026-11-23", False),  # in force for less than a year
        ("2019-12-19", [], "2026-11-23", True),
        ("2019-12-19", ["2025-11-24"], "2026-11-23", False),
        ("2019-12-19", ["2025-11-23"], "2026-11-23", True),  # exactly a year ago
        ("2019-12-19", ["2024-06-01", "2026-06-01"], "2026-11-23", False),
    ],
)
def test_committee_overdue(effective, meetings, today, overdue):
    assert committee_overdue(D(effective), [D(m) for m in meetings], D(today)) is overdue


# -- the state follows the calendar (no database) ---------------------------

STATES_ON = [
    # recorded state, terms, termination's date, today, state on that day
    ("active", A002, None, "2025-06-30", "active"),  # its last day
    ("active", A002, None, "2025-07-01", "ended"),  # the day after: ended, notify or not
    ("active", A002, None, "2026-12-01", "ended"),
    ("terminating", A004, "2026-12-19", "2026-12-18", "terminating"),
    ("terminating", A004, "2026-12-19", "2026-12-19", "ended"),
    ("active", A004, None, "2040-01-01", "active"),  # renewed for ever
    ("active", A000, None, "2040-01-01", "active"),  # indefinite
    ("terminating", A000, "2026-04-04", "2026-04-04", "ended"),
    ("draft", A002, None, "2030-01-01", "draft"),  # only a state in force ends
    ("ended", A004, None, "2026-01-01", "ended"),
]


@pytest.mark.parametrize("state, terms, ends_on, today, expected", STATES_ON)
def test_the_state_follows_the_calendar(state, terms, ends_on, today, expected):
    from ckanext.partnership.domain.agreement_calendar import state_on

    assert state_on(state, terms, D(ends_on) if ends_on else None, D(today)) == expected


def test_the_last_day_in_force():
    from ckanext.partnership.domain.agreement_calendar import last_day

    assert last_day(A002, D("2026-12-01"), None) == D("2025-06-30")
    assert last_day(A004, D("2026-12-01"), D("2026-12-19")) == D("2026-12-18")
    assert last_day(A004, D("2026-12-01"), None) is None


# -- a year of the calendar (the annual review) ---------------------------------

from ckanext.partnership.domain.agreement_calendar import (  # noqa: E402
    notice_deadlines_between, renewals_between,
)

_004 = Terms(effective_on=dt.date(2019, 12, 19), term="fixed", initial_term_months=12,
             renewal="tacit", renewal_term_months=12, notice_months=1)
_YEAR_2026 = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_a_year_of_004_has_one_renewal_and_its_notice_deadline_a_month_before():
    assert renewals_between(_004, *_YEAR_2026) == [dt.date(2026, 12, 19)]
    assert notice_deadlines_between(_004, *_YEAR_2026) == [dt.date(2026, 11, 19)]
    # the renewal of early next year has its notice deadline this year
    early = Terms(effective_on=dt.date(2020, 1, 10), term="fixed", initial_term_months=12,
                  renewal="tacit", renewal_term_months=12, notice_months=3)
    assert renewals_between(early, *_YEAR_2026) == [dt.date(2026, 1, 10)]
    assert notice_deadlines_between(early, *_YEAR_2026) == [dt.date(2026, 10, 10)]


def test_no_renewal_after_the_end_or_past_the_maximum_duration():
    assert renewals_between(_004, *_YEAR_2026, ends_on=dt.date(2026, 12, 19)) == []
    assert notice_deadlines_between(_004, *_YEAR_2026, ends_on=dt.date(2026, 6, 1)) == []
    capped = Terms(effective_on=dt.date(2023, 3, 1), term="fixed", initial_term_months=12,
                   renewal="tacit", renewal_term_months=12, max_total_months=48)
    assert renewals_between(capped, dt.date(2023, 1, 1), dt.date(2030, 12, 31)) == [
        dt.date(2024, 3, 1), dt.date(2025, 3, 1), dt.date(2026, 3, 1)]


def test_no_renewal_without_tacit_renewal():
    fixed = Terms(effective_on=dt.date(2024, 1, 1), term="fixed", initial_term_months=36)
    assert renewals_between(fixed, *_YEAR_2026) == []
    assert notice_deadlines_between(fixed, *_YEAR_2026) == []
    assert renewals_between(Terms(effective_on=dt.date(2024, 1, 1), term="indefinite"),
                            *_YEAR_2026) == []


# 000 §17.1: a breach not remedied within 30 days of the registered letter
# that notified it; 000 §20.1: force majeure lasting more than two months.
A000_DELAYS = Terms(D("2021-01-04"), term="indefinite", notice_months=3,
                    breach_notice_days=30, force_majeure_months=2)


@pytest.mark.parametrize(
    "reason, notified, given, effective",
    [
        ("breach", "2026-11-23", None, "2026-12-23"),
        ("breach", "2026-12-15", None, "2027-01-14"),  # across the year
        ("breach", "2026-11-23", "2027-01-05", "2027-01-05"),  # later: allowed
        ("force_majeure", "2026-11-23", None, "2027-01-23"),
        ("force_majeure", "2026-12-31", None, "2027-02-28"),  # the month's end
        ("force_majeure", "2026-11-23", "2027-03-01", "2027-03-01"),
    ],
)
def test_breach_and_force_majeure_take_effect_after_the_agreements_delay(
        reason, notified, given, effective):
    """000 §17.1: a termination for breach takes effect 30 days after the formal notice
    left unheeded; 000 §20.1: force majeure lasting more than two months ends the
    agreement two months after the event began. A later date set by the parties holds."""
    assert termination_effective_on(
        A000_DELAYS, reason, D(notified), D(given) if given else None) == D(effective)
    assert computed_termination_date(A000_DELAYS, reason, D(notified)) == (
        termination_effective_on(A000_DELAYS, reason, D(notified)))


@pytest.mark.parametrize(
    "reason, notified, given, earliest",
    [
        ("breach", "2026-11-23", "2026-12-22", "2026-12-23"),
        ("breach", "2026-11-23", "2026-11-23", "2026-12-23"),
        ("force_majeure", "2026-11-23", "2027-01-22", "2027-01-23"),
    ],
)
def test_a_termination_before_the_agreements_delay_is_refused(reason, notified, given,
                                                                earliest):
    """000 §17.1, 000 §20.1: a date of effect earlier than the agreement's delay allows is
    refused on ``effective_on``, telling the earliest date."""
    with pytest.raises(CalendarError) as error:
        termination_effective_on(A000_DELAYS, reason, D(notified), D(given))
    assert error.value.field == "effective_on"
    assert error.value.earliest == D(earliest)


@pytest.mark.parametrize("reason", ["breach", "force_majeure", "end_of_service"])
def test_without_a_delay_the_parties_set_the_date(reason):
    """001 §7.1, 003 §12.1, 004 §14.1: the formal notice gives "a reasonable delay" set
    in writing, so without a delay in the agreement the date is the parties' (and
    required); 002 art. 7: the end of the service, at the date the parties set."""
    assert computed_termination_date(A001, reason, D("2026-11-23")) is None
    assert termination_effective_on(A001, reason, D("2026-11-23"), D("2027-01-10")) == (
        D("2027-01-10"))
    with pytest.raises(CalendarError) as error:
        termination_effective_on(A001, reason, D("2026-11-23"))
    assert error.value.field == "effective_on"


def test_the_delays_are_whole_numbers():
    for bad in (Terms(D("2024-01-01"), "indefinite", breach_notice_days=-1),
                Terms(D("2024-01-01"), "indefinite", force_majeure_months=-2)):
        with pytest.raises(CalendarError) as error:
            bad.check()
        assert error.value.field in ("breach_notice_days", "force_majeure_months")


def test_a_change_of_terms_is_each_term_whose_value_differs():
    """000 §7.3, 003 art. 11: what an amendment or an update changes is each term whose
    value differs, in the order of the terms; the licences are a set, none is any."""
    before = {"comment_sla_hours": 48, "allowed_licenses": ["lov2", "odc-odbl"],
              "quota_storage_bytes": 0, "notice_months": 1, "breach_notice_days": None}
    after = {"comment_sla_hours": 24, "allowed_licenses": ["odc-odbl", "lov2"],
             "quota_storage_bytes": None, "notice_months": 1, "breach_notice_days": 30,
             "reference": "not a term"}
    assert term_changes(before, after) == [
        ("comment_sla_hours", 48, 24), ("quota_storage_bytes", 0, None),
        ("breach_notice_days", None, 30)]
    assert term_changes({"allowed_licenses": []}, {"allowed_licenses": None}) == []
    assert set(AGREEMENT_TERMS) >= {"comment_sla_hours", "validation_sla_hours",
                                    "publication_mode", "allowed_licenses", "notice_months",
                                    "end_policy", "breach_notice_days",
                                    "force_majeure_months", "term", "renewal"}
