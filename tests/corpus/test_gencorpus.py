"""The scale generator (scripts/gencorpus.py): story structure and valid offsets."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from gencorpus import generate


@pytest.mark.parametrize(("n", "seed"), [(60, 0), (200, 7)])
def test_generated_corpus_is_well_formed(n: int, seed: int) -> None:
    docs = generate(n, seed)
    assert len(docs) == n and len({d.id for d in docs}) == n
    sizes = Counter(d.metadata["event"] for d in docs)
    last = max(sizes)
    assert all(3 <= size <= 15 for event, size in sizes.items() if event != last)
    for d in docs:
        for a in d.attributions:
            for span in (a.source, a.cue, a.content):
                assert span is not None and d.text[span.start : span.end] == span.text
            for relay in a.via or ():
                assert d.text[relay.start : relay.end] == relay.name
        for f in d.figures:
            assert d.text[f.start : f.end] == f.text
    assert any(a.via for d in docs for a in d.attributions)
    assert generate(n, seed) == docs


def test_generated_events_have_distinct_outlets() -> None:
    docs = generate(100, 3)
    by_event: dict[object, list[str | None]] = {}
    for d in docs:
        by_event.setdefault(d.metadata["event"], []).append(d.outlet)
    assert all(len(set(outlets)) == len(outlets) for outlets in by_event.values())


@pytest.mark.parametrize(("per_day", "least_days", "most_days"), [(None, 0, 380), (0.2, 500, 1020)])
def test_a_steady_flow_spreads_a_corpus_over_more_days(
    per_day: float | None, least_days: int, most_days: int
) -> None:
    from datetime import datetime

    docs = generate(200, 5, per_day=per_day)
    times = sorted(datetime.fromisoformat(d.published or "") for d in docs)
    span = (times[-1] - times[0]).days
    assert least_days <= span <= most_days
