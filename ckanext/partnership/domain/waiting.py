# -*- coding: utf-8 -*-
"""What waits for someone (the dashboard), the rules: which of a partner's
private datasets are to submit or to fix, which agreement deadlines come
next, how lists of several organisations merge. Plain data in, plain data
out: the lists come from the actions the other pages use."""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence

#: How many lines each list of the dashboard shows (the count says how many
#: there are, the "see all" link leads to the full list).
SHOWN = 5

#: The deadlines of an agreement's calendar the dashboard announces, in the
#: order a person acts on them.
DEADLINES = ("notice_deadline", "next_renewal_on", "final_end")


def to_fix(refused: Iterable[Mapping[str, Any]], private_ids: set[str],
           pending_ids: set[str]) -> list[Mapping[str, Any]]:
    """The refused requests still to act on: the latest refusal of each
    dataset that is still private and not submitted again; latest first."""
    latest: dict[str, Mapping[str, Any]] = {}
    for request in refused:
        package = request["package_id"]
        if package not in private_ids or package in pending_ids:
            continue
        kept = latest.get(package)
        if kept is None or (request.get("decided_at") or "") > (kept.get("decided_at") or ""):
            latest[package] = request
    return sorted(latest.values(), key=lambda r: r.get("decided_at") or "", reverse=True)


def to_submit(private: Iterable[Mapping[str, Any]], missing: Callable[[Mapping[str, Any]], list],
              pending_ids: set[str], refused_ids: set[str]) -> list[Mapping[str, Any]]:
    """The private datasets ready to submit: complete (``missing`` names no
    field), neither waiting for a decision nor refused (those are to fix)."""
    return [d for d in private
            if d["id"] not in pending_ids and d["id"] not in refused_ids and not missing(d)]


def deadlines(agreements: Iterable[Mapping[str, Any]], today: dt.date
              ) -> list[dict[str, Any]]:
    """The coming deadlines of these agreements (those whose calendar is
    given), soonest first: ``{agreement_id, reference, organization, kind,
    on, days}``; a deadline of today counts, a past one does not."""
    out = []
    for agreement in agreements:
        calendar = agreement.get("calendar") or {}
        for kind in DEADLINES:
            day = _day(calendar.get(kind))
            if day is not None and day >= today:
                out.append({"agreement_id": agreement["id"],
                            "reference": agreement.get("reference"),
                            "organization": agreement.get("organization"),
                            "state": agreement.get("state"),
                            "kind": kind, "on": day.isoformat(), "days": (day - today).days})
    return sorted(out, key=lambda d: (d["on"], DEADLINES.index(d["kind"]),
                                      d["reference"] or ""))


def merged(lists: Sequence[Sequence[Mapping[str, Any]]], key: Callable[[Any], Any],
           limit: int = SHOWN) -> list[Mapping[str, Any]]:
    """The first ``limit`` rows of several lists, each already in order,
    in the order ``key`` gives."""
    return sorted((row for rows in lists for row in rows), key=key)[:limit]


def _day(value: Optional[str]) -> Optional[dt.date]:
    return dt.date.fromisoformat(value[:10]) if value else None
