# -*- coding: utf-8 -*-
"""The latest checks of each resource."""
from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, types

from ckan.model.base import BaseModel

from .base import _now

__all__ = ["ResourceCheck"]


class ResourceCheck(BaseModel):  # type: ignore[misc]
    """The latest checks of one resource: queued (``pending``), then their
    report. ``fingerprint`` says which version of the file and of its
    standard the row is about, so that an unchanged resource is not queued
    again. ``attempts`` counts the jobs that started on this version: a
    check whose job keeps being lost ends as an error."""

    __tablename__ = "partnership_resource_check"
    # what the search hook reads, served from the index (migration b7e9a1c3d5f6)
    __table_args__ = (Index("idx_partnership_resource_check_package_stamps", "package_id",
                            postgresql_include=["resource_id", "status", "standard",
                                                "queued", "finished"]),)

    resource_id = Column(types.UnicodeText, ForeignKey("resource.id", ondelete="CASCADE"),
                         primary_key=True)
    package_id = Column(types.UnicodeText, ForeignKey("package.id", ondelete="CASCADE"),
                        nullable=False)
    status = Column(types.UnicodeText, nullable=False, index=True)
    fingerprint = Column(types.UnicodeText, nullable=False)
    standard = Column(types.UnicodeText)
    rows = Column(types.BigInteger)
    report = Column(types.JSON)
    queued = Column(types.DateTime, nullable=False, default=_now)
    finished = Column(types.DateTime)
    attempts = Column(types.Integer, nullable=False, default=0, server_default="0")
