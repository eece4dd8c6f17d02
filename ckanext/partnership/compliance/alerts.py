# -*- coding: utf-8 -*-
"""The 80 % mail, from ``ckan partnership notify``: when a partner's quota
reaches 80 % of its agreement's limit (or passes it), its publisher and
the host's validators are told, once per quota and period (the day for
the daily updates, the month for the others: a stock that stays above is
told once a month, :mod:`ckanext.partnership.domain.quotas`).

The API calls are shared by all signatories (002 §3.3): a partner whose
limit they reach tells its publisher; the validators get one mail for the
whole portal, once a month, when the calls reach 80 % of the smallest
limit in force (it is reached first, so it covers every partner's).

Each mail is recorded once sent (``partnership_event``, one key per
quota, period and audience); a mail that cannot go is not recorded, and
the next run sends it."""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterator, Optional

from flask_babel import format_decimal, format_percent

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.partnership import model as pmodel
from ckanext.partnership.core import mail, roles
from ckanext.partnership.domain import quotas

from .quotas import agreements_in_force_all, portal_api_limit, portal_quota_usage, quota_usages

_ = tk._

KIND = "quota_alert"
PUBLISHER, VALIDATORS = "publisher", "validators"


def quota_label(code: str) -> str:
    """What a quota counts, as people read it."""
    return {
        "records_per_dataset": _("records in its largest dataset"),
        "records_total": _("records in all its datasets"),
        "storage_bytes": _("bytes of stored files"),
        "updates_per_day_bytes": _("bytes of files changed today"),
        "api_calls_per_month": _("calls to the portal's API this month, all partners together"),
    }[code]


def alert_key(organization_id: Optional[str], code: str, today: dt.date, audience: str) -> str:
    """The event key of one mail: a partner's quota (``organization_id``)
    or the portal's (None), in the period of ``today``, to one audience."""
    return (f"quota/{organization_id or 'portal'}/{code}/"
            f"{quotas.period_key(code, today)}/{audience}")


def _figures(usage: dict[str, Any]) -> dict[str, str]:
    return {"used": format_decimal(usage["used"]), "limit": format_decimal(usage["limit"]),
            "share": format_percent(usage["share"]), "quota": quota_label(usage["code"])}


def partner_mail(agreement: Any, usage: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) of a partner's quota at 80 % or past its limit."""
    partner = roles.partner_name(agreement.organization_id)
    figures = _figures(usage)
    if usage["level"] == quotas.EXCEEDED:
        subject = _("Quota exceeded: {quota} ({partner})").format(partner=partner, **figures)
    else:
        subject = _("Quota at {share}: {quota} ({partner})").format(partner=partner, **figures)
    body = _(
        "{partner} uses {used} {quota}: {share} of the {limit} allowed by the "
        "partnership agreement {reference}.\n\n"
        "Past the limit, the quota is shown exceeded; a file that takes a dataset past "
        "its records per dataset cannot be published.\n\n"
        "Agreement: {url}\n"
    ).format(partner=partner, reference=agreement.reference,
             url=tk.url_for("partnership.read", id=agreement.id, _external=True), **figures)
    return subject, body


def portal_mail(agreement: Any, usage: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) of the portal's API calls at 80 % or past the limit."""
    figures = _figures(usage)
    subject = _("The portal's API calls at {share} of the month's limit").format(**figures)
    body = _(
        "The portal answered {used} API calls this month: {share} of the {limit} "
        "allowed, the smallest limit among the agreements in force "
        "(agreement {reference}, {partner}).\n\n"
        "Agreement: {url}\n"
    ).format(reference=agreement.reference,
             partner=roles.partner_name(agreement.organization_id),
             url=tk.url_for("partnership.read", id=agreement.id, _external=True), **figures)
    return subject, body


def _due(today: dt.date) -> list[tuple[str, Any, Optional[str], dict[str, Any], str]]:
    """(key, agreement, organization_id or None, usage, audience) of each
    mail due ``today``, recorded or not."""
    in_force = agreements_in_force_all(today)
    usages = quota_usages(list(in_force), today)
    due = []
    for org_id, agreement in sorted(in_force.items(), key=lambda item: item[1].reference):
        for usage in usages[org_id]:
            if not quotas.alert_due(usage["used"], usage["limit"]):
                continue
            audiences = ((PUBLISHER,) if usage["code"] == "api_calls_per_month"
                         else (PUBLISHER, VALIDATORS))
            for audience in audiences:
                due.append((alert_key(org_id, usage["code"], today, audience), agreement,
                            org_id, usage, audience))
    _limit, binding = portal_api_limit(today)
    if binding is not None:
        [api] = [u for u in portal_quota_usage(today) if u["code"] == "api_calls_per_month"]
        if quotas.alert_due(api["used"], api["limit"]):
            due.append((alert_key(None, api["code"], today, VALIDATORS), binding, None, api,
                        VALIDATORS))
    return due


def quota_alerts(today: dt.date) -> Iterator[str]:
    """Send the 80 % mails due ``today`` that no run sent yet; a line each.
    Raises (the next run tries again) when a mail cannot go."""
    due = _due(today)
    Event = pmodel.Event
    keys = [key for key, *_rest in due]
    recorded = {key for (key,) in model.Session.query(Event.key).filter(Event.key.in_(keys))}
    for key, agreement, org_id, usage, audience in due:
        if key in recorded:
            continue
        if audience == PUBLISHER:
            to = mail.recipients([roles.publisher_of(agreement)])
        else:
            to = mail.recipients(roles.validators())
        if not to:
            continue  # nobody to tell (no publisher named): told once one is
        subject, body = (partner_mail(agreement, usage) if org_id
                         else portal_mail(agreement, usage))
        if not mail.send(to, subject, body):
            raise RuntimeError(f"mail of {key} could not be sent")
        model.Session.add(Event(key=key, agreement_id=agreement.id, kind=KIND,
                                detail=f"{usage['code']} {usage['used']}/{usage['limit']} "
                                       f"({usage['level']}) to the {audience}"))
        model.Session.commit()
        recorded.add(key)
        who = roles.partner_name(org_id) if org_id else "portal"
        yield (f"{who}: {usage['code']} at {usage['share']:.0%} of its limit, "
               f"mail to the {audience}")
