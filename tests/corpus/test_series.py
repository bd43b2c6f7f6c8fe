"""Figures over time: series per quantity, in time order, with conflicts."""

from __future__ import annotations

import pytest

from sourcetrace.corpus.records import Story, content_id
from sourcetrace.corpus.series import can_conflict, figure_series, is_increment, quantity
from sourcetrace.records import AnalysedDocument

from .claimdocs import Fig, Said, make_doc


@pytest.mark.parametrize(
    ("text", "phrase", "what", "expected"),
    [
        ("At least 4 people were killed in the flood.", "At least 4", "people", "deaths"),
        ("The blast killed 3 people on the pier.", "3", "people", "deaths"),
        ("Rescuers counted 12 dead by nightfall.", "12", "dead", "deaths"),
        ("There were 12 fatalities in all.", "12", "fatalities", "deaths"),
        ("The storm claimed 7 lives.", "7", "lives", "deaths"),
        ("Some 5 workers were hurt in the fire.", "5", "workers", "injured"),
        ("Nine residents were injured.", "Nine", "residents", "injured"),
        ("The death toll stands at 30 tonight.", "30", None, "deaths"),
        ("About 200 homes were destroyed.", "About 200", "homes", "homes"),
        ("Prices fell 4 percent in March.", "4 percent", "percent", "percent"),
        ("The final score was 54 to 46.", "54", None, None),
    ],
)
def test_quantity_names_the_series(
    text: str, phrase: str, what: str | None, expected: str | None
) -> None:
    doc = make_doc("q", text, figures=(Fig(phrase, 1, what),))
    assert quantity(doc.figures[0], text) == expected


def _story(docs: list[AnalysedDocument]) -> Story:
    return Story(content_id("s", [d.id for d in docs]), "flood", tuple(d.id for d in docs))


def _toll(
    doc_id: str,
    text: str,
    phrase: str,
    value: float,
    what: str | None,
    outlet: str | None = None,
    published: str | None = None,
) -> AnalysedDocument:
    figure = Fig(phrase, value, what)
    return make_doc(doc_id, text, outlet=outlet, published=published, figures=(figure,))


MOVING = [
    _toll(
        "m3",
        "Rescuers have now counted 12 deaths.",
        "12",
        12,
        "deaths",
        outlet="Valley Times",
        published="2026-03-03",
    ),
    _toll(
        "m1",
        "At least 4 people were killed in the flood, officials said.",
        "At least 4",
        4,
        "people",
        outlet="Harbor Post",
        published="2026-03-01",
    ),
    _toll(
        "m2",
        "The death toll rose to 9 on Tuesday.",
        "9",
        9,
        None,
        outlet="Evening Ledger",
        published="2026-03-02",
    ),
]


def test_a_moving_death_toll_is_one_series_in_time_order() -> None:
    (series,) = figure_series(_story(MOVING), MOVING)
    assert series.what == "deaths"
    assert [(p.doc, p.value) for p in series.points] == [("m1", 4), ("m2", 9), ("m3", 12)]
    assert [p.outlet for p in series.points] == ["Harbor Post", "Evening Ledger", "Valley Times"]
    assert series.conflicts == ()


@pytest.mark.parametrize(
    ("published", "values", "conflict"),
    [
        # Two outlets, same day, different counts: a conflict for that day.
        (("2026-03-02T08:00:00Z", "2026-03-02T21:00:00Z"), (17, 21), "2026-03-02"),
        # Same day, same count: no conflict.
        (("2026-03-02", "2026-03-02"), (17, 17), None),
        # Different days: the count moved.
        (("2026-03-02", "2026-03-04"), (17, 21), None),
        # Both undated: reported for the same unknown time.
        ((None, None), (17, 21), "undated"),
    ],
)
def test_conflicting_figures(
    published: tuple[str | None, str | None], values: tuple[int, int], conflict: str | None
) -> None:
    docs = [
        make_doc(
            f"c{i}",
            f"{value} people died in the flood, {who} said.",
            outlet=outlet,
            published=when,
            said=(Said(f"{value} people died in the flood", description=who),),
            figures=(Fig(str(value), value, "people"),),
        )
        for i, (value, who, outlet, when) in enumerate(
            zip(
                values,
                ("the coroner", "the fire service"),
                ("Harbor Post", "Evening Ledger"),
                published,
                strict=True,
            )
        )
    ]
    (series,) = figure_series(_story(docs), docs)
    assert [p.speaker for p in series.points] == ["the coroner", "the fire service"]
    if conflict is None:
        assert series.conflicts == ()
    else:
        (found,) = series.conflicts
        assert (found.published or "undated") == conflict
        assert sorted(p.value for p in found.points) == sorted(values)


def test_one_document_with_two_values_is_no_conflict() -> None:
    text = "Officials said 3 people were killed, then revised it: 5 people were killed."
    doc = make_doc(
        "one", text, published="2026-03-02", figures=(Fig("3", 3, "people"), Fig("5", 5, "people"))
    )
    (series,) = figure_series(_story([doc]), [doc])
    assert [p.value for p in series.points] == [3, 5]
    assert series.conflicts == ()


def test_undated_points_follow_dated_ones_in_ingest_order() -> None:
    docs = [
        _toll("u2", "By noon 6 people were injured.", "6", 6, "people"),
        _toll("u1", "At least 2 people were injured.", "At least 2", 2, "people"),
        _toll("d1", "Four people were injured.", "Four", 4, "people", published="2026-03-05"),
    ]
    order = {"u1": 0, "u2": 1, "d1": 2}
    (series,) = figure_series(_story(docs), docs, order)
    assert series.what == "injured"
    assert [p.doc for p in series.points] == ["d1", "u1", "u2"]
    assert len(series.conflicts) == 1
    assert {p.doc for p in series.conflicts[0].points} == {"u1", "u2"}


def test_figures_outside_the_story_and_without_a_quantity_are_left_out() -> None:
    outsider = _toll("x", "At least 50 people were killed.", "At least 50", 50, "people")
    unknown = _toll("y", "The final score was 54 to 46.", "54", 54, None)
    series = figure_series(_story([MOVING[1], unknown]), [outsider, *MOVING, unknown])
    assert [(s.what, [p.doc for p in s.points]) for s in series] == [("deaths", ["m1"])]


@pytest.mark.parametrize(
    ("text", "phrase", "increment"),
    [
        ("Divers recovered 3 more bodies from the wreck.", "3", True),
        ("Another 2 people died in hospital overnight.", "2", True),
        ("Crews found 4 additional victims on Tuesday.", "4", True),
        ("The death toll rose to 9 on Tuesday.", "9", False),
        ("At least 4 people were killed, more than feared.", "At least 4", False),
    ],
)
def test_an_increment_is_not_a_level(text: str, phrase: str, increment: bool) -> None:
    doc = make_doc("i", text, figures=(Fig(phrase, 1, None),))
    assert is_increment(doc.figures[0], text) is increment


def test_increments_are_left_out_of_the_series() -> None:
    docs = [
        _toll("a", "The death toll rose to 7 on Monday.", "7", 7, None, published="2026-03-02"),
        _toll(
            "b",
            "Divers recovered 3 more bodies on Monday.",
            "3",
            3,
            "bodies",
            published="2026-03-02",
        ),
    ]
    (series,) = figure_series(_story(docs), docs)
    assert [(p.doc, p.value) for p in series.points] == [("a", 7)]
    assert series.conflicts == ()


@pytest.mark.parametrize(
    ("what", "conflicts"),
    [
        ("deaths", True),
        ("injured", True),
        ("percent", False),
        ("dollars", False),
        ("kilometre", False),
        ("people", False),
        ("member", False),
    ],
)
def test_only_specific_quantities_can_conflict(what: str, conflicts: bool) -> None:
    assert can_conflict(what) is conflicts


@pytest.mark.parametrize(
    ("values", "speakers", "conflict"),
    [
        # Different values from different sources on one day: a conflict.
        ((7, 11), ("the coast guard", "a hospital official"), True),
        # One speaker's two values on one day, in two outlets: an update, not a clash.
        ((7, 9), ("the coast guard", "The Coast Guard"), False),
        # Unsourced counts in two outlets: they clash.
        ((7, 11), (None, None), True),
    ],
)
def test_a_conflict_needs_different_sources(
    values: tuple[int, int], speakers: tuple[str | None, str | None], conflict: bool
) -> None:
    docs = []
    for i, (value, who) in enumerate(zip(values, speakers, strict=True)):
        text = f"The death toll rose to {value}" + (f", {who} said." if who else ".")
        said = (Said(f"The death toll rose to {value}", description=who),) if who else ()
        docs.append(
            make_doc(
                f"s{i}",
                text,
                outlet=f"Outlet {i}",
                published="2026-03-02",
                said=said,
                figures=(Fig(str(value), value, None),),
            )
        )
    (series,) = figure_series(_story(docs), docs)
    assert bool(series.conflicts) is conflict
