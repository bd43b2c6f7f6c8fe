"""Typed, frozen records: what every stage produces and every output serialises.

Records hold character offsets and strings, never spaCy objects, so that they pickle to
worker processes and map onto rows. ``to_dict`` functions give the JSON contract that
``docs/schema.md`` documents and ``data/schema.json`` validates.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

AttributionType = Literal["direct", "indirect", "mixed", "according_to", "other"]
ATTRIBUTION_TYPES: tuple[AttributionType, ...] = (
    "direct",
    "indirect",
    "mixed",
    "according_to",
    "other",
)


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the analysed text.

    Attributes:
        text: the covered text; for a discontinuous span, the fragments joined by a space.
        start: offset of the first character (inclusive).
        end: offset after the last character (exclusive).
        fragments: for a discontinuous span, its ``(start, end)`` pieces in order;
            ``start``/``end`` then bound the whole. Empty for a contiguous span.
    """

    text: str
    start: int
    end: int
    fragments: tuple[tuple[int, int], ...] = ()

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        """Build a contiguous span of ``text[start:end]``."""
        return cls(text[start:end], start, end)

    @classmethod
    def from_fragments(cls, text: str, pieces: list[tuple[int, int]]) -> Span:
        """Build a span from one or more ``(start, end)`` pieces of ``text``."""
        pieces = sorted(p for p in pieces if p[1] > p[0])
        if not pieces:
            raise ValueError("a span needs at least one non-empty fragment")
        if len(pieces) == 1:
            return cls.of(text, *pieces[0])
        joined = " ".join(text[s:e] for s, e in pieces)
        return cls(joined, pieces[0][0], pieces[-1][1], tuple(pieces))

    @property
    def pieces(self) -> tuple[tuple[int, int], ...]:
        """The ``(start, end)`` pieces: the fragments, or the one contiguous range."""
        return self.fragments or ((self.start, self.end),)

    def to_dict(self) -> dict[str, Any]:
        """Serialise to the JSON contract."""
        out: dict[str, Any] = {"text": self.text, "start": self.start, "end": self.end}
        if self.fragments:
            out["fragments"] = [list(f) for f in self.fragments]
        return out


SpeakerKind = Literal[
    "person",
    "official",
    "organization",
    "government",
    "outlet",
    "document",
    "social_media",
    "group",
    "unknown",
]
FlagKind = Literal["disputed", "unverified", "hedged", "retracted"]


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who is really speaking behind an attribution's source.

    Attributes:
        name: canonical name when the speaker is named ("Nicole Brandt" for "Ms. Brandt" or
            for "she" when she is the antecedent), else None.
        description: the descriptive phrase that stands for the speaker ("a senior defense
            official", "two people familiar with the talks"), else None.
        kind: person, official, organization, government, outlet, document, social_media,
            group or unknown.
        anonymous: a person or group the article does not name.
        mention: the fullest mention the speaker was resolved to.
    """

    name: str | None
    description: str | None
    kind: SpeakerKind
    anonymous: bool
    mention: Span | None

    def to_dict(self) -> dict[str, Any]:
        """Serialise to the JSON contract."""
        return {
            "name": self.name,
            "description": self.description,
            "kind": self.kind,
            "anonymous": self.anonymous,
            "mention": self.mention.to_dict() if self.mention else None,
        }


@dataclass(frozen=True, slots=True)
class Relay:
    """One intermediary an attribution was relayed through (an outlet, usually).

    Attributes:
        name: canonical name (from the outlet table where it is there).
        kind: ``outlet`` or another speaker kind.
        start: offset of the mention in the text.
        end: offset after the mention.
        hop: 1 for the relay nearest the speaker, 2 for the next, ...; parallel relays
            ("according to A and B") share a hop.
    """

    name: str
    kind: str
    start: int
    end: int
    hop: int = 1

    def to_dict(self) -> dict[str, Any]:
        """Serialise to the JSON contract."""
        return {
            "name": self.name,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "hop": self.hop,
        }


@dataclass(frozen=True, slots=True)
class Flag:
    """A sign that an attribution is disputed, unverified, hedged or retracted.

    Attributes:
        kind: disputed, unverified, hedged or retracted.
        by: who disputes or retracts it, when the text says.
        evidence: the words that raise the flag.
    """

    kind: FlagKind
    by: str | None
    evidence: Span

    def to_dict(self) -> dict[str, Any]:
        """Serialise to the JSON contract."""
        return {"kind": self.kind, "by": self.by, "evidence": self.evidence.to_dict()}


@dataclass(frozen=True, slots=True)
class Assertion:
    """A statement of fact the article makes on its own authority, with no attribution.

    Attributes:
        text: the statement, ``analysed_text[start:end]``.
        start: offset of the first character.
        end: offset after the last character.
        reason: why a fact-checker would check it: ``figure``, ``actor``, ``comparison``
            or ``causal``.
    """

    text: str
    start: int
    end: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """Serialise to the JSON contract."""
        return {"text": self.text, "start": self.start, "end": self.end, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attribution: a source, through a cue, said or thought some content.

    Attributes:
        id: stable within the document (``a1``, ``a2``, ... in order of the content).
        type: ``direct`` (the content is a quotation), ``indirect`` (reported speech),
            ``mixed`` (reported speech with a quoted part), ``according_to``, or ``other``
            (an attribution with no verb of saying, such as a headline colon).
        source: who; None when the text names nobody.
        cue: the words that attribute (a verb of saying or thinking, "according to", a colon).
        content: what was said or thought.
        speaker: who is really speaking (the speakers stage); None until it has run.
        via: the relays, nearest the speaker first; ``()`` for first-hand; None until the
            relays stage has run.
        flags: disputed, unverified, hedged, retracted; None until the flags stage has run.
    """

    id: str
    type: AttributionType
    source: Span | None
    cue: Span
    content: Span
    speaker: Speaker | None = None
    via: tuple[Relay, ...] | None = None
    flags: tuple[Flag, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        """Serialise to the JSON contract; fields of stages that have not run are absent."""
        out: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "source": self.source.to_dict() if self.source else None,
            "cue": self.cue.to_dict(),
            "content": self.content.to_dict(),
        }
        if self.speaker is not None:
            out["speaker"] = self.speaker.to_dict()
        if self.via is not None:
            out["via"] = [r.to_dict() for r in self.via]
        if self.flags is not None:
            out["flags"] = [f.to_dict() for f in self.flags]
        return out


Qualifier = Literal["exact", "at_least", "at_most", "about", "more_than", "less_than", "range"]


@dataclass(frozen=True, slots=True)
class Figure:
    """One quantitative claim in the text.

    Attributes:
        text: the figure with its qualifier words, ``doc.text[start:end]``.
        start: offset of the first character (inclusive).
        end: offset after the last character (exclusive).
        value: the number; for a range, its low end; for a vague plural, its reading.
        qualifier: ``exact``, ``at_least``, ``at_most``, ``about``, ``more_than``,
            ``less_than`` or ``range``.
        low: the low end of a range, else None.
        high: the high end of a range, else None.
        what: the thing counted, lower-case surface form ("workers"); ``percent`` or the
            currency's noun ("dollars") for percentages and money; None if nothing fits.
        unit: ``percent``, ``fraction``, a currency code (``USD``, ``GBP``, ``EUR``), or None.
        attribution: id of the innermost attribution whose content contains the figure.
    """

    text: str
    start: int
    end: int
    value: float
    qualifier: Qualifier
    low: float | None = None
    high: float | None = None
    what: str | None = None
    unit: str | None = None
    attribution: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Serialise to the JSON contract."""
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": self.value,
            "qualifier": self.qualifier,
            "low": self.low,
            "high": self.high,
            "what": self.what,
            "unit": self.unit,
            "attribution": self.attribution,
        }


@dataclass(frozen=True, slots=True)
class RawDocument:
    """A document as ingested, before analysis.

    Attributes:
        id: the ``id`` field, otherwise the file name without its extension.
        text: the text to analyse (for HTML, the extracted main text).
        origin: where it came from, for messages: a path, ``path:line`` or ``<stdin>``.
        title: headline, if known.
        outlet: the publishing outlet's name, if known.
        url: canonical URL, if known.
        published: publication date or time as given (ISO 8601 where the source had it).
        metadata: every other field the input carried (JSONL fields, the HTML author).
    """

    id: str
    text: str
    origin: str = ""
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AnalysedDocument:
    """One analysed document: its metadata and everything the stages found in its text."""

    id: str
    text: str
    attributions: tuple[Attribution, ...]
    figures: tuple[Figure, ...] = ()
    assertions: tuple[Assertion, ...] | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text_sha256(self) -> str:
        """Hex SHA-256 of the analysed text (UTF-8): the content id of the analysis."""
        return sha256_text(self.text)

    def to_dict(self, include_text: bool = False) -> dict[str, Any]:
        """Serialise to the JSON contract (``docs/schema.md``)."""
        out: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "url": self.url,
            "published": self.published,
            "text_sha256": self.text_sha256,
            "attributions": [a.to_dict() for a in self.attributions],
            "figures": [f.to_dict() for f in self.figures],
        }
        if self.assertions is not None:
            out["assertions"] = [a.to_dict() for a in self.assertions]
        if self.metadata:
            out["metadata"] = dict(self.metadata)
        if include_text:
            out["text"] = self.text
        return out


@dataclass(frozen=True, slots=True)
class Failure:
    """A document that could not be analysed: the batch reports it and goes on."""

    doc: str
    reason: str

    def __str__(self) -> str:
        return f"{self.doc}: {self.reason}"


def sha256_text(text: str) -> str:
    """Return the hex SHA-256 of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
