r"""Scoring predicted attributions against gold ones: pure functions over offsets.

Definitions (``docs/evaluation.md`` gives the same with examples). Everything is computed per
document and summed over documents (micro-averaged).

**Role spans.** For each role (source, cue, content) the gold items of a document are the
distinct role spans of its gold attributions, deduplicated by their pieces (a source shared
by two relations counts once); likewise for the predictions.

**Normalisation.** Each span's pieces are trimmed of whitespace and punctuation (Unicode
category P*, which includes every kind of quote mark, plus the backtick) at both edges;
pieces left empty are dropped, and pieces separated only by such characters are merged. A
span that is nothing but punctuation (a colon cue) keeps its raw pieces. All measures below
use the normalised pieces.

**Tokens.** ``\w+|[^\w\s]`` over the document text: words and single punctuation marks.
A span's tokens are those that share a character with one of its pieces.

**Role measures**, each giving precision = credit / predicted items, recall = credit / gold
items, F1 = their harmonic mean (0 when both are 0; precision is 0 with no predictions,
recall 0 with no gold):

- ``exact``: a prediction matches a gold item with the same normalised pieces; one-to-one
  (multiset intersection). Credit = matches.
- ``overlap``: a prediction and a gold item match when they share at least one character;
  one-to-one, with the number of matches maximised (augmenting paths; each gold item tries
  the predictions it overlaps most first). Credit = matches.
- ``token``: a one-to-one matching chosen greedily by shared tokens (largest first; ties by
  position). A matched prediction earns shared/its-tokens towards precision, a matched gold
  item shared/its-tokens towards recall; unmatched items earn 0.

**Who said what** (whole attributions). A prediction matches a gold attribution when their
contents' token sets have Dice coefficient >= 0.5 (``2|A∩B| / (|A|+|B|)``, exactly 0.5
passes) and either their sources share a character or neither has a source. One-to-one,
matches maximised as for ``overlap`` (higher Dice tried first); credit = matches.

**By type.** For predictions that carry a ``type`` (``records.Attribution``), the number
predicted and the number matched under who-said-what: the precision of each type.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol

from ..records import Span

Pieces = tuple[tuple[int, int], ...]

ROLES = ("source", "cue", "content")
MEASURES = ("exact", "overlap", "token")
WHO_SAID_WHAT = ("who_said_what", "all")
"""Key of the who-said-what tally in a ``Tallies`` mapping."""
TYPE = "type"
"""First element of the keys of per-type tallies: ``("type", "direct")``."""

DICE_THRESHOLD = Fraction(1, 2)
"""Least content Dice for a who-said-what match: the usual "at least half the words" rule of
attribution evaluations (PolNeAR's README reports human agreement with it)."""

_TOKEN = re.compile(r"\w+|[^\w\s]")
_EXTRA_TRIM = frozenset("`´")


class AttributionLike(Protocol):
    """What the scorer reads of an attribution: gold and predicted ones alike."""

    @property
    def source(self) -> Span | None:
        """Who; None when nobody is named."""
        ...

    @property
    def cue(self) -> Span | None:
        """The attributing words."""
        ...

    @property
    def content(self) -> Span:
        """What was said or thought."""
        ...


@dataclass(frozen=True, slots=True)
class Tally:
    """Counts and credit for one measure, summed over documents.

    Attributes:
        gold: gold items.
        predicted: predicted items.
        matched: matched pairs.
        precision_credit: summed credit of predictions (``matched`` except for ``token``).
        recall_credit: summed credit of gold items (``matched`` except for ``token``).
    """

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    precision_credit: float = 0.0
    recall_credit: float = 0.0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.gold + other.gold,
            self.predicted + other.predicted,
            self.matched + other.matched,
            self.precision_credit + other.precision_credit,
            self.recall_credit + other.recall_credit,
        )

    @property
    def precision(self) -> float:
        """Credit per predicted item; 0 with no predictions."""
        return self.precision_credit / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        """Credit per gold item; 0 with no gold items."""
        return self.recall_credit / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall; 0 when both are 0."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Serialise: precision, recall, f1 (rounded to 4 places) and the counts."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
        }


Tallies = Mapping[tuple[str, str], Tally]
"""Tallies keyed ``(role, measure)``, ``WHO_SAID_WHAT`` and ``(TYPE, type)``."""


def add_tallies(total: Tallies, more: Tallies) -> dict[tuple[str, str], Tally]:
    """Return the key-wise sum of two tally mappings."""
    out = dict(total)
    for key, tally in more.items():
        out[key] = out.get(key, Tally()) + tally
    return out


def score_documents(
    documents: Iterable[tuple[str, Sequence[AttributionLike], Sequence[AttributionLike]]],
) -> dict[tuple[str, str], Tally]:
    """Score many documents and sum their tallies.

    Args:
        documents: ``(text, gold, predicted)`` for each document.

    Returns:
        The summed tallies (see ``Tallies``).
    """
    total: dict[tuple[str, str], Tally] = {}
    for text, gold, predicted in documents:
        total = add_tallies(total, score_document(text, gold, predicted))
    return total


def score_document(
    text: str, gold: Sequence[AttributionLike], predicted: Sequence[AttributionLike]
) -> dict[tuple[str, str], Tally]:
    """Score one document's predicted attributions against its gold ones.

    Args:
        text: the document text both sets of offsets index into.
        gold: the gold attributions.
        predicted: the predicted attributions.

    Returns:
        Tallies keyed ``(role, measure)`` for every role and measure, ``WHO_SAID_WHAT``,
        and ``(TYPE, type)`` for each type among the predictions.
    """
    view = TextView(text)
    out: dict[tuple[str, str], Tally] = {}
    for role in ROLES:
        gold_items = view.role_items(gold, role)
        pred_items = view.role_items(predicted, role)
        out[(role, "exact")] = exact_tally(gold_items, pred_items)
        out[(role, "overlap")] = overlap_tally(gold_items, pred_items)
        out[(role, "token")] = token_tally(view, gold_items, pred_items)
    matches = who_said_what_matches(view, gold, predicted)
    out[WHO_SAID_WHAT] = Tally(len(gold), len(predicted), len(matches), len(matches), len(matches))
    for index, attribution in enumerate(predicted):
        hit = int(index in matches)
        key = (TYPE, str(getattr(attribution, "type", "untyped")))
        out[key] = out.get(key, Tally()) + Tally(0, 1, hit, hit, 0)
    return out


class TextView:
    """A document text with its tokens: normalises spans and finds the tokens they cover."""

    def __init__(self, text: str) -> None:
        self.text = text
        tokens = [m.span() for m in _TOKEN.finditer(text)]
        self.starts = [s for s, _ in tokens]
        self.ends = [e for _, e in tokens]

    def normalise(self, pieces: Pieces) -> Pieces:
        """Trim punctuation and spaces from each piece's edges and merge touching pieces."""
        trimmed: list[tuple[int, int]] = []
        for start, end in sorted(pieces):
            while start < end and _trimmable(self.text[start]):
                start += 1
            while end > start and _trimmable(self.text[end - 1]):
                end -= 1
            if start < end:
                trimmed.append((start, end))
        if not trimmed:  # all punctuation, like a colon cue: keep it as it is
            return tuple(sorted(pieces))
        merged = [trimmed[0]]
        for start, end in trimmed[1:]:
            last_start, last_end = merged[-1]
            gap = self.text[last_end:start]
            if start <= last_end or all(_trimmable(c) for c in gap):
                merged[-1] = (last_start, max(last_end, end))
            else:
                merged.append((start, end))
        return tuple(merged)

    def tokens(self, pieces: Pieces) -> frozenset[int]:
        """Indices of the tokens sharing a character with any piece."""
        found: set[int] = set()
        for start, end in pieces:
            found.update(range(bisect_right(self.ends, start), bisect_left(self.starts, end)))
        return frozenset(found)

    def role_items(self, attributions: Sequence[AttributionLike], role: str) -> list[Pieces]:
        """The distinct spans of ``role`` (deduplicated by raw pieces), normalised."""
        raw = dict.fromkeys(
            span.pieces for a in attributions if (span := role_span(a, role)) is not None
        )
        return [self.normalise(pieces) for pieces in raw]


def role_span(attribution: AttributionLike, role: str) -> Span | None:
    """Return the span of ``role`` (``source``, ``cue`` or ``content``) of an attribution."""
    if role == "source":
        return attribution.source
    if role == "cue":
        return attribution.cue
    if role == "content":
        return attribution.content
    raise ValueError(f"unknown role {role!r}")


def exact_tally(gold: Sequence[Pieces], predicted: Sequence[Pieces]) -> Tally:
    """Score exact matches of normalised pieces, one-to-one."""
    matched = sum((Counter(gold) & Counter(predicted)).values())
    return Tally(len(gold), len(predicted), matched, matched, matched)


def set_tally(gold: AbstractSet[Hashable], predicted: AbstractSet[Hashable]) -> Tally:
    """Score two sets of items: matched = the items in both."""
    matched = len(gold & predicted)
    return Tally(len(gold), len(predicted), matched, matched, matched)


def overlap_tally(gold: Sequence[Pieces], predicted: Sequence[Pieces]) -> Tally:
    """Score any-character overlap, one-to-one, with the most matches."""
    matched = len(overlap_matches(gold, predicted))
    return Tally(len(gold), len(predicted), matched, matched, matched)


def overlap_matches(gold: Sequence[Pieces], predicted: Sequence[Pieces]) -> dict[int, int]:
    """Match spans sharing a character, one-to-one, most matches; return pred -> gold."""
    candidates = [_ranked((char_overlap(g, p), j) for j, p in enumerate(predicted)) for g in gold]
    return max_matching(candidates)


def token_tally(view: TextView, gold: Sequence[Pieces], predicted: Sequence[Pieces]) -> Tally:
    """Score token-proportional overlap under a greedy one-to-one matching."""
    gold_tokens = [view.tokens(g) for g in gold]
    pred_tokens = [view.tokens(p) for p in predicted]
    shared = {
        (i, j): len(g & p)
        for i, g in enumerate(gold_tokens)
        for j, p in enumerate(pred_tokens)
        if not g.isdisjoint(p)
    }
    pairs = greedy_matching(shared)
    precision = sum(shared[i, j] / len(pred_tokens[j]) for i, j in pairs)
    recall = sum(shared[i, j] / len(gold_tokens[i]) for i, j in pairs)
    return Tally(len(gold), len(predicted), len(pairs), precision, recall)


def who_said_what_matches(
    view: TextView, gold: Sequence[AttributionLike], predicted: Sequence[AttributionLike]
) -> dict[int, int]:
    """Match whole attributions (content Dice >= 0.5, sources agree); return pred -> gold."""
    gold_content = [view.tokens(view.normalise(a.content.pieces)) for a in gold]
    pred_content = [view.tokens(view.normalise(a.content.pieces)) for a in predicted]
    candidates: list[list[int]] = []
    for g, g_tokens in zip(gold, gold_content, strict=True):
        scored = []
        for j, (p, p_tokens) in enumerate(zip(predicted, pred_content, strict=True)):
            if _sources_agree(view, g.source, p.source) and dice_passes(g_tokens, p_tokens):
                scored.append((dice(g_tokens, p_tokens), j))
        candidates.append(_ranked(scored))
    return max_matching(candidates)


def dice(a: frozenset[int], b: frozenset[int]) -> float:
    """Dice coefficient of two token sets (0 when both are empty)."""
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


def dice_passes(a: frozenset[int], b: frozenset[int]) -> bool:
    """Whether the Dice coefficient reaches ``DICE_THRESHOLD``, compared exactly."""
    shared = len(a & b)
    # Fractions, not floats, so that a Dice of exactly the threshold passes.
    return shared > 0 and Fraction(2 * shared, len(a) + len(b)) >= DICE_THRESHOLD


def _sources_agree(view: TextView, gold: Span | None, predicted: Span | None) -> bool:
    """Both sources absent, or both present and sharing a character."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    return char_overlap(view.normalise(gold.pieces), view.normalise(predicted.pieces)) > 0


def char_overlap(a: Pieces, b: Pieces) -> int:
    """Number of characters two piece sets share."""
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _ranked(scored: Iterable[tuple[float, int]]) -> list[int]:
    """Indices with a positive score, best first (ties by index)."""
    return [j for score, j in sorted(scored, key=lambda x: (-x[0], x[1])) if score > 0]


def max_matching(candidates: Sequence[Sequence[int]]) -> dict[int, int]:
    """Maximum-cardinality one-to-one matching by augmenting paths (Kuhn's algorithm).

    Args:
        candidates: for each gold item, the predictions it may match, preferred first.

    Returns:
        The matching, prediction index -> gold index.
    """
    owner: dict[int, int] = {}

    def augment(gold: int, visited: set[int]) -> bool:
        for pred in candidates[gold]:
            if pred in visited:
                continue
            visited.add(pred)
            if pred not in owner or augment(owner[pred], visited):
                owner[pred] = gold
                return True
        return False

    for gold in range(len(candidates)):
        augment(gold, set())
    return owner


def greedy_matching(weights: Mapping[tuple[int, int], float]) -> list[tuple[int, int]]:
    """One-to-one matching taking the heaviest ``(gold, pred)`` pairs first (ties by index)."""
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for (i, j), _ in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0])):
        if i not in used_gold and j not in used_pred:
            used_gold.add(i)
            used_pred.add(j)
            pairs.append((i, j))
    return pairs


def _trimmable(char: str) -> bool:
    """Whitespace or punctuation (quote marks included): trimmed from span edges."""
    return char.isspace() or unicodedata.category(char).startswith("P") or char in _EXTRA_TRIM
