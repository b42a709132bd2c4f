"""Ctrl-C and SIGTERM during a crawl: stop the way Scrapy's own handlers do, at any moment.

Scrapy installs its handlers only once the reactor has started, and leaves them behind when the
crawl ends. A signal during start-up therefore raised KeyboardInterrupt inside Twisted (tracebacks,
then a crawl recorded `ok` with nothing fetched), and one after the crawl, during tagging, reached
a handler whose reactor had stopped and did nothing. Here the crawl's handlers are installed
before the reactor starts and the previous ones are put back when it stops:
- the first signal asks the crawler to stop gracefully (pages in flight finish, what was fetched
  is stored, finish_reason `shutdown`), waiting if need be until the engine is running;
- a second SIGINT or SIGTERM stops the reactor at once; SIGHUP (the parent died, trackwire.stopping)
  only ever stops gracefully.
Either way the signal is noted (trackwire.stopping) so the command exits 130 or 143.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

from trackwire import stopping

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
FORCING = (signal.SIGINT, signal.SIGTERM)  # a second one of these stops at once; SIGHUP never does
RETRY_SECONDS = 0.1


@contextmanager
def stop_on_signals(process, crawler, grace: float = 10.0) -> Iterator[None]:
    """While the block runs, SIGINT/SIGTERM stop `crawler` (of CrawlerProcess `process`) cleanly.
    Installs the reactor the crawler's settings ask for, if none is yet. When `process` has a
    `force(reason)` method (crawler.run.BoundedProcess), a graceful stop still running `grace`
    seconds after it began, and any second signal, end with it."""
    from scrapy.utils.reactor import install_reactor, is_reactor_installed

    if not is_reactor_installed():  # before importing it: the import would install Twisted's default
        install_reactor(crawler.settings["TWISTED_REACTOR"], crawler.settings["ASYNCIO_EVENT_LOOP"])
    from twisted.internet import reactor

    received: list[int] = []

    def stop() -> None:
        engine = crawler._engine  # Scrapy's documented way to look before the crawl has started
        if engine is not None and engine.running:
            process.stop()
            if hasattr(process, "force"):  # a download that never ends must not hold the stop
                reactor.callLater(grace, process.force, "shutdown")
        elif reactor.running:  # still starting: stop as soon as the engine runs
            reactor.callLater(RETRY_SECONDS, stop)

    def force() -> None:
        if hasattr(process, "force"):
            process.force("shutdown")
        elif reactor.running:
            reactor.stop()

    def handler(signum, _frame) -> None:
        stopping.note(signum)
        forced = signum in FORCING and any(sig in FORCING for sig in received)
        received.append(signum)
        reactor.callFromThread(force if forced else stop)

    previous = {sig: signal.getsignal(sig) for sig in SIGNALS}
    for sig in SIGNALS:
        signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
