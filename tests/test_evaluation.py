"""The evaluation instrument: reading brat gold data, the metrics, the report, the wiring."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

from sourcetrace import pipeline
from sourcetrace.cli import main
from sourcetrace.errors import EXIT_SETUP, DataError
from sourcetrace.evaluation import (
    EvaluationReport,
    evaluate_polnear,
    read_polnear,
    score_document,
    score_documents,
    score_split,
)
from sourcetrace.evaluation.metrics import MEASURES, ROLES, WHO_SAID_WHAT, max_matching
from sourcetrace.records import (
    AnalysedDocument,
    Attribution,
    AttributionType,
    Failure,
    RawDocument,
)
from sourcetrace.settings import AnalysisSettings

from .gold import Ann, span, write_split

# --- building test data ----------------------------------------------------------------------

STORY = (
    "The mayor announced the new bridge will open in May. "
    "“We are ready,” the engineer said, “and the budget is fine.” "
    "“Traffic will ease,” the spokesperson added, “within weeks.” "
    "The plan is over budget, it was reported."
)

BUDGET = (
    "The senator said the budget will pass next week, and aides agreed that talks went well. "
    "Mayor: the bridge opens in May."
)


def attr(
    text: str,
    content: str | tuple[str, ...],
    source: str | None = None,
    cue: str = "said",
    kind: AttributionType = "indirect",
) -> Attribution:
    """An attribution over ``text`` built from phrases (content may be fragments)."""
    parts = (content,) if isinstance(content, str) else content
    return Attribution(
        id="a1",
        type=kind,
        source=span(text, source) if source else None,
        cue=span(text, cue),
        content=span(text, *parts),
    )


def story_annotations() -> Ann:
    """Four relations over STORY: plain, fragments, Content2, no source; plus noise."""
    ann = Ann(STORY)
    ann.relation(
        Source=ann.span("Source", "The mayor"),
        Cue=ann.span("Cue", "announced"),
        Content=ann.span("Content", "the new bridge will open in May"),
    )
    ann.relation(
        Source=ann.span("Source", "the engineer"),
        Cue=ann.span("Cue", "said"),
        Content=ann.span("Content", "“We are ready,”", "“and the budget is fine.”"),
    )
    ann.relation(
        Source=ann.span("Source", "the spokesperson"),
        Cue=ann.span("Cue", "added"),
        Content=ann.span("Content", "“Traffic will ease,”"),
        Content2=ann.span("Content", "“within weeks.”"),
    )
    ann.relation(
        "Attribution-no-source",
        Cue=ann.span("Cue", "it was reported"),
        Content=ann.span("Content", "The plan is over budget"),
    )
    ann.span("Discuss", "bridge")
    ann.lines.append("#1\tAnnotatorNotes T1\tour own note")
    # A relation with only its anchor, as annotators sometimes left them: skipped.
    ann.lines.append(f"E9\tAttribution-no-source:{ann.span('Discard', 'weeks')} ")
    return ann


@pytest.fixture
def split(tmp_path: Path) -> Path:
    """A valid two-document split."""
    other = Ann(BUDGET)
    other.relation(
        Source=other.span("Source", "The senator"),
        Cue=other.span("Cue", "said"),
        Content=other.span("Content", "the budget will pass next week"),
    )
    return write_split(
        tmp_path / "split",
        {
            "outlet_2016-01-01_story": (STORY, story_annotations().render()),
            "outlet_2016-01-02_budget": (BUDGET, other.render()),
        },
    )


def as_triples(attributions: Iterable[Attribution]) -> list[tuple[str | None, str | None, str]]:
    return [
        (a.source.text if a.source else None, a.cue.text if a.cue else None, a.content.text)
        for a in attributions
    ]


# --- reading ---------------------------------------------------------------------------------


def test_reader_resolves_fragments_suffixes_and_missing_sources(split: Path) -> None:
    docs = {d.id: d for d in read_polnear(split)}
    story = docs["outlet_2016-01-01_story"]
    assert as_triples(story.attributions) == [
        ("The mayor", "announced", "the new bridge will open in May"),
        ("the engineer", "said", "“We are ready,” “and the budget is fine.”"),
        ("the spokesperson", "added", "“Traffic will ease,” “within weeks.”"),
        (None, "it was reported", "The plan is over budget"),
    ]
    assert story.incomplete == 1  # the relation with only an anchor
    for a in story.attributions:
        content = a.content
        assert content.text == " ".join(STORY[s:e] for s, e in content.pieces)
    assert len(story.attributions[2].content.fragments) == 2  # Content + Content2 merged


def test_reader_takes_the_alphabetically_first_annotator(split: Path) -> None:
    stem = "outlet_2016-01-02_budget"
    later = Ann(BUDGET)
    later.relation(
        Source=later.span("Source", "aides"),
        Cue=later.span("Cue", "agreed"),
        Content=later.span("Content", "talks went well"),
    )
    (split / "attributions" / f"{stem}_zz.ann").write_text(later.render(), encoding="utf-8")
    (split / "attributions" / f"{stem}_00.ann").write_text(later.render(), encoding="utf-8")
    doc = next(d for d in read_polnear(split) if d.id == stem)
    assert doc.annotation.name == f"{stem}_00.ann"
    assert as_triples(doc.attributions) == [("aides", "agreed", "talks went well")]


def test_reader_reads_span_text_across_a_paragraph_break(tmp_path: Path) -> None:
    text = "The council wrote that the road is closed.\n\nIt will reopen soon, officials said."
    ann = Ann(text)
    ann.relation(
        Source=ann.span("Source", "officials"),
        Cue=ann.span("Cue", "said"),
        Content=ann.span("Content", "the road is closed.\n\nIt will reopen soon"),
    )
    [doc] = read_polnear(write_split(tmp_path / "s", {"doc": (text, ann.render())}))
    assert doc.attributions[0].content.text == "the road is closed.\n\nIt will reopen soon"


def test_reader_limit_reads_the_first_texts_by_name(split: Path) -> None:
    assert [d.id for d in read_polnear(split, limit=1)] == ["outlet_2016-01-01_story"]


def _drop(folder: str) -> Callable[[Path], str]:
    def mutate(root: Path) -> str:
        shutil.rmtree(root / folder)
        return "split"

    return mutate


def _edit_ann(old: str, new: str) -> Callable[[Path], str]:
    def mutate(root: Path) -> str:
        path = root / "attributions" / "outlet_2016-01-02_budget_a1.ann"
        content = path.read_text(encoding="utf-8")
        assert old in content
        path.write_text(content.replace(old, new, 1), encoding="utf-8")
        return path.name

    return mutate


def _orphan_text(root: Path) -> str:
    (root / "text" / "outlet_2016-01-03_extra.txt").write_text("Our own words.", "utf-8")
    return "outlet_2016-01-03_extra.txt"


def _orphan_ann(root: Path) -> str:
    (root / "attributions" / "outlet_2016-01-04_gone_a1.ann").write_text("", "utf-8")
    return "outlet_2016-01-04_gone_a1.ann"


def _no_texts(root: Path) -> str:
    for path in (root / "text").iterdir():
        path.unlink()
    return "text"


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (_drop("text"), "missing the text/ folder"),
        (_drop("attributions"), "missing the attributions/ folder"),
        (_no_texts, "no .txt files"),
        (_orphan_text, "text has no annotation file"),
        (_orphan_ann, "annotation file has no text"),
        (_edit_ann("Content:T3", "Content:T9"), "E1: refers to unknown span T9"),
        (_edit_ann("T1\tSource 0 11", "T1\tSource 170 181"), "T1: offsets 170-181 are reversed"),
        (_edit_ann("T1\tSource 0 11", "T1\tSource 11 0"), "T1: offsets 11-0 are reversed"),
        (_edit_ann("\tThe senator", "\tThe Senator"), "T1: span text does not match"),
        (_edit_ann("T3\tContent", "T3 Content"), "line 3: not a brat annotation line"),
        (_edit_ann("Cue:T2", "Cue=T2"), "E1: malformed argument 'Cue=T2'"),
        (_edit_ann("T2\tCue 12 16", "T2\tCue 12-16"), "T2: expected '<Role> <start> <end>"),
    ],
    ids=[
        "no-text-dir",
        "no-ann-dir",
        "no-texts",
        "text-without-ann",
        "ann-without-text",
        "unknown-id",
        "beyond-text",
        "reversed-offsets",
        "text-mismatch",
        "junk-line",
        "bad-argument",
        "bad-offsets",
    ],
)
def test_malformed_splits_are_refused_naming_file_and_reason(
    split: Path, mutate: Callable[[Path], str], reason: str
) -> None:
    named = mutate(split)
    with pytest.raises(DataError) as caught:
        read_polnear(split)
    message = str(caught.value)
    assert named in message
    assert reason in message
    assert "\n" not in message


def test_cli_refuses_a_malformed_split_with_the_setup_exit_code(
    split: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.rmtree(split / "attributions")
    assert main(["eval", "polnear", str(split)]) == EXIT_SETUP
    assert "missing the attributions/ folder" in capsys.readouterr().err


# --- metrics ---------------------------------------------------------------------------------


SENATOR = "the budget will pass next week"


@pytest.mark.parametrize(
    ("gold", "pred", "exact"),
    [
        (("“We are ready,”",), ("We are ready",), 1),
        (("We are ready,",), ("“We are ready",), 1),
        (("We are ready",), ("We are",), 0),
        (
            ("“We are ready,”", "“and the budget is fine.”"),
            ("We are ready", "and the budget is fine"),
            1,
        ),
        (("“We are ready,”", "“and the budget is fine.”"), ("We are ready",), 0),
        (
            ("“We are ready,”", "“and the budget is fine.”"),
            ("“We are ready,” the engineer said, “and the budget is fine.”",),
            0,
        ),
    ],
)
def test_exact_match_trims_quotes_and_punctuation_and_compares_fragments(
    gold: tuple[str, ...], pred: tuple[str, ...], exact: int
) -> None:
    tallies = score_document(
        STORY,
        [attr(STORY, gold, "the engineer")],
        [attr(STORY, pred, "the engineer")],
    )
    assert tallies[("content", "exact")].matched == exact
    assert tallies[("content", "overlap")].matched == 1  # they always share characters


@pytest.mark.parametrize(("gold_cue", "pred_cue", "exact"), [(":", ":", 1), (":", "said", 0)])
def test_punctuation_only_cues_still_match_exactly(
    gold_cue: str, pred_cue: str, exact: int
) -> None:
    content = "the bridge opens in May"
    tallies = score_document(
        BUDGET,
        [attr(BUDGET, content, "Mayor", gold_cue)],
        [attr(BUDGET, content, "Mayor", pred_cue)],
    )
    assert tallies[("cue", "exact")].matched == exact


def test_two_predictions_over_one_gold_span_make_one_match() -> None:
    gold = [attr(BUDGET, SENATOR, "The senator")]
    pred = [
        attr(BUDGET, "the budget", "The senator"),
        attr(BUDGET, "will pass next week", "The senator"),
    ]
    tallies = score_document(BUDGET, gold, pred)
    overlap = tallies[("content", "overlap")]
    assert (overlap.gold, overlap.predicted, overlap.matched) == (1, 2, 1)
    assert (overlap.precision, overlap.recall) == (0.5, 1.0)
    token = tallies[("content", "token")]
    # Greedy takes the pair sharing more tokens: "will pass next week" (4 of the gold's 6).
    assert token.matched == 1
    assert token.precision == pytest.approx(1.0 / 2)
    assert token.recall == pytest.approx(4 / 6)
    # The shared source is one item, matched once.
    assert tallies[("source", "exact")].predicted == 1
    assert tallies[("source", "exact")].matched == 1


def test_overlap_matching_maximises_the_number_of_matches() -> None:
    # Gold A = "the new bridge will open", gold B = "in May". P1 overlaps both (A more),
    # P2 only A. Greedy by overlap would pair P1-A and leave B; the maximum is 2.
    gold = [
        attr(STORY, "the new bridge will open", "The mayor", "announced"),
        attr(STORY, "in May", "The mayor", "announced"),
    ]
    pred = [
        attr(STORY, "bridge will open in May", "The mayor", "announced"),
        attr(STORY, "the new", "The mayor", "announced"),
    ]
    assert score_document(STORY, gold, pred)[("content", "overlap")].matched == 2


@pytest.mark.parametrize(
    ("candidates", "size"),
    [([[0, 1], [0]], 2), ([[0], [0]], 1), ([[0, 1], [1, 2], [0]], 3), ([[], [2]], 1)],
)
def test_max_matching_is_one_to_one_and_maximal(candidates: list[list[int]], size: int) -> None:
    owner = max_matching(candidates)
    assert len(owner) == size
    assert len(set(owner.values())) == size  # each gold at most once
    assert all(pred in candidates[gold] for pred, gold in owner.items())


@pytest.mark.parametrize(
    ("pred", "precision", "recall"),
    [
        ("the budget will pass", 4 / 4, 4 / 6),
        ("budget will pass next week, and aides", 5 / 8, 5 / 6),
        (SENATOR, 1.0, 1.0),
        ("aides agreed", 0.0, 0.0),
    ],
)
def test_token_measure_gives_partial_credit(pred: str, precision: float, recall: float) -> None:
    tally = score_document(
        BUDGET, [attr(BUDGET, SENATOR, "The senator")], [attr(BUDGET, pred, "The senator")]
    )[("content", "token")]
    assert tally.precision == pytest.approx(precision)
    assert tally.recall == pytest.approx(recall)


@pytest.mark.parametrize(
    ("pred", "matched"),
    [
        ("the budget", 1),  # 2 shared of 6 + 2 tokens: Dice exactly 0.5
        ("pass next week, and aides", 1),  # 3 shared of 6 + 6: exactly 0.5
        ("pass next week, and aides agreed", 0),  # 3 of 6 + 7: 6/13 < 0.5
        ("budget", 0),  # 1 of 6 + 1: 2/7
        ("the budget will pass next week, and aides agreed", 1),  # 6 of 6 + 10
    ],
)
def test_who_said_what_dice_threshold(pred: str, matched: int) -> None:
    tallies = score_document(
        BUDGET, [attr(BUDGET, SENATOR, "The senator")], [attr(BUDGET, pred, "The senator")]
    )
    assert tallies[WHO_SAID_WHAT].matched == matched


@pytest.mark.parametrize(
    ("gold_source", "pred_source", "matched"),
    [
        ("The senator", "senator", 1),
        ("The senator", "aides", 0),
        ("The senator", None, 0),
        (None, "The senator", 0),
        (None, None, 1),
    ],
)
def test_who_said_what_needs_agreeing_sources(
    gold_source: str | None, pred_source: str | None, matched: int
) -> None:
    tallies = score_document(
        BUDGET, [attr(BUDGET, SENATOR, gold_source)], [attr(BUDGET, SENATOR, pred_source)]
    )
    assert tallies[WHO_SAID_WHAT].matched == matched
    assert tallies[("content", "exact")].matched == 1


def test_predictions_are_counted_by_type() -> None:
    gold = [attr(BUDGET, SENATOR, "The senator")]
    pred = [
        attr(BUDGET, SENATOR, "The senator", kind="indirect"),
        attr(BUDGET, "talks went well", "aides", "agreed", kind="indirect"),
        attr(BUDGET, "the bridge opens in May", "Mayor", ":", kind="other"),
    ]
    tallies = score_documents([(BUDGET, gold, pred)])
    assert (tallies[("type", "indirect")].predicted, tallies[("type", "indirect")].matched) == (
        2,
        1,
    )
    assert (tallies[("type", "other")].predicted, tallies[("type", "other")].matched) == (1, 0)


# --- the report and the run ------------------------------------------------------------------


def test_report_table_ends_with_who_said_what_and_dict_is_json(split: Path) -> None:
    gold = read_polnear(split)
    results = [AnalysedDocument(d.id, d.text, ()) for d in gold]
    report = score_split("test split", gold, results)
    lines = report.format_table().splitlines()
    assert lines[-1].startswith("who-said-what")
    assert len(lines) == 2 + len(ROLES) * len(MEASURES) + 2
    data = json.loads(json.dumps(report.to_dict()))
    assert data["documents"] == 2
    assert data["who_said_what"] == {
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
        "gold": 5,
        "predicted": 0,
        "matched": 0,
    }
    assert set(data["source"]) == set(MEASURES)
    assert data["gold_incomplete_relations"] == 1


def test_evaluate_polnear_runs_the_pipeline_with_the_settings(
    split: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[AnalysisSettings] = []
    right = attr(BUDGET, SENATOR, "The senator")

    def fake_stream(
        items: Iterable[RawDocument | Failure], settings: AnalysisSettings
    ) -> Iterator[AnalysedDocument | Failure]:
        seen.append(settings)
        for raw in items:
            assert isinstance(raw, RawDocument)
            if raw.id.endswith("budget"):
                yield AnalysedDocument(raw.id, raw.text, (right,))
            else:
                yield Failure(raw.id, "refused for the test")

    monkeypatch.setattr(pipeline, "analyze_stream", fake_stream)
    settings = AnalysisSettings(jobs=2)
    report = evaluate_polnear(split, settings)
    assert isinstance(report, EvaluationReport)
    assert seen == [settings]
    assert report.documents == 2
    assert report.failures == ("outlet_2016-01-01_story: refused for the test",)
    assert (report.who_said_what.matched, report.who_said_what.gold) == (1, 5)
    assert report.dataset == "PolNeAR split"
    assert evaluate_polnear(split, settings, limit=1).documents == 1


@pytest.mark.polnear
def test_gold_scored_against_itself_is_perfect(polnear_dir: Path) -> None:
    gold = read_polnear(polnear_dir / "dev")
    report = score_split(
        "dev", gold, [AnalysedDocument(d.id, d.text, d.attributions) for d in gold]
    )
    assert report.documents == len(gold) > 0
    for role in ROLES:
        for measure in MEASURES:
            tally = report.tally(role, measure)
            assert tally.gold > 0
            assert (tally.precision, tally.recall, tally.f1) == (1.0, 1.0, 1.0), (role, measure)
    assert report.who_said_what.gold == sum(len(d.attributions) for d in gold)
    assert report.who_said_what.f1 == 1.0
