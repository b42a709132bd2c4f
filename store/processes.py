"""Is the process named by a claim or a run still there? Only a process of this host can be judged.

Claims name their worker `host:pid:random`; runs record `host` and `pid`. A process is gone when
its pid no longer exists, is a zombie, or now belongs to a process started after the claim or run
began (the pid was reused). Anything that cannot be judged counts as alive: the cost of a wrong
"alive" is a wait, the cost of a wrong "gone" would be two workers on one story.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta, timezone
from pathlib import Path

SLACK = timedelta(seconds=2)  # clock-tick rounding of /proc start times


def this_host() -> str:
    return socket.gethostname()


def worker_process(worker: str) -> tuple[str, int] | None:
    """(host, pid) from a worker id `host:pid:random`, or None if it is not one."""
    parts = worker.split(":")
    if len(parts) < 3 or not parts[-2].isdigit():
        return None
    return ":".join(parts[:-2]), int(parts[-2])


def gone(host: str | None, pid: int | None, since: datetime | None = None) -> bool:
    """True only when `pid` on `host` is this host's and certainly no longer the process that began
    at `since` (or, without `since`, no longer exists)."""
    if host != this_host() or not pid or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # another user's process: it exists
    stat = _stat(pid)
    if stat is None:  # not Linux, or it exited a moment ago: judged next time
        return False
    state, started = stat
    return state == "Z" or (since is not None and started is not None and started > since + SLACK)


def _stat(pid: int) -> tuple[str, datetime | None] | None:
    """The process state letter and start time from /proc (Linux); None elsewhere or if it vanished."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        boot = next(int(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
                    if line.startswith("btime "))
    except (OSError, StopIteration, ValueError, IndexError):
        return None
    ticks = int(fields[19])  # field 22 of stat; fields[0] here is field 3 (the state)
    return fields[0], datetime.fromtimestamp(boot + ticks / os.sysconf("SC_CLK_TCK"), timezone.utc)
