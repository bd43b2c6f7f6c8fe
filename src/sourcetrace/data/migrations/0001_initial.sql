-- sourcetrace store, schema version 1. Documented table by table in docs/store.md.
-- Applied by sourcetrace.store in one transaction together with PRAGMA user_version = 1.

-- 0x53524354 is "SRCT": marks the file as a sourcetrace store for `file(1)` and for the check
-- that refuses to write into somebody else's database.
PRAGMA application_id = 1397900116;

CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,           -- ingest order; kept when the text is replaced
    origin TEXT NOT NULL,                  -- path, path:line or <stdin> it was read from
    text TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    title TEXT,
    outlet TEXT,
    url TEXT,
    published TEXT,                        -- as given; NULL when the input had no date
    metadata TEXT NOT NULL DEFAULT '{}',   -- JSON object of the other input fields
    assertions_found INTEGER NOT NULL,     -- 1 when the assertions stage ran
    ingested_at TEXT NOT NULL              -- UTC, ISO 8601
);
CREATE INDEX documents_published ON documents (published);
CREATE INDEX documents_outlet ON documents (outlet);

CREATE TABLE attributions (
    doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    type TEXT NOT NULL,
    source_text TEXT,
    source_start INTEGER,
    source_end INTEGER,
    source_fragments TEXT,                 -- JSON [[start, end], ...] for discontinuous spans
    cue_text TEXT NOT NULL,
    cue_start INTEGER NOT NULL,
    cue_end INTEGER NOT NULL,
    cue_fragments TEXT,
    content_text TEXT NOT NULL,
    content_start INTEGER NOT NULL,
    content_end INTEGER NOT NULL,
    content_fragments TEXT,
    speaker_name TEXT,
    speaker_description TEXT,
    speaker_kind TEXT,                     -- NULL when the speakers stage did not run
    speaker_anonymous INTEGER,
    speaker_mention TEXT,                  -- JSON span
    via TEXT,                              -- JSON list of relays; NULL when not computed
    flags TEXT,                            -- JSON list of flags; NULL when not computed
    PRIMARY KEY (doc_id, id)
);
CREATE INDEX attributions_speaker ON attributions (speaker_name);

CREATE TABLE figures (
    doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    value REAL NOT NULL,
    qualifier TEXT NOT NULL,
    low REAL,
    high REAL,
    what TEXT,
    unit TEXT,
    attribution TEXT,
    PRIMARY KEY (doc_id, position)
);

CREATE TABLE assertions (
    doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (doc_id, position)
);

CREATE VIEW outlets AS
SELECT outlet AS name,
       COUNT(*) AS documents,
       MIN(published) AS first_published,
       MAX(published) AS last_published
FROM documents
WHERE outlet IS NOT NULL
GROUP BY outlet;

CREATE TABLE failures (
    doc TEXT PRIMARY KEY,                  -- the document's name as reported (path, path:line)
    reason TEXT NOT NULL,
    failed_at TEXT NOT NULL
);

-- Corpus tables: written only by the corpus step, all replaced together in one transaction.
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    title TEXT
);

CREATE TABLE story_documents (
    story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    doc_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (story_id, doc_id)
);
CREATE INDEX story_documents_doc ON story_documents (doc_id);

CREATE TABLE claims (
    id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    origin_doc TEXT,
    origin_outlet TEXT,
    origin_published TEXT,
    sources TEXT NOT NULL DEFAULT '[]',    -- JSON list of speaker names/descriptions
    independent_sources INTEGER NOT NULL,
    flags TEXT NOT NULL DEFAULT '[]'       -- JSON list of claim flags
);
CREATE INDEX claims_story ON claims (story_id);

CREATE TABLE claim_mentions (
    claim_id TEXT NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    doc_id TEXT NOT NULL,
    attribution TEXT,
    assertion INTEGER,
    span_text TEXT NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    span_fragments TEXT,
    speaker TEXT,                          -- JSON speaker
    via TEXT NOT NULL DEFAULT '[]',        -- JSON list of relays
    outlet TEXT,
    published TEXT,
    PRIMARY KEY (claim_id, position)
);
CREATE INDEX claim_mentions_doc ON claim_mentions (doc_id);

CREATE TABLE echoes (
    claim_id TEXT NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    doc_id TEXT NOT NULL,
    of_doc TEXT NOT NULL,
    how TEXT NOT NULL,                     -- cites | copies
    PRIMARY KEY (claim_id, doc_id, of_doc, how)
);

CREATE TABLE reuse (
    doc_id TEXT NOT NULL,
    copies TEXT NOT NULL,                  -- the earlier document
    share REAL NOT NULL,
    PRIMARY KEY (doc_id, copies)
);

CREATE TABLE figure_points (
    story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    what TEXT NOT NULL,
    position INTEGER NOT NULL,
    value REAL NOT NULL,
    qualifier TEXT NOT NULL,
    low REAL,
    high REAL,
    doc_id TEXT NOT NULL,
    published TEXT,
    speaker TEXT,
    outlet TEXT,
    span_text TEXT NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    PRIMARY KEY (story_id, what, position)
);

CREATE TABLE figure_conflicts (
    story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    what TEXT NOT NULL,
    position INTEGER NOT NULL,
    published TEXT,                        -- the time the conflicting values are reported for
    points TEXT NOT NULL,                  -- JSON list of positions in figure_points
    PRIMARY KEY (story_id, what, position)
);
