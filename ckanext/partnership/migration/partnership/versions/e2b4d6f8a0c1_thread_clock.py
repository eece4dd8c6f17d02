"""Discussions at scale: each thread's clock stored with it, indexes for the lists.

Revision ID: e2b4d6f8a0c1
Revises: d8f0a2c4e6b1
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "e2b4d6f8a0c1"
down_revision = "d8f0a2c4e6b1"
branch_labels = None
depends_on = None

COLUMNS = ("clock_started_at", "clock_due_at", "clock_answered_at",
           "first_started_at", "first_due_at", "first_response_at")

INDEXES = (
    ("idx_partnership_thread_clock_due_at_created", ["clock_due_at", "created", "id"]),
    ("idx_partnership_thread_organization_id_clock_due_at",
     ["organization_id", "clock_due_at", "created"]),
    ("idx_partnership_thread_package_id_created", ["package_id", "created"]),
    ("idx_partnership_thread_first_started_at", ["first_started_at"]),
    ("idx_partnership_thread_closed_at", ["closed_at"]),
)

# The rule of ``domain.response_clock.clock`` in one statement, for every
# thread at once. A thread's messages are its comments and, for a contact
# message marked answered, that mark (the partner's reply), in time order (a
# comment before a mark at the same instant). A question starts the clock
# when the message before it is the partner's (or there is none); the
# partner's message right after a question answers it. The deadline is the
# start plus the ``comment_sla_hours`` of the organisation's agreement in
# force, else of its latest one, else 48.
BACKFILL = """
WITH messages AS (
    SELECT c.thread_id, c.created AS at, c.by_partner, 0 AS kind, c.id
      FROM partnership_comment c
    UNION ALL
    SELECT t.id, t.answered_at, true, 1, t.id
      FROM partnership_thread t WHERE t.answered_at IS NOT NULL
), ordered AS (
    SELECT thread_id, at, by_partner,
           row_number() OVER w AS rn, lag(by_partner) OVER w AS previous
      FROM messages
    WINDOW w AS (PARTITION BY thread_id ORDER BY at, kind, id)
), marks AS (
    SELECT thread_id, at, rn,
           (NOT by_partner AND (previous IS NULL OR previous)) AS question,
           (by_partner AND previous IS NOT NULL AND NOT previous) AS answer
      FROM ordered
), cycles AS (
    SELECT thread_id,
           min(at) FILTER (WHERE question) AS first_start,
           max(at) FILTER (WHERE question) AS last_start,
           max(rn) FILTER (WHERE question) AS last_rn,
           min(at) FILTER (WHERE answer) AS first_answer
      FROM marks GROUP BY thread_id
), last_answers AS (
    SELECT m.thread_id, min(m.at) AS at
      FROM marks m JOIN cycles c ON c.thread_id = m.thread_id
     WHERE m.answer AND m.rn > c.last_rn
     GROUP BY m.thread_id
), slas AS (
    SELECT o.organization_id, COALESCE(
        (SELECT a.comment_sla_hours FROM partnership_agreement a
          WHERE a.organization_id = o.organization_id
            AND a.state IN ('active', 'terminating') LIMIT 1),
        (SELECT a.comment_sla_hours FROM partnership_agreement a
          WHERE a.organization_id = o.organization_id
          ORDER BY a.effective_on DESC LIMIT 1),
        48) AS hours
      FROM (SELECT DISTINCT organization_id FROM partnership_thread) o
)
UPDATE partnership_thread t SET
    first_started_at = c.first_start,
    first_response_at = c.first_answer,
    first_due_at = c.first_start + make_interval(hours => s.hours),
    clock_started_at = c.last_start,
    clock_due_at = c.last_start + make_interval(hours => s.hours),
    clock_answered_at = l.at
  FROM cycles c LEFT JOIN last_answers l ON l.thread_id = c.thread_id, slas s
 WHERE t.id = c.thread_id AND s.organization_id = t.organization_id
   AND c.first_start IS NOT NULL
"""


def upgrade():
    for name in COLUMNS:
        op.add_column("partnership_thread", sa.Column(name, sa.DateTime))
    # Fresh statistics first (a database just restored has none).
    for table in ("partnership_comment", "partnership_thread", "partnership_agreement"):
        op.execute(f"ANALYZE {table}")
    op.execute(BACKFILL)
    for name, columns in INDEXES:
        op.create_index(name, "partnership_thread", columns)


def downgrade():
    for name, _columns in INDEXES:
        op.drop_index(name, table_name="partnership_thread")
    for name in COLUMNS:
        op.drop_column("partnership_thread", name)
