"""The corpus views and API on our labelled corpus: the CLI's JSON, counts, search, drawings."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sourcetrace.cli import main
from sourcetrace.corpus import overview
from sourcetrace.corpus.records import Conflict, FigureSeries, OutletEdge, SeriesPoint
from sourcetrace.corpus.tables import read_claims, read_outlet_edges, read_stories
from sourcetrace.corpus.timeline import outlet_key
from sourcetrace.pipeline import Analyzer
from sourcetrace.records import Span
from sourcetrace.settings import WebSettings
from sourcetrace.store import Store
from sourcetrace.web import charts, create_app

from .test_api import assert_envelope


@pytest.fixture(scope="module")
def corpus_client(analyzer: Analyzer, corpus_db: Path) -> Iterator[TestClient]:
    """The app on the ingested corpus, through the test client."""
    with TestClient(create_app(WebSettings(db=corpus_db), analyzer)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def store(corpus_db: Path) -> Iterator[Store]:
    """The ingested corpus, open for reading."""
    with Store(corpus_db) as opened:
        yield opened


def cli_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    """What ``sourcetrace ARGV --format json`` prints."""
    capsys.readouterr()
    assert main([*argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_api_stories_is_the_cli_json(
    corpus_client: TestClient, corpus_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    response = corpus_client.get("/api/stories")
    assert response.status_code == 200
    expected = cli_json(capsys, "stories", "--db", str(corpus_db))
    assert response.json() == expected
    assert len(expected) > 1


def test_each_story_and_its_claims_are_the_cli_json(
    corpus_client: TestClient, corpus_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stories = cli_json(capsys, "stories", "--db", str(corpus_db))
    for story in stories:
        assert corpus_client.get(f"/api/stories/{story['id']}").json() == story
        claims = cli_json(capsys, "claims", "--db", str(corpus_db), "--story", story["id"])
        assert corpus_client.get("/api/claims", params={"story": story["id"]}).json() == claims
        assert {c["story"] for c in claims} <= {story["id"]}
    every = corpus_client.get("/api/claims").json()
    assert every == cli_json(capsys, "claims", "--db", str(corpus_db))


@pytest.mark.parametrize(
    "path",
    ["/api/stories/s-0000000000000000", "/api/claims?story=s-0000000000000000"],
)
def test_an_unknown_story_is_a_404_envelope(corpus_client: TestClient, path: str) -> None:
    message = assert_envelope(corpus_client.get(path), 404, "not_found")
    assert "s-0000000000000000" in message


@pytest.mark.parametrize("path", ["/stories/s-0000000000000000", "/outlets/No%20Such%20Outlet"])
def test_unknown_story_and_outlet_pages_are_404_pages(corpus_client: TestClient, path: str) -> None:
    response = corpus_client.get(path)
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert "not_found" in response.text


def test_the_corpus_api_is_in_the_openapi(corpus_client: TestClient) -> None:
    spec = corpus_client.get("/openapi.json").json()
    for path in ("/api/stories", "/api/stories/{story_id}", "/api/claims"):
        assert "get" in spec["paths"][path]
    claims = spec["paths"]["/api/claims"]["get"]
    assert [p["name"] for p in claims["parameters"]] == ["story"]
    assert "404" in spec["paths"]["/api/stories/{story_id}"]["get"]["responses"]


def test_without_a_database_there_is_no_corpus(client: TestClient) -> None:
    assert client.get("/api/stories").json() == []
    assert_envelope(client.get("/api/stories/s-1"), 404, "not_found")
    page = client.get("/stories")
    assert page.status_code == 200 and "no database" in page.text
    assert "browse its stories" not in client.get("/").text


def test_the_home_page_links_to_the_stories(corpus_client: TestClient) -> None:
    assert 'href="/stories"' in corpus_client.get("/").text.split("</header>", 1)[1]


def test_story_summaries_count_what_the_store_holds(store: Store) -> None:
    claims = read_claims(store)
    documents = {d.id: d for d in store.documents()}
    summaries = overview.story_summaries(store)
    assert [s.story for s in summaries] == list(read_stories(store))
    for summary in summaries:
        docs = [documents[d] for d in summary.story.documents]
        assert summary.claims == sum(c.story == summary.story.id for c in claims)
        assert set(summary.outlets) == {d.outlet for d in docs if d.outlet}
        dated = [d.published for d in docs if d.published]
        assert summary.earliest == (min(dated) if dated else None)


def test_outlet_profiles_count_relays_origins_and_anonymity(store: Store) -> None:
    documents = list(store.documents())
    edges = read_outlet_edges(store)
    claims = read_claims(store)
    names = sorted({d.outlet for d in documents if d.outlet})
    assert len(names) > 3
    for name in names:
        profile = overview.outlet_profile(store, name)
        assert profile is not None
        mine = [d for d in documents if outlet_key(d.outlet) == outlet_key(name)]
        assert {d.id for d in profile.documents} == {d.id for d in mine}
        key = outlet_key(name)
        assert profile.relays == sum(e.relays for e in edges if outlet_key(e.source) == key)
        assert profile.copied_by == sum(e.copies for e in edges if outlet_key(e.target) == key)
        ids = {d.id for d in mine}
        assert profile.origin_of == sum(c.origin.doc in ids for c in claims)
        speakers = [a.speaker for d in mine for a in d.attributions if a.speaker is not None]
        assert profile.attributions == len(speakers)
        assert profile.anonymous == sum(s.anonymous for s in speakers)
    assert overview.outlet_profile(store, "No Such Outlet") is None


def test_search_finds_speakers_outlets_and_words(store: Store) -> None:
    named = [
        (a.speaker.name, d.id)
        for d in store.documents()
        for a in d.attributions
        if a.speaker is not None and a.speaker.name and not a.speaker.anonymous
    ]
    assert named
    for name, doc in named[:5]:
        found = overview.search(store, name.split()[-1].lower())
        assert any(h.doc.id == doc and h.speaker == name for h in found.speakers), name
    outlet = next(d.outlet for d in store.documents() if d.outlet)
    assert outlet in overview.search(store, outlet.upper()).outlets


@pytest.mark.parametrize("query", ["", "   ", "%", "_", "zzqxj no such words"])
def test_search_takes_wildcards_literally_and_blank_finds_nothing(store: Store, query: str) -> None:
    found = overview.search(store, query)
    everything = list(store.documents())
    text = query.strip()
    expected = [d.id for d in everything if text and (text in d.text or text in (d.title or ""))]
    assert [d.id for d in found.documents] == expected[: overview.SEARCH_LIMIT]


EDGES = (
    OutletEdge("A", "B", 2, 0),
    OutletEdge("B", "A", 0, 1),
    OutletEdge("C", "A", 1, 1),
)


def test_the_graph_puts_outlets_on_a_circle_and_arrows_stop_at_them() -> None:
    graph = charts.echo_graph(["D"], EDGES)
    assert [n.name for n in graph.nodes] == ["A", "B", "C", "D"]
    centre = (graph.width / 2, graph.height / 2)
    radii = {round(math.dist(centre, (n.x, n.y)), 6) for n in graph.nodes}
    assert radii == {charts.GRAPH_RADIUS}
    places = {n.name: (n.x, n.y) for n in graph.nodes}
    for drawn in graph.edges:
        end = math.dist((drawn.x2, drawn.y2), places[drawn.edge.target])
        start = math.dist((drawn.x1, drawn.y1), places[drawn.edge.source])
        assert charts.NODE_RADIUS < end < charts.NODE_RADIUS + 2 * charts.TWIN_OFFSET
        assert charts.NODE_RADIUS < start < charts.NODE_RADIUS + 2 * charts.TWIN_OFFSET
    # A -> B and B -> A are drawn apart, not on top of each other.
    ab, ba = graph.edges[0], graph.edges[1]
    assert (round(ab.x1, 3), round(ab.y1, 3)) != (round(ba.x2, 3), round(ba.y2, 3))
    assert charts.echo_graph(["D"], EDGES) == graph


@pytest.mark.parametrize(
    ("edge", "label"),
    [(EDGES[0], "relays 2"), (EDGES[1], "copies 1"), (EDGES[2], "relays 1, copies 1")],
)
def test_edges_are_labelled_in_words(edge: OutletEdge, label: str) -> None:
    drawn = charts.echo_graph([], [edge]).edges[0]
    assert drawn.label == label


def _point(value: float, published: str | None, outlet: str) -> SeriesPoint:
    return SeriesPoint(value, "exact", None, None, outlet, published, None, outlet, Span("x", 0, 1))


def test_the_timeline_places_values_over_time_and_marks_conflicts() -> None:
    early, late, clash = (
        _point(4, "2025-01-01T00:00:00Z", "Wire"),
        _point(7, "2025-01-03T00:00:00Z", "Paper"),
        _point(9, "2025-01-03T00:00:00Z", "Radio"),
    )
    undated = _point(5, None, "Weekly")
    series = FigureSeries(
        "s", "deaths", (early, late, clash, undated), (Conflict(None, (late, clash)),)
    )
    drawn = charts.timeline(series)
    assert drawn is not None
    dots = {d.label: d for d in drawn.dots}
    assert set(dots) == {"Wire", "Paper", "Radio"}
    assert dots["Wire"].x == drawn.left and dots["Paper"].x == dots["Radio"].x == drawn.right
    assert dots["Radio"].y < dots["Paper"].y < dots["Wire"].y < drawn.bottom
    assert [m.label for m in drawn.conflicts] == ["conflict: 7 vs 9"]
    assert drawn.conflicts[0].low == drawn.conflicts[0].high == drawn.right
    assert drawn.undated == (undated,)


@pytest.mark.parametrize("published", [("2025-01-01", None), (None, None), ("2025-01-01",)])
def test_a_series_with_fewer_than_two_dated_points_is_not_drawn(
    published: tuple[str | None, ...],
) -> None:
    points = tuple(_point(i + 1, p, "X") for i, p in enumerate(published))
    assert charts.timeline(FigureSeries("s", "x", points)) is None
