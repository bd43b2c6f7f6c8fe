"""Quantitative claims: every figure an article states, with what it counts and who says it.

A figure is a number expression with its qualifier words ("more than 4,000", "between 300
and 400", "$3bn", "40 per cent", "dozens"). Reading is a single left-to-right pass over the
tokens, so the cost is linear in the length of the document; each token starts at most one
figure. Dates, times, ordinals, ages in name appositions, labels ("Section 230", "page 3") and
phone numbers are not figures. The words are data (``data/figures.json``), not code.

Readings that are choices, not facts (also noted in the data file):

* vague plurals read as at least two of their unit: "dozens" is ``at_least`` 24, "hundreds"
  ``at_least`` 200, "tens of thousands" ``at_least`` 20,000;
* "nearly" and "almost" read as ``about``: the stated figure is the claim's magnitude;
* "from X to Y" is a change, not a range, and gives two figures;
* fractions ("two-thirds of members", "half of the staff") carry ``unit="fraction"``.
"""

from __future__ import annotations

import functools
import heapq
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from spacy.tokens import Doc

from .docindex import DocIndex, index_of
from .records import Attribution, Figure, Qualifier

FIGURES_FILE = "figures.json"


_NUMERAL = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
_NUMERAL_RE = re.compile(rf"^{_NUMERAL}$")
_SUFFIXED_RE = re.compile(rf"^({_NUMERAL})([a-z]+)$")
_RANGE_TOKEN_RE = re.compile(rf"^({_NUMERAL})[-–—]({_NUMERAL})$")
# North American phone shapes; their digit groups are never counts.
_PHONE_RE = re.compile(
    r"(?:\+?1[ .-])?(?:\([0-9]{3}\)|[0-9]{3})[ .-][0-9]{3}[ .-][0-9]{4}\b|\b[0-9]{3}-[0-9]{4}\b"
)
# Longer digit strings are identifiers (account, case or serial numbers), not counts.
_MAX_DIGITS = 15
# Qualifier phrases are at most this many tokens ("no fewer than", "in excess of").
_MAX_QUALIFIER_TOKENS = 4
# Ages in appositions ("Jane Doe, 42,") fall in this range.
_AGE_RANGE = (1, 120)
# Bare four-digit numbers in this range, modifying no noun, are years.
_YEAR_RANGE = (1000, 2100)
# The thing counted is looked for this many tokens after the figure at most.
_WHAT_WINDOW = 3


@dataclass(frozen=True)
class _Lexicon:
    """The figure words of ``data/figures.json``."""

    units: dict[str, float]
    teens: dict[str, float]
    tens: dict[str, float]
    hundred: dict[str, float]
    scales: dict[str, float]
    dozen: dict[str, float]
    suffix_scales: dict[str, float]
    currency_suffix_scales: dict[str, float]
    vague: dict[str, tuple[float, float]]
    fractions: dict[str, float]
    qualifiers: dict[tuple[str, ...], Qualifier]
    range_open: frozenset[str]
    range_joins: frozenset[str]
    range_joins_after_open: frozenset[str]
    percent_words: tuple[tuple[str, ...], ...]
    currency_symbols: dict[str, str]
    currency_words: tuple[tuple[tuple[str, ...], str], ...]
    currency_what: dict[str, str]
    time_words: frozenset[str]
    label_words: frozenset[str]
    excluded_labels: frozenset[str]


@functools.cache
def _lexicon() -> _Lexicon:
    """Read the figure lexicon (once per process)."""
    raw = json.loads(
        resources.files("sourcetrace").joinpath("data", FIGURES_FILE).read_text("utf-8")
    )
    return _Lexicon(
        units=raw["units"],
        teens=raw["teens"],
        tens=raw["tens"],
        hundred=raw["hundred"],
        scales=raw["scales"],
        dozen=raw["dozen"],
        suffix_scales=raw["suffix_scales"],
        currency_suffix_scales=raw["currency_suffix_scales"],
        vague={k: (float(v[0]), float(v[1])) for k, v in raw["vague_plurals"].items()},
        fractions=raw["fractions"],
        qualifiers={tuple(k.split()): v for k, v in raw["qualifiers"].items()},
        range_open=frozenset(raw["range_open"]),
        range_joins=frozenset(raw["range_joins"]),
        range_joins_after_open=frozenset(raw["range_joins_after_open"]),
        percent_words=tuple(
            sorted((tuple(w.split()) for w in raw["percent_words"]), key=len, reverse=True)
        ),
        currency_symbols=raw["currency_symbols"],
        currency_words=tuple(
            sorted(
                ((tuple(k.split()), v) for k, v in raw["currency_words"].items()),
                key=lambda kv: len(kv[0]),
                reverse=True,
            )
        ),
        currency_what=raw["currency_what"],
        time_words=frozenset(raw["time_words"]),
        label_words=frozenset(raw["label_words"]),
        excluded_labels=frozenset(raw["excluded_entity_labels"]),
    )


@functools.cache
def _starters() -> frozenset[str]:
    """The words besides digits that can open a number expression (see ``_Reader.core``)."""
    lex = _lexicon()
    return frozenset(
        {*lex.units, *lex.teens, *lex.tens, *lex.vague, "a", "an", "one", "half", "halves"}
    )


@dataclass(frozen=True)
class _Core:
    """A bare number expression over tokens ``[start, end)``."""

    start: int
    end: int
    value: float
    scale: float = 1.0
    kind: Literal["numeral", "words", "vague", "fraction", "range"] = "numeral"
    high: float | None = None


class _Reader:
    """One pass over one document's tokens."""

    def __init__(self, index: DocIndex) -> None:
        self.doc = index.doc
        self.lex = _lexicon()
        self.words = [w.lower() for w in index.words]  # ``str.lower``, as the data is written
        self.n = len(self.words)
        self.blocked = _phone_tokens(index)

    def word(self, i: int) -> str:
        """Return the lower-cased token ``i``, or an empty string out of range."""
        return self.words[i] if 0 <= i < self.n else ""

    def matches(self, i: int, phrase: tuple[str, ...]) -> bool:
        """Return whether ``phrase`` occurs at token ``i``."""
        return all(self.word(i + k) == w for k, w in enumerate(phrase))

    # --- number expressions ------------------------------------------------------------

    def core(self, i: int, currency: bool) -> _Core | None:
        """Read the bare number expression starting at token ``i``, if any."""
        found = (
            self.fraction(i)
            or self.range_token(i)
            or self.numeral(i, currency)
            or self.vague(i)
            or self.number_words(i)
        )
        if found is None or found.kind not in ("numeral", "words") or self.word(found.end) != "in":
            return found
        return self.ratio(found) or found

    def ratio(self, part: _Core) -> _Core | None:
        """Read "one in five" as the fraction 0.2."""
        k = part.end + 1
        whole = self.numeral(k, False) or self.number_words(k)
        if whole is None or whole.value <= part.value or self.doc[k].ent_type_ == "DATE":
            return None  # "5 in 2016": the second number is a date, not a whole
        return _Core(part.start, whole.end, part.value / whole.value, kind="fraction")

    def numeral(self, i: int, currency: bool) -> _Core | None:
        """Read digits, optionally with a scale suffix or scale words ("2.5 million")."""
        w = self.word(i)
        scale = 1.0
        suffixes = dict(self.lex.suffix_scales)
        if currency:
            suffixes.update(self.lex.currency_suffix_scales)
        if _NUMERAL_RE.match(w):
            number = w
        else:
            m = _SUFFIXED_RE.match(w)
            if not m or m.group(2) not in suffixes:
                return None
            number, scale = m.group(1), suffixes[m.group(2)]
        value = _numeral_value(number)
        if value is None:
            return None
        j = i + 1
        words = {**self.lex.hundred, **self.lex.scales, **suffixes}
        while self.word(j) in words:
            scale *= words[self.word(j)]
            j += 1
        return _Core(i, j, value * scale, scale)

    def range_token(self, i: int) -> _Core | None:
        """Read a one-token range such as "10–15"."""
        m = _RANGE_TOKEN_RE.match(self.word(i))
        if not m:
            return None
        low, high = _numeral_value(m.group(1)), _numeral_value(m.group(2))
        if low is None or high is None or low >= high:
            return None
        return _Core(i, i + 1, low, kind="range", high=high)

    def vague(self, i: int) -> _Core | None:
        """Read a vague plural: "dozens", "tens of thousands"."""
        if self.word(i) not in self.lex.vague:
            return None
        value = self.lex.vague[self.word(i)][1]
        j = i + 1
        while self.word(j) == "of" and self.word(j + 1) in self.lex.vague:
            value *= self.lex.vague[self.word(j + 1)][0]
            j += 2
        return _Core(i, j, value, kind="vague")

    def fraction(self, i: int) -> _Core | None:
        """Read a fraction of a group: "half of", "a third of", "two-thirds of"."""
        lex, w = self.lex, self.word(i)
        numerator, j = 1.0, i
        if w in ("a", "an", "one") or w in lex.units:
            numerator = lex.units.get(w, 1.0)
            j = i + 2 if self.word(i + 1) == "-" else i + 1
        elif w not in ("half", "halves"):
            return None
        part = self.word(j)
        if part not in lex.fractions or self.word(j + 1) != "of" or numerator <= 0:
            return None
        return _Core(i, j + 1, numerator * lex.fractions[part], kind="fraction")

    def number_words(self, i: int) -> _Core | None:
        """Read spelled-out numbers: "twelve", "twenty-three", "a dozen", "half a million"."""
        lex = self.lex
        total, current, scale, last, j = 0.0, 0.0, 1.0, "", i
        while j < self.n:
            w, nxt = self.word(j), self.word(j + 1)
            multiplier = nxt in lex.scales or nxt in lex.hundred or nxt in lex.dozen
            if w in lex.units or w in lex.teens:
                if last in ("unit", "teen") or (last == "tens" and w in lex.teens):
                    break
                current += lex.units.get(w) or lex.teens.get(w, 0.0)
                last = "teen" if w in lex.teens else "unit"
            elif w in lex.tens:
                if last in ("unit", "teen", "tens"):
                    break
                current, last = current + lex.tens[w], "tens"
            elif w == "-" and last == "tens" and nxt in lex.units:
                pass
            elif w in lex.hundred and last:
                current, last = (current or 1.0) * lex.hundred[w], "hundred"
                scale = lex.hundred[w]
            elif w in lex.scales and last and w.isalpha() and len(w) > 3:
                total, current, last = total + (current or 1.0) * lex.scales[w], 0.0, "scale"
                scale = lex.scales[w]
            elif w in lex.dozen and last in ("a", "unit", "teen", "tens", "half"):
                current, last = (current or 1.0) * lex.dozen[w], "dozen"
            elif w in ("a", "an") and not last and multiplier:
                current, last = 1.0, "a"
            elif w == "half" and not last and (multiplier or self.matches(j + 1, ("a",))):
                current, last = 0.5, "half"
                if nxt == "a":
                    j += 1
            elif (
                w == "and"
                and last in ("hundred", "scale")
                and (nxt in lex.units or nxt in lex.teens or nxt in lex.tens)
            ):
                pass
            else:
                break
            j += 1
        while j > i and self.word(j - 1) in ("and", "-", "a", "an", "half"):
            j -= 1  # a trailing joiner is not part of the number
        value = total + current
        if j == i or value <= 0 or last in ("a", "half"):
            return None
        return _Core(i, j, value, scale=scale, kind="words")

    # --- around the number -------------------------------------------------------------

    def unit_after(self, j: int) -> tuple[str | None, int]:
        """Read a percent or currency word at token ``j``: (unit, token after it)."""
        for phrase in self.lex.percent_words:
            if self.matches(j, phrase):
                return "percent", j + len(phrase)
        for phrase, code in self.lex.currency_words:
            if self.matches(j, phrase):
                return code, j + len(phrase)
        return None, j

    def qualifier_before(self, i: int, floor: int) -> tuple[Qualifier | None, int]:
        """Read the longest qualifier phrase ending before token ``i``, not before ``floor``."""
        for size in range(_MAX_QUALIFIER_TOKENS, 0, -1):
            if i - size < floor:
                continue
            phrase = tuple(self.words[i - size : i])
            if phrase in self.lex.qualifiers:
                return self.lex.qualifiers[phrase], i - size
        return None, i

    # --- what is not a figure ----------------------------------------------------------

    def excluded(self, core: _Core, has_unit: bool) -> bool:
        """Return whether the expression is a date, time, label, age, year, phone or pronoun."""
        doc, lex = self.doc, self.lex
        tokens = range(core.start, core.end)
        if any(k in self.blocked for k in tokens):
            return True
        labels = lex.excluded_labels - ({"ORDINAL"} if core.kind == "fraction" else set())
        if any(doc[k].ent_type_ in labels for k in tokens):
            return True
        if self.word(core.end) in lex.time_words or self.word(core.end) == ":":
            return True
        if core.kind == "words" and core.end - core.start == 1 and self.word(core.start) == "one":
            return self.word(core.end) == "of" or doc[core.start].pos_ == "PRON"
        if core.kind not in ("numeral", "range"):
            return False
        if self.is_label(core):
            return True
        single = core.end - core.start == 1 and not has_unit
        return single and (self.is_age(core) or self.is_year(core))

    def is_label(self, core: _Core) -> bool:
        """Return whether a numeral names something ("Route 66", "Section 230", "page 3")."""
        prev = self.word(core.start - 1)
        if prev in self.lex.label_words:
            return True
        head = self.doc[core.end - 1].head
        return (
            self.doc[core.end - 1].dep_ == "nummod"
            and head.i == core.start - 1
            and head.pos_ in ("NOUN", "PROPN")
        )

    def is_age(self, core: _Core) -> bool:
        """Return whether a numeral is an age after a name: "Jane Doe, 42," or "Doe (42)"."""
        value = core.value
        if not (_AGE_RANGE[0] <= value <= _AGE_RANGE[1]) or core.start < 2:
            return False
        opener, closer = self.word(core.start - 1), self.word(core.end)
        name = self.doc[core.start - 2]
        named = name.pos_ == "PROPN" or name.ent_type_ == "PERSON"
        return named and (
            (opener == "," and closer in (",", ".", ";", "")) or (opener == "(" and closer == ")")
        )

    def is_year(self, core: _Core) -> bool:
        """Return whether a bare four-digit numeral modifying no noun is a year."""
        w = self.word(core.start)
        token = self.doc[core.start]
        return (
            len(w) == 4
            and w.isdigit()
            and _YEAR_RANGE[0] <= core.value <= _YEAR_RANGE[1]
            and not (token.dep_ == "nummod" and token.head.i > token.i)
        )

    # --- what is counted ---------------------------------------------------------------

    def counted(self, last_tokens: tuple[int, ...], end: int) -> str | None:
        """Return the noun a figure counts: its nummod head, its "of" object, or the next noun."""
        doc = self.doc
        for k in last_tokens:
            token = doc[k]
            head = token.head
            if (
                token.dep_ in ("nummod", "quantmod", "amod")
                and head.pos_ in ("NOUN", "PROPN")
                and 0 <= head.i - end < _WHAT_WINDOW
            ):
                return head.text.lower()
        if self.word(end) == "of":
            return self.of_object(end)
        for k in range(end, min(end + _WHAT_WINDOW, self.n)):
            pos = doc[k].pos_
            if pos == "NOUN" and doc[k].dep_ != "compound":
                return doc[k].text.lower()
            if pos not in ("ADJ", "NOUN"):
                break
        return None

    def of_object(self, of: int) -> str | None:
        """Return the noun after "of" ("of the workers"), or None for a pronoun or nothing."""
        for k in range(of + 1, min(of + 1 + _WHAT_WINDOW + 1, self.n)):
            token = self.doc[k]
            if token.pos_ in ("NOUN", "PROPN") and token.dep_ != "compound":
                return token.text.lower()
            if token.pos_ not in ("DET", "ADJ", "NUM", "NOUN", "PROPN"):
                return None
        return None


def _numeral_value(text: str) -> float | None:
    """Parse "4,000" or "2.5"; None for identifiers (leading zeros, too many digits)."""
    digits = text.replace(",", "")
    whole = digits.split(".")[0]
    if len(whole) > _MAX_DIGITS or (len(whole) > 1 and whole.startswith("0")):
        return None
    return float(digits)


def _phone_tokens(index: DocIndex) -> frozenset[int]:
    """Return indices of tokens inside phone-number shapes."""
    spans = [m.span() for m in _PHONE_RE.finditer(index.text)]
    if not spans:
        return frozenset()
    blocked: set[int] = set()
    s = 0
    # tokens and matches are both in text order: one merged walk
    for i, (start, end) in enumerate(zip(index.starts, index.ends, strict=True)):
        while s < len(spans) and spans[s][1] <= start:
            s += 1
        if s < len(spans) and spans[s][0] < end:
            blocked.add(i)
    return frozenset(blocked)


@dataclass
class _Found:
    """A figure before attribution linking."""

    start: int
    end: int
    value: float
    qualifier: Qualifier
    low: float | None
    high: float | None
    what: str | None
    unit: str | None


def _read_figure(reader: _Reader, i: int, floor: int) -> tuple[_Found | None, int]:
    """Read the figure starting at token ``i``: (figure or None, the token to resume at)."""
    lex = reader.lex
    currency = lex.currency_symbols.get(reader.word(i - 1)) if i - 1 >= floor else None
    core = reader.core(i, currency is not None)
    if core is None:
        return None, i + 1
    unit, end = reader.unit_after(core.end)
    unit = unit or currency
    if core.kind == "fraction":
        unit = "fraction"
    low, high = (core.value, core.high) if core.kind == "range" else (None, None)
    last_tokens = [core.end - 1]
    start = i - 1 if currency else i
    qualifier, qual_start = reader.qualifier_before(start, floor)
    opener = reader.word(start - 1) if start - 1 >= floor else ""
    second = _range_end(reader, core, end, opener)
    if second is not None:
        high_core, high_unit, end = second
        low = core.value * (high_core.scale if core.scale == 1.0 else 1.0)
        high = high_core.value
        unit = unit or high_unit
        last_tokens.append(high_core.end - 1)
        if opener in lex.range_open:
            qualifier, qual_start = "range", start - 1
    if reader.excluded(core, unit is not None):
        return None, max(core.end, i + 1)
    if low is not None:
        qualifier = "range"
    elif qualifier is None:
        qualifier = "at_least" if core.kind == "vague" else "exact"
    doc = reader.doc
    what: str | None = None
    if unit == "percent":
        what = "percent"
    elif unit in lex.currency_what:
        what = lex.currency_what[unit]
    else:
        what = reader.counted(tuple(last_tokens), end)
    first = doc[qual_start]
    last = doc[end - 1]
    found = _Found(
        first.idx,
        last.idx + len(last.text),
        low if low is not None else core.value,
        qualifier,
        low,
        high,
        what,
        unit,
    )
    return found, end


def _range_end(
    reader: _Reader, core: _Core, j: int, opener: str
) -> tuple[_Core, str | None, int] | None:
    """Read the high end of "X to Y", "X-Y" or "between X and Y" at token ``j``, if any."""
    lex = reader.lex
    if core.kind not in ("numeral", "words"):
        return None
    join = reader.word(j)
    if join in lex.range_joins_after_open:
        if opener not in lex.range_open:
            return None
    elif join not in lex.range_joins or (join == "to" and opener == "from"):
        return None  # "from X to Y" is a change between two figures, not a range
    k = j + 1
    currency = lex.currency_symbols.get(reader.word(k))
    if currency:
        k += 1
    high = reader.numeral(k, currency is not None) or reader.number_words(k)
    if high is None or reader.excluded(high, True):
        return None
    low = core.value * (high.scale if core.scale == 1.0 else 1.0)
    if low >= high.value or reader.word(high.end) == "-":
        return None  # "5 to 4" is a score; "555-123-" a code
    unit, end = reader.unit_after(high.end)
    return high, unit or currency, end


def _link(found: list[_Found], attributions: Sequence[Attribution]) -> list[str | None]:
    """Give each figure the innermost attribution whose content contains it.

    Figures are in text order and do not overlap, so a content piece ending before one
    figure's end can hold no later figure: a sweep with a heap keyed on piece length.
    """
    pieces = sorted((s, e, a.id) for a in attributions for s, e in a.content.pieces if e > s)
    heap: list[tuple[int, int, str]] = []
    out: list[str | None] = []
    p = 0
    for fig in found:
        while p < len(pieces) and pieces[p][0] <= fig.start:
            s, e, ident = pieces[p]
            heapq.heappush(heap, (e - s, e, ident))
            p += 1
        while heap and heap[0][1] < fig.end:
            heapq.heappop(heap)
        out.append(heap[0][2] if heap else None)
    return out


def extract_figures(
    doc: Doc, attributions: Sequence[Attribution], index: DocIndex | None = None
) -> tuple[Figure, ...]:
    """Find every quantitative claim in a parsed document.

    Args:
        doc: the document, parsed by the sourcetrace pipeline (needs NER, tags and parse).
        attributions: the document's attributions; a figure inside one's content is linked.
        index: the document's shared index (``docindex.DocIndex``); None builds one.

    Returns:
        The figures in text order; ``text == doc.text[start:end]`` for each.
    """
    shared = index_of(doc, index)
    reader = _Reader(shared)
    starters = _starters()
    found: list[_Found] = []
    i = floor = 0
    while i < reader.n:
        word = reader.words[i]
        if word not in starters and not "0" <= word[:1] <= "9":
            i += 1  # no number expression starts here (``_Reader.core`` would find none)
            continue
        fig, nxt = _read_figure(reader, i, floor)
        if fig is not None:
            found.append(fig)
            floor = nxt
        i = max(nxt, i + 1)
    links = _link(found, attributions)
    text = shared.text
    return tuple(
        Figure(
            text[f.start : f.end],
            f.start,
            f.end,
            f.value,
            f.qualifier,
            f.low,
            f.high,
            f.what,
            f.unit,
            link,
        )
        for f, link in zip(found, links, strict=True)
    )
