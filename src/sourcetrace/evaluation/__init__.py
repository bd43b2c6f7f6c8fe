"""Evaluation against gold data: ``sourcetrace eval polnear DIR`` and ``eval sourcing DIR``.

- ``brat``: reads a PolNeAR-format split (texts and brat standoff relations) into
  ``GoldDocument`` records, refusing malformed data with ``DataError``.
- ``metrics``: pure scoring of predicted against gold attributions; its docstring (and
  ``docs/evaluation.md``) defines every measure precisely.
- ``report``: ``EvaluationReport`` and ``SourcingReport``, as aligned tables or JSON-able
  dicts.
- ``polnear``: ``evaluate_polnear`` runs the extractor over a split and scores it.
- ``sourcing``: reads the labelled sourcing articles (``read_sourcing``) and scores the
  sourcing stages on them (``evaluate_sourcing``): speaker, relays, flags, figures, assertions.
"""

from __future__ import annotations

from .brat import GoldAttribution, GoldDocument, parse_annotations, read_polnear
from .metrics import Tally, score_document, score_documents
from .polnear import evaluate_polnear, score_split
from .report import EvaluationReport, SourcingReport
from .sourcing import GoldArticle, evaluate_sourcing, read_sourcing, score_article, score_articles

__all__ = [
    "EvaluationReport",
    "GoldArticle",
    "GoldAttribution",
    "GoldDocument",
    "SourcingReport",
    "Tally",
    "evaluate_polnear",
    "evaluate_sourcing",
    "parse_annotations",
    "read_polnear",
    "read_sourcing",
    "score_article",
    "score_articles",
    "score_document",
    "score_documents",
    "score_split",
]
