# -*- coding: utf-8 -*-
"""Restricted-access data (004 §7.1, "donnée sur accès restreint"), the
rules, as plain functions with no CKAN import.

A published dataset whose ``access_rights`` is not PUBLIC is described in
the open (its metadata in search, DCAT and the API) but its files are
served only to the accounts allowed: the partner's members, the host's
validators, and the accounts or organisations the partner granted access,
until a date or for good. Everyone else reads, in place of a file's
address, the address of the portal's own route, which answers 403 and
offers to ask for access.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Mapping, Optional

from ckanext.partnership.domain import inputs
from ckanext.partnership.domain.vocabularies import EU_ACCESS_RIGHT

PUBLIC = EU_ACCESS_RIGHT + "PUBLIC"
RESTRICTED = EU_ACCESS_RIGHT + "RESTRICTED"

#: The states of an access request; only a pending one is decided.
PENDING, GRANTED, REFUSED = "pending", "granted", "refused"
STATES = (PENDING, GRANTED, REFUSED)
DECISIONS = {"grant": GRANTED, "refuse": REFUSED}

#: How long a purpose may be; it must say something.
PURPOSE_LENGTH = inputs.MESSAGE_LENGTH
PURPOSE_MIN = 10

#: The fields of a file that hold its address (CKAN's ``url``, and the
#: DCAT fields ckanext-dcat reads when present).
URL_FIELDS = ("url", "download_url", "access_url")


def is_restricted(access_rights: Optional[str]) -> bool:
    """Whether a dataset's files are restricted: any access right other
    than PUBLIC (an empty one is open data, the profile's default)."""
    return bool(access_rights) and access_rights != PUBLIC


def dataset_restricted(pkg_dict: Mapping[str, Any]) -> bool:
    return is_restricted(pkg_dict.get("access_rights"))


def grant_active(until: Optional[dt.date], revoked: bool, today: dt.date) -> bool:
    """A grant holds until the end of its ``until`` day, unless revoked."""
    return not revoked and (until is None or today <= until)


def purpose_errors(purpose: Any) -> list[str]:
    """Keys of what is wrong with a request's purpose: ``required``,
    ``too_short``, or one of :func:`inputs.text_problem`'s."""
    if not isinstance(purpose, str) or not purpose.strip():
        return ["required"]
    problem = inputs.text_problem(purpose, PURPOSE_LENGTH)
    if problem:
        return [problem]
    if len(purpose.strip()) < PURPOSE_MIN:
        return ["too_short"]
    return []


def until_error(until: Optional[dt.date], today: dt.date) -> Optional[str]:
    """``past`` when a grant would end before today."""
    if until is not None and until < today:
        return "past"
    return None


def decision_error(state: str) -> Optional[str]:
    """``decided`` when the request is no longer pending."""
    return None if state == PENDING else "decided"


def scrubbed_resource(resource: Mapping[str, Any], access_url: str) -> dict[str, Any]:
    """A file as one who may not download it reads it: its address is the
    portal's access route; the other address fields are gone."""
    out = {k: v for k, v in resource.items() if k not in URL_FIELDS}
    out["url"] = access_url
    out["partnership_restricted"] = True
    return out


def package_allowed(owner_org: Optional[str], *, privileged: bool,
                    member_of: Iterable[str], granted: Iterable[str],
                    package_id: str) -> bool:
    """Whether someone downloads a restricted dataset's files: a validator
    (``privileged``), a member of the owning organisation, or one holding
    an active grant on it (``granted``: dataset ids)."""
    return privileged or (owner_org in set(member_of)) or package_id in set(granted)
