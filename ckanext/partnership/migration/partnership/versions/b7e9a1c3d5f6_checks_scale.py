"""Resource checks at scale: indexes for the search hook and the check lists.

Revision ID: b7e9a1c3d5f6
Revises: a5d7f9b1c3e4
Create Date: 2026-12-01
"""
from alembic import op

revision = "b7e9a1c3d5f6"
down_revision = "a5d7f9b1c3e4"
branch_labels = None
depends_on = None


_TABLE = "partnership_resource_check"
#: What package_show and package_search read of each check (the search
#: hook): found by dataset, served from the index alone, never the report.
_STAMPS = "idx_partnership_resource_check_package_stamps"
_INCLUDED = ["resource_id", "status", "standard", "queued", "finished"]


def upgrade():
    op.create_index(_STAMPS, _TABLE, ["package_id"], postgresql_include=_INCLUDED)
    # its first column is the whole of the former index
    op.drop_index("idx_partnership_resource_check_package", _TABLE)


def downgrade():
    op.create_index("idx_partnership_resource_check_package", _TABLE, ["package_id"])
    op.drop_index(_STAMPS, _TABLE)
