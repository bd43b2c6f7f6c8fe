"""The sourcing evaluation: reading labelled articles, scoring the sourcing stages, the CLI."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from sourcetrace.cli import main
from sourcetrace.errors import EXIT_OK, EXIT_SETUP, DataError
from sourcetrace.evaluation import (
    GoldArticle,
    SourcingReport,
    read_sourcing,
    score_article,
    score_articles,
)
from sourcetrace.evaluation.report import OPTIONAL_FIELDS
from sourcetrace.evaluation.sourcing import locate, read_article
from sourcetrace.records import (
    AnalysedDocument,
    Assertion,
    Attribution,
    Failure,
    Figure,
    Flag,
    Relay,
    Span,
    Speaker,
)

DATA = Path(__file__).parent / "data" / "sourcing"

# --- a small labelled article, written for these tests --------------------------------------

TEXT = (
    "Port workers in Calder walked out on Monday, officials quoted by the Ridley Gazette and "
    "reported by Kestrel News said. "
    "\u201cWe will stay out until the pay offer improves,\u201d said Mara Quill, a union "
    "organiser. She added that about 300 staff had joined, a figure the port authority denies. "
    "Shipping through the port fell by 40 percent last week."
)

QUILL = {"name": "Mara Quill", "description": None, "kind": "person", "anonymous": False}

ARTICLE: dict[str, Any] = {
    "id": "strike",
    "outlet": "Harbour Post",
    "style": "local",
    "published": "2025-05-06",
    "text": TEXT,
    "attributions": [
        {
            "cue": "said",
            "cue_occurrence": 1,
            "content": "Port workers in Calder walked out on Monday",
            "source": "officials",
            "speaker": {
                "name": None,
                "description": "officials",
                "kind": "official",
                "anonymous": True,
            },
            "via": [
                {"name": "Ridley Gazette", "kind": "outlet"},
                {"name": "Kestrel News", "kind": "outlet"},
            ],
            "flags": [],
        },
        {
            "cue": "said",
            "cue_occurrence": 2,
            "content": "We will stay out until the pay offer improves,",
            "source": "Mara Quill",
            "speaker": QUILL,
            "via": [],
            "flags": [],
        },
        {
            "cue": "added",
            "content": "about 300 staff had joined",
            "source": "She",
            "speaker": QUILL,
            "via": [],
            "flags": [
                {
                    "kind": "disputed",
                    "by": "the port authority",
                    "evidence": "a figure the port authority denies",
                }
            ],
        },
    ],
    "figures": [
        {
            "text": "about 300",
            "value": 300,
            "qualifier": "about",
            "low": None,
            "high": None,
            "what": "staff",
            "attributed": True,
        },
        {
            "text": "40 percent",
            "value": 40,
            "qualifier": "exact",
            "low": None,
            "high": None,
            "what": "percent fall in shipping",
            "attributed": False,
        },
    ],
    "non_figures": ["Monday"],
    "assertions": [
        {"text": "Shipping through the port fell by 40 percent last week", "reason": "figure"}
    ],
}

LIBRARY_TEXT = (
    "The town council said on Friday that the new library in Orrin would open in June. "
    "Funding of 2 million pounds was approved last year, according to a council report. "
    "\u201cIt is a good day for readers,\u201d said councillor Ada Brenn."
)

LIBRARY: dict[str, Any] = {
    "id": "library",
    "outlet": "Orrin Courier",
    "style": "local",
    "published": "2025-02-14",
    "text": LIBRARY_TEXT,
    "attributions": [
        {
            "cue": "said",
            "cue_occurrence": 1,
            "content": "the new library in Orrin would open in June",
            "source": "The town council",
            "speaker": {
                "name": "Orrin Town Council",
                "description": None,
                "kind": "government",
                "anonymous": False,
            },
            "via": [],
            "flags": [],
        },
        {
            "cue": "according to",
            "content": "Funding of 2 million pounds was approved last year",
            "source": "a council report",
            "speaker": {
                "name": None,
                "description": "a council report",
                "kind": "document",
                "anonymous": False,
            },
            "via": [],
            "flags": [],
        },
        {
            "cue": "said",
            "cue_occurrence": 2,
            "content": "It is a good day for readers,",
            "source": "councillor Ada Brenn",
            "speaker": {
                "name": "Ada Brenn",
                "description": None,
                "kind": "official",
                "anonymous": False,
            },
            "via": [],
            "flags": [],
        },
    ],
    "figures": [
        {
            "text": "2 million pounds",
            "value": 2000000,
            "qualifier": "exact",
            "low": None,
            "high": None,
            "what": "pounds of funding",
            "attributed": True,
        }
    ],
    "non_figures": ["Friday"],
    "assertions": [],
}


def write(folder: Path, data: Any, name: str = "strike") -> Path:
    """Write one gold file (``data`` as JSON, or a raw string) and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def gold(tmp_path: Path) -> GoldArticle:
    """The small article, read through the gold reader."""
    return read_article(write(tmp_path, ARTICLE))


def as_prediction(article: GoldArticle) -> AnalysedDocument:
    """Turn gold labels into a prediction carrying every field exactly as labelled."""
    attributions = tuple(
        Attribution(
            id=f"a{i}",
            type="other",
            source=a.source,
            # A gold attribution without a cue gets an empty one, which overlaps nothing.
            cue=a.cue or Span("", a.content.start, a.content.start),
            content=a.content,
            speaker=Speaker(
                a.speaker.name,
                a.speaker.description,
                a.speaker.kind,  # type: ignore[arg-type]
                a.speaker.anonymous,
                a.source,
            ),
            via=tuple(Relay(r.name, r.kind, 0, 0, r.hop) for r in a.via),
            flags=tuple(Flag(f.kind, f.by, f.evidence) for f in a.flags),  # type: ignore[arg-type]
        )
        for i, a in enumerate(article.attributions, start=1)
    )
    figures = tuple(
        Figure(
            f.span.text,
            f.span.start,
            f.span.end,
            f.value if f.value is not None else (f.low or 0.0),
            f.qualifier,  # type: ignore[arg-type]
            f.low,
            f.high,
            f.what,
        )
        for f in article.figures
    )
    assertions = tuple(
        Assertion(a.span.text, a.span.start, a.span.end, a.reason) for a in article.assertions
    )
    return AnalysedDocument(article.id, article.text, attributions, figures, assertions)


def counts(score: dict[tuple[str, str], Any], key: tuple[str, str]) -> tuple[int, int, int]:
    """(gold, predicted, matched) of one tally, zeros when absent."""
    tally = score.get(key)
    return (tally.gold, tally.predicted, tally.matched) if tally else (0, 0, 0)


# --- locating substrings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase", "occurrence", "expected"),
    [
        ("he said it, she said", "said", 1, (3, 7)),
        ("he said it, she said", "said", 2, (16, 20)),
        ("only once here", "once", None, (5, 9)),
        ("aaa", "aa", 2, (1, 3)),  # overlapping occurrences count
    ],
)
def test_locate_finds_the_nth_occurrence(
    text: str, phrase: str, occurrence: int | None, expected: tuple[int, int]
) -> None:
    span = locate(text, phrase, occurrence)
    assert (span.start, span.end) == expected
    assert text[span.start : span.end] == phrase == span.text


@pytest.mark.parametrize(
    ("phrase", "occurrence", "message"),
    [
        ("shouted", None, "is not in the text"),
        ("said", None, "occurs 2 times"),
        ("said", 3, "occurrence 3"),
        ("said", 0, "occurrence 0"),
    ],
)
def test_locate_refuses_what_it_cannot_place(
    phrase: str, occurrence: int | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        locate("he said it, she said", phrase, occurrence)


# --- reading gold files -----------------------------------------------------------------------


def test_every_labelled_article_reads_with_exact_offsets() -> None:
    articles = read_sourcing(DATA)
    assert len(articles) == len(list(DATA.glob("*.json")))
    for article in articles:
        spans = [s for a in article.attributions for s in (a.source, a.cue, a.content) if s]
        spans += [f.evidence for a in article.attributions for f in a.flags]
        spans += [f.span for f in article.figures] + [a.span for a in article.assertions]
        for span in spans:
            assert article.text[span.start : span.end] == span.text, article.id


def test_reader_places_the_labelled_spans(gold: GoldArticle) -> None:
    first, second, third = gold.attributions
    assert first.cue is not None and second.cue is not None
    assert first.cue.start == TEXT.index("said")
    assert second.cue.start == TEXT.index("said", first.cue.end)
    assert [(r.name, r.hop) for r in first.via] == [("Ridley Gazette", 1), ("Kestrel News", 2)]
    assert third.flags[0].evidence.text == "a figure the port authority denies"
    assert gold.figures[0].span.text == "about 300" and gold.figures[0].value == 300
    assert gold.non_figures == ("Monday",)


@pytest.mark.parametrize(
    ("chains", "expected"),
    [
        ([[{"name": "A"}], [{"name": "B"}]], [("A", 1), ("B", 1)]),
        ([[{"name": "A"}, {"name": "C"}], [{"name": "B"}]], [("A", 1), ("C", 2), ("B", 1)]),
    ],
)
def test_parallel_relays_share_hops(
    tmp_path: Path, chains: list[list[dict[str, str]]], expected: list[tuple[str, int]]
) -> None:
    data = copy.deepcopy(ARTICLE)
    attribution = data["attributions"][0]
    del attribution["via"]
    attribution["via_parallel"] = [[{**r, "kind": "outlet"} for r in c] for c in chains]
    [first, *_] = read_article(write(tmp_path, data)).attributions
    assert [(r.name, r.hop) for r in first.via] == expected


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], Any]:
    """A mutation setting ``data[path...] = value``."""

    def mutate(data: dict[str, Any]) -> Any:
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        return data

    return mutate


def _delete(path: tuple[Any, ...]) -> Callable[[dict[str, Any]], Any]:
    """A mutation deleting ``data[path...]``."""

    def mutate(data: dict[str, Any]) -> Any:
        node = data
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
        return data

    return mutate


MALFORMED: list[tuple[str, Callable[[dict[str, Any]], Any], str]] = [
    ("not json", lambda d: "{", "invalid JSON"),
    ("top level list", lambda d: [d], "(top level): expected an object"),
    ("no text", _delete(("text",)), "text: missing"),
    ("no attributions", _delete(("attributions",)), "attributions: missing"),
    ("cue absent", _set(("attributions", 0, "cue"), "shouted"), "attributions[0].cue: 'shouted'"),
    (
        "cue ambiguous",
        _delete(("attributions", 0, "cue_occurrence")),
        "attributions[0].cue: 'said' occurs 2 times; say which with cue_occurrence",
    ),
    (
        "occurrence too high",
        _set(("attributions", 1, "cue_occurrence"), 5),
        "attributions[1].cue: occurrence 5",
    ),
    (
        "occurrence not a number",
        _set(("attributions", 1, "cue_occurrence"), "2"),
        "attributions[1].cue_occurrence: expected an integer",
    ),
    ("content null", _set(("attributions", 2, "content"), None), "attributions[2].content"),
    (
        "unknown kind",
        _set(("attributions", 1, "speaker", "kind"), "robot"),
        "attributions[1].speaker.kind: 'robot' is not one of",
    ),
    (
        "anonymous not bool",
        _set(("attributions", 0, "speaker", "anonymous"), "yes"),
        "attributions[0].speaker.anonymous: expected true or false",
    ),
    (
        "two relay lists",
        _set(("attributions", 1, "via_parallel"), [[], []]),
        "attributions[1].via: give exactly one of via and via_parallel",
    ),
    (
        "relay without name",
        _delete(("attributions", 0, "via", 1, "name")),
        "attributions[0].via[1].name: missing",
    ),
    (
        "unknown flag",
        _set(("attributions", 2, "flags", 0, "kind"), "doubtful"),
        "attributions[2].flags[0].kind: 'doubtful' is not one of",
    ),
    (
        "flag evidence absent",
        _set(("attributions", 2, "flags", 0, "evidence"), "nobody denies it"),
        "attributions[2].flags[0].evidence: 'nobody denies it' is not in the text",
    ),
    (
        "range without ends",
        _set(("figures", 0, "qualifier"), "range"),
        "figures[0].low: a range needs low and high",
    ),
    ("value a string", _set(("figures", 1, "value"), "40"), "figures[1].value: expected"),
    ("value infinite", _set(("figures", 1, "value"), float("inf")), "expected a finite number"),
    ("non-figure absent", _set(("non_figures", 0), "Tuesday"), "non_figures[0]: 'Tuesday'"),
    (
        "bad reason",
        _set(("assertions", 0, "reason"), "vibes"),
        "assertions[0].reason: 'vibes' is not one of",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "message"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_malformed_gold_is_refused_naming_file_and_field(
    tmp_path: Path, mutate: Callable[[dict[str, Any]], Any], message: str
) -> None:
    path = write(tmp_path, mutate(copy.deepcopy(ARTICLE)))
    with pytest.raises(DataError) as info:
        read_sourcing(tmp_path)
    text = str(info.value)
    assert text.startswith(f"{path}: ")
    assert message in text
    assert "\n" not in text


@pytest.mark.parametrize(
    ("make", "message"),
    [(lambda p: p / "absent", "not a folder"), (lambda p: p, "no .json gold files")],
)
def test_folder_without_gold_is_refused(
    tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    (tmp_path / "README.md").write_text("not gold", encoding="utf-8")
    with pytest.raises(DataError, match=message):
        read_sourcing(make(tmp_path))


# --- scoring ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(DATA.glob("*.json")), ids=lambda p: p.stem)
def test_gold_as_prediction_scores_one_everywhere(path: Path) -> None:
    article = read_article(path)
    score = score_article(article, as_prediction(article))
    # Attribution fields can only be seen on an article that has attributions.
    expected = set(OPTIONAL_FIELDS) if article.attributions else {"assertions"}
    assert score.computed == expected
    for key, tally in score.tallies.items():
        if key == ("figures", "non_figures"):
            assert tally.predicted == 0
        elif tally.gold or tally.predicted:
            assert (tally.precision, tally.recall) == (1.0, 1.0), key
    assert counts(score.tallies, ("attributions", "found"))[0] == len(article.attributions)


def test_gold_as_prediction_report_is_perfect() -> None:
    articles = read_sourcing(DATA)
    report = score_articles("gold", articles, [as_prediction(a) for a in articles])
    data = report.to_dict()
    assert data["not_computed"] == []
    assert data["attributions"]["found"]["f1"] == 1.0
    assert data["speaker"]["kind_accuracy"]["accuracy"] == 1.0
    assert data["speaker"]["name_accuracy"]["scored"] > 0
    assert data["via"]["relays"]["f1"] == 1.0
    assert data["via"]["chain_order_accuracy"]["scored"] > 0
    assert data["flags"]["all"]["f1"] == 1.0
    assert set(data["flags"]["by_kind"]) == {"disputed", "unverified", "hedged", "retracted"}
    assert data["figures"]["spans"]["f1"] == 1.0
    assert data["figures"]["value_accuracy"]["accuracy"] == 1.0
    assert data["figures"]["non_figures"]["predicted_as_figures"] == 0
    assert data["assertions"]["spans"]["f1"] == 1.0


def _edit_attribution(index: int, **changes: Any) -> Callable[[AnalysedDocument], Any]:
    """A perturbation replacing fields of one predicted attribution."""

    def perturb(doc: AnalysedDocument) -> AnalysedDocument:
        items = list(doc.attributions)
        items[index] = replace(items[index], **changes)
        return replace(doc, attributions=tuple(items))

    return perturb


def _edit_speaker(index: int, **changes: Any) -> Callable[[AnalysedDocument], Any]:
    """A perturbation replacing fields of one predicted speaker."""

    def perturb(doc: AnalysedDocument) -> AnalysedDocument:
        speaker = doc.attributions[index].speaker
        assert speaker is not None
        return _edit_attribution(index, speaker=replace(speaker, **changes))(doc)

    return perturb


def _relays(*names: tuple[str, int]) -> tuple[Relay, ...]:
    """Predicted relays from ``(name, hop)`` pairs."""
    return tuple(Relay(name, "outlet", 0, 0, hop) for name, hop in names)


def _edit_figure(index: int, **changes: Any) -> Callable[[AnalysedDocument], Any]:
    """A perturbation replacing fields of one predicted figure."""

    def perturb(doc: AnalysedDocument) -> AnalysedDocument:
        items = list(doc.figures)
        items[index] = replace(items[index], **changes)
        return replace(doc, figures=tuple(items))

    return perturb


def _add_figure(phrase: str) -> Callable[[AnalysedDocument], Any]:
    """A perturbation predicting one more figure over ``phrase``."""

    def perturb(doc: AnalysedDocument) -> AnalysedDocument:
        start = doc.text.index(phrase)
        extra = Figure(phrase, start, start + len(phrase), 1.0, "exact")
        return replace(doc, figures=(*doc.figures, extra))

    return perturb


def _assertion_over(phrase: str) -> Callable[[AnalysedDocument], Any]:
    """A perturbation predicting one assertion over ``phrase`` instead of the gold one."""

    def perturb(doc: AnalysedDocument) -> AnalysedDocument:
        start = doc.text.index(phrase)
        return replace(doc, assertions=(Assertion(phrase, start, start + len(phrase), "figure"),))

    return perturb


ABOUT = TEXT.index("about 300")
"""Where the one-word content "about" starts: one token of the gold content's five."""


def _drop_attribution(doc: AnalysedDocument) -> AnalysedDocument:
    return replace(doc, attributions=doc.attributions[1:])


PERTURBED: list[tuple[str, Callable[[AnalysedDocument], Any], tuple[str, str], tuple[int, ...]]] = [
    ("kind wrong", _edit_speaker(1, kind="official"), ("speaker", "kind_accuracy"), (3, 3, 2)),
    (
        "kind wrong: person",
        _edit_speaker(1, kind="official"),
        ("speaker_kind", "person"),
        (2, 1, 1),
    ),
    (
        "kind wrong: official",
        _edit_speaker(1, kind="official"),
        ("speaker_kind", "official"),
        (1, 2, 1),
    ),
    ("anonymity missed", _edit_speaker(0, anonymous=False), ("speaker", "anonymous"), (1, 0, 0)),
    ("extra anonymity", _edit_speaker(1, anonymous=True), ("speaker", "anonymous"), (1, 2, 1)),
    ("short name", _edit_speaker(2, name="Quill"), ("speaker", "name_accuracy"), (2, 2, 1)),
    ("name case", _edit_speaker(2, name="mara  QUILL"), ("speaker", "name_accuracy"), (2, 2, 2)),
    ("no speaker", _edit_attribution(1, speaker=None), ("speaker", "kind_accuracy"), (3, 3, 2)),
    (
        "relay dropped",
        _edit_attribution(0, via=_relays(("Ridley Gazette", 1))),
        ("via", "relays"),
        (2, 1, 1),
    ),
    (
        "relay dropped: order not scored",
        _edit_attribution(0, via=_relays(("Ridley Gazette", 1))),
        ("via", "chain_order_accuracy"),
        (0, 0, 0),
    ),
    (
        "hops swapped",
        _edit_attribution(0, via=_relays(("Ridley Gazette", 2), ("Kestrel News", 1))),
        ("via", "relays"),
        (2, 2, 2),
    ),
    (
        "hops swapped: order",
        _edit_attribution(0, via=_relays(("Ridley Gazette", 2), ("Kestrel News", 1))),
        ("via", "chain_order_accuracy"),
        (1, 1, 0),
    ),
    (
        "hops as parallel",
        _edit_attribution(0, via=_relays(("Ridley Gazette", 1), ("Kestrel News", 1))),
        ("via", "chain_order_accuracy"),
        (1, 1, 0),
    ),
    (
        "hops renumbered, same order",
        _edit_attribution(0, via=_relays(("the ridley gazette", 3), ("Kestrel News", 7))),
        ("via", "chain_order_accuracy"),
        (1, 1, 1),
    ),
    (
        "spurious relay",
        _edit_attribution(1, via=_relays(("Kestrel News", 1))),
        ("via", "relays"),
        (2, 3, 2),
    ),
    (
        "flag added",
        _edit_attribution(1, flags=(Flag("hedged", None, Span.of(TEXT, 0, 4)),)),
        ("flags", "all"),
        (1, 2, 1),
    ),
    (
        "flag added: hedged",
        _edit_attribution(1, flags=(Flag("hedged", None, Span.of(TEXT, 0, 4)),)),
        ("flag_kind", "hedged"),
        (0, 1, 0),
    ),
    ("flag missed", _edit_attribution(2, flags=()), ("flag_kind", "disputed"), (1, 0, 0)),
    ("attribution dropped", _drop_attribution, ("attributions", "found"), (3, 2, 2)),
    ("attribution dropped: its relays", _drop_attribution, ("via", "relays"), (0, 0, 0)),
    (
        "no cue, same content",
        _edit_attribution(2, cue=Span("", 0, 0)),
        ("attributions", "found"),
        (3, 3, 3),
    ),
    (
        "cue only, other content",
        _edit_attribution(2, content=Span.of(TEXT, 0, 4)),
        ("attributions", "found"),
        (3, 3, 3),
    ),
    (
        "no cue, content too short",
        _edit_attribution(2, cue=Span("", 0, 0), content=Span.of(TEXT, ABOUT, ABOUT + 5)),
        ("attributions", "found"),
        (3, 3, 2),
    ),
    ("value wrong", _edit_figure(0, value=30.0), ("figures", "value_accuracy"), (2, 2, 1)),
    (
        "ratio as a fraction",
        _edit_figure(1, value=0.4, unit="fraction"),
        ("figures", "value_accuracy"),
        (2, 2, 2),
    ),
    ("ratio without unit", _edit_figure(1, value=0.4), ("figures", "value_accuracy"), (2, 2, 1)),
    ("value wrong: span fine", _edit_figure(0, value=30.0), ("figures", "spans"), (2, 2, 2)),
    (
        "qualifier wrong",
        _edit_figure(0, qualifier="exact"),
        ("figures", "qualifier_accuracy"),
        (2, 2, 1),
    ),
    ("non-figure predicted", _add_figure("Monday"), ("figures", "spans"), (2, 3, 2)),
    ("non-figure predicted: count", _add_figure("Monday"), ("figures", "non_figures"), (1, 1, 0)),
    ("other false figure", _add_figure("Calder"), ("figures", "non_figures"), (1, 0, 0)),
    ("assertion overlaps", _assertion_over("last week"), ("assertions", "spans"), (1, 1, 1)),
    ("assertion elsewhere", _assertion_over("Port workers"), ("assertions", "spans"), (1, 1, 0)),
]


@pytest.mark.parametrize(
    ("perturb", "key", "expected"), [p[1:] for p in PERTURBED], ids=[p[0] for p in PERTURBED]
)
def test_perturbed_predictions_give_the_right_counts(
    gold: GoldArticle,
    perturb: Callable[[AnalysedDocument], AnalysedDocument],
    key: tuple[str, str],
    expected: tuple[int, int, int],
) -> None:
    score = score_article(gold, perturb(as_prediction(gold)))
    assert counts(score.tallies, key) == expected


@pytest.mark.parametrize(
    ("gold_value", "predicted", "same"),
    [
        (16.7, 100 / 6, True),  # the gold rounds one in six to one decimal
        (16.7, 16.6, False),
        (33.3, 100 / 3, True),
        (300.0, 300.4, False),  # whole numbers must match
        (300.0, 300.0000001, True),
        (6e9, 6e9 * (1 + 1e-9), True),
    ],
)
def test_figure_values_compare_to_the_gold_precision(
    gold: GoldArticle, gold_value: float, predicted: float, same: bool
) -> None:
    figure = replace(gold.figures[1], value=gold_value)
    article = replace(gold, figures=(figure,))
    guess = replace(
        as_prediction(article),
        figures=(replace(as_prediction(article).figures[0], value=predicted),),
    )
    score = score_article(article, guess)
    assert counts(score.tallies, ("figures", "value_accuracy")) == (1, 1, int(same))


@pytest.mark.parametrize(
    ("strip", "not_computed"),
    [
        ({"speaker": None, "via": None, "flags": None}, ["speaker", "via", "flags"]),
        ({"via": None}, ["via"]),
        ({}, []),
    ],
)
def test_fields_the_analysis_lacks_are_not_computed(
    gold: GoldArticle, strip: dict[str, None], not_computed: list[str]
) -> None:
    predicted = as_prediction(gold)
    predicted = replace(
        predicted,
        attributions=tuple(replace(a, **strip) for a in predicted.attributions),
        assertions=None,
    )
    report = score_articles("t", [gold], [predicted])
    data = json.loads(json.dumps(report.to_dict()))
    assert data["not_computed"] == [*not_computed, "assertions"]
    for field in OPTIONAL_FIELDS:
        assert (data[field] is None) == (field in data["not_computed"])
    assert data["figures"]["spans"]["f1"] == 1.0
    table = report.format_table()
    for field in OPTIONAL_FIELDS:
        lines = [line for line in table.splitlines() if line.startswith(field)]
        assert any("not computed" in line for line in lines) == (field in data["not_computed"])


def test_a_failed_document_is_scored_with_no_predictions(gold: GoldArticle) -> None:
    report = score_articles("t", [gold, gold], [as_prediction(gold), Failure("strike", "boom")])
    assert report.failures == ("strike: boom",)
    assert counts(dict(report.tallies), ("attributions", "found")) == (6, 3, 3)
    assert counts(dict(report.tallies), ("figures", "spans")) == (4, 2, 2)
    assert report.computed == frozenset(OPTIONAL_FIELDS)


def test_report_table_lists_every_field_and_kind(gold: GoldArticle) -> None:
    report = score_articles("Sourcing t", [gold], [as_prediction(gold)])
    assert isinstance(report, SourcingReport)
    table = report.format_table()
    assert table.splitlines()[0].startswith("Sourcing t: 1 documents")
    for label in (
        "attributions found",
        "speaker kind ",
        "speaker kind person",
        "speaker anonymous",
        "via chain order",
        "flag kind disputed",
        "figures value",
        "assertions spans",
    ):
        assert label in table, label


# --- the command ------------------------------------------------------------------------------


def test_eval_sourcing_command_scores_a_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    write(tmp_path, ARTICLE, "strike")
    write(tmp_path, LIBRARY, "library")
    assert main(["eval", "sourcing", str(tmp_path), "--json"]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert data["documents"] == 2 and data["failures"] == []
    found = data["attributions"]["found"]
    assert (found["gold"], found["predicted"] >= 0) == (6, True)
    assert found["matched"] <= min(found["gold"], found["predicted"])
    assert data["figures"]["spans"]["gold"] == 3
    assert data["figures"]["non_figures"]["listed"] == 2
    for field in OPTIONAL_FIELDS:
        assert (data[field] is None) == (field in data["not_computed"])


def test_eval_sourcing_refuses_a_malformed_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, _set(("attributions", 0, "cue"), "shouted")(copy.deepcopy(ARTICLE)))
    assert main(["eval", "sourcing", str(tmp_path)]) == EXIT_SETUP
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert str(path) in err and "attributions[0].cue" in err
