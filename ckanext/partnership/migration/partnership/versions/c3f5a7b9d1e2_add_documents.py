"""Add the document table (PDFs attached to agreements).

Revision ID: c3f5a7b9d1e2
Revises: 8d2e4f6a9b13
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "c3f5a7b9d1e2"
down_revision = "8d2e4f6a9b13"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "partnership_document",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("agreement_id", sa.UnicodeText,
                  sa.ForeignKey("partnership_agreement.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("original_name", sa.UnicodeText, nullable=False),
        sa.Column("stored_name", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index("idx_partnership_document_agreement", "partnership_document",
                    ["agreement_id"])


def downgrade():
    op.drop_table("partnership_document")
