# -*- coding: utf-8 -*-
"""Actions of comments and contact messages (README, API, "Comments").
Each checks access, validates its input with a schema of :mod:`..schema`
and calls :mod:`ckanext.partnership.discussions`."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.partnership import access, discussions
from ckanext.partnership.domain import response_clock
from ckanext.partnership.logic import schema
from ckanext.partnership.logic.transaction import writing

_ = tk._


def partnership_comment_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Comment on a published dataset, or reply in a thread. A reply by a
    member of the owning organisation is the partner's answer.

    :param package_id: the dataset's id or name
    :type package_id: string
    :param body: the message, in Markdown (at most 5000 characters)
    :type body: string
    :param reply_to: a comment of the thread to answer in (optional)
    :type reply_to: string

    :returns: ``{id, thread_id, package_id, author, body, created,
        by_partner}``
    :rtype: dictionary
    """
    data_dict = schema.checked_text(data_dict, schema.comment_schema())
    package = discussions.published_package(data_dict.get("package_id"))
    tk.check_access("partnership_comment_create", context, {"package_id": package.id})
    if package.private:
        raise tk.ValidationError({"package_id": [_(
            "Only published datasets are open to comments.")]})
    errors = discussions.body_errors(data_dict.get("body"))
    if errors:
        raise tk.ValidationError({"body": errors})
    with writing(context):
        comment, new_thread = discussions.add_comment(
            package, discussions.user_of(context.get("user")), data_dict["body"],
            data_dict.get("reply_to"))
        if new_thread:
            discussions.mail_new_thread(comment.thread, comment.body)
    return discussions.comment_dict(comment)


@tk.side_effect_free
def partnership_comment_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The threads of a dataset, oldest first, with their comments and
    clock: ``state`` (awaiting | answered | overdue | closed), ``due_at``,
    ``first_response_at``, ``on_time``. Threads hidden as abuse are listed
    for validators only; contact messages about the dataset for the
    partner's members and the validators only.

    :param package_id: the dataset's id or name (or ``id``)
    :type package_id: string
    :param limit: at most this many threads (default 100, at most 1000)
    :type limit: int
    :param offset: from this one (default 0, the first)
    :type offset: int

    :returns: the threads ``[{id, kind, package_id, state, due_at,
        first_response_at, on_time, comments: [...], ...}]``
    :rtype: list of dictionaries
    """
    package, page = _package_threads_input(context, data_dict, schema.page_schema())
    return discussions.package_threads(package, context.get("user"), page["limit"],
                                       page["offset"])


@tk.side_effect_free
def partnership_comment_count(context: Context, data_dict: DataDict) -> dict[str, int]:
    """How many threads ``partnership_comment_list`` gives for a dataset
    in all, to page through them.

    :param package_id: the dataset's id or name (or ``id``)
    :type package_id: string

    :returns: ``{count}``
    :rtype: dictionary
    """
    package, _page = _package_threads_input(context, data_dict, {})
    return {"count": discussions.package_thread_count(package, context.get("user"))}


def _package_threads_input(context: Context, data_dict: DataDict,
                           page_schema: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The dataset whose threads are read, once the reader may, and the
    window asked for."""
    data_dict = schema.checked_text(data_dict, schema.lookup_schema())
    package = discussions.published_package(data_dict.get("package_id") or data_dict.get("id"))
    tk.check_access("partnership_comment_list", context, {"package_id": package.id})
    return package, schema.validated(data_dict, page_schema, context)


def partnership_comment_close(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A validator closes a thread that needs no answer, or hides it as
    abuse; its clock stops.

    :param id: the thread's id
    :type id: string
    :param reason: ``no_answer_needed`` or ``abuse``
    :type reason: string
    :param note: why, for the record (optional)
    :type note: string

    :returns: the thread, as ``partnership_comment_list`` gives it
    :rtype: dictionary
    """
    tk.check_access("partnership_comment_close", context, data_dict)
    data_dict = schema.checked_text(data_dict, schema.thread_close_schema())
    thread = discussions.thread_or_404(data_dict.get("id"))
    reason = data_dict.get("reason")
    if reason not in response_clock.CLOSE_REASONS:
        raise tk.ValidationError({"reason": [_("Choose a reason: {allowed}").format(
            allowed=", ".join(response_clock.CLOSE_REASONS))]})
    with writing(context):
        discussions.close(thread, discussions.user_of(context.get("user")), reason,
                          data_dict.get("note"))
    return discussions.thread_dict(thread, context.get("user"))


def partnership_contact_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Write to a partner through the contact form: the message reaches the
    host's mailbox and the partner's, and is tracked with the same clock
    until a member of the partner marks it answered.

    :param organization: the partner (name or id), or
    :type organization: string
    :param package_id: a dataset of it
    :type package_id: string
    :param name: the sender's name (default: the account's)
    :type name: string
    :param email: the sender's address, for the answer (default: the
        account's)
    :type email: string
    :param subject: the subject (optional, at most 200 characters)
    :type subject: string
    :param body: the message (at most 5000 characters)
    :type body: string

    :returns: the thread, as ``partnership_comment_list`` gives it
    :rtype: dictionary
    """
    data_dict = schema.checked_text(data_dict, schema.contact_message_schema())
    tk.check_access("partnership_contact_create", context, data_dict)
    package = None
    if data_dict.get("package_id"):
        package = discussions.published_package(data_dict["package_id"])
        if package.private:
            raise tk.ObjectNotFound(_("Dataset not found"))
        org = model.Group.get(package.owner_org)
    else:
        org = model.Group.get(str(data_dict.get("organization") or ""))
    if org is None or not org.is_organization:
        raise tk.ValidationError({"organization": [_("Organization not found")]})
    user = discussions.user_of(context.get("user"))
    errors: dict[str, list[str]] = {}
    name = (data_dict.get("name") or (user.fullname or user.name if user else "")).strip()
    email = (data_dict.get("email") or (user.email if user else "") or "").strip().lower()
    if not name:
        errors["name"] = [_("Give your name")]
    if not discussions.email_valid(email):
        errors["email"] = [_("Give an e-mail address to be answered at")]
    if len(data_dict.get("subject") or "") > 200:
        errors["subject"] = [_("At most {n} characters ({length} given)").format(
            n=200, length=len(data_dict["subject"]))]
    body_errors = discussions.body_errors(data_dict.get("body"))
    if body_errors:
        errors["body"] = body_errors
    if errors:
        raise tk.ValidationError(errors)
    with writing(context):
        thread = discussions.add_contact_message(org.id, package, user, name, email,
                                                 data_dict.get("subject"), data_dict["body"])
        discussions.mail_new_thread(thread, thread.comments[0].body)
    return discussions.thread_dict(thread, context.get("user"))


def partnership_contact_answered(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A member of the partner marks a contact message answered (the answer
    itself went by mail, the host in copy): its clock stops.

    :param id: the thread's id
    :type id: string

    :returns: the thread, as ``partnership_comment_list`` gives it
    :rtype: dictionary
    """
    data_dict = schema.checked_text(data_dict, schema.thread_note_schema())
    thread = discussions.thread_or_404(data_dict.get("id"))
    tk.check_access("partnership_contact_answered", context,
                    {"organization_id": thread.organization_id})
    with writing(context):
        discussions.mark_answered(thread, discussions.user_of(context.get("user")))
    return discussions.thread_dict(thread, context.get("user"))


def partnership_contact_reply(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Answer a contact message: the answer is mailed at once to its
    sender with the host's mailbox in copy (000 §10.1.3), kept in the
    thread, and the message is marked answered. When the mail cannot go,
    nothing is recorded and the error names ``body``: the answer is to be
    sent again.

    :param id: the thread's id
    :type id: string
    :param body: the answer (at most 5000 characters)
    :type body: string

    :returns: the thread, as ``partnership_comment_list`` gives it
    :rtype: dictionary
    """
    data_dict = schema.checked_text(data_dict, schema.contact_reply_schema())
    thread = discussions.thread_or_404(data_dict.get("id"))
    tk.check_access("partnership_contact_reply", context,
                    {"organization_id": thread.organization_id})
    errors = discussions.body_errors(data_dict.get("body"))
    if errors:
        raise tk.ValidationError({"body": errors})
    user = discussions.user_of(context.get("user"))
    with writing(context):
        reply = discussions.reply_to_contact(thread, user, data_dict["body"])
        try:
            discussions.mail_contact_reply(thread, reply, user)
        except discussions.ReplyNotSent:
            raise tk.ValidationError({"body": [_(
                "The mail server could not send your answer: nothing is recorded. "
                "Send it again later.")]})
    return discussions.thread_dict(thread, context.get("user"))


@tk.side_effect_free
def partnership_thread_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Threads to answer, oldest deadline first, then oldest: a partner's
    members see their organisation's, validators every partner's.

    :param organization: only this partner's (name or id)
    :type organization: string
    :param state: ``open`` (default: awaiting and overdue), ``awaiting``,
        ``overdue``, ``answered``, ``closed`` or ``all``
    :type state: string
    :param limit: at most this many threads (default 100, at most 1000)
    :type limit: int
    :param offset: from this one (default 0, the first)
    :type offset: int

    :returns: the threads, as ``partnership_comment_list`` gives them
    :rtype: list of dictionaries
    """
    tk.check_access("partnership_thread_list", context, data_dict)
    data = schema.validated(data_dict, {**schema.thread_list_schema(), **schema.page_schema()},
                            context)
    return discussions.threads_to_answer(context.get("user"), data.get("organization"),
                                         data["state"], data["limit"], data["offset"])


@tk.side_effect_free
def partnership_thread_count(context: Context, data_dict: DataDict) -> dict[str, int]:
    """How many threads ``partnership_thread_list`` gives in all, with the
    same filters, to page through them.

    :param organization: only this partner's (name or id)
    :type organization: string
    :param state: as ``partnership_thread_list`` (default ``open``)
    :type state: string

    :returns: ``{count}``
    :rtype: dictionary
    """
    tk.check_access("partnership_thread_count", context, data_dict)
    data = schema.validated(data_dict, schema.thread_list_schema(), context)
    return {"count": discussions.thread_count(context.get("user"), data.get("organization"),
                                              data["state"])}


@tk.side_effect_free
def partnership_response_stats(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """How partners answer their users: threads, answered, answered within
    the deadline, awaiting, overdue, median first response time; overall,
    per partner and per month of the first question. Public.

    :param organization: only this partner's (name or id)
    :type organization: string
    :param since: threads from this day (``YYYY-MM-DD``)
    :type since: string
    :param until: threads up to this day, included
    :type until: string

    :returns: ``{threads, answered, answered_on_time, awaiting, overdue,
        closed, median_first_response_hours, by_organization: [...],
        by_month: [{month, ...}], access_requests: {requests, decided,
        decided_on_time, granted, refused, overdue, median_decision_hours,
        by_month}}``
    :rtype: dictionary
    """
    tk.check_access("partnership_response_stats", context, data_dict)
    data = schema.validated(data_dict, schema.period_schema(), context)
    found = discussions.response_stats(data.get("organization"), data.get("since"),
                                       data.get("until"))
    # the partner's other answers to its users: requests for restricted files
    found["access_requests"] = access.request_stats(data.get("organization"),
                                                    data.get("since"), data.get("until"))
    return found
