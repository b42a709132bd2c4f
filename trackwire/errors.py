"""Turning failures into one line a person can act on."""

from __future__ import annotations

import errno
import re

from sqlalchemy.exc import DatabaseError, OperationalError

# Errors whose messages already say what to do, named rather than imported: importing them
# would load spaCy (nlp.components) into every command, a second of start-up for `crawl`.
KNOWN = {
    "trackwire.crawler.sources.SourcesError", "trackwire.nlp.pipeline.ModelError", "trackwire.store.db.DatabaseError",
    "trackwire.store.migrate.SchemaError", "trackwire.store.export.ExportError", "trackwire.store.search.QueryError",
    "trackwire.nlp.codes.PatternError", "trackwire.crawler.health.NoNetwork", "trackwire.settings.SettingsError",
}


def _known(exc: BaseException) -> bool:
    return any(f"{c.__module__}.{c.__qualname__}" in KNOWN for c in type(exc).__mro__)


class UserError(RuntimeError):
    """A failure whose message already says what to do."""


def missing_database(name: str, detail: str) -> str:
    server = re.search(r'server at "([^"]+)", port (\d+)', detail)
    where = f"-h {server.group(1)} -p {server.group(2)} " if server else ""
    return (f"the PostgreSQL database {name!r} does not exist: create it with `createdb {where}{name}` "
            "(with -U USER if TRACKWIRE_DB names one), then run again")


def explain(exc: BaseException) -> str | None:
    """One line for a failure we understand, or None for a bug (shown with --debug)."""
    if isinstance(exc, UserError) or _known(exc):
        return str(exc)
    if isinstance(exc, OperationalError):
        detail = str(exc.orig) if exc.orig else str(exc)
        if "full" in detail:
            return f"the disk is full ({detail}): free some space and run again; nothing stored was lost"
        if "locked" in detail:
            return "the database is busy with another trackwire process: wait for it to finish and run again"
        if "unable to open" in detail:
            return f"cannot open the database ({detail}): check --db / TRACKWIRE_DB and the folder's permissions"
        missing = re.search(r'database "([^"]+)" does not exist', detail)
        if missing:
            return missing_database(missing.group(1), detail)
        if "connection" in detail and ("refused" in detail or "timeout" in detail or "resolve" in detail):
            return (f"cannot reach the database server ({detail.splitlines()[0]}): check TRACKWIRE_DB "
                    "and that the server is running")
        return f"database error: {detail.splitlines()[0]}"
    if isinstance(exc, DatabaseError) and "not a database" in str(exc.orig):
        return ("the database file is damaged or is not SQLite (file is not a database): restore it from a "
                "backup, or pass another --db")
    if isinstance(exc, DatabaseError) and "malformed" in str(exc.orig):  # a cut or overwritten SQLite file
        return ("the database file is damaged (database disk image is malformed): restore it from a backup, "
                "or rescue what it holds with `sqlite3 FILE .recover`, then pass another --db")
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return "the disk is full: free some space and run again; nothing stored was lost"
        return f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
    return None
