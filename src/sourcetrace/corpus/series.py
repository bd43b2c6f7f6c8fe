"""Figures over time: the reported values of each quantity in a story, and where they clash.

A figure's quantity is its counted noun reduced to a lemma and mapped through a small
synonym table (``data/corpus_quantities.json``), so "12 deaths", "12 dead" and "12 people
were killed" share the ``deaths`` series. Points are in time order; a conflict is two
documents giving different values of the same quantity for the same time (the same
publication day, or both undated).
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

from ..records import AnalysedDocument, Attribution, Figure, Span
from .records import Conflict, FigureSeries, SeriesPoint, Story
from .text import words
from .timeline import Timeline

LEXICON_FILE = "corpus_quantities.json"


@dataclass(frozen=True, slots=True)
class QuantityLexicon:
    """The quantity tables (see the file's ``_about``)."""

    synonyms: Mapping[str, str]
    generic: frozenset[str]
    outcomes: Mapping[str, str]
    before_missing: Mapping[str, str]
    after_window: int
    before_window: int
    toll_window: int
    units: frozenset[str] = frozenset()
    increment_after: frozenset[str] = frozenset()
    increment_before: frozenset[str] = frozenset()


@functools.cache
def quantity_lexicon() -> QuantityLexicon:
    """Load the quantity tables shipped with sourcetrace (once per process)."""
    raw = json.loads(
        resources.files("sourcetrace").joinpath("data", LEXICON_FILE).read_text("utf-8")
    )
    return QuantityLexicon(
        synonyms=raw["synonyms"],
        generic=frozenset(raw["generic"]),
        outcomes=raw["outcomes"],
        before_missing=raw["before_missing"],
        after_window=int(raw["after_window"]),
        before_window=int(raw["before_window"]),
        toll_window=int(raw["toll_window"]),
        units=frozenset(raw.get("units", ())),
        increment_after=frozenset(raw.get("increment_after", ())),
        increment_before=frozenset(raw.get("increment_before", ())),
    )


def lemma(word: str) -> str:
    """A lemma-ish form of a lower-case noun, plural endings stripped ("fatalities": "fatality")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def quantity(figure: Figure, text: str) -> str | None:
    """Name the quantity a figure counts, or None when nothing says what it counts.

    Args:
        figure: a figure found in ``text``.
        text: the document text.

    Returns:
        The series key, e.g. ``deaths``, ``injured``, ``percent``, ``dollars``.
    """
    lex = quantity_lexicon()
    what = figure.what.strip().lower() if figure.what else None
    if what and what not in lex.generic and lemma(what) not in lex.generic:
        return lex.synonyms.get(what) or lex.synonyms.get(lemma(what)) or lemma(what)
    after = words(text[figure.end : figure.end + 80])[: lex.after_window]
    before = words(text[max(0, figure.start - 80) : figure.start])
    for word in (*after, *before[-lex.before_window :]):
        if word in lex.outcomes:
            return lex.outcomes[word]
    if what:
        return lemma(what)
    for word in reversed(before[-lex.toll_window :]):
        if word in lex.before_missing:
            return lex.before_missing[word]
    return None


def is_increment(figure: Figure, text: str) -> bool:
    """True when a figure states a change, not a level: "three more bodies", "another two".

    Args:
        figure: a figure found in ``text``.
        text: the document text.

    Returns:
        Whether the word right after the figure or right before it marks an increment.
    """
    lex = quantity_lexicon()
    after = words(text[figure.end : figure.end + 30])[:1]
    before = words(text[max(0, figure.start - 30) : figure.start])[-1:]
    return bool(set(after) & lex.increment_after or set(before) & lex.increment_before)


def can_conflict(what: str) -> bool:
    """Whether different values of a quantity can clash: not a bare unit, not a generic noun.

    "5%" and "9%" in one story, or "70 people" and "150 people", usually measure different
    things; "7 deaths" and "11 deaths" on one day do not.
    """
    lex = quantity_lexicon()
    return what not in lex.units and lemma(what) not in lex.units and what not in lex.generic


def speaker_label(attribution: Attribution | None) -> str | None:
    """Who a figure is attributed to: the speaker's name, else description, else the source text."""
    if attribution is None:
        return None
    speaker = attribution.speaker
    if speaker is not None and (speaker.name or speaker.description):
        return speaker.name or speaker.description
    return attribution.source.text if attribution.source else None


def figure_series(
    story: Story, docs: Sequence[AnalysedDocument], order: Mapping[str, int] | None = None
) -> tuple[FigureSeries, ...]:
    """Group a story's figures into series of the same quantity, in time order, with conflicts.

    Args:
        story: the story; only its documents are read.
        docs: documents (a superset of the story's is fine).
        order: ingest position by document id, for ordering undated documents.

    Returns:
        One series per quantity, ordered by its first point.
    """
    wanted = set(story.documents)
    members = [d for d in docs if d.id in wanted]
    timeline = Timeline.of(members, order)
    points: dict[str, list[SeriesPoint]] = defaultdict(list)
    for doc in members:
        by_id = {a.id: a for a in doc.attributions}
        for figure in doc.figures:
            key = quantity(figure, doc.text)
            if key is None or is_increment(figure, doc.text):
                continue
            attribution = by_id.get(figure.attribution) if figure.attribution else None
            points[key].append(_point(doc, figure, speaker_label(attribution)))
    series = []
    for what, found in points.items():
        found.sort(key=lambda p: (timeline.keys[p.doc], p.span.start))
        clashes = conflicts(found, timeline) if can_conflict(what) else ()
        series.append(FigureSeries(story.id, what, tuple(found), clashes))
    series.sort(key=lambda s: (timeline.keys[s.points[0].doc], s.points[0].span.start, s.what))
    return tuple(series)


def _point(doc: AnalysedDocument, figure: Figure, speaker: str | None) -> SeriesPoint:
    """One series point for a figure of ``doc``."""
    return SeriesPoint(
        value=figure.value,
        qualifier=figure.qualifier,
        low=figure.low,
        high=figure.high,
        doc=doc.id,
        published=doc.published,
        speaker=speaker,
        outlet=doc.outlet,
        span=Span(figure.text, figure.start, figure.end),
    )


def conflicts(points: Sequence[SeriesPoint], timeline: Timeline) -> tuple[Conflict, ...]:
    """Different values from different documents for the same time (day, or both undated).

    Args:
        points: the points of one quantity, in time order.
        timeline: the documents' times.

    Returns:
        One conflict per day (and one for the undated points) where values differ.
    """
    by_day: dict[str | None, list[SeriesPoint]] = defaultdict(list)
    for point in points:
        by_day[timeline.day(point.doc)].append(point)
    found = []
    for day, group in by_day.items():
        if any(_clash(p, q) for i, p in enumerate(group) for q in group[i + 1 :]):
            found.append(Conflict(day, tuple(group)))
    return tuple(found)


def _clash(p: SeriesPoint, q: SeriesPoint) -> bool:
    """Different values from different documents and not from one speaker.

    A document giving two values (a breakdown, a correction) is no clash on its own, and
    one speaker's two values on one day are an update ("rose to nine by evening").
    """
    if p.doc == q.doc or _reading(p) == _reading(q):
        return False
    return not (p.speaker and q.speaker and p.speaker.casefold() == q.speaker.casefold())


def _reading(point: SeriesPoint) -> tuple[float, float | None, float | None]:
    """The value a point states; the qualifier alone ("at least 5" vs "5") is no clash."""
    return (point.value, point.low, point.high)
