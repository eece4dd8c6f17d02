"""Add the planned-dataset annex and the steering committee's meetings.

Revision ID: e7a9c1d3f5b4
Revises: c3f5a7b9d1e2
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "e7a9c1d3f5b4"
down_revision = "c3f5a7b9d1e2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "partnership_planned_dataset",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("agreement_id", sa.UnicodeText,
                  sa.ForeignKey("partnership_agreement.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("standard", sa.UnicodeText),
        sa.Column("frequency", sa.UnicodeText),
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="SET NULL")),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index("idx_partnership_planned_agreement", "partnership_planned_dataset",
                    ["agreement_id"])
    op.create_table(
        "partnership_committee_meeting",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("agreement_id", sa.UnicodeText,
                  sa.ForeignKey("partnership_agreement.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("minutes", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index("idx_partnership_committee_agreement", "partnership_committee_meeting",
                    ["agreement_id"])


def downgrade():
    op.drop_table("partnership_committee_meeting")
    op.drop_table("partnership_planned_dataset")
