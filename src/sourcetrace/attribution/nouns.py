"""Noun cues: "the mayor's claim that ...", "his warning that ...".

A noun of saying or believing with a complement clause (introduced by "that" as a
conjunction, not as a relative pronoun) attributes that clause; a possessive in front of
the noun ("Trump's claim") is the source.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from .candidate import Candidate, Context, Rule
from .ranges import subtree_range, token_range, trim

CLAUSE_DEPS = frozenset({"acl", "ccomp"})
"""How the parser hangs a complement clause on a noun."""


def noun_candidates(ctx: Context) -> Iterator[Candidate]:
    """Yield a candidate for every cue noun with a complement clause."""
    for token in ctx.doc:
        if token.pos_ != "NOUN" or ctx.lexicon.lemma(token) not in ctx.lexicon.nouns:
            continue
        clause = _complement(ctx, token)
        if clause is None:
            continue
        content = trim(ctx.text, (subtree_range(clause),))
        if content:
            yield Candidate(
                rule=Rule.NOUN,
                cue=(token_range(token),),
                content=content,
                source=_possessor(ctx, token),
            )


def _complement(ctx: Context, noun: Token) -> Token | None:
    """Return the noun's "that"-clause, if it has one with a subject of its own."""
    for child in ctx.tree.rights(noun):
        if child.dep_ not in CLAUSE_DEPS:
            continue
        kids = ctx.tree.children(child)
        has_mark = any(k.dep_ == "mark" and k.lower_ == "that" for k in kids)
        has_subject = any(k.dep_ in ("nsubj", "nsubjpass", "expl") for k in kids)
        if has_mark and has_subject:
            return child
    return None


def _possessor(ctx: Context, noun: Token) -> tuple[tuple[int, int], ...] | None:
    """Return the possessive in front of the noun ("Trump's" of "Trump's claim"), if any."""
    for child in ctx.tree.lefts(noun):
        if child.dep_ == "poss":
            start, _ = subtree_range(child)
            return trim(ctx.text, ((start, child.idx + len(child.text)),)) or None
    return None
