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
        self.by_words: dict[frozenset[str], Entry | None] = {}  # three-part names in any order
        self.by_ends: dict[tuple[str, str], list[Entry]] = {}  # first and last word: middle names dropped
        self.words: set[str] = set()  # every folded word of every name, to tell a real spelling from a slip
        self.extend(entries)

    def extend(self, entries: list[Entry], replace: bool = False) -> None:
        """Add athletes (the packaged lists, or those a user imported into the store). With `replace`,
        an entry takes the place of a packaged one of the same folded name (a user's correction)."""
        for e in entries:
            for name in (e.name, *e.aliases):
                key = fold(name)
                old = self.by_fold.get(key)
                if replace and old is not None and old is not e:
                    self._drop(old)
                self.by_fold[key] = e if replace else self.by_fold.get(key, e)
                words = key.split()
                self.words.update(words)
                self.by_surname.setdefault(words[-1], []).append(e)
                self.by_given.setdefault(words[0], []).append(e)
                if len(words) >= 3:
                    bag = frozenset(words)
                    self.by_words[bag] = e if self.by_words.get(bag, e) is e else None
                    ends = self.by_ends.setdefault((words[0], words[-1]), [])
                    if e not in ends:
                        ends.append(e)

    def _drop(self, old: Entry) -> None:
        """Forget a replaced entry in the blocking indexes (its names now lead to its replacement)."""
        for name in (old.name, *old.aliases):
            words = fold(name).split()
            for index, key in ((self.by_surname, words[-1]), (self.by_given, words[0]),
                               (self.by_ends, (words[0], words[-1]))):
                if key in index:
                    index[key] = [e for e in index[key] if e is not old]
            bag = frozenset(words)
            if self.by_words.get(bag) is old:
                del self.by_words[bag]

    def __len__(self) -> int:
        return len({id(e) for e in self.by_fold.values()})

    def __contains__(self, name: str) -> bool:
        return self.lookup(name) is not None

    def with_entries(self, entries: list[Entry]) -> "Registry":
        """A copy with more athletes, which take the place of packaged ones of the same name; the
        packaged registry itself stays as it is. Only the lists the new names touch are copied."""
        import copy

        extended = copy.copy(self)
        extended.by_fold = dict(self.by_fold)
        extended.by_surname = dict(self.by_surname)
        extended.by_given = dict(self.by_given)
        extended.by_ends = dict(self.by_ends)
        extended.by_words = dict(self.by_words)
        extended.words = set(self.words)
        touched = {fold(n) for e in entries for n in (e.name, *e.aliases)}
        for key in touched:  # copy-on-write: extend and _drop change these lists in place
            words = key.split()
            for index, k in ((extended.by_surname, words[-1]), (extended.by_given, words[0]),
                             (extended.by_ends, (words[0], words[-1]))):
                if k in index:
                    index[k] = list(index[k])
            old = self.by_fold.get(key)
            if old is not None:
                for name in (old.name, *old.aliases):
                    w = fold(name).split()
                    for index, k in ((extended.by_surname, w[-1]), (extended.by_given, w[0]),
                                     (extended.by_ends, (w[0], w[-1]))):
                        if k in index:
                            index[k] = list(index[k])
        extended.extend(entries, replace=True)
        return extended

    def get(self, name: str) -> Entry | None:
        return self.by_fold.get(fold(name))

    def lookup(self, name: str) -> Entry | None:
        """The athlete of this name, also when a three-part name comes in another order."""
        key = fold(name)
        found = self.by_fold.get(key)
        words = key.split()
        if found is None and len(words) >= 3:
            found = self.by_words.get(frozenset(words))
        if found is None and len(words) == 2:
            found = one_person(self.by_ends.get((words[0], words[-1]), []))  # "Sander Skotheim"
        return found

    def real_spelling(self, name: str) -> bool:
        """True when every word of `name` is spelt as in some athlete's name: a deliberate spelling
        ("Wycliffe"), not a slip ("Fionnualla")."""
        return all(w in self.words for w in fold(name).split())

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


def same_person(a: Entry, b: Entry) -> bool:
    """Two list entries for one athlete: one name's words within the other's, same surname, and no
    fact that differs ("Paula Radcliffe" and "Paula Jane Radcliffe")."""
    wa, wb = fold(a.name).split(), fold(b.name).split()
    if wa[-1] != wb[-1] or not (set(wa) <= set(wb) or set(wb) <= set(wa)):
        return False
    return all(x is None or y is None or x == y for x, y in
               ((a.sex, b.sex), (a.birth_year, b.birth_year), (a.country, b.country)))


def one_person(entries: list[Entry]) -> Entry | None:
    """The one athlete these entries stand for (the entry with most facts), or None if several."""
    unique = list({id(e): e for e in entries}.values())
    if not unique or any(not same_person(unique[0], e) for e in unique[1:]):
        return None
    return max(unique, key=lambda e: (e.country is not None, e.birth_year is not None, len(e.events), -len(e.name)))


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
