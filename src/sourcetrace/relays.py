"""Relay chains: the outlets an attribution's words passed through before reaching the reader.

An outlet becomes a relay of an attribution when it is named in a relay construction in the
sentence that holds the attribution's cue, outside the attribution's content:

- after a lead phrase: "X told Outlet", "quoted by A and reported by B", "according to a report
  in A", "as cited by B", "in an interview with A" (the leads are data, ``data/relays.json``);
- coordinated with such a relay: "according to A and B" gives two parallel relays (same hop);
- followed by a citing phrase: "A, citing officials, said", "A reported, citing ...",
  "according to A, which cited ..."; such a relay counts only for an attribution whose source
  is the outlet itself or begins right after it (the cited source), or has no source.

Relays are ordered by their place in the sentence: hop 1 is the relay nearest the speaker, each
further lead phrase opens the next hop, coordinated relays share a hop. An outlet that is the
source of its own statement ("The Guardian reported that ...") is the speaker, not a relay;
"according to the Guardian" names the outlet as a relay of its unnamed sources (the speaker is
unknown, ``sourcetrace.speakers``), like "according to A and B". No outlet is a relay twice in a
row ("quoted by A and reported by A" is one hop). The article's own outlet is never a relay
("told Reuters" in a Reuters story is first-hand).

Outlets are the known outlets of ``sourcetrace.outlets``, by canonical name, and unknown ones:
capitalised names with an outlet word ("the Skarra Times", "Radio Svoboda", "KQRT-TV"), a name
after an outlet noun ("the daily Nap"), a capitalised name right after a lead phrase that only
outlets follow ("quoted by Nikkei Asia"), and generic media ("local media", "a newspaper"), named
by their surface text. "The paper", "the magazine" and a short form ("the Journal", "Spiegel")
stand for the latest outlet named before them.

Scoping. A relay chain stated by an attribution whose lead phrase scopes (report phrases such as
"according to", "quoted by", "citing"; not "told", which describes one exchange) carries over to
the following attributions, in document order, while all of these hold:

1. the attribution states no relay of its own (if it does, its own chain wins and, when it scopes,
   becomes the carried chain);
2. it lies in the paragraph of the last attribution that carried the chain, or the next one;
3. its source is a pronoun ("he", "they"), a definite or partitive description ("the official",
   "the two people", "one of them", "both papers"), the same surname as the source that
   carried the chain, or missing (then only within the same paragraph);
4. when it opens a new paragraph, no outlet outside the chain is named in that paragraph
   before its cue.

An attribution that breaks rule 2, 3 or 4 ends the carry-over for all later attributions.

Cost: one regex pass over the text for each pattern family, then per attribution a bisect and
at most ``MAX_RELAYS`` relays, so a paragraph naming hundreds of outlets stays linear.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from spacy.tokens import Doc

from sourcetrace.docindex import DocIndex, index_of
from sourcetrace.outlets import find_outlets
from sourcetrace.records import Attribution, Relay, Span

RELAYS_FILE = "relays.json"
# The gold set's longest chain has three hops; eight leaves room for long parallel lists while
# bounding the output for pathological input (200 outlets in one sentence). Raise it if real
# articles need more and rerun tests/test_relays.py.
MAX_RELAYS = 8
_NAME = re.compile(
    r"(?:The\s+)?[A-Z][\w&.'-]*[\w&](?:\s+(?:of\s+|de\s+|the\s+)?[A-Z][\w&.'-]*[\w&])*"
)
_CAP_WORD = re.compile(r"\b[A-Z][\w&-]*[\w&]")
# Longest gap between an outlet and the source it cites: ", which cited " / " reported, citing ".
_CITED_GAP = 30
_PARAGRAPH = re.compile(r"\n\s*\n")


@dataclass(frozen=True, slots=True)
class _Lexicon:
    """The relay lexicon, compiled."""

    leads: re.Pattern[str]
    lead_specs: tuple[tuple[bool, bool], ...]  # (scopes, names) per lead group, in order
    after: tuple[re.Pattern[str], ...]
    coordination: re.Pattern[str]
    descriptor: re.Pattern[str]
    descriptor_ends: tuple[str, ...]  # last word of each descriptor noun, lower case
    determiner: re.Pattern[str]
    outlet_nouns: re.Pattern[str]
    generic: re.Pattern[str]
    heads: frozenset[str]
    prefixes: frozenset[str]
    suffixes: tuple[str, ...]
    continuations: tuple[str, ...]
    pronouns: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Ref:
    """One mention of an outlet in the text."""

    name: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Found:
    """One relay found in a sentence: the outlet, how it was linked, and whether it scopes."""

    ref: _Ref
    new_hop: bool
    scopes: bool
    cited: bool = False


@functools.cache
def _lexicon() -> _Lexicon:
    """Read and compile the relay lexicon shipped with sourcetrace (once per process)."""
    text = resources.files("sourcetrace").joinpath("data", RELAYS_FILE).read_text("utf-8")
    return _compile(json.loads(text))


def _compile(data: dict[str, Any]) -> _Lexicon:
    """Compile the parsed lexicon."""
    leads = data["leads"]
    descriptor = data["descriptor"]
    alternation = "|".join(f"(?P<l{i}>{spec['pattern']})" for i, spec in enumerate(leads))
    nouns = sorted(data["outlet_nouns"], key=len, reverse=True)
    return _Lexicon(
        leads=re.compile(rf"\b(?:{alternation})\s+", re.IGNORECASE),
        lead_specs=tuple((bool(s["scopes"]), bool(s["names"])) for s in leads),
        after=tuple(re.compile(p, re.IGNORECASE) for p in data["after"]),
        coordination=re.compile(data["coordination"], re.IGNORECASE),
        descriptor=re.compile(
            rf"{descriptor['lead']}(?:{'|'.join(descriptor['nouns'])})\s+", re.IGNORECASE
        ),
        descriptor_ends=tuple(noun.split()[-1].lower() for noun in descriptor["nouns"]),
        determiner=re.compile(data["determiner"], re.IGNORECASE),
        outlet_nouns=re.compile(
            rf"\bthe\s+(?:{'|'.join(map(re.escape, nouns))})\b(?!\s+(?-i:[A-Z]))", re.IGNORECASE
        ),
        generic=re.compile(data["generic_outlets"], re.IGNORECASE),
        heads=frozenset(data["name_heads"]),
        prefixes=frozenset(data["name_prefixes"]),
        suffixes=tuple(data["name_suffixes"]),
        continuations=tuple(c.lower() for c in data["continuations"]),
        pronouns=frozenset(p.lower() for p in data["pronouns"]),
    )


def _looks_like_outlet(name: str, lex: _Lexicon) -> bool:
    """Return whether a capitalised name carries an outlet word ("Skarra Times", "KQRT-TV")."""
    words = name.split()
    if words[0] == "The":
        words = words[1:]
    if len(words) < 2 and not name.endswith(lex.suffixes):
        return False
    return (
        words[-1] in lex.heads or words[0] in lex.prefixes or name.endswith(lex.suffixes)
    ) and not all(w in lex.heads or w in lex.prefixes for w in words)


def _short_forms(name: str, lex: _Lexicon) -> set[str]:
    """Return the words of an outlet name that may stand for it later ("Journal", "KQRT")."""
    words = set(re.findall(r"[A-Z][\w&]+", name)) - {"The"} - lex.prefixes
    return {w for w in words if len(w) >= 3}


class _Index:
    """The outlet mentions of one document, found once, looked up by position."""

    def __init__(self, doc: DocIndex, lex: _Lexicon) -> None:
        self.text = doc.text
        self.lex = lex
        self.persons = {(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"}
        named = self._named()
        self.refs = self._with_references(named)
        self.starts = [r.start for r in self.refs]
        self.by_start = {r.start: r for r in self.refs}

    def _named(self) -> list[_Ref]:
        """Known outlets, then capitalised names that look like outlets, overlaps dropped."""
        text = self.text
        refs = [_Ref(m.outlet, m.start, m.end) for m in find_outlets(text)]
        taken = bytearray(len(text))
        for ref in refs:
            taken[ref.start : ref.end] = b"\x01" * (ref.end - ref.start)
        for match in _NAME.finditer(text):
            start, end = match.span()
            if taken.find(1, start, end) != -1:
                continue
            named = self._bare(match.group())
            if _looks_like_outlet(match.group(), self.lex) or self._after_descriptor(start):
                start = end - len(named)
                refs.append(_Ref(named, start, end))
        return sorted(refs, key=lambda r: r.start)

    def _bare(self, name: str) -> str:
        """Drop a leading "The" the outlet table would not have."""
        return name[4:] if name.startswith("The ") and " " in name[4:] else name

    def _after_descriptor(self, start: int) -> bool:
        """Return whether an outlet noun comes right before a position ("the daily Nap")."""
        window = self.text[max(0, start - 40) : start]
        # A match ending at the window's end ends with a noun and spaces: a cheap check first
        # (ASCII only, where ignoring case is lower-casing).
        tail = window.rstrip()
        if tail.isascii() and not tail.lower().endswith(self.lex.descriptor_ends):
            return False
        match = self.lex.descriptor.search(window)
        return match is not None and match.end() == len(window)

    def _with_references(self, named: list[_Ref]) -> list[_Ref]:
        """Add "the paper" and short forms, each standing for the latest outlet named before."""
        text, lex = self.text, self.lex
        extra: list[tuple[int, int, bool]] = [
            (m.start(), m.end(), True) for m in lex.outlet_nouns.finditer(text)
        ]
        extra += [(m.start(), m.end(), False) for m in _CAP_WORD.finditer(text)]
        extra.sort()
        out: list[_Ref] = []
        forms: dict[str, str] = {}
        latest: str | None = None
        i = 0
        for start, end, generic in extra:
            while i < len(named) and named[i].start <= start:
                ref = named[i]
                out.append(ref)
                latest = ref.name
                forms.update(dict.fromkeys(_short_forms(ref.name, lex), ref.name))
                i += 1
            if out and start < out[-1].end:
                continue
            name = latest if generic else forms.get(text[start:end])
            if name is not None:
                begin = start
                det = re.compile(r"the\s+", re.IGNORECASE).match(text, start - 4, start)
                if not generic and det is not None:
                    begin = det.start()
                out.append(_Ref(name, begin, end))
        out.extend(named[i:])
        return sorted(out, key=lambda r: r.start)

    def at(self, pos: int, names: bool) -> _Ref | None:
        """Return the outlet mentioned at a position (after a lead phrase), or None."""
        text, lex = self.text, self.lex
        desc = lex.descriptor.match(text, pos)
        starts = [pos] + ([desc.end()] if desc else [])
        det = lex.determiner.match(text, pos)
        if det:
            starts.append(det.end())
        for start in starts:
            ref = self.by_start.get(start)
            if ref is not None:
                return ref
        generic = lex.generic.match(text, pos)
        if generic:
            return _Ref(generic.group(), pos, generic.end())
        if not names and not desc:
            return self._before_known(pos)
        for start in starts:
            match = _NAME.match(text, start)
            if match is not None and match.span() not in self.persons:
                bare = self._bare(match.group())
                return _Ref(bare, match.end() - len(bare), match.end())
        return None

    def _before_known(self, pos: int) -> _Ref | None:
        """Return a name that cites ("A, which cited") or precedes a known outlet ("A and B")."""
        match = _NAME.match(self.text, pos)
        if match is None or match.span() in self.persons:
            return None
        coord = self.lex.coordination.match(self.text, match.end())
        cites = any(p.match(self.text, match.end()) for p in self.lex.after)
        if not cites and (coord is None or coord.end() not in self.by_start):
            return None
        bare = self._bare(match.group())
        return _Ref(bare, match.end() - len(bare), match.end())

    def within(self, start: int, end: int) -> list[_Ref]:
        """Return the mentions that start inside a range of the text."""
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return self.refs[lo:hi]


class _Sentences:
    """Sentence bounds and paragraph numbers of a document, looked up by offset."""

    def __init__(self, doc: DocIndex) -> None:
        bounds = [doc.sentence_chars(b) for b in doc.sentences]
        self.starts = [start for start, _ in bounds]
        self.ends = [end for _, end in bounds]
        self.paragraphs = [0] + [m.end() for m in _PARAGRAPH.finditer(doc.text)]

    def sentence(self, pos: int) -> tuple[int, int]:
        """Return the (start, end) of the sentence holding an offset."""
        i = max(0, bisect.bisect_right(self.starts, pos) - 1)
        return self.starts[i], self.ends[i]

    def paragraph(self, pos: int) -> int:
        """Return the number of the paragraph holding an offset."""
        return bisect.bisect_right(self.paragraphs, pos) - 1


def _sentence_relays(index: _Index, start: int, end: int) -> list[_Found]:
    """Find every relay construction in one sentence, in text order."""
    lex, text = index.lex, index.text
    found: dict[int, _Found] = {}
    for lead in lex.leads.finditer(text, start, end):
        group = lead.lastgroup
        assert group is not None
        scopes, names = lex.lead_specs[int(group[1:])]
        ref, new_hop = index.at(lead.end(), names), True
        while ref is not None and ref.end <= end and len(found) < 4 * MAX_RELAYS:
            found.setdefault(ref.start, _Found(ref, new_hop, scopes))
            coord = lex.coordination.match(text, ref.end, end)
            ref, new_hop = (index.at(coord.end(), True) if coord else None), False
    for ref in index.within(start, end)[: 4 * MAX_RELAYS]:
        if ref.start not in found and any(p.match(text, ref.end, end) for p in lex.after):
            found[ref.start] = _Found(ref, True, True, cited=True)
    return [found[k] for k in sorted(found)]


def _chain(found: Sequence[_Found], attribution: Attribution, own: frozenset[str]) -> list[_Found]:
    """Keep the relays of a sentence that lie outside the attribution's content."""
    content = attribution.content.pieces
    out: list[_Found] = []
    for item in found:
        ref = item.ref
        if ref.name in own or any(s <= ref.start < e for s, e in content):
            continue
        if item.cited and not _cites_for(ref, attribution.source):
            continue
        if out and out[-1].ref.name == ref.name:
            continue
        out.append(item)
        if len(out) == MAX_RELAYS:
            break
    return out


def _cites_for(ref: _Ref, source: Span | None) -> bool:
    """Return whether "A, citing X, said" speaks for this source: A itself, or X right after A."""
    if source is None:
        return True
    return source.start <= ref.start < source.end or 0 <= source.start - ref.end <= _CITED_GAP


def _relays(chain: Sequence[_Found]) -> tuple[Relay, ...]:
    """Number the hops: a lead phrase opens a hop, a coordinated relay shares it."""
    out: list[Relay] = []
    hop = 0
    for item in chain:
        if item.new_hop or hop == 0:
            hop += 1
        out.append(Relay(item.ref.name, "outlet", item.ref.start, item.ref.end, hop))
    return tuple(out)


def _surname(source: Span) -> str | None:
    """Return the last capitalised word of a source, taken as a surname."""
    words = re.findall(r"[A-Z][\w'-]+", source.text)
    return words[-1] if words else None


@dataclass(slots=True)
class _Carry:
    """The relay chain being carried over, and what it may carry over to."""

    relays: tuple[Relay, ...]
    names: frozenset[str]
    paragraph: int
    surname: str | None


def _continues(source: Span | None, carry: _Carry, paragraph: int, lex: _Lexicon) -> bool:
    """Return whether a source plainly refers back to the speaker of the carried chain."""
    if source is None:
        return paragraph == carry.paragraph
    lowered = source.text.lower()
    if lowered in lex.pronouns or lowered.startswith(tuple(c + " " for c in lex.continuations)):
        return True
    return carry.surname is not None and _surname(source) == carry.surname


def _canonical(outlet: str) -> str:
    """Return the table's name for an outlet, if it knows it, else the name as given."""
    found = find_outlets(outlet)
    whole = [m for m in found if m.start == 0 and m.end == len(outlet)]
    return whole[0].outlet if whole else outlet


def _own_names(outlet: str | None, lex: _Lexicon) -> frozenset[str]:
    """Return the names the article's own outlet may go by ("The Selby Standard", "Standard")."""
    if outlet is None:
        return frozenset()
    return frozenset({outlet, _canonical(outlet)} | _short_forms(outlet, lex))


def outlet_mentions(index: DocIndex) -> list[tuple[str, int, int]]:
    """Return every outlet mention of a document as (name, start, end), in text order.

    Known outlets go by their canonical name; "the paper" and short forms ("the Journal") by
    the name of the latest outlet named before them. One linear pass over the text.

    Args:
        index: the document's shared index (``docindex.DocIndex``).
    """
    return [(r.name, r.start, r.end) for r in _Index(index, _lexicon()).refs]


def find_relays(
    doc: Doc,
    attributions: Sequence[Attribution],
    own_outlet: str | None = None,
    index: DocIndex | None = None,
) -> tuple[tuple[Relay, ...], ...]:
    """Find the relay chain of each attribution (see the module docstring for the rules).

    Args:
        doc: the parsed document the attributions were found in.
        attributions: the attributions, in any order.
        own_outlet: the publishing outlet's name; it is never a relay of its own story.
        index: the document's shared index (``docindex.DocIndex``); None builds one.

    Returns:
        One tuple of relays per attribution, in the order given, nearest the speaker first;
        ``()`` for a first-hand attribution.
    """
    if not attributions:
        return ()
    lex = _lexicon()
    shared = index_of(doc, index)
    outlets = _Index(shared, lex)
    sentences = _Sentences(shared)
    own = _own_names(own_outlet, lex)
    cache: dict[tuple[int, int], list[_Found]] = {}
    result: list[tuple[Relay, ...]] = [()] * len(attributions)
    carry: _Carry | None = None
    order = sorted(range(len(attributions)), key=lambda i: attributions[i].cue.start)
    for i in order:
        attribution = attributions[i]
        bounds = sentences.sentence(attribution.cue.start)
        if bounds not in cache:
            cache[bounds] = _sentence_relays(outlets, *bounds)
        chain = _chain(cache[bounds], attribution, own)
        paragraph = sentences.paragraph(attribution.cue.start)
        if chain:
            result[i] = _relays(chain)
            scoped = all(item.scopes for item in chain if item.new_hop)
            carry = (
                _Carry(
                    result[i],
                    frozenset(r.name for r in result[i]),
                    paragraph,
                    _surname(attribution.source) if attribution.source else None,
                )
                if scoped
                else None
            )
            continue
        if carry is None or not _keeps(carry, attribution, paragraph, outlets, sentences):
            carry = None
            continue
        result[i] = carry.relays
        carry.paragraph = paragraph
    return tuple(result)


def _keeps(
    carry: _Carry, attribution: Attribution, paragraph: int, index: _Index, sentences: _Sentences
) -> bool:
    """Return whether the carried chain scopes over this attribution (rules 2 to 4)."""
    if paragraph - carry.paragraph > 1:
        return False
    if not _continues(attribution.source, carry, paragraph, index.lex):
        return False
    para_start = sentences.paragraphs[paragraph]
    begin = para_start if paragraph != carry.paragraph else attribution.cue.start
    others = index.within(begin, attribution.cue.start)[:MAX_RELAYS]
    return all(ref.name in carry.names for ref in others)
