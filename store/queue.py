"""The tagging queue: stories still to tag, claimed in batches by workers on any machine.

A claim is two columns on the story: `claimed_by` (a worker id) and
`claimed_until`. Claiming takes the next untagged stories whose claim is
empty or expired:
- PostgreSQL: `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)`, so
  concurrent workers never wait for or take each other's rows;
- SQLite: the same statement in a BEGIN IMMEDIATE transaction (store.db),
  which serialises claims.

A worker writes each story's tags in one short transaction that first locks
the row and checks the claim is still its own and the text unchanged. A
worker killed mid-batch loses nothing: its claims expire and another worker
takes the stories; on the same host, the next worker sees that the claimant's
process is gone and releases its claims at once (`release_gone`). A story the
tagger cannot tag (too long, or the tagger raises on it) is given up with its
reason (`set_aside`) and skipped until the tagger version moves. A slow worker whose claim expired and was taken writes
nothing, so no story is tagged twice at once. Each write extends the
worker's remaining claims; that is its heartbeat.

Times are the workers' clocks (UTC): machines sharing a queue need NTP, and
the claim lifetime (minutes by default) absorbs ordinary drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import Engine, and_, func, or_, select, update
from sqlmodel import col

from trackwire.store.db import read_session, write_session
from trackwire.store.processes import gone, worker_process
from trackwire.store.models import Story, utcnow
from trackwire.store.stories import save_tags, to_tag

CLAIM_SECONDS = 300


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    text: str
    content_hash: str


def _free(now):
    return or_(col(Story.claimed_until).is_(None), col(Story.claimed_until) < now)


def claim(engine: Engine, worker: str, *, size: int, retag: bool, version: str,
          seconds: int = CLAIM_SECONDS) -> list[Claimed]:
    """Claim up to `size` stories to tag, lowest id first; [] when none is free."""
    now = utcnow()
    free = to_tag(select(Story.id), retag=retag, version=version).where(_free(now))
    ids = free.order_by(Story.id).limit(size).with_for_update(skip_locked=True).scalar_subquery()
    stmt = (update(Story).where(col(Story.id).in_(ids))
            .values(claimed_by=worker, claimed_until=now + timedelta(seconds=seconds))
            .returning(Story.id, Story.text, Story.content_hash))
    with write_session(engine) as session:
        rows = session.connection().execute(stmt).all()
    return [Claimed(*row) for row in sorted(rows)]


def save_claimed(engine: Engine, worker: str, story: Claimed, tags: dict, version: str, *,
                 seconds: int = CLAIM_SECONDS) -> bool:
    """Write a claimed story's tags if the claim is still ours and the text unchanged; False if not
    (the story changed, was deleted, or went to another worker after our claim expired)."""
    with write_session(engine) as session:
        row = session.connection().execute(
            select(Story.claimed_by, Story.content_hash).where(Story.id == story.id).with_for_update()).first()
        if row is None or row.claimed_by != worker or row.content_hash != story.content_hash:
            return False
        save_tags(session, story.id, tags, version)
        session.flush()
        conn = session.connection()
        conn.execute(update(Story).where(Story.id == story.id)
                     .values(claimed_by=None, claimed_until=None, tagged_by=worker))
        conn.execute(update(Story).where(Story.claimed_by == worker)
                     .values(claimed_until=utcnow() + timedelta(seconds=seconds)))
    return True


def set_aside(engine: Engine, worker: str, story: Claimed, reason: str, version: str) -> bool:
    """Record that tagger `version` cannot tag a claimed story, and why ("code: detail"); the story is
    skipped until the version moves. Tags it already had stay. False if the claim is no longer ours."""
    with write_session(engine) as session:
        conn = session.connection()
        row = conn.execute(select(Story.claimed_by, Story.content_hash).where(Story.id == story.id)
                           .with_for_update()).first()
        if row is None or row.claimed_by != worker or row.content_hash != story.content_hash:
            return False
        conn.execute(update(Story).where(Story.id == story.id).values(
            tag_error=reason[:500], tagger_version=version, claimed_by=None, claimed_until=None, tagged_by=worker))
    return True


def release(engine: Engine, worker: str) -> int:
    """Give back a worker's unfinished claims (on a clean stop), so others need not wait for expiry."""
    with write_session(engine) as session:
        result = session.connection().execute(
            update(Story).where(Story.claimed_by == worker).values(claimed_by=None, claimed_until=None))
    return result.rowcount


def release_gone(engine: Engine) -> list[str]:
    """Release at once the live claims of workers of this host whose process is gone (killed, or
    stopped by a full disk before it could release them); returns those workers."""
    with read_session(engine) as session:
        holders = session.execute(select(Story.claimed_by).where(_live(utcnow())).distinct()).scalars().all()
    dead = [w for w in holders if (where := worker_process(w)) and gone(*where)]
    for worker in dead:
        release(engine, worker)
    return dead


@dataclass(frozen=True, slots=True)
class Holder:
    worker: str
    stories: int
    until: datetime  # when its claims expire (UTC), unless it writes again


@dataclass(frozen=True, slots=True)
class QueueState:
    pending: int  # still to tag, claimed or not
    claimed: int  # of those, held by a live claim
    next_expiry_seconds: float | None  # when the first live claim runs out
    holders: tuple[Holder, ...] = ()  # who holds those claims


def _live(now):
    return and_(col(Story.claimed_until).is_not(None), col(Story.claimed_until) >= now)


def state(engine: Engine, *, retag: bool, version: str) -> QueueState:
    """How many stories are left to tag, and whose live claims hold how many of them until when."""
    now = utcnow()
    with read_session(engine) as session:
        pending = session.execute(to_tag(select(func.count()).select_from(Story), retag=retag,
                                         version=version)).scalar_one()
        rows = session.execute(to_tag(select(Story.claimed_by, func.count(), func.min(Story.claimed_until),
                                             func.max(Story.claimed_until))
                                      .where(_live(now)).group_by(Story.claimed_by), retag=retag,
                                      version=version)).all()
    holders = tuple(Holder(worker, n, _aware(last)) for worker, n, _, last in rows)
    first = min((_aware(early) for _, _, early, _ in rows), default=None)
    expiry = (first - now).total_seconds() if first is not None else None
    return QueueState(pending, sum(h.stories for h in holders), expiry, holders)


def _aware(value) -> datetime:
    if isinstance(value, str):  # SQLite hands an aggregate back as text, without the column type
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
