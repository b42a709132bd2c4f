"""How records look on a terminal (rich). The consoles never read markup (trackwire.cli), and
every piece of story text goes into a `Text`, so "[bold]" in a title prints as written.
An empty result is one line saying so, never a table of headers."""

from __future__ import annotations

from datetime import datetime

from rich.console import Console
from rich.table import Table
from rich.text import Text

from trackwire.records import AthleteProfile, AthleteSummary, Run, SearchHit, StoreStats


def day(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "—"


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def counted(counts: dict[str, int], labels: dict[str, str] | None = None) -> str:
    """ "17 already stored, 2 http_404": counts largest first, each with its label or its own name."""
    labels = labels or {}
    return ", ".join(f"{n} {labels.get(k, k)}" for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def highlighted(snippet: str, spans: list[tuple[int, int]]) -> Text:
    """The snippet as plain text with the matched words in bold: no markup is parsed from it."""
    text = Text(snippet.replace("\n", " "))
    for start, end in spans:
        text.stylize("bold yellow", start, end)
    return text


def print_hits(console: Console, hits: list[SearchHit]) -> None:
    if not hits:
        console.print("no stories found")
        return
    table = Table(title=plural(len(hits), "story", "stories"), show_lines=False)
    for col in ("date", "title", "source", "snippet"):
        table.add_column(col, overflow="fold")
    for h in hits:
        table.add_row(day(h.published_at), Text(h.title), Text(h.source or ""), highlighted(h.snippet, h.highlights))
    console.print(table)


def print_profile(console: Console, p: AthleteProfile, *, dated: bool = False, limit: int = 50) -> None:
    """The athlete's heading and stories; `dated` when --since/--until narrowed them, `limit` the most
    the look-up returns (the heading says which of the two left stories out)."""
    a = p.athlete
    heading = Text(a.name, style="bold")
    if a.country:
        heading.append(f" ({a.country})")
    heading.append(f": {plural(a.stories, 'story', 'stories')}")
    if not p.stories and a.stories:
        heading.append(", none in the dates asked for")
    elif a.stories > len(p.stories):
        if dated and len(p.stories) < limit:
            heading.append(f", {len(p.stories)} in the dates asked for")
        else:
            heading.append(f", the {len(p.stories)} newest{' in the dates asked for' if dated else ''} shown")
    console.print(heading)
    if p.stories:
        console.print(_profile_table(p))
    for event, rows in p.by_event.items():
        console.print(Text(f"{event}: " + ", ".join(r.mark for r in rows)))
    if p.co_mentioned:
        console.print(Text("Often mentioned with: " + ", ".join(f"{c.name} ({c.stories})" for c in p.co_mentioned)))


def _profile_table(p: AthleteProfile) -> Table:
    table = Table(show_lines=True)
    for col in ("date", "title", "source", "said", "marks"):
        table.add_column(col, overflow="fold")
    for s in p.stories:
        said = "\n".join(f"“{q[:140]}”" for q in s.quotes[:3])
        marks = ", ".join(f"{m.event} {m.mark}" for m in s.performances)
        title = Text(s.title)
        title.append(f"\n{s.url or ''}", style="dim")
        table.add_row(day(s.published_at), title, Text(s.source or ""), Text(said), Text(marks))
    return table


def print_candidates(console: Console, name: str, found: list[AthleteSummary]) -> None:
    table = Table(title=Text(f"{name!r} could be any of these: give the full name"))
    for col in ("name", "country", "born", "events", "stories"):
        table.add_column(col)
    for a in found:
        table.add_row(Text(a.name), a.country or "", str(a.birth_year or ""), ", ".join(a.events), str(a.stories))
    console.print(table)


def print_stats(console: Console, st: StoreStats) -> None:
    t = st.totals
    console.print(f"stories: {t.stories:,} · tagged: {t.tagged:,} · athletes mentioned: {t.athletes:,} "
                  f"(of {t.registry:,} in the registry{f', {t.imported:,} imported' if t.imported else ''}) · "
                  f"quotes: {t.quotes:,} · marks: {t.marks:,}")
    good = st.last_successful_run
    if good and good.ended_at:
        console.print(f"last successful run: #{good.id} ({good.kind}) ended {good.ended_at:%Y-%m-%d %H:%M} UTC")
    if st.runs:
        console.print(runs_table(st.runs, title="last runs"))
    else:
        console.print("no runs yet: `trackwire crawl` or `trackwire run` fetches the news")
    if st.dropped_last_run:
        console.print(Text("pages dropped in the last run: " + counted(st.dropped_last_run)))
    if st.untaggable:
        console.print(Text("set aside by the tagger: " + counted(st.untaggable)
                           + " (story.tag_error says why; retried when the tagger changes)"))
    for f in st.failing_sources:
        line = Text("failing ", style="red")
        line.append(f.name)
        if f.since_runs > 1:
            line.append(f" {f.since_runs} runs in a row", style="bold")
        line.append(f": {f.error}")
        console.print(line)


def print_runs(console: Console, runs: list[Run]) -> None:
    console.print(runs_table(runs) if runs else "no runs yet: `trackwire crawl` or `trackwire run` fetches the news")


def runs_table(runs: list[Run], title: str = "runs") -> Table:
    table = Table(title=title)
    for col in ("id", "kind", "started", "ended", "status", "new", "updated", "dropped", "reason"):
        table.add_column(col, overflow="fold")
    for r in runs:
        table.add_row(str(r.id), r.kind, f"{r.started_at:%Y-%m-%d %H:%M}", f"{r.ended_at:%H:%M}" if r.ended_at else "",
                      r.status, str(r.new), str(r.updated), str(r.dropped), Text("; ".join(r.errors)[:200]))
    return table
