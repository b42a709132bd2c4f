"""Near-duplicate stories: SimHash fingerprints and clusters.

A 64-bit SimHash over the body's word 3-gram shingles (not the headline:
syndicated copies are often retitled); two stories are near-duplicates when
their fingerprints differ in at most 6 bits (a changed headline, a dropped
paragraph, an added credit line; unrelated stories differ in about 32). The
fingerprint is stored as eight 8-bit bands: stories within 7 bits share at
least one band exactly (pigeonhole), so candidates come from an index look-up,
never a scan.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

from sqlalchemy import bindparam, text
from sqlmodel import Session, select

from trackwire.store.models import Story

BITS = 64
MAX_DISTANCE = 6
BANDS = 8


def body_of(text: str) -> str:
    head, sep, body = text.partition("\n\n")
    return body if sep and body.strip() else text


def simhash(text: str, n: int = 3) -> int:
    """64-bit SimHash of the body's word n-gram shingles (blake2b-64 per shingle, one vote per bit)."""
    words = re.findall(r"\w+", body_of(text).lower())
    shingles = [" ".join(words[i:i + n]) for i in range(max(1, len(words) - n + 1))]
    digests = b"".join(hashlib.blake2b(s.encode(), digest_size=8).digest() for s in shingles)
    # Each digest is a big-endian 64-bit number: unpacked MSB first, column j holds bit 63 - j.
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8).reshape(len(shingles), 8), axis=1)
    ones = bits.sum(axis=0, dtype=np.int64)
    return sum(1 << (BITS - 1 - j) for j in np.flatnonzero(2 * ones > len(shingles)).tolist())


def bands(fingerprint: int) -> list[int]:
    width = BITS // BANDS
    return [fingerprint >> (width * i) & ((1 << width) - 1) for i in range(BANDS)]


def distance(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def to_signed(value: int) -> int:
    """SQLite integers are signed 64-bit."""
    return value - (1 << 64) if value >= 1 << 63 else value


# Built once: composing these as SQLAlchemy expressions per story cost more than running them.
_DELETE_BANDS = text("DELETE FROM storyband WHERE story_id = :sid")
_CANDIDATES = text("SELECT story_id FROM storyband WHERE story_id != :sid AND ("
                   + " OR ".join(f"(band = {i} AND value = :v{i})" for i in range(BANDS)) + ")")
_INSERT_BAND = text("INSERT INTO storyband (story_id, band, value) VALUES (:sid, :band, :value)")


def assign_cluster(session: Session, story: Story) -> int:
    """Fingerprint the story, index it, and put it in the cluster of its nearest earlier near-duplicate."""
    fingerprint = simhash(story.text)
    story.simhash = to_signed(fingerprint)
    values = bands(fingerprint)
    session.flush()  # the story row exists (and has its id) before its bands; plain SQL from here
    params = {"sid": story.id, **{f"v{i}": v for i, v in enumerate(values)}}
    session.execute(_DELETE_BANDS, params)
    candidates = set(session.execute(_CANDIDATES, params).scalars())
    session.execute(_INSERT_BAND, [{"sid": story.id, "band": i, "value": v} for i, v in enumerate(values)])
    best = None
    for other in session.exec(select(Story.id, Story.simhash, Story.cluster_id).where(Story.id.in_(candidates))):
        d = distance(fingerprint, other.simhash % (1 << 64))
        if d <= MAX_DISTANCE and (best is None or (d, other.id) < best[:2]):
            best = (d, other.id, other.cluster_id or other.id)
    story.cluster_id = best[2] if best else story.id
    session.add(story)
    return story.cluster_id


def fingerprint_missing(conn) -> int:
    """Fingerprint stories stored before fingerprints existed (trackwire 0.1 stores), then cluster every
    story again in the order stored, as if each had been fingerprinted when it was stored.

    For migrations: plain SQL on an open connection. Returns how many stories lacked a fingerprint;
    0 means nothing was read beyond one query.
    """
    ids = list(conn.execute(text("SELECT id FROM story WHERE simhash IS NULL ORDER BY id")).scalars())
    for i in range(0, len(ids), 500):
        rows = conn.execute(text("SELECT id, text FROM story WHERE id IN :ids")
                            .bindparams(bindparam("ids", expanding=True)), {"ids": ids[i:i + 500]}).all()
        for story_id, body in rows:
            fingerprint = simhash(body)
            conn.execute(_DELETE_BANDS, {"sid": story_id})
            conn.execute(_INSERT_BAND, [{"sid": story_id, "band": b, "value": v}
                                        for b, v in enumerate(bands(fingerprint))])
            conn.execute(text("UPDATE story SET simhash = :h WHERE id = :sid"),
                         {"h": to_signed(fingerprint), "sid": story_id})
    if ids:
        _recluster(conn)
    return len(ids)


def _recluster(conn) -> None:
    """Each story joins the cluster of its nearest earlier near-duplicate, in id order (in memory)."""
    index: dict[tuple[int, int], list[int]] = {}
    prints: dict[int, int] = {}
    cluster: dict[int, int] = {}
    changed = []
    for story_id, signed, old in conn.execute(text("SELECT id, simhash, cluster_id FROM story ORDER BY id")):
        fingerprint = signed % (1 << 64)
        keys = list(enumerate(bands(fingerprint)))
        near = [(d, c) for c in {c for k in keys for c in index.get(k, ())}
                if (d := distance(fingerprint, prints[c])) <= MAX_DISTANCE]
        cluster[story_id] = cluster[min(near)[1]] if near else story_id
        if cluster[story_id] != old:
            changed.append({"c": cluster[story_id], "sid": story_id})
        prints[story_id] = fingerprint
        for k in keys:
            index.setdefault(k, []).append(story_id)
    if changed:
        conn.execute(text("UPDATE story SET cluster_id = :c WHERE id = :sid"), changed)
