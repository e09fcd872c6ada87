"""Alembic's entry point: runs the revisions on the connection `groupvisit.store.schema` opened
(inside its transaction), or, from the `alembic` command, on the database `GROUPVISIT_DB` names."""

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from groupvisit.store import schema, tables  # noqa: F401  (tables: the metadata compared with)


def run(connection: Connection) -> None:
    # Batch mode: SQLite cannot ALTER most things, so a changed table is copied into its new shape.
    context.configure(connection=connection, target_metadata=SQLModel.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if given is not None:
    run(given)
else:
    with schema.connected(schema.configured_url()) as connection:
        run(connection)
