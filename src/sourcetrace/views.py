"""What the outputs for people show: attribution columns and the run summary.

The terminal table (``table``) and the HTML report (``report``) both read their columns from
``ATTRIBUTION_COLUMNS`` and their totals from ``RunSummary``, so a new column (speaker, relay,
flags) is one more ``Column`` entry and appears in both.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from .records import ATTRIBUTION_TYPES, AnalysedDocument, Attribution, Span

Getter = Callable[[Attribution], str | None]
"""Returns a cell's text, or None when there is nothing to show (rendered as a dash)."""


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an attribution table.

    Attributes:
        header: the short column heading.
        get: the cell text for an attribution; None renders as a dash.
        label: the long name, for tooltips and screen readers; defaults to ``header``.
        min_width: the terminal table never shrinks the column below this many cells.
        max_width: the terminal table never widens it beyond this; None lets it take the
            room that is left.
        align: alignment in the terminal table.
        optional: left out of an article's table when it is empty for every attribution
            (relays and flags are rare; an empty column only takes room).
    """

    header: str
    get: Getter
    label: str = ""
    optional: bool = False
    min_width: int = 4
    max_width: int | None = None
    align: Literal["left", "right"] = "left"

    @property
    def name(self) -> str:
        """The long name of the column."""
        return self.label or self.header


def type_label(attribution_type: str) -> str:
    """Return an attribution type as people read it (``according_to`` -> ``according to``)."""
    return attribution_type.replace("_", " ")


FRAGMENT_JOINER = " … "
"""Shown between the pieces of a discontinuous span (``Span.text`` joins them by a space)."""


def span_display(span: Span | None) -> str | None:
    """Return a span's text for people, its fragments joined by an ellipsis; None for None."""
    if span is None:
        return None
    if not span.fragments:
        return span.text
    pieces, at = [], 0
    for start, end in span.fragments:
        pieces.append(span.text[at : at + end - start])
        at += end - start + 1  # the one space Span.text puts between fragments
    return FRAGMENT_JOINER.join(pieces)


def speaker_display(attribution: Attribution) -> str | None:
    """Who is speaking, for people: "anonymous official", "Nicole Brandt (person)"."""
    speaker = attribution.speaker
    if speaker is None or (speaker.kind == "unknown" and not speaker.name):
        return None
    kind = speaker.kind.replace("_", " ")
    if speaker.anonymous:
        return f"anonymous {kind}"
    return f"{speaker.name} ({kind})" if speaker.name else kind


RELAY_ARROW = " → "
"""Between the hops of a relay chain, nearest the speaker first; parallel relays share a hop."""


def via_display(attribution: Attribution) -> str | None:
    """The relay chain, for people: "Reuters → The Guardian"; None when first-hand."""
    if not attribution.via:
        return None
    hops: dict[int, list[str]] = {}
    for relay in attribution.via:
        hops.setdefault(relay.hop, []).append(relay.name)
    return RELAY_ARROW.join(" + ".join(names) for _, names in sorted(hops.items()))


def flags_display(attribution: Attribution) -> str | None:
    """The flags, for people: "hedged, disputed by the ministry"; None when there are none."""
    if not attribution.flags:
        return None
    return ", ".join(f"{f.kind} by {f.by}" if f.by else f.kind for f in attribution.flags)


ATTRIBUTION_COLUMNS: tuple[Column, ...] = (
    Column("#", lambda a: a.id, label="attribution", min_width=2, max_width=5),
    Column("type", lambda a: type_label(a.type), min_width=6, max_width=12),
    Column("source", lambda a: span_display(a.source), min_width=8, max_width=28),
    Column("speaker", speaker_display, min_width=8, max_width=26, optional=True),
    Column("cue", lambda a: span_display(a.cue), min_width=6, max_width=20),
    Column("via", via_display, label="relayed via", min_width=3, max_width=24, optional=True),
    Column("flags", flags_display, min_width=5, max_width=22, optional=True),
    Column("content", lambda a: span_display(a.content), min_width=12),
)
"""The columns both outputs show, in order."""


def shown_columns(columns: Sequence[Column], attributions: Sequence[Attribution]) -> list[Column]:
    """The columns of one article's table: optional ones only where some cell has content."""
    return [c for c in columns if not c.optional or any(c.get(a) is not None for a in attributions)]


@dataclass(slots=True)
class RunSummary:
    """Totals over the documents of one run, added one document at a time."""

    articles: int = 0
    attributions: int = 0
    no_source: int = 0
    anonymous: int = 0
    relayed: int = 0
    flagged: int = 0
    figures: int = 0
    assertions: int = 0
    by_type: Counter[str] = field(default_factory=Counter)

    def add(self, doc: AnalysedDocument) -> None:
        """Count one document's attributions."""
        self.articles += 1
        self.attributions += len(doc.attributions)
        self.figures += len(doc.figures)
        self.assertions += len(doc.assertions or ())
        for attribution in doc.attributions:
            self.by_type[attribution.type] += 1
            if attribution.source is None:
                self.no_source += 1
            if attribution.speaker is not None and attribution.speaker.anonymous:
                self.anonymous += 1
            if attribution.via:
                self.relayed += 1
            if attribution.flags:
                self.flagged += 1

    def type_counts(self) -> list[tuple[str, int]]:
        """Return ``(type, count)`` for every known type (zeros included), then any others."""
        known = [(t, self.by_type.get(t, 0)) for t in ATTRIBUTION_TYPES]
        others = sorted((t, n) for t, n in self.by_type.items() if t not in ATTRIBUTION_TYPES)
        return known + others

    def share(self, count: int) -> str | None:
        """Return ``count`` as a whole percentage of all attributions; None when there are none."""
        if self.attributions == 0:
            return None
        return f"{round(100 * count / self.attributions)}%"
