# -*- coding: utf-8 -*-
"""The mails of restricted access: a new request to the partner's side
(its publisher and mailbox) with the host in copy, each decision and each
revocation to the account concerned."""
from __future__ import annotations

from typing import Optional

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.partnership import discussions
from ckanext.partnership import model as pmodel
from ckanext.partnership.core import mail

_ = tk._


def access_page_url(package: model.Package) -> str:
    return tk.url_for("partnership.dataset_access", id=package.name, _external=True)


def mail_new_request(request: pmodel.AccessRequest) -> None:
    with mail.portal_language() as ready:
        if not ready:
            return
        package = model.Package.get(request.package_id)
        user = model.User.get(request.user_id)
        hours = discussions.sla_hours(request.organization_id)
        subject = _("Access request for {title}").format(title=package.title)
        intro = _("{user} asks for access to the files of {title}; the agreement asks for an "
                  "answer within {hours} hours.").format(
            user=user.fullname or user.name, title=package.title, hours=hours)
        text = "\n\n".join((intro, request.purpose, access_page_url(package)))
        mail.later(discussions.partner_side(request.organization_id)
                   + discussions.host_side(), subject, text + "\n")


def mail_decision(request: pmodel.AccessRequest) -> None:
    with mail.portal_language() as ready:
        if not ready:
            return
        package = model.Package.get(request.package_id)
        user = model.User.get(request.user_id)
        if request.state == "granted":
            subject = _("Access granted: {title}").format(title=package.title)
            if request.until:
                intro = _("You may download the files of {title} until {until} "
                          "inclusive.").format(title=package.title,
                                               until=request.until.strftime("%d/%m/%Y"))
            else:
                intro = _("You may download the files of {title}.").format(title=package.title)
        else:
            subject = _("Access refused: {title}").format(title=package.title)
            intro = _("The partner refused your request for the files of {title}.").format(
                title=package.title)
        text = "\n\n".join(x for x in (intro, request.message, mail.dataset_url(package)) if x)
        mail.later(mail.recipients([user]), subject, text + "\n")


def mail_revoked(grant: pmodel.AccessGrant) -> None:
    user: Optional[model.User] = model.User.get(grant.user_id) if grant.user_id else None
    if user is None:
        return
    with mail.portal_language() as ready:
        if not ready:
            return
        package = model.Package.get(grant.package_id)
        subject = _("Access withdrawn: {title}").format(title=package.title)
        text = _("Your access to the files of {title} has been withdrawn.").format(
            title=package.title)
        mail.later(mail.recipients([user]), subject,
                   text + "\n\n" + mail.dataset_url(package) + "\n")
