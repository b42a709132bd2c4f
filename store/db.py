"""The one door to the database: `make_engine(url)`, `init_db`, sessions.

SQLite gets WAL, foreign keys and a busy timeout on every connection. The
pysqlite driver's own transaction handling is switched off so that we emit
BEGIN ourselves: `write_session` starts with BEGIN IMMEDIATE, which takes the
write lock up front. A read-then-write transaction that starts DEFERRED can
fail with "database is locked" under concurrency whatever the busy timeout.

The FTS5 index holds a folded copy of title and text (`tw_fold`, registered on
every connection): unicode61's remove_diacritics folds "Gómez" but not
"Sørensen", so we fold ø, æ, ł and friends ourselves, on both sides.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel, create_engine

from nlp.text import fold_letters
from store import models  # noqa: F401  (registers the tables)

_WRITE = "trackwire_write"

FTS_DDL = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS story_fts USING fts5(
        title, text, content='story', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER IF NOT EXISTS story_fts_ai AFTER INSERT ON story BEGIN
        INSERT INTO story_fts(rowid, title, text) VALUES (new.id, tw_fold(new.title), tw_fold(new.text));
    END""",
    """CREATE TRIGGER IF NOT EXISTS story_fts_ad AFTER DELETE ON story BEGIN
        INSERT INTO story_fts(story_fts, rowid, title, text)
        VALUES ('delete', old.id, tw_fold(old.title), tw_fold(old.text));
    END""",
    """CREATE TRIGGER IF NOT EXISTS story_fts_au AFTER UPDATE OF title, text ON story BEGIN
        INSERT INTO story_fts(story_fts, rowid, title, text)
        VALUES ('delete', old.id, tw_fold(old.title), tw_fold(old.text));
        INSERT INTO story_fts(rowid, title, text) VALUES (new.id, tw_fold(new.title), tw_fold(new.text));
    END""",
]


class DatabaseError(RuntimeError):
    """A database that cannot be opened or used; the message says what to do."""


def database_url(db: str) -> str:
    """A SQLAlchemy URL from a URL or a file path."""
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser()}"


def make_engine(db: str) -> Engine:
    url = make_url(database_url(db))
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if url.database and url.database != ":memory:":
        parent = Path(url.database).parent
        if not parent.is_dir():
            raise DatabaseError(f"database folder {parent} does not exist: create it or pass another --db")
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
    event.listen(engine, "connect", _sqlite_connect)
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
    """Create missing tables, columns and the full-text index. Safe to call every time."""
    SQLModel.metadata.create_all(engine)
    if is_sqlite(engine):
        with engine.begin() as conn:
            _add_missing_columns(conn)
            for ddl in FTS_DDL:
                conn.exec_driver_sql(ddl)


def _add_missing_columns(conn) -> None:
    """Columns added to the models since a store was created (SQLite; Alembic takes over with issue 7).
    New columns always have a default, so ADD COLUMN fills existing rows."""
    for table in SQLModel.metadata.sorted_tables:
        present = {row[1] for row in conn.exec_driver_sql(f'PRAGMA table_info("{table.name}")')}
        for column in table.columns:
            if column.name in present:
                continue
            default = column.default.arg if column.default is not None and not callable(column.default.arg) else None
            kind = column.type.compile(dialect=conn.dialect)
            clause = f" NOT NULL DEFAULT {default!r}" if default is not None else ""
            conn.exec_driver_sql(f'ALTER TABLE "{table.name}" ADD COLUMN "{column.name}" {kind}{clause}')


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


