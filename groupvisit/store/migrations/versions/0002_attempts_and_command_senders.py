"""Attempts and command senders: guessing limits kept in the database, command ids per credential.

- New table `attempts` (claim, limit_key, expires_at), keyed by (claim, limit_key), with indexes on
  (limit_key, expires_at) for counting and on expires_at for pruning.
- `commands` gains `sender` (the credential that sent the command) and its key becomes
  (session_id, sender, command_id). Commands stored before have sender "": they still answer a
  re-send from any screen, so a command in flight across the upgrade does not run twice.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

PRIMARY_KEY = "commands_pkey"  # the name PostgreSQL gives it


def commands_key(old: list[str], new: list[str]) -> None:
    """Change the key of `commands` from `old` to `new`. SQLite's key has no name, so the copy of the
    table batch mode makes is given PostgreSQL's name for it, and the same operations drop it on both."""
    named = sa.PrimaryKeyConstraint(*old, name=PRIMARY_KEY)
    with op.batch_alter_table("commands", reflect_args=(named,)) as batch_op:
        if "sender" in new:
            batch_op.add_column(sa.Column("sender", sa.String(), nullable=False, server_default=""))
        batch_op.drop_constraint(PRIMARY_KEY, type_="primary")
        batch_op.create_primary_key(PRIMARY_KEY, new)
        if "sender" not in new:
            batch_op.drop_column("sender")


def upgrade() -> None:
    op.create_table("attempts",
                    sa.Column("claim", sa.String(), nullable=False),
                    sa.Column("limit_key", sa.String(), nullable=False),
                    sa.Column("expires_at", sa.Float(), nullable=False),
                    sa.PrimaryKeyConstraint("claim", "limit_key"))
    with op.batch_alter_table("attempts") as batch_op:
        batch_op.create_index("ix_attempts_expires_at", ["expires_at"])
        batch_op.create_index("ix_attempts_limit_key_expires_at", ["limit_key", "expires_at"])
    commands_key(["session_id", "command_id"], ["session_id", "sender", "command_id"])
    with op.batch_alter_table("commands") as batch_op:  # the default was only for the rows already there
        batch_op.alter_column("sender", existing_type=sa.String(), server_default=None)


def downgrade() -> None:
    op.drop_table("attempts")
    # The old key allows one row per (session_id, command_id): keep the first sender's.
    op.execute("DELETE FROM commands WHERE EXISTS (SELECT 1 FROM commands AS earlier "
               "WHERE earlier.session_id = commands.session_id AND earlier.command_id = commands.command_id "
               "AND earlier.sender < commands.sender)")
    commands_key(["session_id", "sender", "command_id"], ["session_id", "command_id"])
