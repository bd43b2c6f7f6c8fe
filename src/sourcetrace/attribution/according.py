"""'According to X, ...' and its kin.

The source is the prepositional object; the content is the clause the phrase attaches to
(or, failing a verb, its sentence) without the phrase, within the phrase's paragraph.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from .candidate import Candidate, Context, Rule
from .ranges import Pieces, clip, normalize, subtract, subtree_range, tokens_range, trim

MAX_CLAUSE_CLIMB = 6
"""Heads climbed from the phrase to the verb of its clause (noun attachments add a step)."""


def according_candidates(ctx: Context) -> Iterator[Candidate]:
    """Yield a candidate for every "according to X" of the document."""
    firsts = {first for first, _ in ctx.lexicon.according}
    for token in ctx.doc:
        if token.lower_ not in firsts or token.i + 1 >= len(ctx.doc):
            continue
        prep = token.nbor()
        if (token.lower_, prep.lower_) not in ctx.lexicon.according:
            continue
        candidate = _candidate(ctx, token, prep)
        if candidate is not None:
            yield candidate


def _candidate(ctx: Context, first: Token, prep: Token) -> Candidate | None:
    """Build the candidate of one "according to" phrase."""
    objects = [c for c in ctx.tree.children(prep) if c.dep_ in ("pobj", "pcomp")]
    source: Pieces | None = None
    phrase_end = prep
    if objects:
        source = trim(ctx.text, (subtree_range(objects[0]),)) or None
        phrase_end = objects[0].right_edge
    phrase = tokens_range(first, max(phrase_end, first.right_edge, key=lambda t: t.i))
    clause = clip(subtract((_clause_range(ctx, first),), phrase), ctx.paragraph_of(first.idx))
    content = trim(ctx.text, clause)
    if not content:
        return None
    return Candidate(
        rule=Rule.ACCORDING,
        cue=normalize([tokens_range(first, prep)]),
        content=content,
        source=source,
    )


def _clause_range(ctx: Context, token: Token) -> tuple[int, int]:
    """Return the range of the clause the phrase modifies: its verb's subtree or sentence."""
    node = token
    for _ in range(MAX_CLAUSE_CLIMB):
        if node.head is node:
            break
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            return subtree_range(node)
    return ctx.sentence_of(token)
