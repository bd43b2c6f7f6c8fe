"""The learned attribution extractor: conditional random fields trained on PolNeAR.

``load_extractor(settings)`` returns the extractor the pipeline runs: the learned model
(default; shipped in ``sourcetrace/data/model/attribution``, rebuilt by
``sourcetrace train polnear``) or, only when asked for with ``--model rules``, the rules
alone. A missing or corrupt model is an error, never a silent fall-back to the rules.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from spacy.tokens import Doc

from ...records import Attribution
from .. import extract_attributions
from .model import AttributionModel, to_records

Extractor = Callable[[Doc], tuple[Attribution, ...]]

PACKAGED_MODEL = "data/model/attribution"
"""Where the trained model ships inside the package."""


def packaged_model_dir() -> Path:
    """Return the folder of the model shipped with the package."""
    return Path(str(resources.files("sourcetrace").joinpath(PACKAGED_MODEL)))


class LearnedExtractor:
    """Rules first (their output is a feature), then the cue and role taggers."""

    def __init__(self, folder: Path) -> None:
        """Load the model in ``folder``; raises ``ModelError`` when it is unusable."""
        self.model = AttributionModel(folder)

    def __call__(self, doc: Doc) -> tuple[Attribution, ...]:
        """Return the attributions of a parsed document, numbered in content order."""
        if not doc.text.strip():
            return ()
        rules = extract_attributions(doc)
        return to_records(doc, self.model.predict(doc, rules))


@functools.lru_cache(maxsize=4)
def load_extractor(model: str = "learned", model_dir: Path | None = None) -> Extractor:
    """Return the attribution extractor (loaded once per process).

    Args:
        model: ``learned`` (the trained model) or ``rules`` (the rule-based extractor alone).
        model_dir: a trained model folder; None uses the packaged model.

    Raises:
        ModelError: the model folder or one of its files is missing or corrupt.
    """
    if model == "rules":
        return extract_attributions
    return LearnedExtractor(model_dir or packaged_model_dir())
