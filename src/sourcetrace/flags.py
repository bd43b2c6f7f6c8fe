"""Flags on attributions: hedged, unverified, disputed, retracted.

``find_flags(doc, attributions)`` returns one tuple of :class:`Flag` per attribution, in the
same order. The lexicon is ``data/flags.json``.

Scope rules:

- **hedged**: a hedge word or phrase ("allegedly", a modal "may/might/could", "is believed
  to", "appears to", an attributive "alleged"/"reported", a cue such as "allege") inside
  the attribution's content or its cue clause (the stretch from the source to the cue,
  plus adverbs and auxiliaries on the cue verb: "reportedly said", "X allegedly told").
  Modals must be tagged MD, so "May" the month never fires; a "could" outside the content
  and cue clause is not looked at.
- **unverified / disputed / retracted** statements apply to the attributions of their own
  sentence (unless they sit inside an attribution's content, i.e. someone else said them),
  otherwise to the attributions of the nearest earlier sentence with attributions, at most
  ``MAX_BACK_SENTENCES`` back and in the same or the previous paragraph. Disputes and
  retractions there must refer back to a claim ("it", "the report", "the allegations",
  "denied wrongdoing", or "denied that ..."); an unverified statement always refers back.
  A plural reference ("the claims", "none of these figures") spreads over the earlier
  attributions of that paragraph, up to ``MAX_TARGETS``.
- **A denial that is itself an attribution** ("X denied that ...", "X said the allegations
  were baseless") disputes the nearest earlier attribution (by cue position) that is not
  itself a denial, when it is in the same or the previous paragraph; ``by`` is the
  denial's source.
- Non-responses ("did not respond to requests for comment") are not flags: see the note
  in ``data/flags.json``.

Everything is one pass over the tokens plus bounded look-ups per trigger, so the cost is
linear in the document length.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

from spacy.tokens import Doc, Token

from .records import Attribution, Flag, FlagKind, Span

FLAGS_FILE = "flags.json"

MAX_BACK_SENTENCES = 2
"""How far back a flag sentence looks for the attribution it answers. Set from the sourcing
gold set (/work/notes/flags_score.py): flags there follow their claim within two sentences."""

MAX_TARGETS = 6
"""Bound on the attributions one plural reference ("these claims") can flag; keeps the
stage linear on pathological input."""

MAX_MODAL_REACH = 4
"""A modal's evidence runs to its verb when that verb is at most this many tokens on."""

_CLAUSE_EXCLUDED = frozenset({"advcl", "conj", "cc", "punct", "mark", "parataxis", "ccomp"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_OBJECTS = frozenset({"dobj", "nsubjpass", "attr", "pobj", "oprd"})
_CLIMB = frozenset({"xcomp", "acomp"})
_PLURAL_DETS = frozenset({"these", "those", "neither", "both", "all", "none"})
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class _Lexicon:
    """The flag lexicon, ready for look-ups."""

    hedge_adverbs: frozenset[str]
    hedge_modals: frozenset[str]
    hedge_attributive: frozenset[str]
    hedge_phrases: tuple[tuple[str, ...], ...]
    hedge_cue_lemmas: frozenset[str]
    verify_lemmas: frozenset[str]
    negative_lemmas: frozenset[str]
    unverified_words: frozenset[str]
    evidence_nouns: frozenset[str]
    dispute_lemmas: frozenset[str]
    dismissal_words: frozenset[str]
    dismissal_phrases: tuple[tuple[str, ...], ...]
    retraction_lemmas: frozenset[str]
    retraction_phrases: tuple[tuple[str, ...], ...]
    claim_references: frozenset[str]


def _phrases(raw: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """Split phrases into words, longest first so the fullest match wins."""
    return tuple(sorted((tuple(p.split()) for p in raw), key=len, reverse=True))


@functools.cache
def _lexicon() -> _Lexicon:
    """Read the flag lexicon (once per process)."""
    raw = json.loads(resources.files("sourcetrace").joinpath("data", FLAGS_FILE).read_text("utf-8"))
    sets = {
        key: frozenset(raw[key])
        for key in (
            "hedge_adverbs",
            "hedge_modals",
            "hedge_attributive",
            "hedge_cue_lemmas",
            "verify_lemmas",
            "negative_lemmas",
            "unverified_words",
            "evidence_nouns",
            "dispute_lemmas",
            "dismissal_words",
            "retraction_lemmas",
            "claim_references",
        )
    }
    return _Lexicon(
        hedge_phrases=_phrases(raw["hedge_phrases"]),
        dismissal_phrases=_phrases(raw["dismissal_phrases"]),
        retraction_phrases=_phrases(raw["retraction_phrases"]),
        **sets,
    )


@dataclass(frozen=True)
class _Trigger:
    """A flag statement found in the text, before it is tied to attributions."""

    kind: FlagKind
    by: str | None
    evidence: Span
    anchor: int
    refers_back: bool
    plural: bool
    aside: bool = False


@functools.lru_cache(maxsize=64)
def _by_first_word(phrases: tuple[tuple[str, ...], ...]) -> dict[str, tuple[int, ...]]:
    """Positions of the phrases by their first word: only those can start at a token."""
    index: dict[str, list[int]] = {}
    for position, phrase in enumerate(phrases):
        if phrase:
            index.setdefault(phrase[0], []).append(position)
    return {word: tuple(positions) for word, positions in index.items()}


class _Index:
    """Per-document look-ups: token, sentence and paragraph of a character offset."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text
        self.starts = [t.idx for t in doc]
        self.lower = [t.lower_ for t in doc]
        self.lemma = [t.lemma_.lower() for t in doc]
        self.sent_of = [0] * len(doc)
        sent_starts: list[int] = []
        for s, sent in enumerate(doc.sents):
            sent_starts.append(sent.start_char)
            for i in range(sent.start, sent.end):
                self.sent_of[i] = s
        breaks = [m.start() for m in _PARAGRAPH_BREAK.finditer(self.text)]
        self.para_of_sent = [bisect.bisect_right(breaks, c) for c in sent_starts]

    def token_at(self, char: int) -> int:
        """Index of the token that covers or follows ``char``."""
        return max(0, bisect.bisect_right(self.starts, char) - 1)

    def span(self, first: int, last: int) -> Span:
        """Span from token ``first`` to token ``last`` inclusive."""
        end_tok = self.doc[last]
        return Span.of(self.text, self.doc[first].idx, end_tok.idx + len(end_tok))

    def phrase_at(self, i: int, phrases: tuple[tuple[str, ...], ...]) -> int:
        """Length of the first of ``phrases`` (longest first) starting at token ``i``, or 0."""
        by_first = _by_first_word(phrases)
        candidates = by_first.get(self.lower[i], ())
        if self.lemma[i] != self.lower[i]:
            # Keep the phrases' own order (longest first) across both buckets.
            candidates = tuple(sorted({*candidates, *by_first.get(self.lemma[i], ())}))
        for position in candidates:
            phrase = phrases[position]
            n = len(phrase)
            if i + n > len(self.starts):
                continue
            if all(w in (self.lower[i + k], self.lemma[i + k]) for k, w in enumerate(phrase)):
                return n
        return 0

    def subtree_text(self, tok: Token) -> str:
        """Text of a token's subtree without a trailing reflexive ("the police themselves")."""
        last = tok.right_edge
        if last.i > tok.i and last.tag_ == "PRP" and last.lower_.endswith("selves"):
            last = self.doc[last.i - 1]
        return self.span(tok.left_edge.i, last.i).text


def _clause(tok: Token) -> tuple[int, int]:
    """Token range of ``tok``'s own clause: its dependants minus side clauses and punctuation."""
    left, right = tok.i, tok.i
    for child in tok.children:
        if child.dep_ in _CLAUSE_EXCLUDED:
            continue
        left = min(left, child.left_edge.i)
        right = max(right, child.right_edge.i)
    return left, right


def _is_plural(tok: Token) -> bool:
    """A reference to several claims ("the claims", "these", "none of the figures")."""
    if tok.tag_ in ("NNS", "NNPS") or tok.lower_ in _PLURAL_DETS:
        return True
    return any(c.dep_ in ("det", "predet") and c.lower_ in _PLURAL_DETS for c in tok.children)


def _claim_reference(verb: Token, lex: _Lexicon) -> Token | None:
    """The word by which ``verb`` points back at a claim, if any."""
    if verb.dep_ == "relcl" and verb.head.lemma_.lower() in lex.claim_references:
        return verb.head
    for child in verb.children:
        if child.dep_ in _OBJECTS and child.lemma_.lower() in lex.claim_references:
            return child
        if child.dep_ == "prep":
            for grand in child.children:
                if grand.dep_ == "pobj" and grand.lemma_.lower() in lex.claim_references:
                    return grand
    return None


def _subject(verb: Token, active_only: bool = False) -> Token | None:
    """The subject of ``verb`` or of the clause it is the complement of."""
    node = verb
    for _ in range(3):
        for child in node.children:
            if child.dep_ == "nsubj" or (child.dep_ == "nsubjpass" and not active_only):
                return child
        if node.dep_ not in _CLIMB and node.dep_ != "relcl":
            break
        node = node.head
    return None


class _Finder:
    """Finds flag statements in one pass over a document."""

    def __init__(self, index: _Index, lex: _Lexicon) -> None:
        self.ix = index
        self.lex = lex

    def triggers(self) -> list[_Trigger]:
        """Every dispute, unverified and retraction statement in the document."""
        found: list[_Trigger] = []
        for tok in self.ix.doc:
            trig = self._at(tok)
            if trig is not None:
                found.append(trig)
        return found

    def _at(self, tok: Token) -> _Trigger | None:
        """The flag statement anchored on ``tok``, if any."""
        lex, i = self.lex, tok.i
        lemma, lower = self.ix.lemma[i], self.ix.lower[i]
        # the tagger sometimes reads "the company rejects" in a relative clause as a noun
        if (tok.pos_ == "VERB" or tok.dep_ == "relcl") and lemma in lex.dispute_lemmas:
            if any(c.dep_ == "neg" for c in tok.children):
                return None  # "did not dispute the figures" concedes them
            return self._verb_trigger(tok, "disputed", tok.dep_ == "relcl")
        if tok.pos_ == "VERB" and lemma in lex.verify_lemmas and self._negated(tok):
            return self._unverified(tok)
        if tok.pos_ == "VERB" and lemma in lex.retraction_lemmas:
            if _claim_reference(tok, lex) is not None:
                return self._verb_trigger(tok, "retracted", False)
            return None
        if lower in lex.unverified_words:
            return self._word_trigger(tok, "unverified", 1)
        if lower in lex.evidence_nouns and self._denied_evidence(tok):
            return self._word_trigger(tok, "unverified", 1)
        n = self.ix.phrase_at(i, lex.retraction_phrases)
        if n:
            return self._word_trigger(tok, "retracted", n)
        n = self.ix.phrase_at(i, lex.dismissal_phrases) or (lower in lex.dismissal_words)
        if n:
            return self._word_trigger(tok, "disputed", int(n))
        return None

    def _negated(self, verb: Token) -> bool:
        """A verification verb that is denied: "could not be verified", "unable to confirm"."""
        neg = self.lex.negative_lemmas
        node = verb
        for _ in range(3):
            if node.lower_ == "unable":
                return True
            for child in node.children:
                if child.dep_ == "neg":
                    return True
                if child.dep_ in _SUBJECTS and (
                    child.lower_ in neg
                    or any(g.dep_ == "det" and g.lower_ in neg for g in child.children)
                ):
                    return True
            if node.dep_ not in _CLIMB:
                break
            node = node.head
        return False

    def _denied_evidence(self, noun: Token) -> bool:
        """Evidence denied: "no evidence", "without evidence"."""
        if noun.head.lower_ == "without" and noun.dep_ == "pobj":
            return True
        return any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children)

    def _unverified(self, verb: Token) -> _Trigger:
        """An unverified statement on a negated verification verb."""
        top = verb
        while top.dep_ in _CLIMB and top.head.i != top.i:
            top = top.head
        left, right = _clause(top)
        vleft, vright = _clause(verb)
        by: str | None = None
        for child in verb.children:
            if child.dep_ == "agent":
                objs = [g for g in child.children if g.dep_ == "pobj"]
                by = self.ix.subtree_text(objs[0]) if objs else None
        subject = _subject(verb)
        if by is None and subject is not None and subject.dep_ == "nsubj":
            by = self.ix.subtree_text(subject)
        ref = subject if subject is not None and subject.dep_ == "nsubjpass" else None
        ref = ref or _claim_reference(verb, self.lex)
        return _Trigger(
            kind="unverified",
            by=by,
            evidence=self.ix.span(min(left, vleft), max(right, vright)),
            anchor=verb.i,
            refers_back=True,
            plural=ref is not None and _is_plural(ref),
        )

    def _verb_trigger(self, verb: Token, kind: FlagKind, aside: bool) -> _Trigger:
        """A dispute or retraction on its verb ("The ministry rejected the report")."""
        left, right = _clause(verb)
        if aside:
            left = min(left, verb.head.left_edge.i)
        subject = _subject(verb, active_only=True)
        ref = _claim_reference(verb, self.lex)
        has_ccomp = any(c.dep_ == "ccomp" for c in verb.children)
        return _Trigger(
            kind=kind,
            by=self.ix.subtree_text(subject) if subject is not None else None,
            evidence=self.ix.span(left, right),
            anchor=verb.i,
            refers_back=ref is not None or has_ccomp,
            plural=ref is not None and _is_plural(ref),
            aside=aside and ref is not None,
        )

    def _word_trigger(self, tok: Token, kind: FlagKind, length: int) -> _Trigger:
        """A flag on a word or phrase ("unconfirmed", "baseless", "without merit")."""
        verb = tok.head
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        subject = _subject(verb, active_only=True)
        ref = _claim_reference(verb, self.lex)
        if (
            ref is None
            and subject is not None
            and subject.lemma_.lower() in self.lex.claim_references
        ):
            ref = subject
        return _Trigger(
            kind=kind,
            by=self.ix.subtree_text(subject)
            if subject is not None and ref is not subject
            else None,
            evidence=self.ix.span(tok.i, tok.i + length - 1),
            anchor=tok.i,
            refers_back=kind == "unverified" or ref is not None,
            plural=ref is not None and _is_plural(ref),
        )


@dataclass(frozen=True)
class _Placed:
    """One attribution's position: token of its cue, sentence, paragraph, content pieces."""

    cue_token: int
    sentence: int
    paragraph: int
    content: tuple[tuple[int, int], ...]

    def contains(self, char: int) -> bool:
        """Whether offset ``char`` lies inside the content."""
        return any(s <= char < e for s, e in self.content)


class _Assigner:
    """Ties flag statements to the attributions they are about."""

    def __init__(self, index: _Index, attributions: Sequence[Attribution]) -> None:
        self.ix = index
        self.attributions = attributions
        self.placed: list[_Placed] = []
        self.by_sentence: dict[int, list[int]] = {}
        self.cue_owner: dict[int, int] = {}
        self.flags: list[list[Flag]] = [[] for _ in attributions]
        for j, att in enumerate(attributions):
            tok = index.token_at(att.cue.start)
            sent = index.sent_of[tok] if index.sent_of else 0
            para = index.para_of_sent[sent] if index.para_of_sent else 0
            self.placed.append(_Placed(tok, sent, para, att.content.pieces))
            self.by_sentence.setdefault(sent, []).append(j)
            for s, e in att.cue.pieces:
                for t in range(index.token_at(s), index.token_at(max(s, e - 1)) + 1):
                    self.cue_owner.setdefault(t, j)

    def add(self, j: int, kind: FlagKind, by: str | None, evidence: Span) -> None:
        """Flag attribution ``j`` once per kind and evidence."""
        key = (kind, evidence.start, evidence.end)
        if all((f.kind, f.evidence.start, f.evidence.end) != key for f in self.flags[j]):
            self.flags[j].append(Flag(kind, by, evidence))

    def place(self, triggers: Sequence[_Trigger]) -> set[int]:
        """Flag the attributions each statement is about; return the denial attributions."""
        denials: dict[int, _Trigger] = {}
        for trig in triggers:
            owner = self._denial_owner(trig)
            if owner is not None:
                denials.setdefault(owner, trig)
                continue
            for j in self._targets(trig):
                self.add(j, trig.kind, trig.by, trig.evidence)
        self._answer_denials(denials)
        return set(denials)

    def _near(self, sentence: int) -> list[int]:
        """Attributions whose cue is in ``sentence`` or a neighbouring one."""
        out: list[int] = []
        for s in (sentence - 1, sentence, sentence + 1):
            out.extend(self.by_sentence.get(s, ()))
        return out

    def _denial_owner(self, trig: _Trigger) -> int | None:
        """The attribution that is itself this denial ("X denied that", "X called it false")."""
        if trig.kind != "disputed" or trig.aside:
            return None
        if self.ix.lemma[trig.anchor] in _lexicon().dispute_lemmas:
            return self.cue_owner.get(trig.anchor)
        # a dismissal of a claim ("the allegations are baseless") inside someone's words
        # makes them the denier
        if not trig.refers_back:
            return None
        char = self.ix.starts[trig.anchor]
        for j in self._near(self.ix.sent_of[trig.anchor]):
            if self.placed[j].contains(char):
                return j
        return None

    def _targets(self, trig: _Trigger) -> list[int]:
        """The attributions a free-standing statement flags."""
        sent = self.ix.sent_of[trig.anchor]
        char = self.ix.starts[trig.anchor]
        # an attribution whose cue is the flag statement itself ("could not be verified")
        # is a misreading by the extractor, not the claim being flagged
        itself = self.cue_owner.get(trig.anchor)
        same = [j for j in self.by_sentence.get(sent, []) if j != itself]
        inside = [j for j in same if self.placed[j].contains(char)]
        if inside:
            # someone else's words, unless it is the writer's aside on a claim noun
            return inside[:MAX_TARGETS] if trig.aside else []
        if same:
            return same[:MAX_TARGETS] if trig.refers_back else []
        return self._look_back(trig, sent)

    def _look_back(self, trig: _Trigger, sent: int) -> list[int]:
        """Attributions of the nearest earlier attributed sentence (more if plural)."""
        if not trig.refers_back:
            return []
        para = self.ix.para_of_sent[sent]
        for back in range(1, MAX_BACK_SENTENCES + 1):
            found = self.by_sentence.get(sent - back)
            if found is None:
                continue
            if self.placed[found[0]].paragraph < para - 1:
                return []
            if not trig.plural:
                return found[:MAX_TARGETS]
            return self._spread(list(found), sent - back)
        return []

    def _spread(self, found: list[int], sent: int) -> list[int]:
        """Extend a plural reference over earlier attributions of the same paragraph."""
        para = self.ix.para_of_sent[sent]
        s = sent - 1
        while s >= 0 and len(found) < MAX_TARGETS and self.ix.para_of_sent[s] == para:
            found = self.by_sentence.get(s, []) + found
            s -= 1
        return found[-MAX_TARGETS:]

    def _answer_denials(self, denials: dict[int, _Trigger]) -> None:
        """Each denial attribution disputes the nearest earlier attribution that is not one."""
        order = sorted(range(len(self.attributions)), key=lambda j: self.placed[j].cue_token)
        previous: int | None = None
        for j in order:
            if j not in denials:
                previous = j
                continue
            if previous is None:
                continue
            here, there = self.placed[j], self.placed[previous]
            if there.paragraph < here.paragraph - 1 or there.contains(
                self.ix.starts[here.cue_token]
            ):
                continue
            att = self.attributions[j]
            self.add(previous, "disputed", att.source.text if att.source else None, self._said(j))

    def _said(self, j: int) -> Span:
        """Evidence of a denial attribution: its source and cue when adjacent, else the cue."""
        att = self.attributions[j]
        if (
            att.source is not None
            and not att.source.fragments
            and not att.cue.fragments
            and att.source.start < att.cue.start
            and att.cue.start - att.source.end < 40
        ):
            return Span.of(self.ix.text, att.source.start, att.cue.end)
        return att.cue


class _Hedges:
    """Hedge words inside an attribution's content and cue clause."""

    def __init__(self, index: _Index, lex: _Lexicon) -> None:
        self.ix = index
        self.lex = lex

    def region(self, att: Attribution) -> list[tuple[int, int]]:
        """Token ranges (inclusive) to scan: the content, and the source-to-cue clause."""
        ix = self.ix
        ranges = [(ix.token_at(s), ix.token_at(max(s, e - 1))) for s, e in att.content.pieces]
        cue_first = ix.token_at(att.cue.start)
        cue_last = ix.token_at(max(att.cue.start, att.cue.end - 1))
        first = cue_first
        if att.source is not None and att.source.end <= att.cue.start:
            src = ix.token_at(att.source.start)
            if ix.sent_of[src] == ix.sent_of[cue_first]:
                first = src
        ranges.append((first, cue_last))
        for t in range(cue_first, cue_last + 1):
            for child in ix.doc[t].children:
                if child.dep_ in ("advmod", "aux") and not first <= child.i <= cue_last:
                    ranges.append((child.i, child.i))
        return ranges

    def find(self, att: Attribution) -> list[Span]:
        """Evidence of every hedge in the attribution's region."""
        out: list[Span] = []
        for first, last in self.region(att):
            i = first
            while i <= last:
                found = self._at(i)
                if found is not None:
                    out.append(self.ix.span(*found))
                    i = max(i + 1, found[1] + 1) if found[0] == i else i + 1
                else:
                    i += 1
        return out

    def _at(self, i: int) -> tuple[int, int] | None:
        """Token range of the hedge starting at token ``i``, if any."""
        ix, lex = self.ix, self.lex
        tok = ix.doc[i]
        if ix.lower[i] in lex.hedge_adverbs:
            return i, i
        if ix.lower[i] in lex.hedge_modals and tok.tag_ == "MD":
            head = tok.head.i
            reach = 0 < head - i <= MAX_MODAL_REACH and ix.sent_of[head] == ix.sent_of[i]
            return i, head if reach else i
        if ix.lower[i] in lex.hedge_attributive and tok.dep_ == "amod":
            return i, i
        n = ix.phrase_at(i, lex.hedge_phrases)
        if n:
            return i, i + n - 1
        if ix.lemma[i] in lex.hedge_cue_lemmas and tok.pos_ == "VERB":
            return i, i
        return None


def find_flags(doc: Doc, attributions: Sequence[Attribution]) -> tuple[tuple[Flag, ...], ...]:
    """Flag each attribution as hedged, unverified, disputed or retracted where the text says so.

    Args:
        doc: the parsed document the attributions were extracted from.
        attributions: its attributions, in any order.

    Returns:
        One tuple of flags per attribution, in the order given; each flag's evidence is a
        span of ``doc.text``. Flags within a tuple are ordered by where their evidence starts.
    """
    if not attributions:
        return ()
    lex = _lexicon()
    index = _Index(doc)
    if not len(doc):
        return tuple(() for _ in attributions)
    assigner = _Assigner(index, attributions)
    assigner.place(_Finder(index, lex).triggers())
    hedges = _Hedges(index, lex)
    for j, att in enumerate(attributions):
        for evidence in hedges.find(att):
            assigner.add(j, "hedged", None, evidence)
    return tuple(
        tuple(sorted(flags, key=lambda f: (f.evidence.start, f.kind))) for flags in assigner.flags
    )
