"""What the commands print is what is stored, whole and as written (issue 16, "Wrong or hidden
output"): no story text read as markup, names as the registry spells them, one line for empty
results, counts that read right."""

from __future__ import annotations

import json
import sqlite3
import subprocess

import pytest
from sqlmodel import select

from conftest import copy_store, invoke, opened, tag_texts

MARKUP = ("[bold]Kerr[/bold] wins the [red]3000m[/red] :fire:\n\n"
          "Josh Kerr won the 3000m in Glasgow in 7:33.62. \"I wanted [link=x]speed[/link] today,\" "
          "said Kerr, who ran [/] the last lap in [italic]26 seconds[/italic].\n")


@pytest.fixture
def markup_db(db_path, tmp_path, nlp):
    tag_texts(db_path, tmp_path, nlp, markup=MARKUP)
    return db_path


def test_search_prints_markup_in_a_story_as_written(cli, markup_db):
    result = cli("search", "glasgow")
    assert result.exit_code == 0, result.stderr
    assert "[bold]Kerr[/bold] wins the [red]3000m[/red] :fire:" in result.stdout


def test_search_snippet_keeps_the_searched_word_in_brackets(cli, markup_db):
    assert "[italic]26 seconds[/italic]" in cli("search", "seconds").stdout


def test_athlete_prints_titles_and_quotes_as_written(cli, markup_db):
    out = cli("athlete", "Josh Kerr").stdout
    assert "[bold]Kerr[/bold] wins the [red]3000m[/red] :fire:" in out
    assert "I wanted [link=x]speed[/link] today" in out


def test_an_error_quoting_the_input_prints_it_as_written(cli, markup_db):
    result = cli("athlete", "[bold]Nobody[/bold]")
    assert result.exit_code == 1 and "'[bold]Nobody[/bold]'" in result.stderr


def test_paths_with_brackets_print_as_written(cli, markup_db, tmp_path):
    out = tmp_path / "[red]out.jsonl"
    assert f"to {out}" in cli("export", "--out", str(out)).stdout
    bad = tmp_path / "[bold]empty.txt"
    bad.write_text("", encoding="utf-8")
    assert f"skipped {bad}: empty file" in cli("ingest", str(bad)).stderr


def test_demo_summary_prints_a_quote_as_written(demo_run):
    _, result = demo_run
    assert "A quote: “" in result.stdout


@pytest.mark.parametrize("typed, heading", [
    ("Richardson", "Sha'Carri Richardson (USA)"),
    ("spotakova", "Barbora Špotáková (CZE)"),
], ids=["inner-capital", "accents"])
def test_athlete_heading_is_the_registry_spelling(cli, db_path, tmp_path, nlp, typed, heading):
    tag_texts(db_path, tmp_path, nlp,
              sprint="Richardson wins\n\nSha'carri Richardson won the 100m in 10.71 in Budapest.\n",
              javelin="Spotakova third\n\nBarbora Spotakova threw 61.78m to finish third in Eugene.\n")
    assert cli("athlete", typed).stdout.startswith(heading)


def test_a_store_tagged_before_shows_todays_spelling_after_retagging(db_path):
    from trackwire.store.db import write_session
    from trackwire.store.models import Athlete
    from trackwire.store.stories import athlete_id

    with opened(str(db_path)) as eng:
        with write_session(eng) as session:
            old = athlete_id(session, "Sha'carri Richardson", canonical=True)  # the registry of an older build
        with write_session(eng) as session:
            new = athlete_id(session, "Sha'Carri Richardson", canonical=True)
            names = list(session.exec(select(Athlete.name)))
    assert (old, names) == (new, ["Sha'Carri Richardson"])


def test_a_headline_in_capitals_gives_way_to_the_name_as_written(db_path):
    from trackwire.store.db import write_session
    from trackwire.store.models import Athlete
    from trackwire.store.stories import athlete_id

    with opened(str(db_path)) as eng, write_session(eng) as session:
        athlete_id(session, "JANE DOE-SMITH")
        athlete_id(session, "Jane Doe-Smith")
        athlete_id(session, "jane doe-smith")
        assert list(session.exec(select(Athlete.name))) == ["Jane Doe-Smith"]


@pytest.mark.parametrize("query", ["Kerr's", "Kerr’s", "KERR'S"], ids=["straight", "curly", "capitals"])
def test_search_for_a_possessive_finds_the_name(cli, fixture_store, query):
    hits = json.loads(cli("search", query, "--json", "--db", str(fixture_store)).stdout)
    assert [h["key"] for h in hits] == ["glasgow-3000m"]


def test_athlete_heading_says_the_dates_left_stories_out(cli, demo_run):
    db, _ = demo_run
    every = cli("athlete", "Hassan", "--db", str(db)).stdout.splitlines()[0]
    dated = cli("athlete", "Hassan", "--since", "2024-08-01", "--until", "2024-08-11", "--db", str(db)).stdout
    assert every == "Sifan Hassan (NED): 2 stories"
    assert dated.splitlines()[0] == "Sifan Hassan (NED): 2 stories, 1 in the dates asked for"


def test_unknown_athlete_suggests_no_unrelated_name(cli, demo_run):
    db, _ = demo_run
    result = cli("athlete", "nobody", "--db", str(db))
    assert result.exit_code == 1
    assert "did you mean" not in result.stderr and "check the spelling" in result.stderr


def test_unknown_athlete_suggests_a_close_name(cli, demo_run):
    db, _ = demo_run
    assert "did you mean Noah Lyles?" in cli("athlete", "Lyl", "--db", str(db)).stderr


def test_one_hit_is_one_story(cli, fixture_store):
    assert "1 story" in cli("search", "glasgow", "--db", str(fixture_store)).stdout.splitlines()[0]


def test_no_hits_is_one_line(cli, fixture_store):
    assert cli("search", "zzyzx", "--db", str(fixture_store)).stdout == "no stories found\n"


def test_no_runs_is_one_line(cli):
    assert cli("db", "upgrade").exit_code == 0
    assert cli("runs").stdout == "no runs yet: `trackwire crawl` or `trackwire run` fetches the news\n"


def test_an_athlete_with_no_story_in_the_window_has_no_table(cli, fixture_store):
    out = cli("athlete", "Josh Kerr", "--until", "2000-01-01", "--db", str(fixture_store)).stdout
    assert out.splitlines()[0] == "Josh Kerr (GBR): 1 story, none in the dates asked for"
    assert "┏" not in out


def test_stats_says_mentioned_athletes_beside_the_registry(cli, demo_run):
    db, _ = demo_run
    first = cli("stats", "--db", str(db)).stdout.splitlines()[0]
    registry = json.loads(cli("stats", "--json", "--db", str(db)).stdout)["totals"]["registry"]
    assert registry > 50_000
    assert f"athletes mentioned: 51 (of {registry:,} in the registry)" in first


def test_crawl_summary_says_links_listed_twice_were_fetched_once(demo_run):
    _, result = demo_run
    assert "crawl run 1: ok · 17 new" in result.stdout
    assert "links not fetched: 17 listed more than once (in a feed and a sitemap, say), taken once" \
        in result.stdout
    assert "skipped" not in result.stdout


def test_worker_prints_one_total(tmp_path, demo_run):
    db = copy_store(demo_run[0], tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE story SET tagged_at = NULL, tagger_version = NULL WHERE id <= 2")
    result = invoke("worker", "--until-empty", db=db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(": tagged 2 stories in all\n")
    assert "so far" not in result.stderr


def test_demo_hint_is_a_command_that_works_as_printed(demo_run, tmp_path):
    db, result = demo_run
    hint = result.stdout.split("Next, try: ", 1)[1].split("  or  ")[0]
    run = subprocess.run(hint, shell=True, capture_output=True, text=True, cwd=db.parent, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "Noah Lyles (USA)" in run.stdout


def test_demo_stories_keep_the_demo_sites_stable_address(cli, demo_run):
    db, _ = demo_run
    profile = json.loads(cli("athlete", "Noah Lyles", "--json", "--db", str(db)).stdout)
    assert {s["url"].split("/news/")[0] for s in profile["stories"]} == {"http://demo.trackwire.test"}
    assert {s["key"].split("/news/")[0] for s in profile["stories"]} == {"http://demo.trackwire.test"}

