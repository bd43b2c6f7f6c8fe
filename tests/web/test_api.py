"""The JSON API through FastAPI's test client: the document contract, the error envelope."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient

from sourcetrace import errors
from sourcetrace.pipeline import Analyzer
from sourcetrace.records import RawDocument
from sourcetrace.schema import document_schema
from sourcetrace.settings import MAX_UPLOAD_BYTES, WebSettings
from sourcetrace.store import Store
from sourcetrace.web import create_app
from sourcetrace.web.envelope import ERROR_CODES

from .conftest import ARTICLE, PARAGRAPHS

ARTICLE_HTML = f"""<html><head><title>Pier to close for repairs</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Pier to close for repairs</h1>{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}</article>
<footer>Contact us</footer></body></html>"""

NOT_AN_ARTICLE = """<html><head><title>Site map</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li></ul></nav></body></html>"""


def assert_envelope(response: Any, status: int, code: str) -> str:
    """The response is the one error envelope with this status and code; returns the message."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message"}
    assert (body["error"]["status"], body["error"]["code"]) == (status, code)
    assert code in ERROR_CODES
    message: str = body["error"]["message"]
    assert message and "\n" not in message
    return message


def test_analyze_text_returns_the_document_contract(client: TestClient, analyzer: Analyzer) -> None:
    response = client.post("/api/analyze", json={"text": ARTICLE, "id": "pier", "title": "Pier"})
    assert response.status_code == 200
    body = response.json()
    jsonschema.validate(body, document_schema())
    expected = analyzer.analyze(RawDocument(id="pier", text=ARTICLE, title="Pier")).to_dict()
    assert body == expected
    assert client.get("/api/articles/pier").json() == expected
    assert client.get("/api/articles/pier?include_text=true").json()["text"] == ARTICLE


def test_analyze_html_reads_the_article_text_and_title(client: TestClient) -> None:
    body = client.post("/api/analyze", json={"html": ARTICLE_HTML, "include_text": True}).json()
    assert body["title"] == "Pier to close for repairs"
    assert "Maria Okafor" in body["text"] and "Contact us" not in body["text"]
    assert body["id"].startswith("web-")
    speakers = {a["speaker"]["name"] for a in body["attributions"] if a.get("speaker")}
    assert "Maria Okafor" in speakers


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"html": NOT_AN_ARTICLE}, "no_article_text"),
        ({"text": "   \n  "}, "input_refused"),
        ({"url": "http://127.0.0.1:8000/admin"}, "url_refused"),
        ({"url": "http://localhost/"}, "url_refused"),
        ({"url": "http://10.0.0.1/"}, "url_refused"),
        ({"url": "http://[::1]/"}, "url_refused"),
        ({"url": "http://169.254.169.254/latest/meta-data/"}, "url_refused"),
        ({"url": "file:///etc/passwd"}, "url_refused"),
    ],
)
def test_refused_input_gets_422_with_a_clear_code(
    client: TestClient, payload: dict[str, str], code: str
) -> None:
    message = assert_envelope(client.post("/api/analyze", json=payload), 422, code)
    if code == "no_article_text":
        assert errors.NO_ARTICLE_TEXT in message
    assert client.get("/").status_code == 200  # the server keeps serving


@pytest.mark.parametrize(
    "body",
    [
        b"{}",
        b'{"text": 5}',
        b'{"text": "a", "html": "<p>b</p>"}',
        b'{"text": "a", "colour": "red"}',
        b'{"text": "a", "metadata": []}',
        b"[1, 2]",
        b"{not json",
        b"",
    ],
)
def test_malformed_requests_get_422_with_the_envelope(client: TestClient, body: bytes) -> None:
    response = client.post(
        "/api/analyze", content=body, headers={"content-type": "application/json"}
    )
    assert_envelope(response, 422, "invalid_request")


def test_a_body_over_the_limit_gets_413(client: TestClient) -> None:
    text = "word " * (MAX_UPLOAD_BYTES // 5 + 1)
    message = assert_envelope(client.post("/api/analyze", json={"text": text}), 413, "too_large")
    assert f"{MAX_UPLOAD_BYTES:,}" in message
    assert client.get("/").status_code == 200


def test_an_upload_over_the_limit_gets_413_on_the_page(client: TestClient) -> None:
    big = b"word " * (MAX_UPLOAD_BYTES // 5 + 1)
    response = client.post("/analyze", files={"file": ("big.txt", big, "text/plain")})
    assert response.status_code == 413
    assert "larger than the limit" in response.text
    assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/api/articles/no-such-id", 404, "not_found"),
        ("GET", "/api/nothing-here", 404, "not_found"),
        ("GET", "/api/analyze", 405, "method_not_allowed"),
        ("DELETE", "/api/articles/x", 405, "method_not_allowed"),
    ],
)
def test_every_api_error_has_the_envelope(
    client: TestClient, method: str, path: str, status: int, code: str
) -> None:
    assert_envelope(client.request(method, path), status, code)


def test_pages_show_errors_as_html(client: TestClient) -> None:
    response = client.get("/articles/no-such-id")
    assert response.status_code == 404
    assert "no-such-id: no such article" in response.text
    assert "<!DOCTYPE html>" in response.text


def test_openapi_describes_the_api_and_the_envelope(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/analyze", "/api/articles/{doc_id}"} <= set(spec["paths"])
    assert "ErrorEnvelope" in spec["components"]["schemas"]
    responses = spec["paths"]["/api/analyze"]["post"]["responses"]
    assert responses["413"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "ErrorEnvelope"
    )
    assert not any(p.startswith(("/articles", "/analyze", "/static")) for p in spec["paths"])


def test_pages_and_assets_are_local_and_guarded(client: TestClient) -> None:
    page = client.get("/")
    assert "http://" not in page.text and "https://" not in page.text.replace('"https://"', "")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    for asset in ("/static/report.css", "/static/web.css", "/static/app.js"):
        assert client.get(asset).status_code == 200, asset
    assert client.get("/docs").status_code == 404  # the CDN-loading docs page is off


def test_documents_go_to_the_database_and_survive_a_restart(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    db = tmp_path / "web.db"
    with TestClient(create_app(WebSettings(db=db), analyzer)) as first:
        doc = first.post("/api/analyze", json={"text": ARTICLE, "id": "stored"}).json()
    with Store(db) as store:
        stored = store.document("stored")
    assert stored is not None and stored.to_dict() == doc
    with TestClient(create_app(WebSettings(db=db), analyzer)) as second:
        assert second.get("/api/articles/stored").json() == doc
        page = second.get("/articles/stored")
        assert page.status_code == 200 and "Maria Okafor" in page.text


def test_importing_the_web_app_without_its_extra_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "fastapi", None)  # None: "import fastapi" fails
    monkeypatch.delitem(sys.modules, "sourcetrace.web")
    with pytest.raises(ImportError, match=r"pip install sourcetrace\[web\]"):
        importlib.import_module("sourcetrace.web")
