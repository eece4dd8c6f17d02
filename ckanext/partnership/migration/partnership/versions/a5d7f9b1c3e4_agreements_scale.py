"""Agreements at scale: indexes for the lists.

The agreements' list is sorted by organisation then date of entry into
force (then id) and filtered by state (the list, the daily run); the annex
is looked up by dataset (a dataset deleted sets its link to NULL); the
daily run reads an agreement's recorded reminders by agreement and kind.
The contacts, amendments, documents, planned datasets and committee
meetings already have their index on ``agreement_id``.

Revision ID: a5d7f9b1c3e4
Revises: f3c5e7a9b1d2
Create Date: 2026-12-01
"""
from alembic import op

revision = "a5d7f9b1c3e4"
down_revision = "f3c5e7a9b1d2"
branch_labels = None
depends_on = None

INDEXES = (
    ("idx_partnership_agreement_organization_id_effective_on", "partnership_agreement",
     ["organization_id", "effective_on", "id"]),
    ("idx_partnership_agreement_state", "partnership_agreement", ["state"]),
    ("idx_partnership_planned_dataset_package_id", "partnership_planned_dataset",
     ["package_id"]),
    ("idx_partnership_event_agreement_id_kind", "partnership_event", ["agreement_id", "kind"]),
)


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
