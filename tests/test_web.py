"""`trackwire serve`'s app through FastAPI's test client, on the real browsing store of conftest
(SQLite, and PostgreSQL where it runs): the JSON API in the Python API's shapes, bad parameters,
safety headers, read-only, and pages served while a writer holds the database."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

import trackwire
from conftest import started
from trackwire.web import create_app


@pytest.fixture
def client(browse_url):
    with trackwire.open(browse_url, read_only=True) as store, TestClient(create_app(store)) as http:
        yield http


@pytest.fixture
def lite(browse_db):
    """The SQLite store only, for what does not depend on the engine."""
    with trackwire.open(browse_db, read_only=True) as store, TestClient(create_app(store)) as http:
        yield http


@pytest.fixture
def python_api(browse_url):
    with trackwire.open(browse_url, read_only=True) as store:
        yield store


@pytest.mark.parametrize("url, call", [
    ("/api/", lambda s: s.overview()),
    ("/api/search?q=world+record&limit=2", lambda s: s.search_page("world record", limit=2)),
    ("/api/athletes/Femke%20Bol", lambda s: s.athlete("Femke Bol")),
    ("/api/athletes?name=bol", lambda s: s.find_athletes("bol")),
    ("/api/story?key=mondo-2025-stockholm", lambda s: s.story_detail("mondo-2025-stockholm")),
    ("/api/runs", lambda s: s.history()),
], ids=["home", "search", "athlete", "find", "story", "runs"])
def test_the_json_api_answers_in_the_python_apis_shape(client, python_api, url, call):
    got = client.get(url)
    want = call(python_api)
    assert got.status_code == 200
    assert got.json() == ([r.to_json() for r in want] if isinstance(want, list) else want.to_json())


def test_the_home_pages_totals_are_the_stats_totals(client, python_api):
    """The registry's size and the imported athletes included (they were left at 0 on the home page)."""
    totals = client.get("/api/").json()["totals"]
    assert totals == python_api.stats().totals.to_json()
    assert totals["registry"] > 50_000


def test_search_filters_narrow_the_json_result(client):
    page = client.get("/api/search", params={"q": "world record", "athlete": "Femke Bol", "source": "wire"}).json()
    assert [h["key"] for h in page["hits"]] == ["mondo-2025-stockholm"] and page["total"] == 1


def test_search_pages_by_offset(client):
    first, second = (client.get("/api/search", params={"q": "bol", "limit": 1, "offset": n}).json() for n in (0, 1))
    assert first["hits"][0]["key"] != second["hits"][0]["key"] and first["total"] == second["total"]


def test_download_csv_streams_every_story_found(client):
    got = client.get("/api/search.csv", params={"q": "world record"})
    rows = list(csv.reader(io.StringIO(got.text)))
    assert got.headers["content-type"].startswith("text/csv") and "attachment" in got.headers["content-disposition"]
    assert len(rows) == 1 + 4


def test_download_jsonl_lines_are_the_export_contract(client):
    got = client.get("/api/search.jsonl", params={"q": "pole vault", "athlete": "Duplantis"})
    records = [json.loads(line) for line in got.text.splitlines()]
    assert {r["key"] for r in records} == {"jump-1", "mondo-2024-xiamen", "mondo-2025-stockholm",
                                           "mondo-2025-stockholm-copy"}
    assert all({"athletes", "marks", "quotes", "performances", "spans"} <= set(r) for r in records)


@pytest.mark.parametrize("url, message", [
    ("/api/search?q=win&event=1500", "unknown event code '1500'; did you mean 1500m"),
    ("/api/search?q=win&since=last+year", "since: Input should be a valid date"),
    ("/api/search?q=win&since=2025-06-01&until=2025-01-01", "must be before until"),
    ("/api/search?q=win&limit=0", "limit: Input should be greater than or equal to 1"),
    ("/api/search?q=win&limit=lots", "limit: Input should be a valid integer"),
    ("/api/search?q=-win", "only excludes words"),
    ("/api/search.xlsx?q=win", "fmt: Input should be 'csv' or 'jsonl'"),
    ("/api/athletes/Bol?since=soon", "since: Input should be a valid date"),
    ("/api/story", "key: Field required"),
], ids=["event", "date", "window", "limit", "not-a-number", "only-excluded", "format", "athlete-date", "no-key"])
def test_a_bad_parameter_is_a_422_with_a_message(lite, url, message):
    got = lite.get(url)
    assert got.status_code == 422
    assert message in got.json()["detail"]


@pytest.mark.parametrize("url", ["/api/story?key=a%00b", "/story?key=%00", "/api/search?q=win%00",
                                 "/search?q=win&source=%00", "/api/search.csv?q=win&source=a%00",
                                 "/api/athletes/Bol%00"])
def test_a_nul_in_a_parameter_is_a_422_on_every_engine(client, url):
    """PostgreSQL refuses a NUL in any string: these answered 500 Internal Server Error there."""
    got = client.get(url)
    assert got.status_code == 422
    assert "NUL" in (got.json()["detail"] if url.startswith("/api/") else got.text)


def test_a_bad_parameter_on_a_page_is_a_422_page_with_the_message(lite):
    got = lite.get("/search", params={"q": "win", "event": "1500"})
    assert got.status_code == 422 and "text/html" in got.headers["content-type"]
    assert "unknown event code &#39;1500&#39;" in got.text


def test_an_unknown_athlete_is_a_404_with_suggestions(lite):
    got = lite.get("/api/athletes/Femke%20Bolton")
    assert got.status_code == 404 and "Femke Bol" in got.json()["suggestions"]


def test_an_unknown_story_is_a_404(lite):
    assert lite.get("/api/story", params={"key": "no-such-story"}).status_code == 404


def test_empty_form_fields_mean_no_filter(lite):
    got = lite.get("/search", params={"q": "bol", "event": "", "since": "", "athlete": ""})
    assert got.status_code == 200


def test_every_response_carries_a_csp_that_allows_no_script(lite):
    for url in ("/", "/api/", "/story?key=xss-script", "/docs", "/nope"):
        csp = lite.get(url).headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp


def test_responses_say_how_long_the_server_took(lite):
    assert re.fullmatch(r"app;dur=\d+\.\d\d", lite.get("/api/").headers["server-timing"])


def test_a_javascript_url_is_never_a_link(lite):
    html = lite.get("/story", params={"key": "xss-script"}).text
    assert "href=\"javascript" not in html.lower() and "javascript:alert(&#39;url&#39;)" in html


def test_hostile_text_reaches_the_page_escaped(lite):
    html = lite.get("/story", params={"key": "xss-script"}).text
    assert "<script>" not in html and "<img src=x" not in html and "&lt;img src=x onerror=" in html


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_app_is_read_only(lite, method):
    assert getattr(lite, method)("/api/").status_code == 405


def test_the_docs_page_describes_the_api_without_a_cdn(lite):
    html = lite.get("/docs").text
    assert "/api/search.{fmt}" in html and "https://" not in html.replace("https://example", "")


def test_openapi_lists_every_json_route(lite):
    paths = lite.get("/openapi.json").json()["paths"]
    assert set(paths) == {"/api/", "/api/search", "/api/search.{fmt}", "/api/athletes", "/api/athletes/{name}",
                          "/api/story", "/api/runs"}


def test_the_stylesheet_ships_inside_the_package(lite):
    got = lite.get("/static/style.css")
    assert got.status_code == 200 and "svg.progression" in got.text


def test_pages_are_served_while_a_writer_holds_the_database(browse_db, tmp_path):
    """A crawl or a worker mid-transaction: WAL readers still see the last committed state."""
    from sqlalchemy import text

    from trackwire.store.db import make_engine

    db = tmp_path / "busy.db"
    db.write_bytes(browse_db.read_bytes())
    engine = make_engine(str(db)).execution_options(trackwire_write=True)  # BEGIN IMMEDIATE, as writers do
    with engine.connect() as writer:
        writer.execute(text("UPDATE story SET title = 'not yet committed' WHERE key = 'jump-1'"))
        with trackwire.open(db, read_only=True) as store, TestClient(create_app(store)) as http:
            got = http.get("/api/story", params={"key": "jump-1"})
        writer.rollback()
    engine.dispose()
    assert got.status_code == 200 and got.json()["story"]["title"] == "Duplantis clears 6.27m"


def test_serve_listens_on_loopback_and_stops_on_ctrl_c(browse_db):
    """The real command: it prints where it listens, serves, and ends cleanly on SIGINT, with 130 as
    every command stopped by Ctrl-C (trackwire.stopping)."""
    import urllib.request

    env = {**os.environ, "TRACKWIRE_DB": str(browse_db), "PYTHONUNBUFFERED": "1", "COLUMNS": "300"}
    proc = started(subprocess.Popen([sys.executable, "-m", "trackwire", "serve", "--port", "0"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    try:
        line = proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
        with urllib.request.urlopen(url + "api/runs", timeout=60) as answer:
            runs = json.load(answer)["runs"]
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=60)
    assert len(runs) == 2 and proc.returncode == 130


def test_serve_refuses_a_missing_store(tmp_path):
    env = {**os.environ, "TRACKWIRE_DB": str(tmp_path / "none.db")}
    done = subprocess.run([sys.executable, "-m", "trackwire", "serve", "--port", "0"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "no store at" in done.stderr


@pytest.mark.parametrize("url", ["/", "/search?q=bol", "/athletes/Femke%20Bol", "/api/", "/static/style.css"])
def test_head_answers_for_every_get_page_without_a_body(lite, url):
    got, head = lite.get(url), lite.head(url)
    assert head.status_code == got.status_code == 200
    assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"]


def test_the_csv_download_names_each_event_once(tmp_path, nlp):
    from conftest import tag_texts

    db = tmp_path / "t.db"
    tag_texts(db, tmp_path, nlp, sprints="Lyles and Jefferson win\n\nNoah Lyles won the men's 100m in 9.79 and "
              "Melissa Jefferson won the women's 100m in 10.61, then Lyles won the men's 200m.\n")
    with trackwire.open(db, read_only=True) as store, TestClient(create_app(store)) as http:
        [story] = store.stories()
        assert [e.event for e in story.events].count("100m") == 2  # men's and women's
        rows = list(csv.DictReader(io.StringIO(http.get("/api/search.csv", params={"q": "lyles"}).text)))
    assert rows[0]["events"] == "100m; 200m"
