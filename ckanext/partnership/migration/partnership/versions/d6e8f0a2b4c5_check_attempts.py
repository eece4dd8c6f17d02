"""Count the runs of a resource's checks, so that a check whose job keeps
being lost (a killed worker) ends as an error instead of staying pending.

Revision ID: d6e8f0a2b4c5
Revises: b5d7f9a1c3e4
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "d6e8f0a2b4c5"
down_revision = "b5d7f9a1c3e4"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("partnership_resource_check",
                  sa.Column("attempts", sa.Integer, nullable=False, server_default="0"))
    op.create_index("idx_partnership_resource_check_status",
                    "partnership_resource_check", ["status"])


def downgrade():
    op.drop_index("idx_partnership_resource_check_status", "partnership_resource_check")
    op.drop_column("partnership_resource_check", "attempts")
