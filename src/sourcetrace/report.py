"""A self-contained HTML report of one run: every article with its sources highlighted.

The page carries its CSS inline and loads nothing (no scripts, fonts or images), so it can be
mailed or archived as one file. Article text and metadata go through Jinja2's autoescaping;
URLs from the input become links only when they are http(s).

Highlighting splits the text at every span boundary into segments, each carrying the set of
roles covering it (source, cue, content of an attribution; a figure; an unsourced assertion).
Overlapping, nested and discontinuous spans therefore never break or repeat text: the
segments' texts joined are the article text, and labels and tooltips live in attributes
(shown with CSS), not in the text.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

import jinja2

from . import __version__
from .records import AnalysedDocument, Attribution, Figure
from .views import (
    ATTRIBUTION_COLUMNS,
    RELAY_ARROW,
    ArticleSummary,
    Column,
    RunSummary,
    figure_reading,
    figure_source,
    figure_value,
    shown_columns,
    speaker_label,
    type_label,
)

ROLES: tuple[str, ...] = ("source", "cue", "content")
"""Roles of an attribution's spans, in the order their labels and classes are listed."""

DOCUMENT_ROLES: tuple[str, ...] = ("figure", "assertion")
"""Roles of what the document carries besides attributions: a mark's index then counts
``doc.figures`` or ``doc.assertions``."""

ALL_ROLES = ROLES + DOCUMENT_ROLES

TOOLTIP_CHARS = 240
"""Longest span text quoted in a tooltip; longer ones are cut with an ellipsis (the table
under the article has them in full)."""

_SAFE_SCHEMES = ("http://", "https://")


@dataclass(frozen=True, slots=True)
class Mark:
    """One highlighted piece over ``[start, end)``.

    It is a role of the ``index``-th attribution, or the ``index``-th figure or assertion.
    """

    index: int
    role: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of text between two span boundaries and what covers it.

    Attributes:
        text: the text of the stretch.
        start: its offset in the article text.
        covers: ``(attribution index, role)`` pairs covering the whole stretch, sorted.
        opens: the pairs whose piece begins here (they get a visible label).
        anchors: attributions whose first piece begins here (link targets from the table).
    """

    text: str
    start: int
    covers: tuple[tuple[int, str], ...] = ()
    opens: tuple[tuple[int, str], ...] = ()
    anchors: tuple[int, ...] = ()


def attribution_marks(attributions: Sequence[Attribution], length: int) -> list[Mark]:
    """Return the non-empty pieces of every role of every attribution, clipped to the text.

    Args:
        attributions: the document's attributions; a mark's index is the position here.
        length: the length of the text, to clip offsets to.
    """
    marks = []
    for index, attribution in enumerate(attributions):
        for role in ROLES:
            span = getattr(attribution, role)
            if span is None:
                continue
            for start, end in span.pieces:
                start, end = max(0, start), min(length, end)
                if start < end:
                    marks.append(Mark(index, role, start, end))
    return marks


def document_marks(doc: AnalysedDocument) -> list[Mark]:
    """Every highlighted piece of ``doc``: its attributions, figures and assertions."""
    length = len(doc.text)
    marks = attribution_marks(doc.attributions, length)
    ranges = {
        "figure": [(f.start, f.end) for f in doc.figures],
        "assertion": [(a.start, a.end) for a in doc.assertions or ()],
    }
    for role, pieces in ranges.items():
        for index, (start, end) in enumerate(pieces):
            start, end = max(0, start), min(length, end)
            if start < end:
                marks.append(Mark(index, role, start, end))
    return marks


def segment_text(text: str, marks: Sequence[Mark]) -> list[Segment]:
    """Split ``text`` at every mark boundary into segments that know what covers them.

    A sweep over the sorted boundaries keeps the set of open marks. Neighbouring segments
    with the same cover are merged, so a discontinuous span whose pieces touch reads as one
    highlight. ``"".join(s.text for s in segments) == text`` always holds.
    """
    starts: dict[int, list[Mark]] = defaultdict(list)
    ends: dict[int, list[Mark]] = defaultdict(list)
    first_start: dict[int, int] = {}
    for m in marks:
        starts[m.start].append(m)
        ends[m.end].append(m)
        if m.role in ROLES:
            first_start[m.index] = min(first_start.get(m.index, m.start), m.start)
    anchors_at: dict[int, list[int]] = defaultdict(list)
    for index, offset in sorted(first_start.items()):
        anchors_at[offset].append(index)
    bounds = sorted({0, len(text), *starts, *ends})
    active: Counter[tuple[int, str]] = Counter()
    segments: list[Segment] = []
    for start, end in itertools.pairwise(bounds):
        active.subtract((m.index, m.role) for m in ends.get(start, ()))
        active.update((m.index, m.role) for m in starts.get(start, ()))
        covers = tuple(sorted((k for k, n in active.items() if n > 0), key=_cover_order))
        opens = tuple(sorted({(m.index, m.role) for m in starts.get(start, ())}, key=_cover_order))
        anchors = tuple(anchors_at.get(start, ()))
        if segments and covers == segments[-1].covers and not anchors:
            last = segments[-1]
            segments[-1] = Segment(last.text + text[start:end], last.start, covers, last.opens)
        else:
            segments.append(Segment(text[start:end], start, covers, opens, anchors))
    return segments


def _cover_order(pair: tuple[int, str]) -> tuple[int, int, int]:
    """Sort key: attributions by index then role, then figures, then assertions."""
    index, role = pair
    if role in ROLES:
        return 0, index, ROLES.index(role)
    return ALL_ROLES.index(role), index, 0


def _shorten(text: str, limit: int = TOOLTIP_CHARS) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def safe_url(url: str | None) -> str | None:
    """Return ``url`` when it may be a link (http or https), else None."""
    if url and url.strip().lower().startswith(_SAFE_SCHEMES):
        return url.strip()
    return None


class ArticleView:
    """What the templates need for one article, with ids unique within the page.

    ``templates/article.html.j2`` renders it; the HTML report and the web app's article page
    both use it.
    """

    def __init__(self, doc: AnalysedDocument, number: int, columns: Sequence[Column]) -> None:
        self.doc = doc
        self.key = f"art{number}"
        self.columns = shown_columns(columns, doc.attributions)
        self.url = safe_url(doc.url)
        self.segments = segment_text(doc.text, document_marks(doc))
        self.rows = [[(c, c.get(a)) for c in self.columns] for a in doc.attributions]
        self.assertions = doc.assertions or ()
        self.summary = ArticleSummary.of(doc)
        self._positions = {a.id: i for i, a in enumerate(doc.attributions)}

    @property
    def heading(self) -> str:
        """The title, or the document id when there is none."""
        return self.doc.title or self.doc.id

    def metadata(self) -> Iterator[tuple[str, str]]:
        """``(name, value)`` for the extra metadata fields, values as text."""
        for name, value in self.doc.metadata.items():
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            yield str(name), text

    def row_id(self, index: int) -> str:
        """Id of the table row of the ``index``-th attribution (tooltips describe by it)."""
        return f"{self.key}-row{index + 1}"

    def anchor_id(self, index: int) -> str:
        """Id of the place in the text where the ``index``-th attribution begins."""
        return f"{self.key}-at{index + 1}"

    def anchor_of(self, attribution_id: str) -> str | None:
        """Id of the place in the text where the attribution ``attribution_id`` begins."""
        index = self._positions.get(attribution_id)
        return None if index is None else self.anchor_id(index)

    def item_id(self, role: str, index: int) -> str:
        """Id of the list entry of the ``index``-th figure or assertion."""
        return f"{self.key}-{role}{index + 1}"

    def classes(self, segment: Segment) -> str:
        """CSS classes of a highlighted segment: one per role covering it."""
        roles = {role for _, role in segment.covers}
        return " ".join(f"r-{role}" for role in ALL_ROLES if role in roles)

    def label(self, segment: Segment) -> str:
        """Visible label for the pieces that begin at ``segment``, e.g. ``SOURCE a1``."""
        return " · ".join(self._label(i, role) for i, role in segment.opens)

    def _label(self, index: int, role: str) -> str:
        """Label of one piece: ``CUE a2``, ``FIGURE unsourced``, ``UNSOURCED actor``."""
        if role == "figure":
            return f"FIGURE {figure_source(self.doc.figures[index])}"
        if role == "assertion":
            return f"UNSOURCED {self.assertions[index].reason}"
        return f"{role.upper()} {self.doc.attributions[index].id}"

    def label_role(self, segment: Segment) -> str:
        """The role whose colour the label takes: the first one opening here."""
        return segment.opens[0][1] if segment.opens else ""

    def described_by(self, segment: Segment) -> str:
        """Ids of the table rows and list entries describing what covers ``segment``."""
        ids = [self.row_id(i) for i in _indices(segment)]
        ids += [self.item_id(role, i) for i, role in segment.covers if role in DOCUMENT_ROLES]
        return " ".join(ids)

    def tooltip(self, segment: Segment) -> str:
        """Details of every attribution, figure and assertion covering ``segment``."""
        blocks = []
        for index in _indices(segment):
            roles = ", ".join(role for i, role in segment.covers if i == index)
            lines = [f"this text: {roles}"]
            for column, value in self.rows[index]:
                lines.append(f"{column.name}: {_shorten(value) if value else '—'}")
            blocks.append("\n".join(lines))
        for index, role in segment.covers:
            if role == "figure":
                blocks.append(self._figure_tip(self.doc.figures[index]))
            elif role == "assertion":
                assertion = self.assertions[index]
                blocks.append(
                    f"unsourced assertion ({assertion.reason}): no attribution covers it\n"
                    f"text: {_shorten(assertion.text)}"
                )
        return "\n\n".join(blocks)

    @staticmethod
    def _figure_tip(figure: Figure) -> str:
        """Tooltip block of one figure."""
        return "\n".join(
            [
                f"figure: {_shorten(figure.text)}",
                f"value: {figure_value(figure)}",
                f"qualifier: {type_label(figure.qualifier)}",
                f"what: {figure.what or '—'}",
                f"attributed to: {figure_source(figure)}",
            ]
        )

    def chain(self, attribution: Attribution) -> str:
        """The relay chain from the speaker to the reader: "speaker → A → B + C"."""
        hops: dict[int, list[str]] = defaultdict(list)
        for relay in attribution.via or ():
            hops[relay.hop].append(relay.name)
        names = [" + ".join(hops[hop]) for hop in sorted(hops)]
        return RELAY_ARROW.join([speaker_label(attribution) or "unnamed source", *names])


def _indices(segment: Segment) -> list[int]:
    """The attributions covering ``segment``, in order, each once."""
    return sorted({i for i, role in segment.covers if role in ROLES})


def template_environment(*loaders: jinja2.BaseLoader) -> jinja2.Environment:
    """Return a Jinja2 environment over the packaged templates, escaping everything.

    Args:
        *loaders: loaders searched before the packaged templates (the web app's pages).
    """
    environment = jinja2.Environment(
        loader=jinja2.ChoiceLoader([*loaders, jinja2.PackageLoader("sourcetrace", "templates")]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # The helpers ``article.html.j2`` calls; globals, so imported macros see them too.
    environment.globals.update(
        roles=ROLES,
        figure_reading=figure_reading,
        figure_source=figure_source,
        type_label=type_label,
    )
    return environment


class HtmlReportWriter:
    """Collects analysed documents and writes one self-contained HTML page on ``close``."""

    def __init__(
        self,
        stream: IO[str],
        columns: Sequence[Column] = ATTRIBUTION_COLUMNS,
        title: str = "sourcetrace report",
    ) -> None:
        """Write to ``stream`` when closed.

        Args:
            stream: a text stream; written once, flushed, never closed.
            columns: the attribution columns of each article's table and tooltips.
            title: the page title.
        """
        self.stream = stream
        self.columns = tuple(columns)
        self.title = title
        self.documents: list[AnalysedDocument] = []
        self.summary = RunSummary()

    def write(self, doc: AnalysedDocument) -> None:
        """Keep one document for the report."""
        self.documents.append(doc)
        self.summary.add(doc)

    def close(self) -> None:
        """Render the page with every document kept, write it and flush."""
        self.stream.write(self.render())
        self.stream.flush()

    def render(self) -> str:
        """Return the page as a string."""
        articles = [
            ArticleView(doc, number, self.columns)
            for number, doc in enumerate(self.documents, start=1)
        ]
        context: dict[str, Any] = {
            "title": self.title,
            "version": __version__,
            "summary": self.summary,
            "articles": articles,
            "columns": self.columns,
        }
        return template_environment().get_template("report.html.j2").render(context)
