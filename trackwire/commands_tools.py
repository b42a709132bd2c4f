"""demo and eval."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from trackwire.cli import STATE, app, console, err
from trackwire.errors import UserError


PROXY_VARIABLES = ("http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY")


@app.command()
def demo() -> None:
    """The whole job offline: serve the bundled news site, crawl it, tag it, show what came out."""
    from trackwire.crawler.demo_site import DemoSite
    from trackwire.cli import store
    from trackwire.commands_crawl import do_crawl, do_tag

    with DemoSite(stable=True) as site, tempfile.TemporaryDirectory() as tmp, through_proxy(site.proxy):
        sources = Path(tmp) / "sources.toml"
        sources.write_text(site.sources_toml(), encoding="utf-8")
        STATE.settings.download_delay = 0.0
        err.print(f"serving the demo site {site.base} from {site.proxy}")
        do_crawl(sources, [], None)
    do_tag(False, 1)
    summarise([s.to_json() for s in store().stories(tagged_only=True)])


@contextmanager
def through_proxy(proxy: str) -> Iterator[None]:
    """HTTP requests of this process go through `proxy` (Scrapy reads http_proxy when a crawl starts)."""
    saved = {k: os.environ.get(k) for k in PROXY_VARIABLES}
    os.environ.update({"http_proxy": proxy, "HTTP_PROXY": proxy, "no_proxy": "", "NO_PROXY": ""})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def summarise(records: list[dict]) -> None:
    counts: dict[str, int] = {}
    for r in records:
        for a in r["athletes"]:
            counts[a["name"]] = counts.get(a["name"], 0) + 1
    table = Table(title=f"{len(records)} stories stored and tagged: most mentioned athletes")
    table.add_column("athlete")
    table.add_column("stories", justify="right")
    for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:8]:
        table.add_row(name, str(n))
    console.print(table)
    quote = next((q for r in records for q in r["quotes"] if q["speaker"]), None)
    if quote:
        console.print(f"A quote: “{quote['text']}” — {quote['speaker']}")
    top = max(counts, key=counts.get) if counts else "Kerr"
    console.print(Text.assemble("Next, try: ", (runnable("athlete", top.split()[-1]), "bold"), "  or  ",
                                (runnable("search", "world record"), "bold")))


def runnable(*args: str) -> str:
    """A trackwire command line that works pasted as printed: `trackwire` where that name runs this
    very trackwire, else the path of this environment's script; with --db unless the store is the default."""
    import shlex
    import shutil
    import sys

    script = Path(sys.executable).parent / "trackwire"
    found = shutil.which("trackwire")
    if found and script.exists() and os.path.samefile(found, script):
        program = ["trackwire"]
    elif script.exists():
        program = [os.path.relpath(script) if script.is_relative_to(Path.cwd()) else str(script)]
    else:
        program = [sys.executable, "-m", "trackwire"]
    db = STATE.settings.db
    where = ["--db", db] if Path(db).expanduser().resolve() != Path("trackwire.db").resolve() else []
    return shlex.join([*program, *args, *where])


@app.command(name="eval")
def evaluate_cmd(
    gold: Annotated[Path, typer.Argument(metavar="GOLD.jsonl", help="gold JSONL in the tagging guide's format")],
    baseline: Annotated[bool, typer.Option("--baseline", help="also score the stock model alone, in the same run")
                        ] = False,
    errors: Annotated[Optional[Path], typer.Option(metavar="FILE", help="write every error, one a line, to this file")
                      ] = None,
) -> None:
    """Score the tagger against hand-annotated articles (the tagging guide's measures)."""
    from trackwire.evaluation import baseline_predictions, score_table, trackwire_predictions

    if not gold.exists():
        raise UserError(f"gold file {gold} not found")
    rows = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not rows:
        raise UserError(f"gold file {gold} holds no articles")
    runs = {"trackwire": trackwire_predictions(rows, STATE.settings.spacy_model)}
    if baseline:
        runs["stock model"] = baseline_predictions(rows, STATE.settings.spacy_model)
    table, problems = score_table(rows, runs)
    console.print(table)
    if errors:
        errors.write_text("\n".join(problems) + "\n", encoding="utf-8")
        console.print(f"{len(problems)} errors written to {errors}")
