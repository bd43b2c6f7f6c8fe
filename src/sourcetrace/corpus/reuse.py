"""Text reuse: documents that copy text from another (wire copy, syndication, light rewrites).

Steps: candidate pairs come from two indexes, each catching what the other misses. A MinHash
LSH index (datasketch, fixed seed, so reruns agree) proposes pairs by Jaccard similarity
(likely from about 0.2, see LSH_BANDS): near-duplicates, however many outlets carry them. A
sampled shingle index proposes pairs by containment (see SAMPLE_EVERY): a document that
copies part of its text, or rewrites lightly, from one of quite another length has a low
Jaccard similarity but a high containment. For each candidate the exact shingle sets give the
share of the later document's shingles found in the earlier one.

Shingles come from the text outside quotation marks: independent reports often quote the
same statement word for word, and that is not copied text (a wire copy repeats the narrative
as well). The later document is the copy: later by publication time when both are dated and
differ, else later in ingest order.
"""

from __future__ import annotations

import itertools
import zlib
from array import array
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime

from datasketch import MinHash, MinHashLSH

from ..records import AnalysedDocument
from .records import ReusePair
from .text import earlier_first, ingest_order, narrative_shingles, parse_published, shingles, words

SHINGLE_WORDS = 4
"""Words per shingle. Four keeps light rewrites (a word changed every dozen or so) above
MIN_SHARE while the odd shared stock phrase of independent reports stays far below it;
calibrated on tests/corpus/test_reuse.py texts and the BASIL same-event pairs (see
MIN_SHARE)."""

NUM_PERM = 64
"""MinHash permutations (the share is then computed exactly from the shingles, so the
estimate only decides which pairs are looked at)."""

SEED = 1
"""MinHash seed: fixed so that candidate pairs are the same on every run. Shingles are hashed
with CRC-32 (stable across runs, unlike ``hash``; about eight times faster than datasketch's
default SHA-1, and 32 bits is what MinHash's permutations expect)."""

LSH_BANDS = 32
LSH_ROWS = 2
"""LSH banding (bands x rows = NUM_PERM), given outright: datasketch would otherwise pick them
by numerical integration, seconds of work on each call. A pair is proposed with probability
1 - (1 - J^2)^32 for Jaccard J: 0.27 at J = 0.1, 0.73 at 0.2, 0.95 at 0.3, 1.0 from 0.4 (a
copy with a new lede is near 0.9, the test rewrite 0.55), and 0.003 at J = 0.01, where
unrelated documents sit, so candidates grow with the corpus, not with its square. Partial
copies and rewrites (J under 0.3) are left to the sampled index: the labelled rewrite in
tests/data/corpus (share 0.39, J 0.24, MinHash estimate 0.16) was not proposed here."""

SAMPLE_EVERY = 4
"""The containment index keeps the shingles whose hash is a multiple of this (a quarter):
the same shingles in every document, so shared samples estimate shared shingles. Measured
with ``benchmarks/corpus_bench.py``'s generated corpus (seed 10000): indexing every shingle
took 6.4 s for 10,000 documents, a quarter 1.2 s and found every pair reaching MIN_SHARE
that LSH or an exact count finds. A later document under about 40 shingles has ten samples
or fewer and may be missed when it copies little (LSH still sees it when its Jaccard is
high)."""

CANDIDATE_SHARE = 0.1
"""A pair is a containment candidate when its shared samples reach this fraction of the
smaller document's samples: well under MIN_SHARE, so sampling noise (a 100-shingle copy at
share 0.25 has about six shared samples) rarely drops a pair; the exact check follows."""

MAX_DOCUMENT_FREQUENCY = 100
"""Sampled shingles found in more documents than this are stock phrases or mass
syndication; they are left out of the containment index, whose work grows with the square
of a shingle's document count (LSH still proposes pairs of near-identical documents). At
10,000 generated documents 47 of 2.2 million shingles were that common."""

MIN_SHARE = 0.25
"""Least share of the later document's shingles found in the earlier one for a reuse pair.
Calibrated on ../shared/basil, whose 150 same-event pairs were written by different outlets:
with whole texts they share up to 0.37 of 4-word shingles (long quotes both carry); outside
quotes at most 0.19, and all but four pairs under 0.12. The copies with a new lede and the
light rewrites in tests/corpus/test_reuse.py keep 0.4 and more. Rerun
``python benchmarks/corpus_bench.py --basil-shares`` after changing SHINGLE_WORDS."""

MIN_NARRATIVE_SHINGLES = 20
"""Below this many shingles outside quotes (a text that is mostly a quoted statement), the
whole text is shingled instead, so such documents can still be matched."""


def find_reuse(
    docs: Sequence[AnalysedDocument], order: Mapping[str, int] | None = None
) -> tuple[ReusePair, ...]:
    """Find documents that copy text from another one.

    Args:
        docs: the corpus; ids must be distinct.
        order: ingest position by document id, for direction when dates are missing or equal
            (default: the position in ``docs``).

    Returns:
        One pair for each (copy, earlier document) whose share reaches ``MIN_SHARE``,
        sorted by copy then earlier document id.

    Raises:
        InputError: when two documents share an id.
    """
    seq = ingest_order(docs, order)
    hashed = {doc.id: shingle_hashes(doc.text) for doc in docs}
    times: dict[str, datetime | None] = {doc.id: parse_published(doc.published) for doc in docs}
    by_id = {doc.id: doc for doc in docs}
    pairs: list[ReusePair] = []
    for a, b in candidate_pairs(docs, hashed):
        earlier, later = earlier_first(by_id[a], by_id[b], times, seq)
        share = copied_share(set(hashed[later.id]), set(hashed[earlier.id]))
        if share >= MIN_SHARE:
            pairs.append(ReusePair(doc=later.id, copies=earlier.id, share=share))
    return tuple(sorted(pairs, key=lambda p: (p.doc, p.copies)))


def document_shingles(text: str) -> set[str]:
    """Shingles of the narrative (outside quotes); of the whole text when that is mostly quotes."""
    narrative = narrative_shingles(text, SHINGLE_WORDS)
    if len(narrative) >= MIN_NARRATIVE_SHINGLES:
        return narrative
    return shingles(words(text), SHINGLE_WORDS)


def shingle_hashes(text: str) -> array[int]:
    """The CRC-32 hashes of :func:`document_shingles`, sorted, four bytes each.

    Hashes instead of strings keep a large corpus in memory (about a tenth of the size);
    two distinct shingles of a pair collide with odds of about 1 in 40,000 per pair of
    documents, which moves a share by one shingle at most.
    """
    return array("I", sorted({zlib.crc32(s.encode("utf-8")) for s in document_shingles(text)}))


def copied_share(later: set[int], earlier: set[int]) -> float:
    """Fraction of ``later``'s shingles that also occur in ``earlier`` (0 when it has none)."""
    if not later:
        return 0.0
    return len(later & earlier) / len(later)


def _as_is(value: int) -> int:
    """MinHash's hash function for values that are hashes already."""
    return value


def candidate_pairs(
    docs: Sequence[AnalysedDocument], hashed: Mapping[str, array[int]]
) -> list[tuple[str, str]]:
    """Pairs of document ids proposed by Jaccard (LSH) or by containment, each once, sorted.

    Args:
        docs: the corpus.
        hashed: each document's shingle hashes, from :func:`shingle_hashes`.

    Returns:
        (id, id) pairs, the smaller id first.
    """
    return sorted(set(jaccard_candidates(docs, hashed)) | set(containment_candidates(hashed)))


def containment_candidates(hashed: Mapping[str, array[int]]) -> list[tuple[str, str]]:
    """Pairs whose sampled shingles overlap by CANDIDATE_SHARE of the smaller sample."""
    ids = list(hashed)
    postings: dict[int, list[int]] = {}
    sampled: list[int] = []
    for i, doc_id in enumerate(ids):
        sample = [h for h in hashed[doc_id] if h % SAMPLE_EVERY == 0]
        sampled.append(len(sample))
        for h in sample:
            postings.setdefault(h, []).append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for holders in postings.values():
        if 2 <= len(holders) <= MAX_DOCUMENT_FREQUENCY:
            shared.update(itertools.combinations(holders, 2))
    found = []
    for (a, b), count in shared.items():
        if count >= CANDIDATE_SHARE * min(sampled[a], sampled[b]):
            found.append((ids[a], ids[b]) if ids[a] < ids[b] else (ids[b], ids[a]))
    return found


def jaccard_candidates(
    docs: Sequence[AnalysedDocument], hashed: Mapping[str, array[int]]
) -> list[tuple[str, str]]:
    """Pairs of document ids the MinHash LSH index proposes, each once, in a stable order."""
    lsh = MinHashLSH(num_perm=NUM_PERM, params=(LSH_BANDS, LSH_ROWS))
    ids = [doc.id for doc in docs if hashed[doc.id]]
    # bulk() shares the permutations between documents instead of drawing them for each.
    minhashes = MinHash.bulk(
        (hashed[doc_id] for doc_id in ids), num_perm=NUM_PERM, seed=SEED, hashfunc=_as_is
    )
    hashes: dict[str, MinHash] = dict(zip(ids, minhashes, strict=True))
    for doc_id, mh in hashes.items():
        lsh.insert(doc_id, mh)
    seen: set[tuple[str, str]] = set()
    for doc_id, mh in hashes.items():
        for other in lsh.query(mh):
            if other != doc_id:
                seen.add((doc_id, other) if doc_id < other else (other, doc_id))
    return sorted(seen)
