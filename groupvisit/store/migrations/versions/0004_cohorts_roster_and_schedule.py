"""Cohorts, their rosters and schedules: the tables a group-visit program needs beside its sessions' logs.

- New table `cohorts` (a standing group and the defaults its sessions are made with) and `patients`
  (a cohort's roster: one row per patient enrolled, a chart number unique within a cohort).
- `sessions` gains `cohort_id` (the cohort it belongs to) and `cancelled_at` (a mirror of its log).
- `audit` gains `cohort_id`, and its `session_id` may be empty: a roster or schedule change belongs
  to a cohort, not to one session.
- Every session already there is given a cohort: one per distinct `sessions.cohort` name, a drop-in
  group with the default settings, made when its first session was to start. Nothing is left outside one.

Revision ID: 0004
Revises: 0003
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

# Named, so the downgrade can drop them on PostgreSQL too (SQLite's copy of a table keeps the names).
SESSIONS_COHORT = "fk_sessions_cohort_id_cohorts"
AUDIT_COHORT = "fk_audit_cohort_id_cohorts"


def upgrade() -> None:
    op.create_table("cohorts",
                    sa.Column("id", sa.String(), nullable=False),
                    sa.Column("name", sa.String(), nullable=False),
                    sa.Column("condition", sa.String(), nullable=False),
                    sa.Column("languages", sa.String(), nullable=False),
                    sa.Column("kind", sa.String(), nullable=False),
                    sa.Column("planned_sessions", sa.Integer(), nullable=True),
                    sa.Column("session_minutes", sa.Integer(), nullable=False),
                    sa.Column("vote_budget", sa.Integer(), nullable=False),
                    sa.Column("timebox_minutes", sa.Integer(), nullable=False),
                    sa.Column("room", sa.String(), nullable=False),
                    sa.Column("created_at", sa.Float(), nullable=False),
                    sa.Column("archived_at", sa.Float(), nullable=True),
                    sa.PrimaryKeyConstraint("id"))
    op.create_table("patients",
                    sa.Column("id", sa.String(), nullable=False),
                    sa.Column("cohort_id", sa.String(), nullable=False),
                    sa.Column("clinic_name", sa.String(), nullable=False),
                    sa.Column("display_name", sa.String(), nullable=False),
                    sa.Column("language", sa.String(), nullable=False),
                    sa.Column("mrn", sa.String(), nullable=True),
                    sa.Column("birth_date", sa.String(), nullable=True),
                    sa.Column("agreement_signed_on", sa.String(), nullable=True),
                    sa.Column("enrolled_at", sa.Float(), nullable=False),
                    sa.Column("left_at", sa.Float(), nullable=True),
                    sa.ForeignKeyConstraint(["cohort_id"], ["cohorts.id"]),
                    sa.PrimaryKeyConstraint("id"))
    with op.batch_alter_table("patients") as batch_op:
        batch_op.create_index("ix_patients_cohort_id", ["cohort_id"])
        batch_op.create_index("ux_patients_cohort_mrn", ["cohort_id", "mrn"], unique=True)
    with op.batch_alter_table("sessions") as batch_op:
        batch_op.add_column(sa.Column("cohort_id", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("cancelled_at", sa.Float(), nullable=True))
        batch_op.create_index("ix_sessions_cohort_id", ["cohort_id"])
        batch_op.create_foreign_key(SESSIONS_COHORT, "cohorts", ["cohort_id"], ["id"])
    with op.batch_alter_table("audit") as batch_op:
        batch_op.add_column(sa.Column("cohort_id", sa.String(), nullable=True))
        batch_op.alter_column("session_id", existing_type=sa.String(), nullable=True)
        batch_op.create_index("ix_audit_cohort_id", ["cohort_id"])
        batch_op.create_foreign_key(AUDIT_COHORT, "cohorts", ["cohort_id"], ["id"])
    cohorts_for_existing_sessions()


def cohorts_for_existing_sessions() -> None:
    """A drop-in cohort (the tables' defaults) for each distinct cohort name the sessions have."""
    connection = op.get_bind()
    named = connection.execute(sa.text("SELECT cohort, MIN(starts_at) FROM sessions GROUP BY cohort")).fetchall()
    for name, first_start in named:
        cohort_id = secrets.token_hex(6)
        connection.execute(sa.text(
            "INSERT INTO cohorts (id, name, condition, languages, kind, planned_sessions, session_minutes, "
            "vote_budget, timebox_minutes, room, created_at, archived_at) "
            "VALUES (:id, :name, '', 'en', 'drop_in', NULL, 120, 3, 8, '', :created_at, NULL)"),
            {"id": cohort_id, "name": name, "created_at": first_start})
        connection.execute(sa.text("UPDATE sessions SET cohort_id = :id WHERE cohort = :name"),
                           {"id": cohort_id, "name": name})


def downgrade() -> None:
    # Rows of no session (roster and schedule changes) have no place in the old audit table.
    op.execute("DELETE FROM audit WHERE session_id IS NULL")
    with op.batch_alter_table("audit") as batch_op:
        batch_op.drop_constraint(AUDIT_COHORT, type_="foreignkey")
        batch_op.drop_index("ix_audit_cohort_id")
        batch_op.alter_column("session_id", existing_type=sa.String(), nullable=False)
        batch_op.drop_column("cohort_id")
    with op.batch_alter_table("sessions") as batch_op:
        batch_op.drop_constraint(SESSIONS_COHORT, type_="foreignkey")
        batch_op.drop_index("ix_sessions_cohort_id")
        batch_op.drop_column("cancelled_at")
        batch_op.drop_column("cohort_id")
    op.drop_table("patients")
    op.drop_table("cohorts")
