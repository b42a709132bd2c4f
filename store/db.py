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

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
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


def make_engine(db: str, *, read_only: bool = False) -> Engine:
    """The engine for `db` (a URL or an SQLite path). With `read_only`, every connection refuses writes
    (SQLite's query_only, a PostgreSQL read-only transaction) and an SQLite file must already exist."""
    url = make_url(database_url(db))
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, execution_options={"postgresql_readonly": read_only})
    if url.database and url.database != ":memory:":
        parent = Path(url.database).parent
        if not parent.is_dir():
            raise DatabaseError(f"database folder {parent} does not exist: create it or pass another --db")
        if read_only and not Path(url.database).is_file():
            raise DatabaseError(f"no store at {url.database}: run `trackwire demo` or `trackwire crawl` first, "
                                "or pass another --db")
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
    event.listen(engine, "connect", _sqlite_connect)
    if read_only:
        event.listen(engine, "connect", lambda dbapi_connection, _: dbapi_connection.execute("PRAGMA query_only=ON"))
    event.listen(engine, "begin", _sqlite_begin)
    return engine


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


