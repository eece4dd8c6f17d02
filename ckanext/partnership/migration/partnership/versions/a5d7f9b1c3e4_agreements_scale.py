"""Agreements at scale: indexes for the lists.

Revision ID: a5d7f9b1c3e4
Revises: f3c5e7a9b1d2
Create Date: 2026-12-01
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "a5d7f9b1c3e4"
down_revision = "f3c5e7a9b1d2"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
