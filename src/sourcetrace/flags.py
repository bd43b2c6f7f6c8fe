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
  sentence (unless they sit inside an attribution's content, i.e. someone else said them).
  Otherwise the way they refer back decides (``_reference``; the full rule is in
  docs/sourcing.md, "Flags"): a near reference ("it", "this", "these figures", a claim noun
  in apposition) takes the nearest earlier attributed sentence, at most
  ``MAX_BACK_SENTENCES`` back in the same or previous paragraph; a definite claim noun ("the
  claims", "the allegations", "wrongdoing") or an unverified statement without one takes the
  article's lead claim; a typed noun ("the survey", "the footage") the nearest attribution
  whose source names that kind of source. Plural references and unverified statements spread
  along the run of the same voice ("the two people", "one of them", "they"), up to
  ``MAX_TARGETS``. Retractions keep the near rule.
- **A denial that is itself an attribution** ("X denied that ...", "X said the allegations
  were baseless") disputes the nearest earlier attribution that is not itself a denial when
  its reference is near or it is in that attribution's paragraph, else the lead claim (or the
  claim its typed noun names); ``by`` is the denial's source.
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
from dataclasses import dataclass, replace
from importlib import resources

from spacy.tokens import Doc, Token

from .docindex import DocIndex, index_of
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

MAX_LOOKUP = 12
"""How many earlier attributions a typed reference ("the survey", "her figure") searches for
its referent; the gold set's referents are at most six attributions back."""

_CLAUSE_EXCLUDED = frozenset({"advcl", "conj", "cc", "punct", "mark", "parataxis", "ccomp"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_OBJECTS = frozenset({"dobj", "nsubjpass", "attr", "pobj", "oprd"})
_CLIMB = frozenset({"xcomp", "acomp"})
_PLURAL_DETS = frozenset({"these", "those", "neither", "both", "all", "none"})
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_WORD = re.compile(r"[A-Za-z0-9']+")


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
    reference_groups: dict[str, str]
    figure_references: frozenset[str]
    local_determiners: frozenset[str]
    continuation_pronouns: frozenset[str]
    starters: frozenset[str]
    """Every lemma or lower-case word that can anchor a flag statement; ``_Finder.triggers``
    builds a spaCy ``Token`` only for tokens whose lemma or lower case is in this set."""


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
            "figure_references",
            "local_determiners",
            "continuation_pronouns",
        )
    }
    groups = {word: name for name, words in raw["reference_groups"].items() for word in words}
    dismissal_phrases = _phrases(raw["dismissal_phrases"])
    retraction_phrases = _phrases(raw["retraction_phrases"])
    # What ``_Finder._at`` tests before it fires: a lemma, a word, or a phrase's first word
    # (``_Index.phrase_at`` matches that on the lower case or the lemma).
    starters = frozenset().union(
        *(
            sets[key]
            for key in (
                "dispute_lemmas",
                "verify_lemmas",
                "retraction_lemmas",
                "unverified_words",
                "evidence_nouns",
                "dismissal_words",
            )
        ),
        (phrase[0] for phrase in (*dismissal_phrases, *retraction_phrases) if phrase),
    )
    return _Lexicon(
        hedge_phrases=_phrases(raw["hedge_phrases"]),
        dismissal_phrases=dismissal_phrases,
        retraction_phrases=retraction_phrases,
        reference_groups=groups,
        starters=starters,
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
    reference: str = ""
    """How the statement points back (see ``_reference``); "" when it does not name a claim."""


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

    def __init__(self, shared: DocIndex) -> None:
        self.doc = shared.doc
        self.text = shared.text
        self.starts = shared.starts
        self.lower = shared.lower
        self.lemma = shared.lemma
        self.sent_of = shared.sent_of
        sent_starts = [shared.starts[start] for start, _ in shared.sentences]
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
        by_lemma = by_first.get(self.lemma[i], ()) if self.lemma[i] != self.lower[i] else ()
        if by_lemma:
            # Keep the phrases' own order (longest first) across both buckets.
            candidates = tuple(sorted({*candidates, *by_lemma}))
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
    node = verb
    for _ in range(3):
        # "a figure the union disputes", "a figure its chief executive, X, called false"
        if node.dep_ not in ("relcl", "acl", "appos"):
            break
        if node.head.lemma_.lower() in lex.claim_references:
            return node.head
        node = node.head
    for child in verb.children:
        if child.dep_ in _OBJECTS and child.lemma_.lower() in lex.claim_references:
            return child
        if child.dep_ == "prep":
            for grand in child.children:
                if grand.dep_ == "pobj" and grand.lemma_.lower() in lex.claim_references:
                    return grand
    return None


def _reference(ref: Token | None, lex: _Lexicon) -> str:
    """How a claim reference points back: "local", "figure", "group:<name>", "lead" or ""."""
    if ref is None:
        return ""
    if ref.lower_ in _PLURAL_DETS:
        # "none of these figures": the quantifier's object is the reference
        objs = [g for c in ref.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
        ref = objs[0] if objs else ref
    if ref.dep_ in ("appos", "conj", "npadvmod") and ref.head.i < ref.i:
        return "local"  # "..., a claim the trust rejects": in apposition to the claim itself
    lemma, lower = ref.lemma_.lower(), ref.lower_
    near = lower in ("it", "this", "that", "these", "those") or any(
        c.dep_ in ("det", "poss") and c.lower_ in lex.local_determiners for c in ref.children
    )
    if near:
        return "figure" if lemma in lex.figure_references else "local"
    group = lex.reference_groups.get(lower) or lex.reference_groups.get(lemma)
    return f"group:{group}" if group else "lead"


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
        doc, starters = self.ix.doc, self.lex.starters
        # Building a Token costs more than the two set look-ups that rule most tokens out.
        for i, (lower, lemma) in enumerate(zip(self.ix.lower, self.ix.lemma, strict=True)):
            if lower in starters or lemma in starters:
                trig = self._at(doc[i])
                if trig is not None:
                    found.append(trig)
        return found

    def _at(self, tok: Token) -> _Trigger | None:
        """The flag statement anchored on ``tok``, if any."""
        lex, i = self.lex, tok.i
        lemma, lower = self.ix.lemma[i], self.ix.lower[i]
        # the tagger sometimes reads "the company rejects" in a relative clause as a noun
        # ... and "a figure the union disputes" as a noun in apposition to the claim noun
        aside = tok.dep_ == "relcl" or (
            tok.dep_ in ("appos", "acl") and tok.head.lemma_.lower() in lex.claim_references
        )
        if (tok.pos_ == "VERB" or aside) and lemma in lex.dispute_lemmas:
            if any(c.dep_ == "neg" for c in tok.children):
                return None  # "did not dispute the figures" concedes them
            return self._verb_trigger(tok, "disputed", aside)
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
            reference=_reference(ref, self.lex) or "lead",
        )

    def _verb_trigger(self, verb: Token, kind: FlagKind, aside: bool) -> _Trigger:
        """A dispute or retraction on its verb ("The ministry rejected the report")."""
        left, right = _clause(verb)
        if aside:
            left = min(left, verb.head.left_edge.i)
        subject = _subject(verb, active_only=True)
        ref = _claim_reference(verb, self.lex)
        has_ccomp = any(c.dep_ == "ccomp" for c in verb.children)
        by = self.ix.subtree_text(subject) if subject is not None else None
        compounds = [c for c in verb.children if c.dep_ == "compound"]
        if by is None and compounds:
            # the parser's noun reading of "the port authority disputes"
            by = self.ix.span(compounds[0].left_edge.i, compounds[-1].i).text
        return _Trigger(
            kind=kind,
            by=by,
            evidence=self.ix.span(left, right),
            anchor=verb.i,
            refers_back=ref is not None or has_ccomp,
            plural=ref is not None and _is_plural(ref),
            aside=aside and ref is not None,
            reference=_reference(ref, self.lex),
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
            reference=_reference(ref, self.lex) or ("lead" if kind == "unverified" else ""),
        )


def _words(text: str) -> tuple[str, ...]:
    """Words of ``text`` (letters, digits, apostrophes), case kept."""
    return tuple(_WORD.findall(text))


def _continues(source: tuple[str, ...], previous: set[str]) -> bool:
    """Whether a source carries on the previous voice: "they", "one of them", "the officials"."""
    if not source:
        return False
    lower = [w.lower() for w in source]
    if lower[0] in _lexicon().continuation_pronouns or "them" in lower[:3]:
        return True
    # "The filing" after "a court filing", "The two people" after "two people familiar ..."
    # (``previous``: lower-cased words of the voice so far);
    # a capitalised last word is a new name ("The Port Authority"), not a repeat
    head = source[-1]
    return lower[0] == "the" and len(source) > 1 and head.islower() and head in previous


def _overlaps(a: Span, b: Span) -> bool:
    """Whether two spans share a character."""
    return a.start < b.end and b.start < a.end


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
        self.order = sorted(range(len(attributions)), key=lambda j: self.placed[j].cue_token)
        self.sources = [_words(att.source.text) if att.source else () for att in attributions]
        # without a source, the content names it ("Videos shared online appear to show ...")
        self.words = [
            {w.lower() for w in (*self.sources[j], *_words(att.cue.text))}
            | ({w.lower() for w in _words(att.content.text)[:4]} if att.source is None else set())
            for j, att in enumerate(attributions)
        ]
        self._claims([])

    def _claims(self, statements: Sequence[Span]) -> None:
        """Index the claims a reference can point at, and which carry on the previous voice.

        Not claims: attributions without a verb in their content ("which cited two people
        familiar with the talks", "X denied wrongdoing"), and the extractor's readings of a
        flag statement itself ("the claims could not be verified"). They are skipped when
        following a voice, but the words of a relay's content count as its mention.
        """
        starts = sorted((e.start, e.end) for e in statements)
        self.claims: list[int] = []
        self.continues: list[bool] = []
        carry: set[str] = set()
        relayed: dict[int, set[str]] = {}  # words of relays' contents, by sentence
        for j in self.order:
            att = self.attributions[j]
            k = bisect.bisect_right(starts, (att.cue.start, len(self.ix.text))) - 1
            if k >= 0 and att.cue.start < starts[k][1]:
                continue
            if not self._has_verb(att):
                words = {w.lower() for w in (*self.sources[j], *_words(att.content.text))}
                carry |= words
                relayed.setdefault(self.placed[j].sentence, set()).update(words)
                continue
            # the same content read twice (source and relay) is one claim, one voice
            same = bool(self.claims) and _overlaps(
                att.content, self.attributions[self.claims[-1]].content
            )
            self.continues.append(
                same or (bool(self.claims) and _continues(self.sources[j], carry))
            )
            self.claims.append(j)
            # "Kestrel, quoting a military commander, said ..." speaks for the commander too
            carry = {w.lower() for w in self.sources[j]} | relayed.get(
                self.placed[j].sentence, set()
            )
        self.rank = {j: r for r, j in enumerate(self.claims)}
        self.cue_tokens = [self.placed[j].cue_token for j in self.claims]

    def _has_verb(self, att: Attribution) -> bool:
        """Whether the content has a verb, i.e. states something rather than naming a source."""
        ix = self.ix
        for start, end in att.content.pieces:
            for t in range(ix.token_at(start), ix.token_at(max(start, end - 1)) + 1):
                if ix.doc[t].pos_ in ("VERB", "AUX"):
                    return True
        return False

    def add(self, j: int, kind: FlagKind, by: str | None, evidence: Span) -> None:
        """Flag attribution ``j`` once per kind and evidence."""
        key = (kind, evidence.start, evidence.end)
        if all((f.kind, f.evidence.start, f.evidence.end) != key for f in self.flags[j]):
            self.flags[j].append(Flag(kind, by, evidence))

    def place(self, triggers: Sequence[_Trigger]) -> set[int]:
        """Flag the attributions each statement is about; return the denial attributions."""
        denials: dict[int, _Trigger] = {}
        self._claims([t.evidence for t in triggers if t.kind != "disputed"])
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

    def _thread(self, rank: int, back: bool, limit: int | None = None) -> list[int]:
        """The claim at ``rank`` and those continuing the same voice ("the officials")."""
        out = [self.claims[rank]]
        step = -1 if back else 1
        r = rank
        end = len(self.claims) if limit is None else limit
        while len(out) < MAX_TARGETS:
            r_next = r + step
            if not 0 <= r_next < end:
                break
            if not self.continues[r if back else r_next]:
                break
            r = r_next
            out.append(self.claims[r])
        return sorted(out, key=self.rank.__getitem__)

    def _referent(self, trig: _Trigger, limit: int) -> list[int]:
        """The claim a back-reference points at, among attributions ranked below ``limit``."""
        if limit <= 0:
            return []
        spread = trig.plural or trig.kind == "unverified"
        ref = trig.reference
        if ref.startswith("group:"):
            group = ref[len("group:") :]
            groups = _lexicon().reference_groups
            for r in range(limit - 1, max(-1, limit - 1 - MAX_LOOKUP), -1):
                if any(groups.get(w) == group for w in self.words[self.claims[r]]):
                    return self._thread(r, False, limit) if spread else [self.claims[r]]
            return []  # "the survey" when no survey was cited: not one of our claims
        if ref == "figure" and not trig.plural:
            for r in range(limit - 1, max(-1, limit - 1 - MAX_LOOKUP), -1):
                j = self.claims[r]
                if any(c.isdigit() for c in self.attributions[j].content.text):
                    return [j]
        if ref in ("local", "figure"):
            return self._thread(limit - 1, back=True) if spread else [self.claims[limit - 1]]
        return self._thread(0, False, limit) if spread else [self.claims[0]]

    def _rank_before(self, token: int) -> int:
        """How many attributions have their cue before ``token``."""
        return bisect.bisect_left(self.cue_tokens, token)

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
        if trig.kind != "retracted" and trig.reference not in ("", "local"):
            return self._referent(trig, self._rank_before(trig.anchor))
        para = self.ix.para_of_sent[sent]
        for back in range(1, MAX_BACK_SENTENCES + 1):
            found = self.by_sentence.get(sent - back)
            if found is None:
                continue
            if self.placed[found[0]].paragraph < para - 1:
                return []
            if trig.plural:
                found = self._spread(list(found), sent - back)
            if trig.kind == "unverified" or trig.plural:
                # "this has not been confirmed" covers the run of the same voice
                rank = self.rank.get(found[0])
                thread = self._thread(rank, back=True) if rank is not None else []
                found = [j for j in thread if j not in found] + list(found)
            return found[-MAX_TARGETS:]
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
        previous: int | None = None
        for j in self.order:
            if j not in denials:
                previous = j
                continue
            att = self.attributions[j]
            by = att.source.text if att.source else None
            for target in self._answered(j, denials[j], previous):
                self.add(target, "disputed", by, self._said(j))

    def _answered(self, j: int, trig: _Trigger, previous: int | None) -> list[int]:
        """The claims denial ``j`` answers: the previous claim, or the lead one it names."""
        if previous is None:
            return []
        here, there = self.placed[j], self.placed[previous]
        ref = trig.reference
        if ref == "" and there.paragraph != here.paragraph:
            # "X denied that ..." opening a paragraph of responses answers the lead claim;
            # inside the claim's own paragraph it answers the claim just before
            ref = "lead"
        if ref not in ("", "local", "figure"):
            limit = self._rank_before(here.cue_token)
            return self._referent(replace(trig, reference=ref), limit)
        if there.paragraph < here.paragraph - 1 or there.contains(self.ix.starts[here.cue_token]):
            return []
        return [previous]

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


def find_flags(
    doc: Doc, attributions: Sequence[Attribution], index: DocIndex | None = None
) -> tuple[tuple[Flag, ...], ...]:
    """Flag each attribution as hedged, unverified, disputed or retracted where the text says so.

    Args:
        doc: the parsed document the attributions were extracted from.
        attributions: its attributions, in any order.
        index: the document's shared index (``docindex.DocIndex``); None builds one.

    Returns:
        One tuple of flags per attribution, in the order given; each flag's evidence is a
        span of ``doc.text``. Flags within a tuple are ordered by where their evidence starts.
    """
    if not attributions:
        return ()
    lex = _lexicon()
    ix = _Index(index_of(doc, index))
    if not len(doc):
        return tuple(() for _ in attributions)
    assigner = _Assigner(ix, attributions)
    assigner.place(_Finder(ix, lex).triggers())
    hedges = _Hedges(ix, lex)
    for j, att in enumerate(attributions):
        for evidence in hedges.find(att):
            assigner.add(j, "hedged", None, evidence)
    return tuple(
        tuple(sorted(flags, key=lambda f: (f.evidence.start, f.kind))) for flags in assigner.flags
    )
