"""Return codes: the one-time codes a facilitator gives to let a participant back in on another device.

- New table `return_codes` (code_hash, session_id, participant_id, issued_by, issued_at, expires_at,
  used_at), keyed by the code's hash, with an index on session_id.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table("return_codes",
                    sa.Column("code_hash", sa.String(), nullable=False),
                    sa.Column("session_id", sa.String(), nullable=False),
                    sa.Column("participant_id", sa.String(), nullable=False),
                    sa.Column("issued_by", sa.String(), nullable=False),
                    sa.Column("issued_at", sa.Float(), nullable=False),
                    sa.Column("expires_at", sa.Float(), nullable=False),
                    sa.Column("used_at", sa.Float(), nullable=True),
                    sa.ForeignKeyConstraint(["session_id"], ["sessions.id"]),
                    sa.PrimaryKeyConstraint("code_hash"))
    with op.batch_alter_table("return_codes") as batch_op:
        batch_op.create_index("ix_return_codes_session_id", ["session_id"])


def downgrade() -> None:
    op.drop_table("return_codes")
