"""The corpus pages and their JSON: stories, a story's claims and drawings, outlets, search.

Pages: ``/stories``, ``/stories/{id}``, ``/outlets/{name}``, ``/search?q=``. JSON:
``/api/stories``, ``/api/stories/{id}``, ``/api/claims?story=ID``, the records of
``sourcetrace stories|claims --format json`` (``docs/corpus.md``), read by the same library
functions. They read the database the app was started with (``--db``); an app without one
has no corpus: empty lists, and 404 for any story.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import quote

from fastapi import FastAPI, Query
from fastapi.responses import HTMLResponse

from ..corpus import overview
from ..corpus.records import Story
from ..corpus.tables import as_dicts, read_claims, read_outlet_edges, read_series, read_stories
from ..store import Store
from . import charts
from .envelope import WebError

if TYPE_CHECKING:
    from .app import App

NO_DATABASE = "this app has no database (start it with `sourcetrace serve --db FILE`)"


@contextmanager
def corpus(state: App) -> Iterator[Store | None]:
    """The app's database, opened for one request; None when the app has none."""
    if state.settings.db is None:
        yield None
        return
    with Store(state.settings.db) as store:
        yield store


def has_stories(state: App) -> bool:
    """True when the app's database holds stories (the home page then links to them)."""
    with corpus(state) as store:
        return store is not None and bool(read_stories(store))


def _story(store: Store | None, story_id: str) -> Story:
    """The stored story ``story_id``, else a 404."""
    found = read_stories(store, story_id) if store is not None else ()
    if not found:
        raise WebError(404, "not_found", f"{story_id}: no such story")
    return found[0]


def outlet_url(name: str) -> str:
    """The path of an outlet's page."""
    return "/outlets/" + quote(name, safe="")


def add_corpus_pages(app: FastAPI, state: App) -> None:
    """The stories list, story pages, outlet pages and search."""

    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories_page() -> HTMLResponse:
        with corpus(state) as store:
            summaries = overview.story_summaries(store) if store is not None else ()
        return state.page(
            "stories.html.j2", summaries=summaries, no_db=store is None, outlet_url=outlet_url
        )

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str) -> HTMLResponse:
        with corpus(state) as store:
            story = _story(store, story_id)
            assert store is not None
            docs = overview.document_infos(store, list(story.documents))
            claims = read_claims(store, story_id)
            edges = read_outlet_edges(store, story_id)
            series = read_series(store, story_id)
        documents = [docs[d] for d in story.documents if d in docs]
        outlets = list(dict.fromkeys(d.outlet for d in documents if d.outlet))
        drawn = [(s, charts.timeline(s)) for s in series]
        return state.page(
            "story.html.j2",
            story=story,
            documents=documents,
            docs=docs,
            claims=claims,
            edges=edges,
            graph=charts.echo_graph(outlets, edges),
            timelines=[t for _, t in drawn if t is not None],
            single=[s for s, t in drawn if t is None],
            number=charts.number,
            outlet_url=outlet_url,
        )

    @app.get("/outlets/{name:path}", response_class=HTMLResponse, include_in_schema=False)
    def outlet_page(name: str) -> HTMLResponse:
        with corpus(state) as store:
            profile = overview.outlet_profile(store, name) if store is not None else None
        if profile is None:
            raise WebError(404, "not_found", f"{name}: no such outlet")
        return state.page("outlet.html.j2", profile=profile, outlet_url=outlet_url)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(q: str = "") -> HTMLResponse:
        with corpus(state) as store:
            found = overview.search(store, q) if store is not None else None
        return state.page(
            "search.html.j2", q=q, found=found, no_db=store is None, outlet_url=outlet_url
        )


def add_corpus_api(app: FastAPI, state: App, responses: dict[int | str, dict[str, Any]]) -> None:
    """``/api/stories``, ``/api/stories/{id}``, ``/api/claims``: the CLI's JSON records."""

    @app.get("/api/stories", responses=responses, summary="The stories of the corpus")
    def api_stories() -> list[dict[str, Any]]:
        """Return every story (``sourcetrace stories --format json``, docs/corpus.md)."""
        with corpus(state) as store:
            return as_dicts(read_stories(store)) if store is not None else []

    @app.get("/api/stories/{story_id}", responses=responses, summary="One story")
    def api_story(story_id: str) -> dict[str, Any]:
        """Return one story: its id, title and documents (docs/corpus.md)."""
        with corpus(state) as store:
            return _story(store, story_id).to_dict()

    @app.get("/api/claims", responses=responses, summary="The claims of a story")
    def api_claims(
        story: Annotated[
            str | None, Query(description="a story id; none: every story's claims")
        ] = None,
    ) -> list[dict[str, Any]]:
        """Return claims (``sourcetrace claims [--story ID] --format json``, docs/corpus.md)."""
        with corpus(state) as store:
            if story is not None:
                _story(store, story)
            return as_dicts(read_claims(store, story)) if store is not None else []
