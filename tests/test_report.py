"""The HTML report: escaping, exact text under the highlights, valid and self-contained HTML."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest

from sourcetrace.output import open_writer
from sourcetrace.records import AnalysedDocument, Attribution, AttributionType, Span
from sourcetrace.report import HtmlReportWriter, attribution_marks, safe_url, segment_text

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
