# -*- coding: utf-8 -*-
"""The mails of the discussions: who is written to on each side, the link
to a thread, the mail of a new thread, the partner's answer to a contact
message with the host in copy (000 §10.1.3)."""
from __future__ import annotations

import logging

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import mailer

from ckanext.partnership import model as pmodel
from ckanext.partnership.core import mail, roles

from .threads import sla_hours

_ = tk._
log = logging.getLogger(__name__)


class ReplyNotSent(Exception):
    """The mail server refused or could not be reached: the answer did not
    reach the sender."""


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


def mail_contact_reply(thread: pmodel.Thread, reply: pmodel.Comment, user: model.User) -> None:
    """The partner's answer to a contact message, now: to the sender, the
    host's mailbox in copy (000 §10.1.3), answers going back to the
    partner's mailbox. Raises :class:`ReplyNotSent` when the sender's mail
    cannot go; a copy to the host that fails is logged (the host reads the
    answer on its discussions page)."""
    org = model.Group.get(thread.organization_id)
    host = host_side()
    partner = partner_side(thread.organization_id)
    reply_to = org.extras.get("opendata_email") if org is not None else None
    reply_to = reply_to or user.email or (partner[0][1] if partner else None)
    headers = {}
    if host:
        headers["Cc"] = ", ".join(
            f"{mail.display_name(name)} <{email}>" for name, email in host)
    if reply_to:
        headers["Reply-To"] = reply_to
    with mail.portal_language():
        subject = _("Answer from {partner}: {subject}").format(
            partner=org.title, subject=thread.subject or _("your message"))
        signature = "{name}, {partner}".format(name=user.fullname or user.name,
                                               partner=org.title)
        first = thread.comments[0]
        quoted = "\n".join("> " + line for line in first.body.splitlines())
        wrote = _("On {date}, you wrote:").format(date=mail.when(first.created))
        copy = _("The host ({site}) receives a copy of this answer.").format(
            site=tk.config.get("ckan.site_title") or "")
        text = "\n\n".join((reply.body, "-- \n" + signature, wrote + "\n" + quoted, copy))
    try:
        mailer.mail_recipient(mail.display_name(thread.sender_name), thread.sender_email,
                              subject, text + "\n", headers=headers)
    except Exception as error:
        log.error("answer to %s failed: %s", thread.sender_email, error)
        raise ReplyNotSent(str(error)) from error
    for name, email in host:
        try:
            mailer.mail_recipient(mail.display_name(name), email, subject, text + "\n",
                                  headers=headers)
        except Exception as error:  # the answer reached its reader; the host sees it here
            log.error("copy of an answer to %s failed: %s", email, error)
