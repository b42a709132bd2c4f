"""crawl, tag, run, ingest, stats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text

from trackwire import stopping
from trackwire.cli import STATE, app, console, err, store
from trackwire.errors import UserError
from trackwire.options import MAX_SECONDS, AsJson, MaxArticles, Retag, SourceNames, SourcesFile, Workers
from trackwire.store.queue import CLAIM_SECONDS
from trackwire.views import counted, plural, print_stats
from trackwire.views_crawl import print_crawl, print_ingest


def load_nlp():
    from trackwire.nlp.pipeline import shared_pipeline

    with console.status(f"loading spaCy model {STATE.settings.spacy_model or 'en_core_web_sm'}…"):
        return shared_pipeline(STATE.settings.spacy_model)


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
                               redis_prefix=s.redis_prefix, stop_grace=s.stop_grace)
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
        f"crawling {plural(len(sources), 'source')}: {', '.join(x.name for x in sources)}"))
    if report.no_network:
        raise UserError(report.error or "no network")
    print_crawl(console, err, report)
    if report.status == "interrupted":
        err.print(Text.assemble(("crawl interrupted", "yellow"), ": stored stories are kept; the next crawl "
                                "picks up the rest"))
        raise typer.Exit(stopping.exit_code())
    if report.status == "failed":
        raise UserError(f"crawl failed: {report.error}" if report.error
                        else "crawl failed: every source failed (reasons above); run again with --debug to see "
                        "each request")
    if report.status == "timeout":
        raise UserError("crawl stopped at its time limit (TRACKWIRE_CRAWL_TIMEOUT); run again to continue")
    return report.new + report.updated


@app.command()
def crawl(sources: SourcesFile = None, source: SourceNames = None, max_articles: MaxArticles = None) -> None:
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
                       + counted(report.untaggable)
                       + "): set aside until the tagger changes; `trackwire stats` counts them"))
    return report.tagged


ClaimSeconds = Annotated[int, typer.Option(min=1, max=MAX_SECONDS, metavar="S",
                                           help="a claim expires this long after the worker's last write")]


def once_each():
    """A printer of wait lines that prints each distinct line once."""
    said: set[str] = set()

    def say(line: str) -> None:
        if line not in said:
            said.add(line)
            err.print(Text(line))

    return say


@app.command()
def tag(retag: Retag = False, workers: Workers = 1, claim_seconds: ClaimSeconds = CLAIM_SECONDS) -> None:
    """Tag stored stories: athletes, events, marks, quotes and performances."""
    do_tag(retag, workers, claim_seconds)


@app.command()
def run(sources: SourcesFile = None, source: SourceNames = None, max_articles: MaxArticles = None,
        workers: Workers = 1) -> None:
    """The nightly job: crawl, then tag what is new.

    A crawl that fails (no network, every source down, its time limit) still lets the stories
    already waiting be tagged; the run then ends as failed, with the crawl's reason.
    """
    try:
        do_crawl(sources, source or [], max_articles)
    except UserError as failed:
        err.print(Text.assemble(("crawl failed", "red"), f": {failed}; tagging the stories already stored"))
        do_tag(False, workers)
        raise
    do_tag(False, workers)


@app.command()
def ingest(paths: Annotated[list[Path], typer.Argument(
        metavar="PATH...", help=".txt, .jsonl, .html or .html.gz files, or folders of them")]) -> None:
    """Store stories from files without crawling (tag them with `trackwire tag`).

    A .txt file is a headline, a blank line, then the body; a .jsonl line is one story
    (README, "Ingesting files"); lines of trackwire's own JSONL export keep their tags.
    """
    report = store().ingest(paths, on_problem=lambda p: err.print(f"skipped {p.where}: {p.why}"),
                            on_note=lambda p: err.print(f"note {p.where}: {p.why}"))
    print_ingest(console, report)
    if report.problems:
        raise UserError(f"{plural(len(report.problems), 'input')} refused (listed above): fix them and ingest "
                        "again; the rest is stored")


@app.command()
def stats(as_json: AsJson = False) -> None:
    """What the store holds, the last runs, and what was dropped and why."""
    figures = store(create=False).stats()
    if as_json:
        console.print_json(json.dumps(figures.to_json()))
        return
    print_stats(console, figures)
