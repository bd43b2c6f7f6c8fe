r"""``sourcetrace eval corpus DIR``: score the cross-article step on a labelled corpus.

The folder holds ``documents.jsonl`` (the articles, in the JSONL input format of ``analyze``
and ``ingest``) and ``gold.json`` (stories, claims, reuse, figure series and conflicts;
``tests/data/corpus/README.md`` gives the format). ``read_corpus`` reads and checks both,
refusing malformed data with a ``DataError`` naming the file and the field.

``evaluate_corpus`` analyses the documents (``pipeline.analyze_stream``), links them
(``corpus.build.link``) and scores the result (``score_corpus``, a pure function).
Definitions (``docs/evaluation.md`` gives the same with examples):

**Stories**: pairwise precision/recall over unordered pairs of documents placed in the same
story; background documents belong to no gold story.

**Mentions**: each gold mention is matched to the predicted mention, in the same document,
whose span shares the most characters with it (several gold mentions may match one
prediction). ``mentions`` is the share of gold mentions matched (an accuracy).

**Claim grouping**: pairwise over gold mentions. Gold pairs: two gold mentions of the same
gold claim. Predicted pairs: two matched gold mentions whose predicted mentions lie in the
same predicted claim. Predicted mentions that match no gold mention are not scored (the gold
labels the claims that matter, not every statement).

**Matched claim**: for each gold claim, the predicted claim holding most of its matched
mentions (ties: the one listed first); none when no mention matched.

**Echoes**: precision/recall over ``(gold claim, doc, of, how)``: the gold claim's echoes
against the echoes of its matched claim; ``echoes_any_how`` does the same over
``(gold claim, doc, of)``, ignoring ``how``.

**Reuse**: precision/recall over ``(doc, copies)`` pairs.

Copies of copies: when a tool pairs a document with a *sibling* copy of the same original
(two local papers running one wire story), the sibling is read as the original, for reuse and
echoes alike; the text really is shared, and which copy came first is not the point.

**Independent sources** and **origin**: accuracies over gold claims, of the matched claim's
``independent_sources`` and ``origin.doc`` (a gold claim with no matched claim counts wrong).

**Figure series**: for each gold series, the predicted series (of any story) holding the most
of its ``(doc, value)`` points. ``series_points``: gold = gold points, predicted = points of
those best series, matched = gold points found in them. ``series_found``: the share of gold
series whose best series holds at least ``SERIES_MIN_POINTS`` of their points.

**Conflicts**: a gold conflict is found when one predicted conflict holds points matching at
least two of its points with different values; gold = gold conflicts, predicted = predicted
conflicts, matched = gold conflicts found.
"""

from __future__ import annotations

import json
import math
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any, get_args

from .. import errors
from ..corpus.records import Claim, CorpusResult, EchoHow
from ..errors import DataError
from ..ingest import iter_documents
from ..records import AnalysedDocument, Failure, RawDocument, Span
from ..settings import AnalysisSettings
from .metrics import Tally, set_tally
from .report import ACCURACY_SUFFIX, CorpusReport
from .sourcing import locate

DOCUMENTS_FILE = "documents.jsonl"
GOLD_FILE = "gold.json"
ECHO_HOWS: tuple[str, ...] = get_args(EchoHow)

SERIES_MIN_POINTS = 2
"""Least gold points a predicted series must hold for the gold series to count as found: two
points are the least that make a series (a quantity reported twice)."""

VALUE_TOLERANCE = 1e-6
"""Relative tolerance of figure values: predictions are floats computed from words."""

Json = Mapping[str, Any]
DocPair = tuple[str, str]
EchoKey = tuple[str, str, str, str]


# --- gold records -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldMention:
    """Where a gold claim is stated: a document and the statement's span in its text."""

    doc: str
    span: Span


@dataclass(frozen=True, slots=True)
class GoldEcho:
    """A gold echo: ``doc`` cites or copies the earlier ``of``."""

    doc: str
    of: str
    how: str


@dataclass(frozen=True, slots=True)
class GoldClaim:
    """A gold claim: its mentions, origin, independent sources and echoes."""

    id: str
    story: str
    mentions: tuple[GoldMention, ...]
    origin: str
    independent_sources: int
    echoes: tuple[GoldEcho, ...]


@dataclass(frozen=True, slots=True)
class GoldPoint:
    """A reported value of a quantity in one document."""

    doc: str
    value: float


@dataclass(frozen=True, slots=True)
class GoldSeries:
    """The reported values of one quantity in one story."""

    id: str
    story: str
    what: str
    points: tuple[GoldPoint, ...]


@dataclass(frozen=True, slots=True)
class GoldConflict:
    """Different values of one quantity reported for the same time."""

    series: str
    points: tuple[GoldPoint, ...]


@dataclass(frozen=True, slots=True)
class GoldCorpus:
    """A labelled corpus: the documents in ingest order and the gold labels.

    Attributes:
        documents: the documents as ingested.
        stories: story name -> its document ids.
        claims: the gold claims.
        reuse: ``(doc, copies)`` pairs.
        series: the gold figure series.
        conflicts: the gold conflicts.
    """

    documents: tuple[RawDocument, ...]
    stories: Mapping[str, tuple[str, ...]]
    claims: tuple[GoldClaim, ...]
    reuse: frozenset[DocPair]
    series: tuple[GoldSeries, ...] = ()
    conflicts: tuple[GoldConflict, ...] = ()


# --- reading ------------------------------------------------------------------------------


def read_corpus(directory: Path) -> GoldCorpus:
    """Read and check a labelled corpus folder.

    Args:
        directory: the folder holding ``documents.jsonl`` and ``gold.json``.

    Returns:
        The corpus, every gold span located in its document.

    Raises:
        DataError: a file is missing or unreadable, or a gold field is malformed: an unknown
            document id, a mention that is not a substring of its document, a story sharing a
            document with another (the message names the file and the field).
    """
    if not directory.is_dir():
        raise DataError(f"{directory}: {errors.NOT_A_FOLDER}")
    documents = _read_documents(directory / DOCUMENTS_FILE)
    gold_path = directory / GOLD_FILE
    if not gold_path.is_file():
        raise DataError(f"{gold_path}: {errors.MISSING}")
    try:
        data = json.loads(gold_path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataError(f"{gold_path}: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise DataError(f"{gold_path}: {errors.invalid_gold_json(str(exc))}") from exc
    return _GoldReader(gold_path, {d.id: d.text for d in documents}).corpus(documents, data)


def _read_documents(path: Path) -> tuple[RawDocument, ...]:
    """Read the JSONL documents, refusing unreadable lines and duplicate ids."""
    if not path.is_file():
        raise DataError(f"{path}: {errors.MISSING}")
    documents: list[RawDocument] = []
    seen: set[str] = set()
    for item in iter_documents([str(path)]):
        if isinstance(item, Failure):
            raise DataError(str(item))
        if item.id in seen:
            raise DataError(
                f"{path}: {errors.bad_gold_field('id', errors.repeated_document(item.id))}"
            )
        seen.add(item.id)
        documents.append(item)
    return tuple(documents)


class _GoldReader:
    """Validates ``gold.json``, raising ``DataError`` that names the file and field."""

    def __init__(self, path: Path, texts: Mapping[str, str]) -> None:
        self.path = path
        self.texts = texts

    def fail(self, field: str, why: str) -> DataError:
        """The error for a malformed field."""
        return DataError(f"{self.path}: {errors.bad_gold_field(field, why)}")

    def corpus(self, documents: tuple[RawDocument, ...], data: Any) -> GoldCorpus:
        """Build the corpus from the whole file's JSON."""
        if not isinstance(data, dict):
            raise self.fail("(top level)", errors.wrong_type("an object"))
        stories = self.stories(self.value(data, "stories", dict))
        claims = tuple(
            self.claim(item, f"claims[{i}]", stories)
            for i, item in enumerate(self.value(data, "claims", list))
        )
        reuse = frozenset(
            (self.doc(item, "doc", f"reuse[{i}]"), self.doc(item, "copies", f"reuse[{i}]"))
            for i, item in enumerate(self.objects(data.get("reuse", []), "reuse"))
        )
        series = tuple(
            GoldSeries(
                id=self.string(item, "id", f"series[{i}]"),
                story=self.story(item, f"series[{i}]", stories),
                what=self.string(item, "what", f"series[{i}]"),
                points=self.points(item, f"series[{i}]"),
            )
            for i, item in enumerate(self.objects(data.get("series", []), "series"))
        )
        names = {s.id for s in series}
        conflicts = tuple(
            GoldConflict(
                self.series_ref(item, f"conflicts[{i}]", names),
                self.points(item, f"conflicts[{i}]"),
            )
            for i, item in enumerate(self.objects(data.get("conflicts", []), "conflicts"))
        )
        return GoldCorpus(documents, stories, claims, reuse, series, conflicts)

    def stories(self, data: Json) -> dict[str, tuple[str, ...]]:
        """Story name -> document ids; a document belongs to one story at most."""
        owner: dict[str, str] = {}
        out: dict[str, tuple[str, ...]] = {}
        for name, ids in data.items():
            where = f"stories.{name}"
            if not isinstance(ids, list) or not ids:
                raise self.fail(where, errors.wrong_type("a non-empty list of document ids"))
            for doc in ids:
                self.check_doc(doc, where)
                if doc in owner:
                    raise self.fail(where, errors.in_two_stories(doc, owner[doc]))
                owner[doc] = name
            out[name] = tuple(ids)
        return out

    def claim(self, data: Json, where: str, stories: Mapping[str, tuple[str, ...]]) -> GoldClaim:
        """One gold claim."""
        mentions = tuple(
            self.mention(item, f"{where}.mentions[{i}]")
            for i, item in enumerate(self.objects(self.value(data, "mentions", list, where), where))
        )
        if not mentions:
            raise self.fail(f"{where}.mentions", errors.NO_MENTIONS)
        sources = self.value(data, "independent_sources", int, where)
        if isinstance(sources, bool) or sources < 0:
            raise self.fail(f"{where}.independent_sources", errors.wrong_type("a count"))
        echoes = tuple(
            self.echo(item, f"{where}.echoes[{i}]")
            for i, item in enumerate(self.objects(data.get("echoes", []), f"{where}.echoes"))
        )
        return GoldClaim(
            id=self.string(data, "id", where),
            story=self.story(data, where, stories),
            mentions=mentions,
            origin=self.doc(data, "origin", where),
            independent_sources=sources,
            echoes=echoes,
        )

    def mention(self, data: Json, where: str) -> GoldMention:
        """A mention: a document id and an exact substring of its text."""
        doc = self.doc(data, "doc", where)
        phrase = self.string(data, "text", where)
        occurrence = data.get("occurrence")
        if occurrence is not None and type(occurrence) is not int:
            raise self.fail(f"{where}.occurrence", errors.wrong_type("an integer"))
        try:
            return GoldMention(doc, locate(self.texts[doc], phrase, occurrence))
        except ValueError as exc:
            why = str(exc).replace("an occurrence key", "occurrence")
            raise self.fail(f"{where}.text", why) from None

    def echo(self, data: Json, where: str) -> GoldEcho:
        """An echo: ``doc`` cites or copies ``of``."""
        how = self.string(data, "how", where)
        if how not in ECHO_HOWS:
            raise self.fail(f"{where}.how", errors.not_one_of(how, ECHO_HOWS))
        return GoldEcho(self.doc(data, "doc", where), self.doc(data, "of", where), how)

    def points(self, data: Json, where: str) -> tuple[GoldPoint, ...]:
        """The ``(doc, value)`` points of a series or conflict."""
        out: list[GoldPoint] = []
        for i, item in enumerate(self.objects(self.value(data, "points", list, where), where)):
            at = f"{where}.points[{i}]"
            value = item.get("value")
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise self.fail(f"{at}.value", errors.wrong_type("a number"))
            out.append(GoldPoint(self.doc(item, "doc", at), float(value)))
        return tuple(out)

    def story(self, data: Json, where: str, stories: Mapping[str, tuple[str, ...]]) -> str:
        """A reference to a gold story."""
        name = self.string(data, "story", where)
        if name not in stories:
            raise self.fail(f"{where}.story", errors.not_one_of(name, tuple(stories)))
        return name

    def series_ref(self, data: Json, where: str, names: set[str]) -> str:
        """A reference to a gold series."""
        name = self.string(data, "series", where)
        if name not in names:
            raise self.fail(f"{where}.series", errors.not_one_of(name, tuple(sorted(names))))
        return name

    def doc(self, data: Json, key: str, where: str) -> str:
        """A required document id that exists in the corpus."""
        doc = self.string(data, key, where)
        self.check_doc(doc, f"{where}.{key}")
        return doc

    def check_doc(self, doc: object, where: str) -> None:
        """Refuse an id that is not one of the corpus's documents."""
        if not isinstance(doc, str) or doc not in self.texts:
            raise self.fail(where, errors.unknown_document(doc, DOCUMENTS_FILE))

    def objects(self, items: Any, where: str) -> list[Json]:
        """A list of JSON objects."""
        if not isinstance(items, list):
            raise self.fail(where, errors.wrong_type("a list"))
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise self.fail(f"{where}[{i}]", errors.wrong_type("an object"))
        return items

    def value(self, data: Json, key: str, kind: type, where: str | None = None) -> Any:
        """The required value ``data[key]`` of JSON type ``kind``."""
        field = f"{where}.{key}" if where else key
        if key not in data:
            raise self.fail(field, errors.MISSING)
        if not isinstance(data[key], kind):
            raise self.fail(field, errors.wrong_type(kind.__name__))
        return data[key]

    def string(self, data: Json, key: str, where: str) -> str:
        """A required non-empty string."""
        value = self.value(data, key, str, where)
        if not value:
            raise self.fail(f"{where}.{key}", "empty")
        return str(value)


# --- running ------------------------------------------------------------------------------


def evaluate_corpus(directory: Path, settings: AnalysisSettings) -> CorpusReport:
    """Analyse and link a labelled corpus, and score the cross-article step.

    Args:
        directory: the folder holding ``documents.jsonl`` and ``gold.json``.
        settings: analysis settings (``jobs`` sets the worker processes).

    Returns:
        The report.

    Raises:
        DataError: the folder or its gold file is malformed.
        ModelError: the spaCy pipeline or the attribution model cannot be loaded.
    """
    from ..corpus.build import link  # the linking step and spaCy load only when a run starts
    from ..pipeline import analyze_stream

    started = time.perf_counter()
    gold = read_corpus(directory)
    analysed: list[AnalysedDocument] = []
    failures: list[str] = []
    for item in analyze_stream(gold.documents, settings):
        if isinstance(item, Failure):
            failures.append(str(item))
        else:
            analysed.append(item)
    order = {doc.id: index for index, doc in enumerate(gold.documents)}
    result = link(analysed, order)
    return CorpusReport(
        dataset=f"Corpus {directory}",
        documents=len(gold.documents),
        elapsed=time.perf_counter() - started,
        tallies=score_corpus(gold, result),
        failures=tuple(failures),
        claims=tuple(claim_outcomes(gold, result)),
    )


# --- scoring ------------------------------------------------------------------------------


def score_corpus(gold: GoldCorpus, result: CorpusResult) -> dict[str, Tally]:
    """Score a linked corpus against the gold labels.

    Args:
        gold: the labelled corpus.
        result: what ``corpus.build.link`` found in its documents.

    Returns:
        Tallies keyed by item (``report.CORPUS_ITEMS``); accuracies end in ``_accuracy``.
    """
    located = locate_mentions(gold.claims, result.claims)
    matched = matched_claims(gold.claims, located)
    canonical = _Canonical(gold.reuse)
    echoes = _gold_echoes(gold.claims)
    found_echoes = canonical.echoes(_predicted_echoes(gold.claims, matched, result.claims))
    n_mentions = sum(len(c.mentions) for c in gold.claims)
    n_located = sum(1 for where in located.values() if where is not None)
    return {
        "stories": set_tally(
            _story_pairs(gold.stories.values()), _story_pairs(s.documents for s in result.stories)
        ),
        "mentions" + ACCURACY_SUFFIX: Tally(
            n_mentions, n_mentions, n_located, n_located, n_located
        ),
        "claim_grouping": claim_pairs(gold.claims, located),
        "echoes": set_tally(echoes, found_echoes),
        "echoes_any_how": set_tally({e[:3] for e in echoes}, {e[:3] for e in found_echoes}),
        "reuse": set_tally(
            set(gold.reuse), canonical.pairs((r.doc, r.copies) for r in result.reuse)
        ),
        "independent_sources" + ACCURACY_SUFFIX: _accuracies(
            c.independent_sources == _predicted(result.claims, matched, c.id, "sources")
            for c in gold.claims
        ),
        "origin" + ACCURACY_SUFFIX: _accuracies(
            c.origin == _predicted(result.claims, matched, c.id, "origin") for c in gold.claims
        ),
        **score_series(gold, result),
    }


MentionKey = tuple[str, int]
"""A gold mention: its claim's id and its index among the claim's mentions."""
Located = dict[MentionKey, tuple[int, int] | None]
"""Gold mention -> (predicted claim index, mention index), or None when unmatched."""


def locate_mentions(gold: Sequence[GoldClaim], predicted: Sequence[Claim]) -> Located:
    """Match every gold mention to the predicted mention overlapping it most, same document."""
    by_doc: dict[str, list[tuple[int, int, Span]]] = {}
    for c, found in enumerate(predicted):
        for m, said in enumerate(found.mentions):
            by_doc.setdefault(said.doc, []).append((c, m, said.span))
    out: Located = {}
    for claim in gold:
        for index, mention in enumerate(claim.mentions):
            best: tuple[int, int, int] | None = None
            for c, m, span in by_doc.get(mention.doc, []):
                shared = _overlap(mention.span, span)
                if shared > 0 and (best is None or shared > best[0]):
                    best = (shared, c, m)
            out[(claim.id, index)] = None if best is None else (best[1], best[2])
    return out


def claim_pairs(gold: Sequence[GoldClaim], located: Located) -> Tally:
    """Pairwise precision/recall of claim grouping over gold mentions."""
    keys = [(c.id, i) for c in gold for i in range(len(c.mentions))]
    gold_pairs = {(a, b) for a, b in combinations(keys, 2) if a[0] == b[0]}
    found: set[tuple[MentionKey, MentionKey]] = set()
    for a, b in combinations(keys, 2):
        where_a, where_b = located[a], located[b]
        if where_a is not None and where_b is not None and where_a[0] == where_b[0]:
            found.add((a, b))
    return set_tally(gold_pairs, found)


def matched_claims(gold: Sequence[GoldClaim], located: Located) -> dict[str, int | None]:
    """Gold claim id -> the predicted claim holding most of its matched mentions."""
    out: dict[str, int | None] = {}
    for claim in gold:
        votes = Counter(
            where[0]
            for i in range(len(claim.mentions))
            if (where := located[(claim.id, i)]) is not None
        )
        # Most mentions first; ties go to the claim listed first.
        out[claim.id] = min(votes, key=lambda c: (-votes[c], c)) if votes else None
    return out


def claim_outcomes(gold: GoldCorpus, result: CorpusResult) -> list[dict[str, Any]]:
    """Per gold claim: mentions found, the matched claim, and its sources and origin."""
    located = locate_mentions(gold.claims, result.claims)
    matched = matched_claims(gold.claims, located)
    out = []
    for claim in gold.claims:
        index = matched[claim.id]
        predicted = result.claims[index] if index is not None else None
        out.append(
            {
                "id": claim.id,
                "mentions": len(claim.mentions),
                "mentions_found": sum(
                    located[(claim.id, i)] is not None for i in range(len(claim.mentions))
                ),
                "matched_claim": predicted.id if predicted else None,
                "independent_sources": {
                    "gold": claim.independent_sources,
                    "predicted": predicted.independent_sources if predicted else None,
                },
                "origin": {
                    "gold": claim.origin,
                    "predicted": predicted.origin.doc if predicted else None,
                },
            }
        )
    return out


def score_series(gold: GoldCorpus, result: CorpusResult) -> dict[str, Tally]:
    """Figure series points and found series, and conflicts found."""
    points = Tally()
    found = 0
    for series in gold.series:
        best_hits, best_size = 0, 0
        for candidate in result.series:
            found_points = [(p.doc, p.value) for p in candidate.points]
            hits = sum(_has_point(found_points, g) for g in series.points)
            if hits > best_hits:
                best_hits, best_size = hits, len(candidate.points)
        points += Tally(len(series.points), best_size, best_hits, best_hits, best_hits)
        found += best_hits >= SERIES_MIN_POINTS
    predicted_conflicts = [c for s in result.series for c in s.conflicts]
    hit = sum(
        any(_conflict_found(g, [(p.doc, p.value) for p in c.points]) for c in predicted_conflicts)
        for g in gold.conflicts
    )
    n = len(gold.series)
    return {
        "series_points": points,
        "series_found" + ACCURACY_SUFFIX: Tally(n, n, found, found, found),
        "conflicts": Tally(len(gold.conflicts), len(predicted_conflicts), hit, hit, hit),
    }


def _conflict_found(gold: GoldConflict, points: Sequence[tuple[str, float]]) -> bool:
    """Whether the predicted points match gold points of at least two different values."""
    values = {g.value for g in gold.points if _has_point(points, g)}
    return len(values) >= 2


def _has_point(points: Iterable[tuple[str, float]], gold: GoldPoint) -> bool:
    """Whether a ``(doc, value)`` equals the gold point (value within tolerance)."""
    return any(
        doc == gold.doc
        and math.isclose(value, gold.value, rel_tol=VALUE_TOLERANCE, abs_tol=VALUE_TOLERANCE)
        for doc, value in points
    )


class _Canonical:
    """Reads a pair naming a sibling copy of the same original as naming the original."""

    def __init__(self, reuse: Iterable[DocPair]) -> None:
        self.original = dict(reuse)

    def of(self, doc: str, of: str) -> str:
        """``of``, or its original when ``doc`` and ``of`` copy the same original."""
        original = self.original.get(of)
        return original if original is not None and self.original.get(doc) == original else of

    def pairs(self, pairs: Iterable[DocPair]) -> set[DocPair]:
        """Canonical ``(doc, copies)`` pairs."""
        return {(doc, self.of(doc, of)) for doc, of in pairs}

    def echoes(self, echoes: Iterable[EchoKey]) -> set[EchoKey]:
        """Canonical ``(claim, doc, of, how)`` echoes."""
        return {(claim, doc, self.of(doc, of), how) for claim, doc, of, how in echoes}


def _gold_echoes(claims: Iterable[GoldClaim]) -> set[EchoKey]:
    """Every gold echo, keyed by its claim."""
    return {(c.id, e.doc, e.of, e.how) for c in claims for e in c.echoes}


def _predicted_echoes(
    gold: Iterable[GoldClaim], matched: Mapping[str, int | None], predicted: Sequence[Claim]
) -> set[EchoKey]:
    """The echoes of each gold claim's matched claim, keyed by the gold claim."""
    out: set[EchoKey] = set()
    for claim in gold:
        index = matched[claim.id]
        if index is not None:
            out.update((claim.id, e.doc, e.of, e.how) for e in predicted[index].echoes)
    return out


def _predicted(
    predicted: Sequence[Claim], matched: Mapping[str, int | None], claim: str, field: str
) -> int | str | None:
    """The matched claim's independent sources (``sources``) or origin document."""
    index = matched[claim]
    if index is None:
        return None
    found = predicted[index]
    return found.independent_sources if field == "sources" else found.origin.doc


def _story_pairs(stories: Iterable[Iterable[str]]) -> set[DocPair]:
    """Unordered pairs (sorted) of documents in the same story."""
    return {pair for docs in stories for pair in combinations(sorted(set(docs)), 2)}


def _overlap(a: Span, b: Span) -> int:
    """Characters two spans share (fragments included)."""
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a.pieces for s2, e2 in b.pieces)


def _accuracies(outcomes: Iterable[bool]) -> Tally:
    """An accuracy: gold = predicted = scored, matched = correct."""
    results = list(outcomes)
    correct = sum(results)
    return Tally(len(results), len(results), correct, correct, correct)
