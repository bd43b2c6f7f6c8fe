"""The corpus step end to end: ``link`` over a small two-event corpus, and the store round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sourcetrace.cli import main
from sourcetrace.corpus.build import link
from sourcetrace.corpus.graph import to_json
from sourcetrace.corpus.records import Claim, CorpusResult
from sourcetrace.corpus.tables import (
    as_dicts,
    read_claims,
    read_outlet_edges,
    read_reuse,
    read_series,
    read_stories,
    store_result,
)
from sourcetrace.errors import DUPLICATE_IN_CORPUS, EXIT_STORE, STORE_MISSING, InputError
from sourcetrace.records import AnalysedDocument
from sourcetrace.store import Store

from .claimdocs import Fig, Said, make_doc

WIRE = (
    "Floodwater swept through the river town of Riverton overnight, forcing hundreds of "
    "residents from their homes. Mayor Ana Ruiz said the Riverton bridge will close for three "
    "months of repairs. At least 4 people were killed in the flood, the county coroner said. "
    "Emergency crews used boats to reach families stranded on rooftops along the east bank, "
    "and shelters opened in two school gyms. The river crested just before dawn, about two "
    "metres above flood stage."
)
BRIDGE = Said("the Riverton bridge will close for three months of repairs", name="Ana Ruiz")
CORONER = Said("At least 4 people were killed in the flood", description="the county coroner")
FOUR = Fig("At least 4", 4, "people", "at_least")
RELAY = (
    "The bridge over the river at Riverton is to shut for three months, Mayor Ana Ruiz said, "
    "according to Coastline Wire. Floodwater still covered much of Riverton on Sunday, and "
    "residents who fled their homes stayed in the school gyms used as shelters. The death toll "
    "rose to 9 on Sunday evening. Emergency crews in boats searched the flooded east bank of "
    "the river for stranded families. The flood crested about two metres above flood stage "
    "before dawn on Saturday."
)
COUNCIL = (
    "The Lakeside city council voted on Tuesday to delay the new stadium project by a year. "
    "Council member Priya Shah said the stadium budget had grown by 40 percent since the plan "
    "was approved. Supporters of the stadium packed the chamber and booed the decision. The "
    "team's owner said he would look at other sites outside Lakeside."
)
COUNCIL_TOO = (
    "Lakeside's stadium project was delayed for a year after a council vote on Tuesday night. "
    "The stadium budget had grown by 40 percent since approval, said Priya Shah, a council "
    "member. Fans of the team jeered as council members voted, and the owner hinted that the "
    "team could leave Lakeside."
)


def _corpus() -> list[AnalysedDocument]:
    copy = "Residents of Riverton began returning to survey the damage on Sunday. " + WIRE
    # The wire story and a later copy of it: the same attributions and figure.
    wire_and_copy = [
        make_doc(
            doc_id,
            text,
            outlet=outlet,
            published=published,
            said=(BRIDGE, CORONER),
            figures=(FOUR,),
        )
        for doc_id, text, outlet, published in (
            ("wire", WIRE, "Coastline Wire", "2026-03-01T06:00:00Z"),
            ("copy", copy, "Valley Times", "2026-03-01T09:00:00Z"),
        )
    ]
    return [
        *wire_and_copy,
        make_doc(
            "relay",
            RELAY,
            outlet="Harbor Post",
            published="2026-03-02T08:00:00Z",
            said=(
                Said(
                    "The bridge over the river at Riverton is to shut for three months",
                    name="Ana Ruiz",
                    via=("Coastline Wire",),
                ),
            ),
            unsourced=("The death toll rose to 9 on Sunday evening",),
            figures=(Fig("9", 9, None),),
        ),
        make_doc(
            "council",
            COUNCIL,
            outlet="Harbor Post",
            published="2026-03-05",
            said=(
                Said(
                    "the stadium budget had grown by 40 percent since the plan was approved",
                    name="Priya Shah",
                ),
            ),
            unsourced=(
                "The Lakeside city council voted on Tuesday to delay the new stadium "
                "project by a year",
            ),
            figures=(Fig("40 percent", 40, "percent"),),
        ),
        make_doc(
            "council2",
            COUNCIL_TOO,
            outlet="Evening Ledger",
            published=None,
            said=(
                Said(
                    "The stadium budget had grown by 40 percent since approval", name="Priya Shah"
                ),
            ),
            unsourced=(
                "Lakeside's stadium project was delayed for a year after a council "
                "vote on Tuesday night",
            ),
            figures=(Fig("40 percent", 40, "percent"),),
        ),
    ]


@pytest.fixture(scope="module")
def result() -> CorpusResult:
    return link(_corpus())


def _claim(result: CorpusResult, word: str) -> Claim:
    found = [c for c in result.claims if word in c.text]
    assert len(found) == 1, [c.text for c in result.claims]
    return found[0]


def test_stories_and_reuse(result: CorpusResult) -> None:
    assert sorted(sorted(s.documents) for s in result.stories) == [
        ["copy", "relay", "wire"],
        ["council", "council2"],
    ]
    assert [(p.doc, p.copies) for p in result.reuse] == [("copy", "wire")]


@pytest.mark.parametrize(
    ("word", "mentions", "echoes", "independent", "flags"),
    [
        # The wire's quote, copied by one outlet and relayed by another: one source.
        (
            "bridge",
            3,
            {("copy", "wire", "copies"), ("relay", "wire", "cites")},
            1,
            {"single_source"},
        ),
        # The coroner's toll, only ever from the wire.
        ("killed", 2, {("copy", "wire", "copies")}, 1, {"single_source"}),
        # Two outlets' own reporting of the vote, one of them undated.
        ("voted", 2, set(), 2, {"undated"}),
        # One named councillor quoted by two outlets independently: still one source.
        ("budget", 2, set(), 1, {"single_source", "undated"}),
    ],
)
def test_claims(
    result: CorpusResult,
    word: str,
    mentions: int,
    echoes: set[tuple[str, str, str]],
    independent: int,
    flags: set[str],
) -> None:
    claim = _claim(result, word)
    assert len(claim.mentions) == mentions
    assert {(e.doc, e.of, e.how) for e in claim.echoes} == echoes
    assert claim.independent_sources == independent
    assert set(claim.flags) == flags


def test_series_and_outlet_graph(result: CorpusResult) -> None:
    deaths = [s for s in result.series if s.what == "deaths"]
    assert [[(p.doc, p.value) for p in s.points] for s in deaths] == [
        [("wire", 4), ("copy", 4), ("relay", 9)]
    ]
    assert {(e.source, e.target, e.relays, e.copies) for e in result.outlet_edges} == {
        ("Valley Times", "Coastline Wire", 0, 1),
        ("Harbor Post", "Coastline Wire", 1, 0),
    }


def test_ids_do_not_depend_on_input_order(result: CorpusResult) -> None:
    docs = _corpus()
    again = link(list(reversed(docs)), {d.id: i for i, d in enumerate(docs)})
    assert [s.id for s in again.stories] == [s.id for s in result.stories]
    assert as_dicts(again.claims) == as_dicts(result.claims)


def _stored(result: CorpusResult, tmp_path: Path) -> Path:
    """A database holding the corpus documents and ``result``."""
    db = tmp_path / "corpus.db"
    with Store(db) as store:
        for doc in _corpus():
            store.put(doc)
        store_result(store, result)
    return db


def test_store_round_trip_and_commands(
    result: CorpusResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _stored(result, tmp_path)
    with Store(db) as store:
        assert as_dicts(read_stories(store)) == as_dicts(result.stories)
        assert as_dicts(read_claims(store)) == as_dicts(result.claims)
        assert as_dicts(read_series(store)) == as_dicts(result.series)
        assert as_dicts(read_reuse(store)) == as_dicts(result.reuse)
        assert read_outlet_edges(store) == result.outlet_edges
        story = next(s for s in result.stories if "council" in s.documents)
        assert {c.story for c in read_claims(store, story.id)} == {story.id}
        assert read_reuse(store, story.id) == ()
        assert read_outlet_edges(store, story.id) == ()
    for command, expected in [
        ("stories", as_dicts(result.stories)),
        ("claims", as_dicts(result.claims)),
        ("figures", as_dicts(result.series)),
        ("reuse", as_dicts(result.reuse)),
        ("outlets", to_json(result.outlet_edges)),
    ]:
        assert main([command, "--db", str(db), "--format", "json"]) == 0
        assert json.loads(capsys.readouterr().out) == expected


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["stories"], ["STORY", "Floodwater swept through"]),
        (["claims"], ["independent sources: 1", "echoes: copy copies wire; relay cites wire"]),
        (["figures"], ["deaths (story", "at_least", "Harbor Post"]),
        (["reuse"], ["DOC", "copy", "wire"]),
        (["outlets"], ["Valley Times", "Coastline Wire"]),
        (["outlets", "--format", "graphml"], ["<graphml", 'key="copies">1<']),
    ],
)
def test_commands_print_tables_and_graphml(
    result: CorpusResult,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    expected: list[str],
) -> None:
    db = _stored(result, tmp_path)
    assert main([*argv, "--db", str(db)]) == 0
    out = capsys.readouterr().out
    for text in expected:
        assert text in out


def test_a_missing_database_is_an_error_not_a_new_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "nothing.db"
    assert main(["claims", "--db", str(db)]) == EXIT_STORE
    assert not db.exists()
    assert STORE_MISSING in capsys.readouterr().err


def test_duplicate_ids_are_refused() -> None:
    docs = _corpus()
    with pytest.raises(InputError, match=DUPLICATE_IN_CORPUS):
        link([*docs, docs[0]])
