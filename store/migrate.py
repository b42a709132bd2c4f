"""Schema migrations (Alembic) for SQLite and PostgreSQL, driven from code.

`init_db` runs on every command. It costs one small read when the database
is current. An empty database, of either kind, is migrated to head; so is an
older SQLite file (one user, one file, nothing else to coordinate). An older
PostgreSQL database is left alone: several machines may share it, and the
owner decides when to run `trackwire db upgrade`, after a backup.

Stores created before migrations existed (SQLite files of trackwire 0.1) are
brought up to the models and stamped at head.

The full-text search DDL (FTS5 table and triggers on SQLite; tsvector column,
GIN and trigram indexes on PostgreSQL) is written by hand in the migrations.
Autogenerate would drop it, so `include_object` hides it from comparisons.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect
from sqlmodel import SQLModel

from trackwire.store import models  # noqa: F401  (registers the tables)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_LOCK_ID = 0x7472_6B77  # "trkw": one migration at a time on a shared PostgreSQL

# Objects the migrations create by hand and the models do not describe.
HAND_WRITTEN = {"story_fts", "story_fts_data", "story_fts_idx", "story_fts_docsize", "story_fts_config",
                "search_vector", "ix_story_search", "ix_athlete_fold_trgm", "scheduler_job"}


class SchemaError(RuntimeError):
    """A database whose schema this trackwire cannot use as it is; the message says what to do."""


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    return name not in HAND_WRITTEN


def config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    return ScriptDirectory.from_config(config()).get_current_head()


def current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _write(engine: Engine):
    """A write transaction: BEGIN IMMEDIATE on SQLite (store.db), an advisory lock on PostgreSQL."""
    return engine.execution_options(trackwire_write=True).begin()


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_ID})")


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Migrate to `revision`; returns (revision before, revision after)."""
    with _write(engine) as conn:
        _lock(conn)
        before = current(conn)
        if before is None and _has_tables(conn):
            _adopt_legacy(conn)
        else:
            command.upgrade(config(conn), revision)
        return before, current(conn)


def ensure_schema(engine: Engine) -> None:
    """Make the database usable by this code, or say why not (see the module docstring)."""
    target = head()
    with engine.connect() as conn:
        if current(conn) == target:
            return
    with _write(engine) as conn:
        _lock(conn)
        found = current(conn)
        if found == target:
            return
        if found is None and _has_tables(conn):
            _adopt_legacy(conn)
        elif found is None or conn.dialect.name == "sqlite":
            command.upgrade(config(conn), "head")
        else:
            raise SchemaError(f"the database schema is at revision {found} and this trackwire needs {target}: "
                              "back it up, then run `trackwire db upgrade`")


def check_schema(engine: Engine) -> None:
    """Raise SchemaError unless the database is at the revision this code needs (reads only)."""
    target = head()
    with engine.connect() as conn:
        found = current(conn)
    if found != target:
        state = f"at revision {found}" if found else "empty, or not a trackwire store"
        raise SchemaError(f"the database is {state} and this trackwire needs {target}: run "
                          "`trackwire db upgrade` (after a backup), then start again")


def _has_tables(conn: Connection) -> bool:
    return "story" in inspect(conn).get_table_names()


def _adopt_legacy(conn: Connection) -> None:
    """A store made before migrations (SQLite only): add what the models gained, then stamp head.
    Its FTS table and triggers already exist: trackwire 0.1 created them."""
    if conn.dialect.name != "sqlite":
        raise SchemaError("this database has trackwire tables but no migration history: "
                          "it was not made by trackwire; use an empty database or schema")
    SQLModel.metadata.create_all(conn)
    for table in SQLModel.metadata.sorted_tables:
        present = {row[1] for row in conn.exec_driver_sql(f'PRAGMA table_info("{table.name}")')}
        for column in table.columns:
            if column.name not in present:
                default = column.default.arg if column.default is not None and not callable(column.default.arg) \
                    else None
                kind = column.type.compile(dialect=conn.dialect)
                clause = f" NOT NULL DEFAULT {default!r}" if default is not None else ""
                conn.exec_driver_sql(f'ALTER TABLE "{table.name}" ADD COLUMN "{column.name}" {kind}{clause}')
        for index in table.indexes:
            index.create(conn, checkfirst=True)
    command.stamp(config(conn), "head")


def differences(engine: Engine) -> list:
    """What the database lacks or has beyond the models (empty when they match)."""
    from alembic.autogenerate import compare_metadata

    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": include_object, "compare_type": True})
        return compare_metadata(ctx, SQLModel.metadata)


def revision(engine: Engine, message: str) -> str:
    """Write a new migration from the difference between the models and this (current) database."""
    with _write(engine) as conn:
        script = command.revision(config(conn), message=message, autogenerate=True)
    return script.path
