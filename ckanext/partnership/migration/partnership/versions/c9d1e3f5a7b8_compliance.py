"""Compliance: the open-data label's declarations and each dataset's
freshness and label as last computed.

Revision ID: c9d1e3f5a7b8
Revises: d1a3c5e7f9b2
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "c9d1e3f5a7b8"
down_revision = "d1a3c5e7f9b2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "partnership_label_declaration",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False),
        sa.Column("criterion", sa.UnicodeText, nullable=False),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("comment", sa.UnicodeText),
        sa.Column("declared_by", sa.UnicodeText, sa.ForeignKey("user.id"), nullable=False),
        sa.Column("declared_at", sa.DateTime, nullable=False),
    )
    op.create_index("idx_partnership_label_declaration_latest",
                    "partnership_label_declaration",
                    ["package_id", "criterion", "declared_at"])
    op.create_table(
        "partnership_dataset_compliance",
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("frequency", sa.UnicodeText),
        sa.Column("last_update", sa.Date),
        sa.Column("expected_by", sa.Date),
        sa.Column("timely_fixed", sa.UnicodeText),
        sa.Column("other_passed", sa.Integer, nullable=False),
        sa.Column("other_blocking", sa.Boolean, nullable=False),
        sa.Column("criteria", sa.JSON, nullable=False),
        sa.Column("computed_at", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("partnership_dataset_compliance")
    op.drop_index("idx_partnership_label_declaration_latest", "partnership_label_declaration")
    op.drop_table("partnership_label_declaration")
