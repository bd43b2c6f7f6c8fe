"""The store: real SQLite files, round trips, idempotency, and every way a file is refused."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from sourcetrace import errors
from sourcetrace.codec import document_from_dict
from sourcetrace.errors import StoreError
from sourcetrace.ingest import iter_documents
from sourcetrace.pipeline import Analyzer
from sourcetrace.records import (
    AnalysedDocument,
    Assertion,
    Attribution,
    Failure,
    Figure,
    Flag,
    Relay,
    Span,
    Speaker,
)
from sourcetrace.settings import AnalysisSettings
from sourcetrace.store import APPLICATION_ID, CORPUS_TABLES, Store, ingest_into, migrations

from .conftest import EXAMPLES

TEXT = (
    "The ferry operator said on Tuesday that crossings would resume. "
    '"We are ready," said Mara Lind, its director. Two people familiar with the talks said '
    "the deal was close, according to the Harbour Gazette."
)


def _span(text: str, phrase: str) -> Span:
    start = text.index(phrase)
    return Span.of(text, start, start + len(phrase))


def _hand_built() -> list[AnalysedDocument]:
    """Documents that exercise every optional shape of the records."""
    said = _span(TEXT, "said")
    content = _span(TEXT, "crossings would resume")
    source = _span(TEXT, "The ferry operator")
    gazette = _span(TEXT, "Harbour Gazette")
    broken = Span.from_fragments(TEXT, [(TEXT.index('"We'), TEXT.index('"We') + 14), (0, 3)])
    full = Attribution(
        id="a1",
        type="indirect",
        source=source,
        cue=said,
        content=content,
        speaker=Speaker("Mara Lind", "its director", "person", False, _span(TEXT, "Mara Lind")),
        via=(Relay("Harbour Gazette", "outlet", gazette.start, gazette.end, 1),),
        flags=(Flag("hedged", None, _span(TEXT, "close")), Flag("disputed", "rivals", said)),
    )
    bare = Attribution(id="a2", type="direct", source=None, cue=said, content=broken)
    anonymous = dataclasses.replace(
        bare,
        id="a3",
        speaker=Speaker(None, "Two people familiar with the talks", "group", True, None),
        via=(),
        flags=(),
    )
    figure = Figure("Two", 0, 3, 2.0, "range", low=1.5, high=2.25, what="people", unit=None)
    return [
        AnalysedDocument(id="minimal", text=TEXT, attributions=()),
        AnalysedDocument(
            id="full",
            text=TEXT,
            attributions=(full, bare, anonymous),
            figures=(figure, dataclasses.replace(figure, attribution="a1", qualifier="exact")),
            assertions=(Assertion("The ferry", 0, 9, "actor"),),
            title="Ferries return",
            outlet="Harbour Gazette",
            url="https://gazette.example/ferry",
            published="2025-04-01T09:30:00+01:00",
            metadata={"section": "Transport", "tags": ["ferry", "strike"], "n": 3},
        ),
        AnalysedDocument(id="no-assertions-run", text=TEXT, attributions=(), assertions=()),
    ]


@pytest.fixture(scope="module")
def analysed() -> list[AnalysedDocument]:
    """The example articles, analysed by the real pipeline."""
    results = list(Analyzer(AnalysisSettings()).analyze_many(iter_documents([str(EXAMPLES)])))
    docs = [r for r in results if isinstance(r, AnalysedDocument)]
    assert len(docs) == len(results) == 7
    return docs


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    return tmp_path / "corpus.db"


@pytest.mark.parametrize("doc", _hand_built(), ids=lambda d: d.id)
def test_codec_and_store_round_trip_hand_built(doc: AnalysedDocument, db: Path) -> None:
    assert document_from_dict(doc.to_dict(include_text=True)) == doc
    with Store(db) as store:
        assert store.put(doc) == "stored"
    with Store(db) as store:
        assert store.document(doc.id) == doc


def test_store_round_trip_of_analysed_examples(analysed: list[AnalysedDocument], db: Path) -> None:
    with Store(db) as store:
        for doc in analysed:
            assert document_from_dict(doc.to_dict(include_text=True)) == doc
            assert store.put(doc) == "stored"
    with Store(db) as store:
        back = list(store.documents())
    assert [d.id for d in back] == [d.id for d in analysed]  # ingest order
    for original, stored in zip(analysed, back, strict=True):
        assert stored == original
        assert stored.to_dict(include_text=True) == original.to_dict(include_text=True)


def test_new_file_gets_schema_wal_and_application_id(db: Path) -> None:
    with Store(db) as store:
        conn = store.connection
        assert store.schema_version == len(migrations()) >= 1
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert {"documents", "attributions", "figures", "assertions", "outlets", "failures"} <= tables
    assert set(CORPUS_TABLES) <= tables


def test_empty_file_becomes_a_store(db: Path) -> None:
    db.write_bytes(b"")
    with Store(db) as store:
        assert store.count() == 0
        assert store.schema_version == len(migrations())


def test_same_text_is_stored_once(db: Path) -> None:
    doc = _hand_built()[1]
    with Store(db) as store:
        assert [store.put(doc), store.put(doc)] == ["stored", "unchanged"]
    with Store(db) as store:
        assert store.count() == 1
        assert store.put(doc) == "unchanged"
        rows = store.connection.execute("SELECT COUNT(*) FROM attributions").fetchone()[0]
    assert rows == len(doc.attributions)


def test_changed_text_replaces_the_analysis_and_keeps_seq(db: Path) -> None:
    first, full, last = _hand_built()
    changed = AnalysedDocument(id="full", text=TEXT + " More.", attributions=full.attributions[1:])
    with Store(db) as store:
        for doc in (first, full, last):
            store.put(doc)
        assert store.put(changed) == "replaced"
        assert store.document("full") == changed
        conn = store.connection
        seqs = dict(conn.execute("SELECT id, seq FROM documents").fetchall())
        counts = [
            conn.execute(f"SELECT COUNT(*) FROM {t} WHERE doc_id = 'full'").fetchone()[0]
            for t in ("attributions", "figures", "assertions")
        ]
    assert seqs == {"minimal": 1, "full": 2, "no-assertions-run": 3}
    assert counts == [len(changed.attributions), 0, 0]


def test_storing_a_document_clears_its_recorded_failure(db: Path) -> None:
    with Store(db) as store:
        store.record_failure(Failure("in/a.txt", errors.EMPTY))
        store.record_failure(Failure("in/b.txt", errors.BINARY))
        store.put(_hand_built()[0], origin="in/a.txt")
        assert store.failures() == [Failure("in/b.txt", errors.BINARY)]


def _bytes_and_siblings(path: Path) -> tuple[bytes, list[str]]:
    return path.read_bytes(), sorted(p.name for p in path.parent.iterdir())


def _other_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.execute("INSERT INTO invoices VALUES (1, 9.5)")
    conn.commit()
    conn.close()


def _garbage(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 64)


def _sqlite_header_then_garbage(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4080)


def _newer_store(path: Path) -> None:
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(migrations()) + 5}")
    conn.close()


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (_garbage, errors.NOT_A_DATABASE),
        (_sqlite_header_then_garbage, errors.NOT_A_DATABASE),
        (_other_sqlite, errors.NOT_A_STORE),
        (_newer_store, errors.newer_store(len(migrations()) + 5, len(migrations()))),
    ],
    ids=["garbage", "sqlite-header-garbage", "other-sqlite", "newer-version"],
)
def test_foreign_or_corrupt_files_are_refused_and_left_untouched(
    make: Any, reason: str, db: Path
) -> None:
    make(db)
    before = _bytes_and_siblings(db)
    with pytest.raises(StoreError) as caught:
        Store(db)
    assert caught.value.reason == reason
    assert str(caught.value) == f"{db}: {reason}"
    assert "\n" not in str(caught.value)
    assert _bytes_and_siblings(db) == before


def test_damaged_pages_are_reported_as_corrupt_and_not_rewritten(db: Path) -> None:
    with Store(db) as store:
        for i in range(20):
            store.put(AnalysedDocument(id=f"d{i}", text=f"{TEXT} {i}" * 40, attributions=()))
    damaged = bytearray(db.read_bytes())
    damaged[8192:] = b"\xde\xad" * ((len(damaged) - 8192) // 2)
    db.write_bytes(bytes(damaged))
    with pytest.raises(StoreError) as caught, Store(db) as store:
        list(store.documents())
    assert caught.value.reason == errors.STORE_CORRUPT
    assert db.read_bytes() == damaged


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory"):
        Store(tmp_path)


def test_locked_database_is_refused_on_open(db: Path) -> None:
    Store(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError) as caught:
            Store(db, timeout=0.1)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert caught.value.reason == errors.STORE_LOCKED
    assert str(caught.value).startswith(str(db))


def test_a_reader_opens_while_a_writer_holds_the_lock(db: Path) -> None:
    with Store(db) as store:
        store.put(_hand_built()[0])
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Store(db, timeout=0.1, writer=False) as reader:
            assert [d.id for d in reader.documents()] == ["minimal"]
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_lock_taken_after_open_fails_the_write_and_stores_nothing(db: Path) -> None:
    doc = _hand_built()[1]
    with Store(db, timeout=0.1) as store:
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(StoreError) as caught:
                store.put(doc)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert caught.value.reason == errors.STORE_LOCKED
        assert store.count() == 0
        assert store.put(doc) == "stored"


def test_disk_full_keeps_the_database_consistent(db: Path) -> None:
    small, big = _hand_built()[0], _hand_built()[1]
    huge = dataclasses.replace(big, id="huge", text=TEXT + " filler" * 40_000)
    with Store(db) as store:
        store.put(small)
        conn = store.connection
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + 2}")
        with pytest.raises(StoreError) as caught:
            store.put(huge)
        assert caught.value.reason == errors.STORE_FULL
        assert not conn.in_transaction
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert [d.id for d in store.documents()] == ["minimal"]
    with Store(db) as store:  # the limit is per connection: space again
        assert store.put(huge) == "stored"
        assert store.count() == 2


def test_disk_full_mid_ingest_keeps_what_was_committed(tmp_path: Path, db: Path) -> None:
    articles = tmp_path / "in"
    articles.mkdir()
    for i in range(3):
        (articles / f"a{i}.txt").write_text(TEXT + f" Crossing number {i} left at noon.\n")
    (articles / "a3.txt").write_text((TEXT + "\n") * 400)
    with Store(db) as store:
        pages = store.connection.execute("PRAGMA page_count").fetchone()[0]
        store.connection.execute(f"PRAGMA max_page_count = {pages + 12}")
        with pytest.raises(StoreError) as caught:
            ingest_into(store, [str(articles)], AnalysisSettings(model="rules"))
        assert caught.value.reason == errors.STORE_FULL
        assert store.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert sorted(d.id for d in store.documents()) == ["a0", "a1", "a2"]


CORPUS: dict[str, list[dict[str, Any]]] = {
    "stories": [{"id": "s1", "position": 0, "title": "Ferry strike"}],
    "story_documents": [
        {"story_id": "s1", "doc_id": "d1", "position": 0},
        {"story_id": "s1", "doc_id": "d2", "position": 1},
    ],
    "claims": [
        {
            "id": "c1",
            "story_id": "s1",
            "position": 0,
            "text": "crossings would resume",
            "origin_doc": "d1",
            "origin_outlet": "Harbour Gazette",
            "origin_published": "2025-04-01",
            "sources": ["Mara Lind"],
            "independent_sources": 1,
            "flags": ["single_source"],
        }
    ],
    "echoes": [{"claim_id": "c1", "doc_id": "d2", "of_doc": "d1", "how": "cites"}],
    "claim_mentions": [
        {
            "claim_id": "c1",
            "position": 0,
            "doc_id": "d1",
            "attribution": "a1",
            "assertion": None,
            "span_text": "crossings would resume",
            "span_start": 43,
            "span_end": 65,
            "span_fragments": None,
            "speaker": {"name": "Mara Lind", "kind": "person", "anonymous": False},
            "via": [{"name": "Harbour Gazette", "kind": "outlet", "start": 1, "end": 2, "hop": 1}],
            "outlet": "Harbour Gazette",
            "published": "2025-04-01",
        }
    ],
    "reuse": [{"doc_id": "d2", "copies": "d1", "share": 0.75}],
    "figure_points": [
        {
            "story_id": "s1",
            "what": "people",
            "position": i,
            "value": 2.0 + i,
            "qualifier": "exact",
            "low": None,
            "high": None,
            "doc_id": f"d{i + 1}",
            "published": "2025-04-01",
            "speaker": speaker,
            "outlet": None,
            "span_text": "Two",
            "span_start": 0,
            "span_end": 3,
        }
        for i, speaker in enumerate(["Mara Lind", "[1, 2]", None])
    ],
    "figure_conflicts": [
        {
            "story_id": "s1",
            "what": "people",
            "position": 0,
            "published": "2025-04-01",
            "points": [0, 1],
        }
    ],
}


def test_corpus_tables_are_replaced_together_and_read_back(db: Path) -> None:
    with Store(db) as store:
        store.replace_corpus({"stories": [{"id": "old", "position": 0, "title": None}]})
        store.replace_corpus(CORPUS)
        for table in CORPUS_TABLES:
            assert store.corpus_rows(table) == CORPUS.get(table, [])


@pytest.mark.parametrize(
    "bad",
    [
        {"storiez": []},
        {"stories": [{"id": "s9", "position": 0, "colour": "red"}]},
        {**CORPUS, "reuse": [{"doc_id": "d2", "copies": "d1", "share": None}]},
    ],
    ids=["unknown-table", "unknown-column", "constraint"],
)
def test_failed_corpus_replacement_leaves_the_old_tables(bad: Any, db: Path) -> None:
    with Store(db) as store:
        store.replace_corpus(CORPUS)
        with pytest.raises(StoreError):
            store.replace_corpus(bad)
        assert store.corpus_rows("stories") == CORPUS["stories"]
        assert store.corpus_rows("reuse") == CORPUS["reuse"]


def test_the_corpus_step_runs_again_only_when_the_documents_changed(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sourcetrace.corpus import build
    from sourcetrace.store import link_corpus

    calls: list[int] = []
    real_link = build.link

    def counting_link(docs: Any, order: Any = None) -> Any:
        calls.append(len(docs))
        return real_link(docs, order)

    monkeypatch.setattr(build, "link", counting_link)
    first, *rest = _hand_built()
    with Store(db) as store:
        for doc in (first, *rest):
            store.put(doc)
        link_corpus(store)
        linked = store.linked_hash()
        assert linked == store.documents_hash() and calls == [1 + len(rest)]
        link_corpus(store)  # nothing changed: skipped
        assert calls == [1 + len(rest)]
        store.put(dataclasses.replace(first, text=first.text + " ", attributions=()))
        assert store.documents_hash() != linked
        link_corpus(store)
        assert len(calls) == 2 and store.linked_hash() == store.documents_hash()
