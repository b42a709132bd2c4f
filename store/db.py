"""The one door to the database: `make_engine(url)`, `init_db`, sessions.

SQLite gets WAL, foreign keys and a busy timeout on every connection. The
pysqlite driver's own transaction handling is switched off so that we emit
BEGIN ourselves: `write_session` starts with BEGIN IMMEDIATE, which takes the
write lock up front. A read-then-write transaction that starts DEFERRED can
fail with "database is locked" under concurrency whatever the busy timeout.

The FTS5 index holds a folded copy of title and text (`tw_fold`, registered on
every connection): unicode61's remove_diacritics folds "Gómez" but not
"Sørensen", so we fold ø, æ, ł and friends ourselves, on both sides.

PostgreSQL needs nothing per connection: its search column and functions live
in the schema (store/migrations). To keep several stores in one PostgreSQL
database, give each its own schema in the URL:
`postgresql+psycopg://host/db?options=-csearch_path%3Dmystore,public`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlmodel import Session, create_engine

from trackwire.nlp.text import fold_letters
from trackwire.store import models  # noqa: F401  (registers the tables)

_WRITE = "trackwire_write"

class DatabaseError(RuntimeError):
    """A database that cannot be opened or used; the message says what to do."""


def database_url(db: str) -> str:
    """A SQLAlchemy URL from a URL or a file path."""
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser()}"


ENGINES = ("sqlite", "postgresql")
_HOW = "pass an SQLite file path or postgresql+psycopg://user@host/db as --db (or TRACKWIRE_DB)"


def no_store(where: str) -> str:
    """What to say of a store that is not there yet, for commands that only read."""
    return (f"no store at {where}: check --db / TRACKWIRE_DB, or make one with `trackwire ingest`, "
            "`trackwire crawl` or `trackwire demo`")


def make_engine(db: str, *, read_only: bool = False, must_exist: bool = False) -> Engine:
    """An engine for an SQLite path or an SQLAlchemy URL; nothing connects yet. With `read_only`,
    every connection refuses writes (SQLite's query_only, a PostgreSQL read-only transaction) and
    an SQLite file must already exist; with `must_exist`, only the latter.

    Raises DatabaseError (one line naming --db and what to do) for a URL that
    cannot be read, an engine trackwire does not store in, a driver that is
    not installed, a missing folder, an existing file that is not SQLite, or
    (read-only) a file that does not exist.
    """
    url = _parse(db)
    if url.get_backend_name() != "sqlite":
        return _create(url, pool_pre_ping=True, execution_options={"postgresql_readonly": read_only})
    if url.database and url.database != ":memory:":
        _check_sqlite_file(Path(url.database))
        if (read_only or must_exist) and not Path(url.database).is_file():
            raise DatabaseError(no_store(url.database))
    engine = _create(url, connect_args={"timeout": 30, "check_same_thread": False})
    event.listen(engine, "connect", _sqlite_connect)
    if read_only:
        event.listen(engine, "connect", lambda dbapi_connection, _: dbapi_connection.execute("PRAGMA query_only=ON"))
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _parse(db: str) -> URL:
    try:
        url = make_url(database_url(db))
    except ArgumentError:
        raise DatabaseError(f"--db {db!r} is not a database URL: {_HOW}") from None
    backend, _, driver = url.drivername.partition("+")
    if backend in ("postgres", "postgresql") and driver in ("", "psycopg"):
        # postgres:// (Heroku's and many hosts' spelling) and a bare postgresql:// mean the driver trackwire installs
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ENGINES:
        raise DatabaseError(f"--db {_shown(url)}: trackwire stores in SQLite or PostgreSQL, "
                            f"not {url.get_backend_name()!r}; {_HOW}")
    return url


def _shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _create(url: URL, **options) -> Engine:
    try:
        return create_engine(url, **options)
    except (ImportError, NoSuchModuleError) as exc:
        raise DatabaseError(f"--db {_shown(url)}: its driver is not installed ({exc}); "
                            "for PostgreSQL use postgresql+psycopg://, which trackwire installs") from None


def _check_sqlite_file(path: Path) -> None:
    """Refuse a folder, a missing folder, or an existing file that is not SQLite.

    The file is read through SQLite itself, never opened and closed by hand: closing any descriptor
    of a database file drops every POSIX lock this process holds on it, and another process could
    then write over a transaction in progress here (https://sqlite.org/howtocorrupt.html, 2.2).
    """
    if not path.parent.is_dir():
        raise DatabaseError(f"database folder {path.parent} does not exist: create it or pass another --db")
    if path.is_dir():
        raise DatabaseError(f"--db {path} is a folder: pass a file name, e.g. {path / 'trackwire.db'}")
    if not path.is_file() or path.stat().st_size == 0:
        return
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            conn.execute("PRAGMA schema_version")
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise DatabaseError(f"--db {path} is not an SQLite database (nor a trackwire store): "
                                "pass a store made by trackwire, or a new file name") from None


def _sqlite_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None
    dbapi_connection.create_function("tw_fold", 1, _fts_fold, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn) -> None:
    mode = "IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "DEFERRED"
    conn.exec_driver_sql(f"BEGIN {mode}")


def _fts_fold(value: str | None) -> str | None:
    """What the full-text index sees: accents and letters like ø folded, case kept for snippets."""
    return fold_letters(value) if value else value


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def init_db(engine: Engine) -> None:
    """Bring the database to the schema this code needs (store.migrate). Safe to call every time."""
    from trackwire.store.migrate import ensure_schema

    ensure_schema(engine)


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session whose transaction holds the write lock from its first statement; commits on exit."""
    with Session(engine.execution_options(**{_WRITE: True})) as session:
        session.connection()  # begin now, so the lock is taken before any read
        yield session
        session.commit()


