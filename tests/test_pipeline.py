"""The orchestrator: order, failures passing through, worker processes, the library API."""

from __future__ import annotations

import pytest

import sourcetrace
from sourcetrace.errors import InputError
from sourcetrace.pipeline import Analyzer, analyze_stream
from sourcetrace.records import Failure, RawDocument
from sourcetrace.settings import AnalysisSettings

TEXTS = [
    "The council said the library would open on Saturdays. Residents welcomed the news.",
    '"The budget is balanced," the treasurer told reporters on Tuesday.',
    "According to the fire service, nobody was hurt in the blaze.",
    "Officials believe the storm will weaken before it reaches the coast.",
]


def _raws() -> list[RawDocument | Failure]:
    items: list[RawDocument | Failure] = [
        RawDocument(id=f"d{i}", text=t, origin=f"d{i}") for i, t in enumerate(TEXTS)
    ]
    items.insert(2, Failure("broken.jsonl:3", "invalid JSON line"))
    items.append(RawDocument(id="blank", text="   ", origin="blank.txt"))
    return items


def _summary(results: list[object]) -> list[object]:
    return [
        (r.doc, r.reason)
        if isinstance(r, Failure)
        else (r.id, [a.to_dict() for a in r.attributions])  # type: ignore[attr-defined]
        for r in results
    ]


def test_stream_keeps_order_and_passes_failures_through() -> None:
    results = list(analyze_stream(_raws(), AnalysisSettings()))
    ids = [r.doc if isinstance(r, Failure) else r.id for r in results]
    assert ids == ["d0", "d1", "broken.jsonl:3", "d2", "d3", "blank.txt"]
    assert isinstance(results[-1], Failure) and "empty" in results[-1].reason
    assert all(r.attributions for r in results if not isinstance(r, Failure))


@pytest.mark.slow
def test_worker_processes_give_the_same_results_as_one_process() -> None:
    serial = _summary(list(analyze_stream(_raws(), AnalysisSettings(jobs=1))))
    parallel = _summary(list(analyze_stream(_raws(), AnalysisSettings(jobs=2))))
    assert parallel == serial


def test_library_analyze_keeps_metadata_and_offsets() -> None:
    doc = sourcetrace.analyze(TEXTS[1], id="budget", outlet="Example Post", desk="politics")
    assert (doc.id, doc.outlet, dict(doc.metadata)) == (
        "budget",
        "Example Post",
        {"desk": "politics"},
    )
    (attribution,) = doc.attributions
    assert attribution.type == "direct"
    for span in (attribution.source, attribution.cue, attribution.content):
        assert span is not None and TEXTS[1][span.start : span.end] == span.text


def test_analyzer_refuses_empty_and_too_long_text() -> None:
    analyzer = Analyzer(AnalysisSettings(max_chars=50))
    with pytest.raises(InputError, match="empty"):
        analyzer.analyze(RawDocument(id="e", text="", origin="e.txt"))
    with pytest.raises(InputError, match="too long") as info:
        analyzer.analyze(RawDocument(id="long", text=TEXTS[0], origin="long.txt"))
    assert info.value.doc == "long.txt"


@pytest.mark.parametrize(
    ("metadata", "outlet"),
    [
        ({"url": "https://www.reuters.com/world/some-story"}, "Reuters"),
        ({"url": "https://edition.cnn.com/2025/01/01/x"}, "CNN"),
        ({"url": "https://www.reuters.com/x", "outlet": "Our Own Name"}, "Our Own Name"),
        ({"url": "https://blog.example.org/post"}, None),
        ({}, None),
    ],
)
def test_outlet_is_named_from_the_url_when_the_input_gives_none(
    metadata: dict[str, str], outlet: str | None
) -> None:
    assert sourcetrace.analyze(TEXTS[0], **metadata).outlet == outlet
