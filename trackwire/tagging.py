"""Tag stored stories: the bridge between the store's tagging queue (store.queue) and spaCy.

Every way of tagging goes through `work`: `trackwire tag` runs it in this
process, or in N processes with `--workers N`; `trackwire worker` runs it
on any machine that reaches the database, for as long as it is left running.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

from trackwire.nlp.pipeline import TAGGER_VERSION, doc_tags
from trackwire.store.queue import CLAIM_SECONDS, claim, release, save_claimed, state


def worker_id() -> str:
    """host:pid:random, unique per worker run, readable in the `claimed_by`/`tagged_by` columns."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def pending(engine: Engine, *, retag: bool) -> int:
    return state(engine, retag=retag, version=TAGGER_VERSION).pending


@dataclass
class WorkReport:
    worker: str
    tagged: int = 0
    given_up: int = 0  # claims lost to another worker after expiring, or stories changed meanwhile


def work(engine: Engine, nlp, *, worker: str | None = None, retag: bool = False, batch_size: int = 32,
         claim_seconds: int = CLAIM_SECONDS, until_empty: bool = True, poll: float = 10.0,
         on_done: Callable[[WorkReport], None] | None = None) -> WorkReport:
    """Claim batches, tag them with nlp.pipe, write each story in its own short transaction.

    With `until_empty`, return once nothing is left to tag, waiting for other
    workers' claims to finish or expire. Without it, poll every `poll` seconds
    for new stories, until interrupted. Unfinished claims are released on the
    way out, also on Ctrl-C or SIGTERM.
    """
    report = WorkReport(worker or worker_id())
    try:
        while True:
            batch = claim(engine, report.worker, size=batch_size, retag=retag, version=TAGGER_VERSION,
                          seconds=claim_seconds)
            if not batch:
                queue = state(engine, retag=retag, version=TAGGER_VERSION)
                if until_empty and queue.pending == 0:
                    return report
                if queue.pending and not queue.claimed:
                    time.sleep(0.2)  # rows locked by a claim in flight: look again at once
                else:  # nothing new, or only others' claims: wait for new stories or the first expiry
                    wait = poll if queue.next_expiry_seconds is None else min(poll, queue.next_expiry_seconds)
                    time.sleep(max(0.2, min(wait, 1.0) if until_empty else wait))
                continue
            by_id = {c.id: c for c in batch}
            for doc, story_id in nlp.pipe(((c.text, c.id) for c in batch), as_tuples=True, batch_size=batch_size):
                if save_claimed(engine, report.worker, by_id[story_id], doc_tags(doc), TAGGER_VERSION,
                                seconds=claim_seconds):
                    report.tagged += 1
                else:
                    report.given_up += 1
                if on_done:
                    on_done(report)
    finally:
        try:
            release(engine, report.worker)
        except Exception:  # noqa: BLE001  (the database is gone; the claims will expire instead)
            pass


def _sigterm_as_interrupt() -> None:
    """A service manager's SIGTERM stops a worker the way Ctrl-C does: claims released, nothing lost."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, interrupt)


def _process_main(db: str, model: str | None, retag: bool, batch_size: int, claim_seconds: int) -> None:
    """One tagging process of `trackwire tag --workers N` (spawned: its own engine and model)."""
    from trackwire.nlp.pipeline import load_pipeline
    from trackwire.store.db import make_engine

    _sigterm_as_interrupt()
    engine = make_engine(db)
    try:
        work(engine, load_pipeline(model), retag=retag, batch_size=batch_size, claim_seconds=claim_seconds)
    except KeyboardInterrupt:
        raise SystemExit(130)
    except Exception as exc:  # noqa: BLE001  (one line for the parent's user, as the CLI does)
        from trackwire.errors import explain

        print(f"tagging process {os.getpid()}: {explain(exc) or repr(exc)}", file=sys.stderr)
        raise SystemExit(1)
    finally:
        engine.dispose()


def tag_in_processes(engine: Engine, db: str, model: str | None, *, workers: int, retag: bool, batch_size: int,
                     claim_seconds: int = CLAIM_SECONDS, on_progress: Callable[[int], None] | None = None) -> int:
    """Run `workers` tagging processes over the queue until it is empty; returns stories tagged."""
    import multiprocessing

    start = pending(engine, retag=retag)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_process_main, args=(db, model, retag, batch_size, claim_seconds))
             for _ in range(workers)]
    for proc in procs:
        proc.start()
    try:
        while any(p.is_alive() for p in procs):
            if on_progress:
                on_progress(start - pending(engine, retag=retag))
            time.sleep(0.5)
    finally:
        for proc in procs:
            proc.join()
    failed = [p.exitcode for p in procs if p.exitcode]
    if 130 in failed:
        raise KeyboardInterrupt
    if failed:
        raise RuntimeError(f"{len(failed)} of {workers} tagging processes failed (exit codes {failed}); "
                           "run again with --debug --workers 1 to see why")
    return start - pending(engine, retag=retag)
