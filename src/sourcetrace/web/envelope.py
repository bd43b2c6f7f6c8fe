"""The one error envelope of the web app, and how each error maps onto it.

Every error the API returns has the same body, with an HTTP status to match::

    {"error": {"status": 422, "code": "no_article_text",
               "message": "upload.html: no article text found in the HTML"}}

``code`` is one of ``ERROR_CODES`` (stable, for programs); ``message`` is one line for people.
Pages (every path outside ``/api/``) show the same code and message on an HTML page.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from .. import errors
from ..errors import InputError

ERROR_CODES: dict[str, str] = {
    "invalid_request": "the request is malformed: a missing or unknown field, a wrong type",
    "too_large": "the request body is over the size limit",
    "no_article_text": "an HTML page without article text (a menu, an index or error page)",
    "input_refused": "the text cannot be analysed: empty, too long, binary or not English",
    "url_refused": "the URL is not http(s), or its host is not a public address",
    "fetch_failed": "the page could not be downloaded, was too large, too slow or not a page",
    "not_found": "no such page, article or route",
    "method_not_allowed": "the route does not take this HTTP method",
    "model_unavailable": "the analysis pipeline could not be loaded",
    "store_unavailable": "the database cannot be read or written (locked, full, corrupt)",
    "internal_error": "a bug in sourcetrace; the server keeps serving",
}
"""Every ``code`` the envelope carries, and when (docs/web.md lists them)."""

_INPUT_CODES: dict[str, tuple[int, str]] = {
    errors.NO_ARTICLE_TEXT: (422, "no_article_text"),
    errors.URL_SCHEME: (422, "url_refused"),
    errors.URL_NO_HOST: (422, "url_refused"),
    errors.URL_UNRESOLVED: (422, "url_refused"),
    errors.URL_NOT_PUBLIC: (422, "url_refused"),
    errors.TOO_MANY_REDIRECTS: (502, "fetch_failed"),
    errors.FETCH_TIMEOUT: (504, "fetch_failed"),
    errors.NOT_A_PAGE: (422, "fetch_failed"),
    errors.ONE_INPUT: (422, "invalid_request"),
}
"""Status and code of the ``InputError`` reasons that are not plain refusals of the text."""

_FETCH_FAILED = errors.fetch_failed("").split("(")[0]
_TOO_LARGE = errors.too_large(0).split("0")[0]

_STATUS_CODES: dict[int, str] = {
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    422: "invalid_request",
}


class ErrorBody(BaseModel):
    """What went wrong."""

    status: int = Field(description="the HTTP status, repeated")
    code: str = Field(description="stable error code: " + ", ".join(ERROR_CODES))
    message: str = Field(description="one line for people")


class ErrorEnvelope(BaseModel):
    """The body of every error response."""

    error: ErrorBody


class WebError(Exception):
    """An error to answer with the envelope.

    Attributes:
        status: the HTTP status.
        code: one of ``ERROR_CODES``.
        message: one line for people.
    """

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def envelope(self) -> dict[str, dict[str, object]]:
        """The JSON body."""
        return {"error": {"status": self.status, "code": self.code, "message": self.message}}


def from_input_error(exc: InputError) -> WebError:
    """The envelope of a refused document, URL or download."""
    status, code = _INPUT_CODES.get(exc.reason, (422, "input_refused"))
    if exc.reason.startswith((_FETCH_FAILED, _TOO_LARGE)):
        status, code = 502, "fetch_failed"
    return WebError(status, code, str(exc))


def from_status(status: int, message: str) -> WebError:
    """The envelope of an HTTP error raised by the framework (404, 405, ...)."""
    return WebError(status, _STATUS_CODES.get(status, "invalid_request"), message)
