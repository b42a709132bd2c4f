"""The pages: the same `Store` calls as /api/, rendered on the server. No JavaScript anywhere;
every string from the store is escaped by the templates (autoescape) and only http(s) URLs become links."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from trackwire.api import Store
from trackwire.web.chart import progression_chart
from trackwire.web.markup import athlete_url, story_pieces, with_params
from trackwire.web.params import SearchParams, Window

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


def store(request: Request) -> Store:
    return request.app.state.store


def render(request: Request, template: str, json_url: str | None, **context):
    """The page `template` with `context`; `json_url` is the same data under /api/."""
    return request.app.state.templates.TemplateResponse(request, template, {"json_url": json_url, **context})


@router.get("/")
def home(request: Request):
    return render(request, "home.html", "/api/", home=store(request).overview())


@router.get("/search")
def search(request: Request, params: Annotated[SearchParams, Query()]):
    page = store(request).search_page(params.q, limit=params.limit, offset=params.offset,
                                      **params.store_filters()) if params.q.strip() else None
    kept = params.as_params()
    return render(request, "search.html", with_params("/api/search", kept, limit=str(params.limit),
                                                      offset=str(params.offset)) if page else None,
                  params=params, page=page, kept=kept)


@router.get("/athletes")
def find_athlete(name: Annotated[str, Query(max_length=200)] = ""):
    """The athlete box of the home page: on to the athlete's page."""
    return RedirectResponse(athlete_url(name.strip()) if name.strip() else "/", status_code=303)


@router.get("/athletes/{name}")
def athlete(request: Request, name: Annotated[str, Path(min_length=1, max_length=200)],
            window: Annotated[Window, Query()]):
    profile = store(request).athlete(name, since=window.since, until=window.until)
    kept = [(k, str(v)) for k, v in window.model_dump().items() if v]
    return render(request, "athlete.html", with_params(f"/api{athlete_url(name)}", kept), profile=profile,
                  charts=[progression_chart(p) for p in profile.progressions])


@router.get("/story")
def story(request: Request, key: Annotated[str, Query(min_length=1, max_length=2000)]):
    detail = store(request).story_detail(key)
    if detail is None:
        raise HTTPException(404, f"no story with key {key!r}")
    return render(request, "story.html", with_params("/api/story", [("key", key)]), detail=detail,
                  story=detail.story, pieces=story_pieces(detail.story))


@router.get("/runs")
def runs(request: Request, limit: Annotated[int, Query(ge=1, le=500)] = 50):
    return render(request, "runs.html", with_params("/api/runs", [("limit", str(limit))]),
                  history=store(request).history(limit=limit))


@router.get("/docs")
def docs(request: Request):
    """The JSON API described from its OpenAPI document, readable offline (no Swagger UI from a CDN)."""
    spec = request.app.openapi()
    return render(request, "docs.html", "/openapi.json", description=spec["info"].get("description", ""),
                  operations=describe(spec))


def describe(spec: dict) -> list[dict]:
    """The operations of an OpenAPI document as rows to show: method, path, summary, description,
    parameters (name, in, type, required, meaning) and what a 200 answers."""
    rows = []
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            rows.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                         "description": op.get("description", ""), "answers": _answers(op),
                         "parameters": [_parameter(p) for p in op.get("parameters", [])]})
    return rows


def _parameter(p: dict) -> dict:
    schema = p.get("schema", {})
    kinds = [schema.get("type")] if schema.get("type") else [s.get("type") for s in schema.get("anyOf", [])]
    kind = " or ".join(k for k in kinds if k and k != "null")
    if schema.get("type") == "array":
        kind = f"{schema['items'].get('type', '')}, repeatable"
    if schema.get("enum"):
        kind += ": " + ", ".join(schema["enum"])
    return {"name": p["name"], "in": p["in"], "type": kind, "required": p.get("required", False),
            "meaning": p.get("description") or schema.get("description", "")}


def _answers(op: dict) -> str:
    content = op.get("responses", {}).get("200", {}).get("content", {})
    if "application/json" not in content:
        return ", ".join(content) or ""
    schema = content["application/json"].get("schema", {})
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if schema.get("type") == "array" and "$ref" in schema.get("items", {}):
        return "a list of " + schema["items"]["$ref"].rsplit("/", 1)[-1]
    return schema.get("type", "JSON")
