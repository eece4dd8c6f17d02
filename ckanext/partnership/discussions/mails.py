# -*- coding: utf-8 -*-
"""The mails of the discussions: who is written to on each side, the link
to a thread, the mail of a new thread (000 §10.1.3)."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.partnership import model as pmodel
from ckanext.partnership.core import mail, roles

from .threads import sla_hours

_ = tk._


def partner_side(organization_id: str) -> list[tuple[str, str]]:
    """The partner's publisher and its generic open-data mailbox."""
    org = model.Group.get(organization_id)
    agreement = pmodel.agreement_in_force(organization_id)
    people = mail.recipients([roles.publisher_of(agreement)] if agreement else [])
    generic = org.extras.get("opendata_email") if org is not None else None
    if generic and generic not in [e for _, e in people]:
        people.append((org.title or org.name, generic))
    return people


def host_side() -> list[tuple[str, str]]:
    """The host's generic open-data mailbox (``host_mailbox``)."""
    box = tk.config.get("ckanext.partnership.host_mailbox")
    return [(tk.config.get("ckan.site_title") or box, box)] if box else []


def thread_url(thread: pmodel.Thread) -> str:
    if thread.package_id:
        package = model.Package.get(thread.package_id)
        return tk.url_for("dataset.read", id=package.name, _external=True) + "#comments"
    return tk.url_for("partnership.threads", _external=True)


def mail_new_thread(thread: pmodel.Thread, body: str) -> None:
    """Each new thread, at once, to the host's mailbox and the partner's
    publisher and mailbox (000 §10.1.3)."""
    with mail.portal_language() as ready:
        if not ready:
            return
        org = model.Group.get(thread.organization_id)
        package = model.Package.get(thread.package_id) if thread.package_id else None
        hours = sla_hours(thread.organization_id)
        if thread.kind == "contact":
            subject = _("Contact message for {partner}: {subject}").format(
                partner=org.title, subject=thread.subject or "")
        else:
            subject = _("New comment on {title}").format(title=package.title)
        intro = _("A user wrote to {partner}; the agreement asks for an answer within {hours} "
                  "hours, from the partner's account.").format(partner=org.title, hours=hours)
        sender = thread.sender_name or ""
        if thread.sender_email:
            sender = f"{sender} <{thread.sender_email}>"
        text = "\n\n".join(x for x in (intro, sender, body, thread_url(thread)) if x)
        mail.later(host_side() + partner_side(thread.organization_id), subject, text + "\n")
