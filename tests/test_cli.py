"""The `trackwire` command on a real SQLite file with the real model."""

import json
from datetime import datetime

import pytest

from conftest import FIXTURES, shared, trackwire

INGEST = FIXTURES / "ingest"


def ingest_and_tag(db, folder, **stories: str) -> None:
    """Write each story (headline, blank line, body) to NAME.txt, ingest and tag them all."""
    paths = []
    for name, text in stories.items():
        path = folder / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    assert trackwire("ingest", *paths, db=db).returncode == 0
    assert trackwire("tag", db=db).returncode == 0


@pytest.fixture
def tagged_db(db_path):
    result = trackwire("ingest", str(INGEST / "glasgow-3000m.txt"), str(INGEST / "stories.jsonl"), db=db_path)
    assert "stored: 3 new" in result.stdout
    result = trackwire("tag", db=db_path)
    assert result.returncode == 0, result.stderr
    return db_path


def test_ingest_reports_each_bad_line_and_keeps_the_rest(db_path):
    result = trackwire("ingest", str(INGEST / "stories.jsonl"), db=db_path)
    assert result.returncode == 1
    assert "stories.jsonl:3: not JSON" in result.stderr
    assert "stories.jsonl:4: needs text, or title and body" in result.stderr
    assert "stories.jsonl:5: published_at 'next Friday' is not an ISO 8601 date" in result.stderr
    assert "stored: 2 new" in result.stdout


def test_ingest_twice_stores_nothing_twice(db_path):
    trackwire("ingest", str(INGEST / "glasgow-3000m.txt"), db=db_path)
    result = trackwire("ingest", str(INGEST / "glasgow-3000m.txt"), db=db_path)
    assert "stored: 1 unchanged" in result.stdout


def test_athlete_by_surname_shows_quotes_and_marks(tagged_db):
    result = trackwire("athlete", "kerr", "--json", db=tagged_db)
    profile = json.loads(result.stdout)
    assert profile["athlete"]["name"] == "Josh Kerr"
    (story,) = profile["stories"]
    assert story["key"] == "glasgow-3000m"
    assert story["quotes"][0].startswith("I wanted to test my speed")
    assert {"event": "3000m", "mark": "7:33.62", "value": 453.62, "unit": "s"} in story["performances"]


def test_typo_in_athlete_name_is_forgiven(tagged_db):
    profile = json.loads(trackwire("athlete", "Josh Kerrr", "--json", db=tagged_db).stdout)
    assert profile["athlete"]["name"] == "Josh Kerr"


def test_unknown_athlete_says_so_and_suggests(tagged_db):
    result = trackwire("athlete", "Josh Kirby", db=tagged_db)
    assert result.returncode == 1
    assert "no athlete called 'Josh Kirby'" in result.stderr and "Josh Kerr" in result.stderr


def test_search_with_athlete_filter(tagged_db):
    hits = json.loads(trackwire("search", "world record", "--athlete", "Duplantis", "--json", db=tagged_db).stdout)
    assert [h["key"] for h in hits] == ["jump-1"]


def test_search_with_nothing_to_search_is_one_line(tagged_db):
    result = trackwire("search", "*", db=tagged_db)
    assert result.returncode == 1 and "nothing to search for" in result.stderr and "Traceback" not in result.stderr


def test_export_jsonl_contract(tagged_db, tmp_path):
    out = tmp_path / "out.jsonl"
    assert trackwire("export", "--format", "jsonl", "--out", str(out), db=tagged_db).returncode == 0
    records = {r["key"]: r for r in map(json.loads, out.read_text().splitlines())}
    kerr = records["glasgow-3000m"]
    assert [a["name"] for a in kerr["athletes"]][:1] == ["Josh Kerr"]
    assert {"name": "Danny Mackey", "role": "coach"} in [{k: p[k] for k in ("name", "role")} for p in kerr["people"]]
    assert {"event": "3000m", "sex": "men", "indoor": True} in [
        {k: e[k] for k in ("event", "sex", "indoor")} for e in kerr["events"]]
    for span in kerr["spans"]:
        assert kerr["text"][span["start"]:span["end"]].strip() == kerr["text"][span["start"]:span["end"]]


def test_export_refuses_unknown_format_before_work(db_path, tmp_path):
    result = trackwire("export", "--format", "xml", "--out", str(tmp_path / "x"), db=db_path)
    assert result.returncode == 1 and "unknown export format 'xml'" in result.stderr


def test_export_to_missing_folder_is_one_line(db_path, tmp_path):
    result = trackwire("export", "--out", str(tmp_path / "nope" / "x.jsonl"), db=db_path)
    assert result.returncode == 1 and "does not exist" in result.stderr


def test_missing_database_folder_is_one_line(tmp_path):
    result = trackwire("stats", db=tmp_path / "nope" / "t.db", cwd=tmp_path)
    assert result.returncode == 1 and "database folder" in result.stderr and "Traceback" not in result.stderr


def test_retag_only_touches_older_versions(tagged_db):
    assert "nothing to tag" in trackwire("tag", "--retag", db=tagged_db).stdout


def test_demo_prints_its_summary(db_path):
    result = trackwire("demo", db=db_path)
    assert result.returncode == 0, result.stderr
    assert "stories stored and tagged" in result.stdout and "Next, try" in result.stdout
    assert f"trackwire --db {db_path} serve" in " ".join(result.stdout.split())  # rich may wrap the long path


def test_eval_on_the_dev_gold_prints_scores_and_writes_errors_with_a_header(db_path, tmp_path):
    gold = shared("gold", "dev.jsonl")
    errors = tmp_path / "errors.tsv"
    result = trackwire("eval", str(gold), "--baseline", "--errors", str(errors), db=db_path)
    assert result.returncode == 0, result.stderr
    lines = errors.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "article\terror\tvalue"
    assert all(len(line.split("\t")) == 3 for line in lines)
    names = [line.split("\t")[2] for line in lines[1:] if line.split("\t")[1].endswith("athlete")]
    assert names and all(name != name.lower() for name in names)  # as the gold and the tagger spell them
    for field in ("athletes", "events", "marks", "quotes", "performances", "speaker accuracy", "stock model"):
        assert field in result.stdout


def test_ingest_html_goes_through_the_crawler_extraction(db_path, tmp_path):
    from trackwire.crawler.demo_site import load_articles, render_article

    article = load_articles()[0]
    page = tmp_path / "page.html"
    page.write_text(render_article(article), encoding="utf-8")
    assert trackwire("ingest", str(page), db=db_path).returncode == 0
    out = tmp_path / "out.jsonl"
    trackwire("export", "--out", str(out), db=db_path)
    (record,) = map(json.loads, out.read_text().splitlines())
    assert record["key"] == "https://demo.trackwire.test" + article.path
    assert record["text"] == article.text
    assert datetime.fromisoformat(record["published_at"]) == article.published


def test_tag_with_two_workers_matches_one(db_path, tmp_path):
    trackwire("ingest", str(INGEST / "glasgow-3000m.txt"), str(INGEST / "stories.jsonl"), db=db_path)
    assert trackwire("tag", "--workers", "2", db=db_path).returncode == 0
    two = tmp_path / "two.jsonl"
    trackwire("export", "--out", str(two), db=db_path)
    assert trackwire("tag", "--retag", db=db_path).stdout.startswith("nothing to tag")
    other = tmp_path / "one.db"
    trackwire("ingest", str(INGEST / "glasgow-3000m.txt"), str(INGEST / "stories.jsonl"), db=other)
    trackwire("tag", db=other)
    one = tmp_path / "one.jsonl"
    trackwire("export", "--out", str(one), db=other)
    assert two.read_text() == one.read_text()


def test_ambiguous_surname_lists_candidates_with_country_and_events(db_path, tmp_path):
    ingest_and_tag(db_path, tmp_path, kerrs="Two Kerrs shine\n\nJosh Kerr won the 1500m in Oslo while Hamish Kerr "
                                            "won the high jump with 2.31m on the same night.\n")
    result = json.loads(trackwire("athlete", "Kerr", "--json", db=db_path).stdout)
    by_name = {c["name"]: c for c in result["candidates"]}
    assert set(by_name) == {"Josh Kerr", "Hamish Kerr"}
    assert by_name["Hamish Kerr"]["country"] == "NZL" and "high jump" in by_name["Hamish Kerr"]["events"]


def test_profile_groups_marks_by_event_best_first(db_path, tmp_path):
    ingest_and_tag(db_path, tmp_path, races="Kerr doubles up\n\nJosh Kerr won the 1500m in 3:31.20 on Friday.\n\n"
                                            "Josh Kerr then won the 1500m again in 3:29.90 on Sunday.\n")
    profile = json.loads(trackwire("athlete", "Josh Kerr", "--json", db=db_path).stdout)
    assert [r["mark"] for r in profile["by_event"]["1500m"]] == ["3:29.90", "3:31.20"]


def test_registry_aliases_are_one_athlete(db_path, tmp_path):
    ingest_and_tag(db_path, tmp_path,
                   old="Hurdles win\n\nSydney McLaughlin won the 400m hurdles in 52.75 in Eugene.\n",
                   new="Hurdles record\n\nSydney McLaughlin-Levrone won the 400m hurdles in 50.37 in Paris.\n")
    for typed in ("Sydney McLaughlin", "sydney mclaughlin-levrone"):
        profile = json.loads(trackwire("athlete", typed, "--json", db=db_path).stdout)
        assert profile["athlete"]["name"] == "Sydney McLaughlin-Levrone"
        assert sorted(s["key"] for s in profile["stories"]) == ["new", "old"]
    out = tmp_path / "out.jsonl"
    trackwire("export", "--out", str(out), db=db_path)
    names = {json.loads(x)["key"]: json.loads(x)["athletes"][0]["name"] for x in out.read_text().splitlines()}
    assert names == {"old": "Sydney McLaughlin", "new": "Sydney McLaughlin-Levrone"}  # as each story says


def test_registry_alias_finds_the_athlete_under_another_name(db_path, tmp_path):
    ingest_and_tag(db_path, tmp_path, farah="Farah returns\n\nMo Farah won the 10,000m in 27:30.42 in London.\n")
    profile = json.loads(trackwire("athlete", "Mohamed Farah", "--json", db=db_path).stdout)
    assert profile["athlete"]["name"] == "Mo Farah"
