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

from sqlmodel import Session, select

from store.models import Story, StoryBand

BITS = 64
MAX_DISTANCE = 6
BANDS = 8


def body_of(text: str) -> str:
    head, sep, body = text.partition("\n\n")
    return body if sep and body.strip() else text


def simhash(text: str, n: int = 3) -> int:
    words = re.findall(r"\w+", body_of(text).lower())
    shingles = [" ".join(words[i:i + n]) for i in range(max(1, len(words) - n + 1))]
    weights = [0] * BITS
    for shingle in shingles:
        h = int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big")
        for bit in range(BITS):
            weights[bit] += 1 if h >> bit & 1 else -1
    return sum(1 << bit for bit in range(BITS) if weights[bit] > 0)


def bands(fingerprint: int) -> list[int]:
    width = BITS // BANDS
    return [fingerprint >> (width * i) & ((1 << width) - 1) for i in range(BANDS)]


def distance(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def to_signed(value: int) -> int:
    """SQLite integers are signed 64-bit."""
    return value - (1 << 64) if value >= 1 << 63 else value


def assign_cluster(session: Session, story: Story) -> int:
    """Fingerprint the story, index it, and put it in the cluster of its nearest earlier near-duplicate."""
    fingerprint = simhash(story.text)
    story.simhash = to_signed(fingerprint)
    for old in session.exec(select(StoryBand).where(StoryBand.story_id == story.id)):
        session.delete(old)
    candidates = set()
    for i, value in enumerate(bands(fingerprint)):
        candidates.update(session.exec(select(StoryBand.story_id).where(
            StoryBand.band == i, StoryBand.value == value, StoryBand.story_id != story.id)))
        session.add(StoryBand(story_id=story.id, band=i, value=value))
    best = None
    for other in session.exec(select(Story.id, Story.simhash, Story.cluster_id).where(Story.id.in_(candidates))):
        d = distance(fingerprint, other.simhash % (1 << 64))
        if d <= MAX_DISTANCE and (best is None or (d, other.id) < best[:2]):
            best = (d, other.id, other.cluster_id or other.id)
    story.cluster_id = best[2] if best else story.id
    session.add(story)
    return story.cluster_id
