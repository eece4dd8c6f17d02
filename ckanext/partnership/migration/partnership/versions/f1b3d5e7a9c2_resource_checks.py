"""Add the resource checks' results.

Revision ID: f1b3d5e7a9c2
Revises: e7a9c1d3f5b4
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "f1b3d5e7a9c2"
down_revision = "e7a9c1d3f5b4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "partnership_resource_check",
        sa.Column("resource_id", sa.UnicodeText,
                  sa.ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("fingerprint", sa.UnicodeText, nullable=False),
        sa.Column("standard", sa.UnicodeText),
        sa.Column("rows", sa.BigInteger),
        sa.Column("report", sa.JSON),
        sa.Column("queued", sa.DateTime, nullable=False),
        sa.Column("finished", sa.DateTime),
    )
    op.create_index("idx_partnership_resource_check_package",
                    "partnership_resource_check", ["package_id"])


def downgrade():
    op.drop_table("partnership_resource_check")
