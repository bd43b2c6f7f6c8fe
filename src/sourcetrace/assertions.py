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

from spacy.tokens import Doc, Span, Token

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
    doc: Doc, attributions: Sequence[Attribution], figures: Sequence[Figure]
) -> tuple[Assertion, ...]:
    """Find the checkable claims the article makes on its own authority.

    Args:
        doc: the parsed article.
        attributions: the attributions found in ``doc``; what they cover is not an assertion.
        figures: the figures found in ``doc`` (any order).

    Returns:
        The assertions, sorted by start offset; ``text == doc.text[start:end]``. At most one
        per clause, so the output is bounded by the number of tokens.
    """
    if len(doc) == 0:
        return ()
    cues = _cues()
    covered = _coverage(doc, attributions)
    figure_starts = sorted(f.start for f in figures)
    text = doc.text  # spaCy rebuilds doc.text on every access: read it once
    found: list[Assertion] = []
    for sent in _sentences(doc):
        for unit, addition in _units(sent, covered, cues):
            reason = _reason(unit, figure_starts, cues) or ("actor" if addition else None)
            if reason is not None:
                start, end = unit.start_char, unit.end_char
                found.append(Assertion(text[start:end], start, end, reason))
    found.sort(key=lambda a: a.start)
    return tuple(found)


def _sentences(doc: Doc) -> Iterator[Span]:
    """The parser's sentences, also cut at line breaks: a paragraph never runs on."""
    for sent in doc.sents:
        start = sent.start
        for token in sent:
            if token.is_space and "\n" in token.text:
                if token.i > start:
                    yield doc[start : token.i]
                start = token.i + 1
        if sent.end > start:
            yield doc[start : sent.end]


def _coverage(doc: Doc, attributions: Sequence[Attribution]) -> list[bool]:
    """Per token, whether an attribution's clause (source, cue, content) covers it."""
    envelopes = sorted(_envelope(a) for a in attributions)
    merged: list[tuple[int, int]] = []
    for start, end in envelopes:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    covered = [False] * len(doc)
    k = 0
    for token in doc:
        while k < len(merged) and merged[k][1] <= token.idx:
            k += 1
        covered[token.i] = k < len(merged) and merged[k][0] < token.idx + len(token.text)
    return covered


def _envelope(attribution: Attribution) -> tuple[int, int]:
    """From the first to the last character of the attribution's source, cue and content."""
    spans = [attribution.cue, attribution.content]
    if attribution.source is not None:
        spans.append(attribution.source)
    return min(s.start for s in spans), max(s.end for s in spans)


def _units(sent: Span, covered: list[bool], cues: _Cues) -> Iterator[tuple[Span, bool]]:
    """The candidate units of a sentence, each with whether it is a writer's addition."""
    if _is_question(sent):
        return
    if not any(covered[t.i] for t in sent):
        if _has_verb(sent) and not _is_bare_quote(sent):
            yield from ((clause, False) for clause in _clauses(sent))
        return
    notes = list(_notes(sent, covered, cues))
    # A note runs to the end of the sentence; what it holds is not listed twice.
    cut = notes[0][0].start if notes else sent.end
    yield from (unit for unit in _additions(sent, covered, cues) if unit[0].end <= cut)
    yield from notes


def _is_question(sent: Span) -> bool:
    """Whether the sentence ends in a question mark (inside closing quotes or not)."""
    for token in reversed(sent):
        if token.text == "?":
            return True
        if not (token.is_punct or token.is_quote or token.is_space):
            return False
    return False


def _has_verb(sent: Span) -> bool:
    """Whether the sentence has a verb: headline-like fragments do not."""
    return any(t.pos_ in _VERB_POS for t in sent)


def _is_bare_quote(sent: Span) -> bool:
    """A sentence opening with a quotation mark that is no full statement (verb with subject)."""
    first = next((t for t in sent if not t.is_space), None)
    if first is None or not first.is_quote:
        return False
    return not any(t.dep_ in _SUBJECT_DEPS and t.head.pos_ in _VERB_POS for t in sent)


def _clauses(sent: Span) -> Iterator[Span]:
    """Split a sentence at coordinated clauses that have their own subject."""
    cuts = sorted(
        t.left_edge.i
        for t in sent
        if t.dep_ == "conj"
        and t.pos_ in _VERB_POS
        and t.head.pos_ in _VERB_POS
        and t.left_edge.i > sent.start
        and any(c.dep_ in _SUBJECT_DEPS for c in t.children)
    )
    bounds = [sent.start, *cuts, sent.end]
    for start, end in itertools.pairwise(bounds):
        piece = _trim(sent.doc[start:end], drop_conjunctions=True)
        if piece is not None:
            yield piece


def _additions(sent: Span, covered: list[bool], cues: _Cues) -> Iterator[tuple[Span, bool]]:
    """Uncovered stretches of an attributed sentence that are the writer's own."""
    doc = sent.doc
    i = sent.start
    while i < sent.end:
        if covered[i]:
            i += 1
            continue
        j = i
        while j < sent.end and not covered[j]:
            j += 1
        run = _trim(doc[i:j], drop_conjunctions=False)
        if run is not None:
            if _match(run, 0, cues.addition_markers):
                yield run, True
            else:
                yield from ((piece, False) for piece in _pieces(run))
        i = j


def _notes(sent: Span, covered: list[bool], cues: _Cues) -> Iterator[tuple[Span, bool]]:
    """Verification notes an attribution's content runs over ("..., though no one confirmed it")."""
    doc = sent.doc
    quotes = 0
    for token in sent:
        quotes += token.is_quote
        i = token.i
        if (
            covered[i]
            and quotes % 2 == 0
            and i > sent.start
            and doc[i - 1].text == ","
            and _match(doc[i : sent.end], 0, cues.addition_markers)
        ):
            note = _trim(doc[i : sent.end], drop_conjunctions=False)
            if note is not None and _denies_verification(note, cues):
                yield note, True
            return


def _denies_verification(note: Span, cues: _Cues) -> bool:
    """Whether the clause says something was not confirmed, verified or answered."""
    has_lemma = any(t.lemma_.lower() in cues.verification_lemmas for t in note)
    return has_lemma and any(t.lower_ in cues.negations for t in note)


def _pieces(run: Span) -> Iterator[Span]:
    """Comma-separated pieces of an uncovered stretch, long enough to be a claim."""
    doc = run.doc
    start = run.start
    for i in range(run.start, run.end + 1):
        if i == run.end or doc[i].text in _PIECE_BREAKS:
            piece = _trim(doc[start:i], drop_conjunctions=True)
            if piece is not None and sum(not t.is_punct for t in piece) >= _MIN_PIECE_WORDS:
                yield piece
            start = i + 1


def _trim(span: Span, drop_conjunctions: bool) -> Span | None:
    """Drop punctuation, spaces (and, optionally, conjunctions) at both ends; None if empty."""
    start, end = span.start, span.end
    doc = span.doc

    def edge(token: Token) -> bool:
        return (
            token.is_punct
            or token.is_space
            or token.is_quote
            or (drop_conjunctions and token.dep_ == "cc")
        )

    while start < end and edge(doc[start]):
        start += 1
    while end > start and edge(doc[end - 1]):
        end -= 1
    return doc[start:end] if end > start else None


def _reason(unit: Span, figure_starts: list[int], cues: _Cues) -> str | None:
    """The strongest reason to check the unit, in the order of ``REASONS``; None if none."""
    k = bisect.bisect_left(figure_starts, unit.start_char)
    if k < len(figure_starts) and figure_starts[k] < unit.end_char:
        return "figure"
    if _is_causal(unit, cues):
        return "causal"
    if _is_comparison(unit, cues):
        return "comparison"
    if _has_actor(unit, cues):
        return "actor"
    return None


def _is_causal(unit: Span, cues: _Cues) -> bool:
    """Whether the unit states a cause or a consequence."""
    for k, token in enumerate(unit):
        low = token.lower_
        if low in cues.causal_words or _match(unit, k, cues.causal_phrases):
            return True
        # "after" is causal only when it opens a clause of its own ("after rain flooded ...").
        if low in cues.causal_clause_marks and token.dep_ == "mark":
            return True
    return False


def _is_comparison(unit: Span, cues: _Cues) -> bool:
    """Whether the unit compares: comparison words and phrases, or a superlative."""
    for k, token in enumerate(unit):
        low = token.lower_
        if low in cues.comparison_words or _match(unit, k, cues.comparison_phrases):
            return True
        if token.tag_ in _SUPERLATIVE_TAGS and low not in cues.superlative_exclusions:
            return True
    return False


def _has_actor(unit: Span, cues: _Cues) -> bool:
    """Whether a named actor is the subject of a verb inside the unit."""
    return any(
        t.dep_ in _SUBJECT_DEPS
        # A deed, not a state: "the weather was mild" has a copula, not a verb.
        and t.head.pos_ == "VERB"
        and unit.start <= t.head.i < unit.end
        and _is_actor(t, cues)
        for t in unit
    )


def _is_actor(subject: Token, cues: _Cues) -> bool:
    """A named entity, a proper noun, or a definite noun phrase standing for one."""
    if subject.ent_type_ in cues.actor_entities or subject.pos_ == "PROPN":
        return True
    return subject.pos_ == "NOUN" and any(
        c.dep_ in ("det", "poss") and c.lower_ in cues.actor_determiners for c in subject.children
    )


def _match(unit: Span, k: int, phrases: Phrases) -> bool:
    """Whether one of ``phrases`` starts at the unit's ``k``-th token."""
    candidates = phrases.get(unit[k].lower_)
    if not candidates:
        return False
    for phrase in candidates:
        if k + len(phrase) <= len(unit) and all(
            unit[k + n].lower_ == word for n, word in enumerate(phrase)
        ):
            return True
    return False
