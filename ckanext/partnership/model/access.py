# -*- coding: utf-8 -*-
"""Restricted-access data (004 §7.1): the requests for access, the grants
the partner made, the log of the files downloaded (000 §9.3.1)."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, text, types

import ckan.model.types as _types
from ckan.model.base import BaseModel

from .base import _now

__all__ = ["AccessRequest", "AccessGrant", "Download"]


class AccessRequest(BaseModel):  # type: ignore[misc]
    """A signed-in user's request to download a restricted dataset's files,
    with its purpose; decided by the partner (its publisher) or a validator
    within the agreement's ``comment_sla_hours`` (``due_at``). At most one
    request of a user per dataset is ``pending`` (a partial unique index)."""

    __tablename__ = "partnership_access_request"
    __table_args__ = (
        Index("idx_partnership_access_request_org_state_due_at",
              "organization_id", "state", "due_at"),
        Index("idx_partnership_access_request_package_id_created", "package_id", "created"),
        Index("idx_partnership_access_request_created", "created"),
        Index("uq_partnership_access_request_pending", "package_id", "user_id", unique=True,
              postgresql_where=text("state = 'pending'")),
    )

    id = Column(types.UnicodeText, primary_key=True, default=_types.make_uuid)
    package_id = Column(types.UnicodeText, ForeignKey("package.id", ondelete="CASCADE"),
                        nullable=False)
    organization_id = Column(types.UnicodeText, ForeignKey("group.id", ondelete="CASCADE"),
                             nullable=False)
    user_id = Column(types.UnicodeText, ForeignKey("user.id", ondelete="CASCADE"),
                     nullable=False, index=True)
    purpose = Column(types.UnicodeText, nullable=False)
    state = Column(types.UnicodeText, nullable=False, default="pending")
    created = Column(types.DateTime, nullable=False, default=_now)
    due_at = Column(types.DateTime, nullable=False)
    decided_at = Column(types.DateTime)
    decided_by = Column(types.UnicodeText, ForeignKey("user.id"))
    message = Column(types.UnicodeText)
    until = Column(types.Date)
    grant_id = Column(types.UnicodeText)


class AccessGrant(BaseModel):  # type: ignore[misc]
    """The partner's permission to download a restricted dataset's files:
    to one account or to every member of one organisation, until the end of
    ``until`` (or for good), until revoked."""

    __tablename__ = "partnership_access_grant"
    __table_args__ = (
        CheckConstraint("(user_id IS NULL) <> (grantee_organization_id IS NULL)",
                        name="ck_partnership_access_grant_one_grantee"),
        Index("idx_partnership_access_grant_package_id_created", "package_id", "created"),
        Index("idx_partnership_access_grant_user_id", "user_id"),
        Index("idx_partnership_access_grant_grantee_organization_id",
              "grantee_organization_id"),
    )

    id = Column(types.UnicodeText, primary_key=True, default=_types.make_uuid)
    package_id = Column(types.UnicodeText, ForeignKey("package.id", ondelete="CASCADE"),
                        nullable=False)
    organization_id = Column(types.UnicodeText, ForeignKey("group.id", ondelete="CASCADE"),
                             nullable=False)
    user_id = Column(types.UnicodeText, ForeignKey("user.id", ondelete="CASCADE"))
    grantee_organization_id = Column(types.UnicodeText,
                                     ForeignKey("group.id", ondelete="CASCADE"))
    until = Column(types.Date)
    created = Column(types.DateTime, nullable=False, default=_now)
    granted_by = Column(types.UnicodeText, ForeignKey("user.id"), nullable=False)
    request_id = Column(types.UnicodeText)
    revoked_at = Column(types.DateTime)
    revoked_by = Column(types.UnicodeText, ForeignKey("user.id"))


class Download(BaseModel):  # type: ignore[misc]
    """One download of a restricted dataset's file: who, when, which file
    (000 §9.3.1, imputability)."""

    __tablename__ = "partnership_download"
    __table_args__ = (
        Index("idx_partnership_download_package_id_at", "package_id", "at"),
        Index("idx_partnership_download_organization_id_at", "organization_id", "at"),
        Index("idx_partnership_download_at", "at"),
    )

    id = Column(types.UnicodeText, primary_key=True, default=_types.make_uuid)
    package_id = Column(types.UnicodeText, ForeignKey("package.id", ondelete="CASCADE"),
                        nullable=False)
    resource_id = Column(types.UnicodeText, nullable=False)
    organization_id = Column(types.UnicodeText, ForeignKey("group.id", ondelete="CASCADE"),
                             nullable=False)
    user_id = Column(types.UnicodeText, ForeignKey("user.id", ondelete="CASCADE"),
                     nullable=False)
    at = Column(types.DateTime, nullable=False, default=_now)
