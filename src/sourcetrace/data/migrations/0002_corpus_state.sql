-- Which documents the corpus tables describe: a hash of every stored (id, text_sha256) in
-- ingest order, written in the same transaction as the corpus tables. An ingest that changes
-- no document finds the same hash and skips the cross-article step.
CREATE TABLE corpus_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    documents_hash TEXT NOT NULL,
    linked_at TEXT NOT NULL
);
