# -*- coding: utf-8 -*-
"""Tables of ckanext-partnership, all prefixed ``partnership_``; created by
the migrations of ``migration/partnership`` (``ckan db upgrade -p
partnership``), never at start-up."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from sqlalchemy import Column, ForeignKey, types
from sqlalchemy.orm import relationship

import ckan.model.types as _types
from ckan.model.base import BaseModel

from ckanext.partnership.domain import agreement_calendar

__all__ = ["Agreement", "Contact", "Amendment", "Event", "Document", "PlannedDataset",
           "CommitteeMeeting", "ResourceCheck", "PublicationRequest", "Thread", "Comment",
           "current_agreement",
           "agreement_in_force"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Agreement(BaseModel):  # type: ignore[misc]
    """A partnership agreement (convention de partenariat) with a partner
    organisation."""

    __tablename__ = "partnership_agreement"

    id = Column(types.UnicodeText, primary_key=True, default=_types.make_uuid)
    organization_id = Column(types.UnicodeText, ForeignKey("group.id"), nullable=False)
    reference = Column(types.UnicodeText, nullable=False)
    title = Column(types.UnicodeText)
    signed_on = Column(types.Date)
    effective_on = Column(types.Date, nullable=False)
    term = Column(types.UnicodeText, nullable=False)
    initial_term_months = Column(types.Integer)
    renewal = Column(types.UnicodeText, nullable=False)
    renewal_term_months = Column(types.Integer)
    max_total_months = Column(types.Integer)
    notice_months = Column(types.Integer)
    publication_mode = Column(types.UnicodeText, nullable=False)
    validation_sla_hours = Column(types.Integer, nullable=False)
    comment_sla_hours = Column(types.Integer, nullable=False)
    allowed_licenses = Column(_types.JsonType)
    quota_records_per_dataset = Column(types.BigInteger)
    quota_records_total = Column(types.BigInteger)
    quota_storage_bytes = Column(types.BigInteger)
    end_policy = Column(types.UnicodeText, nullable=False)
    state = Column(types.UnicodeText, nullable=False)
    termination_reason = Column(types.UnicodeText)
    termination_notified_on = Column(types.Date)
    ends_on = Column(types.Date)
    created = Column(types.DateTime, nullable=False, default=_now)
    modified = Column(types.DateTime, nullable=False, default=_now, onupdate=_now)

    contacts = relationship("Contact", back_populates="agreement",
                            cascade="all, delete-orphan", order_by="Contact.since")
    amendments = relationship("Amendment", back_populates="agreement",
                              cascade="all, delete-orphan", order_by="Amendment.signed_on")

    def terms(self) -> agreement_calendar.Terms:
        """The terms its calendar is computed from."""
        return agreement_calendar.Terms(
            effective_on=self.effective_on,
            term=self.term,
            initial_term_months=self.initial_term_months,
            renewal=self.renewal,
            renewal_term_months=self.renewal_term_months,
            max_total_months=self.max_total_months,
            notice_months=self.notice_months,
        )

    def state_on(self, today: Optional[dt.date] = None) -> str:
        """Its state on ``today`` (default: today), following its calendar:
        ``ended`` once its end has come, even before ``ckan partnership
        notify`` has recorded it (:func:`agreement_calendar.state_on`)."""
        return agreement_calendar.state_on(self.state, self.terms(), self.ends_on,
                                 today or dt.date.today())

    def in_force(self, today: Optional[dt.date] = None) -> bool:
        return self.state_on(today) in agreement_calendar.IN_FORCE


class Contact(BaseModel):  # type: ignore[misc]
    """A person with a role in an agreement, from ``since`` to ``until``
    (open-ended when None). A change of role holder closes the old line and
    opens a new one: the history is kept."""

    __tablename__ = "partnership_contact"

    id = Column(types.UnicodeText, primary_key=True, default=_types.make_uuid)
    agreement_id = Column(types.UnicodeText,
                          ForeignKey("partnership_agreement.id", ondelete="CASCADE"),
                          nullable=False)
    role = Column(types.UnicodeText, nullable=False)
    user_id = Column(types.UnicodeText, ForeignKey("user.id"))
    name = Column(types.UnicodeText)
    email = Column(types.UnicodeText)
    since = Column(types.Date, nullable=False)
    until = Column(types.Date)

    agreement = relationship("Agreement", back_populates="contacts")


class Amendment(BaseModel):  # type: ignore[misc]
    """An amendment (avenant) to an agreement."""

    __tablename__ = "partnership_amendment"

    id = Column(types.UnicodeText, primary_key=True, default=_types.make_uuid)
    agreement_id = Column(types.UnicodeText,
                          ForeignKey("partnership_agreement.id", ondelete="CASCADE"),
                          nullable=False)
    reference = Column(types.UnicodeText, nullable=False)
    signed_on = Column(types.Date, nullable=False)
    summary = Column(types.UnicodeText)
    created = Column(types.DateTime, nullable=False, default=_now)

    agreement = relationship("Agreement", back_populates="amendments")


class Document(BaseModel):  # type: ignore[misc]
    """A PDF attached to an agreement: the signed agreement, an amendment,
    an annex. The file is stored with CKAN's uploader."""

    __tablename__ = "partnership_document"

    id = Column(types.UnicodeText, primary_key=True, default=_types.make_uuid)
    agreement_id = Column(types.UnicodeText,
                          ForeignKey("partnership_agreement.id", ondelete="CASCADE"),
                          nullable=False)
    kind = Column(types.UnicodeText, nullable=False)
    title = Column(types.UnicodeText, nullable=False)
    original_name = Column(types.UnicodeText, nullable=False)
    stored_name = Column(types.UnicodeText, nullable=False)
    created = Column(types.DateTime, nullable=False, default=_now)


class PlannedDataset(BaseModel):  # type: ignore[misc]
    """A dataset the partner intends to publish (the agreement's annex),
    linked to the real dataset once it exists."""

    __tablename__ = "partnership_planned_dataset"

    id = Column(types.UnicodeText, primary_key=True, default=_types.make_uuid)
    agreement_id = Column(types.UnicodeText,
                          ForeignKey("partnership_agreement.id", ondelete="CASCADE"),
                          nullable=False)
    title = Column(types.UnicodeText, nullable=False)
    standard = Column(types.UnicodeText)
    frequency = Column(types.UnicodeText)
    package_id = Column(types.UnicodeText, ForeignKey("package.id", ondelete="SET NULL"))
    created = Column(types.DateTime, nullable=False, default=_now)


class CommitteeMeeting(BaseModel):  # type: ignore[misc]
    """A meeting of the steering committee (000 art. 12), with its minutes."""

    __tablename__ = "partnership_committee_meeting"

    id = Column(types.UnicodeText, primary_key=True, default=_types.make_uuid)
    agreement_id = Column(types.UnicodeText,
                          ForeignKey("partnership_agreement.id", ondelete="CASCADE"),
                          nullable=False)
    held_on = Column(types.Date, nullable=False)
    minutes = Column(types.UnicodeText)
    created = Column(types.DateTime, nullable=False, default=_now)


class Event(BaseModel):  # type: ignore[misc]
    """What the portal did about an agreement, once: a reminder sent, the
    agreement ended, a dataset withdrawn. ``key`` is unique, so that
    ``ckan partnership notify`` never does the same thing twice."""

    __tablename__ = "partnership_event"

    id = Column(types.UnicodeText, primary_key=True, default=_types.make_uuid)
    key = Column(types.UnicodeText, nullable=False, unique=True)
    agreement_id = Column(types.UnicodeText,
                          ForeignKey("partnership_agreement.id", ondelete="CASCADE"),
                          nullable=False)
    package_id = Column(types.UnicodeText)
    kind = Column(types.UnicodeText, nullable=False)
    detail = Column(types.UnicodeText)
    created = Column(types.DateTime, nullable=False, default=_now)


def agreement_columns() -> list[str]:
    return [c.name for c in Agreement.__table__.columns]


class ResourceCheck(BaseModel):  # type: ignore[misc]
    """The latest checks of one resource: queued (``pending``), then their
    report. ``fingerprint`` says which version of the file and of its
    standard the row is about, so that an unchanged resource is not queued
    again. ``attempts`` counts the jobs that started on this version: a
    check whose job keeps being lost ends as an error."""

    __tablename__ = "partnership_resource_check"

    resource_id = Column(types.UnicodeText, ForeignKey("resource.id", ondelete="CASCADE"),
                         primary_key=True)
    package_id = Column(types.UnicodeText, ForeignKey("package.id", ondelete="CASCADE"),
                        nullable=False, index=True)
    status = Column(types.UnicodeText, nullable=False, index=True)
    fingerprint = Column(types.UnicodeText, nullable=False)
    standard = Column(types.UnicodeText)
    rows = Column(types.BigInteger)
    report = Column(types.JSON)
    queued = Column(types.DateTime, nullable=False, default=_now)
    finished = Column(types.DateTime)
    attempts = Column(types.Integer, nullable=False, default=0, server_default="0")


class PublicationRequest(BaseModel):  # type: ignore[misc]
    """A publisher's request to publish a dataset, the checks it passed,
    and the host's decision. At most one request per dataset is
    ``pending`` (a partial unique index)."""

    __tablename__ = "partnership_publication_request"

    id = Column(types.UnicodeText, primary_key=True, default=_types.make_uuid)
    package_id = Column(types.UnicodeText, ForeignKey("package.id", ondelete="CASCADE"),
                        nullable=False, index=True)
    organization_id = Column(types.UnicodeText, ForeignKey("group.id"), nullable=False)
    agreement_id = Column(types.UnicodeText,
                          ForeignKey("partnership_agreement.id", ondelete="CASCADE"),
                          nullable=False)
    mode = Column(types.UnicodeText, nullable=False)
    status = Column(types.UnicodeText, nullable=False)
    submitted_by = Column(types.UnicodeText, ForeignKey("user.id"), nullable=False)
    submitted_at = Column(types.DateTime, nullable=False, default=_now)
    due_at = Column(types.DateTime, nullable=False)
    checks = Column(types.JSON, nullable=False)
    decided_by = Column(types.UnicodeText, ForeignKey("user.id"))
    decided_at = Column(types.DateTime)
    reasons = Column(types.JSON)
    message = Column(types.UnicodeText)


class Thread(BaseModel):  # type: ignore[misc]
    """A discussion with a partner: comments on one of its datasets, or a
    message of the contact form (``kind``), answered within the agreement's
    ``comment_sla_hours`` (000 §10.1.3)."""

    __tablename__ = "partnership_thread"

    id = Column(types.UnicodeText, primary_key=True, default=_types.make_uuid)
    kind = Column(types.UnicodeText, nullable=False)  # comment | contact
    organization_id = Column(types.UnicodeText, ForeignKey("group.id", ondelete="CASCADE"),
                             nullable=False, index=True)
    package_id = Column(types.UnicodeText, ForeignKey("package.id", ondelete="CASCADE"),
                        index=True)
    subject = Column(types.UnicodeText)
    # a contact message's sender, who may have no account
    sender_name = Column(types.UnicodeText)
    sender_email = Column(types.UnicodeText)
    created = Column(types.DateTime, nullable=False, default=_now)
    answered_at = Column(types.DateTime)  # a contact message marked answered
    answered_by = Column(types.UnicodeText, ForeignKey("user.id"))
    closed_at = Column(types.DateTime)
    closed_by = Column(types.UnicodeText, ForeignKey("user.id"))
    close_reason = Column(types.UnicodeText)  # no_answer_needed | abuse
    close_note = Column(types.UnicodeText)

    comments = relationship("Comment", back_populates="thread", cascade="all, delete-orphan",
                            order_by="Comment.created")


class Comment(BaseModel):  # type: ignore[misc]
    """One message of a thread, in Markdown (rendered safely)."""

    __tablename__ = "partnership_comment"

    id = Column(types.UnicodeText, primary_key=True, default=_types.make_uuid)
    thread_id = Column(types.UnicodeText,
                       ForeignKey("partnership_thread.id", ondelete="CASCADE"),
                       nullable=False, index=True)
    author_id = Column(types.UnicodeText, ForeignKey("user.id"), index=True)
    by_partner = Column(types.Boolean, nullable=False, default=False)
    body = Column(types.UnicodeText, nullable=False)
    created = Column(types.DateTime, nullable=False, default=_now)
    # the network address it came from, for the rate limit (never shown)
    client_address = Column(types.UnicodeText, index=True)

    thread = relationship("Thread", back_populates="comments")


def current_agreement(organization_id: str) -> Optional[Agreement]:
    """The agreement that governs an organisation today: the one in force
    (active or being terminated), else its latest."""
    from ckan.model import Session

    query = Session.query(Agreement).filter(Agreement.organization_id == organization_id)
    return (agreement_in_force(organization_id)
            or query.order_by(Agreement.effective_on.desc()).first())


def agreement_in_force(organization_id: Optional[str]) -> Optional[Agreement]:
    """The organisation's agreement in force (active or being terminated)
    today, if any: the one whose rules govern its datasets. One recorded in
    force whose calendar has ended is not, even before ``ckan partnership
    notify`` has recorded its end."""
    from ckan.model import Session

    if not organization_id:
        return None
    agreement = (Session.query(Agreement)
                 .filter(Agreement.organization_id == organization_id)
                 .filter(Agreement.state.in_(agreement_calendar.IN_FORCE)).first())
    return agreement if agreement is not None and agreement.in_force() else None


def as_dict(obj: Any) -> dict[str, Any]:
    """A row as a dict of JSON-ready values (dates ISO 8601)."""
    out: dict[str, Any] = {}
    for column in obj.__table__.columns:
        value = getattr(obj, column.name)
        if isinstance(value, dt.datetime):
            value = value.replace(tzinfo=dt.timezone.utc).isoformat()
        elif isinstance(value, dt.date):
            value = value.isoformat()
        out[column.name] = value
    return out


