"""``sourcetrace eval polnear DIR``: run the extractor over a split's texts and score it."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..records import AnalysedDocument, Attribution, Failure, RawDocument
from ..settings import AnalysisSettings
from .brat import GoldDocument, read_polnear
from .metrics import Tally, add_tallies, score_document
from .report import EvaluationReport


def evaluate_polnear(
    directory: Path, settings: AnalysisSettings, limit: int | None = None
) -> EvaluationReport:
    """Analyse a PolNeAR-format split's texts and score the attributions against the gold.

    Args:
        directory: the split folder (``text/`` and ``attributions/``).
        settings: analysis settings (``jobs`` sets the worker processes).
        limit: score only the first ``limit`` texts by file name; None scores them all.

    Returns:
        The report.

    Raises:
        DataError: the split is malformed.
        ModelError: the spaCy pipeline cannot be loaded.
    """
    from ..pipeline import analyze_stream  # loads spaCy: only when a run really starts

    started = time.perf_counter()
    gold = read_polnear(directory, limit)
    raws = (RawDocument(id=d.id, text=d.text, origin=str(d.annotation)) for d in gold)
    return score_split(
        _split_name(directory), gold, analyze_stream(raws, settings), started=started
    )


def score_split(
    name: str,
    gold: Sequence[GoldDocument],
    results: Iterable[AnalysedDocument | Failure],
    started: float | None = None,
) -> EvaluationReport:
    """Score analysis results against gold documents, pairing them in order.

    Args:
        name: the data set's name for the report.
        gold: the gold documents.
        results: one analysis result per gold document, in the same order; a ``Failure``
            is scored as a document with no predictions.
        started: ``time.perf_counter()`` at the start of the run; None starts the clock now.

    Returns:
        The report.
    """
    started = time.perf_counter() if started is None else started
    tallies: dict[tuple[str, str], Tally] = {}
    failures: list[str] = []
    for doc, result in zip(gold, results, strict=True):
        predicted: tuple[Attribution, ...] = ()
        if isinstance(result, Failure):
            failures.append(str(result))
        else:
            predicted = result.attributions
        tallies = add_tallies(tallies, score_document(doc.text, doc.attributions, predicted))
    return EvaluationReport(
        dataset=name,
        documents=len(gold),
        elapsed=time.perf_counter() - started,
        tallies=tallies,
        failures=tuple(failures),
        gold_incomplete=sum(d.incomplete for d in gold),
    )


def _split_name(directory: Path) -> str:
    """Name a split for the report: ``PolNeAR dev``."""
    return f"PolNeAR {directory.resolve().name}"
