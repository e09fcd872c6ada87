"""Baseline: the schema from before migrations, as `SQLModel.metadata.create_all` made it.

A database made before migrations has exactly these tables and no version: `groupvisit db upgrade`
marks it as this revision, then upgrades it.

Revision ID: 0001
Revises: (none)
"""

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table("sessions",
    sa.Column("id", sa.String(), nullable=False),
    sa.Column("cohort", sa.String(), nullable=False),
    sa.Column("title", sa.String(), nullable=False),
    sa.Column("join_code", sa.String(), nullable=False),
    sa.Column("starts_at", sa.Float(), nullable=False),
    sa.Column("ends_at", sa.Float(), nullable=False),
    sa.Column("projector_key_hash", sa.String(), nullable=False),
    sa.Column("last_seq", sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint("id")
    )
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sessions_join_code"), ["join_code"], unique=True)

    op.create_table("users",
    sa.Column("id", sa.String(), nullable=False),
    sa.Column("username", sa.String(), nullable=False),
    sa.Column("name", sa.String(), nullable=False),
    sa.Column("role", sa.String(), nullable=False),
    sa.Column("password_hash", sa.String(), nullable=False),
    sa.Column("disabled", sa.Boolean(), nullable=False),
    sa.Column("created_at", sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint("id")
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_username"), ["username"], unique=True)

    op.create_table("audit",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("session_id", sa.String(), nullable=False),
    sa.Column("at", sa.Float(), nullable=False),
    sa.Column("role", sa.String(), nullable=False),
    sa.Column("actor_id", sa.String(), nullable=False),
    sa.Column("actor_name", sa.String(), nullable=False),
    sa.Column("device", sa.String(), nullable=False),
    sa.Column("action", sa.String(), nullable=False),
    sa.Column("what", sa.String(), nullable=False),
    sa.Column("subject", sa.String(), nullable=False),
    sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], ),
    sa.PrimaryKeyConstraint("id")
    )
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_session_id"), ["session_id"], unique=False)

    op.create_table("commands",
    sa.Column("session_id", sa.String(), nullable=False),
    sa.Column("command_id", sa.String(), nullable=False),
    sa.Column("seq", sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], ),
    sa.PrimaryKeyConstraint("session_id", "command_id")
    )
    op.create_table("events",
    sa.Column("session_id", sa.String(), nullable=False),
    sa.Column("seq", sa.Integer(), nullable=False),
    sa.Column("type", sa.String(), nullable=False),
    sa.Column("data", sa.JSON(), nullable=False),
    sa.Column("recorded_at", sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], ),
    sa.PrimaryKeyConstraint("session_id", "seq")
    )
    op.create_table("participant_devices",
    sa.Column("token_hash", sa.String(), nullable=False),
    sa.Column("session_id", sa.String(), nullable=False),
    sa.Column("participant_id", sa.String(), nullable=False),
    sa.Column("shared", sa.Boolean(), nullable=False),
    sa.Column("active_at", sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], ),
    sa.PrimaryKeyConstraint("token_hash")
    )
    with op.batch_alter_table("participant_devices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participant_devices_session_id"), ["session_id"], unique=False)

    op.create_table("sign_ins",
    sa.Column("token_hash", sa.String(), nullable=False),
    sa.Column("user_id", sa.String(), nullable=False),
    sa.Column("device", sa.String(), nullable=False),
    sa.Column("started_at", sa.Float(), nullable=False),
    sa.Column("active_at", sa.Float(), nullable=False),
    sa.Column("ended_at", sa.Float(), nullable=True),
    sa.Column("ended_why", sa.String(), nullable=False),
    sa.ForeignKeyConstraint(["user_id"], ["users.id"], ),
    sa.PrimaryKeyConstraint("token_hash")
    )
    with op.batch_alter_table("sign_ins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_ins_user_id"), ["user_id"], unique=False)



def downgrade() -> None:
    for table in ("sign_ins", "participant_devices", "events", "commands", "audit", "users", "sessions"):
        op.drop_table(table)
