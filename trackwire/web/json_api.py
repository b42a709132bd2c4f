"""Every page as JSON under /api/, in the shapes of the Python API's records (docs/api.md, docs/web.md).

Each handler makes one `Store` call and sends its record as it stands (pydantic's own JSON encoder);
the records are declared as response models only for the OpenAPI description.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from fastapi.responses import StreamingResponse

from trackwire.api import Store
from trackwire.records import AthleteProfile, AthleteSummary, History, Overview, Record, SearchPage, StoryDetail
from trackwire.web.params import SearchParams, StoryFilters, Window

router = APIRouter(prefix="/api", tags=["api"])
MEDIA = {"csv": "text/csv; charset=utf-8", "jsonl": "application/jsonl; charset=utf-8"}


def store(request: Request) -> Store:
    return request.app.state.store


def send(record: Record | list[Record]) -> Response:
    """The record as JSON, as `record.to_json()` gives it."""
    if isinstance(record, list):
        body = "[" + ",".join(r.model_dump_json() for r in record) + "]"
    else:
        body = record.model_dump_json()
    return Response(body, media_type="application/json")


@router.get("/", response_model=Overview, summary="Home: totals, latest stories, most mentioned, runs")
def overview(request: Request,
             days: Annotated[int, Query(ge=1, le=3660, description="window of the most mentioned athletes")] = 30):
    """`Store.overview`: the most mentioned athletes are those of the `days` days up to the newest story."""
    return send(store(request).overview(days=days))


@router.get("/search", response_model=SearchPage, summary="Search: a page of hits, the total and the facets")
def search(request: Request, params: Annotated[SearchParams, Query()]):
    """`Store.search_page`: hits best first with plain snippets and highlight offsets, the number of
    stories found, and their counts by event, source and athlete."""
    return send(store(request).search_page(params.q, limit=params.limit, offset=params.offset,
                                           **params.store_filters()))


@router.get("/search.{fmt}", summary="Download every story found, as CSV or JSONL (streamed)",
            response_class=StreamingResponse, responses={200: {"content": {m: {} for m in MEDIA.values()}}})
def download(request: Request, fmt: Annotated[Literal["csv", "jsonl"], Path(description="csv or jsonl")],
             params: Annotated[StoryFilters, Query()]):
    """`Store.download`: the stories matching `q` and the filters, oldest stored first; JSONL in the export
    contract (docs/export.md), CSV one row per story. Without `q`, every story passing the filters."""
    lines = store(request).download(fmt, query=params.q or None, **params.store_filters())
    disposition = f'attachment; filename="trackwire-search.{fmt}"'
    return StreamingResponse(lines, media_type=MEDIA[fmt], headers={"content-disposition": disposition})


@router.get("/athletes", response_model=list[AthleteSummary], summary="Athletes answering to a name")
def find(request: Request, name: Annotated[str, Query(min_length=1, max_length=200)]):
    """`Store.find_athletes`: any case or accents, surname only, a typo; exact names first."""
    return send(store(request).find_athletes(name))


@router.get("/athletes/{name}", response_model=AthleteProfile,
            responses={404: {"description": "no such athlete; `suggestions` lists the nearest names"},
                       300: {"description": "several athletes answer to the name; `candidates` lists them"}},
            summary="Athlete: stories, quotes, performances, progressions, co-mentions")
def athlete(request: Request, name: Annotated[str, Path(min_length=1, max_length=200)],
            window: Annotated[Window, Query()]):
    """`Store.athlete`: the profile, with `progressions` (each event's dated marks and bests)."""
    return send(store(request).athlete(name, since=window.since, until=window.until))


@router.get("/story", response_model=StoryDetail, responses={404: {"description": "no story with that key"}},
            summary="Story: text, tags and near-duplicates")
def story(request: Request, key: Annotated[str, Query(min_length=1, max_length=2000)]):
    """`Store.story_detail`: the story in the export contract's shape, with its near-duplicates."""
    detail = store(request).story_detail(key)
    if detail is None:
        raise HTTPException(404, f"no story with key {key!r}")
    return send(detail)


@router.get("/runs", response_model=History, summary="Runs and sources: crawl history, drops, source health")
def runs(request: Request, limit: Annotated[int, Query(ge=1, le=500, description="runs, newest first")] = 50):
    """`Store.history`."""
    return send(store(request).history(limit=limit))
