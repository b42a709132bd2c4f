"""How a crawl, a sources check and an ingest report look on a terminal. Values taken from pages
and files (titles, authors, paths) go into `Text`; the consoles read no markup anyway."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from trackwire.records import IngestReport
from trackwire.views import counted, plural

# Links of the feeds and sitemaps that were not fetched, and why: none of them is a dropped page.
NOT_FETCHED = {
    "already_stored": "already stored",
    "duplicate_link": "listed more than once (in a feed and a sitemap, say), taken once",
    "max_articles": "left for the next crawl (--max-articles)",
    "frontier_seen": "fetched by another crawler of the round",
}


def print_crawl(console: Console, err: Console, report) -> None:
    """A crawl's outcome (crawler.run.CrawlReport): one line of figures, then what was dropped and
    why, the links not fetched and why, throttling and failing sources."""
    console.print(f"crawl run {report.run_id}: {report.status} · {report.new} new · {report.updated} updated · "
                  f"{report.unchanged} unchanged · {plural(report.requested, 'article page')} requested · "
                  f"{plural(sum(report.dropped.values()), 'page')} dropped")
    if report.dropped:
        console.print(Text("dropped, by reason: " + counted(report.dropped)))
    links = {k: v for k, v in report.skipped.items() if k in NOT_FETCHED}
    if links:
        console.print(Text("links not fetched: " + counted(links, NOT_FETCHED)))
    if report.skipped.get("not_modified"):
        console.print(f"feeds and sitemaps unchanged since the last crawl: {report.skipped['not_modified']}")
    for host, what in report.throttled.items():
        err.print(Text.assemble((f"{host} throttled us", "yellow"), f": {what}"))
    for name, why in report.failing.items():
        err.print(Text.assemble((f"source {name} failing", "red"), f": {why}"))


def print_ingest(console: Console, report: IngestReport) -> None:
    """What was stored, by kind of input; what was refused, by kind and reason; what was left out."""
    if report.by_kind:
        parts = [f"{sum(c.values())} from .{kind} ({counted(c)})" for kind, c in sorted(report.by_kind.items())]
        total = sum(report.stored.values())
        console.print(Text(f"stored {plural(total, 'story', 'stories')}: " + "; ".join(parts)))
    else:
        console.print("stored: nothing")
    refused = report.refused
    if refused:
        parts = [f"{sum(c.values())} {_kind(kind)} ({counted(c)})" for kind, c in sorted(refused.items())]
        console.print(Text(f"refused {plural(len(report.problems), 'input')}: " + "; ".join(parts)))
    noted = report.noted
    if noted:
        parts = [f"{sum(c.values())} {_kind(kind)} ({counted(c)})" for kind, c in sorted(noted.items())]
        console.print(Text("stored with a note: " + "; ".join(parts)))
    if report.left_out:
        console.print(Text("left out of the folders (no story format): " + counted(report.left_out)))


def _kind(kind: str) -> str:
    """A kind of input as the summary names it: `.txt`, `.html.gz`, `file without suffix`."""
    return f".{kind}" if kind and kind != "no suffix" else "file without suffix"


def print_check(console: Console, results) -> None:
    """The canary's table (crawler.check.SourceCheck): the article's values as extracted."""
    table = Table(title="sources check")
    for col in ("source", "status", "reachable", "article links", "title", "date", "author", "body"):
        table.add_column(col, justify="right" if col in ("reachable", "article links") else "left",
                         overflow="fold")
    colour = {"ok": "green", "incomplete": "yellow", "broken": "red"}
    for r in results:
        table.add_row(Text(r.name), Text(r.status, style=colour[r.status]), f"{r.reachable}/{r.entry_points}",
                      str(r.links), *_article_cells(r))
    console.print(table)


def _article_cells(r) -> list[Text]:
    if not r.article_url:
        return [Text("no article fetched", style="dim"), Text(""), Text(""), Text("")]
    missing = Text("missing", style="red")
    words = (r.body or "").split()
    body = Text(f"{len(words)} words: " + " ".join(words[:8]) + (" …" if len(words) > 8 else "")) if words else missing
    title = Text(r.title[:80]) if r.title else Text("missing", style="red")
    title.append(f"\n{r.article_url}", style="dim")
    when = Text(f"{r.published_at:%Y-%m-%d %H:%M %Z}".strip()) if r.published_at else missing
    return [title, when, Text(r.author) if r.author else Text("missing", style="yellow"), body]
