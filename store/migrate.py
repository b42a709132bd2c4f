"""Schema migrations (Alembic) for SQLite and PostgreSQL, driven from code.

`init_db` runs on every command. It costs one small read when the database
is current. An empty database, of either kind, is migrated to head; so is an
older SQLite file (one user, one file, nothing else to coordinate). An older
PostgreSQL database is left alone: several machines may share it, and the
owner decides when to run `trackwire db upgrade`, after a backup.

Stores created before migrations existed (SQLite files of trackwire 0.1) have
tables but no revision: migration 0001 brings their tables to its own and 0002
repairs what they kept from before (search triggers, indexes, fingerprints), so
they end exactly like a store made today. A store whose revision this code does
not know was made by a newer trackwire: every command refuses it in one line
and changes nothing.

The full-text search DDL (FTS5 table and triggers on SQLite; tsvector column,
GIN and trigram indexes on PostgreSQL) is written by hand in the migrations.
Autogenerate would drop it, so `include_object` hides it from comparisons.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def _write(engine: Engine) -> Iterator[Connection]:
    """A write transaction: BEGIN IMMEDIATE on SQLite (store.db), an advisory lock on PostgreSQL.

    On SQLite, foreign keys are off while it lasts (they can only be switched outside a
    transaction): a migration that rebuilds a table drops the old one, and with foreign keys on
    that drop would cascade to, or unlink, every row that references it.
    """
    with engine.connect() as conn:
        raw = conn.connection.driver_connection if conn.dialect.name == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.execution_options(trackwire_write=True).begin():
                if raw is None:
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_ID})")
                yield conn
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def known_revisions() -> set[str]:
    return {script.revision for script in ScriptDirectory.from_config(config()).walk_revisions()}


def _refuse_unknown(found: str | None) -> None:
    if found is not None and found not in known_revisions():
        raise SchemaError(f"this store is newer than this trackwire (its schema revision {found} is unknown here; "
                          f"this trackwire knows up to {head()}): upgrade trackwire to use it; nothing was changed")


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Migrate to `revision`; returns (revision before, revision after).

    Raises SchemaError for a store made by a newer trackwire, or PostgreSQL tables without history.
    """
    with _write(engine) as conn:
        before = current(conn)
        _check(conn, before)
        command.upgrade(config(conn), revision)
        return before, current(conn)


def ensure_schema(engine: Engine) -> None:
    """Make the database usable by this code, or say why not (see the module docstring)."""
    target = head()
    with engine.connect() as conn:
        found = current(conn)
    if found == target:
        return
    _refuse_unknown(found)
    with _write(engine) as conn:
        found = current(conn)
        if found == target:
            return
        _check(conn, found)
        if found is not None and conn.dialect.name != "sqlite":
            raise SchemaError(f"the database schema is at revision {found} and this trackwire needs {target}: "
                              "back it up, then run `trackwire db upgrade`")
        command.upgrade(config(conn), "head")


def _check(conn: Connection, found: str | None) -> None:
    _refuse_unknown(found)
    if found is None and conn.dialect.name != "sqlite" and _has_tables(conn):
        raise SchemaError("this database has trackwire tables but no migration history: "
                          "it was not made by trackwire; use an empty database or schema")


def check_schema(engine: Engine) -> None:
    """Raise SchemaError unless the database is at the revision this code needs (reads only)."""
    target = head()
    with engine.connect() as conn:
        found = current(conn)
    if found != target:
        state = f"at revision {found}" if found else "empty, or not a trackwire store"
        raise SchemaError(f"the database is {state} and this trackwire needs {target}: run "
                          "`trackwire db upgrade` (after a backup), then start again")


def check_not_empty(engine: Engine) -> None:
    """Raise SchemaError for a database that holds no trackwire store yet (no revision, no tables):
    commands that only read do not make one."""
    with engine.connect() as conn:
        if current(conn) is not None or _has_tables(conn):
            return
    where = engine.url.render_as_string(hide_password=True)
    raise SchemaError(f"the database {where} holds no trackwire store yet: run `trackwire db upgrade`, or store "
                      "stories with `trackwire ingest` or `trackwire crawl`; check --db / TRACKWIRE_DB")


def _has_tables(conn: Connection) -> bool:
    return "story" in inspect(conn).get_table_names()


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
