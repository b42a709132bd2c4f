"""How a trackwire process stops: the first Ctrl-C or SIGTERM ends it cleanly, and a child never
outlives the process that started it.

- `raise_on_signals()`: SIGINT, SIGTERM and SIGHUP raise `Stopped` (a KeyboardInterrupt, so
  every `except KeyboardInterrupt` and `finally` on the way out runs: claims are released, runs
  are recorded `interrupted`); the command exits 128 + the signal (130 for SIGINT, 143 for
  SIGTERM). Every signal is also noted (`received`, `check`), so none is lost.
- `die_with_parent(pid)`: a child asks Linux for SIGHUP when its parent dies
  (`prctl(PR_SET_PDEATHSIG)`); elsewhere a thread watches the parent's pid. SIGHUP, not SIGTERM:
  the kernel may deliver the death signal twice (once as the parent's thread dies, once as its
  process goes), and a second SIGTERM means "stop now" to a crawl, where SIGHUP only ever means
  "stop cleanly". The child exits 129. A parent already gone stops the child at once.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1
PARENT_ENV = "TRACKWIRE_PARENT_PID"  # set by a parent for a `trackwire` child that must die with it
_received: list[int] = []  # the signals that asked this process to stop, first first


class Stopped(KeyboardInterrupt):
    """Raised in the main thread by SIGINT, SIGTERM or SIGHUP; `exit_code` is 128 + the signal number."""

    def __init__(self, signum: int = signal.SIGINT):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def note(signum: int) -> None:
    """Remember that `signum` asked this process to stop (also when something else stops the work)."""
    _received.append(signum)


def received() -> int | None:
    """The first signal that asked this process to stop, or None."""
    return _received[0] if _received else None


def check() -> None:
    """Raise `Stopped` if a signal asked this process to stop. Long loops call it between steps: a
    handler's exception is lost when the signal lands inside a weakref callback or a __del__
    ("Exception ignored in ..."), and the work would go on."""
    if _received:
        raise Stopped(_received[0])


def exit_code(exc: BaseException | None = None) -> int:
    """The exit status for an interruption: 143 after SIGTERM, 130 after Ctrl-C."""
    if isinstance(exc, Stopped):
        return exc.exit_code
    return 128 + (received() or signal.SIGINT)


def raise_on_signals(*, once: bool = False) -> None:
    """From now on SIGINT, SIGTERM and SIGHUP raise `Stopped` in the main thread; with `once`, only
    the first does (later ones are noted and ignored, so that cleaning up is not cut short)."""
    def handler(signum, _frame):
        first = received() is None
        note(signum)
        if first or not once:
            raise Stopped(signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, handler)
    sys.unraisablehook = _quiet_about_stops


def _quiet_about_stops(unraisable) -> None:
    """A `Stopped` lost in a weakref callback or __del__ is not an error: `check()` raises it again."""
    if not isinstance(unraisable.exc_value, Stopped):
        sys.__unraisablehook__(unraisable)


def die_with_parent(parent: int) -> None:
    """SIGHUP to this process when process `parent` (its parent) dies; at once if it already has."""
    if not _death_signal():
        threading.Thread(target=_watch, args=(parent,), daemon=True, name="trackwire-parent-watch").start()
    if os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGHUP)


def die_with_parent_from_env() -> None:
    """`die_with_parent` for the pid a parent put in TRACKWIRE_PARENT_PID (then forgotten)."""
    value = os.environ.pop(PARENT_ENV, "")
    if value.isdigit():
        die_with_parent(int(value))


def _death_signal() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.prctl(PR_SET_PDEATHSIG, signal.SIGHUP, 0, 0, 0) == 0


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        threading.Event().wait(1.0)
    os.kill(os.getpid(), signal.SIGHUP)
