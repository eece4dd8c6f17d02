"""The annex: the date by which a planned dataset is due, so that the
annual review tells the ones delivered on time from the late ones.

Revision ID: a4c6e8f0b2d5
Revises: d3e5f7a9b1c4
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "a4c6e8f0b2d5"
down_revision = "d3e5f7a9b1c4"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("partnership_planned_dataset", sa.Column("due_on", sa.Date))


def downgrade():
    op.drop_column("partnership_planned_dataset", "due_on")
