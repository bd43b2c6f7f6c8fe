"""The web app: analyse an article and see its sourcing, as pages and as JSON.

Pages: ``/`` (the analyse form), ``POST /analyze`` (analyses, then redirects to the article
page), ``/articles/{id}`` (the article with its sources, cues, contents, figures and
unsourced assertions highlighted, and its sourcing summary), and the corpus pages of
``corpus.py`` (stories, story, outlet, search). JSON: ``POST /api/analyze``
and ``/api/articles/{id}``, returning the document contract of ``docs/schema.md``, and the
corpus records (``/api/stories``, ``/api/claims``); the
OpenAPI description is at ``/openapi.json``. Every error, page or API, carries one code and
message (``envelope``). Everything the pages load is served from here (``/static/``).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from typing import Annotated, Any

import jinja2
from fastapi import FastAPI, File, Form, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.types import Scope

from .. import __version__, errors
from ..errors import InputError, ModelError, StoreError
from ..ingest import HTML_SUFFIXES
from ..pipeline import Analyzer
from ..records import AnalysedDocument, RawDocument
from ..report import ArticleView, template_environment
from ..settings import WebSettings
from ..views import ATTRIBUTION_COLUMNS
from .corpus import add_corpus_api, add_corpus_pages, has_stories
from .documents import (
    Engine,
    RecentDocuments,
    Shelf,
    StoredDocuments,
    document_from_bytes,
    document_from_html,
    document_from_text,
)
from .envelope import ErrorEnvelope, WebError, from_input_error, from_status
from .fetch import fetch_page
from .middleware import BodyLimit, SecurityHeaders

API_PREFIX = "/api/"
FORM_PATH = "/analyze"

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorEnvelope, "description": description}
    for status, description in (
        (404, "no such article or story"),
        (413, "request body over the size limit"),
        (422, "malformed request, or text/HTML/URL refused (see the error code)"),
        (502, "the URL could not be downloaded"),
        (503, "the analysis pipeline or the database cannot be used"),
    )
}


class AnalyzeRequest(BaseModel):
    """One article to analyse: exactly one of ``text``, ``html``, ``url``, plus metadata."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, description="the article text")
    html: str | None = Field(None, description="an HTML page; its main text is analysed")
    url: str | None = Field(None, description="an http(s) page on a public address to fetch")
    id: str | None = Field(None, description="document id; default: web- and a text hash")
    title: str | None = None
    outlet: str | None = None
    published: str | None = Field(None, description="publication date, ISO 8601")
    metadata: dict[str, Any] = Field(default_factory=dict, description="kept as given")
    include_text: bool = Field(False, description="add the analysed text to the result")

    @model_validator(mode="after")
    def _one_input(self) -> AnalyzeRequest:
        """Exactly one of text, html, url."""
        if sum(v is not None for v in (self.text, self.html, self.url)) != 1:
            raise ValueError(errors.ONE_INPUT)
        return self

    def fields(self) -> dict[str, Any]:
        """The document's metadata fields."""
        known = {"id": self.id, "title": self.title, "outlet": self.outlet}
        return {**self.metadata, **known, "published": self.published}


class App:
    """What the routes share: settings, the analyzer, the documents, the templates."""

    def __init__(self, settings: WebSettings, analyzer: Analyzer | None) -> None:
        """Set up without loading the pipeline (``Engine`` loads it on first use)."""
        self.settings = settings
        self.engine = Engine(settings.analysis, analyzer)
        self.shelf: Shelf = (
            RecentDocuments() if settings.db is None else StoredDocuments(settings.db)
        )
        self.templates = template_environment(jinja2.PackageLoader("sourcetrace.web", "templates"))

    def page(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        """Render a page template."""
        context.setdefault("error", None)
        html = self.templates.get_template(name).render(version=__version__, **context)
        return HTMLResponse(html, status_code=status)

    def error(self, path: str, exc: WebError) -> Response:
        """The envelope as JSON for the API, as a page elsewhere (the form, for the form's)."""
        if path.startswith(API_PREFIX) or path == "/openapi.json":
            return JSONResponse(exc.envelope(), status_code=exc.status)
        if path == FORM_PATH:
            return self.page("index.html.j2", exc.status, form={}, error=exc)
        return self.page("error.html.j2", exc.status, error=exc)

    def too_large(self, scope: Scope) -> Response:
        """The answer to a request body over the limit."""
        limit = self.settings.max_upload_bytes
        message = f"request body {errors.too_large(limit)}"
        return self.error(scope["path"], WebError(413, "too_large", message))

    def analyze(self, raw: RawDocument) -> AnalysedDocument:
        """Analyse and keep one document."""
        doc = self.engine.analyze(raw)
        self.shelf.put(doc)
        return doc

    def fetch(self, url: str, fields: dict[str, Any]) -> RawDocument:
        """Download a page and make it a document, its final URL as the document's."""
        page = fetch_page(
            url,
            max_bytes=self.settings.max_upload_bytes,
            timeout=self.settings.fetch_timeout,
        )
        return document_from_bytes(page.body, page.is_html, url, {"url": page.url, **fields})

    def article(self, doc_id: str) -> AnalysedDocument:
        """The stored document ``doc_id``, else a 404."""
        doc = self.shelf.get(doc_id)
        if doc is None:
            raise WebError(404, "not_found", f"{doc_id}: no such article")
        return doc


def create_app(settings: WebSettings | None = None, analyzer: Analyzer | None = None) -> FastAPI:
    """Build the web app.

    Args:
        settings: where documents are kept, limits, analysis settings; None: the defaults.
            With ``settings.db``, analysed documents are stored there and article pages read
            from it; without, the last ones are kept in memory.
        analyzer: an analyzer to share (tests); None loads one on the first analysis.

    Returns:
        The ASGI app (run it with uvicorn, or ``sourcetrace serve``).

    Raises:
        StoreError: ``settings.db`` is not a usable sourcetrace database.
    """
    state = App(settings or WebSettings(), analyzer)
    app = FastAPI(
        title="sourcetrace",
        version=__version__,
        description="Who said what in a news article, through whom, and what rests on the "
        "writer's word. Errors: see the ErrorEnvelope schema.",
        docs_url=None,  # the interactive docs load scripts from a CDN; the schema is enough
        redoc_url=None,
    )
    app.state.sourcetrace = state
    _add_error_handlers(app, state)
    _add_pages(app, state)
    add_corpus_pages(app, state)
    _add_api(app, state)
    add_corpus_api(app, state, ERROR_RESPONSES)
    app.add_middleware(BodyLimit, limit=state.settings.max_upload_bytes, too_large=state.too_large)
    app.add_middleware(SecurityHeaders)
    return app


def _add_error_handlers(app: FastAPI, state: App) -> None:
    """Every error becomes the envelope (or its page)."""

    async def web_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, WebError)
        return state.error(request.url.path, exc)

    async def input_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, InputError)
        return state.error(request.url.path, from_input_error(exc))

    async def model_error(request: Request, exc: Exception) -> Response:
        return state.error(request.url.path, WebError(503, "model_unavailable", str(exc)))

    async def store_error(request: Request, exc: Exception) -> Response:
        return state.error(request.url.path, WebError(503, "store_unavailable", str(exc)))

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return state.error(request.url.path, WebError(422, "invalid_request", _problems(exc)))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return state.error(request.url.path, from_status(exc.status_code, str(exc.detail)))

    async def crash(request: Request, exc: Exception) -> Response:
        message = f"internal error: {type(exc).__name__}"
        return state.error(request.url.path, WebError(500, "internal_error", message))

    app.add_exception_handler(WebError, web_error)
    app.add_exception_handler(InputError, input_error)
    app.add_exception_handler(ModelError, model_error)
    app.add_exception_handler(StoreError, store_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, crash)


MAX_PROBLEMS = 3
"""Validation problems named in one message; the rest are counted."""


def _problems(exc: RequestValidationError) -> str:
    """One line naming what is wrong with a request."""
    problems = []
    for problem in exc.errors():
        where = ".".join(str(part) for part in problem.get("loc", ())[1:]) or "body"
        problems.append(f"{where}: {problem.get('msg', 'invalid')}")
    shown = "; ".join(problems[:MAX_PROBLEMS])
    more = len(problems) - MAX_PROBLEMS
    return f"{shown} (and {more} more)" if more > 0 else shown or "malformed request"


def _add_pages(app: FastAPI, state: App) -> None:
    """The HTML pages and their static files."""

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        return state.page("index.html.j2", form={}, stories=has_stories(state))

    @app.post(FORM_PATH, include_in_schema=False)
    async def analyze_form(
        text: Annotated[str, Form()] = "",
        url: Annotated[str, Form()] = "",
        file: Annotated[UploadFile | None, File()] = None,
        title: Annotated[str, Form()] = "",
        outlet: Annotated[str, Form()] = "",
        published: Annotated[str, Form()] = "",
    ) -> Response:
        form = {"text": text, "url": url, "title": title, "outlet": outlet, "published": published}
        fields = {"title": title, "outlet": outlet, "published": published}
        upload = await file.read() if file is not None and file.filename else None
        try:
            raw = await run_in_threadpool(_form_document, state, form, fields, file, upload)
            doc = await run_in_threadpool(state.analyze, raw)
        except InputError as exc:
            error = from_input_error(exc)
            return state.page("index.html.j2", error.status, form=form, error=error)
        return RedirectResponse(f"/articles/{doc.id}", status_code=303)

    @app.get("/articles/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(doc_id: str) -> HTMLResponse:
        doc = state.article(doc_id)
        view = ArticleView(doc, 1, ATTRIBUTION_COLUMNS)
        return state.page("article_page.html.j2", article=view)

    @app.get("/static/report.css", include_in_schema=False)
    def report_css() -> Response:
        # The report's stylesheet, shared with the pages rather than copied.
        css = resources.files("sourcetrace").joinpath("templates/report.css").read_text("utf-8")
        return Response(css, media_type="text/css")

    app.mount("/static", StaticFiles(packages=[("sourcetrace.web", "static")]), name="static")


def _form_document(
    state: App,
    form: dict[str, str],
    fields: dict[str, Any],
    file: UploadFile | None,
    upload: bytes | None,
) -> RawDocument:
    """The document the form describes: pasted text, an uploaded file, or a URL."""
    given = [bool(form["text"].strip()), upload is not None, bool(form["url"].strip())]
    if sum(given) != 1:
        raise InputError("form", errors.ONE_INPUT)
    if upload is not None and file is not None:
        name = file.filename or "upload"
        is_html = name.lower().endswith(tuple(HTML_SUFFIXES)) or (
            file.content_type or ""
        ).startswith("text/html")
        return document_from_bytes(upload, is_html, name, fields)
    if form["url"].strip():
        return state.fetch(form["url"].strip(), fields)
    return document_from_text(form["text"], "pasted text", fields)


def _add_api(app: FastAPI, state: App) -> None:
    """The JSON API."""

    @app.post("/api/analyze", responses=ERROR_RESPONSES, summary="Analyse one article")
    def api_analyze(request: AnalyzeRequest) -> dict[str, Any]:
        """Analyse text, an HTML page or a URL; return the document (docs/schema.md)."""
        fields = request.fields()
        if request.text is not None:
            raw = document_from_text(request.text, "text", fields)
        elif request.html is not None:
            raw = document_from_html(request.html, "html", fields)
        else:
            raw = state.fetch(str(request.url), fields)
        return state.analyze(raw).to_dict(include_text=request.include_text)

    @app.get("/api/articles/{doc_id}", responses=ERROR_RESPONSES, summary="One analysed article")
    def api_article(doc_id: str, include_text: bool = False) -> dict[str, Any]:
        """Return a stored document (docs/schema.md); ``include_text`` adds its text."""
        return state.article(doc_id).to_dict(include_text=include_text)


def serve(settings: WebSettings, log: Callable[[str], None] | None = None) -> None:
    """Run the web app with uvicorn until interrupted (``sourcetrace serve``).

    Args:
        settings: the app's settings, with the address to listen on.
        log: told where the app is served, once it is built; None says nothing.

    Raises:
        StoreError: ``settings.db`` is not a usable sourcetrace database.
    """
    import uvicorn

    app = create_app(settings)
    if log is not None:
        where = settings.db if settings.db is not None else "memory"
        log(f"serving {where} at http://{settings.host}:{settings.port}/ (Ctrl-C stops)")
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
