# -*- coding: utf-8 -*-
"""The mails of the workflow, in the portal's language, sent once the
transaction commits: a submission to the validators, a decision to the
publisher, a removal to the other side, a flag to both."""
from __future__ import annotations

from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.partnership import model as pmodel
from ckanext.partnership.core import mail, roles
from ckanext.partnership.core.mail import when
from ckanext.partnership.domain import publication_rules, sla

from .texts import check_detail, check_title, reason_label

_ = tk._


def publisher_side(package: model.Package, *extra: Optional[str],
                   organization_id: Optional[str] = None) -> list[tuple[str, str]]:
    """The partner's publisher (and any extra user ids: the submitter); the
    partner is the dataset's organisation unless named."""
    agreement = pmodel.agreement_in_force(organization_id or package.owner_org)
    people = [roles.publisher_of(agreement) if agreement else None]
    people += [model.User.get(u) for u in extra if u]
    return mail.recipients(people)


def _queue_url() -> str:
    return tk.url_for("partnership.queue", _external=True)


def mail_submitted(row: pmodel.PublicationRequest) -> None:
    """To the validators: a request to decide (or, in autonomous mode, a
    dataset the partner published)."""
    package = model.Package.get(row.package_id)
    with mail.portal_language() as ready:
        if not ready:
            return
        partner = roles.partner_name(row.organization_id)
        if row.status == publication_rules.APPROVED:
            subject = _("Published by {partner}: {title}").format(
                partner=partner, title=package.title)
            body = _("{partner} published the dataset «{title}» on the portal "
                     "(autonomous publication).\n\n{url}\n").format(
                partner=partner, title=package.title, url=mail.dataset_url(package))
        else:
            subject = _("To validate before {due}: {title}").format(
                due=when(row.due_at), title=package.title)
            body = _("{partner} submits the dataset «{title}» for publication.\n"
                     "Decision due before {due} ({hours} hours, agreement).\n\n"
                     "Dataset: {url}\nQueue: {queue}\n").format(
                partner=partner, title=package.title, due=when(row.due_at),
                hours=int(round(sla.hours_between(row.submitted_at, row.due_at))),
                url=mail.dataset_url(package), queue=_queue_url())
        mail.later(mail.recipients(roles.validators()), subject, body)


def mail_decided(row: pmodel.PublicationRequest) -> None:
    """To the publisher: the host's decision."""
    package = model.Package.get(row.package_id)
    with mail.portal_language() as ready:
        if not ready:
            return
        if row.status == publication_rules.APPROVED:
            subject = _("Published: {title}").format(title=package.title)
            body = _("The host approved the publication of «{title}». It is now "
                     "public.\n\n{url}\n").format(title=package.title,
                                                  url=mail.dataset_url(package))
        else:
            subject = _("Publication refused: {title}").format(title=package.title)
            body = _("The host refused the publication of «{title}».\n\n"
                     "Reasons: {reasons}\n\n{message}\n\n"
                     "Fix the dataset and submit it again from its page: {url}\n").format(
                title=package.title,
                reasons="; ".join(reason_label(r) for r in row.reasons or []),
                message=row.message or "", url=mail.dataset_url(package))
        mail.later(publisher_side(package, row.submitted_by), subject, body)


def mail_removed(package: model.Package, by_validator: bool, user_name: str,
                 reason: str, message: str, deleted: bool = False,
                 organization_id: Optional[str] = None) -> None:
    """A dataset made private or deleted: the other side is told (000 §9.4).
    The partner is the dataset's organisation unless named (a dataset
    moved out is told to the partner it left)."""
    with mail.portal_language() as ready:
        if not ready:
            return
        user = model.User.get(user_name)
        who = (user.fullname or user.name) if user else user_name
        if by_validator:
            to = publisher_side(package, organization_id=organization_id)
            subject = (_("Dataset deleted by the host: {title}") if deleted
                       else _("Dataset unpublished by the host: {title}")).format(
                title=package.title)
        else:
            to = mail.recipients(roles.validators())
            subject = (_("Dataset deleted by {partner}: {title}") if deleted
                       else _("Dataset withdrawn by {partner}: {title}")).format(
                partner=roles.partner_name(organization_id or package.owner_org),
                title=package.title)
        if deleted:
            body = _("{who} deleted the dataset «{title}».\n\n{url}\n").format(
                who=who, title=package.title, url=mail.dataset_url(package))
        else:
            body = _("{who} made the dataset «{title}» private.\n\nReason: {reason}\n\n"
                     "{message}\n\n{url}\n").format(
                who=who, title=package.title, reason=reason_label(reason),
                message=message or "", url=mail.dataset_url(package))
        mail.later(to, subject, body)


def flag_mail(package: model.Package, failing: list[dict[str, Any]]
              ) -> Optional[tuple[list[tuple[str, str]], str, str]]:
    """The mail that tells the publisher and the validators that a
    published dataset now fails a check; None without a translator."""
    with mail.portal_language() as ready:
        if not ready:
            return None
        subject = _("Published dataset flagged: {title}").format(title=package.title)
        lines = "\n".join(f"- {check_title(c['code'])} : {check_detail(c)}" for c in failing)
        body = _("The dataset «{title}» of {partner} is online and now fails checks:\n\n"
                 "{lines}\n\nIt stays public. Fix it from its page: {url}\n").format(
            title=package.title, partner=roles.partner_name(package.owner_org), lines=lines,
            url=mail.dataset_url(package))
        to = publisher_side(package) + mail.recipients(roles.validators())
        return to, subject, body
