"""The corpus pages in a real browser (Debian's headless Chromium), on our labelled corpus."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sourcetrace.corpus.overview import story_summaries
from sourcetrace.corpus.tables import read_claims, read_outlet_edges, read_series
from sourcetrace.store import Store
from sourcetrace.web.corpus import outlet_url

from .conftest import LiveServer


@pytest.fixture()
def tab(browser_context: Any, corpus_server: LiveServer) -> Iterator[Any]:
    """A fresh tab at desktop width."""
    page = browser_context.new_page()
    page.set_default_timeout(15_000)
    page.set_viewport_size({"width": 1200, "height": 900})
    yield page
    page.close()


def richest_story(server: LiveServer) -> str:
    """The id of the story with the most outlet edges."""
    with Store(server.db) as store:
        return max(
            (s.story.id for s in story_summaries(store)),
            key=lambda sid: len(read_outlet_edges(store, sid)),
        )


def conflicted_story(server: LiveServer) -> str:
    """The id of a story with a figure conflict."""
    with Store(server.db) as store:
        found = [s.story for s in read_series(store) if s.conflicts and len(s.points) > 1]
    assert found, "the labelled corpus has figure conflicts"
    return found[0]


def test_the_stories_list_leads_to_a_story(tab: Any, corpus_server: LiveServer) -> None:
    with Store(corpus_server.db) as store:
        summaries = story_summaries(store)
    tab.goto(corpus_server.url + "/")
    tab.click("text=browse its stories")
    tab.wait_for_url("**/stories")
    rows = tab.locator("table.stories tbody tr")
    assert rows.count() == len(summaries)
    first = summaries[0]
    assert rows.first.locator("td.num").all_inner_texts() == [
        str(len(first.story.documents)),
        str(first.claims),
    ]
    rows.first.locator("th a").click()
    tab.wait_for_url(f"**/stories/{first.story.id}")
    assert tab.inner_text("h1") == first.story.title


def test_a_story_page_shows_claims_graph_and_edges(tab: Any, corpus_server: LiveServer) -> None:
    story = richest_story(corpus_server)
    with Store(corpus_server.db) as store:
        claims = read_claims(store, story)
        edges = read_outlet_edges(store, story)
        outlets = {d.outlet for d in store.documents() if d.outlet}
    assert edges, "the labelled corpus has outlets echoing each other"
    tab.goto(f"{corpus_server.url}/stories/{story}")
    shown = tab.eval_on_selector_all(
        "li.claim",
        "cs => cs.map(c => [c.dataset.claim, c.querySelector('.independent').textContent])",
    )
    assert shown == [[c.id, str(c.independent_sources)] for c in claims]
    flags = tab.eval_on_selector_all("li.claim .flag", "fs => fs.map(f => f.textContent)")
    assert flags == [f.replace("_", " ") for c in claims for f in c.flags]
    drawn = tab.eval_on_selector_all(
        "svg.echo-graph g.edge",
        "es => es.map(e => [e.dataset.source, e.dataset.target,"
        " +e.dataset.relays, +e.dataset.copies, e.querySelector('text').textContent])",
    )
    assert [d[:4] for d in drawn] == [[e.source, e.target, e.relays, e.copies] for e in edges]
    assert all(d[4] for d in drawn)
    nodes = set(
        tab.eval_on_selector_all("svg.echo-graph a.node", "ns => ns.map(n => n.dataset.outlet)")
    )
    assert {e.source for e in edges} | {e.target for e in edges} <= nodes <= outlets
    # The graph is really drawn: the arrows have a size on screen.
    box = tab.locator("svg.echo-graph g.edge line").first.bounding_box()
    assert box is not None and box["width"] + box["height"] > 20
    assert tab.locator("table.edges tbody tr").count() == len(edges)


def test_the_timeline_marks_a_conflict_in_words(tab: Any, corpus_server: LiveServer) -> None:
    story = conflicted_story(corpus_server)
    tab.goto(f"{corpus_server.url}/stories/{story}")
    labels = tab.eval_on_selector_all(
        "figure.timeline .conflict-label", "ls => ls.map(l => l.textContent)"
    )
    assert labels and all(label.startswith("conflict: ") and " vs " in label for label in labels)
    assert tab.locator("figure.timeline .conflict-label").first.is_visible()


def test_the_story_graph_is_reachable_from_the_keyboard(
    tab: Any, corpus_server: LiveServer
) -> None:
    story = richest_story(corpus_server)
    tab.goto(f"{corpus_server.url}/stories/{story}")
    for _ in range(800):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.matches('svg a.node')"):
            break
    outlet = tab.evaluate("document.activeElement.dataset.outlet")
    assert outlet, "Tab never reached an outlet of the graph"
    tab.keyboard.press("Enter")
    tab.wait_for_url("**" + outlet_url(outlet))
    assert tab.inner_text("h1") == outlet


def test_search_finds_a_speaker(tab: Any, corpus_server: LiveServer) -> None:
    with Store(corpus_server.db) as store:
        name = next(
            a.speaker.name
            for d in store.documents()
            for a in d.attributions
            if a.speaker is not None and a.speaker.name and not a.speaker.anonymous
        )
    tab.goto(corpus_server.url + "/stories")
    tab.fill("#site-q", name.split()[-1])
    tab.press("#site-q", "Enter")
    tab.wait_for_url("**/search?q=*")
    assert name in tab.locator(".speaker").all_inner_texts()


@pytest.mark.parametrize("where", ["stories", "story", "outlet", "search"])
def test_corpus_pages_fit_a_phone(tab: Any, corpus_server: LiveServer, where: str) -> None:
    story = richest_story(corpus_server)
    with Store(corpus_server.db) as store:
        outlet = next(d.outlet for d in store.documents() if d.outlet)
    paths = {
        "stories": "/stories",
        "story": f"/stories/{story}",
        "outlet": outlet_url(outlet),
        "search": "/search?q=said",
    }
    tab.set_viewport_size({"width": 375, "height": 740})
    tab.goto(corpus_server.url + paths[where])
    widths = tab.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1] == 375
