# -*- coding: utf-8 -*-
"""The dashboard's action (README, API, "Dashboard"): what waits for the
user, read through the actions the other pages use, as the user."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.partnership.core import roles
from ckanext.partnership.domain import inputs, metadata_rules, waiting

#: The whole of a partner's lists the dashboard sorts (the actions' largest
#: window): its pending and refused requests, its private datasets.
_ALL = inputs.LIMIT[1]


def _call(user: str, action: str, **data: Any) -> Any:
    return tk.get_action(action)({"user": user}, data)


def _count(user: str, action: str, **data: Any) -> int:
    return _call(user, action, **data)["count"]


def _box(items: list[Any], count: int, **more: Any) -> dict[str, Any]:
    return {"count": count, "items": list(items)[:waiting.SHOWN], **more}


def _threads(user: str) -> dict[str, Any]:
    """The open discussions the user answers (a partner's: its
    organisations'; a validator's: every partner's), soonest deadline first."""
    return _box(_call(user, "partnership_thread_list", state="open", limit=waiting.SHOWN),
                _count(user, "partnership_thread_count", state="open"),
                overdue=_count(user, "partnership_thread_count", state="overdue"))


def _access_requests(user: str) -> dict[str, Any]:
    """The requests for restricted files the user decides (a partner's:
    its organisations'; a validator's: every partner's), soonest deadline
    first."""
    return _box(_call(user, "partnership_access_request_list", state="pending",
                      limit=waiting.SHOWN),
                _count(user, "partnership_access_request_count", state="pending"))


def _validator(user: str, today: dt.date) -> dict[str, Any]:
    agreements = _call(user, "partnership_agreement_list", limit=_ALL)
    coming = waiting.deadlines(
        [a for a in agreements if a.get("state") in ("active", "terminating")], today)
    return {
        "role": "validator",
        "organizations": [],
        "to_submit": _box([], 0),
        "pending": _box(_call(user, "partnership_queue_list", limit=waiting.SHOWN),
                        _count(user, "partnership_queue_count")),
        "to_fix": _box([], 0),
        "threads": _threads(user),
        "access_requests": _access_requests(user),
        "flagged": _box(_call(user, "partnership_flagged_list", limit=waiting.SHOWN),
                        _count(user, "partnership_flagged_count")),
        "deadlines": _box(coming, len(coming)),
    }


def _partner(user: str, today: dt.date) -> dict[str, Any]:
    host = roles.host_organization()
    orgs = [o for o in _call(user, "organization_list_for_user", permission="read")
            if host is None or o["id"] != host.id]
    pending: list[list[dict[str, Any]]] = []
    refused: list[dict[str, Any]] = []
    flagged: list[list[dict[str, Any]]] = []
    flagged_count = 0
    agreements: list[dict[str, Any]] = []
    for org in orgs:  # a few queries per organisation, none per row
        pending.append(_call(user, "partnership_queue_list", organization=org["id"],
                             status="pending", limit=_ALL))
        refused += _call(user, "partnership_queue_list", organization=org["id"],
                         status="refused", limit=_ALL)
        flagged.append(_call(user, "partnership_flagged_list", organization=org["id"],
                             limit=waiting.SHOWN))
        flagged_count += _count(user, "partnership_flagged_count", organization=org["id"])
        agreements += _call(user, "partnership_agreement_list", organization=org["id"],
                            limit=_ALL)
    private = _private_datasets(user, [o["id"] for o in orgs])
    pending_ids = {r["package_id"] for rows in pending for r in rows}
    fix = waiting.to_fix(refused, {d["id"] for d in private}, pending_ids)
    ready = waiting.to_submit(private, metadata_rules.missing_fields, pending_ids,
                              {r["package_id"] for r in fix})
    waits = waiting.merged(pending, key=lambda r: (r["due_at"] or "", r["id"]), limit=_ALL)
    coming = waiting.deadlines(
        [a for a in agreements if a.get("state") in ("active", "terminating")], today)
    return {
        "role": "partner",
        "organizations": [{"id": o["id"], "name": o["name"], "title": o["title"]}
                          for o in orgs],
        "to_submit": _box([_dataset_line(d) for d in ready], len(ready)),
        "pending": _box(waits, len(waits)),
        "to_fix": _box(fix, len(fix)),
        "threads": _threads(user),
        "access_requests": _access_requests(user),
        "flagged": _box(waiting.merged(flagged, key=lambda f: (f["title"] or "", f["name"])),
                        flagged_count),
        "deadlines": _box(coming, len(coming)),
    }


def _private_datasets(user: str, organization_ids: list[str]) -> list[dict[str, Any]]:
    """The private datasets of these organisations, as the search index
    holds them (one search, no query per dataset), by title."""
    if not organization_ids:
        return []
    owners = " OR ".join(f'"{i}"' for i in organization_ids)
    found = _call(user, "package_search", fq=f"owner_org:({owners}) AND capacity:private",
                  include_private=True, rows=_ALL, sort="title_string asc")
    return found["results"]


def _dataset_line(dataset: dict[str, Any]) -> dict[str, Any]:
    org = dataset.get("organization") or {}
    return {"id": dataset["id"], "name": dataset["name"], "title": dataset.get("title"),
            "organization": org.get("name"), "organization_title": org.get("title")}


@tk.side_effect_free
def partnership_dashboard_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """What waits for the user today, as its dashboard shows it: for a
    partner's members (producers, publishers) their organisations' datasets
    to submit, requests waiting for the host, refused requests to fix,
    discussions to answer, published datasets failing a check, their
    agreement's deadlines; for the host's validators the queue, the
    discussions, the flagged datasets and the next agreement deadlines.
    Each list gives at most 5 items and the ``count`` of all.

    :returns: ``{role: partner|validator, organizations: [{id, name,
        title}], to_submit, pending, to_fix, threads, access_requests, flagged,
        deadlines}``,
        each list ``{count, items}`` (``threads`` also ``overdue``); items as
        the lists' own actions give them (``partnership_queue_list``,
        ``partnership_thread_list``, ``partnership_flagged_list``), datasets
        to submit ``{id, name, title, organization, organization_title}``,
        deadlines ``{agreement_id, reference, organization, state, kind:
        notice_deadline|next_renewal_on|final_end, on, days}``
    :rtype: dictionary
    """
    tk.check_access("partnership_dashboard_show", context, data_dict)
    user = context.get("user") or ""
    today = dt.date.today()
    if roles.is_validator(user):
        return _validator(user, today)
    return _partner(user, today)
