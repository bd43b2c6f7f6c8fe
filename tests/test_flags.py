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
