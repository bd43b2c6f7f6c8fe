"""The terminal table: rows, truncation to the width, streaming, and the run summary."""

from __future__ import annotations

import io

import pytest

from sourcetrace.output import open_writer
from sourcetrace.records import AnalysedDocument, Attribution, AttributionType, Span
from sourcetrace.table import TableWriter, _truncate, _width
from sourcetrace.views import ATTRIBUTION_COLUMNS, Column, span_display

# Our own sentences; offsets are found with str.find so the tests never depend on the extractor.
FERRY = (
    "The ferry operator said on Tuesday that winter crossings would be cut by half. "
    '"We simply do not have the crews," said Imogen Varga, its operations chief. '
    "According to the harbour board, bookings fell by a third."
)


def span(text: str, needle: str, occurrence: int = 0) -> Span:
    """The span of the ``occurrence``-th ``needle`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.find(needle, start + 1)
        assert start >= 0, f"{needle!r} not in text"
    return Span.of(text, start, start + len(needle))


def attribution(
    text: str,
    ident: str,
    kind: AttributionType,
    source: str | None,
    cue: str,
    content: str,
) -> Attribution:
    """An attribution over the first occurrences of its parts."""
    src = span(text, source) if source is not None else None
    return Attribution(ident, kind, src, span(text, cue), span(text, content))


def ferry_doc() -> AnalysedDocument:
    """Three attributions of three types, with metadata."""
    attributions = (
        attribution(
            FERRY,
            "a1",
            "indirect",
            "The ferry operator",
            "said",
            "winter crossings would be cut by half",
        ),
        attribution(
            FERRY, "a2", "direct", "Imogen Varga", "said", "We simply do not have the crews,"
        ),
        attribution(
            FERRY,
            "a3",
            "according_to",
            "the harbour board",
            "According to",
            "bookings fell by a third",
        ),
    )
    return AnalysedDocument(
        "ferry-cuts",
        FERRY,
        attributions,
        title="Ferry crossings to be halved this winter",
        outlet="Coastal Courier",
        published="2025-11-03",
    )


def render(docs: list[AnalysedDocument], width: int = 160) -> str:
    """Everything a TableWriter writes for ``docs``, closed."""
    out = io.StringIO()
    writer = TableWriter(out, width=width)
    for doc in docs:
        writer.write(doc)
    writer.close()
    return out.getvalue()


def row_of(output: str, ident: str) -> str:
    """The table line of attribution ``ident``."""
    rows = [line for line in output.splitlines() if line.split()[:1] == [ident]]
    assert len(rows) == 1, output
    return rows[0]


@pytest.mark.parametrize(
    ("ident", "cells"),
    [
        ("a1", ["indirect", "The ferry operator", "said", "winter crossings would be cut by half"]),
        ("a2", ["direct", "Imogen Varga", "said", "We simply do not have the crews,"]),
        ("a3", ["according to", "the harbour board", "According to", "bookings fell by a third"]),
    ],
)
def test_row_shows_type_source_cue_and_content(ident: str, cells: list[str]) -> None:
    line = row_of(render([ferry_doc()]), ident)
    positions = [line.find(cell) for cell in cells]
    assert all(p > 0 for p in positions), line
    assert positions == sorted(positions), "cells out of column order"


def test_header_names_id_title_outlet_and_date() -> None:
    head = render([ferry_doc()]).splitlines()[:3]
    assert "ferry-cuts" in head[0]
    assert head[1] == "Ferry crossings to be halved this winter"
    assert "Coastal Courier" in head[2]
    assert "2025-11-03" in head[2]
    assert "3 attributions" in head[2]


def test_missing_source_shows_a_dash() -> None:
    text = "Shares slid after the report: the quarter was the worst in a decade."
    doc = AnalysedDocument(
        "d", text, (attribution(text, "a1", "other", None, ":", "the quarter was the worst"),)
    )
    cells = row_of(render([doc]), "a1").split()
    assert cells[:3] == ["a1", "other", "—"]


def test_fragments_are_joined_with_an_ellipsis() -> None:
    text = '"Prices will rise," she said, "and soon."'
    first, second = text.find("Prices"), text.find("and soon")
    content = Span.from_fragments(
        text, [(first, text.find('"', first)), (second, text.find('"', second))]
    )
    assert span_display(content) == "Prices will rise, … and soon."
    doc = AnalysedDocument(
        "d", text, (Attribution("a1", "direct", span(text, "she"), span(text, "said"), content),)
    )
    assert "Prices will rise, … and soon." in row_of(render([doc]), "a1")


@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_lines_fit_the_width_and_long_cells_end_in_an_ellipsis(width: int) -> None:
    text = "The inspector said " + "that the old pier had rusted through in many places " * 4
    content_start = text.find("that")
    doc = AnalysedDocument(
        "pier",
        text,
        (
            Attribution(
                "a1",
                "indirect",
                span(text, "The inspector"),
                span(text, "said"),
                Span.of(text, content_start, len(text) - 1),
            ),
        ),
        title="A very long headline about a pier " * 6,
    )
    output = render([doc], width=width)
    assert all(_width(line) <= width for line in output.splitlines()), output
    row = row_of(output, "a1")
    assert row.endswith("…")
    assert row.split()[2].startswith("The")


def test_the_content_keeps_most_of_a_narrow_terminal() -> None:
    text = "Bartholomew Featherstonehaugh-Smythe said the vote " + "was rigged and void " * 8
    doc = AnalysedDocument(
        "d",
        text,
        (
            attribution(
                text,
                "a1",
                "indirect",
                "Bartholomew Featherstonehaugh-Smythe",
                "said",
                text[text.find("the vote") :],
            ),
        ),
    )
    line = row_of(render([doc], width=60), "a1")
    content_cell = line[line.find("the vote") :]
    assert len(content_cell) >= 20, line


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("short", 10, "short"),
        ("abcdefghij", 6, "abcde…"),
        ("the quick brown fox jumps", 17, "the quick brown…"),
        ("the quick brown fox jumps", 15, "the quick brow…"),  # a word cut would waste >30%
        ("unbrokenwordwithoutspaces", 10, "unbrokenw…"),
        ("漢字漢字漢字", 7, "漢字漢…"),
    ],
)
def test_truncate(text: str, width: int, expected: str) -> None:
    assert _truncate(text, width, "…") == expected
    assert _width(_truncate(text, width, "…")) <= width


def test_each_article_is_flushed_when_written() -> None:
    class Recorder(io.StringIO):
        flushed: list[str]

        def flush(self) -> None:
            self.flushed.append(self.getvalue())

    out = Recorder()
    out.flushed = []
    writer = TableWriter(out, width=100)
    writer.write(ferry_doc())
    assert out.flushed and "Imogen Varga" in out.flushed[-1]
    assert "summary" not in out.getvalue()
    writer.close()
    assert "summary" in out.getvalue()


def summary_counts(output: str) -> dict[str, tuple[str, ...]]:
    """The summary block as ``label -> (count[, share])``."""
    block = output[output.index("summary") :].splitlines()[3:]
    counts = {}
    for line in block:
        if not line.strip():
            continue
        words = line.split()
        numeric = [w for w in words if w[0].isdigit() or w == "—"]
        label = " ".join(w for w in words if w not in numeric)
        counts[label] = tuple(numeric)
    return counts


def test_summary_counts_articles_types_and_missing_sources() -> None:
    text = "Rain fell. Officials said the roads were shut. The mayor said: stay home."
    second = AnalysedDocument(
        "rain",
        text,
        (
            attribution(text, "a1", "indirect", "Officials", "said", "the roads were shut"),
            attribution(text, "a2", "direct", None, "said:", "stay home"),
        ),
    )
    empty = AnalysedDocument("blank", "Nothing was said here by anyone.", ())
    counts = summary_counts(render([ferry_doc(), second, empty]))
    assert counts["articles"] == ("3",)
    assert counts["attributions"] == ("5",)
    assert counts["direct"] == ("2", "40%")
    assert counts["indirect"] == ("2", "40%")
    assert counts["according to"] == ("1", "20%")
    assert counts["mixed"] == ("0", "0%")
    assert counts["no source named"] == ("1", "20%")


def test_summary_of_an_empty_run_has_no_shares() -> None:
    counts = summary_counts(render([]))
    assert counts["articles"] == ("0",)
    assert counts["no source named"] == ("0", "—")


def test_terminal_escapes_in_the_text_are_neutralised() -> None:
    text = "Ms Lind said \x1b[2J\x1b[31mthe screen was wiped\x1b[0m."
    doc = AnalysedDocument(
        "esc",
        text,
        (attribution(text, "a1", "indirect", "Ms Lind", "said", "\x1b[2J\x1b[31mthe screen"),),
    )
    output = render([doc])
    assert "\x1b" not in output
    assert "the screen" in row_of(output, "a1")


def test_ascii_streams_get_ascii_drawing() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    writer = TableWriter(stream, width=100)
    text = "Ms Ode said the café would close for good next spring."
    writer.write(
        AnalysedDocument(
            "café",
            text,
            (attribution(text, "a1", "indirect", None, "said", "the café would close"),),
        )
    )
    writer.close()
    output = raw.getvalue().decode("ascii")  # would raise if anything non-ASCII was written
    assert output.startswith("== caf? ==")
    assert row_of(output, "a1").split()[:3] == ["a1", "indirect", "-"]
    assert "the caf? would" in output


def test_columns_are_extensible() -> None:
    extra = Column("chars", lambda a: str(a.content.end - a.content.start), align="right")
    out = io.StringIO()
    writer = TableWriter(out, columns=[*ATTRIBUTION_COLUMNS, extra], width=200)
    writer.write(ferry_doc())
    header = next(line for line in out.getvalue().splitlines() if line.startswith("#"))
    assert header.split() == ["#", "type", "source", "cue", "content", "chars"]
    assert row_of(out.getvalue(), "a3").endswith(str(len("bookings fell by a third")))


def test_open_writer_returns_the_table_writer() -> None:
    assert isinstance(open_writer("table", io.StringIO()), TableWriter)
