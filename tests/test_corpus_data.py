"""The labelled corpus (tests/data/corpus) is consistent and covers what it claims to cover."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import pytest

from sourcetrace.evaluation.corpus import GoldClaim, GoldCorpus, read_corpus

from .conftest import REPO

DATA = REPO / "tests" / "data" / "corpus"


@pytest.fixture(scope="module")
def corpus() -> GoldCorpus:
    # read_corpus places every mention (an exact substring of its document) and refuses an
    # unknown document id anywhere in the gold file.
    return read_corpus(DATA)


def _published(corpus: GoldCorpus) -> dict[str, datetime | None]:
    return {
        d.id: datetime.fromisoformat(d.published) if d.published else None for d in corpus.documents
    }


def test_size_and_story_membership(corpus: GoldCorpus) -> None:
    ids = [d.id for d in corpus.documents]
    in_stories = [doc for docs in corpus.stories.values() for doc in docs]
    assert len(ids) >= 30
    assert len(corpus.stories) >= 4
    assert len(in_stories) == len(set(in_stories))
    background = set(ids) - set(in_stories)
    assert len(background) >= 3, "unrelated background articles"


@pytest.mark.parametrize(("low", "high"), [(300, 600)])
def test_articles_are_full_length(corpus: GoldCorpus, low: int, high: int) -> None:
    for doc in corpus.documents:
        assert low <= len(doc.text.split()) <= high, doc.id


def test_mentions_lie_in_their_story(corpus: GoldCorpus) -> None:
    for claim in corpus.claims:
        story = set(corpus.stories[claim.story])
        assert {m.doc for m in claim.mentions} <= story, claim.id
        assert claim.origin in {m.doc for m in claim.mentions}, claim.id


def test_origin_is_the_earliest_dated_mention(corpus: GoldCorpus) -> None:
    published = _published(corpus)
    for claim in corpus.claims:
        dated = [(t, m.doc) for m in claim.mentions if (t := published[m.doc]) is not None]
        assert min(dated)[1] == claim.origin, claim.id


def test_echoes_point_back_in_time_to_a_mention(corpus: GoldCorpus) -> None:
    published = _published(corpus)
    for claim in corpus.claims:
        docs = {m.doc for m in claim.mentions}
        for echo in claim.echoes:
            assert {echo.doc, echo.of} <= docs, (claim.id, echo)
            later, earlier = published[echo.doc], published[echo.of]
            assert earlier is not None, (claim.id, echo)
            assert later is None or earlier < later, (claim.id, echo)
            if echo.how == "copies":
                assert (echo.doc, echo.of) in corpus.reuse, (claim.id, echo)


def test_reuse_points_back_in_time(corpus: GoldCorpus) -> None:
    published = _published(corpus)
    for doc, copies in corpus.reuse:
        assert published[copies] is not None
        assert published[doc] is not None
        assert published[copies] < published[doc]  # type: ignore[operator]


def test_every_claim_has_a_first_hand_mention(corpus: GoldCorpus) -> None:
    for claim in corpus.claims:
        echoing = {e.doc for e in claim.echoes}
        # Echoes add no source, so some document must state the claim first-hand.
        assert {m.doc for m in claim.mentions} - echoing, claim.id
        assert claim.independent_sources >= 1, claim.id


def test_conflicts_use_points_of_their_series(corpus: GoldCorpus) -> None:
    series = {s.id: s for s in corpus.series}
    for conflict in corpus.conflicts:
        assert set(conflict.points) <= set(series[conflict.series].points)
        assert len({p.value for p in conflict.points}) >= 2


def _with(claims: Iterable[GoldClaim], how: str) -> list[str]:
    return [c.id for c in claims if any(e.how == how for e in c.echoes)]


def test_the_set_covers_every_construction(corpus: GoldCorpus) -> None:
    claims = corpus.claims
    assert _with(claims, "cites"), "relays of another outlet"
    assert _with(claims, "copies"), "wire copies and rewrites"
    assert len(corpus.reuse) >= 3
    assert [c.id for c in claims if c.independent_sources >= 2], "independent confirmation"
    singles = [c for c in claims if len(c.mentions) == 1 and c.independent_sources == 1]
    assert singles, "single-source claims"
    assert any(d.published is None for d in corpus.documents), "an undated article"
    moving = [s for s in corpus.series if len({p.value for p in s.points}) >= 4]
    assert moving, "a moving figure (death toll)"
    assert corpus.conflicts
