"""The errors sourcetrace raises, and the exit codes the CLI maps them to.

Hierarchy::

    SourcetraceError            base of everything we raise on purpose
    ├── SettingsError           an option or setting is invalid (exit 2)
    ├── ModelError              a spaCy pipeline or trained model is missing or unreadable (exit 3)
    ├── DataError               an evaluation or training data folder is malformed (exit 3)
    └── InputError              one document cannot be read or analysed; a batch goes on (exit 1)

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


# Reasons a document is refused. One place, so that messages stay consistent and documented
# (docs/cli.md lists them).
EMPTY = "empty document (no text)"
BINARY = "binary file, not text"
UNREADABLE = "cannot read file"
NO_ARTICLE_TEXT = "no article text found in the HTML"
NOT_ENGLISH = "text does not look like English"
INVALID_JSON = "invalid JSON line"
NO_TEXT_FIELD = "JSON object has neither a 'text' nor an 'html' string"


def too_long(chars: int, limit: int) -> str:
    """Return the reason for a document over the length limit."""
    return f"document too long ({chars:,} characters; the limit is {limit:,}, see --max-chars)"


# Reasons an evaluation data folder is refused (``DataError``; the message is
# ``<file>: <reason>``). docs/evaluation.md lists them.
NO_TEXTS = "no .txt files in text/"
NO_ANNOTATION_FILE = "text has no annotation file <stem>_<annotator>.ann in attributions/"
NO_TEXT_FILE = "annotation file has no text <stem>.txt in text/"


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
