"""Plain data for the templates: a story's text cut into tagged pieces, a snippet's highlights, links
and values as people read them. Nothing here writes HTML: the templates do, escaping every string."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote, urlencode, urlsplit

from trackwire.records import TaggedStory


@dataclass
class Piece:
    """A run of a story's text: `kind` is text, athlete, person, event, mark or quote; a quote holds
    `children`; `name` is the athlete, person or speaker; `note` a tooltip."""

    kind: str
    text: str = ""
    name: str | None = None
    note: str | None = None
    children: list[Piece] = field(default_factory=list)


def story_pieces(story: TaggedStory) -> list[Piece]:
    """The story's text after its headline, as pieces: quotes (with the tags inside them) and tags between.
    Overlapping tags keep the first; a tag crossing a quote's edge stays plain text."""
    text = story.text
    begin = len(story.title) if story.title and text.startswith(story.title) else 0
    begin += len(text[begin:]) - len(text[begin:].lstrip())
    tags = sorted(_inline_tags(story), key=lambda t: (t[0], -t[1]))
    quotes = [(q.start, q.end, Piece("quote", name=q.speaker, note=f"said by {q.speaker}" if q.speaker else None))
              for q in sorted(story.quotes, key=lambda q: q.start)]
    pieces, at = [], begin
    for start, end, quote_piece in _disjoint(quotes):
        if start < at:
            continue
        pieces += _inline(text, at, start, tags)
        quote_piece.children = _inline(text, start, end, tags)
        pieces.append(quote_piece)
        at = end
    return pieces + _inline(text, at, len(text), tags)


def _inline_tags(story: TaggedStory) -> list[tuple[int, int, Piece]]:
    tags = [(s, e, Piece("athlete", name=a.name, note=a.country)) for a in story.athletes for s, e in a.mentions]
    tags += [(s, e, Piece("person", name=p.name, note=p.role)) for p in story.people for s, e in p.mentions]
    tags += [(s, e, Piece("event", name=ev.event, note=ev.event)) for ev in story.events for s, e in ev.mentions]
    tags += [(m.start, m.end, Piece("mark", note=f"{value_label(m.value, m.unit)}")) for m in story.marks]
    return tags


def _disjoint(spans: list[tuple[int, int, Piece]]) -> list[tuple[int, int, Piece]]:
    kept, last = [], -1
    for start, end, piece in spans:
        if start >= last and end > start:
            kept.append((start, end, piece))
            last = end
    return kept


def _inline(text: str, lo: int, hi: int, tags: list[tuple[int, int, Piece]]) -> list[Piece]:
    pieces, at = [], lo
    for start, end, tag in _disjoint([t for t in tags if lo <= t[0] and t[1] <= hi]):
        if start > at:
            pieces.append(Piece("text", text[at:start]))
        pieces.append(Piece(tag.kind, text[start:end], tag.name, tag.note))
        at = end
    if hi > at:
        pieces.append(Piece("text", text[at:hi]))
    return pieces


def highlighted(snippet: str, highlights: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """The snippet as (text, matched) runs, from the hit's [start, end) offsets."""
    runs, at = [], 0
    for start, end in sorted(highlights):
        if start < at or end > len(snippet):
            continue
        runs += [(snippet[at:start], False), (snippet[start:end], True)]
        at = end
    return [r for r in runs + [(snippet[at:], False)] if r[0]]


def safe_url(url: str | None) -> str | None:
    """`url` when it is an http(s) URL a link may point to; None for anything else (javascript:, data:...)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def athlete_url(name: str) -> str:
    return "/athletes/" + quote(name, safe="")


def story_url(key: str) -> str:
    return "/story?" + urlencode({"key": key})


def with_params(path: str, params: list[tuple[str, str]], drop: tuple[str, ...] = (), **changes) -> str:
    """`path` with `params` (repeatable), less the names in `drop` and the changed ones, plus `changes`
    (a list value repeats its name; None or False leaves it out)."""
    kept = [(k, v) for k, v in params if k not in drop and k not in changes]
    for k, v in changes.items():
        kept += [(k, x) for x in v] if isinstance(v, list) else ([(k, v)] if v not in (None, False, "") else [])
    return f"{path}?{urlencode(kept)}" if kept else path


def day(value: datetime | None) -> str:
    return value.strftime("%-d %b %Y") if value else "undated"


def value_label(value: float, unit: str) -> str:
    """A mark as people write it: 7:33.62, 51.45, 2:05:12 (times), 6.28 m, 8,500 pts."""
    if unit == "m":
        return f"{value:.2f} m"
    if unit == "pts":
        return f"{value:,.0f} pts"
    return clock(value)


def clock(seconds: float, decimals: int = 2) -> str:
    """Seconds as h:mm:ss, m:ss.ff or ss.ff."""
    seconds = round(seconds, decimals)
    if seconds >= 3600:
        h, rest = divmod(round(seconds), 3600)
        return f"{h}:{rest // 60:02d}:{rest % 60:02d}"
    if seconds >= 60:
        m, s = divmod(seconds, 60)
        return f"{int(m)}:{s:0{3 + decimals if decimals else 2}.{decimals}f}"
    return f"{seconds:.{decimals}f}"
