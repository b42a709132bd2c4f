"""Tag stored stories: the bridge between the store's tagging queue (store.queue) and spaCy.

Every way of tagging goes through `work`: `trackwire tag` runs it in this
process, or in N processes with `--workers N`; `trackwire worker` runs it
on any machine that reaches the database, for as long as it is left running.

Faults end here as follows:
- a story the tagger cannot take (longer than MAX_STORY_CHARS or spaCy's
  max_length, or one on which the pipeline raises) is set aside with its
  reason (`story.tag_error`) and the rest of its batch is tagged;
- claims of a worker of this host whose process is gone are released at once;
  the claims of live (or remote) workers are waited for, and `on_wait` says whose;
- Ctrl-C or SIGTERM (trackwire.stopping) releases this worker's claims on the way out;
- the processes of `tag --workers N` die with their parent (PR_SET_PDEATHSIG,
  SIGHUP) and are stopped with SIGTERM when it is.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import Engine

from trackwire import stopping
from trackwire.nlp.pipeline import TAGGER_VERSION, doc_tags
from trackwire.store.processes import worker_process
from trackwire.store.queue import (CLAIM_SECONDS, Claimed, QueueState, claim, release, release_gone, save_claimed,
                                   set_aside, state)
from trackwire.store.stories import too_long


def worker_id() -> str:
    """host:pid:random, unique per worker run, readable in the `claimed_by`/`tagged_by` columns."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def imported_athletes(engine: Engine) -> list:
    """The athletes users imported into this store (store.registry rows)."""
    from trackwire.store.db import read_session
    from trackwire.store.registry import athletes

    with read_session(engine) as session:
        return athletes(session)


def tagger_version(engine: Engine, model: str | None = None) -> str:
    """The version a tagger of `model` writes into this store: the tagger's (nlp/version.py), then
    "+r" and a digest of the imported athletes when there are any (trackwire.registry)."""
    from trackwire.nlp.version import tagger_version as base
    from trackwire.registry import version

    return version(base(model), imported_athletes(engine))


def with_imported(engine: Engine, nlp, version: str) -> str:
    """Give `nlp` the store's imported athletes; returns `version` with their digest (any registry
    part it had is replaced: the athletes this worker actually uses decide it)."""
    from trackwire.registry import use_imported
    from trackwire.registry import version as registry_version

    rows = imported_athletes(engine)
    use_imported(nlp, rows)
    return registry_version(version.split("+r")[0], rows)


def pending(engine: Engine, *, retag: bool, version: str = TAGGER_VERSION) -> int:
    return state(engine, retag=retag, version=version).pending


@dataclass
class WorkReport:
    worker: str
    tagged: int = 0
    given_up: int = 0  # claims lost to another worker after expiring, or stories changed meanwhile
    untaggable: dict[str, int] = field(default_factory=dict)  # set aside, by reason


@dataclass(frozen=True)
class Untaggable:
    reason: str  # "code: detail", as stored in story.tag_error


def work(engine: Engine, nlp, *, worker: str | None = None, version: str = TAGGER_VERSION, retag: bool = False,
         batch_size: int = 32, claim_seconds: int = CLAIM_SECONDS, until_empty: bool = True, poll: float = 10.0,
         on_done: Callable[[WorkReport], None] | None = None,
         on_wait: Callable[[QueueState], None] | None = None) -> WorkReport:
    """Claim batches, tag them with nlp.pipe, write each story in its own short transaction.

    With `until_empty`, return once nothing is left to tag, waiting for other
    workers' claims to finish or expire (`on_wait` hears whose, each time it
    waits). Without it, poll every `poll` seconds for new stories, until
    interrupted. Unfinished claims are released on the way out, also on
    Ctrl-C or SIGTERM.
    """
    report = WorkReport(worker or worker_id())
    version = with_imported(engine, nlp, version)
    try:
        while True:
            stopping.check()
            batch = claim(engine, report.worker, size=batch_size, retag=retag, version=version,
                          seconds=claim_seconds)
            if batch:
                _tag_batch(engine, nlp, batch, report, version, claim_seconds, on_done)
                continue
            if release_gone(engine):
                continue
            queue = state(engine, retag=retag, version=version)
            if until_empty and queue.pending == 0:
                return report
            if on_wait and queue.holders:
                on_wait(queue)
            time.sleep(_pause(queue, until_empty, poll))
    finally:
        try:
            release(engine, report.worker)
        except Exception:  # noqa: BLE001  (the database is gone; the claims will expire instead)
            pass


def _pause(queue: QueueState, until_empty: bool, poll: float) -> float:
    if queue.pending and not queue.claimed:
        return 0.2  # rows locked by a claim in flight: look again at once
    wait = poll if queue.next_expiry_seconds is None else min(poll, queue.next_expiry_seconds)
    return max(0.2, min(wait, 1.0) if until_empty else wait)


def _tag_batch(engine: Engine, nlp, batch: list[Claimed], report: WorkReport, version: str, seconds: int,
               on_done: Callable[[WorkReport], None] | None) -> None:
    for story, result in tag_stories(nlp, batch):
        stopping.check()
        if isinstance(result, Untaggable):
            kept = set_aside(engine, report.worker, story, result.reason, version)
            if kept:
                code = result.reason.split(":", 1)[0]
                report.untaggable[code] = report.untaggable.get(code, 0) + 1
        else:
            kept = save_claimed(engine, report.worker, story, result, version, seconds=seconds)
            report.tagged += kept
        report.given_up += not kept
        if on_done:
            on_done(report)


def tag_stories(nlp, stories: list[Claimed]) -> Iterator[tuple[Claimed, dict | Untaggable]]:
    """Each story with its tags, or with why it cannot be tagged; in order, a batch at a time.

    A story over the length limit is never given to spaCy. If the pipeline raises, the stories of
    the batch not yet tagged are tagged one at a time, so only the one it cannot take is set aside.
    """
    limit = nlp.max_length
    fit = []
    for story in stories:
        why = too_long(story.text) or (f"too_long: {len(story.text):,} characters; the spaCy model takes at "
                                       f"most {limit:,}" if len(story.text) > limit else None)
        if why:
            yield story, Untaggable(why)
        else:
            fit.append(story)
    done = 0
    try:
        for doc, story in nlp.pipe(((s.text, s) for s in fit), as_tuples=True, batch_size=max(1, len(fit))):
            tags = doc_tags(doc)
            done += 1
            yield story, tags
    except Exception:  # noqa: BLE001  (one story broke the batch: find it)
        yield from ((story, _tag_one(nlp, story.text)) for story in fit[done:])


def _tag_one(nlp, text: str) -> dict | Untaggable:
    try:
        return doc_tags(nlp(text))
    except Exception as exc:  # noqa: BLE001  (the story is set aside with the reason; the rest go on)
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return Untaggable(f"tagger_error: {type(exc).__name__}: {detail}"[:500])


def _process_main(db: str, model: str | None, version: str, retag: bool, batch_size: int,
                  claim_seconds: int) -> None:
    """One tagging process of `trackwire tag --workers N` (spawned: its own engine and model)."""
    import multiprocessing

    from trackwire.nlp.pipeline import load_pipeline
    from trackwire.store.db import make_engine

    stopping.raise_on_signals(once=True)  # Ctrl-C reaches it and its parent, which also sends SIGTERM
    stopping.die_with_parent(multiprocessing.parent_process().pid)
    engine = make_engine(db)
    try:
        work(engine, load_pipeline(model), version=version, retag=retag, batch_size=batch_size,
             claim_seconds=claim_seconds)
    except KeyboardInterrupt as exc:
        raise SystemExit(stopping.exit_code(exc)) from None
    except Exception as exc:  # noqa: BLE001  (one line for the parent's user, as the CLI does)
        from trackwire.errors import explain

        print(f"tagging process {os.getpid()}: {explain(exc) or repr(exc)}", file=sys.stderr)
        raise SystemExit(1) from None
    finally:
        engine.dispose()


def tag_in_processes(engine: Engine, db: str, model: str | None, *, workers: int, retag: bool, batch_size: int,
                     version: str = TAGGER_VERSION, claim_seconds: int = CLAIM_SECONDS,
                     on_progress: Callable[[int], None] | None = None,
                     on_wait: Callable[[QueueState], None] | None = None) -> int:
    """Run `workers` tagging processes over the queue until it is empty; returns stories tagged
    (not counting those set aside).

    Ctrl-C or SIGTERM here stops the processes with SIGTERM (each releases its claims) before it
    propagates; if this process is killed outright, they get SIGHUP from the kernel.
    """
    import multiprocessing

    start, aside = pending(engine, retag=retag, version=version), _set_aside(engine, version)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_process_main, args=(db, model, version, retag, batch_size, claim_seconds))
             for _ in range(workers)]
    for proc in procs:
        proc.start()
    try:
        _watch(engine, procs, start, retag, version, on_progress, on_wait)
    except KeyboardInterrupt:
        for proc in procs:
            if proc.is_alive():
                os.kill(proc.pid, signal.SIGTERM)
        raise
    finally:
        for proc in procs:
            proc.join()
    failed = [p.exitcode for p in procs if p.exitcode]
    stopped = [code for code in failed if code - 128 in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)]
    if stopped:  # Ctrl-C reached them (the whole terminal group), or someone stopped them
        raise stopping.Stopped(stopped[0] - 128)
    if failed:
        raise RuntimeError(f"{len(failed)} of {workers} tagging processes failed (exit codes {failed}); "
                           "run again with --debug --workers 1 to see why")
    return start - pending(engine, retag=retag, version=version) - (_set_aside(engine, version) - aside)


def _set_aside(engine: Engine, version: str) -> int:
    from trackwire.store.db import read_session
    from trackwire.store.runs import untaggable

    with read_session(engine) as session:
        return sum(untaggable(session, version=version).values())


def _watch(engine: Engine, procs: list, start: int, retag: bool, version: str,
           on_progress: Callable[[int], None] | None, on_wait: Callable[[QueueState], None] | None) -> None:
    ours = {(socket.gethostname(), p.pid) for p in procs}
    while any(p.is_alive() for p in procs):
        stopping.check()
        queue = state(engine, retag=retag, version=version)
        if on_progress:
            on_progress(start - queue.pending)
        others = tuple(h for h in queue.holders if worker_process(h.worker) not in ours)
        if on_wait and others:
            on_wait(QueueState(queue.pending, sum(h.stories for h in others), queue.next_expiry_seconds, others))
        time.sleep(0.5)


def waiting_lines(queue: QueueState) -> Iterable[str]:
    """"waiting for 30 stories claimed by worker X until 21:42:05" for each holder (local time)."""
    for h in queue.holders:
        yield (f"waiting for {h.stories} {'story' if h.stories == 1 else 'stories'} claimed by worker {h.worker} "
               f"until {h.until.astimezone():%H:%M:%S} (its claims expire then unless it writes again)")
