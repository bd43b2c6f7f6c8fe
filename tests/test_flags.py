"""Flags on attributions (hedged, unverified, disputed, retracted) through the real pipeline."""

from __future__ import annotations

import pytest
from spacy.language import Language

from sourcetrace.attribution.learned import load_extractor
from sourcetrace.flags import find_flags
from sourcetrace.records import Attribution, Flag

from .gold import span

# (source, cue, content) phrases of each hand-built attribution, in text order
Roles = tuple[str | None, str, str]


def build(text: str, roles: tuple[Roles, ...]) -> tuple[Attribution, ...]:
    """Attribution records over ``text`` from their phrases."""
    return tuple(
        Attribution(
            id=f"a{k + 1}",
            type="indirect",
            source=span(text, source) if source else None,
            cue=span(text, cue),
            content=span(text, content),
        )
        for k, (source, cue, content) in enumerate(roles)
    )


def flags_of(nlp: Language, text: str, roles: tuple[Roles, ...]) -> tuple[tuple[Flag, ...], ...]:
    """Run the stage over hand-built attributions and check the span contract."""
    doc = nlp(text)
    found = find_flags(doc, build(text, roles))
    assert len(found) == len(roles)
    for flags in found:
        for flag in flags:
            assert flag.evidence.text == text[flag.evidence.start : flag.evidence.end]
    return found


HEDGED = [
    (
        "The mayor reportedly said the bridge was unsafe.",
        ("The mayor", "said", "the bridge was unsafe"),
        "reportedly",
    ),
    (
        "Officials said the plant may close next year.",
        ("Officials", "said", "the plant may close next year"),
        "may close",
    ),
    (
        "The minister said the firm allegedly hid its losses.",
        ("The minister", "said", "the firm allegedly hid its losses"),
        "allegedly",
    ),
    (
        "Prosecutors allege that the banker moved the funds abroad.",
        ("Prosecutors", "allege", "the banker moved the funds abroad"),
        "allege",
    ),
    (
        "Police said the suspect is believed to have left the city.",
        ("Police", "said", "the suspect is believed to have left the city"),
        "is believed to",
    ),
    (
        "The coach said his side could win the league.",
        ("The coach", "said", "his side could win the league"),
        "could win",
    ),
]


@pytest.mark.parametrize(("text", "roles", "evidence"), HEDGED)
def test_hedges_in_content_or_cue_clause(
    nlp: Language, text: str, roles: Roles, evidence: str
) -> None:
    (flags,) = flags_of(nlp, text, (roles,))
    assert [(f.kind, f.evidence.text, f.by) for f in flags] == [("hedged", evidence, None)]


NOT_HEDGED = [
    (
        "The council said the market will reopen in May.",
        ("The council", "said", "the market will reopen in May"),
    ),
    (
        "The council said the market will reopen on Monday, though rain could delay it.",
        ("The council", "said", "the market will reopen on Monday"),
    ),
    ("May Collins said the school was closing.", ("May Collins", "said", "the school was closing")),
    ("The chief said the vote was fair.", ("The chief", "said", "the vote was fair")),
]


@pytest.mark.parametrize(("text", "roles"), NOT_HEDGED)
def test_no_hedge_outside_scope_or_for_the_month(nlp: Language, text: str, roles: Roles) -> None:
    assert flags_of(nlp, text, (roles,)) == ((),)


STATEMENTS = [
    # unverified: same sentence, next sentence; "by" is who could not verify
    (
        "Rebel commanders said 40 soldiers were captured. "
        "Reuters could not independently verify the claim.",
        (("Rebel commanders", "said", "40 soldiers were captured"),),
        ("unverified", "Reuters", "verify"),
    ),
    (
        "Rebel commanders said 40 soldiers were captured. "
        "The claim could not be independently verified.",
        (("Rebel commanders", "said", "40 soldiers were captured"),),
        ("unverified", None, "could not be independently verified"),
    ),
    # disputed: a rejection referring back; a figure the writer says is contested
    (
        "The newspaper said the minister had misled parliament. The ministry denied the report.",
        (("The newspaper", "said", "the minister had misled parliament"),),
        ("disputed", "The ministry", "denied the report"),
    ),
    (
        "The union said 300 workers were laid off, a figure the company rejects.",
        (("The union", "said", "300 workers were laid off"),),
        ("disputed", "the company", "a figure the company rejects"),
    ),
    # retracted: the speaker corrects the figure
    (
        "The election board said 2,400 ballots were uncounted. "
        "The board later corrected that figure to 4,200.",
        (("The election board", "said", "2,400 ballots were uncounted"),),
        ("retracted", "The board", "corrected that figure"),
    ),
]


@pytest.mark.parametrize(("text", "roles", "expected"), STATEMENTS)
def test_flag_statements_about_an_attribution(
    nlp: Language, text: str, roles: tuple[Roles, ...], expected: tuple[str, str | None, str]
) -> None:
    kind, by, evidence = expected
    (flags,) = flags_of(nlp, text, roles)
    assert [(f.kind, f.by) for f in flags] == [(kind, by)]
    assert evidence in flags[0].evidence.text


NO_STATEMENT = [
    "The company said profits rose. Analysts confirmed the figures.",
    "The company said profits rose. The chief executive did not respond to requests for comment.",
    "The union said 300 workers were laid off. The company did not dispute the figure.",
    "The general said the army was ready. The army rejected the new uniforms.",
    "The minister said the army would withdraw its troops.",
]


@pytest.mark.parametrize("text", NO_STATEMENT)
def test_no_flag_without_a_flag_statement(nlp: Language, text: str) -> None:
    cue = "said"
    first = text.split(". ")[0]
    source, content = first.split(f" {cue} ")
    content = content.rstrip(".")
    roles: tuple[Roles, ...] = ((source, cue, content),)
    assert flags_of(nlp, text, roles) == ((),)


DENIALS = [
    (
        "The union said 300 workers were laid off. The company denied that any jobs were cut.",
        (
            ("The union", "said", "300 workers were laid off"),
            ("The company", "denied", "any jobs were cut"),
        ),
        "The company",
    ),
    (
        "Tenants said the landlord ignored the complaints. "
        "The firm insisted the allegations were baseless.",
        (
            ("Tenants", "said", "the landlord ignored the complaints"),
            ("The firm", "insisted", "the allegations were baseless"),
        ),
        "The firm",
    ),
]


@pytest.mark.parametrize(("text", "roles", "by"), DENIALS)
def test_a_denial_attribution_disputes_the_one_it_answers(
    nlp: Language, text: str, roles: tuple[Roles, ...], by: str
) -> None:
    first, denial = flags_of(nlp, text, roles)
    assert [(f.kind, f.by) for f in first] == [("disputed", by)]
    assert denial == ()


def test_a_flag_far_away_in_another_paragraph_is_not_tied(nlp: Language) -> None:
    text = (
        "The mayor said the pool would open in June.\n\n"
        "The weather was mild.\n\nRain fell on Friday.\n\n"
        "The report could not be independently verified."
    )
    roles: tuple[Roles, ...] = (("The mayor", "said", "the pool would open in June"),)
    assert flags_of(nlp, text, roles) == ((),)


def test_no_attributions_gives_no_flags(nlp: Language) -> None:
    assert find_flags(nlp("The claim could not be verified."), ()) == ()


EXTRACTED = [
    ("The rebels said the town had allegedly been shelled overnight.", "said", "hedged"),
    (
        "Witnesses said the border post had been abandoned. "
        "The claim could not be independently verified.",
        "said",
        "unverified",
    ),
]


@pytest.mark.parametrize(("text", "cue", "kind"), EXTRACTED)
def test_flags_on_extracted_attributions(nlp: Language, text: str, cue: str, kind: str) -> None:
    doc = nlp(text)
    attributions = load_extractor()(doc)
    found = find_flags(doc, attributions)
    assert len(found) == len(attributions)
    kinds = [
        {f.kind for f in flags}
        for att, flags in zip(attributions, found, strict=True)
        if att.cue.text == cue
    ]
    assert kinds and all(kind in k for k in kinds)


def test_many_claims_and_denials_stay_bounded(nlp: Language) -> None:
    unit = "The agency said the claims were true. The ministry denied the reports. "
    text = unit * 150
    doc = nlp(text)
    attributions = load_extractor()(doc)
    found = find_flags(doc, attributions)
    assert len(found) == len(attributions)
    assert sum(len(f) for f in found) <= 2 * len(attributions)


# Which earlier attribution a back-reference flags: text, attributions, kind, and the
# indices of the attributions that must carry it (all others must not).
TARGETED = [
    # a definite claim noun points at the lead claim, not at the response just before it
    (
        "Two people briefed on the plan said the council would sell the depot.\n\n"
        "A council spokesperson told reporters no decision had been taken.\n\n"
        "The council rejected the claim.",
        (
            ("Two people briefed on the plan", "said", "the council would sell the depot"),
            ("A council spokesperson", "told", "no decision had been taken"),
        ),
        "disputed",
        {0},
    ),
    # "the claims" spreads over the lead and the statements continuing the same voice
    (
        "Three staff members said the clinic had closed two wards. "
        "The staff members added that nurses had been moved to other sites.\n\n"
        "The health board stated it was reviewing staffing.\n\n"
        "The claims could not be independently verified.",
        (
            ("Three staff members", "said", "the clinic had closed two wards"),
            ("The staff members", "added", "nurses had been moved to other sites"),
            ("The health board", "stated", "it was reviewing staffing"),
        ),
        "unverified",
        {0, 1},
    ),
    # a denial with its own clause, far from the claim before it, answers the lead claim
    (
        "A senior engineer said the dam had cracked in two places. "
        "The regional water agency stated inspections were carried out every month. "
        "Residents told the radio station they had seen water on the road.\n\n"
        "The builder, Harlow Construction, denied on Monday that the structure was damaged.",
        (
            ("A senior engineer", "said", "the dam had cracked in two places"),
            ("The regional water agency", "stated", "inspections were carried out every month"),
            ("Residents", "told", "they had seen water on the road"),
            ("The builder, Harlow Construction", "denied", "the structure was damaged"),
        ),
        "disputed",
        {0},
    ),
    # "X denied this" answers the statement just before
    (
        "The mayor said the budget was balanced. "
        "The city auditor told councillors the accounts hid a deficit. Ms. Moreno denied this.",
        (
            ("The mayor", "said", "the budget was balanced"),
            ("The city auditor", "told", "the accounts hid a deficit"),
            ("Ms. Moreno", "denied", "this"),
        ),
        "disputed",
        {1},
    ),
    # a typed reference ("the footage") finds the attribution whose source it names
    (
        "Police said two officers were hurt. "
        "Videos posted online appear to show officers striking a man.\n\n"
        "The footage could not be independently verified.",
        (
            ("Police", "said", "two officers were hurt"),
            ("Videos posted online", "appear to show", "officers striking a man"),
        ),
        "unverified",
        {1},
    ),
    # "these figures" is near: the previous statements of the same voice, not the lead
    (
        "The ministry said the talks would resume on Monday.\n\n"
        "A rebel commander told the agency 40 fighters had been killed. "
        "The commander added that 12 villages were under rebel control. "
        "None of these figures could be verified.",
        (
            ("The ministry", "said", "the talks would resume on Monday"),
            ("A rebel commander", "told", "40 fighters had been killed"),
            ("The commander", "added", "12 villages were under rebel control"),
        ),
        "unverified",
        {1, 2},
    ),
    # an appositive dispute the parser reads as a noun ("a figure the union disputes")
    (
        "The company said 1,200 staff had accepted the offer, a figure the union disputes.",
        (("The company", "said", "1,200 staff had accepted the offer"),),
        "disputed",
        {0},
    ),
    # "a figure X called speculation" inside X's own words answers the claim before
    (
        "The newspaper reported that the bank would close 90 branches, a figure the chief "
        'executive, Ana Ruiz, called "pure speculation."',
        (
            ("The newspaper", "reported", "the bank would close 90 branches"),
            ("the chief executive, Ana Ruiz", "called", '"pure speculation."'),
        ),
        "disputed",
        {0},
    ),
]


@pytest.mark.parametrize(("text", "roles", "kind", "targets"), TARGETED)
def test_a_back_reference_flags_the_claim_it_points_at(
    nlp: Language, text: str, roles: tuple[Roles, ...], kind: str, targets: set[int]
) -> None:
    found = flags_of(nlp, text, roles)
    flagged = {k for k, flags in enumerate(found) if any(f.kind == kind for f in flags)}
    assert flagged == targets


def test_a_typed_reference_with_no_matching_source_flags_nothing(nlp: Language) -> None:
    text = (
        "The mayor said the pool would open in June.\n\n"
        "The survey could not be independently verified."
    )
    roles: tuple[Roles, ...] = (("The mayor", "said", "the pool would open in June"),)
    assert flags_of(nlp, text, roles) == ((),)
