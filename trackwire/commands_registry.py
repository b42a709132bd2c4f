"""registry import / list / remove: athletes a user adds to the tagger's registry, thin over
`trackwire.api.Store` (columns of the CSV: trackwire/registry.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from trackwire.cli import app, console, err, store
from trackwire.errors import UserError
from trackwire.options import AsJson
from trackwire.views import plural

registry_app = typer.Typer(no_args_is_help=True, help="Athletes you add to the tagger's registry, beside the "
                                                      "packaged lists: import a CSV, list them, remove one.")
app.add_typer(registry_app, name="registry")


@registry_app.command("import")
def import_(path: Annotated[Path, typer.Argument(metavar="FILE", help="CSV with a header row: name, country, sex, "
                                                "birth, events, aliases, wa_id (only name is required)")]) -> None:
    """Add or update athletes from a CSV; every tagger of this store then knows them.

    Stories tagged before keep their tags until `trackwire tag --retag`.
    """
    report = store().import_registry(path)
    for problem in report.problems:
        err.print(f"skipped {problem}")
    stored = report.stored
    console.print(f"imported {plural(stored['new'], 'new athlete')}, updated {stored['updated']:,}, "
                  f"unchanged {stored['unchanged']:,}; the store's registry holds "
                  f"{plural(report.imported, 'imported athlete')}")
    if report.to_retag:
        console.print(Text.assemble(f"{plural(report.to_retag, 'story', 'stories')} tagged before: run ",
                                    ("trackwire tag --retag", "bold"), " to tag them with these athletes"))
    if report.problems:
        raise UserError(f"{plural(len(report.problems), 'line')} left out (listed above): fix them and import again; "
                        "the rest is stored")


@registry_app.command("list")
def list_(as_json: AsJson = False) -> None:
    """The athletes imported into this store (the packaged lists not included)."""
    athletes = store(create=False).registry()
    if as_json:
        console.print_json(json.dumps([a.to_json() for a in athletes]))
        return
    if not athletes:
        console.print("no imported athletes: `trackwire registry import FILE` adds some")
        return
    table = Table(title=plural(len(athletes), "imported athlete"))
    for column in ("name", "country", "sex", "born", "events", "aliases", "World Athletics id"):
        table.add_column(column)
    for a in athletes:
        table.add_row(a.name, a.country or "", a.sex or "", str(a.birth_year or ""), ", ".join(a.events),
                      ", ".join(a.aliases), a.wa_id or "")
    console.print(table)


@registry_app.command("remove")
def remove(names: Annotated[list[str], typer.Argument(metavar="NAME...", help="full names, any case or accents")]
           ) -> None:
    """Take imported athletes out of the registry (stories keep their tags until `tag --retag`).

    Names no imported athlete has are listed; with none removed, the command fails.
    """
    done = store(create=False).remove_from_registry(names)
    if not done.removed:
        raise UserError(f"no imported athlete named {', '.join(names)}: `trackwire registry list` shows them")
    console.print(Text(f"removed {', '.join(done.removed)}; run `trackwire tag --retag` to tag stories without them"))
    if done.not_found:
        err.print(Text(f"not found (no imported athlete of that name): {', '.join(done.not_found)}"))
