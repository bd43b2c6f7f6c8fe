"""Character ranges: the arithmetic the rules share (building, trimming, subtracting)."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

Range = tuple[int, int]
"""A ``(start, end)`` character range, end exclusive."""
Pieces = tuple[Range, ...]
"""A possibly discontinuous span: sorted, disjoint, non-empty ranges."""

EDGE_PUNCT = " \t\r\n\u00a0,;:.—―–-"
"""Stripped from both ends of contents and sources: whitespace, separators, dashes."""
SPACE = " \t\r\n\u00a0"
"""Whitespace alone, for trimming the end of a piece that may end a sentence inside a quote."""
LEAD_PUNCT = " \t\r\n\u00a0,;:—―–-"
"""Stripped from the start only; a leading full stop never belongs to a span either."""


def token_range(token: Token) -> Range:
    """Return the characters of one token."""
    return (token.idx, token.idx + len(token.text))


def tokens_range(first: Token, last: Token) -> Range:
    """Return the characters from ``first`` to ``last`` inclusive."""
    return (first.idx, last.idx + len(last.text))


def subtree_range(token: Token) -> Range:
    """Return the characters of the token's whole subtree (O(1) via its edges)."""
    return tokens_range(token.left_edge, token.right_edge)


def normalize(ranges: Iterable[Range]) -> Pieces:
    """Sort ranges, drop empty ones and merge those that overlap or touch."""
    out: list[Range] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return tuple(out)


def subtract(pieces: Iterable[Range], hole: Range) -> Pieces:
    """Remove ``hole`` from every range."""
    out: list[Range] = []
    for start, end in pieces:
        if hole[1] <= start or end <= hole[0]:
            out.append((start, end))
            continue
        out.append((start, min(end, hole[0])))
        out.append((max(start, hole[1]), end))
    return normalize(out)


def clip(pieces: Iterable[Range], window: Range) -> Pieces:
    """Keep only the parts of ``pieces`` inside ``window``."""
    return normalize((max(s, window[0]), min(e, window[1])) for s, e in pieces)


def trim(text: str, pieces: Iterable[Range], edge: str = EDGE_PUNCT) -> Pieces:
    """Strip ``edge`` characters from both ends of every piece; drop pieces left empty."""
    out: list[Range] = []
    for start, end in pieces:
        while start < end and text[start] in LEAD_PUNCT:
            start += 1
        while end > start and text[end - 1] in edge:
            end -= 1
        if end > start:
            out.append((start, end))
    return normalize(out)


def overlaps(a: Iterable[Range], b: Iterable[Range]) -> bool:
    """Return whether any range of ``a`` overlaps any range of ``b``."""
    b_list = list(b)
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b_list)


def bounds(pieces: Pieces) -> Range:
    """Return the ``(start, end)`` that encloses all pieces."""
    return (pieces[0][0], pieces[-1][1])


def has_word(text: str, pieces: Iterable[Range]) -> bool:
    """Return whether any piece contains a letter or digit."""
    return any(any(ch.isalnum() for ch in text[s:e]) for s, e in pieces)
