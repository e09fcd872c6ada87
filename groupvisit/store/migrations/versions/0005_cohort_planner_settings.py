"""The cohort's planner settings: what its sessions' one-on-ones are planned and flagged with.

- `cohorts` gains `minutes_per_patient`, `systolic_high`, `diastolic_high`, `glucose_low`, `glucose_high`
  (flags: at or above the blood pressures, below or above the glucoses), `glucose_unit` (mg/dL or mmol/L)
  and `weight_unit` (lb or kg). The cohorts already there get the defaults (7 minutes, 180/110,
  70 and 300 mg/dL, lb), as the sessions already scheduled read them from logs without these fields.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

# name, type, the default the cohorts already there are given
COLUMNS = (("minutes_per_patient", sa.Float(), "7.0"), ("systolic_high", sa.Integer(), "180"),
           ("diastolic_high", sa.Integer(), "110"), ("glucose_low", sa.Float(), "70.0"),
           ("glucose_high", sa.Float(), "300.0"), ("glucose_unit", sa.String(), "mg/dL"),
           ("weight_unit", sa.String(), "lb"))


def upgrade() -> None:
    with op.batch_alter_table("cohorts") as batch_op:
        for name, kind, default in COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=False, server_default=default))
    with op.batch_alter_table("cohorts") as batch_op:  # the defaults were only for the rows already there
        for name, kind, _ in COLUMNS:
            batch_op.alter_column(name, existing_type=kind, server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("cohorts") as batch_op:
        for name, _, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
