"""Add the event table (reminders sent, agreements ended, datasets withdrawn).

Revision ID: 8d2e4f6a9b13
Revises: 5b1c0a7e2f01
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "8d2e4f6a9b13"
down_revision = "5b1c0a7e2f01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "partnership_event",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("key", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("agreement_id", sa.UnicodeText,
                  sa.ForeignKey("partnership_agreement.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("package_id", sa.UnicodeText),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("detail", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index("idx_partnership_event_agreement", "partnership_event", ["agreement_id"])


def downgrade():
    op.drop_table("partnership_event")
