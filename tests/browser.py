"""A real server and a real headless Chromium for the page tests (Debian's chromium, driven by Playwright).

Where no Chromium is installed the tests skip with the reason; with TRACKWIRE_REQUIRE_SERVICES=1 (CI,
whose .ci/run installs it) they fail instead.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import REQUIRE_SERVICES

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str:
    """The Chromium to drive, or skip (fail where services are required) when there is none."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        why = "no Chromium on this machine (apt-get install chromium chromium-driver)"
        if REQUIRE_SERVICES:
            pytest.fail(f"Chromium is required here (TRACKWIRE_REQUIRE_SERVICES=1) but there is {why}", pytrace=False)
        pytest.skip(why)
    return found


@contextmanager
def served(app) -> Iterator[str]:
    """`app` on uvicorn in a thread, on a socket bound and listening before the thread starts (so a
    request made at once waits in the backlog, never races the start-up); yields its base URL."""
    import uvicorn

    from trackwire.web.app import bind

    sock = bind("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join()
        sock.close()


@contextmanager
def playwright() -> Iterator:
    """Playwright's driver, once per module: its sync API runs one instance per thread at a time."""
    from playwright.sync_api import sync_playwright

    chromium_path()
    with sync_playwright() as pw:
        yield pw


@contextmanager
def browser(pw, profile: Path, **options) -> Iterator:
    """A browser context of Debian's Chromium with a fresh profile folder; `options` are Playwright's
    context options (java_script_enabled, bypass_csp, ...)."""
    context = pw.chromium.launch_persistent_context(
        str(profile), executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True,
        viewport={"width": 1280, "height": 900}, **options)
    try:
        yield context
    finally:
        context.close()
