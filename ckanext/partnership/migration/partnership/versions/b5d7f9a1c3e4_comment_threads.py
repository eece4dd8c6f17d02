"""Add comment threads and contact messages.

Revision ID: b5d7f9a1c3e4
Revises: a4c6e8f0b2d3
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "b5d7f9a1c3e4"
down_revision = "a4c6e8f0b2d3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "partnership_thread",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("organization_id", sa.UnicodeText,
                  sa.ForeignKey("group.id", ondelete="CASCADE"), nullable=False),
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE")),
        sa.Column("subject", sa.UnicodeText),
        sa.Column("sender_name", sa.UnicodeText),
        sa.Column("sender_email", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("answered_at", sa.DateTime),
        sa.Column("answered_by", sa.UnicodeText, sa.ForeignKey("user.id")),
        sa.Column("closed_at", sa.DateTime),
        sa.Column("closed_by", sa.UnicodeText, sa.ForeignKey("user.id")),
        sa.Column("close_reason", sa.UnicodeText),
        sa.Column("close_note", sa.UnicodeText),
    )
    op.create_index("idx_partnership_thread_organization", "partnership_thread",
                    ["organization_id"])
    op.create_index("idx_partnership_thread_package", "partnership_thread", ["package_id"])
    op.create_table(
        "partnership_comment",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("thread_id", sa.UnicodeText,
                  sa.ForeignKey("partnership_thread.id", ondelete="CASCADE"), nullable=False),
        sa.Column("author_id", sa.UnicodeText, sa.ForeignKey("user.id")),
        sa.Column("by_partner", sa.Boolean, nullable=False),
        sa.Column("body", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index("idx_partnership_comment_thread", "partnership_comment", ["thread_id"])
    op.create_index("idx_partnership_comment_author", "partnership_comment",
                    ["author_id", "created"])


def downgrade():
    op.drop_table("partnership_comment")
    op.drop_table("partnership_thread")
