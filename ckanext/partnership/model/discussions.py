# -*- coding: utf-8 -*-
"""The discussions with a partner: threads (comments on a dataset, contact
messages) and their comments."""
from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, types
from sqlalchemy.orm import relationship

import ckan.model.types as _types
from ckan.model.base import BaseModel

from .base import _now

__all__ = ["Thread", "Comment"]


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
    # The clock, stored (``discussions.refresh_clock``, by the one rule
    # ``domain.response_clock.clock``): the current (or last) question, its
    # deadline and its answer; the first question, its deadline and its
    # answer. The state (awaiting or overdue) is read against the time of
    # the request, never stored.
    clock_started_at = Column(types.DateTime)
    clock_due_at = Column(types.DateTime)
    clock_answered_at = Column(types.DateTime)
    first_started_at = Column(types.DateTime)
    first_due_at = Column(types.DateTime)
    first_response_at = Column(types.DateTime)

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


Index("idx_partnership_thread_clock_due_at_created", Thread.clock_due_at, Thread.created,
      Thread.id)
Index("idx_partnership_thread_organization_id_clock_due_at", Thread.organization_id,
      Thread.clock_due_at, Thread.created)
Index("idx_partnership_thread_package_id_created", Thread.package_id, Thread.created)
Index("idx_partnership_thread_first_started_at", Thread.first_started_at)
Index("idx_partnership_thread_closed_at", Thread.closed_at)
