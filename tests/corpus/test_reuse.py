"""Text reuse: copies, new ledes and rewrites found with direction; independent reports not."""

from __future__ import annotations

import pytest

from sourcetrace.corpus.reuse import MIN_SHARE, find_reuse
from sourcetrace.errors import InputError
from sourcetrace.records import AnalysedDocument

from .texts import INDEPENDENT, NEW_LEDE, REWRITE, UNRELATED, UNRELATED_2, WIRE


def doc(doc_id: str, text: str, published: str | None = None) -> AnalysedDocument:
    return AnalysedDocument(id=doc_id, text=text, attributions=(), published=published)


@pytest.mark.parametrize(
    ("later", "copied"),
    [
        (WIRE, True),
        (NEW_LEDE, True),
        (REWRITE, True),
        (INDEPENDENT, False),
        (UNRELATED, False),
        (UNRELATED_2, False),
    ],
    ids=["wire-copy", "new-lede", "rewrite", "independent", "unrelated", "unrelated-2"],
)
def test_copies_found_independent_reports_not(later: str, copied: bool) -> None:
    docs = [doc("wire", WIRE, "2024-03-05T08:00:00Z"), doc("other", later, "2024-03-05T12:00:00Z")]
    pairs = find_reuse(docs)
    assert [(p.doc, p.copies) for p in pairs] == ([("other", "wire")] if copied else [])
    assert all(MIN_SHARE <= p.share <= 1.0 for p in pairs)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [(WIRE, 1.0, 1.0), (NEW_LEDE, 0.85, 0.99), (REWRITE, 0.3, 0.85)],
)
def test_share_reflects_how_much_is_copied(text: str, low: float, high: float) -> None:
    (pair,) = find_reuse([doc("wire", WIRE), doc("copy", text)])
    assert low <= pair.share <= high


@pytest.mark.parametrize(
    ("published", "order", "expected"),
    [
        # Dated: the later publication is the copy, whatever the list order.
        ({"a": "2024-03-06", "b": "2024-03-05"}, None, ("a", "b")),
        ({"a": "2024-03-05T09:00:00+00:00", "b": "2024-03-05T10:00:00+00:00"}, None, ("b", "a")),
        # Zones are honoured: 09:00 in New York is after 10:00 in London.
        ({"a": "2024-03-05T09:00:00-05:00", "b": "2024-03-05T10:00:00+00:00"}, None, ("a", "b")),
        # Undated or unparseable: ingest order decides, from ``order`` or list position.
        ({}, None, ("b", "a")),
        ({}, {"a": 2, "b": 1}, ("a", "b")),
        ({"a": "2024-03-06"}, {"a": 0, "b": 1}, ("b", "a")),
        ({"a": "yesterday", "b": "not a date"}, {"a": 5, "b": 3}, ("a", "b")),
        # Same time: ingest order again.
        ({"a": "2024-03-05", "b": "2024-03-05"}, {"a": 1, "b": 0}, ("a", "b")),
    ],
)
def test_direction(
    published: dict[str, str], order: dict[str, int] | None, expected: tuple[str, str]
) -> None:
    docs = [doc("a", WIRE, published.get("a")), doc("b", NEW_LEDE, published.get("b"))]
    (pair,) = find_reuse(docs, order)
    assert (pair.doc, pair.copies) == expected


def test_wire_copies_pair_with_every_earlier_copy_and_run_is_stable() -> None:
    docs = [doc(f"d{i}", NEW_LEDE if i else WIRE, f"2024-03-0{i + 1}") for i in range(3)]
    docs.append(doc("x", UNRELATED, "2024-03-02"))
    pairs = find_reuse(docs)
    assert [(p.doc, p.copies) for p in pairs] == [("d1", "d0"), ("d2", "d0"), ("d2", "d1")]
    assert find_reuse(list(reversed(docs)), {d.id: i for i, d in enumerate(docs)}) == pairs


@pytest.mark.parametrize("texts", [[], [""], ["short text"], [UNRELATED, ""]])
def test_empty_and_tiny_corpora(texts: list[str]) -> None:
    assert find_reuse([doc(f"d{i}", t) for i, t in enumerate(texts)]) == ()


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(InputError, match="same id twice"):
        find_reuse([doc("x", WIRE), doc("x", UNRELATED)])
