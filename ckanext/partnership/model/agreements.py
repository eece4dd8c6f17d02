# -*- coding: utf-8 -*-
"""The agreements and what hangs on them: contacts, amendments, documents,
the planned datasets, the committee's meetings, the record of what
``ckan partnership notify`` did; the queries of the agreement that governs
an organisation."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import Column, ForeignKey, types
from sqlalchemy.orm import relationship

import ckan.model.types as _types
from ckan.model import Session
from ckan.model.base import BaseModel

from ckanext.partnership.domain import agreement_calendar

from .base import _now

__all__ = ["Agreement", "Contact", "Amendment", "TermChange", "Event", "Document", "PlannedDataset",
           "CommitteeMeeting", "current_agreement", "agreement_in_force", "event_recorded",
           "withdrawal_done_key"]


def _agreement_id() -> Column:
    """The agreement a row belongs to; the row goes with it."""
    return Column(types.UnicodeText,
                  ForeignKey("partnership_agreement.id", ondelete="CASCADE"), nullable=False)


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
    quota_updates_per_day_bytes = Column(types.BigInteger)
    quota_api_calls_per_month = Column(types.BigInteger)
    end_policy = Column(types.UnicodeText, nullable=False)
    breach_notice_days = Column(types.Integer)  # 000 §17.1; None: the parties' date
    force_majeure_months = Column(types.Integer)  # 000 §20.1; None: the parties' date
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
            breach_notice_days=self.breach_notice_days,
            force_majeure_months=self.force_majeure_months,
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
    agreement_id = _agreement_id()
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
    agreement_id = _agreement_id()
    reference = Column(types.UnicodeText, nullable=False)
    signed_on = Column(types.Date, nullable=False)
    summary = Column(types.UnicodeText)
    created = Column(types.DateTime, nullable=False, default=_now)

    agreement = relationship("Agreement", back_populates="amendments")


class TermChange(BaseModel):  # type: ignore[misc]
    """A change of one of an agreement's terms (``AGREEMENT_TERMS``): by an
    amendment (``amendment_id``), or by a plain update (None). The rows of
    a term are its history."""

    __tablename__ = "partnership_agreement_term_change"

    id = Column(types.UnicodeText, primary_key=True, default=_types.make_uuid)
    agreement_id = _agreement_id()
    amendment_id = Column(types.UnicodeText,
                          ForeignKey("partnership_amendment.id", ondelete="CASCADE"))
    term = Column(types.UnicodeText, nullable=False)
    # JSON, and None as SQL NULL (CKAN's JsonType reads NULL as {})
    old_value = Column(types.JSON(none_as_null=True))
    new_value = Column(types.JSON(none_as_null=True))
    created = Column(types.DateTime, nullable=False, default=_now)


class Document(BaseModel):  # type: ignore[misc]
    """A PDF attached to an agreement: the signed agreement, an amendment,
    an annex. The file is stored with CKAN's uploader."""

    __tablename__ = "partnership_document"

    id = Column(types.UnicodeText, primary_key=True, default=_types.make_uuid)
    agreement_id = _agreement_id()
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
    agreement_id = _agreement_id()
    title = Column(types.UnicodeText, nullable=False)
    standard = Column(types.UnicodeText)
    frequency = Column(types.UnicodeText)
    package_id = Column(types.UnicodeText, ForeignKey("package.id", ondelete="SET NULL"))
    due_on = Column(types.Date)  # the date the partner promised it by, if any
    created = Column(types.DateTime, nullable=False, default=_now)


class CommitteeMeeting(BaseModel):  # type: ignore[misc]
    """A meeting of the steering committee (000 art. 12), with its minutes."""

    __tablename__ = "partnership_committee_meeting"

    id = Column(types.UnicodeText, primary_key=True, default=_types.make_uuid)
    agreement_id = _agreement_id()
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
    agreement_id = _agreement_id()
    package_id = Column(types.UnicodeText)
    kind = Column(types.UnicodeText, nullable=False)
    detail = Column(types.UnicodeText)
    created = Column(types.DateTime, nullable=False, default=_now)


def current_agreement(organization_id: str) -> Optional[Agreement]:
    """The agreement that governs an organisation today: the one in force
    (active or being terminated), else its latest."""
    query = Session.query(Agreement).filter(Agreement.organization_id == organization_id)
    return (agreement_in_force(organization_id)
            or query.order_by(Agreement.effective_on.desc()).first())


def agreement_in_force(organization_id: Optional[str]) -> Optional[Agreement]:
    """The organisation's agreement in force (active or being terminated)
    today, if any: the one whose rules govern its datasets. One recorded in
    force whose calendar has ended is not, even before ``ckan partnership
    notify`` has recorded its end."""
    if not organization_id:
        return None
    agreement = (Session.query(Agreement)
                 .filter(Agreement.organization_id == organization_id)
                 .filter(Agreement.state.in_(agreement_calendar.IN_FORCE)).first())
    return agreement if agreement is not None and agreement.in_force() else None


def event_recorded(key: str) -> bool:
    """Whether the event ``key`` is recorded: ``ckan partnership notify``
    did that already."""
    return Session.query(Event).filter_by(key=key).count() > 0


def withdrawal_done_key(agreement_id: str) -> str:
    """The key of the event that records the withdrawal of an ended
    agreement's datasets as complete (its end policy ``withdraw``)."""
    return f"withdrawal-done/{agreement_id}"
