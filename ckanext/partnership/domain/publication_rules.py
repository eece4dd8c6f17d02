# -*- coding: utf-8 -*-
"""Rules of publication, as plain functions with no CKAN import: the
checks a dataset passes before it is submitted (002 §2.3–2.6, 000 annex 3),
the reasons a validator may give for a refusal, and the figures of the
decisions.

A check is ``{"code", "status": "pass" | "warn" | "fail", "params"}``;
``params`` says what to fix (fields, licences, resources), never the data.
A failing check blocks the submission.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Mapping, NamedTuple, Optional, Sequence

from ckanext.partnership.domain import sla

PASS, WARN, FAIL = "pass", "warn", "fail"

#: Request statuses.
PENDING, APPROVED, REFUSED, CANCELLED = "pending", "approved", "refused", "cancelled"
STATUSES = (PENDING, APPROVED, REFUSED, CANCELLED)

#: Reasons for a refusal or a removal, with the article of the agreement
#: they rest on (002 §2.3–2.6 for the four grounds of §4.2.1; 000 §9.4
#: for quality; 002 §2.2 for standards).
REASONS: dict[str, str] = {
    "personal_data": "§2.3",
    "intellectual_property": "§2.4",
    "licence": "§2.5",
    "metadata": "§2.6",
    "standard": "§2.2",
    "quality": "§9.4",
    "other": "",
}

# What each resource check feeds: the personal-data and format checks have
# their own line, everything else (structure, encoding, schema, custom
# checks, quota, size, the file itself) is "standard".
_OWN_LINE = {"personal_data": "personal_data", "format": "open_formats"}


def _check(code: str, status: str, **params: Any) -> dict[str, Any]:
    return {"code": code, "status": status, "params": params}


def evaluate(missing_fields: Sequence[str], license_id: Optional[str],
             allowed_licenses: Sequence[str],
             resources: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The checks of a dataset about to be published.

    :param missing_fields: the required metadata it lacks
    :param license_id: its licence
    :param allowed_licenses: the licences its agreement allows (empty: any)
    :param resources: ``{"id", "name", "status", "results"}`` per resource:
        ``status`` is its ``validation_status`` (None when never checked),
        ``results`` the report's list of checks
    """
    checks = [
        _check("metadata", FAIL if missing_fields else PASS, fields=list(missing_fields)),
        _check("licence", FAIL if allowed_licenses and license_id not in allowed_licenses
               else PASS, license=license_id, allowed=list(allowed_licenses)),
        _check("resources", PASS if resources else WARN, count=len(resources)),
    ]
    lines: dict[str, dict[str, list[dict[str, Any]]]] = {
        code: {FAIL: [], WARN: []} for code in ("standard", "personal_data", "open_formats")}
    for resource in resources:
        who = {"id": resource.get("id"), "name": resource.get("name") or resource.get("id")}
        status = resource.get("status")
        if status in (None, "pending", "error"):
            # not checked (yet), or the file could not be read: nothing is known
            lines["standard"][FAIL].append({**who, "status": status or "pending"})
            continue
        worst: dict[str, str] = {}
        for result in resource.get("results") or []:
            code = _OWN_LINE.get(result.get("check"), "standard")
            outcome = {"failure": FAIL, "error": FAIL, "warning": WARN}.get(result.get("status"))
            if outcome and worst.get(code) != FAIL:
                worst[code] = outcome
        for code, outcome in worst.items():
            lines[code][outcome].append({**who, "status": status})
    for code, found in lines.items():
        if found[FAIL]:
            checks.append(_check(code, FAIL, resources=found[FAIL]))
        elif found[WARN]:
            checks.append(_check(code, WARN, resources=found[WARN]))
        else:
            checks.append(_check(code, PASS, resources=[]))
    return checks


def blocking(checks: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The checks that refuse a submission."""
    return [c for c in checks if c.get("status") == FAIL]


def bad_reasons(reasons: Iterable[str]) -> list[str]:
    """The reason codes that are not known."""
    return [r for r in reasons if r not in REASONS]


def stats(requests: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Figures of decided requests, each ``{"status", "submitted_at",
    "decided_at", "due_at", "reasons"}`` (naive UTC instants).

    :returns: ``{decided, approved, refused, within_sla, within_sla_share,
        median_decision_hours, by_reason}``
    """
    decided = approved = refused = on_time = 0
    hours: list[float] = []
    by_reason: dict[str, int] = {}
    for request in requests:
        if request["status"] not in (APPROVED, REFUSED) or not request.get("decided_at"):
            continue
        decided += 1
        if request["status"] == APPROVED:
            approved += 1
        else:
            refused += 1
            for reason in request.get("reasons") or []:
                by_reason[reason] = by_reason.get(reason, 0) + 1
        if sla.within(request["due_at"], request["decided_at"]):
            on_time += 1
        hours.append(sla.hours_between(request["submitted_at"], request["decided_at"]))
    return {
        "decided": decided,
        "approved": approved,
        "refused": refused,
        "within_sla": on_time,
        "within_sla_share": round(on_time / decided, 3) if decided else None,
        "median_decision_hours": sla.median_hours(hours),
        "by_reason": by_reason,
    }


def in_period(instant: dt.datetime, since: Optional[dt.date], until: Optional[dt.date]) -> bool:
    """Whether an instant falls between two days (both included)."""
    day = instant.date()
    return (since is None or day >= since) and (until is None or day <= until)


def flags(checks: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The failing checks of a published dataset. A file still being
    checked flags nothing yet: its outcome will."""
    flagged = []
    for check in blocking(checks):
        params = dict(check.get("params") or {})
        if check["code"] == "standard":
            params["resources"] = [r for r in params.get("resources") or []
                                   if r.get("status") not in (None, "pending")]
            if not params["resources"]:
                continue
        flagged.append({**check, "params": params})
    return flagged


# -- visibility changes ------------------------------------------------------

#: What a save changes about who sees a dataset.
PUBLISH, WITHDRAW, DELETE, LEAVE = "publish", "withdraw", "delete", "leave"


class Visibility(NamedTuple):
    """What decides who sees a dataset, as CKAN stores it."""

    org: Optional[str]
    private: bool
    state: str

    @property
    def public(self) -> bool:
        return not self.private and self.state == "active"


def visibility_changes(before: Optional[Visibility], after: Visibility
                       ) -> list[tuple[str, Optional[str]]]:
    """What going from ``before`` (None for a new dataset) to ``after``
    does, as ``(change, organisation)`` pairs:

    - ``leave``: the dataset leaves its organisation, public or not (a
      private dataset moved out could be published elsewhere, outside the
      agreement; a public one is withdrawn from the partner);
    - ``publish``: it becomes public in ``after.org`` (it was not, or it
      arrives from another organisation);
    - ``withdraw`` / ``delete``: a public dataset of the same organisation
      becomes private or a draft / is deleted.
    """
    changes: list[tuple[str, Optional[str]]] = []
    moved = before is not None and before.org != after.org
    if moved and before is not None and before.org and before.state != "deleted":
        changes.append((LEAVE, before.org))
    was_public = before is not None and before.public
    if after.public and (moved or not was_public):
        changes.append((PUBLISH, after.org))
    if was_public and not moved and not after.public:
        changes.append((DELETE if after.state == "deleted" else WITHDRAW, after.org))
    return changes
