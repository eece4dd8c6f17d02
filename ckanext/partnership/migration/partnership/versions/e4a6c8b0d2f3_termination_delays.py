"""Add the agreement's delays of termination: the days of a formal notice
before a termination for breach takes effect (000 §17.1) and the months of
force majeure that end the agreement (000 §20.1); empty: the parties set
the date.

Revision ID: e4a6c8b0d2f3
Revises: b2d4f6a8c0e3
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "e4a6c8b0d2f3"
down_revision = "b2d4f6a8c0e3"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("partnership_agreement", sa.Column("breach_notice_days", sa.Integer))
    op.add_column("partnership_agreement", sa.Column("force_majeure_months", sa.Integer))


def downgrade():
    op.drop_column("partnership_agreement", "force_majeure_months")
    op.drop_column("partnership_agreement", "breach_notice_days")
