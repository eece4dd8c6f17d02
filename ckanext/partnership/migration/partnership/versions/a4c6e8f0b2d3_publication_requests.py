"""Add publication requests.

Revision ID: a4c6e8f0b2d3
Revises: f1b3d5e7a9c2
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "a4c6e8f0b2d3"
down_revision = "f1b3d5e7a9c2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "partnership_publication_request",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False),
        sa.Column("organization_id", sa.UnicodeText, sa.ForeignKey("group.id"),
                  nullable=False),
        sa.Column("agreement_id", sa.UnicodeText,
                  sa.ForeignKey("partnership_agreement.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("mode", sa.UnicodeText, nullable=False),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("submitted_by", sa.UnicodeText, sa.ForeignKey("user.id"), nullable=False),
        sa.Column("submitted_at", sa.DateTime, nullable=False),
        sa.Column("due_at", sa.DateTime, nullable=False),
        sa.Column("checks", sa.JSON, nullable=False),
        sa.Column("decided_by", sa.UnicodeText, sa.ForeignKey("user.id")),
        sa.Column("decided_at", sa.DateTime),
        sa.Column("reasons", sa.JSON),
        sa.Column("message", sa.UnicodeText),
    )
    op.create_index("idx_partnership_publication_request_package",
                    "partnership_publication_request", ["package_id"])
    # one pending request per dataset, whoever submits at the same moment
    op.create_index("idx_partnership_publication_request_one_pending",
                    "partnership_publication_request", ["package_id"], unique=True,
                    postgresql_where=sa.text("status = 'pending'"))
    op.create_index("idx_partnership_publication_request_queue",
                    "partnership_publication_request", ["status", "due_at"])


def downgrade():
    op.drop_table("partnership_publication_request")
