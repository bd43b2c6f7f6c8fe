"""Text reuse: copies, new ledes and rewrites found with direction; independent reports not."""

from __future__ import annotations

import pytest

from sourcetrace.corpus.reuse import MIN_SHARE, find_reuse
from sourcetrace.errors import InputError
from sourcetrace.records import AnalysedDocument

from .texts import INDEPENDENT, NEW_LEDE, REWRITE, UNRELATED, UNRELATED_2, WIRE

# A short brief, and a long article that later carries it word for word in its middle.
BRIEF = (
    "A water main burst under Station Road in Kelby early on Monday, flooding the cellars of "
    "several shops and cutting supply to about four hundred homes. The water company said "
    "crews had isolated the pipe by mid-morning and expected to restore supply by the "
    "evening. Bottled water is being handed out at the sports hall on Mill Lane."
)
LONG_WITH_BRIEF = (
    "Shopkeepers on Station Road were counting the cost on Tuesday after the second flood in "
    "three years left stock ruined and floors covered in silt. The owner of a hardware shop "
    "said she had lost boxes of paint and tools that were stored below street level, and "
    "that her insurer had already asked for photographs of every damaged item. "
    + BRIEF
    + " Residents said the pressure had been weak for weeks before the burst, and a petition "
    "asking the company to replace the old iron pipes in the town centre has gathered more "
    "than a thousand names. The council plans to discuss the repairs at its meeting next "
    "month, when engineers from the company are due to present a timetable for the work. "
    "Traders hope the road will reopen before the weekend market, which draws visitors "
    "from the villages around Kelby."
)
# A long report, and a short later item that lifts two of its sentences and adds one.
LONG_REPORT = (
    WIRE + " By the evening the operator had brought in a heavy crane from Dunmore to lift the "
    "first of the wagons back onto the rails, a job it expected to take most of the night. "
    "Farmers who had sent grain on the train said they did not yet know who would pay for "
    "the lost cargo, and a grain trader in Harlow said prices at the local market had risen "
    "slightly on the news. The line was last closed for a long period four years ago, after "
    "a storm brought down trees near the same stretch of river. Engineers then recommended "
    "lowering the speed limit on the bend, but the operator said at the time that the track "
    "was safe. Councillors in Millbrook will hold an extra meeting on Friday to discuss the "
    "accident and the town's request for an inquiry."
)
SHORT_FROM_LONG = (
    "Eleven wagons tipped over on a bend beside the river, and workers spent hours moving "
    "spilled grain away from the water. Passenger services between the two cities were "
    "replaced by buses. The line is expected to reopen at the end of the week."
)
# An independent brief on the same burst: same facts and places, its own words.
BRIEF_INDEPENDENT = (
    "Around four hundred households in Kelby were left without running water on Monday when "
    "an old pipe gave way beneath Station Road. Several shops had water in their basements. "
    "Supply should be back by tonight, according to the water company, and the sports hall "
    "on Mill Lane is giving out bottled water in the meantime."
)


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
    ("earlier", "later", "copied"),
    [
        (BRIEF, LONG_WITH_BRIEF, True),
        (LONG_REPORT, SHORT_FROM_LONG, True),
        (BRIEF, BRIEF_INDEPENDENT, False),
        (LONG_REPORT, INDEPENDENT, False),
    ],
    ids=[
        "brief-in-long-article",
        "short-item-from-long-report",
        "independent-briefs",
        "long-vs-independent",
    ],
)
def test_partial_copies_between_texts_of_different_length(
    earlier: str, later: str, copied: bool
) -> None:
    # Such pairs have a low Jaccard similarity (the short text is a small part of the union)
    # but a high share: they must be found whatever the MinHash draws.
    docs = [doc("first", earlier, "2024-03-05"), doc("second", later, "2024-03-06")]
    pairs = find_reuse(docs)
    assert [(p.doc, p.copies) for p in pairs] == ([("second", "first")] if copied else [])


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
