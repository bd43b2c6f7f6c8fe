"""Fixtures of the web app tests: one shared analyzer, a live server, a headless Chromium."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sourcetrace.errors import SourcetraceError
from sourcetrace.pipeline import Analyzer
from sourcetrace.settings import AnalysisSettings, WebSettings
from sourcetrace.store import ingest
from sourcetrace.web import create_app
from sourcetrace.web.local import CHROMIUM, CHROMIUM_ARGS, serve_in_thread

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus" / "documents.jsonl"

SERVER_UPLOAD_LIMIT = 100_000
"""The live server's body limit: small, so that the 413 test uploads little."""

# Our own article: a named speaker, an anonymous one, a relay through an outlet, a hedge,
# figures and sentences the article states on its own authority.
PARAGRAPHS = (
    "The Harbour Board will close the east pier for repairs next month, its chair said on Tuesday.",
    '"We cannot keep the pier open while the pilings are rotting," said Maria Okafor, who '
    "chairs the board. She said the work would cost about 4.2 million dollars.",
    "A senior city official, who asked not to be named, said the council had known about the "
    "damage since 2021, according to the Coastal Herald.",
    "The pier carried 1,300 vehicles a day last year. Repairs are expected to take six months, "
    "although the contractor has not confirmed the timetable.",
)
ARTICLE = "\n\n".join(PARAGRAPHS)


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    """The analyzer every app in the tests shares: spaCy is loaded once."""
    return Analyzer()


@pytest.fixture(scope="module")
def client(analyzer: Analyzer) -> Iterator[TestClient]:
    """An app without a database, through FastAPI's test client."""
    with TestClient(create_app(WebSettings(), analyzer)) as test_client:
        yield test_client


@dataclass(frozen=True)
class LiveServer:
    """A running app: its base URL and the app itself (to look at what it stored)."""

    url: str
    app: FastAPI
    db: Path


@pytest.fixture(scope="session")
def live_server(
    analyzer: Analyzer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """The app with a database, served by uvicorn in a thread on a free port."""
    db = tmp_path_factory.mktemp("web") / "web.db"
    settings = WebSettings(db=db, max_upload_bytes=SERVER_UPLOAD_LIMIT)
    yield from _serve(create_app(settings, analyzer), db)


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our labelled multi-outlet corpus, ingested once (analysis and corpus step)."""
    db = tmp_path_factory.mktemp("corpus") / "corpus.db"
    summary = ingest([str(CORPUS)], db, AnalysisSettings())
    assert summary.stored > 0 and summary.failed == 0
    return db


@pytest.fixture(scope="session")
def corpus_server(analyzer: Analyzer, corpus_db: Path) -> Iterator[LiveServer]:
    """The app on the ingested corpus, served like ``live_server``."""
    yield from _serve(create_app(WebSettings(db=corpus_db), analyzer), corpus_db)


def _serve(app: FastAPI, db: Path) -> Iterator[LiveServer]:
    """Run ``app`` with uvicorn in a thread on a free port until the generator is closed."""
    try:
        with serve_in_thread(app) as url:
            yield LiveServer(url, app, db)
    except SourcetraceError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def browser_context() -> Iterator[object]:
    """A headless Chromium (Debian's) with a fresh profile, driven by Playwright."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="sourcetrace-chromium-")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield context
        context.close()
    shutil.rmtree(profile, ignore_errors=True)
