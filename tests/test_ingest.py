"""`trackwire ingest` on folders and bad files (issue 16, issue 15 "Bad input"): every kind of
story file read, every bad file or line one line naming it, the good ones stored, the bad counted."""

from __future__ import annotations

import gzip
import json
import sqlite3

import pytest

from conftest import shared
from trackwire.crawler.demo_site import load_articles, render_article

GOOD = "Kerr wins in Glasgow\n\nJosh Kerr won the 3000m in 7:33.62.\n"


def keys(db) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {k for (k,) in conn.execute("SELECT key FROM story")}


@pytest.fixture
def folder(tmp_path):
    """A folder as people have them: pages, notes, a licence, a readme, a subfolder."""
    root = tmp_path / "articles"
    (root / "more").mkdir(parents=True)
    article = load_articles()[0]
    (root / "page.html.gz").write_bytes(gzip.compress(render_article(article).encode()))
    (root / "more" / "other.html").write_text(render_article(load_articles()[1]), encoding="utf-8")
    (root / "kerr.txt").write_text(GOOD, encoding="utf-8")
    (root / "headline-only.txt").write_text("Just a headline\n", encoding="utf-8")
    (root / "LICENSE.upstream.txt").write_text("MIT License\n\nCopyright (c) 2020 Someone\n", encoding="utf-8")
    (root / "README.md").write_text("# pages\n", encoding="utf-8")
    (root / "expected.json").write_text("{}", encoding="utf-8")
    return root


def test_a_folder_reads_html_gz_html_and_txt(cli, db_path, folder):
    result = cli("ingest", str(folder))
    articles = load_articles()
    assert keys(db_path) == {"https://demo.trackwire.test" + articles[0].path,
                             "https://demo.trackwire.test" + articles[1].path, "kerr"}
    assert "stored 3 stories: 1 from .html (1 new); 1 from .html.gz (1 new); 1 from .txt (1 new)" in result.stdout


def test_a_headline_only_txt_is_refused_and_counted(cli, folder):
    result = cli("ingest", str(folder))
    assert result.exit_code == 1
    assert f"skipped {folder / 'headline-only.txt'}: a headline and no body" in result.stderr
    assert "refused 1 input: 1 .txt (1 no_body)" in result.stdout


def test_licence_readme_and_other_files_are_left_out_and_counted(cli, db_path, folder):
    result = cli("ingest", str(folder))
    assert "left out of the folders (no story format): 2 licence or readme, 1 .json" in result.stdout
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM story WHERE title = 'MIT License'").fetchone()[0] == 0


def test_a_folder_of_real_pages_and_their_licence(cli, db_path):
    pages = shared("html", "aeb")
    result = cli("ingest", str(pages))
    gz = len(list(pages.glob("*.html.gz")))
    assert len(keys(db_path)) + result.stderr.count("skipped ") == gz
    assert "1 licence or readme" in result.stdout and "Traceback" not in result.stderr


def write_lines(path, *lines: bytes) -> None:
    path.write_bytes(b"\n".join(lines) + b"\n")


def line(**row) -> bytes:
    return json.dumps(row).encode()


EXPORT = {"key": "k", "url": None, "title": "Kerr wins", "source": "ingest", "published_at": None,
          "text": "Kerr wins\n\nJosh Kerr won in 7:33.62.", "athletes": [], "people": [], "events": [],
          "marks": [{"text": "7:33.62", "value": 453.62, "unit": "s", "start": 28, "end": 35, "flags": [],
                     "wind": None}], "quotes": [], "performances": [], "spans": []}


@pytest.mark.parametrize("bad, message", [
    (line(key="a", text=["not", "a", "string"]), "text must be a string, not a list"),
    (line(key="a", text="Head\n\nBody.", source=7), "source must be a string, not a number"),
    (line(key="a", title="Head", body={"p": 1}), "body must be a string, not an object"),
    (line(key=["a"], text="Head\n\nBody."), "key must be a string, not a list"),
    (json.dumps({**EXPORT, "key": "a", "marks": [{**EXPORT["marks"][0], "value": "fast"}]}).encode(),
     "marks.0.value: input should be a valid number"),
    (json.dumps({**EXPORT, "key": "a", "marks": [{**EXPORT["marks"][0], "end": 900}]}).encode(),
     "marks.0: offsets 28-900 are outside the text (36 characters)"),
    (json.dumps({**EXPORT, "key": "a", "marks": [{"text": "7:33.62"}]}).encode(), "marks.0.value: field required"),
    (b'{"key": "a", "text": "Caf\xe9 owner wins\\n\\nBody."}', "not UTF-8 text (byte 0xe9 at column 26)"),
    (b"[1, 2]", "not a JSON object"),
    (line(key=3, text="Head\n\nBody."), "key must be a string, not a number"),
    (line(key=3), "key must be a string, not a number"),
    (line(id=7, text="Head\n\nBody."), "id must be a string, not a number"),
    (line(key="a", text="Just a headline"), "a headline and no body"),
    (line(key="a", text="Just a headline\n\n  \n"), "a headline and no body"),
    (line(key="a", title="Just a headline"), "a headline and no body"),
    (line(key="a", title="Just a headline", body=""), "a headline and no body"),
], ids=["text-list", "source-number", "body-object", "key-list", "mark-value", "mark-offsets", "mark-missing",
        "not-utf8", "not-object", "key-number", "key-number-alone", "id-number", "text-headline-only",
        "text-blank-body", "title-only", "title-empty-body"])
def test_a_bad_jsonl_line_is_one_line_and_the_rest_is_stored(cli, db_path, tmp_path, bad, message):
    path = tmp_path / "stories.jsonl"
    write_lines(path, line(key="before", text=GOOD), bad, line(key="after", text=GOOD))
    result = cli("ingest", str(path))
    assert result.exit_code == 1
    (skipped,) = [x for x in result.stderr.splitlines() if x.startswith("skipped")]
    assert skipped.startswith(f"skipped {path}:2: {message}")
    assert "Traceback" not in result.stderr
    assert keys(db_path) == {"before", "after"}


def test_a_good_export_line_keeps_its_tags(cli, db_path, tmp_path):
    path = tmp_path / "export.jsonl"
    write_lines(path, json.dumps(EXPORT).encode())
    assert cli("ingest", str(path)).exit_code == 0
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT text, value FROM mark").fetchall() == [("7:33.62", 453.62)]


def test_a_byte_order_mark_is_read_past(cli, db_path, tmp_path):
    path = tmp_path / "bom.jsonl"
    write_lines(path, b"\xef\xbb\xbf" + line(key="first", text=GOOD), line(key="second", text=GOOD))
    assert cli("ingest", str(path)).exit_code == 0
    assert keys(db_path) == {"first", "second"}


def test_a_binary_txt_is_refused(cli, db_path, tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    result = cli("ingest", str(path))
    assert result.exit_code == 1 and f"skipped {path}: binary data, not text" in result.stderr
    assert keys(db_path) == set()


def test_a_corrupt_html_gz_is_refused(cli, db_path, tmp_path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00not really gzip")
    result = cli("ingest", str(path))
    assert result.exit_code == 1 and f"skipped {path}: not a gzip file" in result.stderr


def test_files_of_one_name_in_different_folders_are_two_stories_and_ingesting_again_updates(cli, db_path,
                                                                                             tmp_path):
    root = tmp_path / "reports"
    for sub, who in (("x", "Kerr"), ("y", "Wightman")):
        (root / sub).mkdir(parents=True)
        (root / sub / "report.txt").write_text(f"{who} wins\n\n{who} won the 1500m.\n", encoding="utf-8")
    (root / "top.txt").write_text(GOOD, encoding="utf-8")
    first = cli("ingest", str(root))
    assert first.exit_code == 0, first.stderr
    assert keys(db_path) == {"x/report", "y/report", "top"}
    again = cli("ingest", str(root))
    assert again.exit_code == 0 and "3 from .txt (3 unchanged)" in again.stdout
    (root / "y" / "report.txt").write_text("Wightman wins again\n\nWightman won the 800m.\n", encoding="utf-8")
    assert cli("ingest", str(root)).exit_code == 0
    with sqlite3.connect(db_path) as conn:
        titles = dict(conn.execute("SELECT key, title FROM story"))
    assert titles == {"x/report": "Kerr wins", "y/report": "Wightman wins again", "top": "Kerr wins in Glasgow"}


def test_a_file_given_itself_is_keyed_by_its_name(cli, db_path, tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "report.txt").write_text(GOOD, encoding="utf-8")
    assert cli("ingest", str(tmp_path / "x" / "report.txt")).exit_code == 0
    assert keys(db_path) == {"report"}


def test_two_inputs_of_one_run_with_one_key_store_the_first_and_refuse_the_second(cli, db_path, tmp_path):
    for sub, who in (("a", "Kerr"), ("b", "Wightman")):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "report.txt").write_text(f"{who} wins\n\n{who} won the 1500m.\n", encoding="utf-8")
    result = cli("ingest", str(tmp_path / "a"), str(tmp_path / "b"))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert f"skipped {tmp_path / 'b' / 'report.txt'}: key 'report' was already read from " \
           f"{tmp_path / 'a' / 'report.txt'} in this run" in result.stderr.replace("\n", "")
    assert "refused 1 input: 1 .txt (1 duplicate_key)" in result.stdout
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT key, title FROM story").fetchall() == [("report", "Kerr wins")]


def test_a_story_stored_under_its_old_bare_name_moves_to_its_new_key(cli, db_path, tmp_path):
    """Before, FOLDER/x/report.txt was keyed `report`: ingesting the folder now moves that story to
    `x/report` (same text) rather than storing it twice."""
    (tmp_path / "f" / "x").mkdir(parents=True)
    page = tmp_path / "f" / "x" / "report.txt"
    page.write_text(GOOD, encoding="utf-8")
    assert cli("ingest", str(page)).exit_code == 0  # keyed `report`, as an older trackwire keyed it
    result = cli("ingest", str(tmp_path / "f"))
    assert result.exit_code == 0 and keys(db_path) == {"x/report"}
    assert f"note {page}: stored before under the older key 'report'; now 'x/report'" in \
        result.stderr.replace("\n", "")
    assert "stored with a note: 1 .txt (1 old_key)" in result.stdout


VICTIM_URL = "https://victim.example/news/kerr-wins"
HOSTILE_PAGE = f"""<!doctype html><html><head><title>Fake: Kerr banned</title>
<link rel="canonical" href="{VICTIM_URL}"></head><body><article><h1>Fake: Kerr banned</h1>
<p>This saved page claims to be the victim's story and says something else entirely, at length, so that
the extraction takes it for an article with a body of its own. It goes on for a while longer here.</p>
<p>Another paragraph of made-up news about a ban that never happened, to give the page some weight.</p>
</article></body></html>"""


def test_a_saved_page_never_replaces_another_sources_story_named_by_its_canonical(cli, db_url, tmp_path):
    from conftest import opened
    from trackwire.store.db import write_session
    from trackwire.store.stories import StoryIn, upsert_story

    with opened(db_url) as eng, write_session(eng) as session:  # as a crawl of source "victim" stores it
        upsert_story(session, StoryIn(key=VICTIM_URL, url=VICTIM_URL, title="Kerr wins",
                                      text="Kerr wins\n\nJosh Kerr won the 3000m.\n", source="victim"),
                     same_source=True)
    (tmp_path / "saved").mkdir()
    page = tmp_path / "saved" / "kerr.html"
    page.write_text(HOSTILE_PAGE, encoding="utf-8")
    result = cli("--db", db_url, "ingest", str(tmp_path / "saved"))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert f"note {page}: its canonical URL {VICTIM_URL} is another source's story" in result.stderr.replace("\n", "")
    assert "stored with a note: 1 .html (1 canonical_taken)" in result.stdout
    import trackwire
    with trackwire.open(db_url) as store:
        stories = {s.key: (s.title, s.source, s.url) for s in store.stories()}
    assert stories == {VICTIM_URL: ("Kerr wins", "victim", VICTIM_URL), "kerr": ("Fake: Kerr banned", "ingest", None)}


def test_a_saved_page_takes_its_canonical_url_as_key_when_no_other_source_holds_it(cli, db_path, tmp_path):
    page = tmp_path / "kerr.html"
    page.write_text(HOSTILE_PAGE, encoding="utf-8")
    assert cli("ingest", str(page)).exit_code == 0
    assert cli("ingest", str(page)).exit_code == 0  # again: its own earlier story, updated in place
    assert keys(db_path) == {VICTIM_URL}


def test_a_jsonl_line_with_a_headline_and_no_body_is_counted_like_a_txt_without_one(cli, tmp_path):
    path = tmp_path / "s.jsonl"
    write_lines(path, line(key="a", text="Just a headline"), line(key="b", text=GOOD))
    result = cli("ingest", str(path))
    assert "refused 1 input: 1 .jsonl (1 no_body)" in result.stdout


def test_a_utf8_txt_is_stored_as_it_is(cli, tmp_path):
    import trackwire
    path = tmp_path / "cafe.txt"
    path.write_text("Café owner wins\n\n“Mo” Farah ran 13:05 — a fine run.\n", encoding="utf-8")
    result = cli("ingest", str(path))
    assert result.exit_code == 0 and "note" not in result.stderr
    with trackwire.open(tmp_path / "trackwire.db") as store:
        (story,) = store.stories()
    assert story.text == "Café owner wins\n\n“Mo” Farah ran 13:05 — a fine run.\n"


def test_a_windows_1252_txt_is_read_as_such_with_a_counted_note(cli, tmp_path):
    import trackwire
    path = tmp_path / "cafe.txt"
    path.write_bytes("Café owner wins\n\n“Mo” Farah ran 13:05 — a fine run in Zürich.\n".encode("cp1252"))
    result = cli("ingest", str(path))
    assert result.exit_code == 0
    assert f"note {path}: not UTF-8 (byte 0xe9 at line 1, column 4): read as Windows-1252" in \
        result.stderr.replace("\n", "")
    assert "stored with a note: 1 .txt (1 cp1252)" in result.stdout
    with trackwire.open(tmp_path / "trackwire.db") as store:
        (story,) = store.stories()
    assert story.text == "Café owner wins\n\n“Mo” Farah ran 13:05 — a fine run in Zürich.\n"


@pytest.mark.parametrize("garbage", [
    b"Headline\n\nBody \x81\x8d\x8f text.\n",  # bytes Windows-1252 has no character for
    b"Headline\n\nBody " + b"\xa4\xa6\xac\xaf\xb1\xb6" * 10 + b" text.\n",  # symbols, not words
    b"Headline\n\n" + bytes(range(0xc0, 0x100)) * 8 + b"\n",  # more of it beyond ASCII than text has
], ids=["undefined-bytes", "symbol-soup", "mostly-high-bytes"])
def test_a_txt_neither_utf8_nor_windows_1252_text_is_refused(cli, db_path, tmp_path, garbage):
    path = tmp_path / "garbage.txt"
    path.write_bytes(garbage)
    result = cli("ingest", str(path))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert f"skipped {path}: not UTF-8 text (byte 0x" in result.stderr.replace("\n", "")
    assert "refused 1 input: 1 .txt (1 not_utf8)" in result.stdout
    assert keys(db_path) == set()


def test_the_summary_names_missing_and_unknown_files_by_their_suffix(cli, tmp_path):
    (tmp_path / "notes").write_text(GOOD, encoding="utf-8")
    result = cli("ingest", str(tmp_path / "gone.txt"), str(tmp_path / "notes"))
    assert "refused 2 inputs: 1 file without suffix (1 unknown_type); 1 .txt (1 missing)" in result.stdout
