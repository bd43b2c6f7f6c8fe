"""sourcetrace: see how the news is sourced.

The library API::

    import sourcetrace
    doc = sourcetrace.analyze("The mayor said the bridge would reopen.", outlet="Example Post")
    for a in doc.attributions:
        print(a.type, a.source and a.source.text, a.cue.text, a.content.text)

``Analyzer`` keeps a loaded pipeline for many documents; ``analyze_paths`` reads files,
directories and JSONL. Records are frozen dataclasses (``sourcetrace.records``); errors form
the hierarchy in ``sourcetrace.errors``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "AnalysedDocument",
    "AnalysisSettings",
    "Analyzer",
    "Attribution",
    "Failure",
    "InputError",
    "ModelError",
    "RawDocument",
    "SourcetraceError",
    "Span",
    "__version__",
    "analyze",
    "analyze_paths",
]

from .errors import InputError, ModelError, SourcetraceError
from .records import AnalysedDocument, Attribution, Failure, RawDocument, Span
from .settings import AnalysisSettings

if TYPE_CHECKING:
    from .pipeline import Analyzer, analyze, analyze_paths


def __getattr__(name: str) -> Any:
    # The pipeline imports spaCy (slow); load it on first use, not on `import sourcetrace`.
    if name in ("Analyzer", "analyze", "analyze_paths"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'sourcetrace' has no attribute {name!r}")
