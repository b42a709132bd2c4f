"""The athlete registry: canonical athletes from public lists (built by tools/build_registry.py).

Looked up by folded full name; misspellings within Damerau-Levenshtein
distance 2 are found by blocking on the surname or the given name, so a
look-up compares a few dozen names, not fifty thousand.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz.distance import DamerauLevenshtein

from trackwire.nlp.text import fold

MIN_FUZZY = 8  # a full name shorter than this is never fuzzy-matched


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    country: str | None
    sex: str | None
    birth_year: int | None
    events: tuple[str, ...]
    aliases: tuple[str, ...] = ()


class Registry:
    def __init__(self, entries: list[Entry]):
        self.by_fold: dict[str, Entry] = {}
        self.by_surname: dict[str, list[Entry]] = {}
        self.by_given: dict[str, list[Entry]] = {}
        for e in entries:
            for name in (e.name, *e.aliases):
                key = fold(name)
                self.by_fold.setdefault(key, e)
                words = key.split()
                self.by_surname.setdefault(words[-1], []).append(e)
                self.by_given.setdefault(words[0], []).append(e)

    def __len__(self) -> int:
        return len({id(e) for e in self.by_fold.values()})

    def get(self, name: str) -> Entry | None:
        return self.by_fold.get(fold(name))

    def has_surname(self, word: str) -> bool:
        return fold(word) in self.by_surname

    def is_given_name(self, word: str, min_count: int = 2) -> bool:
        return len(self.by_given.get(fold(word), ())) >= min_count

    def closest(self, name: str) -> Entry | None:
        """The one registry athlete whose name `name` misspells, or None (none, or a tie).

        Only typing slips count: swapped neighbours ("Ingebrigsten") and doubled
        or dropped repeated letters ("Fionnualla"). A changed letter is more often
        another transliteration ("Adera"/"Adere") or another person.
        """
        key = fold(name)
        words = key.split()
        if len(key) < MIN_FUZZY or len(words) < 2:
            return None
        pool = {id(e): e for e in self.by_surname.get(words[-1], []) + self.by_given.get(words[0], [])}
        scored = sorted((DamerauLevenshtein.distance(key, fold(n)), n, e) for e in pool.values()
                        for n in (e.name, *e.aliases))
        scored = [s for s in scored if s[0] <= 2 and is_typo(key, fold(s[1]))]
        if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0] and scored[0][2] is not scored[1][2]):
            return None
        return scored[0][2]

    def spelling(self, entry: Entry, name: str) -> str:
        """The registry's spelling of `name`: the entry's name or the alias it misspells."""
        key = fold(name)
        return min((entry.name, *entry.aliases), key=lambda n: DamerauLevenshtein.distance(key, fold(n)))


def _squeeze(text: str) -> str:
    return re.sub(r"(.)\1+", r"\1", text)


def is_typo(a: str, b: str) -> bool:
    """True when a and b differ only by swapped letters or doubled letters."""
    return a != b and (_squeeze(a) == _squeeze(b) or sorted(a) == sorted(b))


def _entry(line: str) -> Entry:
    name, country, sex, born, events, aliases = line.rstrip("\n").split("\t")
    return Entry(name, country or None, sex or None, int(born) if born else None,
                 tuple(events.split(",")) if events else (), tuple(aliases.split("|")) if aliases else ())


@lru_cache(maxsize=1)
def load_registry() -> Registry:
    """The packaged registry, parsed once per process."""
    raw = resources.files("trackwire.nlp").joinpath("data").joinpath("athletes.tsv.gz").read_bytes()
    lines = gzip.decompress(raw).decode("utf-8").splitlines()[1:]
    return Registry([_entry(line) for line in lines if line])
