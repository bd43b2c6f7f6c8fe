"""Joining candidates and quotations.

1. Cues inside a closed quotation are dropped: they belong to the quoted speaker (a
   speaker's "I think"), and PolNeAR annotates almost none of them.
2. Snap: a content that touches a quotation grows to cover all of it (the parser often
   splits a quotation into sentences; the marks say where it really ends).
3. Adjacent cues: a quotation no content covers goes to a cue right after it ("“...,” she
   said") or right before it ("He said: “...”", "He said.↵“...”").
4. Continuation: an unclaimed quotation that opens a sentence after a quotation of the
   same paragraph, or a paragraph that is all quotation right after a paragraph quoting
   one speaker, continues that quotation (one more fragment of its content).
5. Sources: kept outside quotations; a quotation's cue left without a subject takes the
   name between them ("“...,” Flynn, a top surrogate, said").

Each step is linear in the number of candidates and quotations (cues are looked up by
offset with bisection), so pathological texts stay fast.
"""

from __future__ import annotations

import bisect
from dataclasses import replace

from .candidate import Candidate, Context, Rule
from .quotes import Quote
from .ranges import Pieces, Range, bounds, clip, has_word, normalize, overlaps, subtract, trim

MAX_GAP_BEFORE_QUOTE = 80
"""Characters allowed between a cue and the quotation it introduces ("said in a statement
on Tuesday, “..."); longer gaps are another clause."""

SENTENCE_END = ".?!:\"'…"
"""Characters after which a quotation opens a new sentence."""

QUOTE_FINAL = (",", "?", "!", "—")
"""A quotation ending in one of these (inside the marks) goes on into its cue clause."""

CUE_WINDOW = 400
"""Characters around a quotation searched for its cue: room for a long speaker
description between quotation and verb, and for a cue before it (``MAX_GAP_BEFORE_QUOTE``)."""

MAX_NAME_GAP = 80
"""Longest name between a quotation and its cue ("Kenneth Baer, a former official, said")."""

GAP_PUNCT = " \t\u00a0,:—―–-."
"""What may separate a quotation from the cue clause after it."""


def attach_quotes(ctx: Context, candidates: list[Candidate]) -> list[Candidate]:
    """Return the candidates with quotations snapped, attached and continued."""
    outside = [c for c in candidates if c.rule is Rule.COLON or not _quoted_cue(ctx, c)]
    snapped = [_snap(ctx, c) for c in outside]
    claimed = _claimed(ctx, snapped)
    attached = _attach_adjacent(ctx, snapped, claimed)
    continued = _continue_quotes(ctx, attached, _claimed(ctx, attached))
    return _repair_sources(ctx, continued)


def quote_pieces(ctx: Context, pieces: Pieces) -> list[Quote]:
    """Return the quotations that overlap ``pieces``."""
    if not pieces:
        return []
    lo, hi = bounds(pieces)
    return [q for q in ctx.quotes.overlapping(lo, hi) if overlaps(q.pieces, pieces)]


def is_quotation(ctx: Context, pieces: Pieces) -> bool:
    """Return whether every word of ``pieces`` lies inside quotations."""
    quotes = quote_pieces(ctx, pieces)
    if not quotes:
        return False
    rest = pieces
    for quote in quotes:
        for piece in quote.pieces:
            rest = subtract(rest, piece)
    return not has_word(ctx.text, rest)


def _quoted_cue(ctx: Context, cand: Candidate) -> bool:
    """Return whether the cue stands inside a (properly closed) quotation."""
    return ctx.quotes.closed_containing(cand.cue_start) is not None


def _snap(ctx: Context, cand: Candidate) -> Candidate:
    """Grow a content to the quotations it touches (or clip it to the one holding its cue)."""
    quotes = quote_pieces(ctx, cand.content)
    if not quotes:
        return cand
    inside = ctx.quotes.containing(cand.cue_start)
    if inside is not None and inside.closed:
        return replace(cand, content=_clip_to(cand.content, inside))
    clause_start = cand.clause[0]
    pieces: list[Range] = []
    for quote in quotes:
        if quote is inside:
            # An unclosed mark before the cue: the quotation can only end where the
            # attributing clause begins.
            pieces.extend(clip(quote.pieces, (quote.start, clause_start)))
        else:
            pieces.extend(quote.pieces)
    grown = normalize([*cand.content, *pieces])
    for piece in (*cand.cue, *(cand.source or ())):
        grown = subtract(grown, piece)
    if is_quotation(ctx, grown):
        grown = trim(ctx.text, normalize(pieces))
    return replace(cand, content=grown)


def _clip_to(pieces: Pieces, quote: Quote) -> Pieces:
    """Keep the parts of ``pieces`` inside the quotation."""
    return normalize(p for piece in quote.pieces for p in clip(pieces, piece))


def _claimed(ctx: Context, candidates: list[Candidate]) -> set[int]:
    """Return the starts of quotations some content overlaps."""
    return {q.start for c in candidates for q in quote_pieces(ctx, c.content)}


def _attach_adjacent(
    ctx: Context, candidates: list[Candidate], claimed: set[int]
) -> list[Candidate]:
    """Give each unclaimed quotation to a cue next to it.

    A cue with no content yet ("waiting") may take a quotation on either side. A cue whose
    content lies after it ("movable") may take a quotation just before it that ends in a
    comma: if its content is a quotation too, the two are one interrupted quotation ("“...,”
    she said, “and ...”"); otherwise the parser misread the clause and the quotation
    replaces it ("“...,” Warren told Stumpf, after he ...").
    """
    waiting = {i for i, c in enumerate(candidates) if c.takes_quote and not c.content}
    movable = {
        i
        for i, c in enumerate(candidates)
        if c.takes_quote and c.content and c.content[0][0] > c.cue[-1][1]
    }
    # Candidates by cue offset, so that each quotation only looks at the cues near it.
    order = sorted(waiting | movable, key=lambda i: candidates[i].cue_start)
    starts = [candidates[i].cue_start for i in order]
    out = list(candidates)
    for quote in ctx.quotes.quotes:
        if quote.start in claimed or not has_word(ctx.text, quote.pieces):
            continue
        lo = bisect.bisect_left(starts, quote.start - CUE_WINDOW)
        hi = bisect.bisect_right(starts, quote.end + CUE_WINDOW)
        near = [i for i in order[lo:hi] if i in waiting or i in movable]
        index = _cue_for(ctx, quote, out, near, waiting)
        if index is None:
            continue
        content = out[index].content
        if content and is_quotation(ctx, content):
            out[index] = replace(out[index], content=normalize([*quote.pieces, *content]))
        else:
            out[index] = replace(out[index], content=quote.pieces)
        waiting.discard(index)
        movable.discard(index)
    return out


def _cue_for(
    ctx: Context, quote: Quote, cands: list[Candidate], near: list[int], waiting: set[int]
) -> int | None:
    """Return the index of the cue that introduces or follows ``quote``."""
    comma_inside = ctx.text[quote.end - 2 : quote.end - 1] in QUOTE_FINAL
    after = [i for i in near if (comma_inside or i in waiting) and _follows(ctx, quote, cands[i])]
    before = [i for i in near if i in waiting and _precedes(ctx, quote, cands[i])]
    ranked = (after, before) if comma_inside or not before else (before, after)
    for found in ranked:
        if found:
            return min(found, key=lambda i: abs(cands[i].cue_start - quote.start))
    return None


def _follows(ctx: Context, quote: Quote, cand: Candidate) -> bool:
    """Return whether the cue clause comes right after the quotation ("“...,” X said")."""
    start = cand.clause[0]
    if start < quote.end or ctx.paragraph_index(start) != ctx.paragraph_index(quote.end - 1):
        return False
    return not ctx.text[quote.end : start].strip(GAP_PUNCT) or _is_name_gap(
        ctx, quote.end, cand.cue_start
    )


def _is_name_gap(ctx: Context, start: int, end: int) -> bool:
    """Return whether ``text[start:end]`` is short, verbless and inside one sentence."""
    gap = ctx.text[start:end]
    if not gap.strip(GAP_PUNCT) or len(gap) > MAX_NAME_GAP or any(ch in gap for ch in ".?!\n"):
        return False
    if any(m in gap for m in ctx.marks.double_marks):
        return False
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    return span is not None and all(t.pos_ not in ("VERB", "AUX") for t in span)


def _precedes(ctx: Context, quote: Quote, cand: Candidate) -> bool:
    """Return whether the cue clause introduces the quotation ("X said, “...”")."""
    end = cand.cue[-1][1]
    if end > quote.start or quote.start - end > MAX_GAP_BEFORE_QUOTE:
        return False
    gap = ctx.text[end : quote.start]
    if any(m in gap for m in ctx.marks.double_marks):
        return False
    cue_para, quote_para = ctx.paragraph_index(end), ctx.paragraph_index(quote.start)
    if quote_para == cue_para:
        stripped = gap.strip()
        return not stripped or stripped[-1] in ",:"
    # "He said:" or "He said." ending a paragraph, and the quotation opening the next one.
    return (
        quote_para == cue_para + 1
        and quote.start == ctx.paragraphs[quote_para][0]
        and not ctx.text[end : ctx.paragraphs[cue_para][1]].strip(" .:")
    )


def _continue_quotes(
    ctx: Context, candidates: list[Candidate], claimed: set[int]
) -> list[Candidate]:
    """Append unclaimed quotations to the quotation they continue."""
    out = list(candidates)
    speaking = sorted(
        (
            i
            for i, c in enumerate(out)
            if c.content and (c.takes_quote or is_quotation(ctx, c.content))
        ),
        key=lambda i: out[i].content[-1][1],
    )
    if not speaking:
        return out
    ends = [out[i].content[-1][1] for i in speaking]
    cues = sorted(c.cue_start for c in out if c.content)
    pointer = 0
    for quote in ctx.quotes.quotes:
        if quote.start in claimed or not has_word(ctx.text, quote.pieces):
            continue
        while pointer + 1 < len(speaking) and ends[pointer + 1] <= quote.start:
            pointer += 1
        if ends[pointer] > quote.start:
            continue
        index = speaking[pointer]
        if _continues(ctx, out[index], quote, cues):
            out[index] = replace(
                out[index], content=normalize([*out[index].content, *quote.pieces])
            )
    return out


def _char_before(text: str, pos: int) -> str:
    """Return the last non-space character before ``pos`` ("" at the start)."""
    i = pos - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return text[i] if i >= 0 else ""


def _starts_sentence(ctx: Context, quote: Quote) -> bool:
    """Return whether a quotation opens a sentence (not a phrase quoted mid-sentence)."""
    before = _char_before(ctx.text, quote.start)
    return not before or before in SENTENCE_END or before in ctx.marks.double_close


def _resumes(ctx: Context, cand: Candidate, quote: Quote) -> bool:
    """Return whether ``quote`` resumes a quotation its cue interrupted ("X said, “but")."""
    return (
        _char_before(ctx.text, quote.start) == ","
        and cand.content[-1][1] <= cand.cue_start < quote.start
    )


def _continues(ctx: Context, cand: Candidate, quote: Quote, cues: list[int]) -> bool:
    """Return whether ``quote`` continues the quotation of ``cand``."""
    last = cand.content[-1][1]
    # Another cue in between introduces someone else.
    lo, hi = bisect.bisect_right(cues, last), bisect.bisect_left(cues, quote.start)
    if any(cue != cand.cue_start for cue in cues[lo:hi]):
        return False
    last_para, quote_para = ctx.paragraph_index(last - 1), ctx.paragraph_index(quote.start)
    if last_para == quote_para:
        return _starts_sentence(ctx, quote) or _resumes(ctx, cand, quote)
    # A paragraph that is all quotation, right after a paragraph quoting the same speaker.
    para = ctx.paragraphs[quote_para]
    whole = quote.start == para[0] and not ctx.text[quote.end : para[1]].strip(" .")
    return whole and quote_para == last_para + 1 and is_quotation(ctx, cand.content)


def _repair_sources(ctx: Context, candidates: list[Candidate]) -> list[Candidate]:
    """Keep sources out of quotations, and name the speaker of a subjectless quotation cue."""
    return [_repair_source(ctx, c) for c in candidates]


def _repair_source(ctx: Context, cand: Candidate) -> Candidate:
    """Return the candidate with its source outside quotations, or found between them."""
    if cand.source is not None and ctx.quotes.closed_containing(cand.cue_start) is None:
        rest = cand.source
        for quote in quote_pieces(ctx, cand.source):
            if not quote.closed:
                continue
            for piece in quote.pieces:
                rest = subtract(rest, piece)
        rest = trim(ctx.text, rest)
        if rest == cand.source:
            return cand
        nearest = min(rest, key=lambda p: abs(p[0] - cand.cue_start), default=None)
        if nearest is None or not has_word(ctx.text, (nearest,)):
            return replace(cand, source=None)
        return replace(cand, source=(nearest,))
    if cand.source is None and cand.rule is Rule.VERB and cand.content:
        # "“...,” Flynn, a top surrogate, said": the parser often hangs the name on the
        # quotation, as an apposition.
        end = cand.content[-1][1]
        if end <= cand.cue_start and _is_name_gap(ctx, end, cand.cue_start):
            name = trim(ctx.text, ((end, cand.cue_start),))
            if name and has_word(ctx.text, name):
                return replace(cand, source=name)
    return cand
