"""Unsourced assertions: the writer's own checkable claims, read through the real pipeline."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from sourcetrace.assertions import REASONS, find_assertions
from sourcetrace.attribution.learned import load_extractor
from sourcetrace.figures import extract_figures
from sourcetrace.records import Assertion, Attribution, Span

SOURCING = Path(__file__).resolve().parent / "data" / "sourcing"


def run(nlp: Language, text: str) -> tuple[Assertion, ...]:
    """Parse, extract attributions and figures, then find the assertions."""
    doc = nlp(text)
    attributions = load_extractor()(doc)
    return find_assertions(doc, attributions, extract_figures(doc, attributions))


def check_spans(text: str, found: tuple[Assertion, ...]) -> None:
    """Every assertion is an exact slice of the text, sorted, with a known reason."""
    assert [a.start for a in found] == sorted(a.start for a in found)
    for a in found:
        assert a.text == text[a.start : a.end]
        assert a.text == a.text.strip()
        assert a.reason in REASONS


# (text, [(assertion text, reason), ...]) — every assertion, in order.
CASES = [
    (
        "The council spent £4 million on the new depot.",
        [("The council spent £4 million on the new depot", "figure")],
    ),
    (
        "The coast road closed because the river burst its banks.",
        [("The coast road closed because the river burst its banks", "causal")],
    ),
    (
        "Turnout in the valley was higher than in any earlier vote.",
        [("Turnout in the valley was higher than in any earlier vote", "comparison")],
    ),
    (
        "The museum is now the largest in the region.",
        [("The museum is now the largest in the region", "comparison")],
    ),
    (
        "Northvale Council closed the old pier on Tuesday.",
        [("Northvale Council closed the old pier on Tuesday", "actor")],
    ),
    # Coordinated clauses with their own subjects are separate assertions.
    (
        "Northvale Council hired new wardens, and ticket prices rose by 10 percent.",
        [
            ("Northvale Council hired new wardens", "actor"),
            ("ticket prices rose by 10 percent", "figure"),
        ],
    ),
    # Priority: figure beats causal, causal beats comparison.
    (
        "Sales fell 5 percent because demand weakened.",
        [("Sales fell 5 percent because demand weakened", "figure")],
    ),
    (
        "Prices climbed faster than wages due to the drought.",
        [("Prices climbed faster than wages due to the drought", "causal")],
    ),
    # Scene-setting with nothing to check, a question, a headline fragment: none.
    ("The weather was mild and the streets were quiet.", []),
    ("Will the new depot open on time?", []),
    ("Storm chaos across the northern valleys", []),
    # A quoted sentence nobody is credited with counts only as a full statement.
    ('"Not again."', []),
    # Attributed statements are not the writer's own.
    ("The mayor said the depot would cost £4 million.", []),
    ("According to the council, the depot will cost £4 million.", []),
    # The writer's own note inside an attributed sentence.
    (
        "The minister said the plant would close, "
        "though this has not been confirmed by any other outlet.",
        [("though this has not been confirmed by any other outlet", "actor")],
    ),
    # A paragraph break ends a statement even where the parser runs on.
    (
        "Harbour fees rose by 12 percent last year\n\n"
        "Northvale Council closed the old pier in March",
        [
            ("Harbour fees rose by 12 percent last year", "figure"),
            ("Northvale Council closed the old pier in March", "actor"),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_assertions(nlp: Language, text: str, expected: list[tuple[str, str]]) -> None:
    found = run(nlp, text)
    check_spans(text, found)
    assert [(a.text, a.reason) for a in found] == expected


def attribution(text: str, source: str, cue: str, content: str) -> Attribution:
    """A hand-built indirect attribution over the only occurrences of its phrases."""

    def span(phrase: str) -> Span:
        start = text.index(phrase)
        return Span.of(text, start, start + len(phrase))

    return Attribution("a1", "indirect", span(source), span(cue), span(content))


@pytest.mark.parametrize(
    ("text", "source", "cue", "content", "expected"),
    [
        # The whole attributed sentence is covered; the next one is the writer's.
        (
            "Officials said the bridge cost £9 million. The bridge shut after a storm "
            "damaged its piers.",
            "Officials",
            "said",
            "the bridge cost £9 million",
            [("The bridge shut after a storm damaged its piers", "causal")],
        ),
        # The source and cue between two covered stretches are covered too.
        (
            "The bridge cost £9 million, officials said, more than twice the first estimate.",
            "officials",
            "said",
            "The bridge cost £9 million",
            [("more than twice the first estimate", "comparison")],
        ),
        # A short time tag left over after the cue is no claim.
        (
            "The bridge will reopen in May, officials said on Monday.",
            "officials",
            "said",
            "The bridge will reopen in May",
            [],
        ),
    ],
)
def test_coverage_of_hand_built_attributions(
    nlp: Language, text: str, source: str, cue: str, content: str, expected: list[tuple[str, str]]
) -> None:
    doc = nlp(text)
    attributions = [attribution(text, source, cue, content)]
    found = find_assertions(doc, attributions, extract_figures(doc, attributions))
    check_spans(text, found)
    assert [(a.text, a.reason) for a in found] == expected


def test_empty_and_blank_documents(nlp: Language) -> None:
    assert find_assertions(nlp(""), [], []) == ()
    assert find_assertions(nlp("   \n\n  "), [], []) == ()


@pytest.mark.parametrize(
    "text",
    [
        # Only unsourced statements.
        "Northvale Council closed the pier. " * 150,
        # Thousands of numbers.
        "The tally ran " + ", ".join(str(n) for n in range(2000)) + ". " * 1,
        "Counts: " + " ".join(f"{n} boats." for n in range(1500)),
    ],
    ids=["unsourced", "one-long-list", "many-short-sentences"],
)
def test_bounded_output(nlp: Language, text: str) -> None:
    doc = nlp(text)
    found = find_assertions(doc, [], extract_figures(doc, []))
    check_spans(text, found)
    assert len(found) <= len(list(doc.sents)) * 2
    # Assertions never overlap: at most one per clause.
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


def test_many_attributions_cover_everything(nlp: Language) -> None:
    sentence = "Officials said the pier cost £{n} million. "
    text = "".join(sentence.format(n=n) for n in range(300))
    doc = nlp(text)
    attributions: list[Attribution] = []
    for sent in doc.sents:
        said = sent.start_char + sent.text.index("said")
        attributions.append(
            Attribution(
                f"a{len(attributions) + 1}",
                "indirect",
                Span.of(text, sent.start_char, sent.start_char + len("Officials")),
                Span.of(text, said, said + 4),
                Span.of(text, said + 5, sent.end_char - 1),
            )
        )
    assert find_assertions(doc, attributions, extract_figures(doc, attributions)) == ()


def _gold_attributions(gold: dict[str, Any], text: str) -> list[Attribution]:
    """The gold attributions' source, cue and content spans, as records."""

    def span(item: dict[str, Any], key: str) -> Span | None:
        phrase = item.get(key)
        if not isinstance(phrase, str):
            return None
        start = -1
        for _ in range(item.get(f"{key}_occurrence", 1)):
            start = text.index(phrase, start + 1)
        return Span.of(text, start, start + len(phrase))

    out = []
    for n, item in enumerate(gold["attributions"]):
        content = span(item, "content")
        assert content is not None
        out.append(
            Attribution(
                f"a{n + 1}", "other", span(item, "source"), span(item, "cue") or content, content
            )
        )
    return out


def test_gold_overlap_floor(nlp: Language) -> None:
    """With gold attributions, assertions overlap the gold ones (measured 0.83 P / 0.86 R)."""
    golds = [json.loads(p.read_text("utf-8")) for p in sorted(SOURCING.glob("*.json"))]
    hits_pred = n_pred = hits_gold = n_gold = 0
    docs: list[Doc] = list(nlp.pipe(g["text"] for g in golds))
    for gold, doc in zip(golds, docs, strict=True):
        text = gold["text"]
        attributions = _gold_attributions(gold, text)
        found = find_assertions(doc, attributions, extract_figures(doc, attributions))
        check_spans(text, found)
        spans = []
        for item in gold["assertions"]:
            start = -1
            for _ in range(item.get("occurrence", 1)):
                start = text.index(item["text"], start + 1)
            spans.append((start, start + len(item["text"])))
        n_pred += len(found)
        hits_pred += sum(any(a.start < e and s < a.end for s, e in spans) for a in found)
        n_gold += len(spans)
        hits_gold += sum(any(a.start < e and s < a.end for a in found) for s, e in spans)
    assert hits_pred / n_pred >= 0.75
    assert hits_gold / n_gold >= 0.8
