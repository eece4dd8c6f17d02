"""Publication at scale: flags of published datasets kept up to date, indexes for the queue and the figures.

``partnership_flag`` holds, per published partner dataset that fails a
check, its failing checks (what the flagged list shows). The code keeps it
up to date; this migration fills it for the datasets already published, as
well as SQL can: a public, active dataset of a partner with an agreement
recorded in force whose licence is outside the agreement's allowed list,
or with a file whose stored check is ``error`` (the file could not be
read) or ``failure`` (the report's failing results give the line:
personal data, open formats, else the standard).

What the backfill cannot know: the required metadata a dataset lacks (the
schema decides, in Python; a public dataset passed it when it was saved)
and an agreement whose calendar has ended before ``ckan partnership notify``
recorded it (the list hides those by the calendar anyway). No e-mail is
recorded for the rows it writes. The first check of a file or save of the
dataset recomputes its row (and tells the publisher as usual).

Revision ID: f3c5e7a9b1d2
Revises: e2b4d6f8a0c1
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "f3c5e7a9b1d2"
down_revision = "e2b4d6f8a0c1"
branch_labels = None
depends_on = None

REQUEST = "partnership_publication_request"
REQUEST_INDEXES = {
    "idx_partnership_publication_request_org_status_due_at":
        ["organization_id", "status", "due_at"],
    "idx_partnership_publication_request_package_id_submitted_at":
        ["package_id", "submitted_at"],
    "idx_partnership_publication_request_submitted_at": ["submitted_at"],
    "idx_partnership_publication_request_mode_decided_at": ["mode", "decided_at"],
}

#: The flags of the datasets published before this migration (see above);
#: the checks in the order ``publication_rules.evaluate`` gives them.
BACKFILL = """
WITH governed AS (
  SELECT DISTINCT ON (p.id) p.id AS package_id, p.owner_org, p.license_id,
         COALESCE(NULLIF(a.allowed_licenses, '')::json, '[]'::json) AS allowed
  FROM package p
  JOIN partnership_agreement a ON a.organization_id = p.owner_org
  WHERE a.state IN ('active', 'terminating') AND p.private = false AND p.state = 'active'
  ORDER BY p.id, a.effective_on DESC
), files AS (
  SELECT r.package_id, r.position, r.id,
         COALESCE(NULLIF(r.name, ''), NULLIF(r.url, ''), r.id) AS name,
         c.status, c.report
  FROM resource r
  JOIN partnership_resource_check c ON c.resource_id = r.id
  JOIN governed g ON g.package_id = r.package_id
  WHERE r.state = 'active' AND c.status IN ('failure', 'error')
), lines AS (
  SELECT package_id, position, id, name, status, 'standard' AS code
  FROM files WHERE status = 'error'
  UNION
  SELECT f.package_id, f.position, f.id, f.name, f.status,
         CASE x->>'check' WHEN 'personal_data' THEN 'personal_data'
                          WHEN 'format' THEN 'open_formats' ELSE 'standard' END
  FROM files f,
       json_array_elements(CASE WHEN json_typeof(f.report->'results') = 'array'
                                THEN f.report->'results' ELSE '[]'::json END) x
  WHERE f.status = 'failure' AND x->>'status' IN ('failure', 'error')
), failing AS (
  SELECT package_id, 1 AS rank,
         json_build_object('code', 'licence', 'status', 'fail', 'params',
                           json_build_object('license', license_id, 'allowed', allowed)) AS chk
  FROM governed
  WHERE json_typeof(allowed) = 'array' AND json_array_length(allowed) > 0
    AND NOT EXISTS (SELECT 1 FROM json_array_elements_text(allowed) l
                    WHERE l = license_id)
  UNION ALL
  SELECT package_id,
         CASE code WHEN 'standard' THEN 2 WHEN 'personal_data' THEN 3 ELSE 4 END,
         json_build_object('code', code, 'status', 'fail', 'params', json_build_object(
             'resources', json_agg(json_build_object('id', id, 'name', name, 'status', status)
                                   ORDER BY position, id)))
  FROM lines GROUP BY package_id, code
)
INSERT INTO partnership_flag (package_id, organization_id, checks, since)
SELECT g.package_id, g.owner_org, json_agg(f.chk ORDER BY f.rank),
       now() AT TIME ZONE 'utc'
FROM failing f JOIN governed g ON g.package_id = f.package_id
GROUP BY g.package_id, g.owner_org
ON CONFLICT (package_id) DO NOTHING
"""


def upgrade():
    for name, columns in REQUEST_INDEXES.items():
        op.create_index(name, REQUEST, columns)
    op.create_table(
        "partnership_flag",
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("organization_id", sa.UnicodeText,
                  sa.ForeignKey("group.id", ondelete="CASCADE"), nullable=False),
        sa.Column("checks", sa.JSON, nullable=False),
        sa.Column("since", sa.DateTime, nullable=False),
    )
    op.create_index("idx_partnership_flag_organization_id", "partnership_flag",
                    ["organization_id"])
    # Fresh statistics first: a database just restored has none, and the
    # planner would then join 20,000 datasets by nested loops for minutes.
    for table in ("package", "resource", "partnership_resource_check", "partnership_agreement"):
        op.execute(f"ANALYZE {table}")
    op.execute(BACKFILL)


def downgrade():
    op.drop_index("idx_partnership_flag_organization_id", table_name="partnership_flag")
    op.drop_table("partnership_flag")
    for name in REQUEST_INDEXES:
        op.drop_index(name, table_name=REQUEST)
