"""Claims: statements grouped across a story, with origin, sources, echoes and flags."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from sourcetrace.corpus.claims import (
    SAME_CLAIM,
    clause_pieces,
    clause_units,
    content_words,
    group_claims,
    same_name,
    similarity,
    speaker_titles,
    statements,
)
from sourcetrace.corpus.records import Claim, ReusePair, Story, content_id
from sourcetrace.records import AnalysedDocument, Span

from .claimdocs import Said, make_doc

# (statement, statement, same claim?) — paraphrases and near misses about one event.
PAIRS = [
    (
        "The Riverton bridge will close for three months",
        "The Riverton bridge is to shut for three months",
        True,
    ),
    (
        "The dam inspection found cracks in the spillway",
        "Inspectors found cracks in the dam's spillway",
        True,
    ),
    ("Two people were arrested at the scene", "Police arrested two people at the scene", True),
    (
        "The utility will pay for the repairs to the Riverton water plant",
        "The utility agreed to pay for repairing the Riverton water plant",
        True,
    ),
    (
        "At least 4 people were killed in the flood",
        "At least 9 people were killed in the flood",
        True,
    ),
    (
        "The council voted to delay the stadium project",
        "The stadium project was delayed after a council vote",
        True,
    ),
    (
        "The Riverton bridge will close for three months",
        "The Riverton flood damaged two hundred homes",
        False,
    ),
    ("Two people were arrested at the scene", "Two people were killed in the flood", False),
    ("The bridge will close", "The bridge was built long ago", False),
    ("The utility will pay for the repairs", "The utility denied any fault in the outage", False),
    (
        "The council voted to delay the stadium project",
        "The council will meet again next month",
        False,
    ),
    ("Cracks were found in the spillway", "The spillway was last inspected in 2019", False),
    # Paraphrases through the synonym table: one word or a two-word phrase for another.
    ("The harbour master will step down next month", "The harbour master plans to resign", True),
    ("The ferry licence lapsed in May", "The ferry licence had expired in May", True),
    ("The walkout shut the cannery", "The strike shut the cannery", True),
    (
        "Regulators opened an inquiry into the refinery",
        "Regulators are investigating the refinery",
        True,
    ),
    ("The ferry licence lapsed in May", "The ferry company was fined in May", False),
]


@pytest.mark.parametrize(("first", "second", "same"), PAIRS)
def test_statements_score_against_the_threshold(first: str, second: str, same: bool) -> None:
    a = statements(make_doc("x", first, unsourced=(first,)))[0]
    b = statements(make_doc("y", second, unsourced=(second,)))[0]
    assert (similarity(a, b) >= SAME_CLAIM) is same
    assert similarity(a, b) == similarity(b, a)


def _story(*docs: AnalysedDocument) -> Story:
    ids = [d.id for d in docs]
    return Story(content_id("s", ids), "test", tuple(ids))


def _claims(docs: list[AnalysedDocument], reuse: tuple[ReusePair, ...] = ()) -> tuple[Claim, ...]:
    return group_claims(_story(*docs), docs, reuse)


def _only(claims: tuple[Claim, ...], word: str) -> Claim:
    """The one claim whose text contains ``word``."""
    found = [c for c in claims if word in c.text]
    assert len(found) == 1, [c.text for c in claims]
    return found[0]


WIRE = "The mayor said the Riverton bridge will close for three months of repairs."
WIRE_SAID = Said("the Riverton bridge will close for three months of repairs", name="Ana Ruiz")

CASES = {
    # A wire story and a verbatim copy of it: one source, the copy echoes.
    "wire copy": (
        [
            make_doc(
                "w1",
                WIRE,
                outlet="Coastline Wire",
                published="2026-03-01T08:00:00Z",
                said=(WIRE_SAID,),
            ),
            make_doc(
                "w2",
                WIRE,
                outlet="Valley Times",
                published="2026-03-01T10:00:00Z",
                said=(WIRE_SAID,),
            ),
        ],
        (ReusePair("w2", "w1", 0.97),),
        {
            "origin": "w1",
            "mentions": 2,
            "sources": ("Ana Ruiz",),
            "independent": 1,
            "echoes": {("w2", "w1", "copies")},
            "flags": {"single_source"},
        },
    ),
    # A relay: the later outlet says it got the claim from the earlier one.
    "relay": (
        [
            make_doc(
                "r1",
                "Engineer Lea Park said the dam inspection found cracks in the spillway.",
                outlet="Harbor Post",
                published="2026-03-02",
                said=(Said("the dam inspection found cracks in the spillway", name="Lea Park"),),
            ),
            make_doc(
                "r2",
                "Inspectors found cracks in the dam's spillway, Lea Park said, "
                "according to the Harbor Post.",
                outlet="Evening Ledger",
                published="2026-03-03",
                said=(
                    Said(
                        "Inspectors found cracks in the dam's spillway",
                        name="Lea Park",
                        via=("Harbor Post",),
                    ),
                ),
            ),
        ],
        (),
        {
            "origin": "r1",
            "mentions": 2,
            "sources": ("Lea Park",),
            "independent": 1,
            "echoes": {("r2", "r1", "cites")},
            "flags": {"single_source"},
        },
    ),
    # Relayed through an outlet that is not in the corpus: no echo, the speaker counts once.
    "relay outside the corpus": (
        [
            make_doc(
                "o1",
                "Engineer Lea Park said the dam inspection found cracks in the spillway.",
                outlet="Harbor Post",
                published="2026-03-02",
                said=(Said("the dam inspection found cracks in the spillway", name="Lea Park"),),
            ),
            make_doc(
                "o2",
                "Inspectors found cracks in the dam's spillway, Lea Park told Radio North.",
                outlet="Evening Ledger",
                published="2026-03-03",
                said=(
                    Said(
                        "Inspectors found cracks in the dam's spillway",
                        name="Lea Park",
                        via=("Radio North",),
                    ),
                ),
            ),
        ],
        (),
        {
            "origin": "o1",
            "mentions": 2,
            "sources": ("Lea Park",),
            "independent": 1,
            "echoes": set(),
            "flags": {"single_source"},
        },
    ),
    # Two outlets, each with its own named source: two independent confirmations.
    "independent confirmations": (
        [
            make_doc(
                "i1",
                "Police Chief Omar Lind said two people were arrested at the scene.",
                outlet="Harbor Post",
                published="2026-03-02T09:00:00Z",
                said=(
                    Said(
                        "two people were arrested at the scene", name="Omar Lind", kind="official"
                    ),
                ),
            ),
            make_doc(
                "i2",
                "Deputies arrested two people at the scene, Sheriff Mia Torres said.",
                outlet="Evening Ledger",
                published="2026-03-02T11:00:00Z",
                said=(
                    Said(
                        "Deputies arrested two people at the scene",
                        name="Mia Torres",
                        kind="official",
                    ),
                ),
            ),
        ],
        (),
        {
            "origin": "i1",
            "mentions": 2,
            "sources": ("Omar Lind", "Mia Torres"),
            "independent": 2,
            "echoes": set(),
            "flags": set(),
        },
    ),
    # One anonymous source, copied by a second outlet.
    "anonymous single source": (
        [
            make_doc(
                "n1",
                "A person briefed on the talks said the utility will pay for the repairs "
                "to the Riverton water plant.",
                outlet="Harbor Post",
                published="2026-03-04",
                said=(
                    Said(
                        "the utility will pay for the repairs to the Riverton water plant",
                        description="a person briefed on the talks",
                        anonymous=True,
                    ),
                ),
            ),
            make_doc(
                "n2",
                "A person briefed on the talks said the utility will pay for the repairs "
                "to the Riverton water plant.",
                outlet="Valley Times",
                published="2026-03-05",
                said=(
                    Said(
                        "the utility will pay for the repairs to the Riverton water plant",
                        description="a person briefed on the talks",
                        anonymous=True,
                    ),
                ),
            ),
        ],
        (ReusePair("n2", "n1", 1.0),),
        {
            "origin": "n1",
            "mentions": 2,
            "sources": ("a person briefed on the talks (Harbor Post)",),
            "independent": 1,
            "echoes": {("n2", "n1", "copies")},
            "flags": {"single_source", "anonymous_only"},
        },
    ),
    # Unnamed sources at two outlets, neither relaying the other, count separately.
    "anonymous at two outlets": (
        [
            make_doc(
                "m1",
                "An official said the utility will pay for the repairs to the Riverton "
                "water plant.",
                outlet="Harbor Post",
                published="2026-03-04",
                said=(
                    Said(
                        "the utility will pay for the repairs to the Riverton water plant",
                        description="an official",
                        anonymous=True,
                    ),
                ),
            ),
            make_doc(
                "m2",
                "The utility agreed to pay for repairing the Riverton water plant, an "
                "official said.",
                outlet="Evening Ledger",
                published="2026-03-04",
                said=(
                    Said(
                        "The utility agreed to pay for repairing the Riverton water plant",
                        description="an official",
                        anonymous=True,
                    ),
                ),
            ),
        ],
        (),
        {
            "origin": "m1",
            "mentions": 2,
            "sources": ("an official (Harbor Post)", "an official (Evening Ledger)"),
            "independent": 2,
            "echoes": set(),
            "flags": {"anonymous_only"},
        },
    ),
    # Two outlets relay one outside outlet's unnamed source: one source, not two.
    "anonymous relayed from outside": (
        [
            make_doc(
                f"q{i}",
                f"{lead} the utility will pay for the repairs to the Riverton water plant.",
                outlet=outlet,
                published=f"2026-03-0{i + 4}",
                said=(
                    Said(
                        "the utility will pay for the repairs to the Riverton water plant",
                        description="an official",
                        anonymous=True,
                        via=("Radio North",),
                    ),
                ),
            )
            for i, (lead, outlet) in enumerate(
                [
                    ("An official told Radio North", "Harbor Post"),
                    ("Radio North quoted an official as saying", "Evening Ledger"),
                ]
            )
        ],
        (),
        {
            "origin": "q0",
            "mentions": 2,
            "sources": ("an official (Radio North)",),
            "independent": 1,
            "echoes": set(),
            "flags": {"single_source", "anonymous_only"},
        },
    ),
    # Unsourced: each outlet's own reporting is its own source.
    "unsourced at two outlets": (
        [
            make_doc(
                "u1",
                "The council voted to delay the stadium project.",
                outlet="Harbor Post",
                published="2026-03-06",
                unsourced=("The council voted to delay the stadium project",),
            ),
            make_doc(
                "u2",
                "The stadium project was delayed after a council vote.",
                outlet="Evening Ledger",
                published="2026-03-07",
                unsourced=("The stadium project was delayed after a council vote",),
            ),
        ],
        (),
        {
            "origin": "u1",
            "mentions": 2,
            "sources": ("Harbor Post (own reporting)", "Evening Ledger (own reporting)"),
            "independent": 2,
            "echoes": set(),
            "flags": set(),
        },
    ),
    # An undated copy is ordered after the dated original, and the claim is flagged.
    "undated doc": (
        [
            make_doc("d1", WIRE, outlet="Valley Times", published=None, said=(WIRE_SAID,)),
            make_doc(
                "d2", WIRE, outlet="Coastline Wire", published="2026-03-01", said=(WIRE_SAID,)
            ),
        ],
        (ReusePair("d1", "d2", 0.97),),
        {
            "origin": "d2",
            "mentions": 2,
            "sources": ("Ana Ruiz",),
            "independent": 1,
            "echoes": {("d1", "d2", "copies")},
            "flags": {"single_source", "undated"},
        },
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_claim_of_each_sourcing_pattern(name: str) -> None:
    docs, reuse, expected = CASES[name]
    claims = _claims(docs, reuse)
    assert len(claims) == 1, [c.text for c in claims]
    claim = claims[0]
    assert claim.origin.doc == expected["origin"]
    assert claim.text == claim.mentions[0].span.text
    assert len(claim.mentions) == expected["mentions"]
    assert claim.sources == expected["sources"]
    assert claim.independent_sources == expected["independent"]
    assert {(e.doc, e.of, e.how) for e in claim.echoes} == expected["echoes"]
    assert set(claim.flags) == expected["flags"]


@pytest.mark.parametrize("name", list(CASES))
def test_claim_ids_are_stable_and_order_free(name: str) -> None:
    docs, reuse, _ = CASES[name]
    forward = _claims(docs, reuse)
    backward = group_claims(
        _story(*docs), list(reversed(docs)), reuse, {d.id: i for i, d in enumerate(docs)}
    )
    assert [c.id for c in forward] == [c.id for c in backward]
    assert forward[0].to_dict() == backward[0].to_dict()


TOLL = "Officials said at least 4 people were killed in the flood."


@pytest.mark.parametrize(
    ("published", "contradicted"),
    [
        # Same day, different tolls: the outlets disagree.
        (("2026-03-02T08:00:00Z", "2026-03-02T20:00:00Z"), True),
        # A day apart: the toll moved, no contradiction.
        (("2026-03-02", "2026-03-03"), False),
        # Both undated: reported for the same (unknown) time.
        ((None, None), True),
    ],
)
def test_conflicting_figures_contradict_a_claim(
    published: tuple[str | None, str | None], contradicted: bool
) -> None:
    from .claimdocs import Fig

    texts = [TOLL, TOLL.replace("4", "9")]
    docs = [
        make_doc(
            f"t{i}",
            text,
            outlet=outlet,
            published=when,
            said=(Said(text[text.index("at least") : -1], description="officials"),),
            figures=(Fig(f"at least {n}", n, "people", "at_least"),),
        )
        for i, (text, outlet, when, n) in enumerate(
            zip(texts, ("Harbor Post", "Evening Ledger"), published, (4, 9), strict=True)
        )
    ]
    claim = _only(_claims(docs), "killed")
    assert len(claim.mentions) == 2
    assert ("contradicted" in claim.flags) is contradicted


@pytest.mark.parametrize(
    ("by", "flags"),
    [
        # The utility, quoted in the claim, is who disputes it.
        ("the utility", {"disputed", "contradicted"}),
        # Disputed by someone who is not a speaker of the claim.
        ("a union leader", {"disputed"}),
    ],
)
def test_disputed_claims(by: str, flags: set[str]) -> None:
    first = f"The plant failed because of poor maintenance, the mayor said, a claim {by} rejected."
    second = "A spokesperson for the utility said the plant failed because of poor maintenance."
    docs = [
        make_doc(
            "x1",
            first,
            outlet="Harbor Post",
            published="2026-03-02",
            said=(
                Said(
                    "The plant failed because of poor maintenance", name="Ana Ruiz", disputed_by=by
                ),
            ),
        ),
        make_doc(
            "x2",
            second,
            outlet="Evening Ledger",
            published="2026-03-03",
            said=(
                Said(
                    "the plant failed because of poor maintenance",
                    description="the utility",
                    kind="organization",
                ),
            ),
        ),
    ]
    claim = _only(_claims(docs), "plant")
    assert set(claim.flags) - {"single_source"} == flags


def test_unrelated_statements_stay_apart() -> None:
    text = (
        "The mayor said the Riverton bridge will close for three months. "
        "The council voted to delay the stadium project."
    )
    doc = make_doc(
        "s1",
        text,
        outlet="Harbor Post",
        published="2026-03-01",
        said=(Said("the Riverton bridge will close for three months", name="Ana Ruiz"),),
        unsourced=("The council voted to delay the stadium project",),
    )
    claims = _claims([doc])
    assert sorted(len(c.mentions) for c in claims) == [1, 1]
    assert {c.sources for c in claims} == {("Ana Ruiz",), ("Harbor Post (own reporting)",)}


def test_only_the_story_documents_are_read() -> None:
    docs, reuse, _ = CASES["wire copy"]
    outsider = make_doc("z9", WIRE, outlet="Other Daily", published="2026-02-01", said=(WIRE_SAID,))
    claims = group_claims(_story(*docs), [outsider, *docs], reuse)
    assert [m.doc for m in claims[0].mentions] == ["w1", "w2"]


@pytest.mark.parametrize("copies", [10, 150])
def test_a_claim_repeated_across_a_big_story_stays_one_claim(copies: int) -> None:
    claim = "the Riverton bridge will close for three months of repairs"
    docs = []
    for i in range(copies):
        # Two statements per document that share common words with the claim but not its sense.
        other = f"the Riverton council will meet about item {i} of the bridge budget"
        more = f"Riverton residents queued for water at station {i} for three hours"
        text = f"Mayor Ana Ruiz said {claim}. She said {other}. {more}."
        docs.append(
            make_doc(
                f"b{i:03d}",
                text,
                outlet=f"Outlet {i}",
                published=f"2026-03-{1 + i % 28:02d}",
                said=(Said(claim, name="Ana Ruiz"), Said(other, name="Ana Ruiz")),
                unsourced=(more,),
            )
        )
    found = _only(_claims(docs), "close")
    assert len(found.mentions) == copies
    assert found.independent_sources == 1


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Helixa", "Helixa Health", True),
        ("Ruth Calloway", "Calloway", True),
        ("the coast guard", "Lanmoor Coast Guard", True),
        ("Sentinel", "The Oskerby Sentinel", True),
        ("Ruth Calloway", "Ruth Mendes", False),
        ("an official (Reuters)", "an official (BBC)", False),
        ("", "Calloway", False),
    ],
)
def test_same_name_joins_a_full_and_a_shortened_name(first: str, second: str, same: bool) -> None:
    assert same_name(first, second) is same
    assert same_name(second, first) is same


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She will step down", {"resign"}),
        ("The permit lapsed", {"permit", "expir"}),
        ("Forty workers were laid off", {"lay_off", "employe"}),
    ],
)
def test_content_words_read_phrases_and_synonyms(text: str, expected: set[str]) -> None:
    assert content_words(text) == expected


def _said_doc(doc_id: str, text: str, outlet: str, when: str, *said: Said) -> AnalysedDocument:
    return make_doc(doc_id, text, outlet=outlet, published=when, said=said)


BRIDGE = "the Riverton bridge will close for three months of repairs"

ECHO_CASES = {
    # The speaker is an outlet of the story, under a shorter name: a citation.
    "speaker names an outlet": (
        [
            _said_doc(
                "e1",
                f"Ana Ruiz said {BRIDGE}.",
                "Oskerby Sentinel",
                "2026-03-01",
                Said(BRIDGE, name="Ana Ruiz"),
            ),
            _said_doc(
                "e2",
                f"The Sentinel reported that {BRIDGE}.",
                "Valley Times",
                "2026-03-02",
                Said(BRIDGE, name="Sentinel", kind="organization"),
            ),
        ],
        (),
        {("e2", "e1", "cites")},
        1,
    ),
    # A copy of a copy echoes the original, not the middle copy.
    "copy of a copy": (
        [
            _said_doc(
                "k1",
                f"Ana Ruiz said {BRIDGE}.",
                "Coastline Wire",
                "2026-03-01T08:00:00Z",
                Said(BRIDGE, name="Ana Ruiz"),
            ),
            _said_doc(
                "k2",
                f"Ana Ruiz said {BRIDGE}.",
                "Valley Times",
                "2026-03-01T09:00:00Z",
                Said(BRIDGE, name="Ana Ruiz"),
            ),
            _said_doc(
                "k3",
                f"Ana Ruiz said {BRIDGE}.",
                "Harbor Post",
                "2026-03-01T10:00:00Z",
                Said(BRIDGE, name="Ana Ruiz"),
            ),
        ],
        (ReusePair("k2", "k1", 0.95), ReusePair("k3", "k2", 0.95)),
        {("k2", "k1", "copies"), ("k3", "k1", "copies")},
        1,
    ),
    # A rewrite of a relay: it copies the relaying story and cites the original outlet.
    "copy of a relay": (
        [
            _said_doc(
                "v1",
                f"Ana Ruiz said {BRIDGE}.",
                "Coastline Wire",
                "2026-03-01T08:00:00Z",
                Said(BRIDGE, name="Ana Ruiz"),
            ),
            _said_doc(
                "v2",
                f"Ana Ruiz told Coastline Wire {BRIDGE}.",
                "Valley Times",
                "2026-03-01T09:00:00Z",
                Said(BRIDGE, name="Ana Ruiz", via=("Coastline Wire",)),
            ),
            _said_doc(
                "v3",
                f"Ana Ruiz told Coastline Wire {BRIDGE}.",
                "Harbor Post",
                "2026-03-01T10:00:00Z",
                Said(BRIDGE, name="Ana Ruiz", via=("Coastline Wire",)),
            ),
        ],
        (ReusePair("v3", "v2", 0.9),),
        {("v2", "v1", "cites"), ("v3", "v2", "copies"), ("v3", "v1", "cites")},
        1,
    ),
}


@pytest.mark.parametrize("name", list(ECHO_CASES))
def test_echoes_name_the_earlier_document(name: str) -> None:
    docs, reuse, echoes, independent = ECHO_CASES[name]
    (claim,) = _claims(docs, reuse)
    assert {(e.doc, e.of, e.how) for e in claim.echoes} == echoes
    assert claim.independent_sources == independent


@pytest.mark.parametrize(
    ("said", "unsourced", "independent"),
    [
        # Quoted by one outlet, restated unsourced by another: still one source.
        ((Said(BRIDGE, name="Ana Ruiz"),), True, 1),
        # A full and a shortened name of one body count once.
        (
            (Said(BRIDGE, name="Riverton Highways Agency"), Said(BRIDGE, name="the agency")),
            False,
            1,
        ),
        # Two different people: two sources.
        ((Said(BRIDGE, name="Ana Ruiz"), Said(BRIDGE, name="Omar Lind")), False, 2),
        # Nobody quoted at all: the outlets' own reporting counts.
        ((), True, 1),
        # A speaker the article neither names nor describes adds no second source.
        ((Said(BRIDGE, name="Ana Ruiz"), Said(BRIDGE)), False, 1),
        # ... but stands as the one source when nobody else is identified.
        ((Said(BRIDGE),), False, 1),
    ],
)
def test_independent_sources_count_first_hand_voices(
    said: tuple[Said, ...], unsourced: bool, independent: int
) -> None:
    docs = [
        _said_doc(f"n{i}", f"Someone said {BRIDGE}.", f"Outlet {i}", f"2026-03-0{i + 1}", one)
        for i, one in enumerate(said)
    ]
    if unsourced:
        text = f"Officials confirm {BRIDGE}."
        docs.append(
            make_doc(
                "u", text, outlet="Evening Ledger", published="2026-03-05", unsourced=(BRIDGE,)
            )
        )
    (claim,) = _claims(docs)
    assert claim.independent_sources == independent


def _named_in_text(doc: AnalysedDocument) -> AnalysedDocument:
    """The document with each speaker's mention set to where its name first occurs."""
    found = []
    for attribution in doc.attributions:
        speaker = attribution.speaker
        who = speaker.name or speaker.description if speaker else None
        if speaker is None or not who or who not in doc.text:
            found.append(attribution)
            continue
        start = doc.text.index(who)
        mention = Span.of(doc.text, start, start + len(who))
        found.append(replace(attribution, speaker=replace(speaker, mention=mention)))
    return replace(doc, attributions=tuple(found))


@pytest.mark.parametrize(
    ("text", "name", "titles"),
    [
        # Apposition after the name.
        (
            "Lt. Ana Ruiz, a harbour board spokeswoman, said the pier is shut.",
            "Ana Ruiz",
            {frozenset({"harbour", "board", "spokeswoman"})},
        ),
        # Apposition before the name.
        (
            "The union's president, Omar Lind, said the pier is shut.",
            "Omar Lind",
            {frozenset({"union", "president"})},
        ),
        # A premodifier title.
        (
            "Crews said the pier is shut, union president Omar Lind told reporters.",
            "Omar Lind",
            {frozenset({"union", "president"})},
        ),
        # No title beside the name.
        ("Omar Lind said the pier is shut.", "Omar Lind", set()),
        # A phrase without a role noun is not a title.
        ("Omar Lind, who lives nearby, said the pier is shut.", "Omar Lind", set()),
        ("According to Omar Lind, the pier is shut.", "Omar Lind", set()),
    ],
)
def test_speaker_titles_read_the_title_beside_a_name(
    text: str, name: str, titles: set[frozenset[str]]
) -> None:
    doc = _named_in_text(make_doc("t1", text, said=(Said("the pier is shut", name=name),)))
    assert set(speaker_titles([doc]).get(name.casefold(), ())) == titles


BRIDGE_AGAIN = "the Riverton bridge is to close for three months for repairs"


@pytest.mark.parametrize(
    ("docs", "independent"),
    [
        # A spokeswoman of a body speaks for it: the body quoted elsewhere is one source.
        (
            [
                (
                    f"Lt. Ana Ruiz, a highways agency spokeswoman, said {BRIDGE}.",
                    Said(BRIDGE, name="Ana Ruiz"),
                ),
                (
                    f"The Riverton Highways Agency said {BRIDGE}.",
                    Said(BRIDGE, name="Riverton Highways Agency", kind="organization"),
                ),
            ],
            1,
        ),
        # ... but a spokeswoman of another body is another source.
        (
            [
                (
                    f"Lt. Ana Ruiz, a harbour board spokeswoman, said {BRIDGE}.",
                    Said(BRIDGE, name="Ana Ruiz"),
                ),
                (
                    f"The Riverton Highways Agency said {BRIDGE}.",
                    Said(BRIDGE, name="Riverton Highways Agency", kind="organization"),
                ),
            ],
            2,
        ),
        # A spokesperson with no body beside the name speaks for the body the same
        # article quotes on the claim.
        (
            [
                (
                    f"The Riverton Highways Agency said {BRIDGE}. "
                    f"{BRIDGE_AGAIN}, spokesperson Ana Ruiz said.",
                    Said(BRIDGE, name="Riverton Highways Agency", kind="organization"),
                    Said(BRIDGE_AGAIN, name="Ana Ruiz"),
                ),
            ],
            1,
        ),
        # ... while a commuter quoted beside the body is a second voice.
        (
            [
                (
                    f"The Riverton Highways Agency said {BRIDGE}. "
                    f"{BRIDGE_AGAIN}, said Ana Ruiz, a commuter.",
                    Said(BRIDGE, name="Riverton Highways Agency", kind="organization"),
                    Said(BRIDGE_AGAIN, name="Ana Ruiz"),
                ),
            ],
            2,
        ),
        # "The union's president" is the union president named in another article.
        (
            [
                (
                    f"The union's president, Omar Lind, said {BRIDGE}.",
                    Said(BRIDGE, name="Omar Lind"),
                ),
                (
                    f"The union's president said {BRIDGE}.",
                    Said(BRIDGE, description="the union's president", anonymous=True),
                ),
            ],
            1,
        ),
        # ... but an indefinite description is not known to be that person.
        (
            [
                (
                    f"The union's president, Omar Lind, said {BRIDGE}.",
                    Said(BRIDGE, name="Omar Lind"),
                ),
                (
                    f"A union member said {BRIDGE}.",
                    Said(BRIDGE, description="a union member", anonymous=True),
                ),
            ],
            2,
        ),
        # ... nor is the president of another body.
        (
            [
                (
                    f"The union's president, Omar Lind, said {BRIDGE}.",
                    Said(BRIDGE, name="Omar Lind"),
                ),
                (
                    f"The port authority's president said {BRIDGE}.",
                    Said(BRIDGE, description="the port authority's president", anonymous=True),
                ),
            ],
            2,
        ),
    ],
)
def test_one_speaker_under_a_title_counts_once(
    docs: list[tuple[Any, ...]], independent: int
) -> None:
    built = [
        _named_in_text(_said_doc(f"p{i}", text, f"Outlet {i}", f"2026-03-0{i + 1}", *said))
        for i, (text, *said) in enumerate(docs)
    ]
    (claim,) = _claims(built)
    assert claim.independent_sources == independent


# (statement, its clause units as (text, background?)) — sentences written for these tests.
CLAUSES = [
    # A lede stating three facts: the event, a participle and a background clause.
    (
        "The storm flooded the harbour, killing two fishermen, after the sea wall failed",
        [
            ("The storm flooded the harbour", False),
            ("killing two fishermen", True),
            ("after the sea wall failed", True),
        ],
    ),
    # A comma-led relative clause inside the main clause: the main clause goes on after it.
    (
        "The bridge, which opened in 1990, will close for repairs",
        [("The bridge will close for repairs", False), ("which opened in 1990", True)],
    ),
    # Without commas, the background clause ends at the main clause's auxiliary.
    (
        "The number of passengers stranded after a train derailed near Holt has risen to forty",
        [
            ("The number of passengers stranded has risen to forty", False),
            ("after a train derailed near Holt", True),
        ],
    ),
    (
        "The mill that employed most of the town has shut its doors",
        [("The mill has shut its doors", False), ("that employed most of the town", True)],
    ),
    # "that" before a subject introduces reported content, not a relative clause.
    (
        "The council said that the library would close in May",
        [
            ("The council said that the library would close in May", False),
        ],
    ),
    # A verb coordinated inside the clause does not close it.
    (
        "The crew radioed that they had lost steering and were drifting toward the pier",
        [("The crew radioed that they had lost steering and were drifting toward the pier", False)],
    ),
    # Sentences, semicolons and comma-led coordinators start new clauses.
    (
        "The plant will close. It employs 300 people in the valley.",
        [("The plant will close.", False), ("It employs 300 people in the valley.", False)],
    ),
    (
        "Rents rose sharply; wages did not",
        [("Rents rose sharply", False), ("wages did not", False)],
    ),
    (
        "Rents rose sharply, and the council blamed landlords",
        [("Rents rose sharply", False), ("and the council blamed landlords", False)],
    ),
    # Abbreviations do not end a sentence; a list's "and" does not start a clause.
    (
        "Mr. Hale met the U.S. Trade Representative on Sept. 3",
        [("Mr. Hale met the U.S. Trade Representative on Sept. 3", False)],
    ),
    (
        "The ferry carried 140 passengers and 11 crew members",
        [("The ferry carried 140 passengers and 11 crew members", False)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CLAUSES, ids=[c[0][:30] for c in CLAUSES])
@pytest.mark.parametrize("offset", [0, 17])
def test_clause_pieces_cut_a_statement(
    text: str, expected: list[tuple[str, bool]], offset: int
) -> None:
    padded = "x" * offset + text
    units = clause_pieces(text, offset)
    found = [(Span.from_fragments(padded, pieces).text, background) for pieces, background in units]
    assert found == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "since June" has one content word: it stays with its clause.
        (
            "The ferry had sailed without a certificate since June",
            ["The ferry had sailed without a certificate since June"],
        ),
        (
            "The storm flooded the harbour, killing two fishermen, after the sea wall failed",
            ["The storm flooded the harbour", "killing two fishermen", "after the sea wall failed"],
        ),
        (
            "The bridge, which opened in 1990, will close for repairs",
            ["The bridge, which opened in 1990, will close for repairs"],
        ),
    ],
)
def test_clause_units_keep_offsets_and_merge_small_units(text: str, expected: list[str]) -> None:
    full = f"Reporters wrote: {text}. Nothing else."
    doc = make_doc("u1", full, unsourced=(text,))
    units = clause_units(doc, statements(doc)[0])
    assert [u.mention.span.text for u, _ in units] == expected
    for unit, _ in units:
        span = unit.mention.span
        assert span.text == " ".join(full[s:e] for s, e in span.pieces)
        assert span.fragments or span.text == full[span.start : span.end]


# (documents as (id, unsourced statement), which ids share a claim with which)
MULTI_FACT = [
    # A coordinated clause states a second fact: the lede joins both claims, and the two
    # other statements stay apart (single-link grouping on whole statements chained them).
    (
        [
            (
                "m1",
                "The Holt bridge collapsed on Monday, and two lorries fell into the Arden river",
            ),
            ("m2", "The Holt bridge collapsed on Monday"),
            ("m3", "Two lorries fell into the Arden river"),
        ],
        [{"m1", "m2"}, {"m1", "m3"}],
    ),
    # A background clause links nothing into the lede's claim: the lede is a mention of its
    # main clause's claim only.
    (
        [
            (
                "b1",
                "The Holt bridge collapsed on Monday after inspectors warned of cracks in its deck",
            ),
            ("b2", "The Holt bridge collapsed on Monday"),
            ("b3", "Inspectors warned of deep cracks in the Holt bridge deck"),
        ],
        [{"b1", "b2"}, {"b3"}],
    ),
    # Clauses that link to no other statement stay one claim of their statement, not one
    # claim per clause.
    (
        [
            (
                "a1",
                "The Holt library will close on Saturdays, and the council will sell the old "
                "tram depot on Wharf Lane",
            ),
            ("a2", "Wrenfield rowers won the regional cup on the Arden river"),
        ],
        [{"a1"}, {"a2"}],
    ),
]


@pytest.mark.parametrize(
    ("docs", "expected"), MULTI_FACT, ids=["coordinated", "background", "alone"]
)
def test_a_statement_of_several_facts_joins_each_claim(
    docs: list[tuple[str, str]], expected: list[set[str]]
) -> None:
    built = [
        make_doc(i, f"{t}.", outlet=f"Paper {i}", published=f"2026-04-0{n + 1}", unsourced=(t,))
        for n, (i, t) in enumerate(docs)
    ]
    claims = _claims(built)
    groups = sorted((sorted({m.doc for m in c.mentions}) for c in claims), key=str)
    assert groups == sorted((sorted(g) for g in expected), key=str)
    assert len({c.id for c in claims}) == len(claims)
    for claim in claims:
        for mention in claim.mentions:
            text = next(d.text for d in built if d.id == mention.doc)
            assert mention.span.text == " ".join(text[s:e] for s, e in mention.span.pieces)


@pytest.mark.parametrize(
    ("quote", "speaker", "same"),
    [
        # The speaker's own "I" stands for them: their quote and a report of it are one claim.
        ("I will resign", "Dana Holt", True),
        ("I will resign", None, False),  # nobody named to stand for "I"
        ("I will resign", "Ivo Brand", False),  # someone else resigning
    ],
)
def test_first_person_reads_as_the_speaker(quote: str, speaker: str | None, same: bool) -> None:
    first = make_doc(
        "q1",
        f'"{quote}," she told reporters.',
        outlet="Paper A",
        published="2026-05-01",
        said=(Said(quote, name=speaker, description=None if speaker else "an official"),),
    )
    report = "A colleague said Holt will resign."
    second = make_doc(
        "q2",
        report,
        outlet="Paper B",
        published="2026-05-02",
        said=(Said("Holt will resign", description="a colleague"),),
    )
    claims = _claims([first, second])
    assert (len(claims) == 1) is same
