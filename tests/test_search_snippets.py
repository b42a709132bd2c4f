"""Search snippets show the stored text as written (accents, punctuation, letters like ø), with the
highlights on the matched words, on SQLite and on PostgreSQL (whose index is of unaccented text)."""

from __future__ import annotations

import json

import pytest

STORY = ("González wins in Bogotá\n\n¡Qué alegría! said José González after the 10,000m in Bogotá, "
         "ahead of Jakob Sørensen and Łukasz Æsir.\n")


@pytest.fixture
def accented(cli, db_url, tmp_path):
    (tmp_path / "bogota.txt").write_text(STORY, encoding="utf-8")
    assert cli("--db", db_url, "ingest", str(tmp_path / "bogota.txt")).exit_code == 0
    return db_url


@pytest.mark.parametrize("query, snippet_has, highlighted", [
    ("gonzalez bogota", "González wins in Bogotá", ["González", "Bogotá", "González", "Bogotá"]),
    ("alegria", "¡Qué alegría! said José González", ["alegría"]),
    ("sorensen lukasz", "Jakob Sørensen and Łukasz Æsir", ["Sørensen", "Łukasz"]),
    ('"que alegria"', "¡Qué alegría!", ["Qué", "alegría", "Qué alegría"]),
])
def test_snippets_are_the_stored_text_with_its_words_highlighted(cli, accented, query, snippet_has, highlighted):
    result = cli("--db", accented, "search", query, "--json")
    assert result.exit_code == 0, result.output
    [hit] = json.loads(result.stdout)
    snippet = hit["snippet"]
    assert snippet_has in snippet
    assert snippet.replace(" … ", "").strip() in STORY
    words = [snippet[s:e] for s, e in hit["highlights"]]
    assert words and all(w in highlighted for w in words)
    if query.startswith("gonzalez"):
        assert words[:2] == ["González", "Bogotá"]


def test_the_web_search_page_shows_the_same_snippet(accented):
    import trackwire

    with trackwire.open(accented, read_only=True) as store:
        page = store.search_page("gonzalez")
        assert page.hits == store.search("gonzalez")
        assert "González" in page.hits[0].snippet and "Gonzalez" not in page.hits[0].snippet


def test_as_written_maps_expanded_and_removed_letters():
    from trackwire.store.search import START, STOP, as_written, unmark
    from trackwire.nlp.text import fold_letters

    original = "Æsir met Sørensen\u0301 at the ﬁnish"
    marked = f"AEsir met {START}Sorensen{STOP} at the {START}finish{STOP}"
    plain, spans = unmark(as_written(original, marked, fold_letters))
    assert plain == original and [plain[s:e] for s, e in spans] == ["Sørensen\u0301", "ﬁnish"]
