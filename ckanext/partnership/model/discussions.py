# -*- coding: utf-8 -*-
"""The discussions with a partner: threads (comments on a dataset, contact
messages) and their comments."""
from __future__ import annotations

from sqlalchemy import Column, ForeignKey, types
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
