# -*- coding: utf-8 -*-
"""The open-data label's declarations and each dataset's compliance, as
last computed (what the lists read)."""
from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, types

import ckan.model.types as _types
from ckan.model.base import BaseModel

from .base import _now

__all__ = ["LabelDeclaration", "DatasetCompliance", "ComplianceMonth"]


class LabelDeclaration(BaseModel):  # type: ignore[misc]
    """What a partner's member or a validator declared about a criterion the
    portal cannot measure (``complete``, ``primary``, ``free_of_charge``):
    append-only, the latest per (dataset, criterion) is in force; ``unknown``
    withdraws the previous declaration."""

    __tablename__ = "partnership_label_declaration"
    __table_args__ = (Index("idx_partnership_label_declaration_latest",
                            "package_id", "criterion", "declared_at"),)

    id = Column(types.UnicodeText, primary_key=True, default=_types.make_uuid)
    package_id = Column(types.UnicodeText, ForeignKey("package.id", ondelete="CASCADE"),
                        nullable=False)
    criterion = Column(types.UnicodeText, nullable=False)
    status = Column(types.UnicodeText, nullable=False)
    comment = Column(types.UnicodeText)
    declared_by = Column(types.UnicodeText, ForeignKey("user.id"), nullable=False)
    declared_at = Column(types.DateTime, nullable=False, default=_now)


class DatasetCompliance(BaseModel):  # type: ignore[misc]
    """A dataset's freshness dates and label, as computed at
    ``computed_at``. The state on any later day follows from ``expected_by``
    alone (``timely_fixed`` holds the state that does not depend on the day:
    ``not_applicable``, ``unknown``, or ``late`` for a periodic dataset without
    any date), so that lists derive today's figures in SQL."""

    __tablename__ = "partnership_dataset_compliance"

    package_id = Column(types.UnicodeText, ForeignKey("package.id", ondelete="CASCADE"),
                        primary_key=True)
    frequency = Column(types.UnicodeText)
    last_update = Column(types.Date)
    expected_by = Column(types.Date)
    timely_fixed = Column(types.UnicodeText)
    other_passed = Column(types.Integer, nullable=False)
    other_blocking = Column(types.Boolean, nullable=False)
    criteria = Column(types.JSON, nullable=False)
    computed_at = Column(types.DateTime, nullable=False, default=_now)


class ComplianceMonth(BaseModel):  # type: ignore[misc]
    """A partner's figures of a month (``month`` its first day), as the last
    run of ``notify`` in that month found them: the history the chart of
    fresh datasets draws."""

    __tablename__ = "partnership_compliance_month"

    organization_id = Column(types.UnicodeText, ForeignKey("group.id", ondelete="CASCADE"),
                             primary_key=True)
    month = Column(types.Date, primary_key=True)
    datasets = Column(types.Integer, nullable=False)
    fresh = Column(types.Integer, nullable=False)
    late = Column(types.Integer, nullable=False)
    not_applicable = Column(types.Integer, nullable=False)
    label_granted = Column(types.Integer, nullable=False)
    recorded_at = Column(types.DateTime, nullable=False, default=_now)
