"""Athletes a user imports into the tagger's registry (issue 12): the CSV, the store, and every
tagger reading the store (one process, `tag --workers`, eval) on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import trackwire
from trackwire.errors import UserError
from trackwire.registry import read_csv

HEADER = "name,country,sex,birth,events,aliases,wa_id\n"


@pytest.mark.parametrize("line,why", [
    ("Kael,NOR,M,2001,1500m,,", "not a full name"),
    ("Kael Tremont,Norway,M,2001,1500m,,", "three-letter IOC code"),
    ("Kael Tremont,NOR,X,2001,1500m,,", "is not M or F"),
    ("Kael Tremont,NOR,M,01/02/2001,1500m,,", "neither YYYY-MM-DD nor YYYY"),
    ("Kael Tremont,NOR,M,2001-02-30,1500m,,", "is not a date"),
    ("Kael Tremont,NOR,M,2001,1500 metres,,", "unknown event code"),
    ("Kael Tremont,NOR,M,2001,1500m,Kael,", "an alias is one word"),
])
def test_a_line_that_cannot_be_used_is_one_problem_naming_it(line, why):
    rows, problems = read_csv(HEADER + "Ola Berg,SWE,M,1999,800m,,\n" + line + "\n", "mine.csv")
    assert [r.name for r in rows] == ["Ola Berg"]
    assert len(problems) == 1 and problems[0].startswith("mine.csv:3: ") and why in problems[0]


def test_columns_in_any_order_and_common_names_a_bom_and_blank_lines():
    text = "\ufeffDOB,Nat,Name,Gender,Events\n2001-05-04,nor,Kael Tremont,male,1500m;5000m\n\n,,,,\n"
    rows, problems = read_csv(text)
    assert problems == []
    (row,) = rows
    assert (row.name, row.country, row.sex, row.birth_year, row.events) == \
        ("Kael Tremont", "NOR", "M", 2001, ("1500m", "5000m"))


def test_a_file_without_a_name_column_is_refused_whole():
    rows, problems = read_csv("athlete,country\nKael Tremont,NOR\n", "x.csv")
    assert rows == [] and "no `name` column" in problems[0]


STORY = ("Tremont wins in Bergen\n\n"
         "Kael Tremmont won the 1500m in Bergen on Sunday in 3:35.10, ahead of Ola Berg.\n\n"
         '"I felt strong from the gun today," said Tremmont.\n')


def athletes_of(store) -> dict[str, str | None]:
    (story,) = store.stories()
    return {a.name: a.country for a in story.athletes}


@pytest.fixture
def store(db_url, tmp_path, nlp):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bergen.txt").write_text(STORY, encoding="utf-8")
    with trackwire.open(db_url) as s:
        s.ingest([tmp_path / "in"])
        s.tag(nlp=nlp)
        yield s


def test_import_then_retag_gives_the_imported_spelling_and_facts(store, tmp_path, nlp):
    assert "Kael Tremmont" in athletes_of(store)  # the story's slip, nothing known about him
    before = store.tagger_version
    csv = tmp_path / "new.csv"
    csv.write_text(HEADER + "Kael Tremont,NOR,M,2001,1500m,,14876543\nTremont,NOR\n", encoding="utf-8")
    report = store.import_registry(csv)
    assert report.stored == {"new": 1, "updated": 0, "unchanged": 0} and len(report.problems) == 1
    assert report.tagger_version.startswith(before + "+r") and report.to_retag == 1
    assert store.pending() == 0 and store.pending(retag=True) == 1  # tagged before: only --retag takes it
    store.tag(retag=True, nlp=nlp)
    assert athletes_of(store)["Kael Tremont"] == "NOR"
    (story,) = store.stories()
    assert [q.speaker for q in story.quotes] == ["Kael Tremont"]
    assert [(p.athlete, p.event, p.mark) for p in story.performances] == [("Kael Tremont", "1500m", "3:35.10")]
    done = store.export("labelstudio", tmp_path / "tasks.jsonl")
    manifest = json.loads(Path(done.manifest).read_text(encoding="utf-8"))
    task = json.loads((tmp_path / "tasks.jsonl").read_text(encoding="utf-8"))
    assert manifest["tagger_version"] == store.tagger_version
    assert task["predictions"][0]["model_version"] == f"trackwire {store.tagger_version}"


def test_import_again_updates_and_remove_goes_back_to_the_packaged_lists(store, tmp_path, nlp):
    csv = tmp_path / "new.csv"
    csv.write_text(HEADER + "Kael Tremont,NOR,M,2001,1500m,,\n", encoding="utf-8")
    store.import_registry(csv)
    csv.write_text(HEADER + "KAEL TREMONT,DEN,M,2001,1500m,,\n", encoding="utf-8")
    again = store.import_registry(csv)
    assert again.stored == {"new": 0, "updated": 1, "unchanged": 0} and again.imported == 1
    assert [(a.name, a.country) for a in store.registry()] == [("KAEL TREMONT", "DEN")]
    with_import = store.tagger_version
    assert store.remove_from_registry(["kael tremont"]).removed == ["KAEL TREMONT"]
    assert store.registry() == [] and "+r" not in store.tagger_version != with_import
    store.tag(retag=True, nlp=nlp)
    assert "Kael Tremmont" in athletes_of(store)


def test_tagging_processes_read_the_imports_from_the_store(db_path, tmp_path):
    """`tag --workers 2`: spawned processes load their own pipeline and take the store's imports."""
    (tmp_path / "in").mkdir()
    for i in range(4):
        (tmp_path / "in" / f"s{i}.txt").write_text(STORY, encoding="utf-8")
    csv = tmp_path / "new.csv"
    csv.write_text(HEADER + "Kael Tremont,NOR,M,2001,1500m,,\n", encoding="utf-8")
    with trackwire.open(db_path) as store:
        store.ingest([tmp_path / "in"])
        store.import_registry(csv)
        report = store.tag(workers=2)
        assert report.tagged == 4
        assert {a.name for s in store.stories() for a in s.athletes} == {"Kael Tremont", "Ola Berg"}


def test_an_unreadable_or_empty_file_is_one_error(db_path, tmp_path):
    with trackwire.open(db_path) as store:
        with pytest.raises(UserError, match="cannot read"):
            store.import_registry(tmp_path / "missing.csv")
        (tmp_path / "latin.csv").write_bytes(HEADER.encode() + "Jos\xe9 Pe\xf1a,ESP,M,,,,\n".encode("latin-1"))
        with pytest.raises(UserError, match="not UTF-8"):
            store.import_registry(tmp_path / "latin.csv")
        (tmp_path / "empty.csv").write_text("", encoding="utf-8")
        with pytest.raises(UserError, match="empty file"):
            store.import_registry(tmp_path / "empty.csv")


def test_the_commands_import_list_retag_and_eval_with_the_imports(cli, tmp_path):
    """`registry import` (one line per bad row, exit 1, the rest stored), `registry list --json`,
    `tag --retag`, and `eval` scoring with the store's imported athletes."""
    import json

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bergen.txt").write_text(STORY, encoding="utf-8")
    assert cli("ingest", str(tmp_path / "in")).exit_code == 0
    assert cli("tag").exit_code == 0
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "g1", "text": STORY, "athletes": ["Kael Tremont", "Ola Berg"], "people": [],
                                "events": ["1500m"], "marks": [], "quotes": [], "performances": []}) + "\n",
                    encoding="utf-8")
    before = cli("eval", str(gold), "--errors", str(tmp_path / "before.tsv"))
    assert before.exit_code == 0 and "Kael Tremmont" in (tmp_path / "before.tsv").read_text(encoding="utf-8")
    csv = tmp_path / "new.csv"
    csv.write_text(HEADER + "Kael Tremont,NOR,M,2001,1500m,,\nTremont,NOR,,,,,\n", encoding="utf-8")
    imported = cli("registry", "import", str(csv))
    assert imported.exit_code == 1
    assert "new.csv:3: name 'Tremont' is not a full name" in imported.output
    assert "1 story tagged before: run trackwire tag --retag" in imported.output
    listed = json.loads(cli("registry", "list", "--json").output)
    assert [(a["name"], a["country"], a["events"]) for a in listed] == [("Kael Tremont", "NOR", ["1500m"])]
    assert cli("tag", "--retag").exit_code == 0
    profile = json.loads(cli("athlete", "Tremont", "--json").output)
    assert profile["athlete"]["name"] == "Kael Tremont" and profile["athlete"]["country"] == "NOR"
    after = cli("eval", str(gold), "--errors", str(tmp_path / "after.tsv"))
    assert "with the 1 athlete imported" in after.output
    assert "Tremmont" not in (tmp_path / "after.tsv").read_text(encoding="utf-8")


def test_an_import_larger_than_the_databases_parameter_limit_is_stored_and_removed(db_path):
    """Every name of an import was one parameter of a single IN (...) list: past SQLite's limit
    (250,000 in this build, 32,766 in others) or PostgreSQL's 65,535 the import failed whole with
    "too many SQL variables". The limit is lowered here so that 3,000 names cross it."""
    import sqlite3

    from sqlalchemy import event

    from trackwire.store.db import write_session
    from trackwire.store.registry import RegistryRow, athletes, remove_athletes, save_athletes

    with trackwire.open(str(db_path)) as store:
        @event.listens_for(store.engine, "connect")
        def low_limit(dbapi_connection, _record):
            dbapi_connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)

        store.engine.dispose()  # connections made from here on have the low limit
        names = [f"Runner {chr(65 + i // 26 // 26 % 26)}{chr(65 + i // 26 % 26)}{chr(65 + i % 26)}ovic"
                 for i in range(3000)]
        with write_session(store.engine) as session:
            assert save_athletes(session, [RegistryRow(n) for n in names]) == \
                {"new": 3000, "updated": 0, "unchanged": 0}
        with write_session(store.engine) as session:
            assert save_athletes(session, [RegistryRow(n, country="NOR") for n in names])["updated"] == 3000
        with write_session(store.engine) as session:
            assert len(remove_athletes(session, names[:2500])) == 2500
        with write_session(store.engine) as session:
            assert [r.name for r in athletes(session)] == sorted(names[2500:])


def test_a_device_or_a_file_over_the_limit_is_refused_before_it_is_read(db_path, tmp_path, monkeypatch):
    import trackwire.registry as registry

    with trackwire.open(db_path) as store:
        with pytest.raises(UserError, match="/dev/null is not a regular file"):  # as /dev/zero, without the OOM
            store.import_registry("/dev/null")
        with pytest.raises(UserError, match="is not a regular file"):
            store.import_registry(tmp_path)
        big = tmp_path / "big.csv"
        with big.open("wb") as fh:  # a sparse file one byte over the limit: no 50 MB written
            fh.write(HEADER.encode())
            fh.truncate(registry.MAX_BYTES + 1)
        with pytest.raises(UserError, match=f"{registry.MAX_BYTES + 1:,} bytes; a registry CSV may be at most"):
            store.import_registry(big)
        assert store.registry() == []


def test_an_unclosed_quote_is_a_problem_naming_the_lines_it_swallowed():
    text = HEADER + 'Ola Berg,SWE,M,1999,800m,,\n"Kael Tremont,NOR,M,2001,1500m,,\nAnna Lind,SWE,F,,,,\n'
    rows, problems = read_csv(text, "q.csv")
    assert [r.name for r in rows] == ["Ola Berg"]
    assert problems == ["q.csv:3: a field runs on past the end of its line (a stray unclosed '\"'?); "
                        "lines 3-4 left out"]


def test_a_name_given_twice_in_one_file_keeps_the_first_and_reports_the_others():
    text = HEADER + "Kael Tremont,NOR,M,,,,\nOla Berg,SWE,M,,,,\nKAËL TREMONT,DEN,M,,,,\nkael tremont,SWE,,,,,\n"
    rows, problems = read_csv(text, "d.csv")
    assert [(r.name, r.country) for r in rows] == [("Kael Tremont", "NOR"), ("Ola Berg", "SWE")]
    assert problems == ["d.csv:4: KAËL TREMONT is given again (first on line 2, which is kept); this line left out",
                        "d.csv:5: kael tremont is given again (first on line 2, which is kept); this line left out"]


@pytest.mark.parametrize("sep", [";", "\t"], ids=["semicolon", "tab"])
def test_a_semicolon_or_tab_separated_file_is_read_with_its_separator(sep):
    text = sep.join(["name", "country", "events"]) + "\n" + sep.join(["Kael Tremont", "NOR", "1500m|5000m"]) + "\n"
    rows, problems = read_csv(text, "s.csv")
    assert problems == []
    assert [(r.name, r.country, r.events) for r in rows] == [("Kael Tremont", "NOR", ("1500m", "5000m"))]


@pytest.mark.parametrize("name,why", [
    ("Kael \u202eTremont", "control or format character U+202E"),
    ("Kael\x00 Tremont", "control or format character U+0000"),
    ("\U0001F3C3 \U0001F3C3", "not a name"),
    ("=HYPERLINK(x) Tremont", "starts with '='"),
    ("+Kael Tremont", "starts with '+'"),
    ("-Kael Tremont", "starts with '-'"),
    ("@Kael Tremont", "starts with '@'"),
], ids=["rtl-override", "nul", "emoji", "equals", "plus", "minus", "at"])
def test_a_name_with_control_characters_symbols_or_a_formula_start_is_refused(name, why):
    rows, problems = read_csv(HEADER + f'"{name}",NOR,M,,,,\nOla Berg,SWE,M,,,,\n', "n.csv")
    assert [r.name for r in rows] == ["Ola Berg"]
    assert len(problems) == 1 and problems[0].startswith("n.csv:2: name ") and why in problems[0]


def test_remove_names_the_names_not_found_and_fails_when_none_is_removed(cli, tmp_path):
    csv = tmp_path / "new.csv"
    csv.write_text(HEADER + "Kael Tremont,NOR,M,2001,1500m,,\n", encoding="utf-8")
    assert cli("registry", "import", str(csv)).exit_code == 0
    some = cli("registry", "remove", "kael tremont", "Nobody Known")
    assert some.exit_code == 0 and "removed Kael Tremont" in some.stdout
    assert "not found (no imported athlete of that name): Nobody Known" in some.stderr
    none = cli("registry", "remove", "Nobody Known")
    assert none.exit_code == 1 and "no imported athlete named Nobody Known" in none.stderr


def test_after_remove_and_retag_the_athlete_no_longer_has_the_imported_facts(db_url, tmp_path, nlp):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "b.txt").write_text("Tremont wins in Bergen\n\nKael Tremont won the 1500m in Bergen on "
                                           "Sunday in 3:35.10, ahead of Ola Berg.\n", encoding="utf-8")
    csv = tmp_path / "new.csv"
    csv.write_text(HEADER + "Kael Tremont,NOR,M,2001,1500m,,\n", encoding="utf-8")
    with trackwire.open(db_url) as store:
        store.ingest([tmp_path / "in"])
        store.import_registry(csv)
        store.tag(nlp=nlp)
        assert store.athlete("Kael Tremont").athlete.country == "NOR"
        csv.write_text(HEADER + "Kael Tremont,DEN,F,2002,800m,,\n", encoding="utf-8")
        store.import_registry(csv)  # updated: the re-tag brings the new facts
        store.tag(retag=True, nlp=nlp)
        updated = store.athlete("Kael Tremont").athlete
        assert (updated.country, updated.sex, updated.birth_year) == ("DEN", "F", 2002)
        store.remove_from_registry(["Kael Tremont"])
        store.tag(retag=True, nlp=nlp)
        gone = store.athlete("Kael Tremont").athlete
        assert (gone.country, gone.sex, gone.birth_year, gone.events) == (None, None, None, [])
        assert athletes_of(store)["Kael Tremont"] is None
