"""Write nlp/patterns/events.jsonl: spaCy span_ruler token patterns, one per line, id = event code.

The written forms come from ../shared/tagging-guide.md's EVENT table and its settled questions
(metric distances not in the table follow its pattern; imperial ones other than the mile have no
code). Ids starting "bare:" are numbers without a unit ("the 1500"), "km:N" distances in
kilometres, "road:N" metric distances on the road: the athletics_events component decides what
they name from the words around them. Run after changing the forms below:

    python tools/build_event_patterns.py
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "nlp" / "patterns" / "events.jsonl"
UNITS = ["m", "m.", "metres", "meters", "metre", "meter", "-metre", "-meter"]
FLAT = {60: ["60"], 100: ["100"], 150: ["150"], 200: ["200"], 300: ["300"], 400: ["400"], 600: ["600"],
        800: ["800"], 1000: ["1,000", "1000"], 1500: ["1,500", "1500"], 2000: ["2,000", "2000"],
        3000: ["3,000", "3000"], 5000: ["5,000", "5000"], 10000: ["10,000", "10000"],
        1600: ["1,600", "1600"], 3200: ["3,200", "3200"]}  # 1600m and 3200m: US high-school races
BARE = {60, 100, 200, 300, 400, 600, 800, 1000, 1500, 1600, 3000, 3200, 5000, 10000}
HURDLES = {60: "60m hurdles", 100: "100m hurdles", 110: "110m hurdles", 300: "300m hurdles", 400: "400m hurdles"}
HURDLE_WORDS = ["hurdles", "hurdle", "hurdler", "hurdlers"]
STEEPLE_WORDS = ["steeplechase", "steeple", "steeplechaser", "steeplechasers"]
THROW_WORDS = ["throw", "thrower", "throwers", "throwing"]
JUMP_WORDS = ["jump", "jumper", "jumpers", "jumping", "jumped"]
KM = [3, 5, 8, 10, 12, 15, 20, 21, 25, 30, 35, 42, 50, 100]
KM_WORDS = ["km", "k", "kilometres", "kilometre", "kilometers", "kilometer", "-km", "-kilometre"]


def number(forms: list[str]) -> list[dict]:
    return [{"LOWER": {"IN": forms}}]


def metric(forms: list[str]) -> list[list[dict]]:
    """"1500m", "1,500 metres", "1500-metre", and the single tokens "1500m" the tokenizer leaves."""
    return [number(forms) + [{"ORTH": "-", "OP": "?"}, {"LOWER": {"IN": UNITS}}],
            [{"LOWER": {"IN": [f + "m" for f in forms]}}]]


def rows() -> list[tuple[str, list[dict]]]:
    out: list[tuple[str, list[dict]]] = []
    for distance, forms in FLAT.items():
        code = f"{distance}m"
        out += [(code, p) for p in metric(forms)]
        out.append((f"road:{distance}", metric(forms)[0] + [{"LOWER": "on"}, {"LOWER": "the"}, {"LOWER": "road"}]))
        if distance in BARE:  # the number alone; nlp/events.py wants "the"/"a" before it or a plural
            out.append((f"bare:{code}", number(forms + [f + "s" for f in forms])))
    for distance, code in HURDLES.items():
        out += [(code, p + [{"LOWER": {"IN": HURDLE_WORDS}}]) for p in metric([str(distance)])]
    out.append(("sprint hurdles", [{"LOWER": "sprint"}, {"LOWER": {"IN": ["hurdles", "hurdler", "hurdlers"]}}]))
    for distance, forms in ((2000, ["2,000", "2000"]), (3000, ["3,000", "3000"])):
        out += [(f"{distance}m steeplechase", p + [{"LOWER": {"IN": STEEPLE_WORDS}}]) for p in metric(forms)]
    out.append(("3000m steeplechase", [{"LOWER": {"IN": STEEPLE_WORDS}}]))
    for leg in ("100", "400"):
        code = f"4x{leg}m relay"
        tail = [{"LOWER": {"IN": ["m", "metres"]}, "OP": "?"}, {"LOWER": "mixed", "OP": "?"},
                {"LOWER": "relay", "OP": "?"}]
        out.append((code, [{"LOWER": {"IN": [f"4x{leg}", f"4x{leg}m", f"4×{leg}", f"4×{leg}m"]}}] + tail))
        out.append((code, [{"ORTH": "4"}, {"LOWER": {"IN": ["x", "×"]}}, {"LOWER": {"IN": [leg, f"{leg}m"]}}] + tail))
    out.append(("4x100m relay", [{"LOWER": "sprint"}, {"LOWER": "relay"}]))
    for km in KM:
        out.append((f"km:{km}", [{"ORTH": str(km)}, {"LOWER": {"IN": KM_WORDS}}]))
        out.append((f"km:{km}", [{"LOWER": {"IN": [f"{km}km", f"{km}k", f"{km}-km"]}}]))
    out.append(("km:10", [{"LOWER": "10k"}]))
    out.append(("half marathon", [{"LOWER": "half"}, {"ORTH": "-", "OP": "?"},
                                  {"LOWER": {"IN": ["marathon", "marathons", "marathoner", "marathoners"]}}]))
    out.append(("marathon", [{"LOWER": {"IN": ["marathon", "marathons", "marathoner", "marathoners"]}}]))
    out.append(("mile", [{"LOWER": {"IN": ["mile", "miler", "milers"]}}]))
    out.append(("cross country", [{"LOWER": "cross"}, {"ORTH": "-", "OP": "?"},
                                  {"LOWER": {"IN": ["country", "countries"]}}]))
    out.append(("cross country", [{"LOWER": {"IN": ["xc", "cross-country"]}}]))
    for code, first in (("high jump", "high"), ("long jump", "long"), ("triple jump", "triple")):
        out.append((code, [{"LOWER": first}, {"ORTH": "-", "OP": "?"}, {"LOWER": {"IN": JUMP_WORDS}}]))
        out.append((code, [{"LOWER": {"IN": [f"{first}-jump", f"{first}-jumper", f"{first}jump", f"{first}-jumped"]}}]))
    out.append(("pole vault", [{"LOWER": "pole"}, {"ORTH": "-", "OP": "?"},
                               {"LOWER": {"IN": ["vault", "vaulter", "vaulters", "vaulting"]}}]))
    out.append(("shot put", [{"LOWER": "shot"}, {"ORTH": "-", "OP": "?"},
                             {"LOWER": {"IN": ["put", "putter", "putters", "putting", "throw", "thrower"]}}]))
    out.append(("shot put", [{"LOWER": {"IN": ["men", "women"]}}, {"ORTH": {"IN": ["'s", "’s"]}}, {"LOWER": "shot"}]))
    # "in the shot", "won the shot", "Shot:": the shot put only in a story about throwing (nlp/events.py)
    out.append(("shot:bare", [{"LOWER": {"IN": ["the", "shot"]}}, {"LOWER": {"IN": ["shot", ":"]}}]))
    for code, word in (("discus throw", "discus"), ("hammer throw", "hammer"), ("javelin throw", "javelin")):
        out.append((code, [{"LOWER": word}, {"LOWER": {"IN": THROW_WORDS}, "OP": "?"}]))
    for code in ("heptathlon", "decathlon", "pentathlon"):
        stem = code[:-2]
        out.append((code, [{"LOWER": {"IN": [code, f"{stem}ete", f"{stem}etes"]}}]))
    return out


def main() -> None:
    lines = [json.dumps({"label": "EVENT", "id": code, "pattern": pattern}, ensure_ascii=True)
             for code, pattern in rows()]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} patterns to {OUT}")


if __name__ == "__main__":
    main()
