"""A --source name nothing is stored under is refused in one line with the closest names, as
`crawl` refuses a name its sources file lacks; it never quietly finds nothing."""

from __future__ import annotations

import json

import pytest


@pytest.mark.parametrize("command", [["search", "kerr"], ["export", "--out", "-"]], ids=lambda c: c[0])
def test_an_unknown_source_is_refused_with_the_closest_names(cli, fixture_store, command):
    result = cli("--db", str(fixture_store), *command, "--source", "ingset")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: unknown source 'ingset'; did you mean ingest?")
    assert result.stderr.count("\n") == 1 and result.stdout == ""


def test_a_known_source_still_filters(cli, fixture_store):
    result = cli("--db", str(fixture_store), "search", "kerr", "--source", "ingest", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)


def test_reextract_refuses_a_source_neither_stored_nor_in_the_sources_file(cli, tmp_path, fixture_store):
    from conftest import copy_store

    db = copy_store(fixture_store, tmp_path)
    result = cli("--db", str(db), "reextract", "--source", "nosuch")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: unknown source 'nosuch'") and "world_athletics" in result.stderr
    done = cli("--db", str(db), "reextract", "--source", "world_athletics")  # in the sources file: nothing to do
    assert done.exit_code == 0 and "re-extracted 0 of 0" in done.stdout


@pytest.mark.parametrize("command", [["search", "kerr"], ["export", "--out", "-"]], ids=lambda c: c[0])
def test_a_repeated_source_is_refused_not_narrowed_to_the_last(cli, fixture_store, command):
    result = cli("--db", str(fixture_store), *command, "--source", "ingest", "--source", "demo")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("error: --source takes one source at a time (given ingest, demo)")
