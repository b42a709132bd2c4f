"""The Python API: `trackwire.open(db)` gives a `Store`, the one library layer that the CLI and the
web app call. Every query is written once, here and in `trackwire.store`; results are the typed
records of `trackwire.records`, in the JSON shapes of docs/json.md and docs/export.md.

    import trackwire

    with trackwire.open("trackwire.db") as store:
        profile = store.athlete("Kerr")
        for hit in store.search("world record", athletes=["Duplantis"], since="2024-01-01"):
            print(hit.title)

Errors a caller can act on are `trackwire.errors.UserError` subclasses with a message that says
what to do: `AthleteNotFound` (with `.suggestions`), `AmbiguousAthlete` (with `.candidates`),
`QueryError` (bad query, date or event code), `ExportError`.
"""

from __future__ import annotations

import re

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import Engine

from trackwire.errors import UserError
from trackwire.browse import Browsing, store_totals
from trackwire.convert import hit as _hit, profile as _profile, run as _run, source as _source, summary as _summary
from trackwire.limits import check_limit
from trackwire.records import (AthleteProfile, AthleteSummary, ExportReport, IngestProblem, IngestReport,
                               RegistryRemoval,
                               RegistryAthlete, RegistryImportReport, Run, SearchHit, StoreStats, TaggedStory,
                               TagReport)
from trackwire.settings import Settings, load_settings
from trackwire.store.search import QueryError

DateLike = date | datetime | str | None


class AthleteNotFound(UserError):
    """No athlete of that name in the store; `suggestions` are the nearest names."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name, self.suggestions = name, suggestions
        hint = (f"; did you mean {', '.join(suggestions)}?" if suggestions
                else "; check the spelling, or run `trackwire tag` if stories are untagged")
        super().__init__(f"no athlete called {name!r} in the store{hint}")


class AmbiguousAthlete(UserError):
    """Several athletes answer to that name; `candidates` lists them, give a full name."""

    def __init__(self, name: str, candidates: list[AthleteSummary]):
        self.name, self.candidates = name, candidates
        super().__init__(f"{name!r} could be any of {len(candidates)} athletes "
                         f"({', '.join(c.name for c in candidates[:5])}): give the full name")


def open(db: str | Path | None = None, *, settings: Settings | None = None,  # noqa: A001
         read_only: bool = False, create: bool = True) -> Store:
    """A `Store` over `db` (an SQLite path or a PostgreSQL URL; default TRACKWIRE_DB or ./trackwire.db).

    The schema is created or migrated on first use, as every command does. With `create=False`, a
    store must already be there (DatabaseError for a missing SQLite file, SchemaError for a database
    with no trackwire tables); an older one is still migrated. With `read_only`, the store must exist
    at the current schema (DatabaseError, SchemaError otherwise) and refuses writes.
    """
    return Store(db, settings=settings, read_only=read_only, create=create)


class Store(Browsing):
    """A trackwire store: its stories, tags, runs and sources. Close it (or use `with`) when done.
    The queries behind the web pages (overview, search_page, story_detail, history, download) come
    from `trackwire.browse.Browsing`."""

    def __init__(self, db: str | Path | None = None, *, settings: Settings | None = None, read_only: bool = False,
                 create: bool = True):
        self.settings = settings or load_settings()
        if db is not None:
            self.settings.db = str(db)
        self.read_only, self.create = read_only, create and not read_only
        self._engine: Engine | None = None

    # ------------------------------------------------------------ lifecycle

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, made and migrated on first use."""
        if self._engine is None:
            from trackwire.store.db import init_db, make_engine
            from trackwire.store.migrate import check_schema

            from trackwire.store.migrate import check_not_empty

            engine = make_engine(self.settings.db, read_only=self.read_only, must_exist=not self.create)
            try:
                if not self.create:
                    check_not_empty(engine)
                (check_schema if self.read_only else init_db)(engine)
            except BaseException:
                engine.dispose()
                raise
            self._engine = engine
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _read(self):
        from trackwire.store.db import read_session

        return read_session(self.engine)

    # ------------------------------------------------------------ athletes

    def find_athletes(self, name: str) -> list[AthleteSummary]:
        """Athletes answering to `name` as people type it: any case or accents, surname only, a typo.
        Exact full names first, then surnames, then close spellings; those with stories first."""
        from trackwire.store.search import find_athletes, story_counts

        with self._read() as session:
            found = find_athletes(session, name)
            counts = story_counts(session, [a.id for a in found])
        return [_summary(a, counts.get(a.id, 0)) for a in found]

    def athlete(self, name: str, *, since: DateLike = None, until: DateLike = None,
                limit: int = 50) -> AthleteProfile:
        """An athlete's profile: stories newest first (at most `limit`), their quotes and performances.

        Raises AthleteNotFound (with suggestions) or AmbiguousAthlete (with candidates).
        """
        from trackwire.store.search import athlete_profile, find_athletes, story_counts, suggest

        window = _window(since, until)
        with self._read() as session:
            found = find_athletes(session, name)
            if not found:
                raise AthleteNotFound(name, suggest(session, name))
            if len(found) > 1:
                counts = story_counts(session, [a.id for a in found])
                raise AmbiguousAthlete(name, [_summary(a, counts.get(a.id, 0)) for a in found])
            p = athlete_profile(session, found[0], since=window[0], until=window[1], limit=limit)
            total = story_counts(session, [found[0].id]).get(found[0].id, 0)
        return _profile(p, total)

    # ------------------------------------------------------------ stories

    def search(self, query: str, *, athletes: Sequence[str] = (), event: str | None = None,
               source: str | None = None, since: DateLike = None, until: DateLike = None,
               has_quotes: bool = False, one_per_cluster: bool = False, limit: int = 20,
               offset: int = 0) -> list[SearchHit]:
        """Stories matching `query` (web-search syntax: words, "phrases", `or`, -exclusion) and the
        filters, best first, with a snippet and the offsets of the matched words in it."""
        from trackwire.store.search import search

        check_limit(limit, offset)
        with self._read() as session:
            filters = self._filters(session, athletes=athletes, event=event, source=source, since=since,
                                    until=until, has_quotes=has_quotes, one_per_cluster=one_per_cluster)
            hits = search(session, query, filters=filters, limit=limit, offset=offset)
        return [_hit(h) for h in hits]

    def stories(self, *, query: str | None = None, athletes: Sequence[str] = (), event: str | None = None,
                source: str | None = None, since: DateLike = None, until: DateLike = None, has_quotes: bool = False,
                one_per_cluster: bool = False, tagged_only: bool = False) -> Iterator[TaggedStory]:
        """Every story passing the filters, oldest stored first, with its tags (the export contract).
        `query` keeps the stories that `search` finds for it. Streams 500 at a time; memory stays flat."""
        from trackwire.store.export import story_records

        with self._read() as session:
            filters = self._filters(session, query=query, athletes=athletes, event=event, source=source, since=since,
                                    until=until, has_quotes=has_quotes, one_per_cluster=one_per_cluster,
                                    tagged_only=tagged_only)
            for record in story_records(session, filters=filters):
                yield TaggedStory.model_validate(record)

    def story(self, key: str) -> TaggedStory | None:
        """One story and its tags by key, or None."""
        from trackwire.store.export import story_record_by_key

        with self._read() as session:
            record = story_record_by_key(session, key)
        return TaggedStory.model_validate(record) if record else None

    def count(self, **filters) -> int:
        """How many stories pass the filters (the keyword arguments of `stories`)."""
        from trackwire.store.export import count_stories

        with self._read() as session:
            return count_stories(session, self._filters(session, **filters))

    def export(self, format: str, path: str | Path | None = None, *,
               on_record: Callable[[], None] | None = None, **filters) -> ExportReport:
        """Write the stories passing `filters` (those of `stories`) to `path` in `format` (jsonl, spacy,
        iob, csv, parquet, doccano, labelstudio) with a manifest beside it; see docs/export.md.
        `path` "-" writes the lines of jsonl, iob, doccano and labelstudio to standard output, with no
        manifest; no path writes `trackwire-export.<format>` (a folder for csv, parquet, spacy).
        Raises ExportError before any work when the format is unknown or the path unwritable."""
        from trackwire.exporting import export, manifest_path
        from trackwire.store.export import STDOUT

        fmt, out = self.check_export(format, path)
        with self._read() as session:
            story_filter = self._filters(session, **filters)
        n = export(self.engine, fmt, out, story_filter, on_record=on_record or (lambda: None),
                   version=self.tagger_version)
        return ExportReport(format=fmt, path=str(out), stories=n,
                            manifest=None if out == STDOUT else str(manifest_path(out)))

    @staticmethod
    def check_export(format: str, path: str | Path | None = None) -> tuple[str, Path]:
        """The format (lower case) and path of an export (the format's default when none is given), or
        ExportError when the format is unknown or the path unwritable; touches no store, so a caller
        may check before opening one."""
        from trackwire.store.export import check_target, default_out

        fmt = format.lower()
        out = default_out(fmt) if path is None else Path(path)
        check_target(fmt, out)
        return fmt, out

    # ------------------------------------------------------------ writing

    def ingest(self, paths: Iterable[str | Path], *,
               on_problem: Callable[[IngestProblem], None] | None = None,
               on_note: Callable[[IngestProblem], None] | None = None) -> IngestReport:
        """Store stories from `.txt` (headline, blank line, body), `.jsonl`, `.html` and `.html.gz` files,
        or folders of them. Good inputs are stored whatever the bad ones do; each bad one is reported,
        not raised (`problems`, also to `on_problem`); a stored one with something to know about how it
        was stored is in `notes` (also to `on_note`); files of a folder that hold no story are counted in
        `left_out`. Keys and their rules: trackwire/ingest.py and the README."""
        from trackwire.ingest import ingest

        return ingest(self.engine, [Path(p) for p in paths], on_problem=on_problem, on_note=on_note)

    def pending(self, *, retag: bool = False) -> int:
        """Stories waiting to be tagged (with `retag`, also those tagged by another tagger version)."""
        from trackwire.tagging import pending

        return pending(self.engine, retag=retag, version=self.tagger_version)

    @property
    def tagger_version(self) -> str:
        """The version of the tagger this store's settings use (nlp/version.py: rules, data, model),
        with "+r" and a digest of the athletes imported into this store when there are any."""
        from trackwire.tagging import tagger_version

        return tagger_version(self.engine, self.settings.spacy_model)

    # ------------------------------------------------------------ the tagger's registry

    def import_registry(self, path: str | Path) -> RegistryImportReport:
        """Add or update the athletes of a CSV file (columns: trackwire/registry.py) in this store's
        registry, beside the packaged lists; every tagger reading this store then knows them.
        Lines that cannot be used are left out, one problem each. Stories tagged before stay as
        they were until `tag(retag=True)` (the tagger version moves with the imported athletes).

        Raises UserError when the file cannot be read or holds no usable line."""
        from trackwire.registry import read_csv
        from trackwire.store.db import write_session
        from trackwire.store.registry import athletes, save_athletes

        path = Path(path)
        try:
            text = read_registry_file(path).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UserError(f"{path} is not UTF-8 text (byte {exc.start}): save it as UTF-8 CSV") from None
        rows, problems = read_csv(text, str(path))
        if not rows:
            raise UserError("; ".join(problems[:3]) if problems else f"{path}: no athletes in it")
        with write_session(self.engine) as session:
            stored = save_athletes(session, rows)
        with self._read() as session:
            imported = len(athletes(session))
        return RegistryImportReport(stored=stored, problems=problems, imported=imported,
                                    tagger_version=self.tagger_version,
                                    to_retag=self.pending(retag=True) - self.pending())

    def registry(self) -> list[RegistryAthlete]:
        """The athletes imported into this store's registry, by name (the packaged lists not included)."""
        from trackwire.store.registry import athletes

        with self._read() as session:
            return [RegistryAthlete(name=r.name, country=r.country, sex=r.sex, birth_year=r.birth_year,
                                    events=list(r.events), aliases=list(r.aliases), wa_id=r.wa_id)
                    for r in athletes(session)]

    def remove_from_registry(self, names: Sequence[str]) -> RegistryRemoval:
        """Remove imported athletes by name (any case or accents): the names removed, and the names
        given that no imported athlete has. Stories tagged with them keep their tags until
        `tag(retag=True)`; the store's athlete rows of those names lose the facts the import gave
        them until then."""
        from trackwire.nlp.text import fold
        from trackwire.store.db import write_session
        from trackwire.store.registry import remove_athletes

        with write_session(self.engine) as session:
            removed = remove_athletes(session, names)
        gone = {fold(n) for n in removed}
        return RegistryRemoval(removed=removed, not_found=list(dict.fromkeys(n for n in names if fold(n) not in gone)))

    def tag(self, *, retag: bool = False, workers: int = 1, nlp=None, claim_seconds: int | None = None,
            on_progress: Callable[[int], None] | None = None,
            on_wait: Callable[[str], None] | None = None) -> TagReport:
        """Tag the stories waiting (see `pending`) in this process, or in `workers` processes.

        `nlp` may be a loaded pipeline (trackwire.nlp.pipeline.load_pipeline) to reuse. Claims expire
        `claim_seconds` (default 300) after a worker's last write; claims of a dead worker of this
        host are released at once, others are waited for and `on_wait` gets one line per holder.
        Stories the tagger cannot take are set aside with their reason (`TagReport.untaggable`).
        """
        from trackwire.store.queue import CLAIM_SECONDS
        from trackwire.tagging import tag_in_processes, waiting_lines, work

        s, version = self.settings, self.tagger_version
        before = self.pending(retag=retag)
        if not before:
            return TagReport(tagged=0, pending_before=0)
        options = dict(retag=retag, version=version, claim_seconds=claim_seconds or CLAIM_SECONDS,
                       on_wait=(lambda q: [on_wait(line) for line in waiting_lines(q)]) if on_wait else None)
        if workers == 1:
            from trackwire.nlp.pipeline import shared_pipeline

            report = work(self.engine, nlp or shared_pipeline(s.spacy_model), batch_size=s.tag_batch,
                          on_done=(lambda r: on_progress(r.tagged + sum(r.untaggable.values())))
                          if on_progress else None, **options)
            done = report.tagged
        else:
            done = tag_in_processes(self.engine, s.db, s.spacy_model, workers=workers, batch_size=s.tag_batch,
                                    on_progress=on_progress, **options)
        return TagReport(tagged=done, pending_before=before, untaggable=self._untaggable(version))

    def _untaggable(self, version: str) -> dict[str, int]:
        from trackwire.store.runs import untaggable

        with self._read() as session:
            return untaggable(session, version=version)

    def reextract(self, *, sources: Sequence[str] = (), since: DateLike = None, until: DateLike = None,
                  registry: dict | None = None, on_progress: Callable[[int, int], None] | None = None):
        """Extract the stored raw pages again with today's extraction and update the stories whose
        fields changed (key and source kept; a changed text is queued for tagging). `registry` maps a
        source name to its entry of the sources file (selectors, time zone). Returns the counts
        (trackwire.reextraction.ReextractReport); Ctrl-C ends it early with what was updated kept."""
        from trackwire.reextraction import reextract

        lo, hi = _window(since, until)
        if sources:
            with self._read() as session:
                check_sources(session, sources, also=registry or ())
        return reextract(self.engine, sources=tuple(sources), since=lo, until=hi, registry=registry,
                         on_progress=on_progress)

    # ------------------------------------------------------------ runs and health

    def runs(self, limit: int = 20) -> list[Run]:
        """Crawl and nightly runs, newest first."""
        from trackwire.store.runs import recent_runs

        check_limit(limit)
        with self._read() as session:
            return [_run(r) for r in recent_runs(session, limit)]

    def stats(self) -> StoreStats:
        """What the store holds, the last five runs, drops by reason in the last run, failing sources,
        stories the tagger set aside (by reason)."""
        from trackwire.store.runs import drop_counts, failing_sources, last_successful, recent_runs, untaggable

        with self._read() as session:
            runs = [_run(r) for r in recent_runs(session, 5)]
            good = last_successful(session)
            return StoreStats(
                totals=store_totals(session), dropped_last_run=drop_counts(session, 1),
                runs=runs, last_successful_run=_run(good) if good else None,
                failing_sources=[_source(f) for f in failing_sources(session)],
                untaggable=untaggable(session))

    # ------------------------------------------------------------ filters

    def _filters(self, session, *, query: str | None = None, athletes: Sequence[str] = (), event: str | None = None,
                 source: str | None = None, since: DateLike = None, until: DateLike = None,
                 has_quotes: bool = False, one_per_cluster: bool = False, tagged_only: bool = False):
        from trackwire.store.filters import StoryFilter
        from trackwire.store.search import find_athletes, parse_query, suggest

        if query:
            parse_query(query)  # QueryError now, with its message, rather than from the database

        if isinstance(athletes, str):
            athletes = [athletes]
        ids = []
        for name in athletes:
            found = find_athletes(session, name)
            if not found:
                raise AthleteNotFound(name, suggest(session, name))
            ids.append(found[0].id)
        if event is not None:
            check_event(event)
        if source is not None:
            check_sources(session, [source])
        lo, hi = _window(since, until)
        described = {k: v for k, v in {
            "query": query or None, "athlete": list(athletes) or None, "event": event, "source": source,
            "since": lo.date().isoformat() if lo else None, "until": hi.date().isoformat() if hi else None,
            "has_quotes": has_quotes or None, "tagged_only": tagged_only or None,
            "one_per_cluster": one_per_cluster or None}.items() if v}
        return StoryFilter(text=query or None, athlete_ids=tuple(ids), event=event, source=source, since=lo, until=hi,
                           has_quotes=has_quotes, tagged_only=tagged_only, one_per_cluster=one_per_cluster,
                           described=described)


def read_registry_file(path: Path) -> bytes:
    """The bytes of a registry CSV, refusing before reading a file that is not a regular file or
    is larger than trackwire.registry.MAX_BYTES. Raises UserError."""
    import stat

    from trackwire.registry import MAX_BYTES

    def check(info) -> None:
        if not stat.S_ISREG(info.st_mode):
            raise UserError(f"{path} is not a regular file (a device, a pipe, a folder): give a CSV file")
        if info.st_size > MAX_BYTES:
            raise UserError(f"{path} is {info.st_size:,} bytes; a registry CSV may be at most {MAX_BYTES:,}: "
                            "split it into several files")

    try:
        check(path.stat())  # before opening: opening a pipe would wait for a writer
        with path.open("rb") as fh:
            check(os.fstat(fh.fileno()))  # the file opened, should the path have changed meanwhile
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:  # it grew while read
        raise UserError(f"{path} is larger than {MAX_BYTES:,} bytes: split it into several files")
    return data


def registry_size() -> int:
    """How many athletes the packaged registry names (its lines, without parsing them)."""
    import gzip
    from importlib import resources

    raw = resources.files("trackwire.nlp").joinpath("data").joinpath("athletes.tsv.gz").read_bytes()
    return gzip.decompress(raw).count(b"\n") - 1  # less the header


def check_event(code: str) -> None:
    """Raise QueryError for a code the tagger never gives, naming the closest ones."""
    from rapidfuzz import process

    from trackwire.nlp.codes import event_codes, is_event_code

    if is_event_code(code):
        return
    near = [c for c, score, _ in process.extract(code.lower(), sorted(event_codes()), limit=4) if score >= 50]
    hint = f"; did you mean {', '.join(near)}?" if near else ""
    raise QueryError(f"unknown event code {code!r}{hint} (codes are the tagging guide's: 1500m, shot put, "
                     "marathon, 4x400m relay, ...)")


def check_sources(session, names: Iterable[str], also: Iterable[str] = ()) -> None:
    """Raise QueryError for a source name that no stored story has (nor `also` names), with the
    closest known names, as `crawl` refuses a name its sources file lacks."""
    import difflib

    from sqlmodel import select

    from trackwire.store.models import Story

    known = {s for s in session.exec(select(Story.source).distinct()) if s} | set(also)
    for name in names:
        if name not in known:
            near = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            listed = ", ".join(sorted(known)) or "none yet"
            raise QueryError(f"unknown source {name!r}{hint} (known sources: {listed})")


def as_datetime(value: DateLike, name: str) -> datetime | None:
    """A UTC-aware datetime from a date, a datetime or a YYYY-MM-DD string; QueryError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        if re.fullmatch(r"\d{4}-\d\d-\d\d", str(value)):
            raise QueryError(f"{name} {value!r} is no day of the calendar") from None
        raise QueryError(f"{name} {value!r} is not a date: write it as YYYY-MM-DD") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _window(since: DateLike, until: DateLike) -> tuple[datetime | None, datetime | None]:
    lo, hi = as_datetime(since, "since"), as_datetime(until, "until")
    if lo and hi and lo >= hi:
        raise QueryError(f"since ({lo.date()}) must be before until ({hi.date()}): until is exclusive")
    return lo, hi
