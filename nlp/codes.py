"""The event codes of the tagging guide, without loading spaCy: for validating user input.

Source: ../shared/tagging-guide.md, EVENT table and "Settled questions" (metric distances
not in the table follow its pattern: "2000m"; other road distances are "<N>km road").
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

# Codes that follow the table's pattern without being listed in it.
PATTERNED = re.compile(r"^(?:\d{2,5}m(?: hurdles| steeplechase)?|\d{1,3}km road|\d{1,3}km race walk|"
                       r"4x\d{3}m relay)$")


@lru_cache(maxsize=1)
def event_codes() -> frozenset[str]:
    """Every code the event patterns (nlp/patterns/events.jsonl) can give."""
    text = resources.files("trackwire.nlp").joinpath("patterns", "events.jsonl").read_text(encoding="utf-8")
    codes = set()
    for line in text.splitlines():
        if line.strip():
            code = json.loads(line)["id"]
            codes.add(code.removeprefix("bare:"))
    codes.discard("sprint hurdles")  # resolved to 100m or 110m hurdles by the story's sex
    return frozenset(codes)


def is_event_code(code: str) -> bool:
    """True for a code the tagger gives ("1500m", "shot put") or one of the guide's patterns ("2000m")."""
    return code in event_codes() or bool(PATTERNED.match(code))
