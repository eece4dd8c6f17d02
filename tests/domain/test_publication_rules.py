# -*- coding: utf-8 -*-
"""The publication rules and the 48-hour clock as plain functions, without
CKAN or a database (002 §4.2.1: the host decides within 48 hours)."""
from __future__ import annotations

import datetime as dt

import pytest

from ckanext.partnership.domain import publication_rules, sla

T0 = dt.datetime(2026, 11, 20, 17, 30)  # a Friday evening
H = dt.timedelta(hours=1)


def test_the_deadline_counts_calendar_hours_week_end_included():
    assert sla.due_at(T0, 48) == dt.datetime(2026, 11, 22, 17, 30)  # Sunday
    assert sla.due_at(T0, 72) == dt.datetime(2026, 11, 23, 17, 30)


@pytest.mark.parametrize("decided_after, within", [
    (47 * H + 59 * dt.timedelta(minutes=1), True),
    (48 * H, True),  # the deadline itself is on time
    (48 * H + dt.timedelta(seconds=1), False),
    (48 * H + dt.timedelta(minutes=1), False),
])
def test_decided_within_the_deadline(decided_after, within):
    """A decision taken up to the 48th hour after the submission is on time; a second later
    it is overdue (002 §4.2.1)."""
    due = sla.due_at(T0, 48)
    assert sla.within(due, T0 + decided_after) is within
    assert sla.overdue(due, T0 + decided_after) is not within


def test_remaining_time_and_reminder_window():
    due = sla.due_at(T0, 48)
    assert sla.remaining_seconds(due, T0) == 48 * 3600
    assert sla.remaining_seconds(due, due + 2 * H) == -7200
    assert not sla.reminder_due(due, due - 12 * H - dt.timedelta(seconds=1))
    assert sla.reminder_due(due, due - 12 * H)
    assert sla.reminder_due(due, due)
    assert not sla.reminder_due(due, due + dt.timedelta(seconds=1))  # then it escalates


def test_durations_and_medians():
    assert sla.split_duration(-(26 * 3600 + 5 * 60)) == (1, 2, 5)
    assert sla.median_hours([]) is None
    assert sla.median_hours([1.0, 60.0, 10.0]) == 10.0
    assert sla.median_hours([0, 60]) == 30.0


def resource(name, status, **checks):
    return {"id": name, "name": name, "status": status,
            "results": [{"check": c, "status": s} for c, s in checks.items()]}


def by_code(checks):
    return {c["code"]: c for c in checks}


def test_a_complete_dataset_with_checked_files_passes():
    checks = publication_rules.evaluate([], "lov2", ["lov2", "odc-odbl"], [
        resource("a.csv", "success", format="success", schema="success",
                 personal_data="success")])
    # the checks in the order the API returns them and the dataset's page lists them
    assert [c["code"] for c in checks] == [
        "metadata", "licence", "resources", "standard", "personal_data", "open_formats"]
    assert publication_rules.blocking(checks) == []


def test_what_blocks_and_what_only_warns():
    """A missing required field, a licence the agreement does not allow, an unchecked or
    failing file and personal data block a publication; a closed format only warns
    (003 art. 5)."""
    checks = by_code(publication_rules.evaluate(["frequency", "tags"], "other-closed", ["lov2"], [
        resource("ok.csv", "success", schema="success"),
        resource("pending.csv", "pending"),
        resource("broken.csv", "error", file="error"),
        resource("bad.csv", "failure", schema="failure", personal_data="failure",
                 format="warning"),
        resource("warned.csv", "warning", personal_data="warning"),
    ]))
    assert checks["metadata"]["status"] == "fail"
    assert checks["metadata"]["params"]["fields"] == ["frequency", "tags"]
    assert checks["licence"]["status"] == "fail"
    assert [r["name"] for r in checks["standard"]["params"]["resources"]] == [
        "pending.csv", "broken.csv", "bad.csv"]
    assert checks["personal_data"]["status"] == "fail"
    assert [r["name"] for r in checks["personal_data"]["params"]["resources"]] == ["bad.csv"]
    assert checks["open_formats"]["status"] == "warn"
    assert {c["code"] for c in publication_rules.blocking(checks.values())} == {
        "metadata", "licence", "standard", "personal_data"}


def test_any_licence_when_the_agreement_lists_none_and_no_file_only_warns():
    checks = by_code(publication_rules.evaluate([], "other-closed", [], []))
    assert checks["licence"]["status"] == "pass"
    assert checks["resources"]["status"] == "warn"
    assert publication_rules.blocking(checks.values()) == []


def test_flags_ignore_files_still_being_checked():
    checks = publication_rules.evaluate([], "lov2", ["lov2"], [
        resource("pending.csv", "pending"),
        resource("bad.csv", "failure", schema="failure")])
    assert [r["name"] for r in publication_rules.flags(checks)[0]["params"]["resources"]] == [
        "bad.csv"]
    only_pending = publication_rules.evaluate([], "lov2", ["lov2"], [resource("p.csv", "pending")])
    assert publication_rules.flags(only_pending) == []


def test_reasons_rest_on_the_agreement_articles():
    """The refusal reasons personal data, intellectual property, licence and metadata rest
    on articles 2.3 to 2.6, and an unknown reason is refused (002 §4.2.1)."""
    assert publication_rules.REASONS["personal_data"] == "§2.3"
    assert publication_rules.REASONS["intellectual_property"] == "§2.4"
    assert publication_rules.REASONS["licence"] == "§2.5"
    assert publication_rules.REASONS["metadata"] == "§2.6"
    assert publication_rules.bad_reasons(["licence", "gdpr"]) == ["gdpr"]


def decided(status, hours, due_hours=48, reasons=()):
    return {"status": status, "submitted_at": T0, "decided_at": T0 + hours * H,
            "due_at": T0 + due_hours * H, "reasons": list(reasons)}


def test_stats():
    stats = publication_rules.stats([
        decided("approved", 2), decided("approved", 47.99), decided("refused", 49,
                                                                      reasons=["licence"]),
        decided("refused", 10, reasons=["licence", "metadata"]),
        {"status": "pending", "submitted_at": T0, "decided_at": None, "due_at": T0},
        {"status": "cancelled", "submitted_at": T0, "decided_at": T0, "due_at": T0},
    ])
    assert stats == {"decided": 4, "approved": 2, "refused": 2, "within_sla": 3,
                     "within_sla_share": 0.75, "median_decision_hours": 29.0,
                     "by_reason": {"licence": 2, "metadata": 1}}
    assert publication_rules.stats([])["median_decision_hours"] is None
    assert publication_rules.stats([])["within_sla_share"] is None


def test_periods_include_both_days():
    day = dt.date(2026, 11, 20)
    assert publication_rules.in_period(T0, day, day)
    assert not publication_rules.in_period(T0, day + dt.timedelta(days=1), None)
    assert publication_rules.in_period(T0, None, None)
