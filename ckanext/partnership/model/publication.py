# -*- coding: utf-8 -*-
"""The publication requests and the host's decisions; the flags of
published datasets that now fail a check."""
from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, types

import ckan.model.types as _types
from ckan.model.base import BaseModel

from .base import _now

__all__ = ["PublicationRequest", "Flag"]


class PublicationRequest(BaseModel):  # type: ignore[misc]
    """A publisher's request to publish a dataset, the checks it passed,
    and the host's decision. At most one request per dataset is
    ``pending`` (a partial unique index)."""

    __tablename__ = "partnership_publication_request"
    # the lists' filters and sorts (migration f3c5e7a9b1d2)
    __table_args__ = (
        Index("idx_partnership_publication_request_org_status_due_at",  # 63 characters at most
              "organization_id", "status", "due_at"),
        Index("idx_partnership_publication_request_package_id_submitted_at",
              "package_id", "submitted_at"),
        Index("idx_partnership_publication_request_submitted_at", "submitted_at"),
        Index("idx_partnership_publication_request_mode_decided_at", "mode", "decided_at"),
    )

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


class Flag(BaseModel):  # type: ignore[misc]
    """A published partner dataset that now fails a check (it stays online,
    flagged): kept up to date where the flags can change (a file's check
    stored, the dataset saved, its agreement changed), read by the flagged
    list. ``checks`` holds the failing checks as
    ``publication_rules.flags`` gives them; the row goes with the dataset."""

    __tablename__ = "partnership_flag"

    package_id = Column(types.UnicodeText, ForeignKey("package.id", ondelete="CASCADE"),
                        primary_key=True)
    organization_id = Column(types.UnicodeText, ForeignKey("group.id", ondelete="CASCADE"),
                             nullable=False)
    checks = Column(types.JSON, nullable=False)
    since = Column(types.DateTime, nullable=False, default=_now)

    __table_args__ = (Index("idx_partnership_flag_organization_id", "organization_id"),)
