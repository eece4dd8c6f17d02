"""The portal's API calls counted per month (002 §3.3: 300,000 a month
shared by all signatories), moved here from Redis by ``ckan partnership
notify``.

Revision ID: d1a3c5e7f9b2
Revises: c9e1a3b5d7f2
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "d1a3c5e7f9b2"
down_revision = "c9e1a3b5d7f2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "partnership_api_calls",
        sa.Column("month", sa.UnicodeText, primary_key=True),
        sa.Column("calls", sa.BigInteger, nullable=False, server_default="0"),
    )


def downgrade():
    op.drop_table("partnership_api_calls")
