"""The whole pipeline on hostile articles: correct, bounded output and valid records."""

from __future__ import annotations

import jsonschema
import pytest

from sourcetrace.pipeline import Analyzer
from sourcetrace.records import AnalysedDocument, RawDocument
from sourcetrace.schema import document_schema
from sourcetrace.settings import AnalysisSettings

OUTLETS = ["Reuters", "the BBC", "CNN", "Politico", "The Hill", "NPR", "Axios", "Bloomberg"]

CASES = {
    "no-attributions": (
        "The library on Mill Street reopened on Monday after a two-year renovation. "
        "Its reading room now seats 120 people and the roof no longer leaks."
    ),
    "only-unsourced": "\n\n".join(
        f"The council spent {n} thousand pounds on road repairs in ward {n} last year."
        for n in range(1, 40)
    ),
    "unbalanced-quotes": (
        'The mayor said "the bridge will reopen in May. Nobody expects delays.\n\n'
        "“Traffic will ease,” she added, “once the lanes are open.\n\n"
        'Critics said the date was "optimistic and the budget" was" not enough.'
    ),
    "thousands-of-numbers": "Quarterly figures: "
    + " ".join(str(100 + (k * 37) % 900) for k in range(4000))
    + ".",
    "two-hundred-relays": "Officials said the talks had stalled, according to "
    + ", ".join(OUTLETS[k % len(OUTLETS)] for k in range(200))
    + " and other outlets.",
}


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(AnalysisSettings())


def _check_offsets(doc: AnalysedDocument) -> None:
    for a in doc.attributions:
        for span in (a.source, a.cue, a.content):
            if span is not None:
                assert span.text == " ".join(doc.text[s:e] for s, e in span.pieces)
        for flag in a.flags or ():
            assert flag.evidence.text == " ".join(doc.text[s:e] for s, e in flag.evidence.pieces)
        for relay in a.via or ():
            assert 0 <= relay.start < relay.end <= len(doc.text)
    for item in (*doc.figures, *(doc.assertions or ())):
        assert doc.text[item.start : item.end] == item.text


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_articles_give_valid_bounded_output(analyzer: Analyzer, name: str) -> None:
    text = CASES[name]
    doc = analyzer.analyze(RawDocument(id=name, text=text, origin=name))
    jsonschema.validate(doc.to_dict(), document_schema())
    _check_offsets(doc)
    numbers = sum(ch.isdigit() for ch in text)
    assert len(doc.figures) <= numbers  # at most one figure per digit
    assert len(doc.attributions) <= text.count(" ") + 1
    for a in doc.attributions:
        assert a.speaker is not None and a.via is not None and a.flags is not None
        assert len(a.via) <= 8


def test_an_article_without_attributions_is_all_unsourced(analyzer: Analyzer) -> None:
    text = CASES["no-attributions"]
    doc = analyzer.analyze(RawDocument(id="plain", text=text, origin="plain"))
    assert doc.attributions == ()
    assert doc.assertions, "a factual article with figures has checkable statements"
    assert all(f.attribution is None for f in doc.figures)


def test_parallel_relays_share_a_hop(analyzer: Analyzer) -> None:
    text = "The talks have stalled, according to Reuters and the BBC."
    doc = analyzer.analyze(RawDocument(id="parallel", text=text, origin="parallel"))
    (attribution,) = [a for a in doc.attributions if "talks" in a.content.text]
    assert attribution.via is not None
    assert {(r.name, r.hop) for r in attribution.via} == {("Reuters", 1), ("BBC", 1)}
