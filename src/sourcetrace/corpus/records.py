"""Typed, frozen records of the cross-article step: stories, reuse, claims, figure series.

Like the per-document records, they hold strings and character offsets only, and
``to_dict`` gives the JSON contract of ``sourcetrace stories|claims|figures|reuse|outlets``
(documented in ``docs/corpus.md``). Ids are content hashes, so a rerun over the same
documents gives the same ids.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Literal

from ..records import Relay, Span, Speaker

EchoHow = Literal["cites", "copies"]
ClaimFlag = Literal["single_source", "anonymous_only", "disputed", "contradicted", "undated"]
CLAIM_FLAGS: tuple[ClaimFlag, ...] = (
    "single_source",
    "anonymous_only",
    "disputed",
    "contradicted",
    "undated",
)

ID_LENGTH = 16
"""Hex characters kept of a SHA-256 content id: 64 bits, no collision in any corpus we can hold."""


def content_id(prefix: str, parts: list[str]) -> str:
    """A stable id: ``prefix`` plus the SHA-256 of the sorted ``parts``.

    Args:
        prefix: a short tag naming the kind of thing (``s`` story, ``c`` claim).
        parts: the identifying strings (order does not matter).

    Returns:
        For example ``s-3f2a...`` with ``ID_LENGTH`` hex characters.
    """
    digest = hashlib.sha256("\x1f".join(sorted(parts)).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:ID_LENGTH]}"


@dataclass(frozen=True, slots=True)
class Story:
    """Documents about the same event.

    Attributes:
        id: content id from the sorted document ids.
        title: a representative headline (the earliest document's title, else its first words).
        documents: ids of the member documents, earliest first.
    """

    id: str
    title: str
    documents: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Serialise to the JSON contract."""
        return {"id": self.id, "title": self.title, "documents": list(self.documents)}


@dataclass(frozen=True, slots=True)
class ReusePair:
    """A document that copies text from an earlier one (wire copy, syndication, rewrite).

    Attributes:
        doc: the later document, the copy.
        copies: the earlier document it copies.
        share: fraction of ``doc``'s text found in ``copies`` (0-1).
    """

    doc: str
    copies: str
    share: float

    def to_dict(self) -> dict[str, Any]:
        """Serialise to the JSON contract."""
        return {"doc": self.doc, "copies": self.copies, "share": round(self.share, 4)}


@dataclass(frozen=True, slots=True)
class Mention:
    """One place a claim is stated: an attribution's content, or an unsourced assertion.

    Attributes:
        doc: the document id.
        attribution: the attribution's id, when the statement is attributed.
        assertion: the index of the unsourced assertion in its document, when it is one.
        span: the statement's text and offsets in ``doc``'s text.
        speaker: who said it, when attributed.
        via: the relay chain of the attribution.
        outlet: the document's outlet, if known.
        published: the document's publication time, if known.
    """

    doc: str
    attribution: str | None
    assertion: int | None
    span: Span
    speaker: Speaker | None = None
    via: tuple[Relay, ...] = ()
    outlet: str | None = None
    published: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Serialise to the JSON contract."""
        return {
            "doc": self.doc,
            "attribution": self.attribution,
            "assertion": self.assertion,
            "span": self.span.to_dict(),
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "via": [r.to_dict() for r in self.via],
            "outlet": self.outlet,
            "published": self.published,
        }


@dataclass(frozen=True, slots=True)
class Echo:
    """A mention that adds no source: ``doc`` cites or copies the earlier document ``of``."""

    doc: str
    of: str
    how: EchoHow

    def to_dict(self) -> dict[str, Any]:
        """Serialise to the JSON contract."""
        return {"doc": self.doc, "of": self.of, "how": self.how}


@dataclass(frozen=True, slots=True)
class Origin:
    """The earliest document carrying a claim."""

    doc: str
    outlet: str | None
    published: str | None

    def to_dict(self) -> dict[str, Any]:
        """Serialise to the JSON contract."""
        return {"doc": self.doc, "outlet": self.outlet, "published": self.published}


@dataclass(frozen=True, slots=True)
class Claim:
    """Statements across a story's documents that assert the same thing.

    Attributes:
        id: content id from the mentions.
        story: the story's id.
        text: a representative wording (the origin's mention).
        mentions: every place the claim is stated, earliest first.
        origin: the earliest document carrying it.
        sources: the distinct primary speakers behind it.
        independent_sources: how many first-hand sources stand behind it (echoes add none).
        echoes: mentions that cite or copy an earlier document.
        flags: single_source, anonymous_only, disputed, contradicted, undated.
    """

    id: str
    story: str
    text: str
    mentions: tuple[Mention, ...]
    origin: Origin
    sources: tuple[str, ...]
    independent_sources: int
    echoes: tuple[Echo, ...] = ()
    flags: tuple[ClaimFlag, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Serialise to the JSON contract."""
        return {
            "id": self.id,
            "story": self.story,
            "text": self.text,
            "mentions": [m.to_dict() for m in self.mentions],
            "origin": self.origin.to_dict(),
            "sources": list(self.sources),
            "independent_sources": self.independent_sources,
            "echoes": [e.to_dict() for e in self.echoes],
            "flags": list(self.flags),
        }


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """One reported value of a quantity in a story.

    Attributes:
        value: the number (the low end for a range).
        qualifier: exact, at_least, at_most, about, more_than, less_than or range.
        low: a range's low end, else None.
        high: a range's high end, else None.
        doc: the document reporting it.
        published: the document's publication time, if known.
        speaker: who it is attributed to (name or description), None when unsourced.
        outlet: the document's outlet, if known.
        span: the figure's text and offsets in ``doc``.
    """

    value: float
    qualifier: str
    low: float | None
    high: float | None
    doc: str
    published: str | None
    speaker: str | None
    outlet: str | None
    span: Span

    def to_dict(self) -> dict[str, Any]:
        """Serialise to the JSON contract."""
        return {
            "value": self.value,
            "qualifier": self.qualifier,
            "low": self.low,
            "high": self.high,
            "doc": self.doc,
            "published": self.published,
            "speaker": self.speaker,
            "outlet": self.outlet,
            "span": self.span.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Conflict:
    """Different values of the same quantity reported for the same time."""

    published: str | None
    points: tuple[SeriesPoint, ...]

    def to_dict(self) -> dict[str, Any]:
        """Serialise to the JSON contract."""
        return {"published": self.published, "points": [p.to_dict() for p in self.points]}


@dataclass(frozen=True, slots=True)
class FigureSeries:
    """The reported values of one quantity ("people killed") in one story, in time order."""

    story: str
    what: str
    points: tuple[SeriesPoint, ...]
    conflicts: tuple[Conflict, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Serialise to the JSON contract."""
        return {
            "story": self.story,
            "what": self.what,
            "points": [p.to_dict() for p in self.points],
            "conflicts": [c.to_dict() for c in self.conflicts],
        }


@dataclass(frozen=True, slots=True)
class OutletEdge:
    """``source`` outlet's documents relay (cite) or copy ``target`` outlet's, with counts."""

    source: str
    target: str
    relays: int
    copies: int

    def to_dict(self) -> dict[str, Any]:
        """Serialise to the JSON contract."""
        return {
            "source": self.source,
            "target": self.target,
            "relays": self.relays,
            "copies": self.copies,
        }


@dataclass(frozen=True, slots=True)
class CorpusResult:
    """Everything the cross-article step found in a corpus (``corpus.build.link``)."""

    stories: tuple[Story, ...]
    reuse: tuple[ReusePair, ...]
    claims: tuple[Claim, ...]
    series: tuple[FigureSeries, ...]
    outlet_edges: tuple[OutletEdge, ...]
