"""Evaluation against gold attributions: ``sourcetrace eval polnear DIR``.

- ``brat``: reads a PolNeAR-format split (texts and brat standoff relations) into
  ``GoldDocument`` records, refusing malformed data with ``DataError``.
- ``metrics``: pure scoring of predicted against gold attributions; its docstring (and
  ``docs/evaluation.md``) defines every measure precisely.
- ``report``: ``EvaluationReport``, as an aligned table or a JSON-able dict.
- ``polnear``: ``evaluate_polnear`` runs the extractor over a split and scores it.
"""

from __future__ import annotations

from .brat import GoldAttribution, GoldDocument, parse_annotations, read_polnear
from .metrics import Tally, score_document, score_documents
from .polnear import evaluate_polnear, score_split
from .report import EvaluationReport

__all__ = [
    "EvaluationReport",
    "GoldAttribution",
    "GoldDocument",
    "Tally",
    "evaluate_polnear",
    "parse_annotations",
    "read_polnear",
    "score_document",
    "score_documents",
    "score_split",
]
