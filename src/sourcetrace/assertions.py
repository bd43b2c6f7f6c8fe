"""Unsourced assertions: checkable claims the article makes on its own authority.

An assertion is a sentence, or a clause of one, that no attribution covers (neither its
content nor the source and cue of its clause) and that a fact-checker would want to check.
Its ``reason`` says why; when several apply, the first of this order wins:

1. ``figure``: it carries a figure (from :func:`sourcetrace.figures.extract_figures`);
2. ``causal``: it says one thing caused or led to another ("because", "due to", "after rain
   flooded the marquee");
3. ``comparison``: it compares ("than", "up from", "the largest", "a record");
4. ``actor``: a named actor (a PERSON, ORG, GPE or NORP entity, a proper noun, or a definite
   noun phrase standing for one: "the company") is the subject of a lexical verb.

Figures come first because they are the most checkable; a causal claim is a stronger claim than
a comparison, and a comparison than a plain deed. Sentences with none of these (scene-setting)
are not assertions.

Coverage and units:

* Coverage is a sorted interval sweep: each attribution contributes the envelope of its source,
  cue and content; the merged envelopes are walked once against the tokens.
* A sentence no attribution touches is split into its coordinated clauses ("Organisers added a
  tent, and 85 stalls will line the path"); each clause is a unit.
* In an attributed sentence, an uncovered stretch that opens with a writer's-addition marker
  ("though", "but", "which could not be verified") is a unit: the writer's own note. Such a note
  with none of the other reasons is an ``actor`` assertion: it states what someone did or did not
  do ("though no regulator has commented", "but did not dispute the numbers", "though this has
  not been confirmed by any other outlet" — the verification is the writer's claim).
  Other uncovered stretches of an attributed sentence count only when a comma-separated piece
  of them carries a figure, comparison or causal claim ("..., the government said, the smallest
  increase in three years").

Skipped: sentences without a verb (headline-like fragments), questions, and quoted sentences
no attribution claims unless they are full statements (a verb with a subject).

The cost is linear in the number of tokens: one sweep for coverage, then each token is read a
bounded number of times. Cue words are data (``data/assertions.json``).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources

from spacy.attrs import DEP, IS_PUNCT, IS_QUOTE, IS_SPACE, TAG
from spacy.tokens import Doc, Token

from .docindex import DocIndex, index_of
from .records import Assertion, Attribution, Figure

ASSERTIONS_FILE = "assertions.json"
REASONS: tuple[str, ...] = ("figure", "causal", "comparison", "actor")

_VERB_POS = frozenset({"VERB", "AUX"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "expl"})
_SUPERLATIVE_TAGS = frozenset({"JJS", "RBS"})
_PIECE_BREAKS = frozenset({",", ";", "—", "–", "-", ":", "(", ")"})
# A comma-separated remainder piece shorter than this is a time or place tag ("on Monday").
_MIN_PIECE_WORDS = 3

Phrases = dict[str, tuple[tuple[str, ...], ...]]
Unit = tuple[int, int]
"""A token range ``[start, end)`` of the document."""


@dataclass(frozen=True)
class _Cues:
    """The cue lists of ``data/assertions.json``, indexed for matching."""

    comparison_words: frozenset[str]
    comparison_phrases: Phrases
    superlative_exclusions: frozenset[str]
    causal_words: frozenset[str]
    causal_phrases: Phrases
    causal_clause_marks: frozenset[str]
    addition_markers: Phrases
    actor_entities: frozenset[str]
    verification_lemmas: frozenset[str]
    negations: frozenset[str]
    actor_determiners: frozenset[str]


def _index(phrases: list[list[str]]) -> Phrases:
    """Group phrases by first word, longest first, for matching at a token."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        out.setdefault(phrase[0], []).append(tuple(phrase))
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}


@functools.cache
def _cues() -> _Cues:
    """Read the cue lists (once per process)."""
    raw = json.loads(
        resources.files("sourcetrace").joinpath("data", ASSERTIONS_FILE).read_text("utf-8")
    )
    return _Cues(
        comparison_words=frozenset(raw["comparison_words"]),
        comparison_phrases=_index(raw["comparison_phrases"]),
        superlative_exclusions=frozenset(raw["superlative_exclusions"]),
        causal_words=frozenset(raw["causal_words"]),
        causal_phrases=_index(raw["causal_phrases"]),
        causal_clause_marks=frozenset(raw["causal_clause_marks"]),
        addition_markers=_index(raw["addition_markers"]),
        actor_entities=frozenset(raw["actor_entities"]),
        verification_lemmas=frozenset(raw["verification_lemmas"]),
        negations=frozenset(raw["negations"]),
        actor_determiners=frozenset(raw["actor_determiners"]),
    )


def find_assertions(
    doc: Doc,
    attributions: Sequence[Attribution],
    figures: Sequence[Figure],
    index: DocIndex | None = None,
) -> tuple[Assertion, ...]:
    """Find the checkable claims the article makes on its own authority.

    Args:
        doc: the parsed article.
        attributions: the attributions found in ``doc``; what they cover is not an assertion.
        figures: the figures found in ``doc`` (any order).
        index: the document's shared index (``docindex.DocIndex``); None builds one.

    Returns:
        The assertions, sorted by start offset; ``text == doc.text[start:end]``. At most one
        per clause, so the output is bounded by the number of tokens.
    """
    if len(doc) == 0:
        return ()
    cues = _cues()
    shared = index_of(doc, index)
    tokens = _Tokens(shared, _coverage(shared, attributions))
    figure_starts = sorted(f.start for f in figures)
    text = shared.text
    found: list[Assertion] = []
    for sent in _sentences(shared):
        for unit, addition in _units(tokens, sent, cues):
            reason = _reason(tokens, unit, figure_starts, cues) or ("actor" if addition else None)
            if reason is not None:
                start, end = shared.starts[unit[0]], shared.ends[unit[1] - 1]
                found.append(Assertion(text[start:end], start, end, reason))
    found.sort(key=lambda a: a.start)
    return tuple(found)


class _Tokens:
    """Per-token columns read once: the shared index, coverage, tags, dependencies, flags.

    Reading ``Token`` attributes one by one builds a spaCy object per access; these lists are
    read with one ``Doc.to_array`` call. ``Token`` objects are built only where the parse tree
    is walked (heads, children, edges), for the few tokens that need it.
    """

    __slots__ = ("covered", "dep", "doc", "index", "punct", "quote", "space", "tag")

    def __init__(self, index: DocIndex, covered: list[bool]) -> None:
        """Read the columns of ``index.doc``."""
        self.index = index
        self.doc = index.doc
        self.covered = covered
        columns = self.doc.to_array([TAG, DEP, IS_PUNCT, IS_SPACE, IS_QUOTE]).T.tolist()
        store = self.doc.vocab.strings
        names = {key: store[key] if key else "" for key in {*columns[0], *columns[1]}}
        self.tag: list[str] = [names[key] for key in columns[0]]
        self.dep: list[str] = [names[key] for key in columns[1]]
        self.punct: list[bool] = [bool(v) for v in columns[2]]
        self.space: list[bool] = [bool(v) for v in columns[3]]
        self.quote: list[bool] = [bool(v) for v in columns[4]]


def _sentences(index: DocIndex) -> Iterator[Unit]:
    """The parser's sentences, also cut at line breaks: a paragraph never runs on."""
    words = index.words
    for first, last in index.sentences:
        start = first
        for i in range(first, last):
            word = words[i]
            if "\n" in word and word.isspace():  # ``Token.is_space`` is ``str.isspace``
                if i > start:
                    yield start, i
                start = i + 1
        if last > start:
            yield start, last


def _coverage(index: DocIndex, attributions: Sequence[Attribution]) -> list[bool]:
    """Per token, whether an attribution's clause (source, cue, content) covers it."""
    envelopes = sorted(_envelope(a) for a in attributions)
    merged: list[tuple[int, int]] = []
    for start, end in envelopes:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    covered = [False] * len(index.starts)
    k = 0
    for i, (start, end) in enumerate(zip(index.starts, index.ends, strict=True)):
        while k < len(merged) and merged[k][1] <= start:
            k += 1
        covered[i] = k < len(merged) and merged[k][0] < end
    return covered


def _envelope(attribution: Attribution) -> tuple[int, int]:
    """From the first to the last character of the attribution's source, cue and content."""
    spans = [attribution.cue, attribution.content]
    if attribution.source is not None:
        spans.append(attribution.source)
    return min(s.start for s in spans), max(s.end for s in spans)


def _units(tokens: _Tokens, sent: Unit, cues: _Cues) -> Iterator[tuple[Unit, bool]]:
    """The candidate units of a sentence, each with whether it is a writer's addition."""
    if _is_question(tokens, sent):
        return
    if not any(tokens.covered[sent[0] : sent[1]]):
        if _has_verb(tokens, sent) and not _is_bare_quote(tokens, sent):
            yield from ((clause, False) for clause in _clauses(tokens, sent))
        return
    notes = list(_notes(tokens, sent, cues))
    # A note runs to the end of the sentence; what it holds is not listed twice.
    cut = notes[0][0][0] if notes else sent[1]
    yield from (unit for unit in _additions(tokens, sent, cues) if unit[0][1] <= cut)
    yield from notes


def _is_question(tokens: _Tokens, sent: Unit) -> bool:
    """Whether the sentence ends in a question mark (inside closing quotes or not)."""
    words = tokens.index.words
    for i in range(sent[1] - 1, sent[0] - 1, -1):
        if words[i] == "?":
            return True
        if not (tokens.punct[i] or tokens.quote[i] or tokens.space[i]):
            return False
    return False


def _has_verb(tokens: _Tokens, sent: Unit) -> bool:
    """Whether the sentence has a verb: headline-like fragments do not."""
    pos = tokens.index.pos
    return any(pos[i] in _VERB_POS for i in range(*sent))


def _is_bare_quote(tokens: _Tokens, sent: Unit) -> bool:
    """A sentence opening with a quotation mark that is no full statement (verb with subject)."""
    first = next((i for i in range(*sent) if not tokens.space[i]), None)
    if first is None or not tokens.quote[first]:
        return False
    doc = tokens.doc
    return not any(
        tokens.dep[i] in _SUBJECT_DEPS and doc[i].head.pos_ in _VERB_POS for i in range(*sent)
    )


def _clauses(tokens: _Tokens, sent: Unit) -> Iterator[Unit]:
    """Split a sentence at coordinated clauses that have their own subject."""
    doc, pos = tokens.doc, tokens.index.pos
    cuts: list[int] = []
    for i in range(*sent):
        if tokens.dep[i] != "conj" or pos[i] not in _VERB_POS:
            continue
        t = doc[i]
        if (
            t.head.pos_ in _VERB_POS
            and t.left_edge.i > sent[0]
            and any(c.dep_ in _SUBJECT_DEPS for c in t.children)
        ):
            cuts.append(t.left_edge.i)
    bounds = [sent[0], *sorted(cuts), sent[1]]
    for start, end in itertools.pairwise(bounds):
        piece = _trim(tokens, start, end, drop_conjunctions=True)
        if piece is not None:
            yield piece


def _additions(tokens: _Tokens, sent: Unit, cues: _Cues) -> Iterator[tuple[Unit, bool]]:
    """Uncovered stretches of an attributed sentence that are the writer's own."""
    covered = tokens.covered
    i, end = sent
    while i < end:
        if covered[i]:
            i += 1
            continue
        j = i
        while j < end and not covered[j]:
            j += 1
        run = _trim(tokens, i, j, drop_conjunctions=False)
        if run is not None:
            if _match(tokens, run[0], run[1], cues.addition_markers):
                yield run, True
            else:
                yield from ((piece, False) for piece in _pieces(tokens, run))
        i = j


def _notes(tokens: _Tokens, sent: Unit, cues: _Cues) -> Iterator[tuple[Unit, bool]]:
    """Verification notes an attribution's content runs over ("..., though no one confirmed it")."""
    covered, quote, words = tokens.covered, tokens.quote, tokens.index.words
    start, end = sent
    quotes = 0
    for i in range(start, end):
        quotes += quote[i]
        if (
            covered[i]
            and quotes % 2 == 0
            and i > start
            and words[i - 1] == ","
            and _match(tokens, i, end, cues.addition_markers)
        ):
            note = _trim(tokens, i, end, drop_conjunctions=False)
            if note is not None and _denies_verification(tokens, note, cues):
                yield note, True
            return


def _denies_verification(tokens: _Tokens, note: Unit, cues: _Cues) -> bool:
    """Whether the clause says something was not confirmed, verified or answered."""
    lemma, lower = tokens.index.lemma, tokens.index.lower
    has_lemma = any(lemma[i] in cues.verification_lemmas for i in range(*note))
    return has_lemma and any(lower[i] in cues.negations for i in range(*note))


def _pieces(tokens: _Tokens, run: Unit) -> Iterator[Unit]:
    """Comma-separated pieces of an uncovered stretch, long enough to be a claim."""
    words, punct = tokens.index.words, tokens.punct
    start = run[0]
    for i in range(run[0], run[1] + 1):
        if i == run[1] or words[i] in _PIECE_BREAKS:
            piece = _trim(tokens, start, i, drop_conjunctions=True)
            if piece is not None and sum(not punct[k] for k in range(*piece)) >= _MIN_PIECE_WORDS:
                yield piece
            start = i + 1


def _trim(tokens: _Tokens, start: int, end: int, drop_conjunctions: bool) -> Unit | None:
    """Drop punctuation, spaces (and, optionally, conjunctions) at both ends; None if empty."""

    def edge(i: int) -> bool:
        return (
            tokens.punct[i]
            or tokens.space[i]
            or tokens.quote[i]
            or (drop_conjunctions and tokens.dep[i] == "cc")
        )

    while start < end and edge(start):
        start += 1
    while end > start and edge(end - 1):
        end -= 1
    return (start, end) if end > start else None


def _reason(tokens: _Tokens, unit: Unit, figure_starts: list[int], cues: _Cues) -> str | None:
    """The strongest reason to check the unit, in the order of ``REASONS``; None if none."""
    start_char, end_char = tokens.index.starts[unit[0]], tokens.index.ends[unit[1] - 1]
    k = bisect.bisect_left(figure_starts, start_char)
    if k < len(figure_starts) and figure_starts[k] < end_char:
        return "figure"
    if _is_causal(tokens, unit, cues):
        return "causal"
    if _is_comparison(tokens, unit, cues):
        return "comparison"
    if _has_actor(tokens, unit, cues):
        return "actor"
    return None


def _is_causal(tokens: _Tokens, unit: Unit, cues: _Cues) -> bool:
    """Whether the unit states a cause or a consequence."""
    lower = tokens.index.lower
    for i in range(*unit):
        low = lower[i]
        if low in cues.causal_words or _match(tokens, i, unit[1], cues.causal_phrases):
            return True
        # "after" is causal only when it opens a clause of its own ("after rain flooded ...").
        if low in cues.causal_clause_marks and tokens.dep[i] == "mark":
            return True
    return False


def _is_comparison(tokens: _Tokens, unit: Unit, cues: _Cues) -> bool:
    """Whether the unit compares: comparison words and phrases, or a superlative."""
    lower = tokens.index.lower
    for i in range(*unit):
        low = lower[i]
        if low in cues.comparison_words or _match(tokens, i, unit[1], cues.comparison_phrases):
            return True
        if tokens.tag[i] in _SUPERLATIVE_TAGS and low not in cues.superlative_exclusions:
            return True
    return False


def _has_actor(tokens: _Tokens, unit: Unit, cues: _Cues) -> bool:
    """Whether a named actor is the subject of a verb inside the unit."""
    doc = tokens.doc
    for i in range(*unit):
        if tokens.dep[i] not in _SUBJECT_DEPS:
            continue
        t = doc[i]
        # A deed, not a state: "the weather was mild" has a copula, not a verb.
        if t.head.pos_ == "VERB" and unit[0] <= t.head.i < unit[1] and _is_actor(t, cues):
            return True
    return False


def _is_actor(subject: Token, cues: _Cues) -> bool:
    """A named entity, a proper noun, or a definite noun phrase standing for one."""
    if subject.ent_type_ in cues.actor_entities or subject.pos_ == "PROPN":
        return True
    return subject.pos_ == "NOUN" and any(
        c.dep_ in ("det", "poss") and c.lower_ in cues.actor_determiners for c in subject.children
    )


def _match(tokens: _Tokens, i: int, end: int, phrases: Phrases) -> bool:
    """Whether one of ``phrases`` starts at token ``i`` and ends by token ``end``."""
    lower = tokens.index.lower
    candidates = phrases.get(lower[i])
    if not candidates:
        return False
    for phrase in candidates:
        if i + len(phrase) <= end and all(lower[i + n] == word for n, word in enumerate(phrase)):
            return True
    return False
