"""Stores made by other trackwire versions: any earlier one is brought to exactly today's schema and
search behaviour; a newer one is refused in one line; stored scheduler jobs survive module moves."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import pytest

from conftest import invoke

# The schema of the first commit (4cbf1f8, `git show 4cbf1f8:store/models.py` and store/db.py), as
# its init_db left an SQLite file: sqlite_master's statements, in order.
FIRST_SCHEMA = [
    """CREATE TABLE source (id INTEGER NOT NULL, name VARCHAR NOT NULL, homepage VARCHAR, last_crawl_at DATETIME,
        last_status VARCHAR, last_error VARCHAR, failing_runs INTEGER NOT NULL, PRIMARY KEY (id))""",
    "CREATE UNIQUE INDEX ix_source_name ON source (name)",
    """CREATE TABLE story (id INTEGER NOT NULL, "key" VARCHAR NOT NULL, url VARCHAR, source VARCHAR,
        title VARCHAR NOT NULL, author VARCHAR, published_at DATETIME, fetched_at DATETIME NOT NULL, language VARCHAR,
        text VARCHAR NOT NULL, content_hash VARCHAR NOT NULL, raw_html BLOB, tagged_at DATETIME,
        tagger_version VARCHAR, PRIMARY KEY (id))""",
    "CREATE INDEX ix_story_published_at ON story (published_at)",
    'CREATE UNIQUE INDEX ix_story_key ON story ("key")',
    "CREATE INDEX ix_story_url ON story (url)",
    "CREATE INDEX ix_story_content_hash ON story (content_hash)",
    "CREATE INDEX ix_story_tagged_at ON story (tagged_at)",
    "CREATE INDEX ix_story_source ON story (source)",
    """CREATE TABLE athlete (id INTEGER NOT NULL, name VARCHAR NOT NULL, fold VARCHAR NOT NULL, country VARCHAR,
        sex VARCHAR, birth_year INTEGER, events VARCHAR, PRIMARY KEY (id), UNIQUE (name))""",
    "CREATE INDEX ix_athlete_fold ON athlete (fold)",
    """CREATE TABLE crawlrun (id INTEGER NOT NULL, kind VARCHAR NOT NULL, started_at DATETIME NOT NULL,
        ended_at DATETIME, status VARCHAR NOT NULL, stories_new INTEGER NOT NULL, stories_updated INTEGER NOT NULL,
        pages_dropped INTEGER NOT NULL, stats JSON NOT NULL, errors JSON NOT NULL, PRIMARY KEY (id))""",
    """CREATE TABLE mention (id INTEGER NOT NULL, story_id INTEGER NOT NULL, start INTEGER NOT NULL,
        "end" INTEGER NOT NULL, label VARCHAR NOT NULL, text VARCHAR NOT NULL, name VARCHAR NOT NULL,
        athlete_id INTEGER, role VARCHAR, sex VARCHAR, indoor BOOLEAN, PRIMARY KEY (id),
        FOREIGN KEY(story_id) REFERENCES story (id) ON DELETE CASCADE,
        FOREIGN KEY(athlete_id) REFERENCES athlete (id) ON DELETE SET NULL)""",
    "CREATE INDEX ix_mention_name ON mention (name)",
    "CREATE INDEX ix_mention_label ON mention (label)",
    "CREATE INDEX ix_mention_story_id ON mention (story_id)",
    "CREATE INDEX ix_mention_athlete_id ON mention (athlete_id)",
    """CREATE TABLE quote (id INTEGER NOT NULL, story_id INTEGER NOT NULL, start INTEGER NOT NULL,
        "end" INTEGER NOT NULL, text VARCHAR NOT NULL, speaker VARCHAR, athlete_id INTEGER, PRIMARY KEY (id),
        FOREIGN KEY(story_id) REFERENCES story (id) ON DELETE CASCADE,
        FOREIGN KEY(athlete_id) REFERENCES athlete (id) ON DELETE SET NULL)""",
    "CREATE INDEX ix_quote_story_id ON quote (story_id)",
    "CREATE INDEX ix_quote_athlete_id ON quote (athlete_id)",
    """CREATE TABLE mark (id INTEGER NOT NULL, story_id INTEGER NOT NULL, start INTEGER NOT NULL,
        "end" INTEGER NOT NULL, text VARCHAR NOT NULL, value FLOAT NOT NULL, unit VARCHAR NOT NULL,
        flags JSON NOT NULL, wind VARCHAR, PRIMARY KEY (id),
        FOREIGN KEY(story_id) REFERENCES story (id) ON DELETE CASCADE)""",
    "CREATE INDEX ix_mark_story_id ON mark (story_id)",
    """CREATE TABLE performance (id INTEGER NOT NULL, story_id INTEGER NOT NULL, athlete VARCHAR NOT NULL,
        athlete_id INTEGER, event VARCHAR NOT NULL, mark VARCHAR NOT NULL, value FLOAT NOT NULL,
        unit VARCHAR NOT NULL, PRIMARY KEY (id), FOREIGN KEY(story_id) REFERENCES story (id) ON DELETE CASCADE,
        FOREIGN KEY(athlete_id) REFERENCES athlete (id) ON DELETE SET NULL)""",
    "CREATE INDEX ix_performance_story_id ON performance (story_id)",
    "CREATE INDEX ix_performance_event ON performance (event)",
    "CREATE INDEX ix_performance_athlete_id ON performance (athlete_id)",
    """CREATE VIRTUAL TABLE story_fts USING fts5(title, text, content='story', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER story_fts_ai AFTER INSERT ON story BEGIN
        INSERT INTO story_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END""",
    """CREATE TRIGGER story_fts_ad AFTER DELETE ON story BEGIN
        INSERT INTO story_fts(story_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); END""",
    """CREATE TRIGGER story_fts_au AFTER UPDATE OF title, text ON story BEGIN
        INSERT INTO story_fts(story_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO story_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END""",
]

# What the trackwire of f32f75e..0569385 did to such a store on first use (store.migrate._adopt_legacy):
# columns and tables added, new indexes made, nothing dropped or re-indexed, stamped 0001.
ADOPTED_BEFORE = [
    "ALTER TABLE athlete ADD COLUMN aliases VARCHAR NOT NULL DEFAULT ''",
    "ALTER TABLE story ADD COLUMN simhash BIGINT",
    "ALTER TABLE story ADD COLUMN cluster_id INTEGER",
    "ALTER TABLE story ADD COLUMN claimed_by VARCHAR",
    "ALTER TABLE story ADD COLUMN claimed_until DATETIME",
    "ALTER TABLE story ADD COLUMN tagged_by VARCHAR",
    """CREATE TABLE fetchstate (url VARCHAR NOT NULL, etag VARCHAR, last_modified VARCHAR,
        fetched_at DATETIME NOT NULL, PRIMARY KEY (url))""",
    """CREATE TABLE storyband (id INTEGER NOT NULL, story_id INTEGER NOT NULL, band INTEGER NOT NULL,
        value INTEGER NOT NULL, PRIMARY KEY (id), FOREIGN KEY(story_id) REFERENCES story (id) ON DELETE CASCADE)""",
    "CREATE INDEX ix_storyband_band_value ON storyband (band, value)",
    "CREATE INDEX ix_storyband_story_id ON storyband (story_id)",
    "CREATE INDEX ix_story_cluster_id ON story (cluster_id)",
    "CREATE INDEX ix_mention_label_name ON mention (label, name)",
    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY "
    "(version_num))",
    "INSERT INTO alembic_version VALUES ('0001')",
]

BODY = ("The Danish race walker Sørensen set a national record over 20km in Aarhus on Sunday, "
        "finishing well clear of the field after breaking away at halfway.")
STORIES = [  # key, title, text: two copies of one report (a near-duplicate pair) and a Polish name
    ("walk-record", "Sørensen sets a record", f"Sørensen sets a record\n\n{BODY}"),
    ("lukasz-400m", "Łukasz wins in Chorzów", "Łukasz wins in Chorzów\n\nŁukasz Krawczuk won the 400m in Chorzów."),
    ("walk-record-copy", "Record for Sørensen", f"Record for Sørensen\n\n{BODY}"),  # retitled copy
]


def first_version_store(path, *, adopted: bool = False) -> None:
    """A store as the first commit made it (tagged by tagger 0.1.0), optionally as the last version's
    automatic adoption left it."""
    with closing(sqlite3.connect(path)) as conn, conn:
        for ddl in FIRST_SCHEMA + (ADOPTED_BEFORE if adopted else []):
            conn.execute(ddl)
        for key, title, text in STORIES:
            conn.execute("INSERT INTO story (key, title, text, fetched_at, content_hash, tagged_at, tagger_version) "
                         "VALUES (?, ?, ?, '2024-05-01 09:00:00', ?, '2024-05-01 10:00:00', '0.1.0')",
                         (key, title, text, key))
        conn.execute("INSERT INTO athlete (name, fold) VALUES ('Josh Kerr', 'josh kerr')")
        conn.execute("INSERT INTO mention (story_id, start, \"end\", label, text, name, athlete_id) "
                     "VALUES (1, 0, 8, 'ATHLETE', 'Sørensen', 'Josh Kerr', 1)")


def schema(path) -> dict:
    """Every table's columns (type, not null, default, key), indexes, foreign keys; every trigger."""
    with closing(sqlite3.connect(path)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        found = {t: ({r[1]: r[2:] for r in conn.execute(f'PRAGMA table_info("{t}")')},
                     {r[1]: (r[2], [c[2] for c in conn.execute(f'PRAGMA index_info("{r[1]}")')])
                      for r in conn.execute(f'PRAGMA index_list("{t}")')},
                     sorted(r[2:] for r in conn.execute(f'PRAGMA foreign_key_list("{t}")'))) for t in tables}
        found["triggers"] = {name: " ".join(sql.split()) for name, sql in
                             conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}
    return found


def keys(result) -> list[str]:
    assert result.returncode == 0, result.stderr
    return sorted(hit["key"] for hit in json.loads(result.stdout))


@pytest.fixture(params=[False, True], ids=["first-version", "adopted-by-0.1"])
def old_store(request, tmp_path):
    path = tmp_path / "old.db"
    first_version_store(path, adopted=request.param)
    result = invoke("db", "upgrade", db=path)
    assert result.returncode == 0, result.stderr
    return path


@pytest.mark.parametrize("query", ["Sørensen", "sorensen", "Łukasz", "lukasz"])
def test_an_old_store_finds_names_with_letters_unicode61_keeps(old_store, query):
    expected = ["lukasz-400m"] if "ukasz" in query else ["walk-record", "walk-record-copy"]
    assert keys(invoke("search", query, "--json", db=old_store)) == expected


def test_an_old_store_ends_with_exactly_todays_schema(old_store, tmp_path):
    fresh = tmp_path / "fresh.db"
    assert invoke("db", "upgrade", db=fresh).returncode == 0
    assert schema(old_store) == schema(fresh)
    assert "schema matches the models" in invoke("db", "status", db=old_store).stdout


def test_an_old_store_keeps_its_athlete_links(old_store):
    with closing(sqlite3.connect(old_store)) as conn:
        assert conn.execute("SELECT athlete_id FROM mention").fetchall() == [(1,)]


def test_an_old_stores_stories_get_fingerprints_and_clusters(old_store):
    assert keys(invoke("search", "Aarhus", "--one-per-cluster", "--json", db=old_store)) == ["walk-record"]
    with closing(sqlite3.connect(old_store)) as conn:
        assert conn.execute("SELECT count(*) FROM storyband").fetchone()[0] == 8 * len(STORIES)


def test_an_old_stores_tags_are_redone_by_retag(old_store):
    result = invoke("tag", "--retag", db=old_store)
    assert result.returncode == 0, result.stderr
    assert f"tagged {len(STORIES)} stories" in result.stdout


# ---------------------------------------------------------------- a store from a newer trackwire


@pytest.fixture
def newer_store(db_url):
    """A store whose schema revision this trackwire has never heard of."""
    from sqlalchemy import text

    from trackwire.store.db import init_db, make_engine

    eng = make_engine(db_url)
    init_db(eng)
    with eng.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    eng.dispose()
    return db_url


def stored_state(db: str) -> tuple[str, int]:
    from sqlalchemy import text

    from trackwire.store.db import make_engine

    eng = make_engine(db)
    with eng.connect() as conn:
        found = (conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one(),
                 conn.execute(text("SELECT count(*) FROM story")).scalar_one())
    eng.dispose()
    return found


@pytest.mark.parametrize("command", [["stats"], ["ingest", "story.txt"], ["db", "upgrade"]],
                         ids=["read", "write", "upgrade"])
def test_a_store_from_a_newer_trackwire_is_refused_in_one_line(newer_store, tmp_path, command):
    (tmp_path / "story.txt").write_text("Kerr wins\n\nJosh Kerr won the 3000m.\n", encoding="utf-8")
    result = invoke(*command, db=newer_store, cwd=tmp_path)
    assert result.returncode == 1
    assert "this store is newer than this trackwire" in result.stderr and "upgrade trackwire" in result.stderr
    assert "db upgrade`" not in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert stored_state(newer_store) == ("0099_from_the_future", 0)


def test_db_status_names_a_newer_store(newer_store, tmp_path):
    result = invoke("db", "status", db=newer_store, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "0099_from_the_future: made by a newer trackwire" in result.stdout


# ---------------------------------------------------------------- scheduler jobs stored by older versions


def test_a_nightly_job_stored_before_the_module_move_keeps_its_next_run(db_url):
    """trackwire before f28a5a0 stored the job as `scheduler:nightly_job`; APScheduler drops a job it
    cannot import. The upgrade renames it and keeps its next run time."""
    import pickle

    from sqlalchemy import text

    from trackwire import scheduler as nightly
    from trackwire.store.db import make_engine
    from trackwire.store.migrate import upgrade

    eng = make_engine(db_url)
    upgrade(eng, "0001")
    first = nightly.build_scheduler(eng)
    stored = nightly.start(first, nightly.cron_trigger("30 2 * * *", jitter=0), db_url, [], 60).next_run_time
    first.shutdown(wait=False)
    with eng.begin() as conn:  # the row as the older trackwire wrote it
        state = pickle.loads(conn.execute(text("SELECT job_state FROM scheduler_job")).scalar_one())
        state["func"] = "scheduler:nightly_job"
        conn.execute(text("UPDATE scheduler_job SET job_state = :s"), {"s": pickle.dumps(state)})
    upgrade(eng)
    second = nightly.build_scheduler(eng)
    second.start(paused=True)
    try:
        job = second.get_job(nightly.JOB_ID)
        assert job is not None and job.func is nightly.nightly_job and job.next_run_time == stored
    finally:
        second.shutdown(wait=False)
        eng.dispose()
