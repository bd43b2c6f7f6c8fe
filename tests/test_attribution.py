"""The rule-based attribution extractor, run through the real spaCy pipeline.

Every sentence here is written for these tests. Each case gives the text and the expected
attributions as ``(type, source text, cue text, content text)``, in the extractor's order
(by content start, then cue start). A discontinuous span's text is its fragments joined
by one space.
"""

from __future__ import annotations

import time

import pytest
import spacy
from spacy.language import Language

from sourcetrace.attribution import extract_attributions
from sourcetrace.attribution.lexicon import lexicon, marks
from sourcetrace.attribution.quotes import find_quotes
from sourcetrace.errors import ModelError
from sourcetrace.records import ATTRIBUTION_TYPES, Attribution, Span

Expected = tuple[str, str | None, str, str]

DIRECT = [
    pytest.param(
        "“We will rebuild the bridge by spring,” the mayor said.",
        [("direct", "the mayor", "said", "“We will rebuild the bridge by spring,”")],
        id="quote-then-cue",
    ),
    pytest.param(
        "“The budget is balanced,” said Maria Lopez, the city treasurer.",
        [("direct", "Maria Lopez, the city treasurer", "said", "“The budget is balanced,”")],
        id="inverted-cue-with-apposition",
    ),
    pytest.param(
        "The governor said, “Nobody will lose their job.”",
        [("direct", "The governor", "said", "“Nobody will lose their job.”")],
        id="cue-then-quote",
    ),
    pytest.param(
        "“We are ready,” the captain told the crowd.",
        [("direct", "the captain", "told", "“We are ready,”")],
        id="told-with-recipient",
    ),
    pytest.param(
        '"Straight quotes work too," the clerk said.',
        [("direct", "the clerk", "said", '"Straight quotes work too,"')],
        id="straight-marks",
    ),
    pytest.param(
        "''Double apostrophes are used by some archives,'' the editor said.",
        [("direct", "the editor", "said", "''Double apostrophes are used by some archives,''")],
        id="double-apostrophe-marks",
    ),
    pytest.param(
        "“It’s a great day for the city,” said the mayor’s spokeswoman.",
        [("direct", "the mayor’s spokeswoman", "said", "“It’s a great day for the city,”")],
        id="apostrophes-inside-quote",
    ),
]

MULTI_SENTENCE = [
    pytest.param(
        "“The plan is sound,” she said. “It will save money.”",
        [("direct", "she", "said", "“The plan is sound,” “It will save money.”")],
        id="quote-continues-after-cue",
    ),
    pytest.param(
        "“The first phase is finished,” the engineer said, “and the second starts in May.”",
        [
            (
                "direct",
                "the engineer",
                "said",
                "“The first phase is finished,” “and the second starts in May.”",
            )
        ],
        id="quote-interrupted-by-cue",
    ),
    pytest.param(
        "“We will win. We will win big,” the candidate said at the rally.",
        [("direct", "the candidate", "said", "“We will win. We will win big,”")],
        id="two-sentences-in-one-quote",
    ),
    pytest.param(
        "“The river has never been this low,” a farmer said.\n\n"
        "“If it does not rain soon, we will lose the harvest.\n\n"
        "“Some of my neighbours have already sold their land.”",
        [
            (
                "direct",
                "a farmer",
                "said",
                "“The river has never been this low,” “If it does not rain soon, we will lose "
                "the harvest. “Some of my neighbours have already sold their land.”",
            )
        ],
        id="quote-over-paragraphs-without-closing-mark",
    ),
    pytest.param(
        "Nobody expected the vote. The chief of police had his doubts.\n\n"
        "“I do not think this will work,” he said.\n\n"
        "“We tried the same thing ten years ago and it failed.”",
        [
            (
                "direct",
                "he",
                "said",
                "“I do not think this will work,” “We tried the same thing ten years ago and "
                "it failed.”",
            )
        ],
        id="cueless-quote-paragraph-continues-speaker",
    ),
    pytest.param(
        "The treasurer spoke to reporters on Monday. She said:\n\n"
        "“Our reserves are the lowest they have been in a decade.”",
        [
            (
                "direct",
                "She",
                "said:",
                "“Our reserves are the lowest they have been in a decade.”",
            )
        ],
        id="colon-cue-then-quote-paragraph",
    ),
    pytest.param(
        "The senator said:\n\n“We have the votes. We will pass the bill on Friday.”",
        [
            (
                "direct",
                "The senator",
                "said:",
                "“We have the votes. We will pass the bill on Friday.”",
            )
        ],
        id="colon-cue-multi-sentence-quote",
    ),
    pytest.param(
        "The engineer gave her verdict.\n\nShe said.\n\n“The tower is safe.”",
        [("direct", "She", "said", "“The tower is safe.”")],
        id="bare-cue-paragraph-then-quote",
    ),
]

INDIRECT = [
    pytest.param(
        "The coach said the team would play better next week.",
        [("indirect", "The coach", "said", "the team would play better next week")],
        id="said-without-that",
    ),
    pytest.param(
        "The minister said that the new rules would take effect in January.",
        [
            (
                "indirect",
                "The minister",
                "said",
                "that the new rules would take effect in January",
            )
        ],
        id="said-that",
    ),
    pytest.param(
        "Officials told reporters that the road would stay closed.",
        [("indirect", "Officials", "told", "that the road would stay closed")],
        id="told-reporters-that",
    ),
    pytest.param(
        "Many residents believe the factory should close.",
        [("indirect", "Many residents", "believe", "the factory should close")],
        id="believe",
    ),
    pytest.param(
        "The mayor thinks the tunnel is too expensive.",
        [("indirect", "The mayor", "thinks", "the tunnel is too expensive")],
        id="thinks",
    ),
    pytest.param(
        "The union wants to renegotiate the contract.",
        [("indirect", "The union", "wants", "to renegotiate the contract")],
        id="wants-infinitive",
    ),
    pytest.param(
        "She argued that the tax was unfair to small farms.",
        [("indirect", "She", "argued", "that the tax was unfair to small farms")],
        id="argued",
    ),
    pytest.param(
        "The inspector warned that the dam could fail.",
        [("indirect", "The inspector", "warned", "that the dam could fail")],
        id="warned",
    ),
    pytest.param(
        "He pointed out that the budget had doubled.",
        [("indirect", "He", "pointed out", "that the budget had doubled")],
        id="phrasal-cue",
    ),
    pytest.param(
        "She called for an independent inquiry.",
        [("indirect", "She", "called for", "an independent inquiry")],
        id="verb-and-preposition-cue",
    ),
    pytest.param(
        "The report found that nine schools needed new roofs.",
        [("indirect", "The report", "found", "that nine schools needed new roofs")],
        id="document-as-source",
    ),
    pytest.param(
        "The professor, who studies rivers, said the flood was the worst in a century.",
        [
            (
                "indirect",
                "The professor, who studies rivers",
                "said",
                "the flood was the worst in a century",
            )
        ],
        id="source-with-relative-clause",
    ),
    pytest.param(
        "The plant, the manager said, will reopen in June.",
        [("indirect", "the manager", "said", "The plant will reopen in June")],
        id="parenthetical-cue-splits-content",
    ),
    pytest.param(
        "Residents fear that the mill will close, the newspaper reported.",
        [
            (
                "indirect",
                "the newspaper",
                "reported",
                "Residents fear that the mill will close",
            ),
            ("indirect", "Residents", "fear", "that the mill will close"),
        ],
        id="nested-attribution",
    ),
    pytest.param(
        "Mr. Diaz said he hoped the school would stay open.",
        [
            ("indirect", "Mr. Diaz", "said", "he hoped the school would stay open"),
            ("indirect", "he", "hoped", "the school would stay open"),
        ],
        id="nested-belief-with-lemma-fix",
    ),
]

ACCORDING_MIXED_PUNCT = [
    pytest.param(
        "The new road will cost $40 million, according to the transport department.",
        [
            (
                "according_to",
                "the transport department",
                "according to",
                "The new road will cost $40 million",
            )
        ],
        id="according-to-after",
    ),
    pytest.param(
        "According to the report, crime fell by a tenth last year.",
        [("according_to", "the report", "According to", "crime fell by a tenth last year")],
        id="according-to-before",
    ),
    pytest.param(
        "The councillor called the proposal “a complete waste of money.”",
        [
            (
                "mixed",
                "The councillor",
                "called",
                "the proposal “a complete waste of money.”",
            )
        ],
        id="mixed-called-it",
    ),
    pytest.param(
        "He said the decision was “deeply disappointing” for the town.",
        [("mixed", "He", "said", "the decision was “deeply disappointing” for the town")],
        id="mixed-quoted-phrase",
    ),
    pytest.param(
        "Mayor Smith: Bridge Will Reopen Next Month",
        [("other", "Mayor Smith", ":", "Bridge Will Reopen Next Month")],
        id="headline-colon",
    ),
    pytest.param(
        "Fact checkers examined the senator’s claim that crime had doubled.",
        [("other", "the senator", "claim", "that crime had doubled")],
        id="noun-cue-with-possessive-source",
    ),
    pytest.param(
        "“We never gave up hope.” ― Ana Torres",
        [("direct", "Ana Torres", "―", "“We never gave up hope.”")],
        id="dash-then-name",
    ),
    pytest.param(
        "“This is the best season we have had” — coach Dana Reyes said after the game.",
        [("direct", "coach Dana Reyes", "said", "“This is the best season we have had”")],
        id="dash-then-cue-clause",
    ),
]

NEGATIVE = [
    pytest.param("The city bought the said property in 1990.", [], id="said-as-adjective"),
    pytest.param("Said Ahmed arrived in Cairo on Monday.", [], id="said-as-given-name"),
    pytest.param(
        "The bridge was built in 1932 and carries four lanes of traffic.", [], id="plain-fact"
    ),
    pytest.param("Prices rose by four percent in March.", [], id="plain-number"),
    pytest.param("The mayor spoke at length.", [], id="speech-verb-without-content"),
    pytest.param("UPDATE: The meeting has moved to Tuesday.", [], id="label-colon-not-source"),
    pytest.param(
        "The band played “Yesterday” twice.",
        [],
        id="quoted-title-without-cue",
    ),
]

ROBUST = [
    pytest.param(
        "“Unclosed quote from the mayor, she said.",
        [("direct", "she", "said", "“Unclosed quote from the mayor")],
        id="unclosed-mark-ends-at-cue",
    ),
    pytest.param(
        "”Reversed marks still open a quote.” ― A Reader",
        [("direct", "A Reader", "―", "”Reversed marks still open a quote.”")],
        id="closing-glyph-used-as-opening",
    ),
]

CASES = DIRECT + MULTI_SENTENCE + INDIRECT + ACCORDING_MIXED_PUNCT + NEGATIVE + ROBUST


def _summary(attributions: tuple[Attribution, ...]) -> list[Expected]:
    return [
        (a.type, a.source.text if a.source else None, a.cue.text, a.content.text)
        for a in attributions
    ]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_extracts_expected_attributions(nlp: Language, text: str, expected: list[Expected]) -> None:
    assert _summary(extract_attributions(nlp(text))) == expected


PATHOLOGICAL = {
    "only-straight-marks": '"' * 3000,
    "only-curly-marks": "“”‘’" * 1000,
    "random-marks": "“ ” \" ' ‘ ’ ''" * 800,
    "only-punctuation": ".,;:!?—―–-()[]{}…" * 500,
    "emoji": "😀 said “🎉🎉” 👍 — 🙃\n" * 200,
    "said-said": "said " * 3000,
    "quote-said-chain": "“a,” he said. " * 1500,
    "unbalanced": "“He said it would fail, she said “no " * 500,
    "according-chain": "according to according to " * 1000,
    "colons": "Name: claim here\n" * 500 + "X said:\n" * 500,
    "dashes": "“quote” ― Name\n" * 1000,
    "two-hundred-paragraphs": "\n\n".join(
        f"“Paragraph {i} of one long quotation goes on." for i in range(200)
    )
    + "”\n\nThe mayor said so.",
    "control-characters": "He said \x00\x01 “hi” \u200b\ufeff said\r\n\t“x",
    "single-mark": "“",
    "apostrophes": "It’s the people’s choice, ‘he said’ o’clock ’90s ‘tis " * 200,
    "nested-marks": "“She said ‘he said “deep” thing’ and left,” he said. " * 200,
}


@pytest.mark.parametrize("text", list(PATHOLOGICAL.values()), ids=list(PATHOLOGICAL))
def test_pathological_text_is_bounded_and_valid(nlp: Language, text: str) -> None:
    doc = nlp(text)
    started = time.perf_counter()
    attributions = extract_attributions(doc)
    elapsed = time.perf_counter() - started
    # At most one attribution per cue token; and far faster than parsing (no blow-up).
    assert len(attributions) <= len(doc)
    assert elapsed < 10
    _assert_valid(text, attributions)


INVARIANT_TEXTS = [p.values[0] for p in CASES] + [
    "“First,” she said. “Second.” Then he said the plan, in his words, “would fail.”\n\n"
    "According to the clerk, the vote — “a farce,” he called it — was void.",
    "“A” ― B\n“C” ― D\n\nE: F G H\n\nThe panel said:\n\n“I.\n\n“J.”",
]


def _assert_valid(text: str, attributions: tuple[Attribution, ...]) -> None:
    for number, attribution in enumerate(attributions, start=1):
        assert attribution.id == f"a{number}"
        assert attribution.type in ATTRIBUTION_TYPES
        spans: list[Span] = [attribution.cue, attribution.content]
        if attribution.source is not None:
            spans.append(attribution.source)
        for span in spans:
            assert span.text == " ".join(text[s:e] for s, e in span.pieces)
            assert 0 <= span.start < span.end <= len(text)
            if not span.fragments:
                assert span.text == text[span.start : span.end]
            else:
                assert len(span.fragments) >= 2
                assert all(
                    a[1] < b[0] for a, b in zip(span.fragments, span.fragments[1:], strict=False)
                )
    order = [(a.content.start, a.cue.start) for a in attributions]
    assert order == sorted(order)


@pytest.mark.parametrize("text", INVARIANT_TEXTS)
def test_every_span_indexes_the_text(nlp: Language, text: str) -> None:
    _assert_valid(text, extract_attributions(nlp(text)))


def test_interrupted_quote_is_one_discontinuous_span(nlp: Language) -> None:
    text = "“The first phase is finished,” the engineer said, “and the second starts in May.”"
    (attribution,) = extract_attributions(nlp(text))
    first, second = attribution.content.fragments
    assert text[slice(*first)] == "“The first phase is finished,”"
    assert text[slice(*second)] == "“and the second starts in May.”"


@pytest.mark.parametrize("text", ["", "   \n\n\t "])
def test_empty_text_has_no_attributions(nlp: Language, text: str) -> None:
    assert extract_attributions(nlp(text)) == ()


def test_unparsed_doc_is_refused() -> None:
    doc = spacy.blank("en")("The mayor said the bridge would reopen.")
    with pytest.raises(ModelError, match="dependency parse"):
        extract_attributions(doc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“a” and “b”", ["“a”", "“b”"]),
        ("“one\n\n“two”", ["“one | “two”"]),
        ("“open\n\nplain", ["“open"]),
        ("”Reversed.”", ["”Reversed.”"]),
        ('"outer “inner” outer"', ['"outer “inner” outer"']),
        ("stray ” mark and “real”", ["“real”"]),
    ],
    ids=["two", "continued-paragraph", "unclosed", "reversed", "nested-family", "stray-close"],
)
def test_quote_pairing(text: str, expected: list[str]) -> None:
    found = [" | ".join(text[s:e] for s, e in q.pieces) for q in find_quotes(text)]
    assert found == expected


def test_lexicon_is_consistent_and_loaded_once() -> None:
    lex = lexicon()
    assert lex is lexicon()
    assert marks() is marks()
    assert set(lex.verbs.values()) <= set(lex.content_roles)
    assert all(category in lex.content_roles for _, category in lex.particles.values())
    assert ("according", "to") in lex.according
    assert {"say", "tell", "believe", "want"} <= set(lex.verbs)
