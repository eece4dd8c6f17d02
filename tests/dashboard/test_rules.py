# -*- coding: utf-8 -*-
"""The dashboard's rules, on plain data (no database)."""
from __future__ import annotations

import datetime as dt

from ckanext.partnership.domain import waiting


def _request(package, decided_at, **more):
    return {"id": f"r-{package}-{decided_at}", "package_id": package,
            "decided_at": decided_at, **more}


def test_a_refusal_is_to_fix_while_the_dataset_is_private_and_not_submitted_again():
    refused = [_request("a", "2026-01-01"), _request("a", "2026-02-01"),
               _request("b", "2026-01-15"), _request("c", "2026-01-20"),
               _request("d", "2026-01-10")]
    fix = waiting.to_fix(refused, private_ids={"a", "b", "d"}, pending_ids={"b"})
    # a: its latest refusal only; b: submitted again; c: published since
    assert [r["id"] for r in fix] == ["r-a-2026-02-01", "r-d-2026-01-10"]


def test_to_submit_the_complete_private_datasets_neither_pending_nor_refused():
    private = [{"id": i, "complete": i != "incomplete"}
               for i in ("ready", "incomplete", "pending", "refused")]
    ready = waiting.to_submit(private, lambda d: [] if d["complete"] else ["title"],
                              pending_ids={"pending"}, refused_ids={"refused"})
    assert [d["id"] for d in ready] == ["ready"]


def test_the_coming_deadlines_soonest_first_a_past_one_left_out():
    today = dt.date(2026, 12, 2)
    agreements = [
        {"id": "x", "reference": "X", "organization": "x-org", "state": "active",
         "calendar": {"notice_deadline": "2026-11-19", "next_renewal_on": "2026-12-19",
                      "final_end": None}},
        {"id": "y", "reference": "Y", "organization": "y-org", "state": "terminating",
         "calendar": {"notice_deadline": None, "next_renewal_on": None,
                      "final_end": "2026-12-02"}},
        {"id": "z", "reference": "Z", "organization": "z-org", "state": "active"},  # public facts
    ]
    coming = waiting.deadlines(agreements, today)
    assert [(d["agreement_id"], d["kind"], d["days"]) for d in coming] == [
        ("y", "final_end", 0), ("x", "next_renewal_on", 17)]


def test_several_lists_merge_in_order_capped():
    lists = [[{"k": 1}, {"k": 4}], [{"k": 2}, {"k": 3}], []]
    assert [r["k"] for r in waiting.merged(lists, key=lambda r: r["k"], limit=3)] == [1, 2, 3]
    assert waiting.SHOWN == 5
