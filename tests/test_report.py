"""The HTML report: escaping, exact text under the highlights, valid and self-contained HTML."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest

from sourcetrace.output import open_writer
from sourcetrace.records import (
    AnalysedDocument,
    Assertion,
    Attribution,
    AttributionType,
    Figure,
    Flag,
    Relay,
    Span,
    Speaker,
)
from sourcetrace.report import (
    HtmlReportWriter,
    attribution_marks,
    document_marks,
    safe_url,
    segment_text,
)

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Page(HTMLParser):
    """Parses a report: tag balance, every start tag, and the text of each article body."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.bodies: list[str] = []
        self._body_depth: int | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag == "div" and "text" in (attributes.get("class") or "").split():
            self._body_depth = len(self.stack)
            self.bodies.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        if self._body_depth == len(self.stack):
            self._body_depth = None
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._body_depth is not None:
            self.bodies[-1] += data

    def ids(self) -> list[str]:
        return [a["id"] for _, a in self.tags if a.get("id")]  # type: ignore[misc]


def span(text: str, needle: str, occurrence: int = 0) -> Span:
    """The span of the ``occurrence``-th ``needle`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.find(needle, start + 1)
        assert start >= 0, f"{needle!r} not in text"
    return Span.of(text, start, start + len(needle))


def attr(
    text: str,
    ident: str,
    kind: AttributionType,
    source: str | None,
    cue: str,
    content: str | Span,
) -> Attribution:
    """An attribution over the first occurrences of its parts."""
    body = content if isinstance(content, Span) else span(text, content)
    return Attribution(ident, kind, span(text, source) if source else None, span(text, cue), body)


def render(*docs: AnalysedDocument) -> str:
    out = io.StringIO()
    writer = HtmlReportWriter(out)
    for doc in docs:
        writer.write(doc)
    writer.close()
    return out.getvalue()


# Texts written for these tests; each exercises a way spans can sit on one another.
PLAIN = "Nobody was quoted in this short note about the weather.\n\nIt rained."
NESTED = 'The minister called the plan "a gift to speculators," aides said.'
FRAGMENTS = '"We will rebuild," the mayor said on Friday, "and we will do it fast."'
TWO_PARAGRAPHS = (
    '"The vote is close," said Ana Ruiz, the whip. "Closer than we hoped.\n\n'
    'But we count on the rural members," she added. A spokesman said the count was due at noon.'
)
EDGES = '"All of it," she said, "is false."'
HOSTILE = (
    'Posters read <script>alert(1)</script> & <img src=x onerror="alert(2)">. '
    "A resident said <b>\"nothing\"</b> & 'nobody' was hurt."
)


def cases() -> list[AnalysedDocument]:
    """Documents whose highlights overlap, nest, fragment, touch the edges, or carry markup."""
    frag = Span.from_fragments(
        FRAGMENTS,
        [(1, FRAGMENTS.find('"', 1)), (FRAGMENTS.find("and we"), len(FRAGMENTS) - 1)],
    )
    closer = TWO_PARAGRAPHS.find("Closer")
    two = Span.of(TWO_PARAGRAPHS, closer, TWO_PARAGRAPHS.find(',"', closer))
    edge = Span.from_fragments(EDGES, [(0, EDGES.find(" she")), (EDGES.find('"is'), len(EDGES))])
    return [
        AnalysedDocument("plain", PLAIN, ()),
        AnalysedDocument(
            "nested",
            NESTED,
            (
                attr(NESTED, "a1", "mixed", "The minister", "called", 'the plan "a gift to'),
                # overlaps a1's content without nesting in it, and holds a1's whole span
                attr(NESTED, "a2", "indirect", "aides", "said", NESTED[: NESTED.find(" aides")]),
            ),
        ),
        AnalysedDocument(
            "fragments",
            FRAGMENTS,
            (attr(FRAGMENTS, "a1", "direct", "the mayor", "said", frag),),
        ),
        AnalysedDocument(
            "two-paragraphs",
            TWO_PARAGRAPHS,
            (
                attr(TWO_PARAGRAPHS, "a1", "direct", "Ana Ruiz", "said", "The vote is close,"),
                attr(TWO_PARAGRAPHS, "a2", "direct", "she", "added", two),
                attr(TWO_PARAGRAPHS, "a3", "indirect", "A spokesman", "said", "the count was"),
            ),
        ),
        AnalysedDocument(
            "edges", EDGES, (attr(EDGES, "a1", "direct", "she", "said", edge),), title="Edges"
        ),
        AnalysedDocument(
            "hostile",
            HOSTILE,
            (
                attr(HOSTILE, "a1", "other", None, "read", "<script>alert(1)</script>"),
                attr(HOSTILE, "a2", "indirect", "A resident", "said", '<b>"nothing"</b> &'),
            ),
            title="<script>alert('title')</script>",
            outlet='Daily "<i>Bugle</i>"',
            metadata={"author": "<img src=y onerror=alert(3)>", "tags": ["<x>", 1]},
        ),
    ]


@pytest.fixture(scope="module")
def page_html() -> str:
    return render(*cases())


@pytest.fixture(scope="module")
def page(page_html: str) -> Page:
    return Page(page_html)


@pytest.mark.parametrize("doc", cases(), ids=lambda d: d.id)
def test_segments_join_back_to_the_text(doc: AnalysedDocument) -> None:
    segments = segment_text(doc.text, attribution_marks(doc.attributions, len(doc.text)))
    assert "".join(s.text for s in segments) == doc.text
    assert all(s.text for s in segments)
    for seg in segments:
        assert doc.text[seg.start : seg.start + len(seg.text)] == seg.text


@pytest.mark.parametrize("doc", cases(), ids=lambda d: d.id)
def test_stripping_the_markup_gives_back_the_exact_text(doc: AnalysedDocument) -> None:
    assert Page(render(doc)).bodies == [doc.text]


def test_every_article_body_survives_in_one_report(page: Page) -> None:
    assert page.bodies == [doc.text for doc in cases()]


@pytest.mark.parametrize("doc", cases(), ids=lambda d: d.id)
def test_every_piece_opens_a_labelled_segment(doc: AnalysedDocument) -> None:
    marks = attribution_marks(doc.attributions, len(doc.text))
    segments = segment_text(doc.text, marks)
    opened = {(s.start, pair) for s in segments for pair in s.opens}
    assert {(m.start, (m.index, m.role)) for m in marks} == opened


def covers_at(doc: AnalysedDocument, offset: int) -> set[tuple[int, str]]:
    """The (attribution, role) pairs covering the character at ``offset``."""
    segments = segment_text(doc.text, attribution_marks(doc.attributions, len(doc.text)))
    seg = next(s for s in segments if s.start <= offset < s.start + len(s.text))
    return set(seg.covers)


@pytest.mark.parametrize(
    ("doc_id", "needle", "expected"),
    [
        ("nested", "minister", {(0, "source"), (1, "content")}),
        ("nested", "gift", {(0, "content"), (1, "content")}),
        ("nested", "speculators", {(1, "content")}),
        ("nested", "aides", {(1, "source")}),
        ("fragments", "rebuild", {(0, "content")}),
        ("fragments", "mayor", {(0, "source")}),
        ("fragments", "Friday", set()),
        ("fragments", "fast", {(0, "content")}),
        ("two-paragraphs", "But we count", {(1, "content")}),
        ("edges", '"All', {(0, "content")}),
        ("edges", 'false."', {(0, "content")}),
    ],
)
def test_segment_covers(doc_id: str, needle: str, expected: set[tuple[int, str]]) -> None:
    doc = next(d for d in cases() if d.id == doc_id)
    assert covers_at(doc, doc.text.find(needle)) == expected


def test_touching_fragments_merge_and_outside_offsets_are_clipped() -> None:
    text = "one two three"
    marks = attribution_marks(
        [
            Attribution(
                "a1",
                "direct",
                None,
                Span("one", 0, 3),
                Span("two three", 4, 13, ((4, 7), (7, 13))),
            ),
            Attribution("a2", "other", None, Span("", 10, 99), Span("", 12, 12)),
        ],
        len(text),
    )
    segments = segment_text(text, marks)
    assert [s.text for s in segments] == ["one", " ", "two th", "ree"]
    assert segments[-1].covers == ((0, "content"), (1, "cue"))


def test_html_tags_balance(page: Page) -> None:
    assert page.errors == []
    assert page.stack == []


def test_ids_are_unique_and_references_resolve(page: Page) -> None:
    ids = page.ids()
    assert len(ids) == len(set(ids))
    described = [a["aria-describedby"] for _, a in page.tags if a.get("aria-describedby")]
    assert described
    for refs in described:
        assert set(refs.split()) <= set(ids)  # type: ignore[union-attr]
    for _, a in page.tags:
        href = a.get("href") or ""
        if href.startswith("#"):
            assert href[1:] in ids, href


def test_markup_in_the_input_stays_inert(page: Page, page_html: str) -> None:
    assert not [t for t, _ in page.tags if t in ("script", "img", "b", "i", "iframe")]
    assert not any(k.startswith("on") for _, a in page.tags for k in a)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page_html
    assert "&lt;img src=x onerror=" in page_html
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in page_html
    assert "&lt;img src=y onerror=alert(3)&gt;" in page_html


def test_highlights_are_focusable_labelled_and_explained(page: Page, page_html: str) -> None:
    marks = [a for t, a in page.tags if t == "mark" and a.get("data-tip") is not None]
    assert marks and all(a.get("aria-describedby") for a in marks)
    # one tab stop where each piece begins, where its label is
    labelled = [a for a in marks if a.get("data-label")]
    assert labelled and all(a.get("tabindex") == "0" for a in labelled)
    assert all(a.get("tabindex") is None for a in marks if not a.get("data-label"))
    labels = {a.get("data-label") for a in marks}
    assert {"SOURCE a1", "CUE a1", "CONTENT a1"} <= labels
    tips = [a["data-tip"] or "" for a in marks]
    assert any("source: the mayor" in tip and "type: direct" in tip for tip in tips)
    # both attributions covering "gift" are explained there
    gift = [tip for tip in tips if "attribution: a1" in tip and "attribution: a2" in tip]
    assert gift
    for role in ("SOURCE", "CUE", "CONTENT"):
        assert f'data-label="{role}"' in page_html  # the legend


def test_tables_list_every_attribution(page: Page, page_html: str) -> None:
    rows = [a["id"] for t, a in page.tags if t == "tr" and (a.get("id") or "").startswith("art")]
    assert len(rows) == sum(len(d.attributions) for d in cases())
    assert '<td class="c-3">Ana Ruiz</td>' in page_html
    assert "We will rebuild, … and we will do it fast." in page_html


def summary_rows(page_html: str) -> dict[str, list[str]]:
    table = page_html[page_html.index('<table class="counts">') : page_html.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        rows[cells[0]] = cells[1:]
    return rows


def test_summary_at_the_top_counts_the_run(page_html: str) -> None:
    rows = summary_rows(page_html)
    assert rows["articles"] == ["6", ""]
    assert rows["attributions"] == ["9", ""]
    assert rows["direct"] == ["4", "44%"]
    assert rows["indirect"] == ["3", "33%"]
    assert rows["mixed"] == ["1", "11%"]
    assert rows["other"] == ["1", "11%"]
    assert rows["no source named"] == ["1", "11%"]
    assert page_html.index('class="summary"') < page_html.index('class="doc"')


def test_an_empty_run_still_makes_a_valid_page() -> None:
    html = render()
    page = Page(html)
    assert page.errors == [] and page.stack == []
    assert summary_rows(html)["articles"] == ["0", ""]


def test_nothing_is_loaded_from_elsewhere(page: Page, page_html: str) -> None:
    assert not [t for t, _ in page.tags if t in ("link", "script", "iframe", "img", "object")]
    assert not any(a.get("src") for _, a in page.tags)
    lowered = page_html.lower()
    assert "@import" not in lowered
    assert "url(" not in lowered
    assert "http://" not in lowered and "https://" not in lowered
    assert "<style>" in page_html


def test_only_http_links_from_the_data_become_links() -> None:
    text = "A spokesman said the plant would close."
    docs = [
        AnalysedDocument("safe", text, (), url="https://news.example.org/plant"),
        AnalysedDocument("unsafe", text, (), url="javascript:alert(1)"),
    ]
    html = render(*docs)
    hrefs = [a.get("href") for t, a in Page(html).tags if t == "a"]
    assert "https://news.example.org/plant" in hrefs
    assert not any((h or "").startswith("javascript") for h in hrefs)
    assert "javascript:alert(1)" in html  # shown as text


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://a.example/x", "https://a.example/x"),
        (" HTTP://a.example ", "HTTP://a.example"),
        ("javascript:alert(1)", None),
        ("data:text/html,hi", None),
        ("//a.example/x", None),
        (None, None),
    ],
)
def test_safe_url(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


def test_nothing_is_written_before_close_and_everything_after() -> None:
    out = io.StringIO()
    writer = HtmlReportWriter(out)
    for doc in cases():
        writer.write(doc)
    assert out.getvalue() == ""
    writer.close()
    assert Page(out.getvalue()).bodies == [doc.text for doc in cases()]


def test_open_writer_returns_the_report_writer() -> None:
    assert isinstance(open_writer("html", io.StringIO()), HtmlReportWriter)


# Sourcing fields: a named speaker relayed through two hops (the second one parallel), an
# anonymous one with two flags and a script payload in its content, figures and assertions
# that overlap attributions.
SOURCED = (
    "Nadia Okafor, the port director, said about 300 containers were stuck, as reported by "
    "Harbour Wire and later by the Daily Lantern and the Evening Star. An official who asked "
    "not to be named said the backlog was <script>alert(4)</script> reportedly worse, a claim "
    "the ministry rejects. The port handled 1,200 ships last year. Rain closed the eastern quay."
)


def relay(text: str, name: str, hop: int) -> Relay:
    """A relay over the first mention of ``name``."""
    start = text.index(name)
    return Relay(name, "outlet", start, start + len(name), hop)


def assertion(text: str, needle: str, reason: str) -> Assertion:
    """An assertion over the first occurrence of ``needle``."""
    s = span(text, needle)
    return Assertion(s.text, s.start, s.end, reason)


def figure(text: str, needle: str, value: float, what: str, attribution: str | None) -> Figure:
    """A figure over the first occurrence of ``needle``."""
    s = span(text, needle)
    qualifier = "about" if needle.startswith("about") else "exact"
    return Figure(s.text, s.start, s.end, value, qualifier, what=what, attribution=attribution)


def sourced_doc() -> AnalysedDocument:
    """One article carrying every sourcing field."""
    t = SOURCED
    named = attr(t, "a1", "indirect", "Nadia Okafor, the port director", "said", "about 300")
    named = Attribution(
        named.id,
        named.type,
        named.source,
        named.cue,
        span(t, "about 300 containers were stuck"),
        speaker=Speaker("Nadia Okafor", "the port director", "official", False, named.source),
        via=(
            relay(t, "Harbour Wire", 1),
            relay(t, "Daily Lantern", 2),
            relay(t, "Evening Star", 2),
        ),
        flags=(),
    )
    source = span(t, "An official who asked not to be named")
    anonymous = Attribution(
        "a2",
        "indirect",
        source,
        span(t, "said", 1),
        span(t, "the backlog was <script>alert(4)</script> reportedly worse"),
        speaker=Speaker(None, "An official who asked not to be named", "official", True, source),
        via=(),
        flags=(
            Flag("hedged", None, span(t, "reportedly")),
            Flag("disputed", "the ministry", span(t, "a claim the ministry rejects")),
        ),
    )
    return AnalysedDocument(
        "sourced",
        t,
        (named, anonymous),
        figures=(
            figure(t, "about 300", 300, "containers", "a1"),
            figure(t, "1,200", 1200, "ships", None),
        ),
        assertions=(
            assertion(t, "The port handled 1,200 ships last year", "figure"),
            assertion(t, "Rain closed the eastern quay", "causal"),
            # overlaps a1's content and its figure
            assertion(t, "300 containers were stuck, as reported", "actor"),
        ),
        title="Port backlog",
    )


@pytest.fixture(scope="module")
def sourced_html() -> str:
    return render(sourced_doc())


def test_sourced_text_round_trips_and_stays_inert(sourced_html: str) -> None:
    doc = sourced_doc()
    page = Page(sourced_html)
    assert page.errors == [] and page.stack == []
    assert page.bodies == [doc.text]
    segments = segment_text(doc.text, document_marks(doc))
    assert "".join(s.text for s in segments) == doc.text
    assert not [t for t, _ in page.tags if t == "script"]
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in sourced_html


@pytest.mark.parametrize(
    ("needle", "expected"),
    [
        ("about", {(0, "content"), (0, "figure")}),
        ("300", {(0, "content"), (0, "figure"), (2, "assertion")}),
        ("were stuck", {(0, "content"), (2, "assertion")}),
        ("as reported", {(2, "assertion")}),
        ("1,200", {(1, "figure"), (0, "assertion")}),
        ("ships", {(0, "assertion")}),
        ("Rain", {(1, "assertion")}),
        ("eastern", {(1, "assertion")}),
        ("Harbour", set()),
    ],
)
def test_figures_and_assertions_cover_their_text(
    needle: str, expected: set[tuple[int, str]]
) -> None:
    doc = sourced_doc()
    offset = doc.text.index(needle)
    seg = next(
        s
        for s in segment_text(doc.text, document_marks(doc))
        if s.start <= offset < s.start + len(s.text)
    )
    assert set(seg.covers) == expected


def marks_of(html: str) -> list[dict[str, str | None]]:
    return [a for t, a in Page(html).tags if t == "mark" and a.get("data-tip") is not None]


def test_figure_and_assertion_highlights_are_labelled_and_explained(sourced_html: str) -> None:
    marks = marks_of(sourced_html)
    labels = {part for a in marks for part in (a.get("data-label") or "").split(" · ")}
    assert {"FIGURE a1", "FIGURE unsourced", "UNSOURCED figure", "UNSOURCED causal"} <= labels
    assert "CONTENT a1 · FIGURE a1" in {a.get("data-label") for a in marks}
    tips = [a.get("data-tip") or "" for a in marks]
    unsourced = next(t for t in tips if "figure: 1,200" in t)
    assert "value: 1,200 ships" not in unsourced  # value and what are separate lines
    assert "value: 1,200" in unsourced and "what: ships" in unsourced
    assert "attributed to: unsourced" in unsourced
    attributed = next(t for t in tips if "figure: about 300" in t)
    assert "value: about 300" in attributed and "qualifier: about" in attributed
    assert "attributed to: a1" in attributed
    rain = next(t for t in tips if "Rain closed" in t)
    assert "unsourced assertion (causal)" in rain
    # every highlight points at a row or list entry that exists
    ids = set(Page(sourced_html).ids())
    for mark in marks:
        described = (mark.get("aria-describedby") or "").split()
        assert described and set(described) <= ids


def cell_texts(html: str, column: int) -> list[str]:
    """Text of the ``column``-th cell (1-based) of each attribution row, markup removed."""
    rows = re.findall(r'<tr id="art\d+-row\d+">(.*?)</tr>', html)
    cells = [re.findall(r'<td class="c-(\d+)">(.*?)</td>', row) for row in rows]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", text).split())
        for row in cells
        for number, text in row
        if int(number) == column
    ]


def header_cells(html: str) -> list[str]:
    head = re.search(r'<table class="attributions">.*?<thead>(.*?)</thead>', html, re.S)
    assert head
    return re.findall(r"<th[^>]*>(.*?)</th>", head.group(1))


def test_speaker_via_and_flag_cells(sourced_html: str) -> None:
    headers = header_cells(sourced_html)
    assert headers == ["#", "type", "source", "speaker", "cue", "via", "flags", "content"]
    speakers = cell_texts(sourced_html, headers.index("speaker") + 1)
    assert speakers == [
        "named Nadia Okafor (official)",
        "anonymous An official who asked not to be named (official)",
    ]
    via = cell_texts(sourced_html, headers.index("via") + 1)
    assert via[0] == "Nadia Okafor → Harbour Wire → Daily Lantern + Evening Star"
    assert via[1] == "— none"
    flags = cell_texts(sourced_html, headers.index("flags") + 1)
    assert flags == ["— none", "hedged disputed by the ministry"]
    assert 'class="badge b-named">named</span>' in sourced_html
    assert 'class="badge b-anonymous">anonymous</span>' in sourced_html
    assert 'class="badge b-flag b-disputed" title="evidence: a claim the ministry rejects"' in (
        sourced_html
    )


def test_columns_without_sourcing_fields_are_left_out(page_html: str) -> None:
    assert header_cells(page_html) == ["#", "type", "source", "cue", "content"]


def facts(html: str) -> dict[str, list[str]]:
    """The per-article facts table: label -> the cells after it."""
    table = html[html.index('<table class="facts"') :]
    table = table[: table.index("</table>")]
    out = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        for at in range(0, len(cells), 3):
            out[cells[at]] = cells[at + 1 : at + 3]
    return out


def test_article_summary_counts_the_sourcing(sourced_html: str) -> None:
    doc = sourced_doc()
    covered = {i for a in doc.assertions or () for i in range(a.start, a.end)}
    share = f"{round(100 * len(covered) / len(doc.text))}%"
    got = facts(sourced_html)
    assert got["named speakers"] == ["1", "50%"]
    assert got["anonymous speakers"] == ["1", "50%"]
    assert got["first-hand"] == ["1", "50%"]
    assert got["relayed"] == ["1", "50%"]
    assert got["flagged"] == ["1", "50%"]
    assert got["figures"] == ["2", "1 attributed, 1 unsourced"]
    assert got["unsourced assertions"] == ["3", f"{share} of the text"]
    assert got["attributions"] == ["2", ""]


def test_run_summary_counts_the_sourcing(sourced_html: str) -> None:
    rows = summary_rows(render(sourced_doc(), *cases()))
    assert rows["anonymous speaker"] == ["1", "9%"]
    assert rows["relayed"] == ["1", "9%"]
    assert rows["flagged"] == ["1", "9%"]
    assert rows["figures"] == ["2", ""]
    assert rows["unsourced assertions"] == ["3", ""]


def test_figures_and_assertions_are_listed(sourced_html: str) -> None:
    assert '<li id="art1-figure2"><q>1,200</q>' in sourced_html
    entry = re.search(r'<li id="art1-figure1">(.*?)</li>', sourced_html)
    assert entry and 'attributed to <a href="#art1-at1">a1</a>' in entry.group(1)
    assert "about 300 containers" in entry.group(1)
    listed = re.findall(r'<li id="art1-assertion\d+">(.*?)</li>', sourced_html)
    assert listed[1] == '<span class="badge b-unsourced">causal</span> Rain closed the eastern quay'
    assert len(listed) == 3


def test_legend_explains_the_new_highlights(sourced_html: str) -> None:
    for label in ("FIGURE", "UNSOURCED"):
        assert f'data-label="{label}"' in sourced_html
    assert "named</span> or <span" in sourced_html
