"""How results look on a terminal (rich) and to scripts (JSON)."""

from __future__ import annotations

from datetime import datetime

from rich.console import Console
from rich.table import Table

from trackwire.store.search import Hit, Profile


def day(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "—"


def hits_table(hits: list[Hit]) -> Table:
    table = Table(title=f"{len(hits)} stories", show_lines=False)
    for col in ("date", "title", "source", "snippet"):
        table.add_column(col, overflow="fold")
    for h in hits:
        table.add_row(day(h.published_at), h.title, h.source or "", h.snippet.replace("\n", " "))
    return table


def hit_json(h: Hit) -> dict:
    return {"key": h.key, "title": h.title, "url": h.url, "source": h.source,
            "published_at": h.published_at.isoformat() if h.published_at else None,
            "snippet": h.snippet, "score": round(h.score, 4)}


def run_json(r) -> dict:
    return {"id": r.id, "kind": r.kind, "status": r.status, "started_at": r.started_at.isoformat(),
            "ended_at": r.ended_at.isoformat() if r.ended_at else None, "new": r.stories_new,
            "updated": r.stories_updated, "dropped": r.pages_dropped, "errors": r.errors}


def print_profile(console: Console, p: Profile) -> None:
    a = p.athlete
    console.print(f"[bold]{a.name}[/bold]" + (f" ({a.country})" if a.country else "")
                  + f": {len(p.stories)} stories")
    table = Table(show_lines=True)
    for col in ("date", "title", "source", "said", "marks"):
        table.add_column(col, overflow="fold")
    for s in p.stories:
        said = "\n".join(f"“{q[:140]}”" for q in s.quotes[:3])
        marks = ", ".join(f"{m['event']} {m['mark']}" for m in s.marks)
        table.add_row(day(s.published_at), f"{s.title}\n[dim]{s.url or ''}[/dim]", s.source or "", said, marks)
    console.print(table)
    for event, rows in p.by_event().items():
        console.print(f"{event}: " + ", ".join(r["mark"] for r in rows))
    if p.co_mentioned:
        console.print("Often mentioned with: " + ", ".join(f"{n} ({c})" for n, c in p.co_mentioned))


def profile_json(p: Profile) -> dict:
    a = p.athlete
    return {
        "athlete": {"name": a.name, "country": a.country, "sex": a.sex, "birth_year": a.birth_year},
        "stories": [{"key": s.key, "title": s.title, "url": s.url, "source": s.source,
                     "published_at": s.published_at.isoformat() if s.published_at else None,
                     "quotes": s.quotes, "performances": s.marks} for s in p.stories],
        "performances": p.performances,
        "by_event": p.by_event(),
        "co_mentioned": [{"name": n, "stories": c} for n, c in p.co_mentioned],
    }
