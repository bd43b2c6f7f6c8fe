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

from .records import ATTRIBUTION_TYPES, AnalysedDocument, Attribution, Figure, Span

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


QUALIFIER_WORDS: dict[str, str] = {
    "exact": "",
    "at_least": "at least ",
    "at_most": "at most ",
    "about": "about ",
    "more_than": "more than ",
    "less_than": "less than ",
}
"""How a figure's qualifier reads before its value ("about 40%"); a range reads "3–5"."""


def _number(value: float) -> str:
    """A number with thousands separators and no needless ``.0``."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")


def figure_value(figure: Figure) -> str:
    """A figure's reading, for people: "about 1,200", "3–5", "more than 40%"."""
    unit = "%" if figure.unit == "percent" else ""
    code = f" {figure.unit}" if figure.unit and figure.unit not in ("percent", "fraction") else ""
    if figure.qualifier == "range" and figure.low is not None and figure.high is not None:
        number = f"{_number(figure.low)}–{_number(figure.high)}"
    else:
        number = _number(figure.value)
    return f"{QUALIFIER_WORDS.get(figure.qualifier, '')}{number}{unit}{code}"


def figure_reading(figure: Figure) -> str:
    """A figure's value with what it counts: "about 1,200 workers", "80,000,000 GBP"."""
    # For money and percentages ``what`` only repeats the unit ("pounds", "percent").
    shows_what = figure.what and figure.unit in (None, "fraction")
    return f"{figure_value(figure)} {figure.what}" if shows_what else figure_value(figure)


def figure_source(figure: Figure) -> str:
    """Whom a figure is credited to: the attribution id, or "unsourced"."""
    return figure.attribution or "unsourced"


def speaker_label(attribution: Attribution) -> str | None:
    """Who speaks, in words: the speaker's name or description, else the source text."""
    speaker = attribution.speaker
    if speaker is not None and (speaker.name or speaker.description):
        return speaker.name or speaker.description
    return span_display(attribution.source)


def _covered_chars(ranges: Sequence[tuple[int, int]], length: int) -> int:
    """Characters of ``[0, length)`` inside at least one of ``ranges`` (overlaps once)."""
    covered, reach = 0, 0
    for start, end in sorted(ranges):
        start, end = max(start, reach, 0), min(end, length)
        if end > start:
            covered += end - start
            reach = end
    return covered


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """How one article is sourced: who speaks, how statements reached it, what is unsourced.

    Attributes:
        attributions: statements attributed to someone.
        named: statements whose speaker is named (a person, organisation, outlet, ...).
        anonymous: statements whose speaker the article does not name.
        first_hand: statements with no relay (the relays stage found none).
        relayed: statements that reached the article through another outlet or intermediary.
        flagged: statements flagged disputed, unverified, hedged or retracted.
        figures: figures in the text.
        figures_attributed: figures inside some attribution's content.
        assertions: statements the article makes on its own authority.
        unsourced_chars: characters covered by those assertions (overlaps counted once).
        length: characters in the text.
    """

    attributions: int
    named: int
    anonymous: int
    first_hand: int
    relayed: int
    flagged: int
    figures: int
    figures_attributed: int
    assertions: int
    unsourced_chars: int
    length: int

    @classmethod
    def of(cls, doc: AnalysedDocument) -> ArticleSummary:
        """Count one document."""
        speakers = [a.speaker for a in doc.attributions if a.speaker is not None]
        assertions = doc.assertions or ()
        return cls(
            attributions=len(doc.attributions),
            named=sum(not s.anonymous for s in speakers),
            anonymous=sum(s.anonymous for s in speakers),
            first_hand=sum(a.via is not None and not a.via for a in doc.attributions),
            relayed=sum(bool(a.via) for a in doc.attributions),
            flagged=sum(bool(a.flags) for a in doc.attributions),
            figures=len(doc.figures),
            figures_attributed=sum(f.attribution is not None for f in doc.figures),
            assertions=len(assertions),
            unsourced_chars=_covered_chars([(a.start, a.end) for a in assertions], len(doc.text)),
            length=len(doc.text),
        )

    @property
    def figures_unsourced(self) -> int:
        """Figures no attribution covers."""
        return self.figures - self.figures_attributed

    def share(self, count: int) -> str:
        """``count`` as a whole percentage of the attributions; a dash when there are none."""
        return percent(count, self.attributions)

    @property
    def unsourced_share(self) -> str:
        """Share of the text's characters that unsourced assertions cover."""
        return percent(self.unsourced_chars, self.length)


def percent(count: int, total: int) -> str:
    """``count`` as a whole percentage of ``total``; "—" when ``total`` is zero."""
    return f"{round(100 * count / total)}%" if total else "—"
