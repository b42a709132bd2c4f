"""Athletes a user adds to the tagger's registry, kept in the store so that every tagger reading it
(workers on other machines, `trackwire eval`, a PostgreSQL deployment) knows them.

Plain rows in and out: the tagger's own Entry type stays in trackwire.nlp.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, delete, select

from trackwire.nlp.text import fold
from trackwire.store.models import Athlete, RegistryAthlete


@dataclass(frozen=True, slots=True)
class RegistryRow:
    """One athlete as imported: `events` are event codes, `aliases` other names."""

    name: str
    country: str | None = None
    sex: str | None = None
    birth_year: int | None = None
    events: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    wa_id: str | None = None


def save_athletes(session: Session, rows: Iterable[RegistryRow]) -> dict[str, int]:
    """Add or update athletes by folded name; returns counts by outcome ("new", "updated", "unchanged").
    A name given twice in `rows` keeps its first row (trackwire.registry.read_csv reports the others)."""
    latest: dict[str, RegistryRow] = {}
    for r in rows:
        latest.setdefault(fold(r.name), r)
    stored = {a.fold: a for chunk in _chunks(list(latest)) for a in session.exec(select(RegistryAthlete).where(
        col(RegistryAthlete.fold).in_(chunk))).all()}
    counts = {"new": 0, "updated": 0, "unchanged": 0}
    for key, row in latest.items():
        values = dict(name=row.name, country=row.country, sex=row.sex, birth_year=row.birth_year,
                      events=";".join(row.events), aliases=";".join(row.aliases), wa_id=row.wa_id)
        old = stored.get(key)
        if old is None:
            session.add(RegistryAthlete(fold=key, **values))
            counts["new"] += 1
        elif any(getattr(old, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(old, k, v)
            session.add(old)
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts


def athletes(session: Session) -> list[RegistryRow]:
    """Every imported athlete, by name."""
    return [_row(a) for a in session.exec(select(RegistryAthlete).order_by(RegistryAthlete.name)).all()]


def remove_athletes(session: Session, names: Iterable[str]) -> list[str]:
    """Remove imported athletes by name (any case or accents); returns the names removed.

    The facts the store's athlete rows of those names took from the import (country, sex, birth year,
    events) are cleared with them: `tag --retag` fills them again from what the tagger now says."""
    found: list[str] = []
    for chunk in _chunks(list({fold(n) for n in names})):
        names_here = session.exec(select(RegistryAthlete.name).where(col(RegistryAthlete.fold).in_(chunk))).all()
        if names_here:
            session.exec(delete(RegistryAthlete).where(col(RegistryAthlete.fold).in_(chunk)))
            session.execute(update(Athlete).where(col(Athlete.fold).in_(chunk)).values(
                country=None, sex=None, birth_year=None, events=None))
            found += names_here
    return sorted(found)


# Names per IN (...) list: one parameter each, and databases cap them (SQLite 32,766 or 250,000
# depending on its build, PostgreSQL's protocol 65,535), while an import may hold 1,000,000 names.
CHUNK = 500


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def digest(rows: list[RegistryRow]) -> str | None:
    """12 hex characters of sha256 over the rows' content, or None for none: part of the tagger
    version, so stories tagged before an import are re-tagged by `tag --retag`."""
    if not rows:
        return None
    content = sorted(json.dumps([r.name, r.country, r.sex, r.birth_year, list(r.events), list(r.aliases)])
                     for r in rows)
    return hashlib.sha256("\n".join(content).encode()).hexdigest()[:12]


def _row(a: RegistryAthlete) -> RegistryRow:
    split = (lambda s: tuple(x for x in s.split(";") if x))
    return RegistryRow(a.name, a.country, a.sex, a.birth_year, split(a.events), split(a.aliases), a.wa_id)
