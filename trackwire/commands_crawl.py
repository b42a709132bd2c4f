"""crawl, tag, run, ingest, stats, sources."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from rich.text import Text

from trackwire import stopping
from trackwire.cli import STATE, app, console, err, store
from trackwire.errors import UserError
from trackwire.store.queue import CLAIM_SECONDS
from trackwire.views import plural, print_stats


def load_nlp():
    from trackwire.nlp.pipeline import load_pipeline

    with console.status(f"loading spaCy model {STATE.settings.spacy_model or 'en_core_web_sm'}…"):
        return load_pipeline(STATE.settings.spacy_model)


def check_redis(url: str) -> None:
    """Fail before the crawl starts when the shared frontier does not answer."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=5).ping()
    except (redis.exceptions.RedisError, ValueError) as exc:
        raise UserError(f"cannot reach Redis at {url} ({exc}): check TRACKWIRE_REDIS_URL and that the server "
                        "is running, or unset it to crawl with this process's own frontier") from None


def chosen_sources(sources_file: Optional[Path], names: list[str]):
    from trackwire.crawler.sources import load_sources, select

    s = STATE.settings
    return select(load_sources(sources_file or (s.sources if s.sources.exists() else None)), names)


def crawl_settings(redis_url: str | None = None):
    """Scrapy settings from trackwire's: user agent, delay, robots.txt, timeout, logging."""
    import logging

    from trackwire.crawler.run import scrapy_settings

    s = STATE.settings
    settings = scrapy_settings(db=s.db, user_agent=s.user_agent, delay=s.download_delay,
                               obey_robots=s.obey_robots, timeout=s.crawl_timeout, download_timeout=s.download_timeout,
                               redis_url=redis_url, allow_private=s.allow_private_addresses,
                               redis_prefix=s.redis_prefix)
    if STATE.debug:
        settings.set("LOG_LEVEL", "DEBUG")
    else:
        logging.getLogger("scrapy").setLevel(logging.ERROR)
        settings.set("LOG_ENABLED", False)
    return settings


def do_crawl(sources_file: Optional[Path], names: list[str], max_articles: Optional[int]) -> int:
    from trackwire.crawler.run import run_crawl

    s = STATE.settings
    sources = chosen_sources(sources_file, names)
    settings = crawl_settings(redis_url=s.redis_url)
    if s.redis_url:
        check_redis(s.redis_url)
    report = run_crawl(sources, settings, max_articles=max_articles, on_start=lambda _run: err.print(
        f"crawling {len(sources)} source(s): {', '.join(x.name for x in sources)}"))
    table = Table(title=f"crawl run {report.run_id}: {report.status}")
    for col in ("new", "updated", "unchanged", "pages requested", "dropped"):
        table.add_column(col, justify="right")
    table.add_row(str(report.new), str(report.updated), str(report.unchanged), str(report.requested),
                  str(sum(report.dropped.values())))
    console.print(table)
    for label, counts in (("dropped", report.dropped), ("skipped", report.skipped)):
        if counts:
            console.print(f"{label}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])))
    for host, what in report.throttled.items():
        err.print(f"[yellow]{host} throttled us[/yellow]: {what}")
    for name, why in report.failing.items():
        err.print(f"[red]source {name} failing[/red]: {why}")
    if report.status == "interrupted":
        err.print("[yellow]crawl interrupted[/yellow]: stored stories are kept; the next crawl picks up the rest")
        raise typer.Exit(stopping.exit_code())
    if report.status == "failed":
        raise UserError(f"crawl failed: {report.error}" if report.error
                        else "crawl failed: every source failed; check the URLs with --debug")
    if report.status == "timeout":
        raise UserError("crawl stopped at its time limit (TRACKWIRE_CRAWL_TIMEOUT); run again to continue")
    return report.new + report.updated


@app.command()
def crawl(
    sources: Annotated[Optional[Path], typer.Option(help="sources file (TOML) [env: TRACKWIRE_SOURCES]")] = None,
    source: Annotated[Optional[list[str]], typer.Option(help="crawl only this source (repeatable)")] = None,
    max_articles: Annotated[Optional[int], typer.Option(min=1, help="fetch at most N article pages")] = None,
) -> None:
    """Fetch feeds and sitemaps, then the new article pages; store them."""
    do_crawl(sources, source or [], max_articles)


def do_tag(retag: bool, workers: int, claim_seconds: int = CLAIM_SECONDS) -> int:
    s = store()
    total = s.pending(retag=retag)
    if not total:
        console.print("nothing to tag: every story is tagged by this tagger version")
        return 0
    columns = (TextColumn("tagging"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, disable=not err.is_terminal) as progress:
        task = progress.add_task("tag", total=total)
        report = s.tag(retag=retag, workers=workers, nlp=load_nlp() if workers == 1 else None,
                       claim_seconds=claim_seconds, on_wait=once_each(),
                       on_progress=lambda n: progress.update(task, completed=n))
    console.print(f"tagged {plural(report.tagged, 'story', 'stories')}")
    if report.untaggable:
        err.print(Text(f"{plural(sum(report.untaggable.values()), 'story', 'stories')} could not be tagged ("
                       + ", ".join(f"{k} {v}" for k, v in report.untaggable.items())
                       + "): set aside until the tagger changes; `trackwire stats` counts them"))
    return report.tagged


ClaimSeconds = Annotated[int, typer.Option(min=1, help="a claim expires this long after the worker's last write")]


def once_each():
    """A printer of wait lines that prints each distinct line once."""
    said: set[str] = set()

    def say(line: str) -> None:
        if line not in said:
            said.add(line)
            err.print(Text(line))

    return say


@app.command()
def tag(
    retag: Annotated[bool, typer.Option(help="also re-tag stories tagged by an older tagger version")] = False,
    workers: Annotated[int, typer.Option(min=1, help="tagging processes")] = 1,
    claim_seconds: ClaimSeconds = CLAIM_SECONDS,
) -> None:
    """Tag stored stories: athletes, events, marks, quotes and performances."""
    do_tag(retag, workers, claim_seconds)


@app.command()
def run(
    sources: Annotated[Optional[Path], typer.Option(help="sources file (TOML)")] = None,
    source: Annotated[Optional[list[str]], typer.Option(help="crawl only this source (repeatable)")] = None,
    max_articles: Annotated[Optional[int], typer.Option(min=1, help="fetch at most N article pages")] = None,
    workers: Annotated[int, typer.Option(min=1, help="tagging processes")] = 1,
) -> None:
    """The nightly job: crawl, then tag what is new."""
    do_crawl(sources, source or [], max_articles)
    do_tag(False, workers)


@app.command()
def ingest(paths: Annotated[list[Path], typer.Argument(help=".txt, .jsonl or .html files, or folders")]) -> None:
    """Store stories from files without crawling (tag them with `trackwire tag`).

    Lines of trackwire's own JSONL export keep their tags.
    """
    report = store().ingest(paths, on_problem=lambda p: err.print(Text(f"skipped {p.where}: {p.why}")))
    console.print("stored: " + (", ".join(f"{n} {k}" for k, n in report.stored.items()) or "nothing"))
    if report.problems:
        raise UserError(f"{len(report.problems)} input(s) skipped (listed above): fix them and ingest again; "
                        "the rest is stored")


@app.command()
def stats(as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False) -> None:
    """What the store holds, the last runs, and what was dropped and why."""
    figures = store().stats()
    if as_json:
        console.print_json(json.dumps(figures.to_json()))
        return
    print_stats(console, figures)


sources_app = typer.Typer(no_args_is_help=True, help="The publishers trackwire crawls: list them, check them.")
app.add_typer(sources_app, name="sources")


@sources_app.command("list")
def sources_list(
    sources: Annotated[Optional[Path], typer.Option(help="sources file (TOML) [env: TRACKWIRE_SOURCES]")] = None,
) -> None:
    """The sources and their entry points."""
    table = Table()
    for col in ("name", "entry points", "notes"):
        table.add_column(col)
    for src in chosen_sources(sources, []):
        notes = [f"topic: {src.topic}"] if src.topic else []
        notes += [f"selectors: {', '.join(src.selectors)}"] if src.selectors else []
        table.add_row(src.name, "\n".join(src.feeds + src.sitemaps), "; ".join(notes))
    console.print(table)


@sources_app.command("check")
def sources_check(
    names: Annotated[Optional[list[str]], typer.Argument(help="sources to check [default: all]")] = None,
    sources: Annotated[Optional[Path], typer.Option(help="sources file (TOML) [env: TRACKWIRE_SOURCES]")] = None,
) -> None:
    """Fetch each source's entry points and one article; exit 1 if a source is broken.

    The canary to run after a site redesign: reachable entry points, article links
    found, and whether the article's title, date, author and body were extracted.
    """
    from trackwire.crawler.check import Interrupted, check_sources

    chosen = chosen_sources(sources, names or [])
    err.print(f"checking {len(chosen)} source(s): {', '.join(x.name for x in chosen)}")
    try:
        results = check_sources(chosen, crawl_settings())
    except Interrupted:
        err.print("[yellow]check interrupted[/yellow]: no source judged; run it again to the end")
        raise typer.Exit(130) from None
    table = Table(title="sources check")
    for col, justify in (("source", "left"), ("status", "left"), ("reachable", "right"), ("article links", "right"),
                         ("article", "left")):
        table.add_column(col, justify=justify)
    colour = {"ok": "green", "incomplete": "yellow", "broken": "red"}
    for r in results:
        if r.article_url and r.title:
            article = f"{r.title[:60]} ({r.body_words} words)"
            if r.missing():
                article += f"; missing: {', '.join(r.missing())}"
        else:
            article = r.article_url or "-"
        table.add_row(r.name, f"[{colour[r.status]}]{r.status}[/]", f"{r.reachable}/{r.entry_points}",
                      str(r.links), article)
    console.print(table)
    for r in results:
        for problem in r.problems:
            err.print(f"[red]{r.name}[/red]: {problem}")
    broken = [r.name for r in results if r.status == "broken"]
    if broken:
        raise UserError(f"{len(broken)} source(s) broken: {', '.join(broken)}; see the problems above, then "
                        "fix their entry points, patterns or selectors in the sources file")
