"""Attributions marked by punctuation alone.

- A label and a colon opening a paragraph: the headline "Name: claim" or a transcript's
  "NAME: words". The cue is the colon; the source is the label.
- A dash after a quotation, then a name: "“...” ― Name". The cue is the dash.
- A clause ending its paragraph with a colon, before a quoted paragraph ("Sanders made
  the following comment:"): the cue runs from the clause's verb to the colon, and waits
  for the quotation (``linking``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from .candidate import Candidate, Context, Rule
from .ranges import Range, normalize, subtree_range, trim

_LABEL = re.compile(r"[^\s:][^:\n]{0,60}?:(?=\s)")
"""A paragraph-opening label: up to about 60 characters, no colon, then a colon and space.
Longer openings are sentences, not names; ``label_max_tokens`` (data) bounds it in words."""

MAX_INTRO_CLIMB = 8
"""Heads climbed from a paragraph-final colon to the verb of its clause."""

MAX_SOURCE_AFTER_DASH = 8
"""Tokens a name after a dash may have ("Jane Doe, a teacher in Ohio")."""

MAX_NAME_CHARS = 120
"""Characters read after a dash when looking for the name (keeps the scan local)."""


def colon_candidates(ctx: Context) -> Iterator[Candidate]:
    """Yield "Label: content" candidates, one per paragraph at most."""
    for para in ctx.paragraphs:
        candidate = _label_candidate(ctx, para)
        if candidate is not None:
            yield candidate


def _label_candidate(ctx: Context, para: Range) -> Candidate | None:
    """Return the candidate of a paragraph that opens with "Label:", if it does."""
    start = para[0]
    quote = ctx.quotes.containing(start)
    if quote is not None and quote.start == start:
        start += 1  # a transcript paragraph opens with a quotation mark
    match = _LABEL.match(ctx.text, start, para[1])
    if match is None:
        return None
    colon = match.end() - 1
    label = ctx.doc.char_span(match.start(), colon, alignment_mode="contract")
    if label is None or not _is_name_label(ctx, label):
        return None
    content = trim(ctx.text, [(colon + 1, para[1])])
    if not content or len(ctx.text[content[0][0] : content[-1][1]].split()) < 2:
        return None
    return Candidate(
        rule=Rule.COLON,
        cue=((colon, colon + 1),),
        content=content,
        source=((label.start_char, label.end_char),),
    )


def _is_name_label(ctx: Context, label: SpacySpan) -> bool:
    """Return whether a label before a colon can name a source (not "Update", not a time)."""
    if not 0 < len(label) <= ctx.marks.label_max_tokens:
        return False
    if label.text.lower() in ctx.marks.label_stopwords:
        return False
    if any(t.like_num or t.pos_ in ("VERB", "AUX", "PRON", "ADP", "SCONJ") for t in label):
        return False
    words = [t for t in label if t.is_alpha]
    return bool(words) and all(t.text[0].isupper() for t in words if not t.is_stop)


def dash_candidates(ctx: Context) -> Iterator[Candidate]:
    """Yield "“quotation” ― Name" candidates."""
    dashes = "|".join(re.escape(d) for d in ctx.marks.dashes)
    after = re.compile(rf"[ \t\u00a0]*({dashes})[ \t\u00a0]*(?=\w)")
    for quote in ctx.quotes.quotes:
        match = after.match(ctx.text, quote.end)
        if not quote.closed or match is None:
            continue
        para_end = ctx.paragraph_of(quote.end)[1]
        window_end = min(para_end, match.end() + MAX_NAME_CHARS)
        name = ctx.doc.char_span(match.end(), window_end, alignment_mode="contract")
        source = _dash_name(ctx.text, name) if name is not None else None
        if source is None:
            continue
        yield Candidate(
            rule=Rule.DASH,
            cue=(match.span(1),),
            content=quote.pieces,
            source=normalize([source]),
        )


def _dash_name(text: str, span: SpacySpan) -> Range | None:
    """Return the name a dash introduces: the words up to a full stop, if short and verbless."""
    tokens: list[Token] = []
    for token in span:
        if (token.is_sent_start and tokens) or token.text in (".", "“", '"'):
            break
        tokens.append(token)
    if not tokens or len(tokens) > MAX_SOURCE_AFTER_DASH:
        return None
    if any(t.pos_ in ("VERB", "AUX") for t in tokens) or not tokens[0].text[0].isupper():
        return None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    trimmed = trim(text, [(start, end)])
    return trimmed[0] if trimmed else None


def intro_candidates(ctx: Context) -> Iterator[Candidate]:
    """Yield waiting candidates for paragraphs that end "Subject verb ...:"."""
    for index, para in enumerate(ctx.paragraphs[:-1]):
        if ctx.text[para[1] - 1] != ":":
            continue
        colon = ctx.doc.char_span(para[1] - 1, para[1])
        nxt = ctx.paragraphs[index + 1]
        quote = ctx.quotes.containing(nxt[0])
        if colon is None or quote is None or quote.start != nxt[0]:
            continue
        candidate = _intro(ctx, colon[0], para)
        if candidate is not None:
            yield candidate


def _intro(ctx: Context, colon: Token, para: Range) -> Candidate | None:
    """Return the waiting candidate of a paragraph-final colon, if its clause has a subject."""
    verb = colon
    for _ in range(MAX_INTRO_CLIMB):
        if verb.head is verb:
            break
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX") or not para[0] <= verb.idx < para[1]:
        return None
    subjects = [c for c in ctx.tree.lefts(verb) if c.dep_ == "nsubj" and c.idx >= para[0]]
    if not subjects:
        return None
    source = trim(ctx.text, [subtree_range(subjects[-1])])
    return Candidate(
        rule=Rule.COLON,
        cue=((verb.idx, colon.idx + 1),),
        content=(),
        source=source or None,
        takes_quote=True,
    )
