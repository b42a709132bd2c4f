"""trackwire: athletics news in, tagged data out.

`trackwire.open(db)` is the Python API (docs/api.md): a `Store` to search, look up athletes,
stream tagged stories, ingest, tag and export. The `trackwire` command is a thin layer over it.
Names are loaded on first use, so `import trackwire` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from trackwire.api import AmbiguousAthlete, AthleteNotFound, Store, open
    from trackwire.errors import UserError

__all__ = ["open", "Store", "AthleteNotFound", "AmbiguousAthlete", "UserError"]


def __getattr__(name: str) -> Any:
    if name in ("open", "Store", "AthleteNotFound", "AmbiguousAthlete"):
        from trackwire import api

        return getattr(api, name)
    if name == "UserError":
        from trackwire.errors import UserError

        return UserError
    raise AttributeError(f"module 'trackwire' has no attribute {name!r}")
