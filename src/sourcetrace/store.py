"""The corpus store: analysed documents in one SQLite file, and ``ingest`` that fills it.

``Store`` is the one writer. On open it checks that the file is a sourcetrace database (or a
new, empty file), refuses anything else with a ``StoreError`` naming the file, and never
resets or rewrites a file it refuses. It then switches to WAL and applies the schema
migrations (``data/migrations/NNNN_*.sql``), each in one transaction together with its
``PRAGMA user_version``. Every write is one transaction, so a killed process leaves the
database as it was after the last committed document. The tables are documented in
``docs/store.md``.

Documents are keyed by id; a document whose text has the same SHA-256 as the stored one is
left alone, a different text replaces the stored analysis (the document keeps its ingest
position, ``seq``, which orders documents that have no date).
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from . import errors
from .codec import document_from_dict
from .errors import StoreError
from .records import AnalysedDocument, Attribution, Failure, Span, sha256_text
from .settings import AnalysisSettings

APPLICATION_ID = 0x53524354
"""``PRAGMA application_id`` of a sourcetrace store ("SRCT"), set by the first migration."""

DEFAULT_BUSY_TIMEOUT = 5.0
"""Seconds to wait for another process's lock before refusing the file. Long enough to ride
out a reader's checkpoint or a short write; short enough that a held lock is reported soon."""

MIGRATIONS_DIR = ("data", "migrations")
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

CORPUS_TABLES = (
    "stories",
    "story_documents",
    "claims",
    "claim_mentions",
    "echoes",
    "reuse",
    "figure_points",
    "figure_conflicts",
)
"""The tables the corpus step writes, parents before children."""

JSON_COLUMNS: Mapping[str, frozenset[str]] = {
    "claims": frozenset({"sources", "flags"}),
    "claim_mentions": frozenset({"span_fragments", "speaker", "via"}),
    "figure_conflicts": frozenset({"points"}),
}
"""Corpus columns that hold JSON, per table: encoded on write, decoded by ``corpus_rows``.
(``figure_points.speaker`` is a plain name, not JSON.)"""

Outcome = Literal["stored", "replaced", "unchanged"]


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: ``version`` is the ``user_version`` after it has run."""

    version: int
    name: str
    sql: str


def migrations() -> tuple[Migration, ...]:
    """Return the packaged migrations in order.

    Raises:
        StoreError: the migration files are not numbered 0001, 0002, ... without gaps.
    """
    folder = resources.files("sourcetrace").joinpath(*MIGRATIONS_DIR)
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise StoreError(str(folder), errors.store_failed("migrations are not numbered in order"))
    return tuple(found)


def _reason(exc: sqlite3.Error) -> str:
    """The one-line reason for an SQLite error."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if name.startswith("SQLITE_NOTADB") or "not a database" in text:
        return errors.NOT_A_DATABASE
    if name.startswith("SQLITE_CORRUPT") or "malformed" in text:
        return errors.STORE_CORRUPT
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return errors.STORE_LOCKED
    if name.startswith("SQLITE_FULL") or "full" in text:
        return errors.STORE_FULL
    if name.startswith("SQLITE_READONLY") or "readonly" in text:
        return errors.STORE_READ_ONLY
    return errors.store_failed(text)


def _now() -> str:
    """The current UTC time, ISO 8601, to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _json(value: Any) -> str:
    """Compact, stable JSON."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _span_columns(span: Span | None) -> tuple[Any, ...]:
    """(text, start, end, fragments JSON) of a span, all None for no span."""
    if span is None:
        return (None, None, None, None)
    fragments = _json([list(f) for f in span.fragments]) if span.fragments else None
    return (span.text, span.start, span.end, fragments)


def _span_dict(text: Any, start: Any, end: Any, fragments: Any) -> dict[str, Any] | None:
    """The JSON-contract span of stored columns, None when the span is absent."""
    if text is None:
        return None
    out: dict[str, Any] = {"text": text, "start": start, "end": end}
    if fragments:
        out["fragments"] = json.loads(fragments)
    return out


def _attribution_row(doc_id: str, position: int, a: Attribution) -> tuple[Any, ...]:
    """One ``attributions`` row."""
    speaker = a.speaker
    return (
        doc_id,
        a.id,
        position,
        a.type,
        *_span_columns(a.source),
        *_span_columns(a.cue),
        *_span_columns(a.content),
        speaker.name if speaker else None,
        speaker.description if speaker else None,
        speaker.kind if speaker else None,
        None if speaker is None else int(speaker.anonymous),
        _json(speaker.mention.to_dict()) if speaker and speaker.mention else None,
        None if a.via is None else _json([r.to_dict() for r in a.via]),
        None if a.flags is None else _json([f.to_dict() for f in a.flags]),
    )


def _attribution_dict(row: sqlite3.Row) -> dict[str, Any]:
    """The JSON-contract attribution of a stored row."""
    out: dict[str, Any] = {
        "id": row["id"],
        "type": row["type"],
        "source": _span_dict(*(row[f"source_{c}"] for c in ("text", "start", "end", "fragments"))),
        "cue": _span_dict(*(row[f"cue_{c}"] for c in ("text", "start", "end", "fragments"))),
        "content": _span_dict(
            *(row[f"content_{c}"] for c in ("text", "start", "end", "fragments"))
        ),
    }
    if row["speaker_kind"] is not None:
        mention = row["speaker_mention"]
        out["speaker"] = {
            "name": row["speaker_name"],
            "description": row["speaker_description"],
            "kind": row["speaker_kind"],
            "anonymous": bool(row["speaker_anonymous"]),
            "mention": json.loads(mention) if mention else None,
        }
    if row["via"] is not None:
        out["via"] = json.loads(row["via"])
    if row["flags"] is not None:
        out["flags"] = json.loads(row["flags"])
    return out


class Store:
    """The sourcetrace database: the one writer to its SQLite file.

    Use it as a context manager (``with Store(path) as store: ...``) so the file is closed.
    """

    def __init__(
        self, path: str | Path, *, timeout: float = DEFAULT_BUSY_TIMEOUT, writer: bool = True
    ) -> None:
        """Open (or create) the store at ``path`` and bring its schema up to date.

        Args:
            path: the database file; a missing or empty file becomes a new store.
            timeout: seconds to wait for another process's lock.
            writer: check at once that the write lock can be taken (for ``ingest``); False
                for commands that only read, so that they never wait for a running ingest.

        Raises:
            StoreError: the file is not a sourcetrace database, is corrupt, locked, read-only,
                or was written by a newer sourcetrace. The file is left as it was.
        """
        self.path = Path(path)
        if self.path.is_dir():
            raise StoreError(str(self.path), errors.store_failed("it is a directory"))
        try:
            self._conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(str(self.path), _reason(exc)) from exc
        self._conn.row_factory = sqlite3.Row
        try:
            with self._guard():
                self._check_identity()
                self._conn.execute("PRAGMA journal_mode = WAL")
                self._conn.execute("PRAGMA synchronous = NORMAL")
                self._conn.execute("PRAGMA foreign_keys = ON")
                self._migrate(probe=writer)
        except BaseException:
            self._conn.close()
            raise

    @property
    def connection(self) -> sqlite3.Connection:
        """The open connection, for read-only queries; write only through ``Store`` methods."""
        return self._conn

    def close(self) -> None:
        """Close the database."""
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn SQLite errors into a one-line ``StoreError`` naming the file."""
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(str(self.path), _reason(exc)) from exc

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, rolled back on any error."""
        with self._guard():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        self._conn.execute("ROLLBACK")
                raise

    def _pragma(self, name: str) -> int:
        """Read an integer pragma."""
        return int(self._conn.execute(f"PRAGMA {name}").fetchone()[0])

    def _check_identity(self) -> None:
        """Refuse a file that is neither a new database nor a sourcetrace store we can read."""
        app_id = self._pragma("application_id")
        version = self._pragma("user_version")
        if app_id != APPLICATION_ID:
            objects = self._conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
            if app_id != 0 or version != 0 or objects:
                raise StoreError(str(self.path), errors.NOT_A_STORE)
        latest = len(migrations())
        if version > latest:
            raise StoreError(str(self.path), errors.newer_store(version, latest))

    def _migrate(self, probe: bool) -> None:
        """Apply pending migrations, each in one transaction with its ``user_version``."""
        pending = [m for m in migrations() if m.version > self._pragma("user_version")]
        if not pending and probe:
            # Take the write lock once now, so that a locked file is refused before any work.
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.execute("ROLLBACK")
        for migration in pending:
            with self._transaction() as conn:
                # Another process may have migrated between our check and the lock.
                if self._pragma("user_version") >= migration.version:
                    continue
                for statement in _statements(migration.sql):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {migration.version}")

    @property
    def schema_version(self) -> int:
        """The schema version of the file (``PRAGMA user_version``)."""
        with self._guard():
            return self._pragma("user_version")

    def stored_hash(self, doc_id: str) -> str | None:
        """Return the stored ``text_sha256`` of document ``doc_id``, None if it is not stored."""
        with self._guard():
            row = self._conn.execute(
                "SELECT text_sha256 FROM documents WHERE id = ?", (doc_id,)
            ).fetchone()
        return None if row is None else str(row[0])

    def put(self, doc: AnalysedDocument, origin: str = "") -> Outcome:
        """Store one analysed document in one transaction.

        Args:
            doc: the document.
            origin: where it was read from (a path); a failure recorded under it is cleared.

        Returns:
            ``stored`` (new id), ``replaced`` (the id was stored with another text; its old
            analysis is gone) or ``unchanged`` (the same text is already stored).

        Raises:
            StoreError: the write failed (disk full, locked, ...); nothing of it was stored.
        """
        sha = doc.text_sha256
        with self._transaction() as conn:
            row = conn.execute(
                "SELECT seq, text_sha256 FROM documents WHERE id = ?", (doc.id,)
            ).fetchone()
            if row is not None and row["text_sha256"] == sha:
                return "unchanged"
            if row is not None:
                seq = int(row["seq"])
                conn.execute("DELETE FROM documents WHERE id = ?", (doc.id,))  # cascades
            else:
                seq = int(
                    conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM documents").fetchone()[0]
                )
            self._insert(conn, doc, seq, origin or doc.id)
            conn.execute("DELETE FROM failures WHERE doc IN (?, ?)", (origin or doc.id, doc.id))
        return "stored" if row is None else "replaced"

    def _insert(
        self, conn: sqlite3.Connection, doc: AnalysedDocument, seq: int, origin: str
    ) -> None:
        """Insert a document and its child rows."""
        conn.execute(
            "INSERT INTO documents (id, seq, origin, text, text_sha256, title, outlet, url,"
            " published, metadata, assertions_found, ingested_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc.id,
                seq,
                origin,
                doc.text,
                doc.text_sha256,
                doc.title,
                doc.outlet,
                doc.url,
                doc.published,
                _json(dict(doc.metadata)),
                int(doc.assertions is not None),
                _now(),
            ),
        )
        conn.executemany(
            f"INSERT INTO attributions VALUES ({', '.join('?' * 23)})",
            [_attribution_row(doc.id, i, a) for i, a in enumerate(doc.attributions)],
        )
        conn.executemany(
            "INSERT INTO figures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    doc.id,
                    i,
                    f.text,
                    f.start,
                    f.end,
                    f.value,
                    f.qualifier,
                    f.low,
                    f.high,
                    f.what,
                    f.unit,
                    f.attribution,
                )
                for i, f in enumerate(doc.figures)
            ],
        )
        conn.executemany(
            "INSERT INTO assertions VALUES (?, ?, ?, ?, ?, ?)",
            [
                (doc.id, i, a.text, a.start, a.end, a.reason)
                for i, a in enumerate(doc.assertions or ())
            ],
        )

    def record_failure(self, failure: Failure) -> None:
        """Store (or update) a document that could not be analysed."""
        with self._transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO failures (doc, reason, failed_at) VALUES (?, ?, ?)",
                (failure.doc, failure.reason, _now()),
            )

    def failures(self) -> list[Failure]:
        """Return the recorded failures, by document name."""
        with self._guard():
            rows = self._conn.execute("SELECT doc, reason FROM failures ORDER BY doc").fetchall()
        return [Failure(r["doc"], r["reason"]) for r in rows]

    def count(self) -> int:
        """Return how many documents are stored."""
        with self._guard():
            return int(self._conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def document(self, doc_id: str) -> AnalysedDocument | None:
        """Return the stored document ``doc_id``, None if there is none."""
        with self._guard():
            row = self._conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
            return None if row is None else self._read(row)

    def documents(self) -> Iterator[AnalysedDocument]:
        """Yield every stored document in ingest order (``seq``)."""
        with self._guard():
            rows = self._conn.execute("SELECT * FROM documents ORDER BY seq").fetchall()
            for row in rows:
                yield self._read(row)

    def _read(self, row: sqlite3.Row) -> AnalysedDocument:
        """Decode one document row and its children through the JSON contract."""
        doc_id = row["id"]
        data: dict[str, Any] = {
            "id": doc_id,
            "text": row["text"],
            "title": row["title"],
            "outlet": row["outlet"],
            "url": row["url"],
            "published": row["published"],
            "metadata": json.loads(row["metadata"]),
            "attributions": [_attribution_dict(a) for a in self._children("attributions", doc_id)],
            "figures": [
                _row_dict(f, skip=("doc_id", "position")) for f in self._children("figures", doc_id)
            ],
        }
        if row["assertions_found"]:
            data["assertions"] = [
                _row_dict(a, skip=("doc_id", "position"))
                for a in self._children("assertions", doc_id)
            ]
        return document_from_dict(data)

    def _children(self, table: str, doc_id: str) -> list[sqlite3.Row]:
        """A document's rows of ``table`` (one of ours), in order."""
        return self._conn.execute(
            f"SELECT * FROM {table} WHERE doc_id = ? ORDER BY position", (doc_id,)
        ).fetchall()

    def documents_hash(self) -> str:
        """Hex SHA-256 over every stored document's id and text hash, in ingest order."""
        digest = hashlib.sha256()
        with self._guard():
            for doc_id, sha in self._conn.execute(
                "SELECT id, text_sha256 FROM documents ORDER BY seq"
            ):
                digest.update(f"{doc_id}\x1f{sha}\n".encode())
        return digest.hexdigest()

    def linked_hash(self) -> str | None:
        """The ``documents_hash`` the corpus tables were last built from, None if never."""
        with self._guard():
            row = self._conn.execute("SELECT documents_hash FROM corpus_state").fetchone()
        return None if row is None else str(row[0])

    def replace_corpus(
        self, tables: Mapping[str, Iterable[Mapping[str, Any]]], documents_hash: str | None = None
    ) -> None:
        """Replace every corpus table with new rows, in one transaction.

        Args:
            tables: rows per corpus table (``CORPUS_TABLES``), each a mapping of column to
                value; lists and dicts in JSON columns are encoded. Tables not given are
                emptied.
            documents_hash: the ``documents_hash`` the rows were built from, recorded with
                them; None records nothing, so the next ``link_corpus`` rebuilds.

        Raises:
            StoreError: an unknown table or column, or the write failed; the old corpus
                tables are then left as they were.
        """
        unknown = set(tables) - set(CORPUS_TABLES)
        if unknown:
            raise StoreError(str(self.path), errors.store_failed(f"no corpus table {min(unknown)}"))
        with self._transaction() as conn:
            conn.execute("DELETE FROM corpus_state")
            if documents_hash is not None:
                conn.execute(
                    "INSERT INTO corpus_state (id, documents_hash, linked_at) VALUES (1, ?, ?)",
                    (documents_hash, _now()),
                )
            for table in reversed(CORPUS_TABLES):
                conn.execute(f"DELETE FROM {table}")
            for table in CORPUS_TABLES:
                columns = self._columns(table)
                for row in tables.get(table, ()):
                    extra = set(row) - columns
                    if extra:
                        raise StoreError(
                            str(self.path),
                            errors.store_failed(f"{table} has no column {min(extra)}"),
                        )
                    names = list(row)
                    conn.execute(
                        f"INSERT INTO {table} ({', '.join(_quote(n) for n in names)})"
                        f" VALUES ({', '.join('?' * len(names))})",
                        [_encode(table, n, row[n]) for n in names],
                    )

    def corpus_rows(self, table: str) -> list[dict[str, Any]]:
        """Return a corpus table's rows as dicts, JSON columns decoded, in insertion order.

        Raises:
            StoreError: ``table`` is not a corpus table.
        """
        if table not in CORPUS_TABLES:
            raise StoreError(str(self.path), errors.store_failed(f"no corpus table {table}"))
        with self._guard():
            rows = self._conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
        return [{k: _decode(table, k, v) for k, v in _row_dict(r).items()} for r in rows]

    def _columns(self, table: str) -> set[str]:
        """Column names of one of our tables."""
        return {r["name"] for r in self._conn.execute(f"PRAGMA table_info({table})")}


def _row_dict(row: sqlite3.Row, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """A row as a dict of column to value, without the ``skip`` columns."""
    return {k: v for k, v in zip(row.keys(), row, strict=True) if k not in skip}


def _quote(name: str) -> str:
    """An SQL identifier (column names are checked against the table first)."""
    return '"' + name.replace('"', '""') + '"'


def _encode(table: str, column: str, value: Any) -> Any:
    """A value as stored: JSON for lists and dicts in JSON columns."""
    if column in JSON_COLUMNS.get(table, ()) and isinstance(value, list | tuple | dict):
        return _json(value)
    return value


def _decode(table: str, column: str, value: Any) -> Any:
    """A stored value as read: JSON columns decoded."""
    if column in JSON_COLUMNS.get(table, ()) and isinstance(value, str):
        return json.loads(value)
    return value


def _statements(script: str) -> Iterator[str]:
    """Split an SQL script into complete statements (so they run inside our transaction)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
    if not _only_comments(buffer):
        raise StoreError("migration", errors.store_failed("a statement does not end with ;"))


def _only_comments(sql: str) -> bool:
    """True when ``sql`` holds nothing but blank lines and ``--`` comments."""
    return all(not line.strip() or line.strip().startswith("--") for line in sql.splitlines())


# --- ingest ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IngestSummary:
    """What one ingest run did.

    Attributes:
        stored: new documents stored.
        unchanged: documents already stored with the same text (not analysed again).
        replaced: documents stored before with another text, now replaced.
        failed: documents that could not be read or analysed (in the ``failures`` table).
    """

    stored: int = 0
    unchanged: int = 0
    replaced: int = 0
    failed: int = 0


Result = AnalysedDocument | Failure
Progress = Callable[[Iterator[Result]], Iterator[Result]]


def ingest(
    paths: Sequence[str],
    db: str | Path,
    settings: AnalysisSettings,
    *,
    log: Callable[[str], None] | None = None,
    progress: Progress | None = None,
) -> IngestSummary:
    """Analyse documents and store them, each committed as soon as it is analysed.

    Documents whose text is already stored under their id are skipped before analysis, so a
    rerun after a crash continues where it stopped. Then the corpus step runs
    (``link_corpus``).

    Args:
        paths: files, directories or ``-``, as for ``analyze``.
        db: the database file (created if missing).
        settings: analysis settings (``jobs`` worker processes).
        log: called with one line per failed document and per duplicate-id warning.
        progress: wraps the stream of analysed results (a progress bar).

    Returns:
        The counts of stored, unchanged, replaced and failed documents.

    Raises:
        StoreError: the database cannot be opened or written; what was committed stays.
        ModelError: the spaCy pipeline or model cannot be loaded.
    """
    with Store(db) as store:
        summary = ingest_into(store, paths, settings, log=log, progress=progress)
        link_corpus(store)
    return summary


def link_corpus(store: Store) -> None:
    """Run the cross-article step over every stored document and replace the corpus tables.

    The step (``corpus.build.link``) reads the documents in ingest order, so undated ones keep
    their place; its results replace the corpus tables in one transaction. When the stored
    documents are those the tables were built from (same ids, texts and order), nothing is
    redone: a rerun that changes nothing costs no cross-article step.
    """
    # Imported here: the corpus package reads and writes through this module.
    from .corpus.build import link
    from .corpus.tables import store_result

    current = store.documents_hash()
    if current == store.linked_hash():
        return
    store_result(store, link(list(store.documents())), documents_hash=current)


def ingest_into(
    store: Store,
    paths: Sequence[str],
    settings: AnalysisSettings,
    *,
    log: Callable[[str], None] | None = None,
    progress: Progress | None = None,
) -> IngestSummary:
    """Like ``ingest``, into an open store, without the corpus step."""
    from .ingest import iter_documents
    from .pipeline import analyze_stream

    say = log or (lambda _line: None)
    counts: collections.Counter[str] = collections.Counter()
    # The origin of each item handed to the analysis, in order: results come back in order.
    in_flight: collections.deque[str] = collections.deque()
    seen: dict[str, str] = {}

    def fresh() -> Iterator[Any]:
        """The documents that need analysing: not stored with the same text already."""
        for item in iter_documents(list(paths)):
            if isinstance(item, Failure):
                in_flight.append(item.doc)
                yield item
                continue
            sha = sha256_text(item.text)
            earlier = seen.get(item.id)
            seen[item.id] = sha
            if sha == (earlier or store.stored_hash(item.id)):
                counts["unchanged"] += 1
                continue
            if earlier is not None:
                say(f"{item.origin or item.id}: {errors.duplicate_id(item.id)}")
            in_flight.append(item.origin or item.id)
            yield item

    results: Iterator[Result] = analyze_stream(fresh(), settings)
    for result in progress(results) if progress else results:
        origin = in_flight.popleft()
        if isinstance(result, Failure):
            store.record_failure(result)
            say(str(result))
            counts["failed"] += 1
        else:
            counts[store.put(result, origin)] += 1
    return IngestSummary(
        stored=counts["stored"],
        unchanged=counts["unchanged"],
        replaced=counts["replaced"],
        failed=counts["failed"],
    )
