"""Beyond one machine: migrations, the tagging queue and its workers, PostgreSQL end to end.

PostgreSQL and Redis are real servers (conftest: each test gets its own schema or key
prefix); without them these tests skip, and with TRACKWIRE_REQUIRE_SERVICES=1 they fail.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from conftest import invoke, opened, started, trackwire
from trackwire.store.db import init_db, read_session, write_session
from trackwire.store.models import Mark, Mention, Performance, Quote, Story, utcnow
from trackwire.store.stories import StoryIn, upsert_story


# ---------------------------------------------------------------- migrations


def test_migrations_bring_an_empty_database_to_the_models(db_url):
    from trackwire.store.migrate import current, differences, head, upgrade

    with opened(db_url, migrate=False) as eng:
        before, after = upgrade(eng)
        assert (before, after) == (None, head())
        assert differences(eng) == []
        with eng.connect() as conn:
            assert current(conn) == head()
        assert upgrade(eng) == (head(), head())  # a second upgrade is a no-op


def test_postgres_tables_without_migration_history_are_refused(pg_url):
    from sqlmodel import SQLModel

    from trackwire.store.migrate import SchemaError

    with opened(pg_url, migrate=False) as eng:
        SQLModel.metadata.create_all(eng)
        with pytest.raises(SchemaError, match="no migration history"):
            init_db(eng)


def test_db_commands_report_and_migrate(pg_url, tmp_path):
    from trackwire.store.migrate import head

    result = invoke("db", "status", db=pg_url, cwd=tmp_path)
    assert "revision: (none" in result.stdout
    result = invoke("db", "upgrade", db=pg_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"migrated the database from revision (empty) to {head()}" in result.stdout
    result = invoke("db", "status", db=pg_url, cwd=tmp_path)
    assert "schema matches the models" in result.stdout


def test_db_status_on_an_empty_database_says_to_upgrade(cli, pg_url):
    result = cli("db", "status", "--db", pg_url)
    assert result.exit_code == 0, result.stderr
    assert "run `trackwire db upgrade` to bring it to this schema" in result.stdout


def test_a_missing_postgresql_database_says_how_to_create_it(cli, pg_url):
    from sqlalchemy.engine import make_url

    missing = make_url(pg_url).set(database="trackwire_no_such_db").render_as_string(hide_password=False)
    result = cli("stats", "--db", missing)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    url = make_url(pg_url)
    assert (f"the PostgreSQL database 'trackwire_no_such_db' does not exist: create it with "
            f"`createdb -h {url.host} -p {url.port} trackwire_no_such_db`") in result.stderr


# ---------------------------------------------------------------- search syntax, both engines

SEARCH_STORIES = {
    "oslo": "Warholm wins in Oslo\n\nKarsten Warholm won the 400m hurdles at Bislett Stadium.",
    "rome": "Duplantis clears 6.10m in Rome\n\nArmand Duplantis cleared 6.10m in the pole vault in Rome.",
    "oslo-mile": "Kerr second in the Oslo mile\n\nJosh Kerr was second in the mile at Bislett Stadium.",
    "sorensen": "Sørensen sets a record\n\nThe Danish walker Sørensen set a national record.",
}


@pytest.mark.parametrize("query, keys", [
    ("bislett stadium", {"oslo", "oslo-mile"}),
    ('"stadium bislett"', set()),
    ('"bislett stadium" -mile', {"oslo"}),
    ("warholm OR duplantis", {"oslo", "rome"}),
    ("kerr mile OR rome", {"oslo-mile", "rome"}),
    ("sorensen", {"sorensen"}),
    ("SØRENSEN", {"sorensen"}),
    ("Kerr's mile", {"oslo-mile"}),
    ("Warholm’s OR sørensen's", {"oslo", "sorensen"}),
], ids=["words", "phrase-order", "phrase-minus", "or", "and-before-or", "folded", "folded-upper", "possessive",
        "possessive-curly-or"])
def test_web_search_syntax_means_the_same_on_both_engines(engine, query, keys):
    from trackwire.store.search import search

    with write_session(engine) as session:
        for key, body in SEARCH_STORIES.items():
            upsert_story(session, StoryIn(key=key, text=body, title=body.split("\n")[0]))
    with read_session(engine) as session:
        assert {h.key for h in search(session, query)} == keys


def test_search_of_only_exclusions_is_a_clear_error(engine):
    from trackwire.store.search import QueryError, search

    with read_session(engine) as session, pytest.raises(QueryError, match="only excludes words"):
        search(session, "-mile")


# ---------------------------------------------------------------- the tagging queue


def add_stories(engine, n: int) -> None:
    """n short stories in the shapes the tagger knows: an athlete, an event, a mark, a quote."""
    people = [("Josh Kerr", "Kerr", "1500m", "3:{s:02d}.{c:02d}", 29), ("Faith Kipyegon", "Kipyegon", "1500m",
              "3:{s:02d}.{c:02d}", 49), ("Mondo Duplantis", "Duplantis", "pole vault", "6.{c:02d}m", None),
              ("Femke Bol", "Bol", "400m hurdles", "5{s}.{c:02d}", 2)]
    places = ["Oslo", "Rome", "Paris", "Zurich", "Brussels", "Eugene", "Doha", "Monaco"]
    with write_session(engine) as session:
        for i in range(n):
            full, surname, event, mark, base = people[i % len(people)]
            value = mark.format(s=(base or 0) + i % 7, c=i % 90 + 10)
            place = places[i // len(people) % len(places)]
            body = (f"{full} won the {event} in {place} in {value} on day {i}. "
                    f"\"It was a good day for me,\" said {surname} after the race.")
            upsert_story(session, StoryIn(key=f"story-{i}", text=f"{full} wins in {place}\n\n{body}",
                                          title=f"{full} wins in {place}"))


def test_an_expired_claim_goes_to_another_worker_and_the_first_writes_nothing(engine):
    from trackwire.store.queue import claim, save_claimed

    add_stories(engine, 3)
    first = claim(engine, "a", size=2, retag=False, version="v")
    assert [c.id for c in first] == [1, 2]
    assert [c.id for c in claim(engine, "b", size=5, retag=False, version="v")] == [3]  # 1, 2 are a's
    with write_session(engine) as session:  # a's claims run out
        session.get(Story, 1).claimed_until = utcnow() - timedelta(seconds=1)
    taken = claim(engine, "c", size=5, retag=False, version="v")
    assert [c.id for c in taken] == [1]
    empty = {"athletes": [], "people": [], "events": [], "marks": [], "quotes": [], "performances": []}
    assert save_claimed(engine, "a", first[0], empty, "v") is False  # lost to c
    assert save_claimed(engine, "a", first[1], empty, "v") is True
    assert save_claimed(engine, "c", taken[0], empty, "v") is True
    with read_session(engine) as session:
        assert [(s.id, s.tagged_by, s.claimed_by) for s in session.exec(select(Story).order_by(Story.id))
                .scalars()] == [(1, "c", None), (2, "a", None), (3, None, "b")]


def test_a_story_changed_while_claimed_is_not_written_with_old_offsets(engine):
    from trackwire.store.queue import claim, save_claimed

    add_stories(engine, 1)
    (claimed,) = claim(engine, "a", size=1, retag=False, version="v")
    with write_session(engine) as session:
        upsert_story(session, StoryIn(key="story-0", text="Corrected headline\n\nA corrected body.",
                                      title="Corrected headline"))
    empty = {"athletes": [], "people": [], "events": [], "marks": [], "quotes": [], "performances": []}
    assert save_claimed(engine, "a", claimed, empty, "v") is False
    assert [c.text for c in claim(engine, "b", size=1, retag=False, version="v")] == [
        "Corrected headline\n\nA corrected body."]


def test_queue_state_counts_pending_and_live_claims(engine):
    from trackwire.store.queue import claim, state

    add_stories(engine, 3)
    claim(engine, "a", size=2, retag=False, version="v", seconds=100)
    queue = state(engine, retag=False, version="v")
    assert (queue.pending, queue.claimed) == (3, 2)
    assert 90 < queue.next_expiry_seconds <= 100


def test_one_new_athlete_written_by_two_workers_at_once_is_one_row(pg_url):
    """The second insert waits on the first's unique key, then takes the first's row."""
    from trackwire.store.models import Athlete
    from trackwire.store.stories import athlete_id

    with opened(pg_url) as eng:
        found: list[int] = []
        with write_session(eng) as first:
            mine = athlete_id(first, "Josh Kerr", canonical=True)
            other = threading.Thread(target=lambda: found.append(_athlete_in_own_session(eng, "Josh Kerr")))
            other.start()
            while other.is_alive() and not _waiting_on_a_lock(eng):  # the other insert waits on our row
                time.sleep(0.01)
        other.join(timeout=60)
        with read_session(eng) as session:
            assert found == [mine] and session.execute(select(func.count()).select_from(Athlete)).scalar_one() == 1


def _athlete_in_own_session(eng, name: str) -> int:
    from trackwire.store.stories import athlete_id

    with write_session(eng) as session:
        return athlete_id(session, name, canonical=True)


def _waiting_on_a_lock(eng) -> bool:
    """Whether an insert into athlete waits on a lock (a new connection: a transaction sees one snapshot
    of pg_stat_activity)."""
    with eng.connect() as conn:
        return bool(conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                      "AND query LIKE 'INSERT INTO athlete %'")).scalar_one())


def test_two_workers_storing_one_new_athlete_at_once_both_succeed(pg_url):
    """On PostgreSQL the second insert of a new athlete waits for the first to commit, then hits the
    unique name: it must take the first one's row, not crash the worker."""
    from sqlmodel import Session

    from trackwire.store.models import Athlete
    from trackwire.store.stories import athlete_id

    with opened(pg_url) as eng:
        first = Session(eng)
        first.add(Athlete(name="Nia Newcomer", fold="nia newcomer"))
        first.flush()  # holds the new name, uncommitted
        found: dict = {}

        def second() -> None:
            try:
                with write_session(eng) as session:
                    found["id"] = athlete_id(session, "Nia Newcomer")
            except Exception as exc:  # noqa: BLE001  (reported by the assertion below)
                found["error"] = exc

        thread = threading.Thread(target=second)
        thread.start()
        deadline = time.monotonic() + 60
        with eng.connect() as watcher:
            while not watcher.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar_one():
                assert time.monotonic() < deadline, "the second insert never waited for the first"
                time.sleep(0.05)
                watcher.rollback()
        first.commit()
        first_id = first.execute(select(Athlete.id)).scalar_one()
        first.close()
        thread.join(60)
        assert found == {"id": first_id}


def tag_counts(engine) -> dict[int, tuple[int, int, int, int]]:
    counts: dict[int, list[int]] = {}
    with read_session(engine) as session:
        for i, model in enumerate((Mention, Quote, Mark, Performance)):
            for story_id, n in session.execute(select(model.story_id, func.count()).group_by(model.story_id)):
                counts.setdefault(story_id, [0, 0, 0, 0])[i] = n
    return {k: tuple(v) for k, v in counts.items()}


def expected_counts(nlp, engine) -> dict[int, tuple[int, int, int, int]]:
    """What tagging each story once gives, from the pipeline itself in this process."""
    from trackwire.nlp.pipeline import doc_tags

    with read_session(engine) as session:
        rows = session.execute(select(Story.id, Story.text).order_by(Story.id)).all()
    out = {}
    for doc, story_id in nlp.pipe(((r.text, r.id) for r in rows), as_tuples=True):
        tags = doc_tags(doc)
        mentions = sum(len(x["mentions"]) for key in ("athletes", "people", "events") for x in tags[key])
        out[story_id] = (mentions, len(tags["quotes"]), len(tags["marks"]), len(tags["performances"]))
    return out


def start_worker(db: str, tmp_path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "TRACKWIRE_DB": db, "COLUMNS": "200"}
    return started(subprocess.Popen([sys.executable, "-m", "trackwire", "worker", "--until-empty", *args], env=env,
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))


def test_three_workers_tag_200_stories_none_lost_or_doubled_one_killed_mid_batch(db_url, tmp_path, nlp):
    with opened(db_url) as eng:
        add_stories(eng, 200)
        expected = expected_counts(nlp, eng)
        workers = [start_worker(db_url, tmp_path, "--batch", "10", "--claim-seconds", "4") for _ in range(3)]
        victim = workers[0]
        mine = f"%:{victim.pid}:%"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # kill the first worker between two writes of one batch
            with read_session(eng) as session:
                written, held = session.execute(text(
                    "SELECT (SELECT count(*) FROM story WHERE tagged_by LIKE :w),"
                    " (SELECT count(*) FROM story WHERE claimed_by LIKE :w)"), {"w": mine}).one()
            if written >= 3 and held >= 2:
                victim.send_signal(signal.SIGKILL)
                break
            time.sleep(0.02)
        else:
            pytest.fail("the first worker never got mid-batch")
        victim.communicate()  # reap it and close its pipes
        outputs = [w.communicate(timeout=240) for w in workers[1:]]
        assert [w.returncode for w in workers[1:]] == [0, 0], [o[1] for o in outputs]
        with read_session(eng) as session:
            untagged = session.execute(text("SELECT count(*) FROM story WHERE tagged_at IS NULL")).scalar_one()
            by_worker = dict(session.execute(text("SELECT tagged_by, count(*) FROM story GROUP BY tagged_by")).all())
            claims_left = session.execute(text("SELECT count(*) FROM story WHERE claimed_by IS NOT NULL")).scalar_one()
        assert untagged == 0 and claims_left == 0
        killed = sum(n for w, n in by_worker.items() if f":{victim.pid}:" in w)
        assert killed >= 3
        # every write is counted by the worker that made it: 200 writes in all means none was tagged twice
        reported = [int(out.split("tagged ")[1].split()[0]) for out, _ in outputs]
        assert killed + sum(reported) == 200
        assert tag_counts(eng) == {k: v for k, v in expected.items() if any(v)}


# ---------------------------------------------------------------- PostgreSQL, the whole path


def test_crawl_tag_search_athlete_export_on_postgresql(pg_url, tmp_path):
    from trackwire.crawler.demo_site import DemoSite

    with DemoSite() as site:
        sources = tmp_path / "sources.toml"
        sources.write_text(site.sources_toml(), encoding="utf-8")
        crawl = trackwire("crawl", "--sources", str(sources), db=pg_url, cwd=tmp_path)
        assert crawl.returncode == 0, crawl.stderr
        again = trackwire("crawl", "--sources", str(sources), db=pg_url, cwd=tmp_path)
        assert again.returncode == 0, again.stderr
        articles = len(site.articles)
        assert sum(n for path, n in site.hits.items() if "/news/" in path) == articles  # each fetched once
    tag = invoke("tag", "--workers", "2", db=pg_url, cwd=tmp_path)
    assert tag.returncode == 0, tag.stderr
    assert f"tagged {articles} stories" in tag.stdout
    found = json.loads(invoke("search", "Ingebrigtsen", "--json", db=pg_url, cwd=tmp_path).stdout)
    assert found and all("ingebrigtsen" in (h["title"] + h["snippet"]).lower() for h in found)
    profile = json.loads(invoke("athlete", "ingebrigsten", "--json", db=pg_url, cwd=tmp_path).stdout)
    assert profile["athlete"]["name"] == "Jakob Ingebrigtsen"
    assert any(p["event"] == "5000m" for s in profile["stories"] for p in s["performances"])
    out = tmp_path / "corpus.jsonl"
    export = invoke("export", "--out", str(out), db=pg_url, cwd=tmp_path)
    assert export.returncode == 0, export.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == articles and all(r["athletes"] for r in records)


# ---------------------------------------------------------------- a shared crawl frontier in Redis


def start_crawl(db: str, tmp_path, sources, env: dict) -> subprocess.Popen:
    full_env = {**os.environ, "TRACKWIRE_DB": db, "TRACKWIRE_DOWNLOAD_DELAY": "0", **env}
    return started(subprocess.Popen([sys.executable, "-m", "trackwire", "crawl", "--sources", str(sources)], env=full_env,
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))


def runs_new(eng) -> list[int]:
    with read_session(eng) as session:
        return list(session.execute(text("SELECT stories_new FROM crawlrun ORDER BY id")).scalars())


class TwoCrawlerSite:
    """The demo site, holding crawler A's first article request until crawler B asks for an article:
    both crawlers of a round then do part of the work, whatever the machine's load (events, no clock).
    Crawlers are told apart by their User-Agent."""

    def __init__(self):
        from trackwire.crawler.demo_site import DemoSite

        gate = self
        self.a_asked, self.b_asked = threading.Event(), threading.Event()
        self.log = []

        class Site(DemoSite):
            def arrived(self, path, headers):
                gate.log.append((path, headers.get("User-Agent", ""), time.monotonic()))
                if not path.startswith("/news/"):
                    return
                if "crawler-b" in headers.get("User-Agent", ""):
                    gate.b_asked.set()
                elif not gate.a_asked.is_set():
                    gate.a_asked.set()
                    gate.b_asked.wait(timeout=120)  # fails the test below, never hangs it

        self.site = Site()


def test_two_crawls_sharing_redis_fetch_every_page_once_and_feeds_again_next_night(pg_url, redis_url, tmp_path):
    url, prefix = redis_url
    env = {"TRACKWIRE_REDIS_URL": url, "TRACKWIRE_REDIS_PREFIX": prefix}
    gated = TwoCrawlerSite()
    with gated.site as site, opened(pg_url) as eng:
        sources = tmp_path / "sources.toml"
        sources.write_text(site.sources_toml(), encoding="utf-8")
        articles = {a.path for a in site.articles}
        crawls = [start_crawl(pg_url, tmp_path, sources, {**env, "TRACKWIRE_USER_AGENT": "crawler-a"})]
        assert gated.a_asked.wait(timeout=120)  # the second joins while the first is at work
        crawls.append(start_crawl(pg_url, tmp_path, sources, {**env, "TRACKWIRE_USER_AGENT": "crawler-b"}))
        outputs = [c.communicate(timeout=240) for c in crawls]
        assert [c.returncode for c in crawls] == [0, 0], [o[1] for o in outputs]
        assert gated.b_asked.is_set()
        assert {p: n for p, n in site.hits.items() if p in articles} == {p: 1 for p in articles}
        assert (site.hits["/feed.xml"], site.hits["/sitemap.xml"]) == (1, 1), gated.log
        first_night = runs_new(eng)
        assert sum(first_night) == len(articles) and all(first_night), first_night  # both did part of it

        # the next night: a new round fetches the feeds again (304 now) and no stored article
        again = start_crawl(pg_url, tmp_path, sources, env)
        out, err = again.communicate(timeout=120)
        assert again.returncode == 0, err
        assert (site.hits["/feed.xml"], site.hits["/sitemap.xml"]) == (2, 2)
        assert site.not_modified == {"/feed.xml": 1, "/sitemap.xml": 1}  # validators kept by the round
        assert {p: n for p, n in site.hits.items() if p in articles} == {p: 1 for p in articles}
        with read_session(eng) as session:
            assert session.execute(text("SELECT count(*) FROM story")).scalar_one() == len(articles)


def test_an_unreachable_redis_is_one_line_before_any_fetch(db_path, tmp_path):
    from trackwire.crawler.demo_site import DemoSite

    with DemoSite() as site:
        sources = tmp_path / "sources.toml"
        sources.write_text(site.sources_toml(), encoding="utf-8")
        result = trackwire("crawl", "--sources", str(sources), db=db_path,
                           env={"TRACKWIRE_REDIS_URL": "redis://127.0.0.1:1/0"})
        assert site.hits == {}
    assert result.returncode == 1
    assert "cannot reach Redis at redis://127.0.0.1:1/0" in result.stderr
    assert "Traceback" not in result.stderr
