"""The errors sourcetrace raises, and the exit codes the CLI maps them to.

Hierarchy::

    SourcetraceError            base of everything we raise on purpose
    ├── SettingsError           an option or setting is invalid (exit 2)
    ├── ModelError              a spaCy pipeline or trained model is missing or unreadable (exit 3)
    ├── DataError               an evaluation or training data folder is malformed (exit 3)
    ├── InputError              one document cannot be read or analysed; a batch goes on (exit 1)
    └── StoreError              the database cannot be opened or written (exit 4)

Every message is one line that names what failed and why. ``InputError`` carries the
document's name separately so that batch drivers can report it and continue.
"""

from __future__ import annotations

EXIT_OK = 0
"""Every document was analysed."""
EXIT_SOME_FAILED = 1
"""At least one document failed; every other document was still analysed and written."""
EXIT_USAGE = 2
"""The command line or settings were invalid; nothing was analysed."""
EXIT_SETUP = 3
"""A pipeline, model or data folder could not be loaded; nothing was analysed."""
EXIT_STORE = 4
"""The database could not be opened or written; what was committed before stays stored."""
EXIT_INTERRUPTED = 130
"""Interrupted (Ctrl-C); what was written before stays written."""


class SourcetraceError(Exception):
    """Base class of all errors sourcetrace raises on purpose."""

    exit_code = EXIT_SETUP


class SettingsError(SourcetraceError, ValueError):
    """An option or setting is invalid."""

    exit_code = EXIT_USAGE


class ModelError(SourcetraceError):
    """A spaCy pipeline or a trained sourcetrace model is missing or cannot be loaded."""

    exit_code = EXIT_SETUP


class DataError(SourcetraceError):
    """An evaluation or training data folder is malformed; the message names the file."""

    exit_code = EXIT_SETUP


class InputError(SourcetraceError):
    """One document cannot be read or analysed.

    Attributes:
        doc: the document's name (its id, path, or ``path:line`` for JSONL).
        reason: why it was refused, one short phrase.
    """

    exit_code = EXIT_SOME_FAILED

    def __init__(self, doc: str, reason: str) -> None:
        super().__init__(f"{doc}: {reason}")
        self.doc = doc
        self.reason = reason

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        # Keep both fields when a worker process sends the error back.
        return (InputError, (self.doc, self.reason))


class StoreError(SourcetraceError):
    """The database file cannot be used: not ours, corrupt, locked, full, or newer.

    Attributes:
        path: the database file.
        reason: why, one short phrase (one of the store reasons below).
    """

    exit_code = EXIT_STORE

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


# Reasons a document is refused. One place, so that messages stay consistent and documented
# (docs/cli.md lists them).
EMPTY = "empty document (no text)"
BINARY = "binary file, not text"
UNREADABLE = "cannot read file"
NO_ARTICLE_TEXT = "no article text found in the HTML"
NOT_ENGLISH = "text does not look like English"
INVALID_JSON = "invalid JSON line"
NO_TEXT_FIELD = "JSON object has neither a 'text' nor an 'html' string"
# The cross-article step (sourcetrace.corpus) needs one record per id.
DUPLICATE_IN_CORPUS = "the same id twice in the documents given to the cross-article step"


def too_long(chars: int, limit: int) -> str:
    """Return the reason for a document over the length limit."""
    return f"document too long ({chars:,} characters; the limit is {limit:,}, see --max-chars)"


# Reasons an evaluation data folder is refused (``DataError``; the message is
# ``<file>: <reason>``). docs/evaluation.md lists them.
NO_TEXTS = "no .txt files in text/"
NO_ANNOTATION_FILE = "text has no annotation file <stem>_<annotator>.ann in attributions/"
NO_TEXT_FILE = "annotation file has no text <stem>.txt in text/"
# ``eval stories``: its BASIL file or a background folder is absent.
NO_BASIL_FILE = "BASIL articles not found (pass --basil FILE)"
NO_BACKGROUND_TEXTS = "no text/ folder of background articles (see --background)"


def missing_folder(name: str) -> str:
    """Return the reason for a data split that lacks the folder ``name``."""
    return f"not a data split: missing the {name}/ folder"


def bad_annotation(line: int, why: str) -> str:
    """Return the reason for a malformed line of a brat ``.ann`` file."""
    return f"line {line}: {why}"


# Reasons a labelled sourcing folder (``eval sourcing``) is refused: ``<file>: <reason>``.
NOT_A_FOLDER = "not a folder"
NO_GOLD_FILES = "no .json gold files in the folder"
MISSING = "missing"


def invalid_gold_json(why: str) -> str:
    """Return the reason for a gold file that is not valid JSON."""
    return f"invalid JSON ({why})"


def bad_gold_field(field: str, why: str) -> str:
    """Return the reason for a malformed field of a gold file (``attributions[2].cue``)."""
    return f"{field}: {why}"


def wrong_type(expected: str) -> str:
    """Return the reason for a gold value of the wrong JSON type."""
    return f"expected {expected}"


def not_one_of(value: object, choices: tuple[str, ...]) -> str:
    """Return the reason for a gold value outside its closed set."""
    return f"{value!r} is not one of {', '.join(choices)}"


def phrase_not_found(phrase: str) -> str:
    """Return the reason for a gold span whose text does not occur in the article."""
    return f"{phrase!r} is not in the text"


def phrase_ambiguous(phrase: str, count: int, key: str) -> str:
    """Return the reason for a repeated gold span without its occurrence key."""
    return f"{phrase!r} occurs {count} times; say which with {key}"


def occurrence_out_of_range(phrase: str, occurrence: object, count: int) -> str:
    """Return the reason for an occurrence key that does not fit the text."""
    return f"occurrence {occurrence!r} of {phrase!r}, which occurs {count} times"


# Reasons a labelled corpus folder (``eval corpus``) is refused: ``<file>: <field>: <reason>``.
NO_MENTIONS = "a claim needs at least one mention"


def unknown_document(doc: object, documents_file: str) -> str:
    """Return the reason for a gold reference to a document the corpus does not hold."""
    return f"{doc!r} is not a document of {documents_file}"


def repeated_document(doc: str) -> str:
    """Return the reason for a document id given twice in a labelled corpus."""
    return f"{doc!r} is repeated"


def in_two_stories(doc: str, story: str) -> str:
    """Return the reason for a document listed in two gold stories."""
    return f"{doc!r} is also in story {story!r}"


# Reasons a database file is refused or a write fails (``StoreError``: ``<file>: <reason>``).
# docs/cli.md lists them; the store never resets or rewrites a file it refuses.
NOT_A_DATABASE = "not an SQLite database (a corrupt file or another kind of file)"
NOT_A_STORE = "an SQLite database that sourcetrace did not create; refusing to change it"
STORE_CORRUPT = "the database is corrupt (database disk image is malformed)"
STORE_LOCKED = "the database is locked by another process; try again when it has finished"
STORE_FULL = "disk full: the document in progress was not stored; everything before it was"
STORE_READ_ONLY = "the database is read-only"
STORE_MISSING = "no such database; create it with sourcetrace ingest"


def newer_store(version: int, supported: int) -> str:
    """Return the reason for a database written by a newer sourcetrace."""
    return f"schema version {version} is newer than this sourcetrace supports ({supported})"


def store_failed(why: str) -> str:
    """Return the reason for any other SQLite failure, with SQLite's own message."""
    return f"cannot use the database ({why})"


def duplicate_id(doc_id: str) -> str:
    """Return the warning for a second document with the same id and a different text."""
    return f"duplicate id {doc_id!r} with a different text; this text replaces the earlier one"


# Reasons the web app refuses a URL, a download or an upload (``InputError``: ``<url>: <reason>``).
# docs/cli.md (``sourcetrace serve``) and docs/web.md list them.
URL_SCHEME = "only http and https URLs can be fetched"
URL_NO_HOST = "the URL has no host name"
URL_UNRESOLVED = "cannot resolve the URL's host name"
URL_NOT_PUBLIC = "the URL's host is a loopback, private, link-local or reserved address; refused"
TOO_MANY_REDIRECTS = "too many redirects"
FETCH_TIMEOUT = "the page took too long to download"
NOT_A_PAGE = "the URL is neither an HTML page nor plain text"
ONE_INPUT = "give exactly one of: pasted text, an uploaded file, a URL"


def fetch_failed(why: str) -> str:
    """Reason: the page could not be downloaded (``why``: the HTTP status or network error)."""
    return f"cannot download the page ({why})"


def too_large(limit_bytes: int) -> str:
    """Reason: a request body or downloaded page is over the size limit."""
    return f"larger than the limit of {limit_bytes:,} bytes"
