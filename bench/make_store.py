"""Generate a store of synthetic tagged stories for the store benchmark.

    .venv/bin/python bench/make_store.py --stories 100000 --db /tmp/bench.db

Names come from the athlete registry with a Zipf-like frequency (a few
athletes in many stories, most in few), stories are 250-700 words with
mentions, events, marks, quotes and performances at realistic rates, and
dates spread over ten years. Rows go in with bulk inserts; the FTS index is
filled by the same triggers as in production.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from sqlalchemy import insert  # noqa: E402

from trackwire.nlp.registry import load_registry  # noqa: E402
from trackwire.nlp.text import fold  # noqa: E402
from trackwire.store.db import init_db, make_engine, write_session  # noqa: E402
from trackwire.store.models import Athlete, Mark, Mention, Performance, Quote, Story  # noqa: E402

EVENTS = ["100m", "200m", "400m", "800m", "1500m", "5000m", "10000m", "marathon", "110m hurdles", "long jump",
          "high jump", "pole vault", "triple jump", "javelin throw", "heptathlon", "3000m steeplechase"]
FALLBACK = ("the crowd rose as the field came off the final bend and the pace lifted again while the "
            "rain held off for most of the evening meeting and the officials checked the wind gauge").split()


def vocabulary() -> tuple[list[str], list[int]]:
    """Words and their cumulative frequencies in the real corpus (read here, never copied into the repo).

    Sampling words by frequency gives stories a real news vocabulary: common words
    in every story, most words in few, which is what full-text search cost depends on.
    """
    import re
    from collections import Counter

    corpus = ROOT.parent / "shared" / "corpus" / "bbcsport-athletics"
    texts = [p.read_text(encoding="utf-8") for p in corpus.glob("*.txt")] if corpus.is_dir() else []
    counts = Counter(w.lower() for t in texts for w in re.findall(r"[A-Za-z][a-z'-]+", t)) or Counter(FALLBACK)
    words = sorted(counts)
    cum, total = [], 0
    for w in words:
        total += counts[w]
        cum.append(total)
    return words, cum
SOURCES = ["bbc_sport_athletics", "athletics_weekly", "letsrun", "world_athletics"]


def zipf_weights(n: int, s: float = 0.8) -> list[float]:
    """Cumulative weights of a Zipf law over n ranks: rank r is drawn with probability ~ 1/r^s."""
    total, cum = 0.0, []
    for rank in range(1, n + 1):
        total += 1 / rank ** s
        cum.append(total)
    return cum


VOCAB: tuple[list[str], list[int]] = ([], [])


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(VOCAB[0], cum_weights=VOCAB[1], k=words)).capitalize() + "."


def story(rng: random.Random, i: int, athletes: list, cum: list[float]) -> tuple[dict, list, list, list, list, list]:
    names = list(dict.fromkeys(rng.choices(athletes, cum_weights=cum, k=rng.randint(1, 5))))
    event = rng.choice(EVENTS)
    title = f"{names[0].name.split()[-1]} wins {event} in a season's best"
    parts, mentions, marks, quotes, perfs = [title, ""], [], [], [], []
    offset = len(title) + 2
    for _ in range(rng.randint(6, 14)):
        a = rng.choice(names)
        mark = f"{rng.uniform(9.5, 300):.2f}"
        lead = f"{a.name} ran the {event} in {mark} seconds."
        text = lead + " " + " ".join(sentence(rng, rng.randint(8, 18)) for _ in range(rng.randint(2, 4)))
        mentions.append(("ATHLETE", a, offset, offset + len(a.name)))
        ev_at = offset + lead.index(event)
        mentions.append(("EVENT", event, ev_at, ev_at + len(event)))
        m_at = offset + lead.index(mark)
        marks.append((m_at, m_at + len(mark) + 8, f"{mark} seconds", float(mark)))
        perfs.append((a, event, f"{mark} seconds", float(mark)))
        if rng.random() < 0.4:
            q = " ".join(rng.choices(VOCAB[0], cum_weights=VOCAB[1], k=rng.randint(8, 20)))
            quote = f' "{q.capitalize()}," said {a.name.split()[-1]}.'
            q_at = offset + len(text) + 2
            quotes.append((q_at, q_at + len(q) + 1, q.capitalize() + ",", a))
            text += quote
        parts.append(text)
        parts.append("")
        offset += len(text) + 2
    body = "\n".join(parts).rstrip() + "\n"
    published = datetime(2016, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=rng.randint(0, 10 * 525_600))
    row = {"key": f"https://bench.test/{i}", "url": f"https://bench.test/{i}", "source": rng.choice(SOURCES),
           "title": title, "text": body, "published_at": published, "fetched_at": published,
           "content_hash": f"h{i}", "tagged_at": published, "tagger_version": "bench"}
    return row, mentions, marks, quotes, perfs, names


def build(db: str, n: int, seed: int = 7, batch: int = 1000) -> None:
    rng = random.Random(seed)
    VOCAB[0][:], VOCAB[1][:] = vocabulary()
    registry = load_registry()
    pool = sorted(registry.by_fold.values(), key=lambda e: fold(e.name))
    rng.shuffle(pool)
    athletes = pool[:20000]
    cum = zipf_weights(len(athletes))
    engine = make_engine(db)
    init_db(engine)
    ids: dict[str, int] = {}
    start = time.perf_counter()
    for lo in range(0, n, batch):
        made = [story(rng, i, athletes, cum) for i in range(lo, min(n, lo + batch))]
        with write_session(engine) as session:
            new = {a.name: a for *_, names in made for a in names if a.name not in ids}
            if new:
                session.execute(insert(Athlete), [{"name": a.name, "fold": fold(a.name), "country": a.country,
                                                   "sex": a.sex, "birth_year": a.birth_year,
                                                   "events": ",".join(a.events)} for a in new.values()])
                for row in session.execute(Athlete.__table__.select().where(
                        Athlete.__table__.c.name.in_(list(new)))):
                    ids[row.name] = row.id
            first = session.execute(insert(Story).returning(Story.id), [m[0] for m in made]).scalars().all()
            mention_rows, mark_rows, quote_rows, perf_rows = [], [], [], []
            for sid, (_, mentions, marks, quotes, perfs, _) in zip(first, made, strict=True):
                for label, what, s, e in mentions:
                    name = what.name if label == "ATHLETE" else what
                    mention_rows.append({"story_id": sid, "start": s, "end": e, "label": label, "text": name,
                                         "name": name, "athlete_id": ids.get(name) if label == "ATHLETE" else None})
                mark_rows += [{"story_id": sid, "start": s, "end": e, "text": t, "value": v, "unit": "s",
                               "flags": []} for s, e, t, v in marks]
                quote_rows += [{"story_id": sid, "start": s, "end": e, "text": t, "speaker": a.name,
                                "athlete_id": ids[a.name]} for s, e, t, a in quotes]
                perf_rows += [{"story_id": sid, "athlete": a.name, "athlete_id": ids[a.name], "event": ev, "mark": t,
                               "value": v, "unit": "s"} for a, ev, t, v in perfs]
            for model, rows in ((Mention, mention_rows), (Mark, mark_rows), (Quote, quote_rows),
                                (Performance, perf_rows)):
                if rows:
                    session.execute(insert(model), rows)
        done = min(n, lo + batch)
        if done % 10000 == 0 or done == n:
            print(f"{done:,} stories ({done / (time.perf_counter() - start):,.0f}/s)", flush=True)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--db", default="/tmp/trackwire-bench.db")
    args = parser.parse_args()
    Path(args.db).unlink(missing_ok=True)
    build(args.db, args.stories)


if __name__ == "__main__":
    main()
