"""Athletes a user adds to the tagger's registry: the CSV that `trackwire registry import FILE`
reads, and how imported athletes reach a tagger.

The CSV (a header row names the columns; order free, names case-insensitive; UTF-8, a BOM is
read past):

| column | required | meaning |
| --- | --- | --- |
| `name` | yes | the athlete's full name as news writes it ("Jakob Ingebrigtsen") |
| `country` | no | IOC code, three letters ("NOR") |
| `sex` | no | `M` or `F` (also `male`, `female`, `men`, `women`) |
| `birth` | no | birth date `YYYY-MM-DD` or birth year `YYYY` (also as `birth_date`, `birth_year`, `dob`) |
| `events` | no | event codes of the tagging guide, separated by `;` ("1500m;5000m") |
| `aliases` | no | other names they go by, separated by `;` ("Mo Farah;Mohamed Farah") |
| `wa_id` | no | World Athletics athlete id |

Commas separate the columns; a file whose header is separated by semicolons or tabs is read
with that separator instead. A file larger than MAX_BYTES (50 MB), or that is not a regular
file (a device, a pipe), is refused before it is read.

A line that cannot be used is one problem naming the file and line; the other lines are imported.
A field that runs on past its line (a stray unclosed `"`) is one problem naming the lines it
swallowed. A name that is not a person's (control or format characters such as U+202E, no
letters, a leading `=`, `+`, `-` or `@` that a spreadsheet would run) is refused. A name given
twice in one file (any case or accents) keeps its first line; each later line is a problem.
An athlete imported again in a later file (same name, any case or accents) is updated. Imported athletes count
like the packaged lists' (nlp/registry.py): their names are athletes wherever they appear, their
country, sex and events tell them apart, and misspellings of them are linked.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from datetime import date

from trackwire.nlp.codes import is_event_code
from trackwire.nlp.text import fold
from trackwire.store.registry import RegistryRow

COLUMNS = ("name", "country", "sex", "birth", "events", "aliases", "wa_id")
SYNONYMS = {"birth_date": "birth", "birth_year": "birth", "dob": "birth", "date_of_birth": "birth",
            "nat": "country", "nationality": "country", "gender": "sex", "event": "events", "alias": "aliases",
            "world_athletics_id": "wa_id"}
SEX = {"m": "M", "male": "M", "men": "M", "man": "M", "f": "F", "female": "F", "women": "F", "woman": "F",
       "w": "F"}
MAX_ROWS = 1_000_000
MAX_BYTES = 50_000_000  # about 400,000 athletes with every column; the packaged lists are 54,000
DELIMITERS = (",", ";", "\t")
NAME_PUNCTUATION = set(".'’‘-‐")  # "Jr.", "O'Neil", "Jean-Pierre"; anything else not a letter is refused


def read_csv(text: str, where: str = "registry.csv") -> tuple[list[RegistryRow], list[str]]:
    """The athletes of a registry CSV, and one message per line that cannot be used ("file:line: why").
    Pure: never raises on the content."""
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text), delimiter=_delimiter(text))
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        return [], [f"{where}:1: not a CSV header ({exc})"]
    if not fieldnames:
        return [], [f"{where}: empty file; the first line names the columns: {', '.join(COLUMNS)}"]
    header: dict[str, str] = {}
    unknown = []
    for raw in fieldnames:
        key = (raw or "").strip().lower()
        key = SYNONYMS.get(key, key)
        if key in COLUMNS:
            header.setdefault(key, raw)
        elif key:
            unknown.append(raw.strip())
    if "name" not in header:
        return [], [f"{where}:1: no `name` column; the first line names the columns, separated by commas: "
                     f"{', '.join(COLUMNS)}"]
    problems = [f"{where}:1: column(s) {', '.join(unknown)} left out (known: {', '.join(COLUMNS)})"] if unknown else []
    rows: list[RegistryRow] = []
    first_line: dict[str, int] = {}  # folded name -> the line that gave it
    line = 1
    try:
        for row in reader:
            start, line = line + 1, reader.line_num
            if len(rows) >= MAX_ROWS:
                problems.append(f"{where}:{line}: more than {MAX_ROWS:,} athletes; the rest left out")
                break
            if any("\n" in v or "\r" in v for v in row.values() if isinstance(v, str)):
                problems.append(f"{where}:{start}: a field runs on past the end of its line (a stray unclosed "
                                f"'\"'?); lines {start}-{line} left out")
                continue
            values = {k: (row.get(header[k]) or "").strip() for k in header}
            if not any(values.values()):
                continue
            athlete, why = _athlete(values)
            if why:
                problems.append(f"{where}:{line}: {why}")
                continue
            key = fold(athlete.name)
            if key in first_line:
                problems.append(f"{where}:{line}: {athlete.name} is given again (first on line {first_line[key]}, "
                                "which is kept); this line left out")
                continue
            first_line[key] = line
            rows.append(athlete)
    except csv.Error as exc:
        problems.append(f"{where}:{line + 1}: not CSV ({exc}); the lines after it left out")
    return rows, problems


def _delimiter(text: str) -> str:
    """The separator of the header line: a comma, unless it holds more semicolons or tabs."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def not_a_name(name: str) -> str | None:
    """Why `name` is no person's name, or None: control or format characters (U+202E, NUL), a word
    without letters (emoji), other symbols, or a leading character a spreadsheet runs as a formula."""
    if name[:1] in ("=", "+", "-", "@"):
        return f"name {name!r} starts with {name[0]!r}: not a name (a spreadsheet would run it)"
    for ch in name:
        cat = unicodedata.category(ch)
        if cat[0] == "C":
            return f"name {name!r} holds the control or format character U+{ord(ch):04X}: not a name"
        if not (cat[0] in "LM" or ch == " " or ch in NAME_PUNCTUATION):
            return f"name {name!r} holds {ch!r}: not a name (letters, spaces and . ' - only)"
    return None


def _athlete(v: dict[str, str]) -> tuple[RegistryRow | None, str | None]:
    name = " ".join(v.get("name", "").split())
    if why := not_a_name(name):
        return None, why
    if len(name.split()) < 2 or any(ch.isdigit() for ch in name) or len(name) > 100:
        return None, f"name {name!r} is not a full name (given name and surname)"
    country = v.get("country", "").upper() or None
    if country and not re.fullmatch(r"[A-Z]{3}", country):
        return None, f"country {v['country']!r} is not a three-letter IOC code"
    sex = v.get("sex", "")
    if sex and sex.lower() not in SEX:
        return None, f"sex {sex!r} is not M or F"
    year, why = _year(v.get("birth", ""))
    if why:
        return None, why
    events = tuple(dict.fromkeys(e.strip() for e in re.split(r"[;|]", v.get("events", "")) if e.strip()))
    bad = [e for e in events if not is_event_code(e)]
    if bad:
        return None, f"unknown event code(s) {', '.join(bad)} (the tagging guide's codes: 1500m, shot put, ...)"
    aliases = tuple(dict.fromkeys(" ".join(a.split()) for a in re.split(r"[;|]", v.get("aliases", "")) if a.strip()))
    if any(len(a.split()) < 2 for a in aliases):
        return None, "an alias is one word: aliases are full names (a given name alone is never linked)"
    for alias in aliases:
        if why := not_a_name(alias):
            return None, "alias" + why.removeprefix("name")
    return RegistryRow(name, country, SEX.get(sex.lower()) if sex else None, year, events, aliases,
                       v.get("wa_id") or None), None


def _year(text: str) -> tuple[int | None, str | None]:
    if not text:
        return None, None
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})-(\d{2}))?", text)
    if not m:
        return None, f"birth {text!r} is neither YYYY-MM-DD nor YYYY"
    year = int(m.group(1))
    if m.group(2):
        try:
            date(year, int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None, f"birth {text!r} is not a date"
    if not 1850 <= year <= 2100:
        return None, f"birth year {year} is out of range"
    return year, None


def entries(rows: Sequence[RegistryRow]) -> list:
    """Imported rows as the tagger's registry entries (trackwire.nlp.registry.Entry)."""
    from trackwire.nlp.registry import Entry

    return [Entry(r.name, r.country, r.sex, r.birth_year, tuple(r.events), tuple(r.aliases)) for r in rows]


def use_imported(nlp, rows: Sequence[RegistryRow]) -> None:
    """Make the pipeline `nlp` know the imported athletes `rows` (and only those beyond the
    packaged lists): calling it again with other rows replaces the earlier ones."""
    if "athletics_people" in nlp.pipe_names:
        nlp.get_pipe("athletics_people").use_imported(entries(rows))


def version(base: str, rows: Sequence[RegistryRow]) -> str:
    """The tagger version with imported athletes: `base`, then "+r" and their digest when any."""
    from trackwire.store.registry import digest

    d = digest(list(rows))
    return f"{base}+r{d}" if d else base
