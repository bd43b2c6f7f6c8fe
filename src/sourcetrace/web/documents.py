"""Where the web app keeps analysed documents, and how it turns input into them.

``Engine`` owns the one ``Analyzer`` of an app: loaded on first use (so the app starts at
once and pages that analyse nothing never wait for spaCy), then shared by every request,
one analysis at a time (the machine's cores are better spent on one parse than on several
fighting over them, and a spaCy pipeline is not documented as safe to call from threads).

``StoredDocuments`` keeps them in the database (``store.Store``); ``RecentDocuments`` keeps
the last ones in memory, for an app without a database (the article page of an older one is
gone: 404).
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from .. import errors, ingest
from ..errors import InputError
from ..pipeline import Analyzer
from ..records import AnalysedDocument, RawDocument, sha256_text
from ..settings import AnalysisSettings
from ..store import Store

RECENT_DOCUMENTS = 64
"""Documents an app without a database keeps for their article pages: a morning's work for
one person, a few megabytes of memory."""

ID_PREFIX = "web-"
ID_HASH_CHARS = 12
"""Hex digits of the text's SHA-256 in the id of a document analysed without one: pasting
the same text again gives the same id (and the same page)."""


class Shelf(Protocol):
    """Somewhere to keep analysed documents and find them by id."""

    def put(self, doc: AnalysedDocument) -> None:
        """Keep ``doc``, replacing any document with its id."""

    def get(self, doc_id: str) -> AnalysedDocument | None:
        """Return the document with this id, or None."""


class RecentDocuments:
    """The last ``limit`` documents, in memory, safe to use from several threads."""

    def __init__(self, limit: int = RECENT_DOCUMENTS) -> None:
        """Keep at most ``limit`` documents."""
        self.limit = limit
        self._docs: collections.OrderedDict[str, AnalysedDocument] = collections.OrderedDict()
        self._lock = threading.Lock()

    def put(self, doc: AnalysedDocument) -> None:
        """Keep ``doc``; forget the oldest document when over the limit."""
        with self._lock:
            self._docs[doc.id] = doc
            self._docs.move_to_end(doc.id)
            while len(self._docs) > self.limit:
                self._docs.popitem(last=False)

    def get(self, doc_id: str) -> AnalysedDocument | None:
        """Return the document with this id, if still kept."""
        with self._lock:
            return self._docs.get(doc_id)


class StoredDocuments:
    """Documents in the database at ``path``.

    Each call opens the database for itself: requests run on a pool of threads, and an
    SQLite connection belongs to the thread that opened it. Opening is a few milliseconds
    next to an analysis's second or two.
    """

    def __init__(self, path: Path) -> None:
        """Use the database at ``path``, opening it now so that a bad file is refused at once.

        Raises:
            StoreError: the file is not a sourcetrace database, or cannot be opened.
        """
        self.path = path
        with Store(path):
            pass

    def put(self, doc: AnalysedDocument) -> None:
        """Store ``doc`` (a document with the same id and text is left as it is)."""
        with Store(self.path) as store:
            store.put(doc)

    def get(self, doc_id: str) -> AnalysedDocument | None:
        """Return the stored document ``doc_id``, or None."""
        with Store(self.path) as store:
            return store.document(doc_id)


class Engine:
    """The app's one analyzer, loaded on first use and used by one request at a time."""

    def __init__(self, settings: AnalysisSettings, analyzer: Analyzer | None = None) -> None:
        """Analyse with ``settings``; ``analyzer``, when given, is used instead of loading one."""
        self.settings = settings
        self._analyzer = analyzer
        self._lock = threading.Lock()

    def analyze(self, raw: RawDocument) -> AnalysedDocument:
        """Analyse one document.

        Raises:
            InputError: the text is refused (empty, too long, not English).
            ModelError: the pipeline cannot be loaded.
        """
        with self._lock:
            if self._analyzer is None:
                self._analyzer = Analyzer(self.settings)
            return self._analyzer.analyze(raw)


def document_from_text(text: str, origin: str, fields: Mapping[str, Any]) -> RawDocument:
    """A document from pasted or uploaded text; ``fields`` are its metadata.

    Args:
        text: the text, newlines normalised here.
        origin: what to call it in messages.
        fields: ``id``, ``title``, ``outlet``, ``url``, ``published`` and any other metadata.
    """
    return _document(ingest.normalise_newlines(text), origin, {}, fields)


def document_from_html(markup: str, origin: str, fields: Mapping[str, Any]) -> RawDocument:
    """A document from an HTML page: its main text, its metadata overridden by ``fields``.

    Raises:
        InputError: the page has no article text.
    """
    if not markup.strip():
        raise InputError(origin, errors.EMPTY)
    extracted = ingest.extract_html(markup)
    if extracted is None:
        raise InputError(origin, errors.NO_ARTICLE_TEXT)
    text, found = extracted
    return _document(text, origin, found, fields)


def document_from_bytes(
    data: bytes, is_html: bool, origin: str, fields: Mapping[str, Any]
) -> RawDocument:
    """A document from an uploaded or downloaded file, decoded as ``ingest`` decodes files.

    Raises:
        InputError: the file is binary or has no article text.
    """
    decoded = ingest.decode_text(data)
    if decoded is None:
        raise InputError(origin, errors.BINARY)
    if is_html:
        return document_from_html(decoded, origin, fields)
    return document_from_text(decoded, origin, fields)


_KNOWN = ("title", "outlet", "url", "published")


def _document(
    text: str, origin: str, found: Mapping[str, str], fields: Mapping[str, Any]
) -> RawDocument:
    """Build the document: given fields over those found in the page, the rest as metadata."""
    given = {k: v for k, v in fields.items() if v not in (None, "")}
    merged: dict[str, Any] = {**found, **given}
    doc_id = str(merged.pop("id", "") or f"{ID_PREFIX}{sha256_text(text)[:ID_HASH_CHARS]}")
    known = {k: str(merged.pop(k)) for k in _KNOWN if k in merged}
    return RawDocument(id=doc_id, text=text, origin=origin, metadata=merged, **known)
