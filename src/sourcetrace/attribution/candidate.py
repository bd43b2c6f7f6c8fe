"""What the rules share: the candidates they propose, and the document context they read."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from enum import IntEnum

from spacy.tokens import Doc, Token

from .lexicon import Lexicon, Marks, lexicon, marks
from .quotes import QuoteIndex, paragraphs
from .ranges import Pieces, Range


class Rule(IntEnum):
    """Which rule found a candidate; a lower value wins when two candidates clash."""

    VERB = 1
    ACCORDING = 2
    COLON = 3
    DASH = 4
    NOUN = 5


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible attribution, as character ranges.

    Attributes:
        rule: the rule that found it.
        cue: the cue's pieces.
        content: the content's pieces; empty while a cue still waits for a quotation.
        source: the source's pieces, or None when the text names nobody.
        takes_quote: whether an adjacent quotation may become the content.
    """

    rule: Rule
    cue: Pieces
    content: Pieces
    source: Pieces | None
    takes_quote: bool = False

    @property
    def cue_start(self) -> int:
        """Offset of the cue."""
        return self.cue[0][0]

    @property
    def clause(self) -> Range:
        """The range covering the source and the cue (the attributing clause)."""
        pieces = [*self.cue, *(self.source or ())]
        return (min(s for s, _ in pieces), max(e for _, e in pieces))


class Tree:
    """The dependency tree as child lists, built once per document.

    spaCy's ``Token.children`` walks the token's whole subtree span, so asking it for many
    tokens of one long sentence is quadratic; these lists answer in time proportional to
    the number of children.
    """

    def __init__(self, doc: Doc) -> None:
        """Index the children of every token of ``doc``."""
        self.doc = doc
        self._kids: list[list[int]] = [[] for _ in range(len(doc))]
        for token in doc:
            if token.head.i != token.i:
                self._kids[token.head.i].append(token.i)

    def children(self, token: Token) -> list[Token]:
        """Return the token's children in text order."""
        return [self.doc[i] for i in self._kids[token.i]]

    def lefts(self, token: Token) -> list[Token]:
        """Return the children before the token."""
        return [self.doc[i] for i in self._kids[token.i] if i < token.i]

    def rights(self, token: Token) -> list[Token]:
        """Return the children after the token."""
        return [self.doc[i] for i in self._kids[token.i] if i > token.i]


@dataclass(slots=True)
class Context:
    """Everything the rules read about one document."""

    doc: Doc
    text: str
    quotes: QuoteIndex
    paragraphs: list[Range]
    lexicon: Lexicon
    marks: Marks
    tree: Tree
    _para_starts: list[int] = field(default_factory=list)
    _sent_starts: list[int] = field(default_factory=list)

    @classmethod
    def build(cls, doc: Doc, text: str) -> Context:
        """Index the quotations, paragraphs and sentences of ``doc`` (whose text is ``text``)."""
        paras = paragraphs(text)
        return cls(
            doc=doc,
            text=text,
            quotes=QuoteIndex(text),
            paragraphs=paras,
            lexicon=lexicon(),
            marks=marks(),
            tree=Tree(doc),
            _para_starts=[p[0] for p in paras],
            _sent_starts=[s.start for s in doc.sents],
        )

    def sentence_of(self, token: Token) -> Range:
        """Return the characters of the token's sentence.

        Bisects an index built once: ``token.sent`` walks the sentence, which makes many
        look-ups in one long sentence quadratic.
        """
        i = bisect.bisect_right(self._sent_starts, token.i) - 1
        first = self.doc[self._sent_starts[i]] if i >= 0 else self.doc[0]
        nxt = self._sent_starts[i + 1] if i + 1 < len(self._sent_starts) else len(self.doc)
        last = self.doc[nxt - 1]
        return (first.idx, last.idx + len(last.text))

    def category(self, token: Token) -> str | None:
        """Return the cue category of a verb token, or None when it is no cue."""
        particles = {c.lower_ for c in self.tree.rights(token) if c.dep_ == "prt"}
        return self.lexicon.category(self.lexicon.lemma(token), particles)

    def paragraph_index(self, pos: int) -> int:
        """Return the index of the paragraph holding ``pos`` (the previous one in a gap)."""
        return max(0, bisect.bisect_right(self._para_starts, pos) - 1)

    def paragraph_of(self, pos: int) -> Range:
        """Return the paragraph holding ``pos``."""
        return self.paragraphs[self.paragraph_index(pos)] if self.paragraphs else (0, 0)
