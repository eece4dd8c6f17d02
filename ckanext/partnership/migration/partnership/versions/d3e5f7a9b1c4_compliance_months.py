"""Compliance: each partner's figures of freshness and the label, month by
month (the last run of ``notify`` in a month wins).

Revision ID: d3e5f7a9b1c4
Revises: c9d1e3f5a7b8
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "d3e5f7a9b1c4"
down_revision = "c9d1e3f5a7b8"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "partnership_compliance_month",
        sa.Column("organization_id", sa.UnicodeText,
                  sa.ForeignKey("group.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("month", sa.Date, primary_key=True),
        sa.Column("datasets", sa.Integer, nullable=False),
        sa.Column("fresh", sa.Integer, nullable=False),
        sa.Column("late", sa.Integer, nullable=False),
        sa.Column("not_applicable", sa.Integer, nullable=False),
        sa.Column("label_granted", sa.Integer, nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("partnership_compliance_month")
