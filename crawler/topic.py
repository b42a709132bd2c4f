"""Is this story about athletics? The filter for general sports feeds.

A source with `topic = "athletics"` in the sources file (BBC Sport's all-sport
feed, say) keeps only the stories this module calls athletics; the others are
dropped and counted as `non_athletics`. The decision is a pure function of the
headline, the feed summary and the URL, so it runs before the page is fetched;
entries without a headline (plain sitemaps) are decided after extraction, on
the headline and the first paragraphs.

Signals: the URL section (/sport/athletics/ settles it, /sport/tennis/ too),
athletics words and event distances, and full names of athletes in the
registry. Another sport's words count against: "marathon swimming", "100m
freestyle" and "3m springboard" are not athletics.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

from trackwire.nlp.registry import load_registry
from trackwire.nlp.text import fold


@dataclass(frozen=True)
class Verdict:
    athletics: bool
    why: str  # for logs and tests: the signal that decided


@dataclass(frozen=True)
class _Terms:
    athletics_sections: frozenset[str]
    other_sections: frozenset[str]
    athletics: re.Pattern
    distances: re.Pattern
    other: re.Pattern


@lru_cache(maxsize=1)
def _terms() -> _Terms:
    raw = tomllib.loads(resources.files("trackwire.crawler").joinpath("topic.toml").read_text(encoding="utf-8"))

    def words(terms: list[str]) -> re.Pattern:
        return re.compile(r"(?<![\w-])(?:" + "|".join(terms) + r")(?![\w-])")

    return _Terms(frozenset(raw["athletics_sections"]), frozenset(raw["other_sections"]),
                  words(raw["athletics_terms"]), words(raw["distance_terms"]), words(raw["other_terms"]))


@lru_cache(maxsize=1)
def _athlete_names() -> frozenset[str]:
    """Folded full names (two words or more) of the registry's athletes."""
    return frozenset(k for k in load_registry().by_fold if " " in k)


def _named_athletes(text: str) -> list[str]:
    names = _athlete_names()
    words = re.findall(r"[\w'-]+", text)
    found = []
    for size in (2, 3, 4):
        for i in range(len(words) - size + 1):
            candidate = " ".join(words[i:i + size])
            if candidate in names:
                found.append(candidate)
    return found


def classify(title: str | None, summary: str | None = None, url: str = "") -> Verdict:
    """Athletics or not, from what a feed entry says about the story."""
    terms = _terms()
    sections = [s.lower() for s in urlsplit(url).path.split("/") if s]
    for section in sections[:3]:
        if section in terms.athletics_sections:
            return Verdict(True, f"section /{section}/")
        if section in terms.other_sections:
            return Verdict(False, f"section /{section}/")
    text = fold(" ".join(t for t in (title, summary) if t))
    ours = [m.group(0) for m in terms.athletics.finditer(text)] + _named_athletes(text)
    theirs = [m.group(0) for m in terms.other.finditer(text)]
    if not theirs:
        ours += [m.group(0) for m in terms.distances.finditer(text)]
    if ours and len(ours) >= len(theirs):
        return Verdict(True, f"athletics: {', '.join(ours[:3])}")
    if theirs:
        return Verdict(False, f"other sport: {', '.join(theirs[:3])}")
    return Verdict(False, "no athletics signal")


def is_athletics(title: str | None, summary: str | None = None, url: str = "") -> bool:
    return classify(title, summary, url).athletics
