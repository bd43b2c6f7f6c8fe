"""Relay chains (sourcetrace.relays) on sentences written for these tests, real parser."""

from __future__ import annotations

import itertools

import pytest
from spacy.language import Language

from sourcetrace.attribution.learned import load_extractor
from sourcetrace.records import Attribution, Span
from sourcetrace.relays import MAX_RELAYS, find_relays

# An attribution as (source, cue, content) phrases, each meaning its first occurrence in the
# text; a source of None means the text names nobody.
Phrases = tuple[str | None, str, str]


def _span(text: str, phrase: str) -> Span:
    """Span of the first occurrence of a phrase."""
    start = text.index(phrase)
    return Span.of(text, start, start + len(phrase))


def _attributions(text: str, items: list[Phrases]) -> list[Attribution]:
    """Hand-built attributions from phrases."""
    return [
        Attribution(
            f"a{i}",
            "indirect",
            _span(text, source) if source else None,
            _span(text, cue),
            _span(text, content),
        )
        for i, (source, cue, content) in enumerate(items, 1)
    ]


def _chains(
    nlp: Language, text: str, items: list[Phrases], own: str | None = None
) -> list[list[tuple[str, int]]]:
    """The relays of each attribution as (name, hop) pairs, checking offsets on the way."""
    doc = nlp(text)
    out = []
    for relays in find_relays(doc, _attributions(text, items), own_outlet=own):
        for relay in relays:
            assert relay.kind == "outlet"
            surface = text[relay.start : relay.end]
            assert surface and surface == surface.strip()
        out.append([(r.name, r.hop) for r in relays])
    return out


SINGLE = [
    (
        "Mayor Ada Kell told Reuters that the bridge would reopen in May.",
        ("Mayor Ada Kell", "told", "the bridge would reopen in May"),
        [("Reuters", 1)],
    ),
    (
        "Tariffs will fall by a tenth, officials quoted by Nikkei Asia and reported by "
        "Bloomberg said on Monday.",
        ("officials", "said", "Tariffs will fall by a tenth"),
        [("Nikkei Asia", 1), ("Bloomberg", 2)],
    ),
    (
        "The truce held overnight, according to reports from the Kestrel News Agency, as "
        "cited by Al Jazeera and other outlets.",
        ("reports from the Kestrel News Agency", "according to", "The truce held overnight"),
        [("Kestrel News Agency", 1), ("Al Jazeera English", 2)],
    ),
    (
        "The two banks are in talks to merge, according to the Financial Times and Le Monde.",
        ("the Financial Times and Le Monde", "according to", "The two banks are in talks"),
        [("Financial Times", 1), ("Le Monde", 1)],
    ),
    (
        "The Guardian reported, citing officials, that the contract would be scrapped.",
        ("The Guardian", "reported", "the contract would be scrapped"),
        [("The Guardian", 1)],
    ),
    (
        "The Guardian reported that the contract would be scrapped.",
        ("The Guardian", "reported", "the contract would be scrapped"),
        [],
    ),
    (
        "A council aide told local media that the budget was short by a third.",
        ("A council aide", "told", "the budget was short by a third"),
        [("local media", 1)],
    ),
    (
        "The ferry will stop running, a report by the island daily Nap said.",
        ("a report by the island daily Nap", "said", "The ferry will stop running"),
        [],
    ),
    (
        "Engineers warned of the fault early, according to a report in the Skarra Times.",
        ("a report in the Skarra Times", "according to", "Engineers warned"),
        [("Skarra Times", 1)],
    ),
    (
        'The agent said "the singer has been here three times," Reuters reported.',
        ("Reuters", "reported", "the singer has been here three times"),
        [],
    ),
]


@pytest.mark.parametrize(("text", "phrases", "expected"), SINGLE)
def test_relay_constructions(
    nlp: Language, text: str, phrases: Phrases, expected: list[tuple[str, int]]
) -> None:
    assert _chains(nlp, text, [phrases]) == [expected]


@pytest.mark.parametrize(
    ("text", "own", "expected"),
    [
        ("Ms. Dale told Reuters that the plant would close.", "Reuters", []),
        ("Ms. Dale told Reuters that the plant would close.", "The Guardian", [("Reuters", 1)]),
        (
            "Ms. Dale said in an email to the Standard that the plant would close.",
            "The Selby Standard",
            [],
        ),
    ],
)
def test_own_outlet_is_never_a_relay(
    nlp: Language, text: str, own: str, expected: list[tuple[str, int]]
) -> None:
    phrases: Phrases = ("Ms. Dale", "told" if "told" in text else "said", "the plant would close")
    assert _chains(nlp, text, [phrases], own=own) == [expected]


REPORT = "Talks have stalled, officials quoted by Reuters said. "
CHAIN = [("Reuters", 1)]

SCOPING = [
    # The next quote from "the official" in the same passage continues the report.
    (
        REPORT + "The officials added that a new round was planned.",
        [
            ("officials", "said", "Talks have stalled"),
            ("The officials", "added", "a new round was planned"),
        ],
        [CHAIN, CHAIN],
    ),
    # A pronoun in the next paragraph still continues it.
    (
        REPORT + "\n\nThey said a new round was planned.",
        [("officials", "said", "Talks have stalled"), ("They", "said a", "a new round")],
        [CHAIN, CHAIN],
    ),
    # A new named speaker stops it, also for a pronoun after that speaker.
    (
        REPORT + "Minister Lea Osk said the talks were going well. She said more was coming.",
        [
            ("officials", "said", "Talks have stalled"),
            ("Minister Lea Osk", "said the", "the talks were going well"),
            ("She", "said more", "more was coming"),
        ],
        [CHAIN, [], []],
    ),
    # A paragraph naming another outlet stops it.
    (
        REPORT + "\n\nThe BBC aired a documentary. The officials said the talks would resume.",
        [
            ("officials", "said", "Talks have stalled"),
            ("The officials", "said the", "the talks would resume"),
        ],
        [CHAIN, []],
    ),
    # It does not jump across an unrelated paragraph.
    (
        REPORT
        + "\n\nThe harbour was quiet on Sunday.\n\nThe officials said the talks would resume.",
        [
            ("officials", "said", "Talks have stalled"),
            ("The officials", "said the", "the talks would resume"),
        ],
        [CHAIN, []],
    ),
    # "Told" is one exchange: it does not scope over the speaker's next statement.
    (
        "Ms. Dale told Reuters that the plant would close. Ms. Dale said jobs would go.",
        [("Ms. Dale told", "told", "the plant would close"), ("Dale said", "said", "jobs")],
        [[("Reuters", 1)], []],
    ),
]


@pytest.mark.parametrize(("text", "items", "expected"), SCOPING)
def test_scoping(
    nlp: Language, text: str, items: list[Phrases], expected: list[list[tuple[str, int]]]
) -> None:
    assert _chains(nlp, text, items) == expected


def test_many_outlets_in_one_paragraph_give_bounded_output(nlp: Language) -> None:
    text = "Prices rose, according to " + " and ".join(["Reuters"] * 200) + "."
    doc = nlp(text)
    attributions = _attributions(text, [(None, "according to", "Prices rose")])
    (relays,) = find_relays(doc, attributions)
    assert 1 <= len(relays) <= MAX_RELAYS
    assert {r.hop for r in relays} == {1}
    assert all(text[r.start : r.end] == "Reuters" for r in relays)


@pytest.mark.parametrize(
    ("outlet_phrase", "expected"),
    [
        ("the weekly Vossa", [("Vossa", 1)]),
        ("the WEEKLY Vossa", [("Vossa", 1)]),
        ("the regional TV station Vossa", [("Vossa", 1)]),
        ("the local news site Vossa", [("Vossa", 1)]),
        ("the council Vossa", []),
        ("the weeklyish Vossa", []),
    ],
)
def test_name_after_an_outlet_noun(
    nlp: Language, outlet_phrase: str, expected: list[tuple[str, int]]
) -> None:
    text = f"Mayor Ada Kell told {outlet_phrase} that the bridge would reopen in May."
    phrases = ("Mayor Ada Kell", "told", "the bridge would reopen in May")
    assert _chains(nlp, text, [phrases]) == [expected]


def test_no_attributions_give_no_chains(nlp: Language) -> None:
    assert find_relays(nlp("Reuters and the BBC were both there."), []) == ()


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("The harbour will close for a week, port director Ilse Maren told Reuters.", "Reuters"),
        ("Ticket prices will rise in June, Ms. Varga told the BBC on Friday.", "BBC"),
    ],
)
def test_with_learned_attributions(nlp: Language, text: str, outlet: str) -> None:
    doc = nlp(text)
    attributions = load_extractor()(doc)
    chains = find_relays(doc, attributions)
    assert len(chains) == len(attributions)
    assert any(r.name == outlet for chain in chains for r in chain)


@pytest.mark.parametrize(
    ("text", "phrases", "own", "expected"),
    [
        (
            "The pier has been unsafe for years, according to the Coastal Herald.",
            ("the Coastal Herald", "according to", "The pier has been unsafe for years"),
            None,
            [("Coastal Herald", 1)],
        ),
        (
            "The pier has been unsafe for years, according to the Coastal Herald.",
            ("the Coastal Herald", "according to", "The pier has been unsafe for years"),
            "Coastal Herald",
            [],
        ),
        (
            "The Coastal Herald reported that the pier has been unsafe for years.",
            ("The Coastal Herald", "reported", "the pier has been unsafe for years"),
            None,
            [],
        ),
        (
            "The port will stay shut until June, according to Reuters.",
            ("Reuters", "according to", "The port will stay shut until June"),
            "Coastal Herald",
            [("Reuters", 1)],
        ),
        (
            "The airline will drop six routes, according to The Wall Street Journal and CNBC.",
            ("The Wall Street Journal", "according to", "The airline will drop six routes"),
            None,
            [("The Wall Street Journal", 1), ("CNBC", 1)],
        ),
        (
            "Engineers quoted by the Coastal Herald and reported by the Coastal Herald said the "
            "pier was unsafe.",
            ("Engineers", "said", "the pier was unsafe"),
            None,
            [("Coastal Herald", 1)],
        ),
    ],
)
def test_an_outlet_relays_only_when_not_speaking_itself(
    nlp: Language, text: str, phrases: Phrases, own: str | None, expected: list[tuple[str, int]]
) -> None:
    (chain,) = _chains(nlp, text, [phrases], own)
    assert chain == expected
    names = [name for name, _ in chain]
    assert all(a != b for a, b in itertools.pairwise(names))
