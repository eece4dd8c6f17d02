"""Add the agreement's quotas of daily updates (bytes of files changed in a
day) and of API calls a month (002 §3.3); empty means no limit.

Revision ID: c9e1a3b5d7f2
Revises: b7e9a1c3d5f6
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "c9e1a3b5d7f2"
down_revision = "b7e9a1c3d5f6"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("partnership_agreement",
                  sa.Column("quota_updates_per_day_bytes", sa.BigInteger))
    op.add_column("partnership_agreement",
                  sa.Column("quota_api_calls_per_month", sa.BigInteger))


def downgrade():
    op.drop_column("partnership_agreement", "quota_api_calls_per_month")
    op.drop_column("partnership_agreement", "quota_updates_per_day_bytes")
