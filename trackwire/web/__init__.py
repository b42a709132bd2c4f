"""`trackwire serve`: the store in a web browser. Pages rendered on the server (Jinja2, no JavaScript)
and the same data as JSON under /api/, both from `trackwire.api.Store`'s methods and nothing else.

    from trackwire.web import create_app
    app = create_app(trackwire.open("trackwire.db", read_only=True))   # any ASGI server runs it

See docs/web.md.
"""

from __future__ import annotations

from trackwire.web.app import create_app, serve

__all__ = ["create_app", "serve"]
