"""One read of a parsed document, shared by the stages after the attribution step.

Reading a spaCy ``Doc`` token by token from Python is slow: every ``doc[i]`` or iteration
builds a ``Token`` object, ``doc.text`` joins every token again on each access, and
``span.ents`` walks all of the document's entities. Each sourcing stage used to build its
own per-document arrays this way. ``DocIndex`` reads the document once, with
``Doc.to_array`` (one C call) and the string table, into plain lists that the stages share:
token offsets, text, lower case, lemmas, part-of-speech tags, sentence bounds and entities.
Sentence bounds are read on first use, so a document without sentence annotation fails only
in a stage that needs sentences, as ``doc.sents`` would.

``Analyzer.run_stages`` builds one index per document and passes it to every stage; each stage
function also accepts a bare ``Doc`` and builds the index itself when none is given.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
from spacy.attrs import IDX, LEMMA, LOWER, ORTH, POS, SENT_START, SPACY
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan


class DocIndex:
    """Per-document look-ups over plain lists, built once from a parsed ``Doc``.

    Attributes:
        doc: the document.
        text: ``doc.text``, read once.
        starts: character offset of each token.
        ends: character offset just after each token.
        words: each token's text.
        lower: each token's lower-case text (``Token.lower_``).
        lemma: each token's lemma, lower-cased (``Token.lemma_.lower()``).
        pos: each token's coarse part of speech (``Token.pos_``).
        ents: the document's entities (``doc.ents``), in text order.
    """

    __slots__ = (
        "_ent_starts",
        "_sent_of",
        "_sentences",
        "doc",
        "ends",
        "ents",
        "lemma",
        "lower",
        "pos",
        "starts",
        "text",
        "words",
    )

    def __init__(self, doc: Doc) -> None:
        """Read the document's tokens and entities (sentences are read on first use)."""
        self.doc = doc
        columns = doc.to_array([IDX, ORTH, LOWER, LEMMA, POS, SPACY]).T
        orth = _Column(doc, columns[1])
        idx = columns[0].astype(np.int64)  # offsets; the other columns are uint64 ids
        self.starts: list[int] = idx.tolist()
        self.words: list[str] = orth.strings()
        self.ends: list[int] = (idx + orth.lengths()).tolist()
        self.lower: list[str] = _Column(doc, columns[2]).strings()
        self.lemma: list[str] = _Column(doc, columns[3]).strings(str.lower)
        self.pos: list[str] = _Column(doc, columns[4]).strings()
        spaces = columns[5].tolist()
        self.text = "".join(
            [w + " " if sp else w for w, sp in zip(self.words, spaces, strict=True)]
        )
        self.ents: tuple[SpacySpan, ...] = tuple(doc.ents)
        self._ent_starts = [e.start for e in self.ents]
        self._sentences: list[tuple[int, int]] | None = None
        self._sent_of: list[int] | None = None

    @property
    def sentences(self) -> list[tuple[int, int]]:
        """Token bounds ``(start, end)`` of each sentence, as ``doc.sents`` gives them.

        Raises:
            ValueError: the document has no sentence boundaries (as ``doc.sents`` does).
        """
        if self._sentences is None:
            self._sentences = _sentence_bounds(self.doc)
        return self._sentences

    @property
    def sent_of(self) -> list[int]:
        """The number of the sentence holding each token."""
        if self._sent_of is None:
            sent_of = [0] * len(self.starts)
            for s, (start, end) in enumerate(self.sentences):
                sent_of[start:end] = [s] * (end - start)
            self._sent_of = sent_of
        return self._sent_of

    def sentence_chars(self, bounds: tuple[int, int]) -> tuple[int, int]:
        """Character offsets ``(start_char, end_char)`` of a non-empty token range."""
        return self.starts[bounds[0]], self.ends[bounds[1] - 1]

    def token_at(self, char: int) -> int:
        """Index of the token that covers or follows ``char`` (0 before the first token)."""
        return max(0, bisect.bisect_right(self.starts, char) - 1)

    def ents_within(self, start: int, end: int) -> list[SpacySpan]:
        """The entities inside tokens ``[start, end)``, as ``doc[start:end].ents`` gives them."""
        out: list[SpacySpan] = []
        for k in range(bisect.bisect_left(self._ent_starts, start), len(self.ents)):
            ent = self.ents[k]
            if ent.end > end:
                break
            out.append(ent)
        return out


class _Column:
    """One column of string ids of ``Doc.to_array``, each distinct id looked up once."""

    def __init__(self, doc: Doc, ids: npt.NDArray[np.uint64]) -> None:
        keys, self.inverse = np.unique(ids, return_inverse=True)
        store = doc.vocab.strings
        self.names = [store[key] if key else "" for key in keys.tolist()]

    def strings(self, convert: Callable[[str], str] | None = None) -> list[str]:
        """The string of each row, passed through ``convert`` when given."""
        names = [convert(n) for n in self.names] if convert else self.names
        table = np.empty(len(names), dtype=object)
        table[:] = names
        out: list[str] = table[self.inverse].tolist()
        return out

    def lengths(self) -> npt.NDArray[np.int64]:
        """The length of each row's string."""
        return np.array([len(n) for n in self.names], dtype=np.int64)[self.inverse]


def _sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """The token bounds of ``doc.sents``, read from the sentence-start column."""
    if not doc.has_annotation("SENT_START") or "sents" in doc.user_hooks:
        return [(s.start, s.end) for s in doc.sents]  # raises or defers as spaCy does
    flags: Sequence[int] = doc.to_array([SENT_START]).tolist()
    cuts = [i for i in range(1, len(flags)) if flags[i] == 1]
    starts = [0, *cuts]
    ends = [*cuts, len(flags)]
    return [(s, e) for s, e in zip(starts, ends, strict=True) if e > s]


def index_of(doc: Doc, index: DocIndex | None) -> DocIndex:
    """Return ``index`` when it was built for ``doc``, else a new index of ``doc``.

    Raises:
        ValueError: ``index`` was built for another document.
    """
    if index is None:
        return DocIndex(doc)
    if index.doc is not doc:
        raise ValueError("the document index was built for another document")
    return index
