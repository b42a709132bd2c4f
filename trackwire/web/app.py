"""The application: `create_app(store)` and `serve(store, host, port)`.

Every response carries a Content-Security-Policy that allows no script at all, the page's own
stylesheet and nothing from elsewhere, and a Server-Timing header (time to the response's start).
Errors a person can act on become a page (or JSON under /api/) with the message: 422 for a bad
parameter, 404 for an unknown story or athlete (with the nearest names), 300 for an ambiguous name.
"""

from __future__ import annotations

import socket
import time

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.templating import Jinja2Templates

from trackwire.api import AmbiguousAthlete, AthleteNotFound, Store
from trackwire.store.search import QueryError
from trackwire.web import markup

CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")
HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]
DESCRIPTION = ("The JSON face of a trackwire store: every page of `trackwire serve` as JSON, in the shapes of "
               "the Python API's records (docs/api.md). Read-only.")


def create_app(store: Store) -> FastAPI:
    """The ASGI app over `store` (open it with `read_only=True`: the app only reads)."""
    from trackwire.web import json_api, pages

    app = FastAPI(title="trackwire", version="0.1", description=DESCRIPTION, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json", dependencies=[Depends(no_nul)])
    app.state.store = store
    app.state.templates = templates()
    app.add_middleware(Headers)
    app.mount("/static", StaticFiles(packages=[("trackwire.web", "static")]), name="static")
    app.include_router(json_api.router)
    app.include_router(pages.router)
    for error, handler in ((QueryError, _bad_request), (RequestValidationError, _bad_parameters),
                           (AthleteNotFound, _not_found), (AmbiguousAthlete, _ambiguous),
                           (HTTPException, _http_error)):
        app.add_exception_handler(error, handler)
    return app


def no_nul(request: Request) -> None:
    """Refuse (422) a parameter holding a NUL character: no stored text holds one, and PostgreSQL
    refuses one in any string sent to it (a 500 before), SQLite's LIKE cuts a pattern at it."""
    for name, value in [*request.query_params.multi_items(), *request.path_params.items()]:
        if "\x00" in str(value):
            raise QueryError(f"bad parameter: {name} holds a NUL character (%00)")


def templates() -> Jinja2Templates:
    """The page templates, autoescaped whatever their names, with the helpers of web.markup."""
    env = Environment(loader=PackageLoader("trackwire.web", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update({name: getattr(markup, name) for name in (
        "athlete_url", "story_url", "safe_url", "with_params", "day", "value_label", "highlighted")})
    return Jinja2Templates(env=env)


class Headers:
    """Pure ASGI middleware: security headers and Server-Timing on every HTTP response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = time.perf_counter()
        head = scope["method"] == "HEAD"  # every GET page answers HEAD: its status and headers, no body
        if head:
            scope = {**scope, "method": "GET"}

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS:
                    headers[name.decode()] = value.decode()
                headers["server-timing"] = f"app;dur={(time.perf_counter() - start) * 1000:.2f}"
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def error(request: Request, status: int, message: str, **extra):
    """The error as JSON ({"detail": message, ...extra}) under /api/, as a page elsewhere."""
    if _wants_json(request):
        return JSONResponse({"detail": message, **extra}, status_code=status)
    return request.app.state.templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message, "json_url": None, "suggestions": [],
                                "candidates": [], **extra}, status_code=status)


async def _bad_request(request: Request, exc: QueryError):
    return error(request, 422, str(exc))


async def _bad_parameters(request: Request, exc: RequestValidationError):
    problems = [f"{'.'.join(str(part) for part in e['loc'][1:]) or e['loc'][0]}: {e['msg']}" for e in exc.errors()]
    return error(request, 422, "bad parameter: " + "; ".join(problems))


async def _not_found(request: Request, exc: AthleteNotFound):
    return error(request, 404, str(exc), suggestions=exc.suggestions)


async def _ambiguous(request: Request, exc: AmbiguousAthlete):
    return error(request, 300, str(exc), candidates=[c.to_json() for c in exc.candidates])


async def _http_error(request: Request, exc: HTTPException):
    message = exc.detail if isinstance(exc.detail, str) else "error"
    response = error(request, exc.status_code, message)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: any free port). Raises OSError when it cannot bind."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    return sock


def serve(store: Store, sock: socket.socket) -> None:
    """Run the app over `store` on the listening `sock` until interrupted (Ctrl-C)."""
    import uvicorn

    config = uvicorn.Config(create_app(store), log_level="warning", access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])
