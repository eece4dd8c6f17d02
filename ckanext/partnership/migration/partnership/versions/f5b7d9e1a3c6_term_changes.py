"""The history of an agreement's terms: each change, by an amendment (000
§7.3, 003 art. 11, 004 art. 13) or by a plain update, with the value
before and after.

Revision ID: f5b7d9e1a3c6
Revises: e4a6c8b0d2f3
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "f5b7d9e1a3c6"
down_revision = "e4a6c8b0d2f3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "partnership_agreement_term_change",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("agreement_id", sa.UnicodeText,
                  sa.ForeignKey("partnership_agreement.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("amendment_id", sa.UnicodeText,
                  sa.ForeignKey("partnership_amendment.id", ondelete="CASCADE")),
        sa.Column("term", sa.UnicodeText, nullable=False),
        sa.Column("old_value", sa.JSON),
        sa.Column("new_value", sa.JSON),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index("idx_partnership_term_change_agreement",
                    "partnership_agreement_term_change", ["agreement_id", "term", "created"])
    op.create_index("idx_partnership_term_change_amendment",
                    "partnership_agreement_term_change", ["amendment_id"])


def downgrade():
    op.drop_table("partnership_agreement_term_change")
