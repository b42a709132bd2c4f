"""Every export format, from a store tagged by the real pipeline, read back by the tools that use it."""

import csv
import io
import json
import subprocess
import sys

import pytest

from conftest import invoke


@pytest.fixture(scope="module")
def tagged(fixture_store):
    """The session's tagged fixture store (conftest); exports only read it."""
    return fixture_store


def export(db, fmt, out, *extra):
    result = invoke("export", "--format", fmt, "--out", str(out), *extra, db=db)
    assert result.returncode == 0, result.stderr
    return out


def test_spacy_docbin_reads_as_a_training_corpus(tagged, tmp_path):
    import spacy
    from spacy.training import Corpus

    path = export(tagged, "spacy", tmp_path / "train")
    assert sorted(p.name for p in path.iterdir()) == ["00001.spacy", "manifest.json"]
    examples = list(Corpus(path)(spacy.blank("en")))
    assert len(examples) == 3
    kerr = next(e.reference for e in examples if "Glasgow" in e.reference.text)
    assert ("Josh Kerr", "ATHLETE") in [(e.text, e.label_) for e in kerr.ents]
    assert ("7:33.62", "MARK") in [(e.text, e.label_) for e in kerr.ents]
    assert [s.kb_id_ for s in kerr.spans["quotes"]] == ["Josh Kerr", "Josh Kerr"]


def test_iob_is_accepted_by_spacy_convert(tagged, tmp_path):
    path = export(tagged, "iob", tmp_path / "corpus.iob")
    out = tmp_path / "converted"
    out.mkdir()
    result = subprocess.run([sys.executable, "-m", "spacy", "convert", "-c", "ner", str(path), str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    from spacy.tokens import DocBin
    import spacy

    docs = list(DocBin().from_disk(out / "corpus.spacy").get_docs(spacy.blank("en").vocab))
    assert "ATHLETE" in {e.label_ for d in docs for e in d.ents}


def test_csv_tables(tagged, tmp_path):
    folder = export(tagged, "csv", tmp_path / "tables")
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["manifest.json", "marks.csv", "mentions.csv", "performances.csv", "quotes.csv", "stories.csv"]
    with (folder / "performances.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert {"key": "glasgow-3000m", "athlete": "Josh Kerr", "event": "3000m", "mark": "7:33.62",
            "value": "453.62", "unit": "s"} in rows


def test_parquet_tables(tagged, tmp_path):
    import pyarrow.parquet as pq

    folder = export(tagged, "parquet", tmp_path / "tables")
    stories = pq.read_table(folder / "stories.parquet")
    mentions = pq.read_table(folder / "mentions.parquet")
    assert stories.num_rows == 3
    assert mentions.column_names == ["key", "start", "end", "label", "text", "name", "role", "country", "sex",
                                     "indoor"]
    assert str(mentions.schema.field("start").type) == "int64"


def test_doccano_and_labelstudio(tagged, tmp_path):
    doccano = [json.loads(x) for x in export(tagged, "doccano", tmp_path / "d.jsonl").read_text().splitlines()]
    line = next(d for d in doccano if d["id"] == "glasgow-3000m")
    assert all(line["text"][s:e] for s, e, _ in line["label"]) and [0, 4, "ATHLETE"] in line["label"]
    studio = [json.loads(x) for x in export(tagged, "labelstudio", tmp_path / "l.jsonl").read_text().splitlines()]
    result = studio[0]["predictions"][0]["result"][0]
    assert {"from_name", "to_name", "type", "value"} <= set(result) and result["value"]["labels"]


def test_filters_and_manifest(tagged, tmp_path):
    out = export(tagged, "jsonl", tmp_path / "q.jsonl", "--has-quotes", "--event", "3000m")
    assert [json.loads(x)["key"] for x in out.read_text().splitlines()] == ["glasgow-3000m"]
    manifest = json.loads((tmp_path / "q.jsonl.manifest.json").read_text())
    assert manifest["stories"] == 1 and manifest["filters"] == {"event": "3000m", "has_quotes": True}
    assert manifest["format"] == "jsonl" and manifest["tagger_version"]


def test_folder_format_to_a_file_is_refused_before_work(tagged, tmp_path):
    target = tmp_path / "x.csv"
    target.write_text("keep me")
    result = invoke("export", "--format", "csv", "--out", str(target), db=tagged)
    assert result.returncode == 1 and "writes a folder" in result.stderr and target.read_text() == "keep me"


def test_spacy_export_shards_by_a_thousand(tmp_path):
    from trackwire.store.formats import staging_dir  # noqa: F401  (the writer's helpers exist)
    from trackwire.nlp.formats import docbin

    records = [{"key": f"k{i}", "text": "Kerr won.", "spans": [{"start": 0, "end": 4, "label": "ATHLETE"}],
                "quotes": []} for i in range(2500)]
    assert [len(part) for part in docbin(records)] == [1000, 1000, 500]


def test_interrupted_write_leaves_nothing_under_the_final_name(tmp_path):
    from trackwire.store.formats import write_lines

    def lines():
        yield "one\n"
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_lines(lines(), tmp_path / "out.jsonl")
    assert list(tmp_path.iterdir()) == []


def test_jsonl_export_round_trips_through_ingest(tagged, tmp_path):
    first = export(tagged, "jsonl", tmp_path / "first.jsonl")
    fresh = tmp_path / "fresh.db"
    assert invoke("ingest", str(first), db=fresh).returncode == 0
    second = export(fresh, "jsonl", tmp_path / "second.jsonl")
    assert second.read_text() == first.read_text()
    assert "nothing to tag" in invoke("tag", db=fresh).stdout


@pytest.mark.parametrize("writer", ["write_csv", "write_parquet"])
def test_interrupted_folder_export_leaves_nothing(tmp_path, writer):
    from trackwire.store import formats

    def records():
        yield {"key": "k", "url": None, "title": "t", "source": None, "published_at": None, "text": "Kerr won.",
               "athletes": [], "people": [], "events": [], "marks": [], "quotes": [], "performances": [],
               "spans": []}
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        getattr(formats, writer)(records(), tmp_path / "tables")
    assert list(tmp_path.iterdir()) == []


FORMULA_TITLE = '=HYPERLINK("http://evil/","x")'


def test_csv_cells_a_spreadsheet_would_run_start_with_an_apostrophe_as_in_the_web_download(cli, db_path, tmp_path):
    """A crawled title that is a formula: the CLI's CSV and the web's CSV download both defuse it, the
    same way; JSONL keeps the exact text for programs."""
    import trackwire as tw

    stories = tmp_path / "s.jsonl"
    stories.write_text(json.dumps({"key": "evil", "title": FORMULA_TITLE, "source": "-src",
                                   "text": f"{FORMULA_TITLE}\n\n@Kerr won the 3000m.\n"}) + "\n", encoding="utf-8")
    assert cli("ingest", str(stories)).exit_code == 0
    assert cli("export", "--format", "csv", "--out", str(tmp_path / "tables")).exit_code == 0
    with (tmp_path / "tables" / "stories.csv").open(newline="", encoding="utf-8") as fh:
        (row,) = csv.DictReader(fh)
    assert (row["key"], row["title"], row["source"]) == ("evil", "'" + FORMULA_TITLE, "'-src")
    assert row["text"] == "'" + f"{FORMULA_TITLE}\n\n@Kerr won the 3000m.\n"
    with tw.open(db_path) as store:
        web = list(csv.DictReader("".join(store.download("csv")).splitlines()))
    assert (web[0]["title"], web[0]["source"]) == (row["title"], row["source"])
    assert cli("export", "--format", "jsonl", "--out", str(tmp_path / "c.jsonl")).exit_code == 0
    assert json.loads((tmp_path / "c.jsonl").read_text(encoding="utf-8"))["title"] == FORMULA_TITLE


@pytest.mark.parametrize("fmt, name", [("jsonl", "trackwire-export.jsonl"), ("iob", "trackwire-export.iob"),
                                       ("doccano", "trackwire-export.doccano.jsonl"),
                                       ("labelstudio", "trackwire-export.labelstudio.jsonl"),
                                       ("parquet", "trackwire-export-parquet"), ("csv", "trackwire-export-csv")])
def test_without_out_the_export_is_named_for_its_format(cli, tagged, tmp_path, monkeypatch, fmt, name):
    monkeypatch.chdir(tmp_path)
    result = cli("--db", str(tagged), "export", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == sorted(
        [name, f"{name}.manifest.json"] if "." in name else [name])
    assert (tmp_path / name).is_dir() == (fmt in ("parquet", "csv"))
    assert result.stdout == f"wrote 3 stories to {name}\n"


@pytest.mark.parametrize("fmt", ["jsonl", "iob", "doccano", "labelstudio"])
def test_out_dash_writes_the_lines_to_standard_output_and_nothing_else(cli, tagged, tmp_path, monkeypatch, fmt):
    monkeypatch.chdir(tmp_path)
    result = cli("--db", str(tagged), "export", "--format", fmt, "--out", "-")
    assert result.exit_code == 0, result.output
    assert list(tmp_path.iterdir()) == []  # no file named "-", no manifest
    assert result.stderr == "wrote 3 stories to standard output\n"
    export(tagged, fmt, tmp_path / "file")
    assert result.stdout == (tmp_path / "file").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["spacy", "parquet", "csv"])
def test_out_dash_is_refused_for_a_folder_format(cli, tagged, tmp_path, monkeypatch, fmt):
    monkeypatch.chdir(tmp_path)
    result = cli("--db", str(tagged), "export", "--format", fmt, "--out", "-")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {fmt} writes a folder, not standard output")
    assert result.stderr.count("\n") == 1 and list(tmp_path.iterdir()) == []


def test_iob_keeps_the_headline_a_sentence_of_its_own(cli, tmp_path):
    story = tmp_path / "kerr.txt"
    story.write_text("Kerr wins in Glasgow\n\nJosh Kerr won the race. He ran fast!\n\nA new paragraph follows\n\n"
                     "The end.\n", encoding="utf-8")
    db = tmp_path / "t.db"
    assert cli("--db", str(db), "ingest", str(story)).exit_code == 0
    out = tmp_path / "k.iob"
    assert cli("--db", str(db), "export", "--format", "iob", "--out", str(out)).exit_code == 0
    blocks = out.read_text(encoding="utf-8").split("\n\n")
    sentences = [" ".join(line.split(" ")[0] for line in b.splitlines()) for b in blocks if b.strip()]
    assert sentences == ["-DOCSTART-", "Kerr wins in Glasgow", "Josh Kerr won the race .", "He ran fast !",
                         "A new paragraph follows", "The end ."]


def test_published_at_is_one_string_in_search_json_the_web_api_and_every_export(cli, tagged, tmp_path):
    """docs/json.md, docs/export.md: every UTC datetime trackwire writes is ISO 8601 with `Z`, seconds
    unless the value has more, and the same story's date reads the same wherever it comes from."""
    import re

    from fastapi.testclient import TestClient

    import trackwire as tw
    from trackwire.web import create_app

    want = "2025-05-30T20:00:00Z"
    found = cli("--db", str(tagged), "search", "Bol hurdles", "--json")
    assert found.exit_code == 0, found.output
    (hit,) = [h for h in json.loads(found.stdout) if h["key"] == "hurdles-1"]
    with tw.open(tagged, read_only=True) as store, TestClient(create_app(store)) as http:
        page = http.get("/api/search", params={"q": "Bol hurdles"}).json()
        detail = http.get("/api/story", params={"key": "hurdles-1"}).json()
        web_jsonl = [json.loads(x) for x in http.get("/api/search.jsonl", params={"q": "Bol hurdles"}).text.splitlines()]
        web_csv = list(csv.DictReader(io.StringIO(http.get("/api/search.csv", params={"q": "Bol hurdles"}).text)))
        api_hit = next(h for h in store.search("Bol hurdles") if h.key == "hurdles-1")
    lines = [json.loads(x) for x in export(tagged, "jsonl", tmp_path / "e.jsonl").read_text().splitlines()]
    with (export(tagged, "csv", tmp_path / "tables") / "stories.csv").open(newline="", encoding="utf-8") as fh:
        table = list(csv.DictReader(fh))
    seen = {
        "search --json": hit["published_at"],
        "Python API": api_hit.to_json()["published_at"],
        "web /api/search": next(h for h in page["hits"] if h["key"] == "hurdles-1")["published_at"],
        "web /api/story": detail["story"]["published_at"],
        "web search.jsonl": next(s for s in web_jsonl if s["key"] == "hurdles-1")["published_at"],
        "web search.csv": next(r for r in web_csv if r["key"] == "hurdles-1")["published_at"],
        "export jsonl": next(r for r in lines if r["key"] == "hurdles-1")["published_at"],
        "export csv": next(r for r in table if r["key"] == "hurdles-1")["published_at"],
    }
    assert seen == dict.fromkeys(seen, want)
    manifest = json.loads((tmp_path / "e.jsonl.manifest.json").read_text())
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", manifest["written_at"])


def test_parquet_datetimes_are_utc_timestamps_null_where_unknown(tagged, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    from datetime import datetime, timezone

    stories = pq.read_table(export(tagged, "parquet", tmp_path / "tables") / "stories.parquet")
    assert stories.schema.field("published_at").type == pa.timestamp("us", tz="UTC")
    dates = dict(zip(stories.column("key").to_pylist(), stories.column("published_at").to_pylist()))
    assert dates["hurdles-1"] == datetime(2025, 5, 30, 20, 0, tzinfo=timezone.utc)
    assert dates["jump-1"] is None


@pytest.mark.parametrize("value, text", [
    ("2024-08-04T20:10:00+00:00", "2024-08-04T20:10:00Z"),
    ("2024-08-04T22:10:00+02:00", "2024-08-04T20:10:00Z"),
    ("2024-08-04T20:10:00.250000+00:00", "2024-08-04T20:10:00.250000Z"),
])
def test_one_time_format_for_records_and_exports(value, text):
    """The records' JSON (CLI --json, web API) and the export contract write times with the one helper."""
    from datetime import datetime

    from trackwire.records import SearchHit
    from trackwire.store.times import iso_utc

    when = datetime.fromisoformat(value)
    hit = SearchHit(key="k", title="t", published_at=when, snippet="", score=0.0)
    assert iso_utc(when) == hit.to_json()["published_at"] == json.loads(hit.model_dump_json())["published_at"] == text
    assert datetime.fromisoformat(text) == when
