"""Stories: group documents about the same event.

Steps, each linear in the corpus size:

1. Features. Each document's content words (function words left out) get TF-IDF weights
   (sublinear term frequency, IDF over the corpus; words found in no other document count
   only in part in the vector's length, see ``SINGLETON_SHARE``); its entity-like names
   (runs of capitalised words, the outlet's own name left out) get IDF weights too.
2. Blocking. An inverted index over each document's most salient terms and names proposes
   candidate pairs: documents sharing at least ``MIN_SHARED_KEYS`` keys, published within
   ``WINDOW_DAYS`` of each other when both are dated. Each document meets at most
   ``MAX_NEIGHBOURS`` others per key, so no key makes the step quadratic.
3. Similarity of each candidate pair: a weighted sum of the TF-IDF cosine of the texts and
   of the names, damped by the time between them; a reuse pair (one copies the other) counts
   as the same story outright.
4. Clustering. Pairs are merged strongest first (single link) but two groups join only if
   their average link (the mean similarity over all cross pairs, unproposed pairs counting
   zero) reaches ``MIN_AVERAGE_LINK``, so one loose pair cannot chain two events together.
"""

from __future__ import annotations

import functools
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import resources

from ..records import AnalysedDocument
from .records import ReusePair, Story, content_id
from .text import ingest_order, names, parse_published, time_key, words

SALIENT_TERMS = 12
"""Blocking keys per document from its words: the highest TF-IDF terms found in 2+ documents."""

SALIENT_NAMES = 8
"""Blocking keys per document from its names (highest IDF first)."""

MIN_SHARED_KEYS = 2
"""Keys two documents must share to be compared; one shared word is too often chance."""

MAX_NEIGHBOURS = 40
"""Documents each document is paired with per key (the nearest in time, else in ingest
order): bounds the blocking work per document, whatever the size of an event."""

WINDOW_DAYS = 14.0
"""Dated documents further apart than this are never the same story. A developing story
runs for a week or more (the follow-up on who is to blame, the final toll, the election
called to replace a mayor who quit); a report a month on is a new story. Was 7 days; 14
raised BASIL dated F1 0.925 -> 0.940 (undated unchanged, see MIN_LINK)."""

TIME_SCALE_DAYS = 14.0
"""Similarity is divided by 1 + days apart / TIME_SCALE_DAYS: same-day reports keep it all,
a follow-up a week later keeps two thirds, one two weeks later half. Was 7 (a week-old
follow-up kept half, which split developing stories); 7, 14 and 21 were tried with the
settings below: BASIL dated F1 0.925 / 0.940 / 0.955, undated 0.933 throughout. 14 is taken,
not 21, because BASIL's events rarely run past a few days and do not test longer scales."""

TEXT_WEIGHT = 0.8
NAME_WEIGHT = 0.2
"""Weights of the text cosine and the names cosine in a pair's similarity (calibrated with
MIN_LINK below; 0.4/0.6/0.8 for text were tried; not re-tried in 2026-11)."""

MIN_LINK = 0.20
MIN_AVERAGE_LINK = 0.1
"""A pair is merged when its similarity reaches MIN_LINK and the average link of the two
groups reaches MIN_AVERAGE_LINK. Calibrated with ``sourcetrace.evaluation.stories``
(../shared/basil, 50 events x 3 outlets, mixed with the 924 PolNeAR dev+train articles as
background): a grid over MIN_LINK 0.10-0.25 and MIN_AVERAGE_LINK 0.05-0.15 (with whole term
vectors). With dates removed (the harder case, text alone) this is the best pairwise F1:
P 0.94 R 0.93 F1 0.933; with dates P 1.00 R 0.86 F1 0.925 (MIN_LINK 0.10 would give 0.99,
but BASIL (2010-14) and PolNeAR (2015-16) are years apart, which makes the dated case too easy
to tune on). Cutting vectors to their 100 or 200 heaviest terms cost 0.01-0.11 F1, so
vectors are whole. Recalibrated (2026-11) when the length of term vectors came to count
a document's own words only in part (SINGLETON_SHARE), which raises every cosine: MIN_LINK
0.18 -> 0.20 (grid 0.18-0.28 x MIN_AVERAGE_LINK 0.10-0.18) gives back the BASIL scores above
(undated 0.933; dated 0.925 with the old 7-day time scale, 0.940 with 14). Undated BASIL
falls off a cliff below 0.19 (P 0.79 at 0.18): background articles chain together. Rerun
``evaluate_stories`` (``sourcetrace eval stories``) after changing the features."""

MIN_TERM_LENGTH = 3
"""Shorter words (articles, "he", "of") carry no event signal and are left out of the terms."""

SINGLETON_SHARE = 0.1
"""Share of the squared weight of a document's own words (found in no other document) that
counts in its term vector's length. At 1 (before), in a small corpus those words carry the
top IDF (log N) and dominate the length, so a follow-up scores low for what is new in it
(new names, new facts) and developing stories split; at 0, in a corpus of a handful of
articles two unrelated ones sharing three or four words look alike. Grid 0 / 0.05 / 0.1 /
0.25 / 0.5 / 1 (with MIN_LINK 0.20 and the stop words): BASIL dated 0.940 and undated 0.933
for 0-0.5 (0.936 / 0.929 at 1); our 32-article corpus stories F1 0.97 / 0.97 / 0.90 / 0.86 /
0.64 / 0.43; the 9-article test corpus of tests/corpus/test_stories.py fails at 0 and its
largest unrelated pair (0.17 at 0.1) reaches MIN_LINK at 0.05. Rerun ``sourcetrace eval
stories`` and ``eval corpus`` after changing it."""

STOPWORDS_FILE = "story_stopwords.json"
"""Function words left out of the terms (``data/story_stopwords.json``; see its ``_about``)."""

Vector = dict[str, float]


@dataclass(frozen=True, slots=True)
class _Features:
    """One document's weighted terms and names, and its blocking keys."""

    terms: Vector
    names: Vector
    keys: tuple[str, ...]


def group_stories(
    docs: Sequence[AnalysedDocument],
    reuse: Iterable[ReusePair] = (),
    order: Mapping[str, int] | None = None,
) -> tuple[Story, ...]:
    """Group documents about the same event into stories.

    Args:
        docs: the corpus; ids must be distinct.
        reuse: reuse pairs (``find_reuse``): a copy is in its original's story.
        order: ingest position by document id, for undated documents (default: position in
            ``docs``).

    Returns:
        Every document in exactly one story (a story may have one document), stories
        ordered by their earliest document, documents earliest first.

    Raises:
        InputError: when two documents share an id.
    """
    seq = ingest_order(docs, order)
    times = {doc.id: parse_published(doc.published) for doc in docs}
    features = _features(docs)
    edges = _similarities(docs, features, times, seq)
    index = {doc.id: i for i, doc in enumerate(docs)}
    for pair in reuse:
        if pair.doc in index and pair.copies in index:
            key = _pair(index[pair.doc], index[pair.copies])
            edges[key] = max(edges.get(key, 0.0), 1.0)
    groups = _cluster(len(docs), edges)
    return _stories(docs, groups, times, seq)


def _pair_similarity(
    a: _Features, b: _Features, when_a: datetime | None, when_b: datetime | None
) -> float:
    """Weighted text and names cosines of two documents, damped by the time between them."""
    score = TEXT_WEIGHT * _cosine(a.terms, b.terms) + NAME_WEIGHT * _cosine(a.names, b.names)
    if when_a is not None and when_b is not None:
        days = abs((when_a - when_b).total_seconds()) / 86400.0
        score /= 1.0 + days / TIME_SCALE_DAYS
    return score


def _features(docs: Sequence[AnalysedDocument]) -> list[_Features]:
    """TF-IDF term and name vectors and blocking keys of every document."""
    term_counts = [_term_counts(doc) for doc in docs]
    name_sets = [names(_full_text(doc), exclude=[doc.outlet or ""]) for doc in docs]
    term_df = Counter(t for counts in term_counts for t in counts)
    name_df = Counter(n for found in name_sets for n in found)
    total = len(docs)
    out: list[_Features] = []
    for counts, found in zip(term_counts, name_sets, strict=True):
        # A word in one document adds to no cosine; it counts in the length only in part
        # (SINGLETON_SHARE), and is not stored.
        weights = {t: (1.0 + math.log(c)) * math.log(total / term_df[t]) for t, c in counts.items()}
        own = SINGLETON_SHARE * sum(w * w for t, w in weights.items() if term_df[t] == 1)
        terms = _normalise({t: w for t, w in weights.items() if term_df[t] > 1}, own)
        weighted_names = _normalise({n: math.log(1 + total / name_df[n]) for n in found})
        salient = _top(terms, term_df, SALIENT_TERMS)
        named = [f"n:{n}" for n in _top(weighted_names, name_df, SALIENT_NAMES)]
        out.append(_Features(terms, weighted_names, tuple(salient + named)))
    return out


def _full_text(doc: AnalysedDocument) -> str:
    """Title and text: the headline names the event most plainly."""
    return f"{doc.title}\n\n{doc.text}" if doc.title else doc.text


def _term_counts(doc: AnalysedDocument) -> Counter[str]:
    """Counts of the document's content words (long enough, not numbers or function words)."""
    stop = _stopwords()
    return Counter(
        w
        for w in words(_full_text(doc))
        if len(w) >= MIN_TERM_LENGTH and not w.isdigit() and w not in stop
    )


@functools.cache
def _stopwords() -> frozenset[str]:
    """The function words of ``data/story_stopwords.json`` (loaded once per process)."""
    raw = resources.files("sourcetrace").joinpath("data", STOPWORDS_FILE).read_text("utf-8")
    return frozenset(json.loads(raw)["stopwords"])


def _top(vector: Vector, df: Counter[str], limit: int) -> list[str]:
    """The ``limit`` heaviest entries of ``vector`` that occur in more than one document."""
    shared = [k for k in vector if df[k] > 1]
    return sorted(shared, key=lambda k: (-vector[k], k))[:limit]


def _normalise(vector: Vector, extra: float = 0.0) -> Vector:
    """Scale to unit length (``extra``: squared weight counted in the norm but not kept)."""
    norm = math.sqrt(extra + sum(v * v for v in vector.values()))
    if norm == 0:
        return {}
    return {k: v / norm for k, v in vector.items() if v > 0}


def _cosine(a: Vector, b: Vector) -> float:
    """Dot product of two unit vectors over their shared keys (the key-view intersection is C)."""
    return sum(a[k] * b[k] for k in a.keys() & b.keys())


def _pair(i: int, j: int) -> tuple[int, int]:
    """An unordered pair of indices, smaller first."""
    return (i, j) if i < j else (j, i)


def _candidates(
    docs: Sequence[AnalysedDocument],
    features: Sequence[_Features],
    times: Mapping[str, datetime | None],
    seq: Mapping[str, int],
) -> set[tuple[int, int]]:
    """Pairs sharing MIN_SHARED_KEYS blocking keys, near in time, MAX_NEIGHBOURS per key."""
    postings: defaultdict[str, list[int]] = defaultdict(list)
    for i, feat in enumerate(features):
        for key in feat.keys:
            postings[key].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for members in postings.values():
        if len(members) > 1:
            shared.update(_posting_pairs(docs, members, times, seq))
    return {pair for pair, count in shared.items() if count >= MIN_SHARED_KEYS}


def _posting_pairs(
    docs: Sequence[AnalysedDocument],
    members: list[int],
    times: Mapping[str, datetime | None],
    seq: Mapping[str, int],
) -> Iterable[tuple[int, int]]:
    """Pairs within one key's documents: dated ones within the window, undated ones by order."""
    dated = sorted(
        (m for m in members if times[docs[m].id] is not None),
        key=lambda m: time_key(docs[m], times, seq),
    )
    stamps = [_stamp(times[docs[m].id]) for m in dated]
    window = WINDOW_DAYS * 86400.0
    for pos, m in enumerate(dated):
        end = min(len(dated), pos + 1 + MAX_NEIGHBOURS)
        for other in range(pos + 1, end):
            if stamps[other] - stamps[pos] > window:
                break
            yield _pair(m, dated[other])
    # An undated document could be from any time: pair it with its neighbours in ingest order.
    by_order = sorted(members, key=lambda m: seq[docs[m].id])
    half = MAX_NEIGHBOURS // 2
    for pos, m in enumerate(by_order):
        if times[docs[m].id] is not None:
            continue
        for other in by_order[max(0, pos - half) : pos + half + 1]:
            if other != m:
                yield _pair(m, other)


def _stamp(when: datetime | None) -> float:
    """Seconds since the epoch (only called on dated documents)."""
    return when.timestamp() if when is not None else 0.0


def _similarities(
    docs: Sequence[AnalysedDocument],
    features: Sequence[_Features],
    times: Mapping[str, datetime | None],
    seq: Mapping[str, int],
) -> dict[tuple[int, int], float]:
    """Similarity of every candidate pair that reaches MIN_LINK."""
    edges: dict[tuple[int, int], float] = {}
    for i, j in _candidates(docs, features, times, seq):
        score = _pair_similarity(features[i], features[j], times[docs[i].id], times[docs[j].id])
        if score >= MIN_LINK:
            edges[(i, j)] = score
    return edges


def _cluster(count: int, edges: Mapping[tuple[int, int], float]) -> list[list[int]]:
    """Single link, strongest pairs first, guarded by the groups' average link."""
    parent = list(range(count))
    members: dict[int, list[int]] = {i: [i] for i in range(count)}
    neighbours: defaultdict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), score in edges.items():
        neighbours[i][j] = score
        neighbours[j][i] = score

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for (i, j), _score in sorted(edges.items(), key=lambda e: (-e[1], e[0])):
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        small, large = sorted((ri, rj), key=lambda r: len(members[r]))
        linked = sum(
            score
            for m in members[small]
            for other, score in neighbours[m].items()
            if find(other) == large
        )
        if linked / (len(members[small]) * len(members[large])) < MIN_AVERAGE_LINK:
            continue
        parent[small] = large
        members[large].extend(members.pop(small))
    return list(members.values())


def _stories(
    docs: Sequence[AnalysedDocument],
    groups: list[list[int]],
    times: Mapping[str, datetime | None],
    seq: Mapping[str, int],
) -> tuple[Story, ...]:
    """Story records: documents earliest first, stories ordered by their earliest document."""
    stories: list[tuple[tuple[int, float, int, str], Story]] = []
    for group in groups:
        ordered = sorted((docs[i] for i in group), key=lambda d: time_key(d, times, seq))
        first = ordered[0]
        ids = tuple(d.id for d in ordered)
        story = Story(id=content_id("s", list(ids)), title=_title(first), documents=ids)
        stories.append((time_key(first, times, seq), story))
    return tuple(story for _key, story in sorted(stories, key=lambda s: s[0]))


TITLE_WORDS = 12
"""Words of the text used as a story title when its first document has no title."""


def _title(doc: AnalysedDocument) -> str:
    """The document's title, else its first words."""
    if doc.title and doc.title.strip():
        return doc.title.strip()
    return " ".join(doc.text.split()[:TITLE_WORDS])
