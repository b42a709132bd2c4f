"""serve: the store in a web browser, thin over trackwire.web (itself over `trackwire.api.Store`)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from trackwire.cli import STATE, app, console, err
from trackwire.errors import UserError

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@app.command()
def serve(
    host: Annotated[str, typer.Option(metavar="ADDRESS", help="address to listen on; anything but loopback "
                                                             "opens the store to the network")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, metavar="N", help="port (0: any free port)")] = 8000,
) -> None:
    """Browse the store: pages and the same data as JSON under /api/ (read-only)."""
    from trackwire.api import Store
    from trackwire.web import serve as run
    from trackwire.web.app import bind

    store = Store(settings=STATE.settings, read_only=True)
    store.count()  # the store exists at the current schema, or one line says what to do
    try:
        sock = bind(host, port)
    except OSError as exc:
        raise UserError(f"cannot listen on {host}:{port} ({exc.strerror or exc}): pass another --port, "
                        "or stop what is using it") from None
    if host not in LOOPBACK:
        err.print(Text.assemble((f"listening on {host}", "yellow"),
                                ": anyone who can reach this machine can read the store"))
    where = f"[{host}]" if ":" in host else host
    console.print(f"serving {STATE.settings.db} at http://{where}:{sock.getsockname()[1]}/ (Ctrl-C to stop)")
    try:
        run(store, sock)
    except KeyboardInterrupt:  # uvicorn shuts down on Ctrl-C, then raises it again: the normal way to stop
        console.print("stopped")
    finally:
        store.close()
