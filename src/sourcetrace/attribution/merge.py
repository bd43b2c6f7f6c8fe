"""From candidates to records: drop the empty and the duplicated, type, number."""

from __future__ import annotations

from dataclasses import replace

from ..records import Attribution, AttributionType, Span
from .candidate import Candidate, Context, Rule
from .linking import is_quotation, quote_pieces
from .ranges import SPACE, Pieces, bounds, has_word, overlaps, subtract, trim


def finalize(ctx: Context, candidates: list[Candidate]) -> tuple[Attribution, ...]:
    """Return the attributions of the surviving candidates, numbered in content order."""
    kept = _dedupe([c for c in (_clean(ctx, c) for c in candidates) if c is not None])
    kept.sort(key=lambda c: (c.content[0][0], c.cue_start))
    return tuple(_record(ctx, f"a{n}", c) for n, c in enumerate(kept, start=1))


def _clean(ctx: Context, cand: Candidate) -> Candidate | None:
    """Cut the cue and source out of the content; None when no words are left."""
    content = cand.content
    for piece in (*cand.cue, *(cand.source or ())):
        content = subtract(content, piece)
    # Cutting may leave a piece of bare punctuation between source and cue: drop it.
    content = tuple(p for p in trim(ctx.text, content, SPACE) if has_word(ctx.text, (p,)))
    return replace(cand, content=content) if content else None


def _dedupe(candidates: list[Candidate]) -> list[Candidate]:
    """Keep one candidate per cue, and one per content and source."""
    best: dict[int, Candidate] = {}
    for cand in sorted(candidates, key=lambda c: (c.rule, c.cue_start)):
        best.setdefault(cand.cue_start, cand)
    kept: list[Candidate] = []
    seen: dict[Pieces, list[Candidate]] = {}
    for cand in sorted(best.values(), key=lambda c: (c.rule, c.cue_start)):
        twins = seen.setdefault(cand.content, [])
        if any(_same_source(cand, t) for t in twins):
            continue
        twins.append(cand)
        kept.append(cand)
    return kept


def _same_source(a: Candidate, b: Candidate) -> bool:
    """Return whether two candidates name the same source (or both none)."""
    if a.source is None or b.source is None:
        return a.source is b.source
    return overlaps(a.source, b.source)


def _type(ctx: Context, cand: Candidate) -> AttributionType:
    """Return the attribution type of a candidate."""
    if cand.rule is Rule.ACCORDING:
        return "according_to"
    if is_quotation(ctx, cand.content):
        return "direct"
    lo, hi = bounds(cand.content)
    if quote_pieces(ctx, cand.content) or ctx.quotes.has_single_quote(lo, hi):
        return "mixed"
    return "indirect" if cand.rule is Rule.VERB else "other"


def _record(ctx: Context, ident: str, cand: Candidate) -> Attribution:
    """Convert a candidate to an ``Attribution`` record."""
    text = ctx.text
    source = cand.source if cand.source and has_word(text, cand.source) else None
    return Attribution(
        id=ident,
        type=_type(ctx, cand),
        source=Span.from_fragments(text, list(source)) if source else None,
        cue=Span.from_fragments(text, list(cand.cue)),
        content=Span.from_fragments(text, list(cand.content)),
    )
