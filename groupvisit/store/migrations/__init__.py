"""The schema's history as Alembic revisions, applied by `groupvisit db upgrade` (see `..schema`).

A new revision: change `..tables`, then, with `GROUPVISIT_DB` naming a database at the current
head, run `alembic revision --autogenerate -m "what it changes"` from the project's root
(its `alembic.ini` points here) and read what it wrote: give it a readable id, and keep every
operation inside `op.batch_alter_table` so SQLite can follow.
"""
