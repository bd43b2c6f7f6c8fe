"""Who is really speaking: resolve each attribution's source to a speaker.

One left-to-right pass over the attributions in order of their source, with a running table
of the people named so far (from spaCy's PERSON entities, advanced by a pointer, so the cost
is linear in tokens plus attributions). A source is read in this order:

1. pronouns agree with their antecedent: "he"/"she" go to the previous attribution's speaker
   when it fits, else to the nearest earlier compatible person mention; "it" never goes to a
   person but to the nearest earlier organisation, government, outlet or document (speaker or
   entity mention); "they"/"we" go to the nearest earlier group, plural description or
   organisation speaker, falling back to the previous speaker (singular "they");
2. outlets from the outlet table ("the Daily Example reported") are ``outlet`` speakers; several
   outlets, "reports from" an outlet and "according to" an outlet stand for their unnamed
   sources (``unknown``, anonymous; the outlets are relays, ``sourcetrace.relays``);
3. named people (PERSON entities, or a surname already in the table) get their full name;
4. definite descriptions ("the official", "the company", "the filing") go to the most recent
   earlier speaker with the same head noun, or of the same kind for organisation-like nouns;
5. everything else is classified by its head noun and entities with the lexicons in
   ``data/speakers.json`` (office, group, document, social media, government, organisation).

A speaker who spoke through a post ("wrote on X", "tweeted") is ``social_media``.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from .docindex import DocIndex, index_of
from .outlets import find_outlets
from .records import Attribution, Span, Speaker, SpeakerKind
from .relays import outlet_mentions

SPEAKERS_FILE = "speakers.json"
UNKNOWN = Speaker(name=None, description=None, kind="unknown", anonymous=False, mention=None)

# How far after the cue a platform word still says "spoke through a post" ("wrote on X that",
# "said in a post on Facebook"); set by reading the gold articles, rerun speakers_eval.py.
_SOCIAL_WINDOW = 6
# Pronouns look back over this many recent person mentions for a gender match; a bound keeps
# the pass linear. Chosen by hand (no gold pronoun looks further back); rerun speakers_eval.py.
_RECENT_PEOPLE = 8
# Longest cited phrase read after "A, citing" when no comma closes it; no gold cited phrase is
# longer than 40 characters. Rerun /work/notes/issue4_outlet_speakers.py after a change.
_CITED_LENGTH = 80
_AND_NEXT = re.compile(r",?\s+(?:and|&)\s+")
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
_NOUNISH = frozenset({"NOUN", "PROPN", "PRON", "NUM"})
_INSIDE_NOUN_GROUP = frozenset({"DET", "ADJ", "PART", "NUM", "ADV"})
_PERSON_KINDS = frozenset({"person", "official"})
_ORG_KINDS = frozenset({"organization", "government", "outlet"})
# What "it" may stand for: never a person or a group ("it" agrees with a singular thing).
_IT_KINDS = _ORG_KINDS | {"document"}
# What "they" may stand for besides a plural description: groups and organisations.
_THEY_KINDS = _ORG_KINDS | {"group"}
# Entity labels an "it" may point back to without having spoken ("Acme Corp ... It said");
# not GPE: a place named in passing ("the strike in Norway") is rarely the speaker.
_IT_LABELS = frozenset({"ORG"})
# "It" walks back at most this many entity mentions to skip those inside the previous quote;
# a bound keeps the stage cheap. Chosen by hand like _RECENT_PEOPLE; rerun the sourcing eval.
_RECENT_MENTIONS = 4


@dataclass(frozen=True, slots=True)
class _Lexicon:
    """The word lists of ``data/speakers.json``."""

    titles: Mapping[str, str | None]
    office_titles: frozenset[str]
    offices: frozenset[str]
    person_nouns: frozenset[str]
    groups: frozenset[str]
    anonymity: tuple[str, ...]
    documents: frozenset[str]
    social_media: frozenset[str]
    social_cues: frozenset[str]
    platforms: frozenset[str]
    government: frozenset[str]
    organizations: frozenset[str]
    outlets: frozenset[str]
    pronouns: Mapping[str, str]
    private_roles: frozenset[str]
    private_bodies: frozenset[str]
    citing: re.Pattern[str]


@functools.cache
def _lexicon() -> _Lexicon:
    """Read the lexicon file once per process."""
    raw: dict[str, Any] = json.loads(
        resources.files("sourcetrace").joinpath("data", SPEAKERS_FILE).read_text("utf-8")
    )
    sets = {
        key: frozenset(raw[key])
        for key in (
            "office_titles",
            "offices",
            "person_nouns",
            "groups",
            "documents",
            "social_media",
            "social_cues",
            "platforms",
            "government",
            "organizations",
            "outlets",
            "private_roles",
            "private_bodies",
        )
    }
    return _Lexicon(
        titles=raw["titles"],
        anonymity=tuple(raw["anonymity"]),
        pronouns=raw["pronouns"],
        citing=re.compile(raw["citing"], re.IGNORECASE),
        **sets,
    )


@dataclass(slots=True)
class _Person:
    """One person named in the article so far."""

    name: str
    mention: Span
    gender: str | None = None
    official: bool = False


@dataclass(slots=True)
class _State:
    """The running tables of the pass: people by name key, and speakers so far."""

    people: dict[str, _Person] = field(default_factory=dict)
    last_person: _Person | None = None
    recent: deque[_Person] = field(default_factory=lambda: deque(maxlen=_RECENT_PEOPLE))
    # (head word, speaker, plural head) per resolved source, in source order
    history: list[tuple[str, Speaker, bool]] = field(default_factory=list)
    previous: Speaker | None = None
    previous_content: tuple[int, int] = (0, 0)


def _clean_name(text: str) -> str:
    """Strip a possessive and title-case an all-capitals name (transcript speaker labels)."""
    text = text.removesuffix("'s").removesuffix("’s").strip()
    return text.title() if text.isupper() else text


def _keys(name: str) -> list[str]:
    """Lookup keys of a full name: itself, its surname, its first name."""
    words = name.lower().split()
    keys = [" ".join(words)]
    if len(words) > 1:
        keys += [words[-1], words[0]]
    return keys


def _remember(state: _State, person: _Person) -> _Person:
    """Add a person to the table (first full mention wins) and return the table's entry."""
    known = state.people.get(person.name.lower())
    if known is not None:
        state.last_person = known
        state.recent.append(known)
        return known
    for key in _keys(person.name):
        state.people.setdefault(key, person)
    state.last_person = person
    state.recent.append(person)
    return person


def _title_gender(doc: Doc, ent: SpacySpan) -> str | None:
    """Gender hint from an honorific right before a name ("Ms. Brandt")."""
    if ent.start == 0:
        return None
    return _lexicon().titles.get(doc[ent.start - 1].lower_)


def _head(tokens: SpacySpan) -> Token:
    """The head noun of a source phrase: the last noun before its first modifier.

    Read off the surface, not the parse: the tagger often misparses "Residents opposed to the
    scheme say", and a source's head is nearly always the end of its first noun group.
    """
    head: Token | None = None
    for token in tokens:
        if token.pos_ in _NOUNISH:
            head = token
        elif head is not None and token.pos_ not in _INSIDE_NOUN_GROUP:
            break
    return head if head is not None else tokens.root


def _head_word(head: Token) -> str:
    """Lower-case head noun; plural common nouns keep their plural form for group lookup."""
    return head.lower_


def _without_titles(ent: SpacySpan) -> SpacySpan:
    """Drop leading title or office words the tagger put inside a name ("Landlady Jo Bell")."""
    lex = _lexicon()
    start = ent.start
    while start < ent.end - 1 and _is_title(ent.doc[start].lower_, lex):
        start += 1
    return ent.doc[start : ent.end]


def _is_title(word: str, lex: _Lexicon) -> bool:
    """Whether a lower-case word is an honorific, office or role word."""
    return (
        word in lex.titles
        or word in lex.office_titles
        or word in lex.offices
        or word in lex.person_nouns
    )


def _apposed_name(tokens: SpacySpan) -> SpacySpan | None:
    """A name in apposition at the end of a source ("the town's mayor, Per Dahl")."""
    commas = [t.i for t in tokens if t.text == ","]
    if not commas:
        return None
    tail = tokens.doc[commas[-1] + 1 : tokens.end]
    if 2 <= len(tail) <= 4 and all(t.is_alpha and t.text[:1].isupper() for t in tail):
        return tail
    return None


def _strip_determiner(text: str) -> str:
    """Drop a leading article and possessive marks from a name-like phrase."""
    first, _, rest = text.partition(" ")
    return _clean_name(rest if first.lower() in _DETERMINERS and rest else text)


def _description(text: str, tokens: SpacySpan) -> str:
    """A description as it would read mid-sentence: lower-case unless it starts with a name."""
    if tokens and tokens[0].pos_ != "PROPN" and text[:1].isupper():
        return text[:1].lower() + text[1:]
    return text


def _social(doc: Doc, attribution: Attribution, tokens: SpacySpan) -> bool:
    """Whether the statement was made through a post ("wrote on X", "tweeted", "in a post")."""
    lex = _lexicon()
    cue = doc.char_span(attribution.cue.start, attribution.cue.end, alignment_mode="expand")
    if cue is None:
        return False
    if any(t.lemma_.lower() in lex.social_cues for t in cue):
        return True
    # from the cue's start: the extractor often takes "wrote on Facebook" as the whole cue
    window = doc[cue.start : min(cue.end + _SOCIAL_WINDOW, cue.sent.end)]
    words = [t.text.lower() for t in window]
    for i, word in enumerate(words):
        after_on = i > 0 and words[i - 1] in {"on", "in", "via"}
        if after_on and (word in lex.platforms or " ".join(words[i : i + 2]) in lex.platforms):
            return True
        if word in lex.social_media and i > 0 and words[i - 1] in {"a", "an", "her", "his"}:
            return True
    return any(t.lower_ in lex.social_media for t in tokens) and any(
        t.lower_ in lex.platforms for t in tokens
    )


def _named_body(doc: Doc, ent: SpacySpan, lex: _Lexicon, source_head: Token) -> bool:
    """Whether a "person" name is a body's: "the passenger group X", "X, the industry body"."""
    bodies = lex.organizations | lex.government
    before = doc[ent.start - 1] if ent.start > 0 else None
    if before is not None and before.pos_ == "NOUN" and before.lemma_.lower() in bodies:
        return True
    # "The operator, Halden Sealink,": the name is in apposition to a body noun
    head = ent.root.head
    # (only the source's own head: not "a neighbour who runs an association, Tom Fairley")
    if ent.root.dep_ == "appos" and head == source_head and head.lemma_.lower() in bodies:
        return True
    return any(
        t.dep_ == "appos" and t.pos_ == "NOUN" and t.lemma_.lower() in bodies
        for t in ent.root.children
    )


def _names_other(ent: SpacySpan, lex: _Lexicon) -> bool:
    """Whether a name is in apposition to a noun that is no body ("The report, River Watch")."""
    head = ent.root.head
    return (
        ent.root.dep_ == "appos"
        and head.pos_ == "NOUN"
        and head.lemma_.lower() not in lex.organizations | lex.government
    )


def _private(tokens: SpacySpan, lex: _Lexicon) -> bool:
    """Whether a source holds its office in a private body ("the union's president")."""
    return any(
        t.lower_ in lex.private_roles
        or t.lemma_.lower() in lex.private_roles
        or t.lower_ in lex.private_bodies
        or t.lemma_.lower() in lex.private_bodies
        for t in tokens
    )


def _anonymous_marked(lower: str) -> bool:
    """Whether a source phrase says its speaker is not named."""
    return any(marker in lower for marker in _lexicon().anonymity)


class _Resolver:
    """Resolves one document's attributions in source order."""

    def __init__(self, index: DocIndex) -> None:
        self.doc = index.doc
        self.index = index
        self.text = index.text
        self.state = _State()
        self.persons = [e for e in index.ents if e.label_ == "PERSON"]
        self.next_person = 0
        self.outlet_refs: list[tuple[str, int, int]] | None = None
        self.outlet_starts: list[int] = []
        self.things = [e for e in index.ents if e.label_ in _IT_LABELS]
        self.thing_starts = [e.start_char for e in self.things]

    def advance(self, upto: int) -> None:
        """Enter every PERSON entity that starts before ``upto`` into the people table."""
        while self.next_person < len(self.persons):
            ent = self.persons[self.next_person]
            if ent.start_char >= upto:
                break
            self.next_person += 1
            ent = _without_titles(ent)
            name = _clean_name(ent.text)
            known = self._lookup(name)
            if known is not None and len(name.split()) == 1:
                self.state.last_person = known
                continue
            span = Span.of(self.text, ent.start_char, ent.start_char + len(name))
            _remember(self.state, _Person(name, span, _title_gender(self.doc, ent)))

    def _lookup(self, name: str) -> _Person | None:
        """Find a known person by full name, surname or first name."""
        return self.state.people.get(name.lower())

    def resolve(self, attribution: Attribution) -> Speaker:
        """Resolve one attribution (called in order of source position)."""
        source = attribution.source
        if source is None:
            return UNKNOWN
        self.advance(source.start)
        tokens = self.doc.char_span(source.start, source.end, alignment_mode="expand")
        if tokens is None or len(tokens) == 0:
            return UNKNOWN
        key, speaker = self._classify(source, tokens)
        cited = self._cited(source, attribution.cue) if speaker.kind == "outlet" else None
        if cited is not None:
            # "The tabloid, citing an estate agent, said": the outlet relays, the cited speaks
            self.advance(cited[0].start)
            key, speaker = self._classify(*cited)
        elif attribution.type == "according_to" and self._only_outlet(source, speaker):
            # "according to the Herald": the outlet relays its unnamed sources (sourcing README)
            speaker = Speaker(None, None, "unknown", True, source)
        if speaker.kind != "unknown" and _social(self.doc, attribution, tokens):
            speaker = replace(speaker, kind="social_media")
        plural = _head(tokens).tag_ in {"NNS", "NNPS"}
        self.state.history.append((key, speaker, plural))
        self.state.previous = speaker
        self.state.previous_content = (attribution.content.start, attribution.content.end)
        self.advance(source.end)
        return speaker

    def _classify(self, source: Span, tokens: SpacySpan) -> tuple[str, Speaker]:
        """Return the speaker of a source and the head word that later descriptions match."""
        lex = _lexicon()
        head = _head(tokens)
        word = _head_word(head)
        if len(tokens) == 1 and word in lex.pronouns:
            return word, self._pronoun(lex.pronouns[word], source.start)
        outlet = self._outlet(source, tokens)
        if outlet is not None:
            return word, outlet
        person = self._person(source, tokens)
        if person is not None:
            return word, person
        earlier = self._antecedent(tokens, word)
        if earlier is not None:
            return word, earlier
        return word, self._describe(source, tokens, word)

    def _pronoun(self, kind: str, at: int) -> Speaker:
        """Resolve a pronoun at offset ``at`` to the nearest earlier speaker that agrees."""
        previous = self.state.previous
        if kind in {"m", "f"}:
            gendered = self._recent_gendered(kind)
            if gendered is not None:
                return self._named(gendered, official=gendered.official)
            person = self.state.last_person
            fits_previous = previous is not None and previous.kind in _PERSON_KINDS
            if fits_previous and previous is not None and previous.name is not None:
                known = self._lookup(previous.name)
                if known is not None and known.gender not in {None, kind}:
                    fits_previous = False
            lo, hi = self.state.previous_content
            later = (
                person is not None
                and (previous is None or person.name != previous.name)
                and person.gender in {None, kind}
                and not lo <= person.mention.start < hi
                and (
                    previous is None
                    or previous.mention is None
                    or person.mention.start > previous.mention.start
                )
            )
            if person is not None and (later or not fits_previous):
                if person.gender is None:
                    person.gender = kind
                return self._named(person, official=person.official)
            if fits_previous and previous is not None:
                if previous.name is not None and (known := self._lookup(previous.name)):
                    known.gender = known.gender or kind
                return previous
            return UNKNOWN
        if kind == "thing":
            return self._thing(at)
        for _, speaker, plural in reversed(self.state.history):
            if speaker.kind in _THEY_KINDS or (plural and speaker.kind in _PERSON_KINDS):
                return speaker
        # no plural antecedent: a singular "they" for the previous speaker
        return previous if previous is not None else UNKNOWN

    def _thing(self, at: int) -> Speaker:
        """What "it" at offset ``at`` stands for: the nearest earlier non-person speaker or body."""
        speaker = next((s for _, s, _ in reversed(self.state.history) if s.kind in _IT_KINDS), None)
        # names inside that speaker's own mention ("a report by the Trust") are part of it
        after = speaker.mention.end if speaker is not None and speaker.mention else 0
        mention = self._mentioned_thing(after, at)
        if mention is not None:
            return mention
        return speaker if speaker is not None else UNKNOWN

    def _mentioned_thing(self, after: int, at: int) -> Speaker | None:
        """The nearest body or outlet named from ``after`` to ``at``, outside the last quote."""
        lo, hi = self.state.previous_content
        lex = _lexicon()
        candidates: list[tuple[int, int]] = []
        i = bisect.bisect_left(self.thing_starts, at) - 1
        for ent in self.things[max(i - _RECENT_MENTIONS + 1, 0) : i + 1]:
            if not _names_other(ent, lex):
                candidates.append((ent.start_char, ent.end_char))
        refs = self._outlet_refs()
        i = bisect.bisect_left(self.outlet_starts, at) - 1
        candidates += [
            (start, end) for _, start, end in refs[max(i - _RECENT_MENTIONS + 1, 0) : i + 1]
        ]
        for start, end in sorted(candidates, reverse=True):
            if start < after or end > at:
                continue
            if lo <= start < hi:
                continue  # a body named inside the previous quote is what was said, not who
            tokens = self.doc.char_span(start, end, alignment_mode="expand")
            if tokens is None or len(tokens) == 0:
                continue
            if self._lookup(_clean_name(_without_titles(tokens).text)) is not None:
                continue  # a person the tagger took for a body ("Mayor Ines Varga")
            span = Span.of(self.text, tokens.start_char, tokens.end_char)
            # not _classify: a mere mention must not enter the people table
            found = self._outlet(span, tokens) or self._describe(
                span, tokens, _head_word(_head(tokens))
            )
            if found.kind in _IT_KINDS:
                return found
        return None

    def _recent_gendered(self, kind: str) -> _Person | None:
        """The latest person whose gender is known to match, when the latest person's is not."""
        latest = self.state.last_person
        if latest is None or latest.gender == kind:
            return None
        for person in reversed(self.state.recent):
            if person.gender == kind:
                return person
        return None

    def _named(self, person: _Person, official: bool) -> Speaker:
        """The speaker for a person in the table."""
        person.official = person.official or official
        kind: SpeakerKind = "official" if person.official else "person"
        return Speaker(person.name, None, kind, False, person.mention)

    def _outlet(self, source: Span, tokens: SpacySpan) -> Speaker | None:
        """An outlet speaking for itself, or outlets standing for their unnamed sources."""
        lex = _lexicon()
        head = _head(tokens)
        mentions = [
            (m.outlet, source.start + m.start, source.start + m.end)
            for m in find_outlets(source.text)
        ]
        if not mentions:
            # outlets the table does not know ("the Coastal Herald", "KQRT-TV"), short forms
            # ("the Gazette's story") and a source cut inside a name ("News" of "Channel 4 News")
            mentions = self._outlets_in(source.start, source.end)
            if not mentions:
                return self._outlet_noun(source, tokens, head, lex)
            people = self.index.ents_within(tokens.start, tokens.end)
            if any(
                e.label_ == "PERSON" and not any(s <= e.start_char < x for _, s, x in mentions)
                for e in people
            ):
                return None  # "Tom Herald" is a person, not a short form of an outlet
        covered = any(start <= head.idx < end for _, start, end in mentions)
        coordinated = any(t.lower_ == "and" for t in tokens) or self._coordinated(mentions[-1][2])
        possessive = not covered and self.text.startswith(("'s", "\u2019s"), mentions[0][2])
        if (
            len(mentions) > 1
            or coordinated
            or (not covered and not possessive and head.lemma_.lower() in lex.documents)
        ):
            # "according to A and B", "reports from A": the outlets' unnamed sources speak.
            return Speaker(None, None, "unknown", True, source)
        if not covered and not possessive and head.lower_ not in lex.outlets:
            return None
        name, start, end = mentions[0]
        return Speaker(
            name.removeprefix("The "), None, "outlet", False, Span.of(self.text, start, end)
        )

    def _cited(self, source: Span, cue: Span) -> tuple[Span, SpacySpan] | None:
        """The source an outlet cites right after its name ("A, citing X, said"), if any."""
        match = _lexicon().citing.match(self.text, source.end)
        if match is None:
            return None
        start = match.end()
        stop = start + _CITED_LENGTH
        end = self.text.find(",", start, stop)
        if start < cue.start <= stop and (end == -1 or cue.start < end):
            end = cue.start  # "A, citing officials said": the cue closes the phrase
        text = self.text[start:end].rstrip() if end > start else ""
        tokens = self.doc.char_span(start, start + len(text)) if text else None
        if tokens is None or len(tokens) == 0:
            return None
        return Span.of(self.text, start, start + len(text)), tokens

    def _only_outlet(self, source: Span, speaker: Speaker) -> bool:
        """Whether a source is an outlet alone ("the Herald", "the paper"), not "its editor"."""
        mention = speaker.mention
        if speaker.kind != "outlet" or mention is None:
            return False
        if not source.start <= mention.start < mention.end <= source.end:
            return True  # "the newspaper": the whole source stands for an earlier outlet
        before = self.text[source.start : mention.start].strip().lower()
        return before in {"", "the"} and not self.text[mention.end : source.end].strip()

    def _coordinated(self, end: int) -> bool:
        """Whether another outlet follows an outlet ("A and B", the source cut after A)."""
        match = _AND_NEXT.match(self.text, end)
        return match is not None and bool(self._outlets_in(match.end(), match.end() + 1))

    def _outlet_refs(self) -> list[tuple[str, int, int]]:
        """The document's outlet mentions, found on first use (one pass over the text)."""
        if self.outlet_refs is None:
            self.outlet_refs = outlet_mentions(self.index)
            self.outlet_starts = [start for _, start, _ in self.outlet_refs]
        return self.outlet_refs

    def _outlets_in(self, start: int, end: int) -> list[tuple[str, int, int]]:
        """The outlet mentions overlapping a range of the text."""
        refs = self._outlet_refs()
        lo = bisect.bisect_right(self.outlet_starts, start) - 1
        hi = bisect.bisect_left(self.outlet_starts, end)
        return [ref for ref in refs[max(lo, 0) : hi] if ref[2] > start]

    def _outlet_noun(
        self, source: Span, tokens: SpacySpan, head: Token, lex: _Lexicon
    ) -> Speaker | None:
        """A generic outlet noun ("the newspaper"): the latest outlet named before the source."""
        noun = " ".join(t.lower_ for t in tokens[1:])
        if tokens[0].lower_ not in {"the", "this"} or not (
            noun in lex.outlets or (len(tokens) <= 3 and head.lower_ in lex.outlets)
        ):
            return None
        refs = self._outlet_refs()
        i = bisect.bisect_left(self.outlet_starts, source.start) - 1
        while i >= 0 and refs[i][2] > source.start:
            i -= 1
        if i < 0:
            return None
        name, start, end = refs[i]
        return Speaker(
            name.removeprefix("The "), None, "outlet", False, Span.of(self.text, start, end)
        )

    def _person(self, source: Span, tokens: SpacySpan) -> Speaker | None:
        """A named person: a PERSON entity in the source, or a name already in the table."""
        lex = _lexicon()
        lower = source.text.lower()
        official = any(t.lower_ in lex.offices or t.lower_ in lex.office_titles for t in tokens)
        official = official or any(o in lower for o in lex.offices if " " in o)
        official = official and not _private(tokens, lex)
        if tokens.text.isupper():
            return self._caps_label(tokens, official)
        ents = [e for e in self.index.ents_within(tokens.start, tokens.end) if e.label_ == "PERSON"]
        ent = ents[-1] if ents else None
        tail = _apposed_name(tokens)
        if tail is not None and (ent is None or ent.end <= tail.start):
            ent = tail
        if ent is not None and _named_body(self.doc, ent, lex, _head(tokens)):
            # the tagger's PERSON is the body's name
            return Speaker(_clean_name(ent.text), None, "organization", False, source)
        if ent is not None:
            ent = _without_titles(ent)
            name = _clean_name(ent.text)
            known = self._lookup(name)
            if known is None:
                span = Span.of(self.text, ent.start_char, ent.start_char + len(name))
                known = _remember(self.state, _Person(name, span, _title_gender(self.doc, ent)))
            return self._named(known, official)
        words = [t for t in tokens if t.lower_ not in lex.titles and t.lower_ not in _DETERMINERS]
        if words and all(t.text[:1].isupper() for t in words) and tokens[-1].pos_ == "PROPN":
            key = _clean_name(" ".join(t.text for t in words))
            known = self._lookup(key)
            if known is None and len(words) > 1 and tokens.text.isupper():
                # Transcript labels ("AGNES PELL") are names the tagger rarely marks.
                span = Span.of(self.text, words[0].idx, words[-1].idx + len(words[-1]))
                known = _remember(self.state, _Person(key, span))
            if known is not None:
                gender = lex.titles.get(tokens[0].lower_)
                known.gender = known.gender or gender
                return self._named(known, official)
        return None

    def _caps_label(self, tokens: SpacySpan, official: bool) -> Speaker | None:
        """A transcript label in capitals ("HOUSING MINISTER PAUL ADEYEMI", "ADEYEMI")."""
        words = [t for t in tokens if t.is_alpha]
        if not words:
            return None
        # The name is the label's last two words; earlier words are the office.
        first = words[-2] if len(words) > 1 else words[-1]
        name = _clean_name(self.text[first.idx : words[-1].idx + len(words[-1])])
        known = self._lookup(name)
        if known is None:
            if len(words) == 1:
                return None
            span = Span.of(self.text, first.idx, words[-1].idx + len(words[-1]))
            known = _remember(self.state, _Person(name, span))
        return self._named(known, official)

    def _antecedent(self, tokens: SpacySpan, word: str) -> Speaker | None:
        """A definite description or "one of them" pointing back to an earlier speaker."""
        first = tokens[0].lower_
        lex = _lexicon()
        if first == "one" and len(tokens) > 1 and tokens[1].lower_ == "of":
            target = self._latest_plural(tokens)
            if target is not None:
                desc = target.description and f"one of {target.description}"
                return replace(target, description=desc)
            return None
        if first not in {"the", "both", "this", "that"} and not (
            first == "its" or tokens[0].pos_ == "PRON"
        ):
            return None
        if len(tokens) > 4 or any(t.pos_ == "PROPN" for t in tokens[1:]):
            return None
        singular = tokens[-1].lemma_.lower() if tokens[-1].lemma_ else word
        for key, speaker, _ in reversed(self.state.history):
            if key == word or (key.rstrip("s") == singular and speaker.anonymous):
                return speaker
        if first == "both" and self.state.history:
            return self.state.history[-1][1]
        kinds = self._kinds_of(word, singular, lex)
        if kinds:
            for _, speaker, _ in reversed(self.state.history):
                if speaker.kind in kinds and speaker.name is not None:
                    return speaker
        return None

    def _kinds_of(self, word: str, singular: str, lex: _Lexicon) -> frozenset[str]:
        """The speaker kinds a bare noun like "the company" or "the paper" can refer back to."""
        if word in lex.outlets or singular in lex.outlets:
            return frozenset({"outlet"})
        if word in lex.organizations or singular in lex.organizations:
            return frozenset({"organization", "social_media"})
        if word in lex.government:
            return frozenset({"government"})
        return frozenset()

    def _latest_plural(self, tokens: SpacySpan) -> Speaker | None:
        """The most recent anonymous plural speaker, for "one of them"/"one of the officials"."""
        for _, speaker, _ in reversed(self.state.history):
            if speaker.anonymous and speaker.kind in {"person", "official", "group"}:
                return speaker
        return None

    def _describe(self, source: Span, tokens: SpacySpan, word: str) -> Speaker:
        """Classify an unresolved source by its head noun and entities."""
        lex = _lexicon()
        lower = source.text.lower()
        lemma = _head(tokens).lemma_.lower()
        desc = _description(source.text, tokens)
        ents = {e.label_ for e in self.index.ents_within(tokens.start, tokens.end)}
        head = _head(tokens)
        # A capitalised head after the first word is a name ("the Evening Post"), not a noun.
        common = head.pos_ != "PROPN" and not (head.i > tokens.start and head.text[:1].isupper())
        if common and (word in lex.social_media or lemma in lex.social_media):
            return Speaker(None, desc, "social_media", True, source)
        if common and (lemma in lex.documents or word in lex.documents):
            return Speaker(None, desc, "document", False, source)
        if (
            lemma in lex.offices
            or word in lex.offices
            or (lemma == "source" and "official" in lower)
        ):
            kind: SpeakerKind = "person" if _private(tokens, lex) else "official"
            return Speaker(None, desc, kind, True, source)
        if word in lex.groups:
            return Speaker(None, desc, "group", True, source)
        if lemma in lex.person_nouns or _anonymous_marked(lower):
            return Speaker(None, desc, "person", True, source)
        name = _strip_determiner(source.text)
        if lemma in lex.government or word in lex.government or lower in lex.government:
            return Speaker(name, None, "government", False, source)
        # "Water UK, the industry body": a place in a name, but the noun says what it is
        body = any(t.pos_ == "NOUN" and t.lemma_.lower() in lex.organizations for t in tokens)
        if ents & {"GPE", "NORP"} and not ents & {"ORG"} and not body:
            return Speaker(name, None, "government", False, source)
        if (
            body
            or lemma in lex.organizations
            or ents & {"ORG", "FAC"}
            or tokens[-1].pos_ == "PROPN"
        ):
            return Speaker(name, None, "organization", False, source)
        return Speaker(None, desc, "unknown", False, source)


def resolve_speakers(
    doc: Doc, attributions: Sequence[Attribution], index: DocIndex | None = None
) -> tuple[Speaker, ...]:
    """Resolve who is really speaking behind each attribution.

    Args:
        doc: the parsed document the attributions were found in.
        attributions: the document's attributions, in any order.
        index: the document's shared index (``docindex.DocIndex``); None builds one.

    Returns:
        One Speaker per attribution, in the same order. An attribution with no source gets
        ``UNKNOWN``; a pronoun or short reference gets the speaker of its antecedent, with the
        antecedent's fullest mention.
    """
    resolver = _Resolver(index_of(doc, index))
    order = sorted(
        range(len(attributions)),
        key=lambda i: s.start if (s := attributions[i].source) else attributions[i].cue.start,
    )
    out: list[Speaker] = [UNKNOWN] * len(attributions)
    for i in order:
        out[i] = resolver.resolve(attributions[i])
    return tuple(out)
