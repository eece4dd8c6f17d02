"""Create the agreement, contact and amendment tables.

Revision ID: 5b1c0a7e2f01
Revises:
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "5b1c0a7e2f01"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "partnership_agreement",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("organization_id", sa.UnicodeText, sa.ForeignKey("group.id"), nullable=False),
        sa.Column("reference", sa.UnicodeText, nullable=False),
        sa.Column("title", sa.UnicodeText),
        sa.Column("signed_on", sa.Date),
        sa.Column("effective_on", sa.Date, nullable=False),
        sa.Column("term", sa.UnicodeText, nullable=False),
        sa.Column("initial_term_months", sa.Integer),
        sa.Column("renewal", sa.UnicodeText, nullable=False),
        sa.Column("renewal_term_months", sa.Integer),
        sa.Column("max_total_months", sa.Integer),
        sa.Column("notice_months", sa.Integer),
        sa.Column("publication_mode", sa.UnicodeText, nullable=False),
        sa.Column("validation_sla_hours", sa.Integer, nullable=False),
        sa.Column("comment_sla_hours", sa.Integer, nullable=False),
        sa.Column("allowed_licenses", sa.UnicodeText),
        sa.Column("quota_records_per_dataset", sa.BigInteger),
        sa.Column("quota_records_total", sa.BigInteger),
        sa.Column("quota_storage_bytes", sa.BigInteger),
        sa.Column("end_policy", sa.UnicodeText, nullable=False),
        sa.Column("state", sa.UnicodeText, nullable=False),
        sa.Column("termination_reason", sa.UnicodeText),
        sa.Column("termination_notified_on", sa.Date),
        sa.Column("ends_on", sa.Date),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    )
    op.create_index("idx_partnership_agreement_org", "partnership_agreement",
                    ["organization_id"])
    # at most one agreement in force per organisation
    op.create_index(
        "uq_partnership_agreement_in_force", "partnership_agreement", ["organization_id"],
        unique=True, postgresql_where=sa.text("state in ('active', 'terminating')"),
    )
    op.create_table(
        "partnership_contact",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("agreement_id", sa.UnicodeText,
                  sa.ForeignKey("partnership_agreement.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("role", sa.UnicodeText, nullable=False),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id")),
        sa.Column("name", sa.UnicodeText),
        sa.Column("email", sa.UnicodeText),
        sa.Column("since", sa.Date, nullable=False),
        sa.Column("until", sa.Date),
    )
    op.create_index("idx_partnership_contact_agreement", "partnership_contact",
                    ["agreement_id"])
    op.create_table(
        "partnership_amendment",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("agreement_id", sa.UnicodeText,
                  sa.ForeignKey("partnership_agreement.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("reference", sa.UnicodeText, nullable=False),
        sa.Column("signed_on", sa.Date, nullable=False),
        sa.Column("summary", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index("idx_partnership_amendment_agreement", "partnership_amendment",
                    ["agreement_id"])


def downgrade():
    op.drop_table("partnership_amendment")
    op.drop_table("partnership_contact")
    op.drop_table("partnership_agreement")
