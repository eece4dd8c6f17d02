"""Restricted-access data (004 §7.1): access requests, grants, the log of
downloads.

Revision ID: b2d4f6a8c0e3
Revises: a4c6e8f0b2d5
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "b2d4f6a8c0e3"
down_revision = "a4c6e8f0b2d5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "partnership_access_request",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False),
        sa.Column("organization_id", sa.UnicodeText,
                  sa.ForeignKey("group.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("purpose", sa.UnicodeText, nullable=False),
        sa.Column("state", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("due_at", sa.DateTime, nullable=False),
        sa.Column("decided_at", sa.DateTime),
        sa.Column("decided_by", sa.UnicodeText, sa.ForeignKey("user.id")),
        sa.Column("message", sa.UnicodeText),
        sa.Column("until", sa.Date),
        sa.Column("grant_id", sa.UnicodeText),
    )
    op.create_index("idx_partnership_access_request_org_state_due_at",
                    "partnership_access_request", ["organization_id", "state", "due_at"])
    op.create_index("idx_partnership_access_request_package_id_created",
                    "partnership_access_request", ["package_id", "created"])
    op.create_index("idx_partnership_access_request_created", "partnership_access_request",
                    ["created"])
    op.create_index("ix_partnership_access_request_user_id", "partnership_access_request",
                    ["user_id"])
    op.create_index("uq_partnership_access_request_pending", "partnership_access_request",
                    ["package_id", "user_id"], unique=True,
                    postgresql_where=sa.text("state = 'pending'"))
    op.create_table(
        "partnership_access_grant",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False),
        sa.Column("organization_id", sa.UnicodeText,
                  sa.ForeignKey("group.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE")),
        sa.Column("grantee_organization_id", sa.UnicodeText,
                  sa.ForeignKey("group.id", ondelete="CASCADE")),
        sa.Column("until", sa.Date),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("granted_by", sa.UnicodeText, sa.ForeignKey("user.id"), nullable=False),
        sa.Column("request_id", sa.UnicodeText),
        sa.Column("revoked_at", sa.DateTime),
        sa.Column("revoked_by", sa.UnicodeText, sa.ForeignKey("user.id")),
        sa.CheckConstraint("(user_id IS NULL) <> (grantee_organization_id IS NULL)",
                           name="ck_partnership_access_grant_one_grantee"),
    )
    op.create_index("idx_partnership_access_grant_package_id_created",
                    "partnership_access_grant", ["package_id", "created"])
    op.create_index("idx_partnership_access_grant_user_id", "partnership_access_grant",
                    ["user_id"])
    op.create_index("idx_partnership_access_grant_grantee_organization_id",
                    "partnership_access_grant", ["grantee_organization_id"])
    op.create_table(
        "partnership_download",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False),
        sa.Column("resource_id", sa.UnicodeText, nullable=False),
        sa.Column("organization_id", sa.UnicodeText,
                  sa.ForeignKey("group.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("idx_partnership_download_package_id_at", "partnership_download",
                    ["package_id", "at"])
    op.create_index("idx_partnership_download_organization_id_at", "partnership_download",
                    ["organization_id", "at"])
    op.create_index("idx_partnership_download_at", "partnership_download", ["at"])


def downgrade():
    op.drop_table("partnership_download")
    op.drop_table("partnership_access_grant")
    op.drop_table("partnership_access_request")
