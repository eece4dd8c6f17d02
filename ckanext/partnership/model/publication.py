# -*- coding: utf-8 -*-
"""The publication requests and the host's decisions."""
from __future__ import annotations

from sqlalchemy import Column, ForeignKey, types

import ckan.model.types as _types
from ckan.model.base import BaseModel

from .base import _now

__all__ = ["PublicationRequest"]


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
