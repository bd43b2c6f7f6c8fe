"""A who-said-what table per article, for reading on a terminal.

Each article is written (and flushed) as soon as it arrives: a header with its id, title,
outlet and date, then one row per attribution with the columns of
``views.ATTRIBUTION_COLUMNS``. Cells are kept to one line and shortened with an ellipsis so
that a row fits the terminal width. ``close`` adds a summary over the run.
"""

from __future__ import annotations

import codecs
import re
import shutil
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Literal

from .records import AnalysedDocument
from .views import (
    ATTRIBUTION_COLUMNS,
    ArticleSummary,
    Column,
    RunSummary,
    figure_reading,
    figure_source,
    shown_columns,
    type_label,
)

FALLBACK_WIDTH = 100
"""Width when the output is not a terminal (a file or a pipe) and ``COLUMNS`` is unset."""

MIN_WIDTH = 40
"""Narrowest layout we attempt; below it rows overflow and the terminal wraps them."""

GAP = 2
"""Spaces between columns."""

WORD_CUT = 0.7
"""When shortening a cell, cut at the last space if it keeps at least this share of the room;
otherwise cut mid-word rather than waste most of the cell."""

FLEX_WEIGHT = 2
"""A column without a maximum width yields room as if it were this many times narrower:
chosen so that the content keeps about twice the width of the source on narrow terminals."""

ITEM_TEXT_SHARE = 0.55
"""Share of the width a figure's quoted text may take in the figures list; the rest goes to
its reading and attribution, which are short. Chosen so both fit on an 80-column line."""

_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class _Glyphs:
    """Drawing characters: Unicode, or ASCII for streams that cannot encode it."""

    rule: str
    heavy: str
    ellipsis: str
    dash: str
    dot: str


UNICODE_GLYPHS = _Glyphs(rule="─", heavy="━", ellipsis="…", dash="—", dot="·")
ASCII_GLYPHS = _Glyphs(rule="-", heavy="=", ellipsis="...", dash="-", dot="|")


@dataclass(frozen=True, slots=True)
class _Spec:
    """How one column is laid out (the part of a ``Column`` layout needs)."""

    header: str
    min_width: int = 4
    max_width: int | None = None
    align: Literal["left", "right"] = "left"

    @classmethod
    def of(cls, column: Column) -> _Spec:
        """Layout spec of an attribution column."""
        return cls(column.header, column.min_width, column.max_width, column.align)


_SUMMARY_SPECS = (
    _Spec("", min_width=12),
    _Spec("count", align="right"),
    _Spec("share", align="right"),
)


class TableWriter:
    """Writes a who-said-what table per article, then a run summary on ``close``."""

    def __init__(
        self,
        stream: IO[str],
        columns: Sequence[Column] = ATTRIBUTION_COLUMNS,
        width: int | None = None,
    ) -> None:
        """Write to ``stream``.

        Args:
            stream: a text stream; it is flushed after every article and never closed.
            columns: the attribution columns, in order.
            width: characters per line; None asks the terminal (``COLUMNS``, then the
                terminal size, else ``FALLBACK_WIDTH``).
        """
        self.stream = stream
        self.columns = tuple(columns)
        if width is None:
            width = shutil.get_terminal_size((FALLBACK_WIDTH, 24)).columns
        self.width = max(MIN_WIDTH, width)
        self.encoding = _encoding_of(stream)
        self.glyphs = _glyphs_for(self.encoding)
        self.summary = RunSummary()

    def write(self, doc: AnalysedDocument) -> None:
        """Write one article's header and attribution table, and flush."""
        self.summary.add(doc)
        lines = self._header(doc)
        if doc.attributions:
            columns = shown_columns(self.columns, doc.attributions)
            rows = [[self._cell(c.get(a)) for c in columns] for a in doc.attributions]
            lines += ["", *self._table([_Spec.of(c) for c in columns], rows)]
        lines += self._figures(doc) + self._assertions(doc) + ["", self._sourcing(doc)]
        self._emit(lines)

    def _figures(self, doc: AnalysedDocument) -> list[str]:
        """The figures, one a line: text, reading (with what it counts), attribution."""
        if not doc.figures:
            return []
        room = max(8, int(self.width * ITEM_TEXT_SHARE))
        texts = [self._fit(self._cell(f.text), room) for f in doc.figures]
        pad = max(_width(t) for t in texts)
        lines = ["", f"figures ({len(doc.figures)})"]
        for text, figure in zip(texts, doc.figures, strict=True):
            cells = [_pad(text, pad, "left"), self._cell(figure_reading(figure))]
            line = f"  {f' {self.glyphs.dot} '.join(cells)} {self.glyphs.dot} "
            lines.append(self._fit(line + figure_source(figure), self.width))
        return lines

    def _assertions(self, doc: AnalysedDocument) -> list[str]:
        """The unsourced assertions, one a line: reason, then the text shortened."""
        assertions = doc.assertions or ()
        if not assertions:
            return []
        lines = ["", f"unsourced assertions ({len(assertions)})"]
        for assertion in assertions:
            line = f"  {self._cell(assertion.reason)}: {self._cell(assertion.text)}"
            lines.append(self._fit(line, self.width))
        return lines

    def _sourcing(self, doc: AnalysedDocument) -> str:
        """One line on how the article is sourced: speakers, relays, share of unsourced text."""
        s = ArticleSummary.of(doc)
        dot = f" {self.glyphs.dot} "
        # Kept under 80 columns for two-digit counts; flags are in the table already.
        parts = [
            f"{s.named} named, {s.anonymous} anonymous",
            f"{s.first_hand} first-hand, {s.relayed} relayed",
            f"{s.unsourced_share} unsourced",
        ]
        return self._fit("sourcing: " + dot.join(parts), self.width)

    def close(self) -> None:
        """Write the summary over every article written; the stream stays open."""
        s = self.summary
        dash = self.glyphs.dash
        rows = [
            ["articles", str(s.articles), ""],
            ["attributions", str(s.attributions), ""],
        ]
        rows += [[f"  {type_label(t)}", str(n), s.share(n) or dash] for t, n in s.type_counts()]
        rows.append(["no source named", str(s.no_source), s.share(s.no_source) or dash])
        rows += [
            ["anonymous speaker", str(s.anonymous), s.share(s.anonymous) or dash],
            ["relayed", str(s.relayed), s.share(s.relayed) or dash],
            ["flagged", str(s.flagged), s.share(s.flagged) or dash],
            ["figures", str(s.figures), ""],
            ["unsourced assertions", str(s.assertions), ""],
        ]
        self._emit([self._rule("summary"), *self._table(list(_SUMMARY_SPECS), rows)])

    def _header(self, doc: AnalysedDocument) -> list[str]:
        """Rule with the document id, the title, then outlet, date and count."""
        lines = [self._rule(self._cell(doc.id))]
        if doc.title:
            lines.append(self._fit(self._cell(doc.title), self.width))
        count = len(doc.attributions)
        facts = [doc.outlet, doc.published, f"{count} attribution{'' if count == 1 else 's'}"]
        meta = f" {self.glyphs.dot} ".join(self._cell(f) for f in facts if f)
        lines.append(self._fit(meta, self.width))
        return lines

    def _rule(self, label: str) -> str:
        """A heavy rule across the width with ``label`` near its start."""
        heavy = self.glyphs.heavy
        head = f"{heavy * 2} {self._fit(label, self.width - 8)} "
        return head + heavy * max(2, self.width - _width(head))

    def _table(self, specs: list[_Spec], rows: list[list[str]]) -> list[str]:
        """Header, rule and rows, each column fitted to its width."""
        widths = _fit_widths(specs, rows, self.width)
        rule = [self.glyphs.rule * w for w in widths]
        lines = [self._row([s.header for s in specs], specs, widths), self._join(rule)]
        lines += [self._row(row, specs, widths) for row in rows]
        return lines

    def _row(self, cells: list[str], specs: list[_Spec], widths: list[int]) -> str:
        """One table line: every cell shortened and padded to its column."""
        out = []
        for text, spec, width in zip(cells, specs, widths, strict=True):
            out.append(_pad(self._fit(text, width), width, spec.align))
        return self._join(out)

    def _fit(self, text: str, width: int) -> str:
        """Shorten ``text`` to ``width`` cells with this writer's ellipsis."""
        return _truncate(text, width, self.glyphs.ellipsis)

    def _cell(self, value: str | None) -> str:
        """Cell text: one line, no control characters, encodable; a dash for None."""
        if value is None:
            return self.glyphs.dash
        text = _WHITESPACE.sub(" ", value).strip()
        # Article text could carry terminal escape sequences; never pass them through.
        text = "".join("\ufffd" if unicodedata.category(ch) == "Cc" else ch for ch in text)
        return text.encode(self.encoding, "replace").decode(self.encoding)

    def _join(self, cells: list[str]) -> str:
        """Join cells with the column gap, without trailing spaces."""
        return (" " * GAP).join(cells).rstrip()

    def _emit(self, lines: list[str]) -> None:
        """Write lines plus a blank one, and flush."""
        self.stream.write("\n".join(lines) + "\n\n")
        self.stream.flush()


def _encoding_of(stream: IO[str]) -> str:
    """The stream's encoding, normalised; UTF-8 for streams without one (StringIO)."""
    name = getattr(stream, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "utf-8"


def _glyphs_for(encoding: str) -> _Glyphs:
    """Unicode glyphs when ``encoding`` can write them, else ASCII."""
    g = UNICODE_GLYPHS
    try:
        "".join((g.rule, g.heavy, g.ellipsis, g.dash, g.dot)).encode(encoding)
    except UnicodeEncodeError:
        return ASCII_GLYPHS
    return UNICODE_GLYPHS


def _fit_widths(specs: Sequence[_Spec], rows: Sequence[Sequence[str]], total: int) -> list[int]:
    """Column widths that fit ``total`` cells: natural widths, then shrink the widest first.

    A column without a ``max_width`` (the content) counts as half its width when choosing
    which to shrink: it holds the most text and is the last to be squeezed to a stub.
    """
    natural = []
    for i, spec in enumerate(specs):
        width = max([_width(spec.header), *(_width(row[i]) for row in rows)])
        natural.append(width if spec.max_width is None else min(width, spec.max_width))
    floors = [min(spec.min_width, w) for spec, w in zip(specs, natural, strict=True)]
    flexible = [spec.max_width is None for spec in specs]
    widths = list(natural)
    excess = sum(widths) + GAP * (len(widths) - 1) - total
    while excess > 0:
        shrinkable = [i for i, w in enumerate(widths) if w > floors[i]]
        if not shrinkable:
            break  # too narrow even at the floors: let the terminal wrap
        widest = max(shrinkable, key=lambda i: widths[i] / (FLEX_WEIGHT if flexible[i] else 1))
        widths[widest] -= 1
        excess -= 1
    return widths


def _char_width(ch: str) -> int:
    """Terminal cells one character takes: 0 for combining marks, 2 for wide ones."""
    if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d\ufeff":
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _width(text: str) -> int:
    """Terminal cells ``text`` takes."""
    return sum(_char_width(ch) for ch in text)


def _prefix(text: str, width: int) -> str:
    """The longest start of ``text`` that fits ``width`` cells."""
    used = 0
    for i, ch in enumerate(text):
        used += _char_width(ch)
        if used > width:
            return text[:i]
    return text


def _truncate(text: str, width: int, ellipsis: str) -> str:
    """Shorten ``text`` to ``width`` cells, ending in ``ellipsis``, at a word if it can."""
    if _width(text) <= width:
        return text
    room = width - _width(ellipsis)
    if room < 1:
        return _prefix(text, width)
    cut = _prefix(text, room)
    space = cut.rfind(" ")
    if space >= room * WORD_CUT:
        cut = cut[:space]
    return cut.rstrip() + ellipsis


def _pad(text: str, width: int, align: Literal["left", "right"]) -> str:
    """Pad ``text`` with spaces to ``width`` cells."""
    fill = " " * max(0, width - _width(text))
    return fill + text if align == "right" else text + fill
