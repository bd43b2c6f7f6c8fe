"""The terminal table: rows, truncation to the width, streaming, and the run summary."""

from __future__ import annotations

import io

import pytest

from sourcetrace.output import open_writer
from sourcetrace.records import (
    AnalysedDocument,
    Assertion,
    Attribution,
    AttributionType,
    Figure,
    Flag,
    Qualifier,
    Relay,
    Span,
    Speaker,
)
from sourcetrace.table import TableWriter, _truncate, _width
from sourcetrace.views import ATTRIBUTION_COLUMNS, Column, figure_reading, span_display

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


# Sourcing fields, in our own words: a named speaker relayed by two parallel outlets, an
# anonymous one flagged as unverified, figures and unsourced assertions.
DAM = (
    "Tomas Reyes, the water board chair, told Valley Radio and the Ridge Gazette that the dam "
    "held 40 percent of its capacity. Several engineers said the spillway was cracked, which "
    "could not be independently verified. The dam was built in 1962 and supplies 80,000 homes. "
    "Repairs will cost the county more than $2 million, a sum no one has yet agreed to pay."
)


def sourcing_doc() -> AnalysedDocument:
    """Two attributions with speakers, relays and flags; three figures; two assertions."""
    t = DAM
    a1 = attribution(t, "a1", "indirect", "Tomas Reyes, the water board chair", "told", "the dam")
    a1 = Attribution(
        "a1",
        "indirect",
        a1.source,
        a1.cue,
        span(t, "the dam held 40 percent of its capacity"),
        speaker=Speaker("Tomas Reyes", "the water board chair", "official", False, a1.source),
        via=(
            Relay("Valley Radio", "outlet", t.index("Valley"), t.index(" and the Ridge"), 1),
            Relay("Ridge Gazette", "outlet", t.index("Ridge"), t.index(" that the dam"), 1),
        ),
        flags=(),
    )
    a2 = attribution(t, "a2", "indirect", "Several engineers", "said", "the spillway was cracked")
    evidence = span(t, "could not be independently verified")
    a2 = Attribution(
        "a2",
        "indirect",
        a2.source,
        a2.cue,
        a2.content,
        speaker=Speaker(None, "Several engineers", "group", True, a2.source),
        via=(),
        flags=(Flag("unverified", None, evidence),),
    )

    def fig(needle: str, value: float, qualifier: Qualifier, **extra: str) -> Figure:
        s = span(t, needle)
        return Figure(s.text, s.start, s.end, value, qualifier, **extra)  # type: ignore[arg-type]

    built = span(t, "The dam was built in 1962 and supplies 80,000 homes")
    cost = span(t, "Repairs will cost the county more than $2 million")
    return AnalysedDocument(
        "dam",
        t,
        (a1, a2),
        figures=(
            fig("40 percent", 40, "exact", what="percent", unit="percent", attribution="a1"),
            fig("80,000 homes", 80000, "exact", what="homes"),
            fig("more than $2 million", 2e6, "more_than", what="dollars", unit="USD"),
        ),
        assertions=(
            Assertion(built.text, built.start, built.end, "figure"),
            Assertion(cost.text, cost.start, cost.end, "actor"),
        ),
    )


def block(output: str, heading: str) -> list[str]:
    """The lines under ``heading`` up to the next blank line."""
    lines = output.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(heading))
    rest = lines[at + 1 :]
    return rest[: rest.index("")] if "" in rest else rest


def test_speaker_via_and_flags_columns() -> None:
    output = render([sourcing_doc()], width=200)
    header = next(line for line in output.splitlines() if line.startswith("#"))
    assert header.split() == ["#", "type", "source", "speaker", "cue", "via", "flags", "content"]
    assert "Tomas Reyes (official)" in row_of(output, "a1")
    assert "Valley Radio + Ridge" in row_of(output, "a1")  # the via column is at most 24 wide
    assert "anonymous group" in row_of(output, "a2")
    assert "unverified" in row_of(output, "a2")


def test_figures_list_shows_reading_and_attribution() -> None:
    lines = block(render([sourcing_doc()], width=100), "figures (3)")
    assert [line.split(" · ")[1:] for line in lines] == [
        ["40%", "a1"],
        ["80,000 homes", "unsourced"],
        ["more than 2,000,000 USD", "unsourced"],
    ]
    assert [line.split(" · ")[0].strip() for line in lines] == [
        "40 percent",
        "80,000 homes",
        "more than $2 million",
    ]


def test_unsourced_assertions_list_reason_and_text() -> None:
    lines = block(render([sourcing_doc()], width=100), "unsourced assertions (2)")
    assert lines == [
        "  figure: The dam was built in 1962 and supplies 80,000 homes",
        "  actor: Repairs will cost the county more than $2 million",
    ]
    narrow = block(render([sourcing_doc()], width=40), "unsourced assertions (2)")
    assert narrow[0].startswith("  figure: The dam") and narrow[0].endswith("…")


def test_sourcing_line_counts_speakers_relays_and_unsourced_share() -> None:
    doc = sourcing_doc()
    covered = sum(a.end - a.start for a in doc.assertions or ())  # these two do not overlap
    share = round(100 * covered / len(doc.text))
    line = next(x for x in render([doc]).splitlines() if x.startswith("sourcing:"))
    assert line == (
        f"sourcing: 1 named, 1 anonymous · 1 first-hand, 1 relayed · {share}% unsourced"
    )


def test_sourcing_output_fits_an_80_column_terminal() -> None:
    output = render([sourcing_doc(), ferry_doc()], width=80)
    assert all(_width(line) <= 80 for line in output.splitlines()), output
    assert "figures (3)" in output and "unsourced assertions (2)" in output


def test_articles_without_figures_or_assertions_have_no_lists() -> None:
    output = render([ferry_doc()])
    assert "figures (" not in output and "unsourced assertions (" not in output
    assert "sourcing: 0 named, 0 anonymous" in output


def test_summary_counts_anonymous_relayed_flagged_figures_assertions() -> None:
    counts = summary_counts(render([sourcing_doc(), ferry_doc()]))
    assert counts["attributions"] == ("5",)
    assert counts["anonymous speaker"] == ("1", "20%")
    assert counts["relayed"] == ("1", "20%")
    assert counts["flagged"] == ("1", "20%")
    assert counts["figures"] == ("3",)
    assert counts["unsourced assertions"] == ("2",)


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        (
            Figure("about 1,200 workers", 0, 19, 1200, "about", what="workers"),
            "about 1,200 workers",
        ),
        (Figure("3 to 5 ships", 0, 12, 3, "range", low=3, high=5, what="ships"), "3–5 ships"),
        (Figure("12.5%", 0, 5, 12.5, "exact", what="percent", unit="percent"), "12.5%"),
        (
            Figure("at least £4m", 0, 12, 4e6, "at_least", what="pounds", unit="GBP"),
            "at least 4,000,000 GBP",
        ),
        (Figure("half", 0, 4, 0.5, "exact", unit="fraction"), "0.5"),
    ],
)
def test_figure_reading(figure: Figure, expected: str) -> None:
    assert figure_reading(figure) == expected
