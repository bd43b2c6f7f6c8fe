"""Plain-text tables of the corpus step's records, for ``--format table`` on a terminal."""

from __future__ import annotations

from collections.abc import Sequence

from .records import Claim, FigureSeries, OutletEdge, ReusePair, SeriesPoint, Story

_GAP = "  "
_TEXT_WIDTH = 90
"""Characters of a claim's text shown before it is cut with an ellipsis."""


def columns(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned columns under a header, the last column left unpadded.

    Args:
        header: column names.
        rows: cells, one sequence per row.

    Returns:
        The table, one line per row, without a final newline.
    """
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        _GAP.join([c.ljust(w) for c, w in zip(row[:-1], widths, strict=False)] + [row[-1]])
        for row in [header, *rows]
    ]
    return "\n".join(line.rstrip() for line in lines)


def _cut(text: str, width: int = _TEXT_WIDTH) -> str:
    """One line of at most ``width`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def stories_table(stories: Sequence[Story]) -> str:
    """One row per story: id, number of documents, title."""
    rows = [[s.id, str(len(s.documents)), _cut(s.title)] for s in stories]
    return columns(["STORY", "DOCS", "TITLE"], rows)


def claims_table(claims: Sequence[Claim]) -> str:
    """One block per claim: text, origin, sources, echoes and flags."""
    blocks = []
    for c in claims:
        origin = ", ".join(x for x in (c.origin.outlet, c.origin.published) if x)
        lines = [
            f"{c.id}  {_cut(c.text)}",
            f"  story {c.story}; {len(c.mentions)} mention(s); first in {c.origin.doc}"
            + (f" ({origin})" if origin else ""),
            f"  independent sources: {c.independent_sources}; sources: "
            + ("; ".join(c.sources) or "-"),
        ]
        if c.echoes:
            lines.append("  echoes: " + "; ".join(f"{e.doc} {e.how} {e.of}" for e in c.echoes))
        if c.flags:
            lines.append("  flags: " + ", ".join(c.flags))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def series_table(series: Sequence[FigureSeries]) -> str:
    """One block per series: its points in time order, then its conflicts."""
    blocks = []
    for s in series:
        rows = [
            [
                p.published or "undated",
                _value(p),
                p.qualifier,
                p.speaker or "-",
                p.outlet or "-",
                p.doc,
            ]
            for p in s.points
        ]
        block = f"{s.what} (story {s.story})\n" + columns(
            ["PUBLISHED", "VALUE", "QUALIFIER", "SPEAKER", "OUTLET", "DOC"], rows
        )
        for conflict in s.conflicts:
            values = ", ".join(f"{_number(p.value)} ({p.outlet or p.doc})" for p in conflict.points)
            block += f"\n  conflict on {conflict.published or 'undated'}: {values}"
        blocks.append(block)
    return "\n\n".join(blocks)


def reuse_table(pairs: Sequence[ReusePair]) -> str:
    """One row per copy: the copy, the earlier document it copies, the share copied."""
    return columns(["DOC", "COPIES", "SHARE"], [[p.doc, p.copies, f"{p.share:.2f}"] for p in pairs])


def outlets_table(edges: Sequence[OutletEdge]) -> str:
    """One row per outlet pair: who relays or copies whom, with counts."""
    rows = [[e.source, e.target, str(e.relays), str(e.copies)] for e in edges]
    return columns(["OUTLET", "ECHOES", "RELAYS", "COPIES"], rows)


def _value(point: SeriesPoint) -> str:
    """A point's value, or its range."""
    if point.low is not None and point.high is not None:
        return f"{_number(point.low)}-{_number(point.high)}"
    return _number(point.value)


def _number(value: float) -> str:
    """A figure's value without a needless ``.0``."""
    return f"{value:,.0f}" if value == int(value) else f"{value:,}"
