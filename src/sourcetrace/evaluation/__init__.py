"""Evaluation against gold data: ``sourcetrace eval polnear|sourcing|corpus DIR``.

- ``brat``: reads a PolNeAR-format split (texts and brat standoff relations) into
  ``GoldDocument`` records, refusing malformed data with ``DataError``.
- ``metrics``: pure scoring of predicted against gold attributions; its docstring (and
  ``docs/evaluation.md``) defines every measure precisely.
- ``report``: ``EvaluationReport`` and ``SourcingReport``, as aligned tables or JSON-able
  dicts.
- ``polnear``: ``evaluate_polnear`` runs the extractor over a split and scores it.
- ``sourcing``: reads the labelled sourcing articles (``read_sourcing``) and scores the
  sourcing stages on them (``evaluate_sourcing``): speaker, relays, flags, figures, assertions.
- ``corpus``: reads a labelled multi-outlet corpus (``read_corpus``), links it with
  ``corpus.build.link`` and scores stories, claims, echoes, reuse, independent sources,
  origins, figure series and conflicts (``evaluate_corpus``, ``score_corpus``).
"""

from __future__ import annotations

from .brat import GoldAttribution, GoldDocument, parse_annotations, read_polnear
from .corpus import GoldCorpus, evaluate_corpus, read_corpus, score_corpus
from .metrics import Tally, score_document, score_documents
from .polnear import evaluate_polnear, score_split
from .report import CorpusReport, EvaluationReport, SourcingReport
from .sourcing import GoldArticle, evaluate_sourcing, read_sourcing, score_article, score_articles

__all__ = [
    "CorpusReport",
    "EvaluationReport",
    "GoldArticle",
    "GoldAttribution",
    "GoldCorpus",
    "GoldDocument",
    "SourcingReport",
    "Tally",
    "evaluate_corpus",
    "evaluate_polnear",
    "evaluate_sourcing",
    "parse_annotations",
    "read_corpus",
    "read_polnear",
    "read_sourcing",
    "score_article",
    "score_articles",
    "score_corpus",
    "score_document",
    "score_documents",
    "score_split",
]
