"""Alembic environment. trackwire drives Alembic itself (`store.migrate`), handing over an open
connection, so the same code migrates SQLite and PostgreSQL and nothing reads an alembic.ini."""

from alembic import context
from sqlmodel import SQLModel

from trackwire.store import models  # noqa: F401  (registers the tables)
from trackwire.store.migrate import include_object

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    include_object=include_object,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
