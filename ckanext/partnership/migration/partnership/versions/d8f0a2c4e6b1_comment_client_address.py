"""Add the network address each comment or contact message came from, for
the rate limit per client address.

Revision ID: d8f0a2c4e6b1
Revises: d6e8f0a2b4c5
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "d8f0a2c4e6b1"
down_revision = "d6e8f0a2b4c5"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("partnership_comment", sa.Column("client_address", sa.UnicodeText))
    op.create_index("idx_partnership_comment_client_address", "partnership_comment",
                    ["client_address"])


def downgrade():
    op.drop_index("idx_partnership_comment_client_address", "partnership_comment")
    op.drop_column("partnership_comment", "client_address")
