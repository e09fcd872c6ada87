"""Attending clinicians: the accounts that may co-sign a resident's chart note.

- `users` gains `attending` (false for the accounts already there: an administrator says who is an attending).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("attending", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("users") as batch_op:  # the default was only for the rows already there
        batch_op.alter_column("attending", existing_type=sa.Boolean(), server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("attending")
