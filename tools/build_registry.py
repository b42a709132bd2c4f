"""Build nlp/data/athletes.tsv.gz, the athlete registry, from the public lists in ../shared/athletes/.

Facts only (names, country, sex, birth year, events). Names come in three
shapes ("Keely HODGKINSON", "HODGKINSON Keely", "Keely Hodgkinson"); all are
normalised to "Given Surname", and of the spellings of one name the one that
carries the most wins: accents, then capitals inside words, then real mixed case
over a re-cased one (`spelling_rank`). Spellings of one person ("Mo"/"Mohamed" Farah, a married
surname) become aliases of one entry. Run: python tools/build_registry.py [SHARED_DIR]
"""

from __future__ import annotations

import csv
import gzip
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trackwire.nlp.text import fold  # noqa: E402

PARTICLES = {"van", "de", "der", "den", "da", "di", "von", "le", "la", "du", "dos", "das", "del", "ter", "el", "bin"}
EVENT_RULES = [
    (r"steeple", lambda d: f"{d or 3000}m steeplechase"),
    (r"hurdles?", lambda d: f"{d}m hurdles" if d in (60, 100, 110, 400) else None),
    (r"relay|4 ?x", lambda d: None),
    (r"half[- ]marathon", lambda d: "half marathon"),
    (r"marathon", lambda d: "marathon"),
    (r"walk", lambda d: f"{d}km race walk" if d in (20, 35, 50) else None),
    (r"one[- ]mile|\bmile\b", lambda d: "mile"),
    (r"high[- ]jump", lambda d: "high jump"), (r"pole[- ]vault", lambda d: "pole vault"),
    (r"long[- ]jump", lambda d: "long jump"), (r"triple[- ]jump", lambda d: "triple jump"),
    (r"shot", lambda d: "shot put"), (r"discus", lambda d: "discus throw"), (r"hammer", lambda d: "hammer throw"),
    (r"javelin", lambda d: "javelin throw"), (r"heptathlon", lambda d: "heptathlon"),
    (r"decathlon", lambda d: "decathlon"), (r"pentathlon", lambda d: "pentathlon"),
    (r"cross", lambda d: "cross country"), (r"10 ?k(m|ilomet)|road", lambda d: "10km road" if d == 10 else None),
    (r"met(re|er)s?|\dm\b", lambda d: f"{d}m" if d in (60, 100, 200, 300, 400, 600, 800, 1000, 1500, 3000, 5000,
                                                          10000) else None),
]


def event_code(raw: str) -> str | None:
    text = raw.lower().replace(",", "")
    number = re.search(r"(\d+)\s*(?:km|k\b|-?kilomet)", text) or re.search(r"(\d{2,5})", text)
    distance = int(number.group(1)) if number else None
    for pattern, code in EVENT_RULES:
        if re.search(pattern, text):
            return code(distance)
    return None


def recase(word: str) -> str:
    def one(part: str) -> str:
        low = part.lower()
        if low.startswith("mc") and len(low) > 2:
            return "Mc" + low[2:].capitalize()
        if low.startswith("o'") and len(low) > 2:
            return "O'" + low[2:].capitalize()
        return low.capitalize()

    return "-".join(one(p) for p in word.split("-"))


def normalise(raw: str, surname_first: bool | None = None) -> tuple[str, bool] | None:
    """("Given Surname", written in real mixed case?) or None for names we cannot use."""
    name = re.sub(r'"[^"]*"|\([^)]*\)', " ", raw)
    name = " ".join(name.replace("’", "'").split())
    if not name or not name[0].isalpha() or any(ch.isdigit() for ch in name):
        return None
    words = name.split()
    upper = [w for w in words if w.isupper() and len(w.strip(".-'")) > 1]
    if not upper or len(upper) == len(words):
        mixed = len(upper) != len(words)
        return (name if mixed else " ".join(recase(w) for w in words)), mixed
    given = [w for w in words if w not in upper]
    surname = [w.lower() if w.lower() in PARTICLES else recase(w) for w in upper]
    return " ".join(given + surname), False


SEX = {"m": "M", "male": "M", "men": "M", "f": "F", "w": "F", "female": "F", "women": "F"}


def year(value: str) -> int | None:
    m = re.search(r"(18|19|20)\d\d", value or "")
    return int(m.group(0)) if m else None


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def rows(shared: Path):
    """(raw name, country, sex, birth year, event text, recency) from every list."""
    a = shared / "athletes"
    for r in read_csv(a / "olympics_1896_2016_athletics_athlete_events.csv"):
        yield r["name"], None, r["sex"], None, r["event"], int(r["year"])
    for r in read_csv(a / "wa_toplists_athletes_gazetteer.csv"):
        for ev in r["events"].split(";"):
            yield r["competitor"], r["nat"], r["sex"], year(r["birth_year"]), ev, int(r["last_mark_date"][:4] or 0)
    for r in read_csv(a / "rio2016_athletics_athletes.csv"):
        yield r["name"], r["nationality"], r["sex"], year(r["date_of_birth"]), "", 2016
    for r in read_csv(a / "tokyo2020_athletics_athletes_results.csv"):
        yield r["name"], None, r["gender"], year(r["birth_date"]), r["event_name"], 2021
    for r in read_csv(a / "rome2024_european_champs_athletes.csv"):
        for ev in (r["events"] or "").split(";"):
            yield r["athlete"], r["nation"], r["gender"], year(r["birth_year"]), ev, 2024
    for r in read_csv(a / "paris2024_athletics_participants.csv"):
        for ev in (r["events"] or "").split(";"):
            yield r["participant_name"], r["country_code"], r["gender"], None, ev, 2024
    for r in read_csv(a / "paris2024_athletics_medallists.csv"):
        yield r["name"], r["country_code"], r["gender"], year(r["birth_date"]), r["event"], 2024


def build(shared: Path) -> list[tuple]:
    entries: dict[str, dict] = {}
    for raw, country, sex, born, event, when in rows(shared):
        found = normalise(raw or "")
        if found is None:
            continue
        name, mixed = found
        key = fold(name)
        if len(key.split()) < 2:
            continue
        e = entries.setdefault(key, {"names": defaultdict(int), "country": (0, None), "sex": None, "born": None,
                                     "events": set()})
        e["names"][(name, mixed)] += 1
        if country and len(country) == 3 and country.isupper() and when >= e["country"][0]:
            e["country"] = (when, country)
        e["sex"] = e["sex"] or SEX.get((sex or "").strip().lower())
        e["born"] = e["born"] or born
        code = event_code(event or "")
        if code:
            e["events"].add(code)
    people = []
    for e in entries.values():
        name = max(e["names"], key=lambda nm: spelling_rank(nm, e["names"][nm]))[0]
        people.append({"name": name, "country": e["country"][1], "sex": e["sex"], "born": e["born"],
                       "events": e["events"], "aliases": []})
    out = []
    for p in merge_aliases(people):
        out.append((p["name"], p["country"] or "", p["sex"] or "", str(p["born"] or ""),
                    ",".join(sorted(p["events"])), "|".join(sorted(p["aliases"]))))
    return sorted(out, key=lambda r: fold(r[0]))


def spelling_rank(spelled: tuple[str, bool], times: int) -> tuple[int, int, bool, int]:
    """Which spelling of one folded name to keep: the one that carries the most, as the person writes
    it. Accents first ("Špotáková" over a list's "Spotakova"), then capitals inside words
    ("Sha'Carri", "LaShawn" over "Sha'carri", "Lashawn": re-casing a SURNAME invents none beyond
    Mc and O'), then a name written in mixed case by its list, then how many lists agree."""
    name, mixed = spelled
    inner = sum(ch.isupper() for word in re.split(r"[ -]", name) for ch in word[1:])
    return sum(not ch.isascii() for ch in name), inner, mixed, times


def same_person(a: str, b: str) -> bool:
    """Two spellings of one athlete: a short given name ("Mo"/"Mohamed" Farah) or a married,
    hyphenated surname ("Sydney McLaughlin"/"Sydney McLaughlin-Levrone")."""
    *given_a, sa = fold(a).split()
    *given_b, sb = fold(b).split()
    ga, gb = " ".join(given_a).replace("-", " "), " ".join(given_b).replace("-", " ")
    if sa == sb:
        return ga == gb or (min(len(ga), len(gb)) >= 2 and (ga.startswith(gb + " ") or gb.startswith(ga + " ")
                                                            or (" " not in ga + gb and (ga.startswith(gb) or gb.startswith(ga)))))
    return ga == gb and (sa in sb.split("-") or sb in sa.split("-"))


def merge_aliases(people: list[dict]) -> list[dict]:
    """One entry per person: same sex, birth year and country, and names that are spellings of one another.
    The entry with the most events keeps its name; the others become its aliases."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for p in people:
        if p["born"] and p["sex"]:
            groups[(p["sex"], p["born"], fold(p["name"]).split()[-1].split("-")[0])].append(p)
    gone: set[int] = set()
    for members in groups.values():
        for a in sorted(members, key=lambda p: (-len(p["events"]), -len(p["name"]))):
            if id(a) in gone:
                continue
            for b in members:
                if b is a or id(b) in gone or (a["country"] and b["country"] and a["country"] != b["country"]):
                    continue
                if same_person(a["name"], b["name"]):
                    if len(fold(b["name"]).split()[-1]) > len(fold(a["name"]).split()[-1]):
                        a["name"], b["name"] = b["name"], a["name"]  # a married surname is the current one
                    a["aliases"].append(b["name"])
                    a["events"] |= b["events"]
                    a["country"] = a["country"] or b["country"]
                    gone.add(id(b))
    return [p for p in people if id(p) not in gone]


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared"
    out = ROOT / "nlp" / "data" / "athletes.tsv.gz"
    table = build(shared)
    lines = ["name\tcountry\tsex\tbirth_year\tevents\taliases"] + ["\t".join(row) for row in table]
    # mtime=0: the same lists always give the same bytes, so a rebuild shows no spurious change
    out.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), compresslevel=9, mtime=0))
    print(f"{len(table)} athletes written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
