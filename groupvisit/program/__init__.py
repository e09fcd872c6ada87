"""A cohort's program in time: its schedule of sessions and the clinic's clock (pure, no I/O)."""
