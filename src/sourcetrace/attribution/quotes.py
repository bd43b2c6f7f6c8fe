"""Finding quotations in the text: pairing quotation marks, paragraph by paragraph.

News convention: a quotation that runs over several paragraphs opens every paragraph with
a mark but closes only the last one. A quotation still open at the end of a paragraph
therefore continues when the next paragraph starts with an opening mark, and otherwise
ends with its paragraph. Unbalanced marks never raise: a stray closing mark is ignored and
an unclosed one ends at its paragraph. One left-to-right pass, linear in the text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from .lexicon import Marks, marks
from .ranges import Pieces, Range, normalize

_PARAGRAPH = re.compile(r"[^\n]+")
_OPENING_CONTEXT = "([{—―–-/"
_CLOSING_CONTEXT = ".,;:!?)]}—―–-…"


class Role(Enum):
    """What a quotation mark does here."""

    OPEN = "open"
    CLOSE = "close"
    EITHER = "either"


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation, one piece per paragraph.

    Each piece runs from the opening mark to after the closing mark, or to the end of the
    paragraph when the closing mark is missing (``closed`` is then False).
    """

    pieces: Pieces
    closed: bool

    @property
    def start(self) -> int:
        """Offset of the opening mark."""
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        """Offset after the closing mark (or the last paragraph)."""
        return self.pieces[-1][1]


@dataclass(frozen=True, slots=True)
class _Mark:
    start: int
    end: int
    role: Role
    straight: bool  # an ASCII mark (" '' ``) rather than a typographic one


def paragraphs(text: str) -> list[Range]:
    """Return the non-blank lines of ``text``, stripped, as ranges."""
    out = []
    for match in _PARAGRAPH.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
    return out


def _role_in_context(text: str, start: int, end: int, default: Role) -> Role:
    """Decide whether a mark opens or closes from the characters around it."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    opens = (before.isspace() or before in _OPENING_CONTEXT) and not after.isspace()
    closes = not before.isspace() and (after.isspace() or after in _CLOSING_CONTEXT)
    if opens and not closes:
        return Role.OPEN
    if closes and not opens:
        return Role.CLOSE
    return default


def _mark_pattern(table: Marks) -> re.Pattern[str]:
    """Compile a pattern matching any double quotation mark."""
    return re.compile("|".join(re.escape(m) for m in table.double_marks))


def _marks_in(text: str, span: Range, table: Marks, pattern: re.Pattern[str]) -> list[_Mark]:
    """Return the double quotation marks of one paragraph with their roles."""
    out = []
    for match in pattern.finditer(text, *span):
        glyph = match.group()
        if glyph in table.double_open:
            default = Role.OPEN
        elif glyph in table.double_close:
            default = Role.CLOSE
        else:
            default = Role.EITHER
        role = _role_in_context(text, *match.span(), default)
        out.append(_Mark(match.start(), match.end(), role, glyph in table.double_either))
    return out


class _Pairing:
    """The state of the left-to-right pass of ``find_quotes``."""

    def __init__(self) -> None:
        self.out: list[Quote] = []
        self.done: list[Range] = []  # finished paragraph pieces of the open quotation
        self.open_at: int | None = None
        self.straight = False  # the open quotation's mark family
        self.nested = False  # inside a quotation of the other family ("... “Shark Tank” ...")

    def emit(self, end: int, closed: bool) -> None:
        """Close the open quotation at ``end``."""
        assert self.open_at is not None
        self.out.append(Quote(normalize([*self.done, (self.open_at, end)]), closed))
        self.done, self.open_at, self.nested = [], None, False

    def continue_at(self, mark: _Mark, previous_end: int) -> None:
        """Carry the open quotation into a new paragraph that reopens it."""
        assert self.open_at is not None
        self.done.append((self.open_at, previous_end))
        self.open_at, self.straight, self.nested = mark.start, mark.straight, False

    def feed(self, mark: _Mark) -> None:
        """Read one mark inside a paragraph."""
        if self.open_at is None:
            if mark.role is not Role.CLOSE:
                self.open_at, self.straight = mark.start, mark.straight
            return
        if mark.start <= self.open_at:
            return
        other_family = mark.straight != self.straight
        if other_family and mark.role is Role.OPEN:
            self.nested = True
        elif other_family and self.nested and mark.role is not Role.OPEN:
            self.nested = False
        elif mark.role is not Role.OPEN:
            self.emit(mark.end, closed=True)


def find_quotes(text: str) -> tuple[Quote, ...]:
    """Return the quotations of ``text`` in order (disjoint, top level only).

    A quotation of the other mark family inside an open one (“...” inside "...") is nested
    and belongs to the enclosing quotation, as do single-mark quotations.
    """
    table = marks()
    pattern = _mark_pattern(table)
    state = _Pairing()
    previous_end = 0
    for para in paragraphs(text):
        found = _marks_in(text, para, table, pattern)
        first = 0
        if state.open_at is not None:
            if found and found[0].start == para[0] and found[0].role is not Role.CLOSE:
                state.continue_at(found[0], previous_end)
                first = 1
            else:
                state.emit(previous_end, closed=False)
        for mark in found[first:]:
            state.feed(mark)
        previous_end = para[1]
    if state.open_at is not None:
        state.emit(previous_end, closed=False)
    return tuple(state.out)


def find_single_quotes(text: str) -> list[Range]:
    """Return spans in single curly marks (‘…’) within a paragraph; apostrophes are skipped.

    An opening mark must follow a space or an opening bracket or mark; a closing mark must
    not be followed by a letter (which would make it an apostrophe, as in "it’s").
    """
    table = marks()
    pattern = re.compile("|".join(re.escape(m) for m in table.single_open | table.single_close))
    out: list[Range] = []
    for start, end in paragraphs(text):
        open_at: int | None = None
        for match in pattern.finditer(text, start, end):
            pos = match.start()
            if match.group() in table.single_open and (pos == start or not text[pos - 1].isalnum()):
                open_at = pos
            elif open_at is not None and not (pos + 1 < len(text) and text[pos + 1].isalpha()):
                out.append((open_at, pos + 1))
                open_at = None
    return out


class QuoteIndex:
    """The quotations of one text, with fast lookups by offset."""

    def __init__(self, text: str) -> None:
        """Find the quotations of ``text``."""
        self.text = text
        self.quotes = find_quotes(text)
        self._ends = [q.end for q in self.quotes]
        self.single = find_single_quotes(text)

    def overlapping(self, start: int, end: int) -> Iterator[Quote]:
        """Yield the quotations that overlap ``[start, end)``."""
        i = bisect.bisect_right(self._ends, start)
        while i < len(self.quotes) and self.quotes[i].start < end:
            yield self.quotes[i]
            i += 1

    def containing(self, pos: int) -> Quote | None:
        """Return the quotation whose pieces contain ``pos``, if any."""
        for quote in self.overlapping(pos, pos + 1):
            if any(s <= pos < e for s, e in quote.pieces):
                return quote
        return None

    def closed_containing(self, pos: int) -> Quote | None:
        """Return the properly closed quotation containing ``pos``, if any.

        An unclosed mark may be a typo: it must not swallow the words after it.
        """
        quote = self.containing(pos)
        return quote if quote is not None and quote.closed else None

    def has_single_quote(self, start: int, end: int) -> bool:
        """Return whether a ‘single-quoted’ part lies inside ``[start, end)``."""
        return any(start <= s and e <= end for s, e in self.single)
