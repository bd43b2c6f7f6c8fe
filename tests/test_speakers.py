"""Speaker resolution: kinds, anonymity, names and short references, through the real pipeline."""

from __future__ import annotations

import pytest
from spacy.language import Language

from sourcetrace.attribution.learned import load_extractor
from sourcetrace.records import Attribution, Span, Speaker
from sourcetrace.speakers import UNKNOWN, resolve_speakers


def _nth(text: str, sub: str, k: int) -> Span:
    """The k-th (1-based) occurrence of ``sub`` in ``text`` as a Span."""
    start = -1
    for _ in range(k):
        start = text.index(sub, start + 1)
    return Span.of(text, start, start + len(sub))


def _attributions(text: str, sources: list[tuple[str, int]]) -> list[Attribution]:
    """Hand-built attributions: each source with the k-th "said" after it as cue."""
    out = []
    for i, (source, k) in enumerate(sources):
        src = _nth(text, source, k)
        cue_start = text.index("said", src.end)
        cue = Span.of(text, cue_start, cue_start + 4)
        content = Span.of(text, cue.end + 1, text.index(".", cue.end))
        out.append(Attribution(f"a{i + 1}", "indirect", src, cue, content))
    return out


def _resolve(nlp: Language, text: str, sources: list[tuple[str, int]]) -> tuple[Speaker, ...]:
    """Resolve hand-built attributions over ``text``."""
    return resolve_speakers(nlp(text), _attributions(text, sources))


SINGLE = [
    ("A senior defense official said the plan was ready.", "official", True, None),
    ("Two people familiar with the talks said a deal was close.", "person", True, None),
    ("Residents said the water was brown for days.", "group", True, None),
    ("Critics said the budget was too small.", "group", True, None),
    ("A court filing said the landlord ignored repairs.", "document", False, None),
    ("A report by the county said the roads were unsafe.", "document", False, None),
    (
        "The Interior Ministry said the border would stay open.",
        "government",
        False,
        "Interior Ministry",
    ),
    ("Reuters said the shipment had left the port.", "outlet", False, "Reuters"),
    ("Martin Okafor said the factory would close.", "person", False, "Martin Okafor"),
    ("Senator Wade Holloway said the bill would pass.", "official", False, "Wade Holloway"),
]


@pytest.mark.parametrize(("text", "kind", "anonymous", "name"), SINGLE)
def test_single_source_kind(
    nlp: Language, text: str, kind: str, anonymous: bool, name: str | None
) -> None:
    source = text[: text.index(" said")]
    (speaker,) = _resolve(nlp, text, [(source, 1)])
    assert (speaker.kind, speaker.anonymous, speaker.name) == (kind, anonymous, name)
    assert speaker.mention is not None
    assert speaker.mention.text == text[speaker.mention.start : speaker.mention.end]


CHAINS = [
    (
        "Nicole Brandt said the port would reopen. Ms. Brandt said talks went well. "
        "Brandt said she was hopeful.",
        [("Nicole Brandt", 1), ("Ms. Brandt", 1), ("Brandt", 3)],
        ["Nicole Brandt"] * 3,
    ),
    (
        "Tomas Reyes said the deal was done. He said it would be signed on Monday.",
        [("Tomas Reyes", 1), ("He", 1)],
        ["Tomas Reyes"] * 2,
    ),
    (
        "Mr. Paul Lowe said the plan was fair. Anna Weir said it was not. "
        "He said critics were wrong.",
        [("Mr. Paul Lowe", 1), ("Anna Weir", 1), ("He", 1)],
        ["Paul Lowe", "Anna Weir", "Paul Lowe"],
    ),
    (
        "An official familiar with the discussions said the talks stalled. "
        "The official said a new round was planned.",
        [("An official familiar with the discussions", 1), ("The official", 1)],
        [None, None],
    ),
]


@pytest.mark.parametrize(("text", "sources", "names"), CHAINS)
def test_short_references_resolve_to_first_mention(
    nlp: Language, text: str, sources: list[tuple[str, int]], names: list[str | None]
) -> None:
    speakers = _resolve(nlp, text, sources)
    assert [s.name for s in speakers] == names
    first = speakers[0]
    for speaker in speakers:
        if speaker.name == first.name:
            assert speaker.mention == first.mention
            assert speaker.kind == first.kind


def test_definite_description_keeps_anonymous_description(nlp: Language) -> None:
    text = (
        "An official familiar with the discussions said the talks stalled. "
        "The official said a new round was planned."
    )
    _, second = _resolve(
        nlp, text, [("An official familiar with the discussions", 1), ("The official", 1)]
    )
    assert second.description == "an official familiar with the discussions"
    assert (second.kind, second.anonymous) == ("official", True)


def test_the_company_goes_back_to_named_organisation(nlp: Language) -> None:
    text = "Brightfield Energy said output rose. The company said prices would fall."
    speakers = _resolve(nlp, text, [("Brightfield Energy", 1), ("The company", 1)])
    assert [s.name for s in speakers] == ["Brightfield Energy", "Brightfield Energy"]
    assert speakers[1].kind == "organization"


def test_social_media_cue(nlp: Language) -> None:
    text = "Mayor Jo Kelp wrote on X that the road was closed."
    src = _nth(text, "Mayor Jo Kelp", 1)
    cue = _nth(text, "wrote", 1)
    content = Span.of(text, text.index("the road"), len(text) - 1)
    (speaker,) = resolve_speakers(nlp(text), [Attribution("a1", "indirect", src, cue, content)])
    assert (speaker.kind, speaker.name) == ("social_media", "Jo Kelp")


def test_no_source_gives_unknown_and_order_is_kept(nlp: Language) -> None:
    text = "Residents said the road flooded. Ana Lutz said it was fixed."
    built = _attributions(text, [("Residents", 1), ("Ana Lutz", 1)])
    no_source = Attribution("a3", "other", None, built[0].cue, built[0].content)
    speakers = resolve_speakers(nlp(text), [built[1], no_source, built[0]])
    assert speakers[1] == UNKNOWN
    assert speakers[0].name == "Ana Lutz"
    assert speakers[2].kind == "group"


END_TO_END = [
    ('"We will rebuild," Maria Solberg said. She said work starts in May.', "Maria Solberg"),
    ("Jonas Field said the vote was fair. Field said the count was checked.", "Jonas Field"),
]


@pytest.mark.parametrize(("text", "name"), END_TO_END)
def test_end_to_end_with_extractor(nlp: Language, text: str, name: str) -> None:
    doc = nlp(text)
    attributions = load_extractor()(doc)
    speakers = resolve_speakers(doc, attributions)
    assert len(speakers) == len(attributions) >= 2
    assert [s.name for s in speakers] == [name] * len(speakers)


def test_many_attributions_bounded(nlp: Language) -> None:
    names = ["Ann Holt", "Ben Marsh", "the official", "Residents", "she", "Holt", "the ministry"]
    text = " ".join(f"{names[i % len(names)]} said item {i} was late." for i in range(300))
    doc = nlp(text)
    attributions = []
    pos = 0
    for i in range(300):
        cue_start = text.index(" said", pos) + 1
        sentence_start = text.rfind(". ", 0, cue_start)
        start = 0 if sentence_start < 0 else sentence_start + 2
        end = text.index(".", cue_start)
        attributions.append(
            Attribution(
                f"a{i}",
                "indirect",
                Span.of(text, start, cue_start - 1),
                Span.of(text, cue_start, cue_start + 4),
                Span.of(text, cue_start + 5, end),
            )
        )
        pos = end
    speakers = resolve_speakers(doc, attributions)
    assert len(speakers) == 300
    assert all(isinstance(s, Speaker) for s in speakers)


# An office word makes an official only for public office: "president", "chair", "chief" or
# "spokesperson" of a union, company or group is a person (lexicon: private_roles/bodies).
ROLES = [
    (
        "Marta Lindgren, president of the dockworkers' union, said the strike would go on.",
        "Marta Lindgren, president of the dockworkers' union,",
        "person",
        False,
    ),
    (
        "The port's chief executive, Jonas Berg, said traffic had fallen.",
        "The port's chief executive, Jonas Berg,",
        "person",
        False,
    ),
    (
        "A spokesperson for the group said the march would go ahead.",
        "A spokesperson for the group",
        "person",
        True,
    ),
    (
        "Health Minister Clara Voss said the wards would reopen.",
        "Health Minister Clara Voss",
        "official",
        False,
    ),
    (
        "A ministry spokesman said the wards would reopen.",
        "A ministry spokesman",
        "official",
        True,
    ),
]


@pytest.mark.parametrize(("text", "source", "kind", "anonymous"), ROLES)
def test_public_office_makes_an_official_private_role_a_person(
    nlp: Language, text: str, source: str, kind: str, anonymous: bool
) -> None:
    (speaker,) = _resolve(nlp, text, [(source, 1)])
    assert (speaker.kind, speaker.anonymous) == (kind, anonymous)


@pytest.mark.parametrize(
    ("text", "source", "cue"),
    [
        (
            "Ana Ruiz wrote on Facebook that the school would close.",
            "Ana Ruiz",
            "wrote on Facebook",
        ),
        ("Tom Hale wrote in a post that the bridge was shut.", "Tom Hale", "wrote in a post"),
    ],
)
def test_a_platform_inside_the_cue_makes_it_social_media(
    nlp: Language, text: str, source: str, cue: str
) -> None:
    src, cue_span = _nth(text, source, 1), _nth(text, cue, 1)
    content = Span.of(text, cue_span.end + 1, text.index(".", cue_span.end))
    attribution = Attribution("a1", "indirect", src, cue_span, content)
    (speaker,) = resolve_speakers(nlp(text), [attribution])
    assert speaker.kind == "social_media"


@pytest.mark.parametrize(
    ("text", "source", "name"),
    [
        (
            "Water Wales, the industry body, said spills had fallen.",
            "Water Wales, the industry body,",
            "Water Wales",
        ),
        (
            "The consumer group Fair Fares said prices had risen.",
            "The consumer group Fair Fares",
            None,
        ),
    ],
)
def test_a_name_next_to_a_body_noun_is_an_organisation(
    nlp: Language, text: str, source: str, name: str | None
) -> None:
    (speaker,) = _resolve(nlp, text, [(source, 1)])
    assert speaker.kind == "organization"
    assert name is None or speaker.name == name


@pytest.mark.parametrize(
    ("text", "source", "kind", "name", "anonymous"),
    [
        (
            "The Coastal Herald said the pier was unsafe.",
            "The Coastal Herald",
            "outlet",
            "Coastal Herald",
            False,
        ),
        ("KQRT-TV said the fire had crossed the ridge.", "KQRT-TV", "outlet", "KQRT-TV", False),
        ("Channel 4 News said the count was late.", "News", "outlet", "Channel 4 News", False),
        (
            "The Marren Gazette broke the story on Monday. The newspaper said the clinic would "
            "shut in May.",
            "The newspaper",
            "outlet",
            "Marren Gazette",
            False,
        ),
        (
            "KQRT-TV aired the footage first. The broadcaster said crews were pulling back.",
            "The broadcaster",
            "outlet",
            "KQRT-TV",
            False,
        ),
        (
            "Reuters carried the story on Monday. The wire service said the port was closed.",
            "The wire service",
            "outlet",
            "Reuters",
            False,
        ),
        (
            "The Daily Example ran the story on Friday. The tabloid said the singer had bought "
            "the hall.",
            "The tabloid",
            "outlet",
            "Daily Example",
            False,
        ),
        (
            "The Ridley Gazette covered the ward on Friday. An earlier version of the Gazette's "
            "story said the ward had closed.",
            "An earlier version of the Gazette's story",
            "outlet",
            "Ridley Gazette",
            False,
        ),
        (
            "The Daily Example ran the story on Friday. The tabloid, citing an unnamed estate "
            "agent, said the singer had bought the hall.",
            "The tabloid",
            "person",
            None,
            True,
        ),
        (
            "The Wall Street Journal and CNBC said the airline would drop six routes.",
            "The Wall Street Journal",
            "unknown",
            None,
            True,
        ),
    ],
)
def test_outlets_named_cut_or_referred_to(
    nlp: Language, text: str, source: str, kind: str, name: str | None, anonymous: bool
) -> None:
    (speaker,) = _resolve(nlp, text, [(source, 1)])
    assert (speaker.kind, speaker.name, speaker.anonymous) == (kind, name, anonymous)
    if kind == "outlet":
        assert speaker.mention is not None
        assert speaker.mention.text == text[speaker.mention.start : speaker.mention.end]


@pytest.mark.parametrize(
    "text",
    [
        "The paper said the plan was sound.",
        "The builders cleared the site. The site said nothing about the delay.",
    ],
)
def test_an_outlet_noun_with_no_earlier_outlet_is_not_an_outlet(nlp: Language, text: str) -> None:
    source = text.split(" said")[0].split(". ")[-1]
    (speaker,) = _resolve(nlp, text, [(source, 1)])
    assert speaker.kind != "outlet"


@pytest.mark.parametrize(
    ("text", "source", "kind", "name", "anonymous"),
    [
        (
            "The pier was unsafe, according to the Coastal Herald.",
            "the Coastal Herald",
            "unknown",
            None,
            True,
        ),
        ("The port was shut, according to Reuters.", "Reuters", "unknown", None, True),
        (
            "The Marren Gazette broke the story. The clinic will shut, according to the newspaper.",
            "the newspaper",
            "unknown",
            None,
            True,
        ),
        (
            "The port was shut, according to a senior defense official.",
            "a senior defense official",
            "official",
            None,
            True,
        ),
    ],
)
def test_according_to_an_outlet_is_its_unnamed_sources(
    nlp: Language, text: str, source: str, kind: str, name: str | None, anonymous: bool
) -> None:
    cue_start = text.index("according to")
    cue = Span.of(text, cue_start, cue_start + len("according to"))
    sentence = text.rfind(". ", 0, cue_start) + 1  # the content opens the cue's sentence
    content = Span.of(text, sentence + (sentence > 0), text.rindex(",", 0, cue_start))
    claim = Attribution("a1", "according_to", _nth(text, source, 1), cue, content)
    (speaker,) = resolve_speakers(nlp(text), [claim])
    assert (speaker.kind, speaker.name, speaker.anonymous) == (kind, name, anonymous)
    assert kind != "unknown" or speaker.description is None


# Pronoun agreement: "it" never stands for a person; "they" stands for a group, a plural
# description or an organisation, and only failing those for the previous speaker.
PRONOUNS = [
    (
        "The operator, Halden Sealink, said in a statement that the walkout was unlawful. "
        "It said it would seek an injunction.",
        [("The operator, Halden Sealink,", 1), ("It", 1)],
        "organization",
        "Halden Sealink",
    ),
    (
        "Brightwater Council said the bridge would close. Mayor Karen Holt said she regretted "
        "the delay. It said repairs would start in May.",
        [("Brightwater Council", 1), ("Mayor Karen Holt", 1), ("It", 1)],
        "government",
        "Brightwater Council",
    ),
    (
        "Dockers at Corvane Logistics walked out on Monday. It said the strike was illegal.",
        [("It", 1)],
        "organization",
        "Corvane Logistics",
    ),
    (
        "The Harbour Board said talks with Torvik Mining had failed. It said a new tender "
        "would follow.",
        [("The Harbour Board", 1), ("It", 1)],
        "organization",
        "Harbour Board",
    ),
    (
        "A court filing said the landlord ignored repairs. Rosa Lind said nothing had changed. "
        "It said tenants had complained for years.",
        [("A court filing", 1), ("Rosa Lind", 1), ("It", 1)],
        "document",
        None,
    ),
    (
        "Residents said the water was brown. Anna Kessler said the pipes were old. "
        "They said they would sue.",
        [("Residents", 1), ("Anna Kessler", 1), ("They", 1)],
        "group",
        None,
    ),
    (
        "Two officials said the plan was ready. Piet Marsh said he had not seen it. "
        "They said it would be announced soon.",
        [("Two officials", 1), ("Piet Marsh", 1), ("They", 1)],
        "official",
        None,
    ),
    (
        "Corvane Logistics said profits fell. Its chief, Ola Brenner, said the year was hard. "
        "They said no jobs were at risk.",
        [("Corvane Logistics", 1), ("Its chief, Ola Brenner,", 1), ("They", 1)],
        "organization",
        "Corvane Logistics",
    ),
    (
        "Sam Ortiz said the plan was late. They said it would be ready in June.",
        [("Sam Ortiz", 1), ("They", 1)],
        "person",
        "Sam Ortiz",
    ),
]


@pytest.mark.parametrize(("text", "sources", "kind", "name"), PRONOUNS)
def test_pronouns_agree_with_their_antecedent(
    nlp: Language, text: str, sources: list[tuple[str, int]], kind: str, name: str | None
) -> None:
    speaker = _resolve(nlp, text, sources)[-1]
    assert (speaker.kind, speaker.name) == (kind, name)
    assert speaker.mention is not None
    assert speaker.mention.text == text[speaker.mention.start : speaker.mention.end]


def test_it_with_only_people_before_is_unknown(nlp: Language) -> None:
    text = "Rosa Lind said the rent was too high. It said the landlord would not reply."
    speaker = _resolve(nlp, text, [("Rosa Lind", 1), ("It", 1)])[-1]
    assert speaker == UNKNOWN
