"""Save screenshots of the web app's pages to docs/screenshots/ (``make screenshots``).

Fills a throwaway database with our labelled corpus (tests/data/corpus/documents.jsonl),
starts the app on it on a free local port, analyses one of our example articles through the
form in headless Chromium (Debian's ``/usr/bin/chromium``), and saves each page (the form,
an article, the stories list, a story, an outlet) at desktop and phone width. Nothing is
fetched from the network.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, ViewportSize, sync_playwright

from sourcetrace.corpus.overview import story_summaries
from sourcetrace.corpus.tables import read_outlet_edges
from sourcetrace.settings import AnalysisSettings, WebSettings
from sourcetrace.store import Store, ingest
from sourcetrace.web import create_app
from sourcetrace.web.corpus import outlet_url
from sourcetrace.web.local import CHROMIUM, CHROMIUM_ARGS, serve_in_thread

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"
ARTICLE = REPO / "examples" / "wire-ferry-strike.txt"
CORPUS = REPO / "tests" / "data" / "corpus" / "documents.jsonl"
DESKTOP: ViewportSize = {"width": 1200, "height": 900}
PHONE: ViewportSize = {"width": 375, "height": 812}


def _shoot(page: Page, name: str, full_page: bool = True) -> None:
    """Save the whole page (or what the window shows) as docs/screenshots/NAME.png."""
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    print(f"wrote {path.relative_to(REPO)}")


def _part(page: Page, selector: str, name: str) -> None:
    """Save the first element matching ``selector`` as docs/screenshots/NAME.png."""
    path = OUT / f"{name}.png"
    page.locator(selector).first.screenshot(path=str(path))
    print(f"wrote {path.relative_to(REPO)}")


def _showcase(db: Path) -> tuple[str, str]:
    """The story with the most outlet edges (the richest graph) and its first outlet."""
    with Store(db) as store:
        edges = {
            s.story.id: len(read_outlet_edges(store, s.story.id)) for s in story_summaries(store)
        }
        best = max(story_summaries(store), key=lambda s: (edges[s.story.id], len(s.outlets)))
    return best.story.id, best.outlets[0]


def _corpus_pages(page: Page, base: str, db: Path) -> None:
    """The stories list, a story page and an outlet page, at desktop then phone width."""
    story, outlet = _showcase(db)
    for suffix, size in (("", DESKTOP), ("-phone", PHONE)):
        page.set_viewport_size(size)
        page.goto(base + "/stories")
        _shoot(page, "stories" + suffix)
        page.goto(f"{base}/stories/{story}")
        _shoot(page, "story" + suffix, full_page=False)
        if not suffix:
            _part(page, "#graph", "story-graph")
            _part(
                page, "figure.timeline[data-conflicts]:not([data-conflicts='0'])", "story-figures"
            )
        page.goto(base + outlet_url(outlet))
        _shoot(page, "outlet" + suffix)


def main() -> int:
    """Take every screenshot; return the exit status."""
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "screenshots.db"
        ingest([str(CORPUS)], db, AnalysisSettings())
        with (
            serve_in_thread(create_app(WebSettings(db=db))) as base,
            sync_playwright() as playwright,
        ):
            context = playwright.chromium.launch_persistent_context(
                str(Path(tmp) / "profile"),
                executable_path=str(CHROMIUM),
                headless=True,
                args=CHROMIUM_ARGS,
                viewport=DESKTOP,
            )
            page = context.new_page()
            page.goto(base + "/")
            page.fill("#text", ARTICLE.read_text("utf-8"))
            page.click("details summary")
            page.fill("#title", "Ferry crews to strike")
            page.fill("#outlet", "Example Wire")
            _shoot(page, "analyse-form")
            page.click("form.analyse button[type=submit]")
            page.wait_for_url("**/articles/*", timeout=120_000)
            article = page.url
            _shoot(page, "article")
            page.set_viewport_size(PHONE)
            page.goto(article)
            _shoot(page, "article-phone")
            page.goto(base + "/")
            page.fill("#url", "http://127.0.0.1/")
            page.click("form.analyse button[type=submit]")
            page.wait_for_selector("[role=alert]")
            _shoot(page, "refused-url-phone")
            _corpus_pages(page, base, db)
            context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
