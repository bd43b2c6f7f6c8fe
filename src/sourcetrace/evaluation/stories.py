"""Measure story grouping: BASIL events (three outlets each) among unrelated background articles.

The truth is BASIL's ``story`` field. Background articles (PolNeAR dev and train texts)
belong to no BASIL event, so a BASIL article grouped with one is a false positive; pairs of
two background articles are left out of the score, since nobody labelled whether they
report the same event. The measurement runs twice: with publication dates, and with dates
removed (then blocking and similarity rest on the text alone).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import combinations
from pathlib import Path
from typing import Any

from ..corpus.reuse import find_reuse
from ..corpus.stories import group_stories
from ..errors import DataError
from ..records import AnalysedDocument
from .metrics import Tally

METADATA_FILE = "metadata.tsv"
"""PolNeAR's metadata (publisher, date, title), one folder above each split's ``text/``."""


@dataclass(frozen=True, slots=True)
class StoryScores:
    """Pairwise same-story scores of one run, and what was grouped."""

    tally: Tally
    documents: int
    stories: int
    background_pairs: int

    def to_dict(self) -> dict[str, Any]:
        """Serialise: precision, recall, F1 and counts."""
        return {
            **self.tally.to_dict(),
            "documents": self.documents,
            "stories": self.stories,
            "background_pairs_grouped": self.background_pairs,
        }


def evaluate_stories(
    path_to_basil: Path, background_dirs: Sequence[Path]
) -> dict[str, StoryScores]:
    """Group BASIL plus background articles into stories and score same-story pairs.

    Args:
        path_to_basil: ``articles.jsonl`` with ``id``, ``outlet``, ``published``, ``title``,
            ``text`` and ``story`` per line.
        background_dirs: folders with a ``text/`` folder of ``.txt`` articles (PolNeAR
            splits); titles, outlets and dates are read from ``metadata.tsv`` beside them.

    Returns:
        ``{"dated": ..., "undated": ...}``: scores with publication dates and without.

    Raises:
        DataError: when a file is missing or a line is not a JSON article.
    """
    basil, truth = load_basil(path_to_basil)
    background = [doc for folder in background_dirs for doc in load_background(folder)]
    docs = basil + background
    undated = [replace(doc, published=None) for doc in docs]
    return {"dated": score_grouping(docs, truth), "undated": score_grouping(undated, truth)}


def score_grouping(docs: Sequence[AnalysedDocument], truth: dict[str, str]) -> StoryScores:
    """Run reuse + story grouping on ``docs``; score pairs involving a labelled document.

    Args:
        docs: all documents, labelled and background.
        truth: story label by id for the labelled documents.

    Returns:
        The pairwise tally and counts.
    """
    stories = group_stories(docs, find_reuse(docs))
    tp = fp = background_pairs = 0
    for story in stories:
        for a, b in combinations(story.documents, 2):
            if a in truth and b in truth:
                tp += truth[a] == truth[b]
                fp += truth[a] != truth[b]
            elif a in truth or b in truth:
                fp += 1
            else:
                background_pairs += 1
    gold_pairs = sum(len(g) * (len(g) - 1) // 2 for g in _groups(truth).values())
    tally = Tally(
        gold=gold_pairs, predicted=tp + fp, matched=tp, precision_credit=tp, recall_credit=tp
    )
    return StoryScores(tally, len(docs), len(stories), background_pairs)


def _groups(truth: dict[str, str]) -> dict[str, list[str]]:
    """Labelled document ids by story."""
    out: dict[str, list[str]] = {}
    for doc, story in truth.items():
        out.setdefault(story, []).append(doc)
    return out


def load_basil(path: Path) -> tuple[list[AnalysedDocument], dict[str, str]]:
    """BASIL articles as documents without attributions, and their story labels.

    Args:
        path: the ``articles.jsonl`` file.

    Returns:
        (documents, story label by document id).

    Raises:
        DataError: when the file cannot be read or a line is not an article.
    """
    docs: list[AnalysedDocument] = []
    truth: dict[str, str] = {}
    for row in _json_lines(path):
        try:
            doc_id = str(row["id"])
            # BASIL repeats at least one id ("empty"); a line number keeps such ids apart.
            doc = AnalysedDocument(
                id=doc_id if doc_id not in truth else f"{doc_id}#{len(docs) + 1}",
                text=str(row["text"]),
                attributions=(),
                title=row.get("title"),
                outlet=row.get("outlet"),
                published=row.get("published"),
            )
            truth[doc.id] = str(row["story"])
        except (KeyError, TypeError) as exc:
            raise DataError(f"{path}: article without {exc}") from exc
        docs.append(doc)
    return docs, truth


def _json_lines(path: Path) -> Iterable[dict[str, Any]]:
    """The JSON objects of a JSONL file."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror})") from exc
    for number, line in enumerate(lines, 1):
        if line.strip():
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{path}:{number}: invalid JSON line") from exc


def load_background(folder: Path) -> list[AnalysedDocument]:
    """Articles of ``folder/text/*.txt`` as documents, with metadata where ``metadata.tsv`` has it.

    Args:
        folder: a PolNeAR split (``dev``, ``train``) or any folder with a ``text/`` folder.

    Returns:
        The documents, ids prefixed with the folder name, in file name order.

    Raises:
        DataError: when there is no ``text/`` folder.
    """
    texts = folder / "text"
    if not texts.is_dir():
        raise DataError(f"{folder}: no text/ folder of background articles")
    meta = _metadata(folder.parent / METADATA_FILE)
    docs = []
    for path in sorted(texts.glob("*.txt")):
        row = meta.get(path.stem, {})
        docs.append(
            AnalysedDocument(
                id=f"{folder.name}/{path.stem}",
                text=path.read_text(encoding="utf-8"),
                attributions=(),
                title=row.get("title"),
                outlet=row.get("publisher"),
                published=row.get("publication_date"),
            )
        )
    return docs


def _metadata(path: Path) -> dict[str, dict[str, str]]:
    """Rows of a PolNeAR-style ``metadata.tsv`` by file name stem (empty when absent)."""
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["filename"]: row for row in csv.DictReader(handle, delimiter="\t")}
