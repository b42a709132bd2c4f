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
], ids=["text-list", "source-number", "body-object", "key-list", "mark-value", "mark-offsets", "mark-missing",
        "not-utf8", "not-object"])
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
