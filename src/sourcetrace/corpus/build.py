"""The cross-article step over a whole corpus: ``link``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from ..records import AnalysedDocument
from .claims import group_claims
from .graph import outlet_edges
from .records import Claim, CorpusResult, FigureSeries, ReusePair
from .reuse import find_reuse
from .series import figure_series
from .stories import group_stories
from .text import ingest_order


def link(docs: Sequence[AnalysedDocument], order: Mapping[str, int] | None = None) -> CorpusResult:
    """Link a corpus: find copies, stories, claims, figure series and the outlet graph.

    The steps, in order:

    1. **Reuse** (``corpus.reuse.find_reuse``): documents that copy text from an earlier one,
       with the share copied; direction by publication time, else ingest order.
    2. **Stories** (``corpus.stories.group_stories``): documents about the same event; a copy
       joins its original's story.
    3. **Claims**, per story (``corpus.claims.group_claims``): statements asserting the same
       thing, with origin, sources, echoes (cites / copies), independent sources and flags.
    4. **Figure series**, per story (``corpus.series.figure_series``): each quantity's values
       over time, and conflicts.
    5. **Outlet graph** (``corpus.graph.outlet_edges``): which outlet relays or copies which,
       from the claims' ``cites`` echoes and the reuse pairs.

    Args:
        docs: the analysed documents; ids must be distinct.
        order: ingest position by document id, used to order undated documents (default:
            the position in ``docs``).

    Returns:
        Everything found, each part in a stable order (reruns give the same ids).

    Raises:
        InputError: two documents share an id.
    """
    # Fix every document's position once: each story sees only its own documents.
    order = ingest_order(docs, order)
    reuse = find_reuse(docs, order)
    stories = group_stories(docs, reuse, order)
    by_id = {doc.id: doc for doc in docs}
    # Each story gets only its own copies: handing every story every pair was quadratic.
    copies_by_doc: dict[str, list[ReusePair]] = defaultdict(list)
    for pair in reuse:
        copies_by_doc[pair.doc].append(pair)
    claims: list[Claim] = []
    series: list[FigureSeries] = []
    for story in stories:
        members = [by_id[d] for d in story.documents]
        copied = [pair for d in story.documents for pair in copies_by_doc[d]]
        claims.extend(group_claims(story, members, copied, order))
        series.extend(figure_series(story, members, order))
    echoes = [echo for claim in claims for echo in claim.echoes]
    edges = outlet_edges(echoes, reuse, {doc.id: doc.outlet for doc in docs})
    return CorpusResult(
        stories=stories,
        reuse=reuse,
        claims=tuple(claims),
        series=tuple(series),
        outlet_edges=edges,
    )
