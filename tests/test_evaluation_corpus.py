"""The corpus evaluation: reading the labelled corpus, and the metrics on hand-built results."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

from sourcetrace.cli import main
from sourcetrace.corpus.records import (
    Claim,
    Conflict,
    CorpusResult,
    Echo,
    EchoHow,
    FigureSeries,
    Mention,
    Origin,
    ReusePair,
    SeriesPoint,
    Story,
)
from sourcetrace.errors import EXIT_SETUP, DataError
from sourcetrace.evaluation import CorpusReport, GoldCorpus, read_corpus, score_corpus
from sourcetrace.evaluation.corpus import (
    GoldClaim,
    GoldConflict,
    GoldEcho,
    GoldMention,
    GoldPoint,
    GoldSeries,
)
from sourcetrace.evaluation.report import CORPUS_ITEMS
from sourcetrace.records import RawDocument, Span

DATA = Path(__file__).parent / "data" / "corpus"

# --- a tiny labelled corpus, written for these tests -----------------------------------------

TEXTS = {
    "wire": "The mayor resigned on Monday, officials said. The budget is 40 million.",
    "copy1": "The mayor resigned on Monday, officials said. The budget is 40 million. Local.",
    "copy2": "The mayor resigned on Monday, officials said. The budget is 40 million. More.",
    "relay": "The wire service reported that the mayor resigned. Her aide confirmed it.",
    "other": "A cheese fair opens in the square this weekend with 48 stalls.",
}
DOCS = tuple(RawDocument(id=i, text=t) for i, t in TEXTS.items())


def gm(doc: str, phrase: str) -> GoldMention:
    """A gold mention of ``phrase`` in ``doc``."""
    start = TEXTS[doc].index(phrase)
    return GoldMention(doc, Span.of(TEXTS[doc], start, start + len(phrase)))


RESIGNED = GoldClaim(
    id="resigned",
    story="mayor",
    mentions=(
        gm("wire", "The mayor resigned on Monday"),
        gm("copy1", "The mayor resigned on Monday"),
        gm("copy2", "The mayor resigned on Monday"),
        gm("relay", "the mayor resigned"),
        gm("relay", "Her aide confirmed it"),
    ),
    origin="wire",
    independent_sources=2,
    echoes=(
        GoldEcho("copy1", "wire", "copies"),
        GoldEcho("copy2", "wire", "copies"),
        GoldEcho("relay", "wire", "cites"),
    ),
)
BUDGET = GoldClaim(
    id="budget",
    story="mayor",
    mentions=(gm("wire", "The budget is 40 million"), gm("copy1", "The budget is 40 million")),
    origin="wire",
    independent_sources=1,
    echoes=(GoldEcho("copy1", "wire", "copies"),),
)
GOLD = GoldCorpus(
    documents=DOCS,
    stories={"mayor": ("wire", "copy1", "copy2", "relay")},
    claims=(RESIGNED, BUDGET),
    reuse=frozenset({("copy1", "wire"), ("copy2", "wire")}),
    series=(
        GoldSeries(
            "budget",
            "mayor",
            "budget",
            (GoldPoint("wire", 40e6), GoldPoint("copy1", 40e6), GoldPoint("copy2", 40e6)),
        ),
    ),
    conflicts=(GoldConflict("budget", (GoldPoint("wire", 40e6), GoldPoint("relay", 30e6))),),
)


def mention(doc: str, phrase: str) -> Mention:
    """A predicted mention of ``phrase`` in ``doc``."""
    start = TEXTS[doc].index(phrase)
    return Mention(doc, None, 0, Span.of(TEXTS[doc], start, start + len(phrase)))


def claim(
    mentions: Sequence[Mention],
    origin: str = "wire",
    sources: int = 1,
    echoes: Sequence[tuple[str, str, EchoHow]] = (),
    name: str = "c",
) -> Claim:
    """A predicted claim."""
    return Claim(
        id=name,
        story="s",
        text="",
        mentions=tuple(mentions),
        origin=Origin(origin, None, None),
        sources=(),
        independent_sources=sources,
        echoes=tuple(Echo(d, o, h) for d, o, h in echoes),
    )


def point(doc: str, value: float) -> SeriesPoint:
    """A predicted series point."""
    return SeriesPoint(value, "exact", None, None, doc, None, None, None, Span.of("x", 0, 1))


def result(
    claims: Sequence[Claim] = (),
    stories: Iterable[Sequence[str]] = (),
    reuse: Sequence[tuple[str, str]] = (),
    series: Sequence[FigureSeries] = (),
) -> CorpusResult:
    """A predicted corpus result."""
    return CorpusResult(
        stories=tuple(Story(f"s{i}", "", tuple(docs)) for i, docs in enumerate(stories)),
        reuse=tuple(ReusePair(d, c, 0.9) for d, c in reuse),
        claims=tuple(claims),
        series=tuple(series),
        outlet_edges=(),
    )


def counts(tally: Any) -> tuple[int, int, int]:
    """(gold, predicted, matched) of a tally."""
    return (tally.gold, tally.predicted, tally.matched)


def perfect() -> CorpusResult:
    """The gold labels turned into a prediction."""
    claims = [
        claim(
            [Mention(m.doc, None, 0, m.span) for m in c.mentions],
            origin=c.origin,
            sources=c.independent_sources,
            echoes=[(e.doc, e.of, "cites" if e.how == "cites" else "copies") for e in c.echoes],
            name=c.id,
        )
        for c in GOLD.claims
    ]
    series = FigureSeries(
        "s",
        "budget",
        tuple(point(p.doc, p.value) for p in GOLD.series[0].points),
        (Conflict(None, (point("wire", 40e6), point("relay", 30e6))),),
    )
    return result(claims, GOLD.stories.values(), sorted(GOLD.reuse), [series])


# --- scoring ---------------------------------------------------------------------------------


def test_gold_as_prediction_scores_one_everywhere() -> None:
    tallies = score_corpus(GOLD, perfect())
    assert set(tallies) == set(CORPUS_ITEMS)
    for item, tally in tallies.items():
        assert (tally.precision, tally.recall) == (1.0, 1.0), item


def test_an_empty_prediction_scores_zero_and_counts_the_gold() -> None:
    tallies = score_corpus(GOLD, result())
    assert counts(tallies["stories"]) == (6, 0, 0)
    assert counts(tallies["claim_grouping"]) == (11, 0, 0)  # C(5,2) + C(2,2)
    assert counts(tallies["echoes"]) == (4, 0, 0)
    assert counts(tallies["reuse"]) == (2, 0, 0)
    assert counts(tallies["independent_sources_accuracy"]) == (2, 2, 0)
    assert counts(tallies["conflicts"]) == (1, 0, 0)


@pytest.mark.parametrize(
    ("stories", "expected"),
    [
        ([["wire", "copy1", "copy2", "relay"], ["other"]], (6, 6, 6)),
        ([["wire", "copy1"], ["copy2", "relay"]], (6, 2, 2)),
        ([["wire", "copy1", "copy2", "relay", "other"]], (6, 10, 6)),
        ([["wire", "other"]], (6, 1, 0)),
    ],
)
def test_story_pairs(stories: list[list[str]], expected: tuple[int, int, int]) -> None:
    assert counts(score_corpus(GOLD, result(stories=stories))["stories"]) == expected


ALL_RESIGNED = [
    mention("wire", "The mayor resigned"),
    mention("copy1", "mayor resigned on Monday"),
    mention("copy2", "The mayor"),
    mention("relay", "reported that the mayor resigned"),
    mention("relay", "Her aide confirmed it."),
]
BOTH_BUDGETS = [mention("wire", "budget is 40"), mention("copy1", "40 million")]


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        # Right grouping, spans overlapping but not equal.
        ([claim(ALL_RESIGNED), claim(BOTH_BUDGETS)], (11, 11, 11)),
        # Everything in one claim: every cross pair is wrong.
        ([claim(ALL_RESIGNED + BOTH_BUDGETS)], (11, 21, 11)),
        # The relay's two mentions split off: the 6 pairs across the split are lost.
        (
            [claim(ALL_RESIGNED[:3]), claim(ALL_RESIGNED[3:]), claim(BOTH_BUDGETS)],
            (11, 5, 5),
        ),
        # Mentions in the wrong document match nothing.
        ([claim([mention("other", "A cheese fair"), mention("wire", "The budget")])], (11, 0, 0)),
    ],
)
def test_claim_grouping_pairs(claims: list[Claim], expected: tuple[int, int, int]) -> None:
    assert counts(score_corpus(GOLD, result(claims))["claim_grouping"]) == expected


def test_mentions_found_counts_overlap_in_the_same_document() -> None:
    claims = [claim(ALL_RESIGNED[:2]), claim([mention("other", "cheese")])]
    assert counts(score_corpus(GOLD, result(claims))["mentions_accuracy"]) == (7, 7, 2)


@pytest.mark.parametrize(
    ("echoes", "echo_counts", "any_how_counts"),
    [
        ([("copy1", "wire", "copies"), ("relay", "wire", "cites")], (3, 2, 2), (3, 2, 2)),
        # The right documents, the wrong how: credited only when how is ignored.
        ([("relay", "wire", "copies")], (3, 1, 0), (3, 1, 1)),
        # A sibling copy named instead of the original: read as the original.
        ([("copy2", "copy1", "copies")], (3, 1, 1), (3, 1, 1)),
        # A wrong direction is wrong.
        ([("wire", "copy1", "copies")], (3, 1, 0), (3, 1, 0)),
    ],
)
def test_echoes_of_the_matched_claim(
    echoes: list[tuple[str, str, EchoHow]],
    echo_counts: tuple[int, int, int],
    any_how_counts: tuple[int, int, int],
) -> None:
    tallies = score_corpus(GOLD, result([claim(ALL_RESIGNED, echoes=echoes)]))
    # The budget claim has no matched claim: its one echo is missed.
    gold, predicted, matched = echo_counts
    assert counts(tallies["echoes"]) == (gold + 1, predicted, matched)
    gold, predicted, matched = any_how_counts
    assert counts(tallies["echoes_any_how"]) == (gold + 1, predicted, matched)


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([("copy1", "wire"), ("copy2", "wire")], (2, 2, 2)),
        ([("copy2", "copy1"), ("copy1", "wire")], (2, 2, 2)),  # sibling read as the original
        ([("wire", "copy1"), ("relay", "wire")], (2, 2, 0)),
        ([("copy1", "wire"), ("copy1", "relay")], (2, 2, 1)),
    ],
)
def test_reuse_pairs(pairs: list[tuple[str, str]], expected: tuple[int, int, int]) -> None:
    assert counts(score_corpus(GOLD, result(reuse=pairs))["reuse"]) == expected


@pytest.mark.parametrize(
    ("claims", "sources_correct", "origins_correct"),
    [
        ([claim(ALL_RESIGNED, sources=2), claim(BOTH_BUDGETS, sources=1)], 2, 2),
        ([claim(ALL_RESIGNED, sources=5, origin="relay"), claim(BOTH_BUDGETS)], 1, 1),
        # Most mentions decide the matched claim: three of five resigned mentions sit with
        # the budget mentions, so both gold claims match that claim (2 sources, origin wire).
        (
            [claim(ALL_RESIGNED[:3] + BOTH_BUDGETS, sources=2), claim(ALL_RESIGNED[3:], sources=1)],
            1,
            2,
        ),
        # Ties go to the claim listed first (for both gold claims here).
        (
            [
                claim(ALL_RESIGNED[:1] + BOTH_BUDGETS[:1], sources=1, origin="copy1"),
                claim(ALL_RESIGNED[1:2] + BOTH_BUDGETS[1:], sources=2),
            ],
            1,
            0,
        ),
    ],
)
def test_independent_sources_and_origin_of_the_matched_claim(
    claims: list[Claim], sources_correct: int, origins_correct: int
) -> None:
    tallies = score_corpus(GOLD, result(claims))
    assert counts(tallies["independent_sources_accuracy"]) == (2, 2, sources_correct)
    assert counts(tallies["origin_accuracy"]) == (2, 2, origins_correct)


@pytest.mark.parametrize(
    ("series", "points", "found", "conflicts"),
    [
        (
            [FigureSeries("s", "x", (point("wire", 40e6), point("copy1", 40e6)))],
            (3, 2, 2),
            1,
            (1, 0, 0),
        ),
        # The series holding the most gold points is the one scored.
        (
            [
                FigureSeries("s", "x", (point("wire", 40e6),)),
                FigureSeries(
                    "s", "y", (point("copy2", 40e6), point("copy1", 40e6), point("copy1", 5.0))
                ),
            ],
            (3, 3, 2),
            1,
            (1, 0, 0),
        ),
        # One point is not a series.
        ([FigureSeries("s", "x", (point("wire", 40e6),))], (3, 1, 1), 0, (1, 0, 0)),
        # A conflict needs two gold points with different values.
        (
            [
                FigureSeries(
                    "s",
                    "x",
                    (point("wire", 40e6), point("relay", 30e6)),
                    (
                        Conflict(None, (point("wire", 40e6), point("copy1", 40e6))),
                        Conflict(None, (point("relay", 30e6), point("wire", 40e6))),
                    ),
                )
            ],
            (3, 2, 1),
            0,
            (1, 2, 1),
        ),
    ],
)
def test_series_and_conflicts(
    series: list[FigureSeries],
    points: tuple[int, int, int],
    found: int,
    conflicts: tuple[int, int, int],
) -> None:
    tallies = score_corpus(GOLD, result(series=series))
    assert counts(tallies["series_points"]) == points
    assert tallies["series_found_accuracy"].matched == found
    assert counts(tallies["conflicts"]) == conflicts


def test_report_renders_every_item() -> None:
    report = CorpusReport("tiny", 5, 1.0, score_corpus(GOLD, perfect()))
    table = report.format_table()
    for label in ("stories", "claim grouping", "echoes any how", "independent sources"):
        assert label in table
    data = report.to_dict()
    assert data["independent_sources"] == {"accuracy": 1.0, "correct": 2, "scored": 2}
    assert data["echoes"]["f1"] == 1.0


# --- reading ---------------------------------------------------------------------------------


def _set_first_mention(field: str, value: str) -> Callable[[dict[str, Any]], None]:
    def change(gold: dict[str, Any]) -> None:
        gold["claims"][0]["mentions"][0][field] = value

    return change


def _add_story(gold: dict[str, Any]) -> None:
    first = next(iter(gold["stories"].values()))
    gold["stories"]["again"] = [first[0]]


def _bad_how(gold: dict[str, Any]) -> None:
    next(c for c in gold["claims"] if c["echoes"])["echoes"][0]["how"] = "quotes"


def _bad_origin(gold: dict[str, Any]) -> None:
    gold["claims"][0]["origin"] = "no-such-doc"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_set_first_mention("doc", "no-such-doc"), r"claims\[0\]\.mentions\[0\]\.doc"),
        (_set_first_mention("text", "words not in the article"), r"is not in the text"),
        (_add_story, r"stories\.again: .* is also in story"),
        (_bad_how, r"\.how: 'quotes' is not one of cites, copies"),
        (_bad_origin, r"claims\[0\]\.origin: 'no-such-doc' is not a document"),
    ],
)
def test_malformed_gold_is_refused_naming_the_field(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    shutil.copy(DATA / "documents.jsonl", tmp_path / "documents.jsonl")
    gold = json.loads((DATA / "gold.json").read_text(encoding="utf-8"))
    change(gold)
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    with pytest.raises(DataError, match=message):
        read_corpus(tmp_path)


def test_a_folder_without_documents_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"documents\.jsonl: missing"):
        read_corpus(tmp_path)


def test_eval_corpus_refuses_a_malformed_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", "corpus", str(tmp_path)]) == EXIT_SETUP
    assert "documents.jsonl: missing" in capsys.readouterr().err
