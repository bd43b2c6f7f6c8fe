"""Figures: quantitative claims read from our own sentences through the real pipeline."""

from __future__ import annotations

import itertools

import pytest
import spacy
from spacy.language import Language

from sourcetrace import figures as figures_module
from sourcetrace.attribution.learned import load_extractor
from sourcetrace.docindex import DocIndex
from sourcetrace.figures import extract_figures
from sourcetrace.records import Attribution, Figure, Span

# (sentence, [(text, value, qualifier, low, high, what, unit), ...]) — every figure, in order.
CASES = [
    (
        "The union said more than 4,000 workers walked out.",
        [("more than 4,000", 4000, "more_than", None, None, "workers", None)],
    ),
    (
        "About 2.5 million people live in the valley.",
        [("About 2.5 million", 2.5e6, "about", None, None, "people", None)],
    ),
    (
        "Nearly half a million voters stayed at home.",
        [("Nearly half a million", 5e5, "about", None, None, "voters", None)],
    ),
    (
        "Officials counted between 300 and 400 protesters and up to 12 arrests.",
        [
            ("between 300 and 400", 300, "range", 300, 400, "protesters", None),
            ("up to 12", 12, "at_most", None, None, "arrests", None),
        ],
    ),
    (
        "Medics treated dozens of injuries.",
        [("dozens", 24, "at_least", None, None, "injuries", None)],
    ),
    (
        "Hundreds of families fled the floods.",
        [("Hundreds", 200, "at_least", None, None, "families", None)],
    ),
    (
        "Tens of thousands of people marched on Sunday.",
        [("Tens of thousands", 20000, "at_least", None, None, "people", None)],
    ),
    (
        "Rents rose 40% in the city.",
        [("40%", 40, "exact", None, None, "percent", "percent")],
    ),
    (
        "Turnout fell by 12 per cent.",
        [("12 per cent", 12, "exact", None, None, "percent", "percent")],
    ),
    (
        "The firm lost $3bn and £1.2 billion.",
        [
            ("$3bn", 3e9, "exact", None, None, "dollars", "USD"),
            ("£1.2 billion", 1.2e9, "exact", None, None, "pounds", "GBP"),
        ],
    ),
    (
        "The school lost $5m on the project.",
        [("$5m", 5e6, "exact", None, None, "dollars", "USD")],
    ),
    (
        "The fund paid 3.5 million euros to savers.",
        [("3.5 million euros", 3.5e6, "exact", None, None, "euros", "EUR")],
    ),
    (
        "Twelve strikes were called off.",
        [("Twelve", 12, "exact", None, None, "strikes", None)],
    ),
    (
        "Some twenty-three nurses and a dozen doctors signed the letter.",
        [
            ("Some twenty-three", 23, "about", None, None, "nurses", None),
            ("a dozen", 12, "exact", None, None, "doctors", None),
        ],
    ),
    (
        "The council hired one hundred and twenty teachers.",
        [("one hundred and twenty", 120, "exact", None, None, "teachers", None)],
    ),
    (
        "An estimated 3,500 volunteers helped, and 4,000 of the workers joined them.",
        [
            ("An estimated 3,500", 3500, "about", None, None, "volunteers", None),
            ("4,000", 4000, "exact", None, None, "workers", None),
        ],
    ),
    (
        "At least 7 died and no fewer than 30 were hurt.",
        [
            ("At least 7", 7, "at_least", None, None, None, None),
            ("no fewer than 30", 30, "at_least", None, None, None, None),
        ],
    ),
    (
        "Inspectors found fewer than 5 cases.",
        [("fewer than 5", 5, "less_than", None, None, "cases", None)],
    ),
    (
        "Police said 10-15 people were detained.",
        [("10-15", 10, "range", 10, 15, "people", None)],
    ),
    (
        "The bill would cost $3 to $5 million.",
        [("$3 to $5 million", 3e6, "range", 3e6, 5e6, "dollars", "USD")],
    ),
    (
        "Some 12 to 15 per cent of the 250 members backed it.",
        [
            ("Some 12 to 15 per cent", 12, "range", 12, 15, "percent", "percent"),
            ("250", 250, "exact", None, None, "members", None),
        ],
    ),
    (
        "Two-thirds of members and a third of voters agreed.",
        [
            ("Two-thirds", 2 / 3, "exact", None, None, "members", "fraction"),
            ("a third", 1 / 3, "exact", None, None, "voters", "fraction"),
        ],
    ),
    (
        "Half of the staff said one in five adults struggled.",
        [
            ("Half", 0.5, "exact", None, None, "staff", "fraction"),
            ("one in five", 0.2, "exact", None, None, "adults", "fraction"),
        ],
    ),
]

# Sentences whose numbers are dates, times, ages, ordinals, labels, phone numbers or pronouns.
NEGATIVES = [
    "The strike began on March 3, 2016.",
    "The meeting ends at 3 p.m. on Friday.",
    "Prices were lower in the 1990s.",
    "Jane Doe, 42, runs the bakery.",
    "The mayor, Tom Reed (57), declined to comment.",
    "She finished third in the race.",
    "Cities changed a lot in the 21st century.",
    "Campaigners want Section 230 repealed.",
    "Traffic was slow on Route 66.",
    "Call 555-123-4567 for details.",
    "One of the officers left early.",
    "One should never give up.",
    "The law took effect in 2016.",
]


def _rows(figures: tuple[Figure, ...]) -> list[tuple[object, ...]]:
    return [(f.text, f.value, f.qualifier, f.low, f.high, f.what, f.unit) for f in figures]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_figures_read_from_sentences(
    nlp: Language, text: str, expected: list[tuple[object, ...]]
) -> None:
    figures = extract_figures(nlp(text), ())
    assert _rows(figures) == [pytest.approx(row) for row in expected]


@pytest.mark.parametrize("text", NEGATIVES)
def test_non_figures_are_skipped(nlp: Language, text: str) -> None:
    assert extract_figures(nlp(text), ()) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a change between two figures, not a range
        ("Revenue rose from 3 to 5 percent.", ["3", "5 percent"]),
        # a score, not a range: the high end is lower
        ("The court ruled 5 to 4.", ["5", "4"]),
        # the age is dropped, the count kept
        ("Jane Doe, 42, said twelve strikes happened.", ["twelve"]),
    ],
)
def test_figure_texts(nlp: Language, text: str, expected: list[str]) -> None:
    assert [f.text for f in extract_figures(nlp(text), ())] == expected


@pytest.mark.parametrize(("text", "_expected"), CASES)
def test_offsets_match_text(nlp: Language, text: str, _expected: object) -> None:
    doc = nlp(text)
    figures = extract_figures(doc, ())
    assert figures
    for figure in figures:
        assert figure.text == doc.text[figure.start : figure.end]
    starts = [f.start for f in figures]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in itertools.pairwise(figures))


def test_to_dict_has_exactly_the_contract_keys(nlp: Language) -> None:
    (figure,) = extract_figures(nlp("Up to 12 arrests were made."), ())
    assert figure.to_dict() == {
        "text": "Up to 12",
        "start": 0,
        "end": 8,
        "value": 12.0,
        "qualifier": "at_most",
        "low": None,
        "high": None,
        "what": "arrests",
        "unit": None,
        "attribution": None,
    }


def _attribution(text: str, ident: str, content: str) -> Attribution:
    start = text.index(content)
    return Attribution(
        id=ident,
        type="indirect",
        source=None,
        cue=Span.of(text, 0, 1),
        content=Span.of(text, start, start + len(content)),
    )


def test_figures_link_to_the_innermost_containing_attribution(nlp: Language) -> None:
    text = "Officials said 20 buses left, and the union claimed 4,000 workers struck. 9 stayed."
    outer = _attribution(text, "a1", "20 buses left, and the union claimed 4,000 workers struck")
    inner = _attribution(text, "a2", "4,000 workers struck")
    figures = extract_figures(nlp(text), [inner, outer])
    assert [(f.text, f.attribution) for f in figures] == [
        ("20", "a1"),
        ("4,000", "a2"),
        ("9", None),
    ]


def test_figure_partly_outside_a_content_is_not_linked(nlp: Language) -> None:
    text = "The union said more than 4,000 workers walked out."
    partial = _attribution(text, "a1", "4,000 workers walked out")
    (figure,) = extract_figures(nlp(text), [partial])
    assert figure.text == "more than 4,000"
    assert figure.attribution is None


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("The union said more than 4,000 workers walked out.", "more than 4,000"),
        ("Police said about 300 people were arrested.", "about 300"),
    ],
)
def test_figures_link_to_extracted_attributions(nlp: Language, text: str, figure: str) -> None:
    doc = nlp(text)
    attributions = load_extractor()(doc)
    (found,) = extract_figures(doc, attributions)
    (linked,) = [a for a in attributions if a.id == found.attribution]
    assert found.text == figure
    assert linked.content.start <= found.start < found.end <= linked.content.end


def test_a_pasted_table_of_numbers_gives_bounded_output(nlp: Language) -> None:
    # Its speed is `make bench`'s business; here: it completes, bounded, every figure linked.
    lines = [" ".join(str(100 + (row * 1000 + k) % 900) for k in range(1000)) for row in range(5)]
    doc = nlp("\n".join(lines))
    numbers = sum(1 for token in doc if token.text.isdigit())
    assert numbers == 5000
    whole = _attribution(doc.text, "a1", doc.text)
    figures = extract_figures(doc, [whole])
    assert 0 < len(figures) <= numbers
    assert all(f.attribution == "a1" for f in figures)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "$$$ %%% --- ...",
        "1-2-3-4-5-6",
        "½ ٣ ² 1e10",
        "99999999999999999999999 people",
        "between and to of half a an dozen",
        "a dozen dozens of hundreds of thousands of millions",
        "10 – – 20 — 30 to to 40",
        "$ £ € 5 % per cent",
        "007 agents and 0.5 of them",
    ],
)
def test_odd_input_never_raises(nlp: Language, text: str) -> None:
    doc = nlp(text)
    for figure in extract_figures(doc, ()):
        assert figure.text == doc.text[figure.start : figure.end]


def test_works_without_parser_or_ner() -> None:
    doc = spacy.blank("en")("More than 4,000 workers and 40% of staff, on March 3.")
    figures = extract_figures(doc, ())
    assert [(f.text, f.qualifier, f.unit) for f in figures][:2] == [
        ("More than 4,000", "more_than", None),
        ("40%", "exact", "percent"),
    ]


def _lexicon_words() -> list[str]:
    """Every single word the figure lexicon knows, plus a few that are no figures."""
    lex = figures_module._lexicon()
    tables: list[object] = [
        lex.units, lex.teens, lex.tens, lex.hundred, lex.scales, lex.dozen, lex.vague,
        lex.fractions, lex.suffix_scales, lex.currency_symbols, lex.range_open, lex.range_joins,
        lex.time_words, lex.label_words,
    ]  # fmt: skip
    words = {w for table in tables for w in table}  # type: ignore[attr-defined]
    words |= {w for phrase in lex.qualifiers for w in phrase}
    return sorted(words | {"and", "-", "of", "the", "Half", "A", "One", "5", "x5"})


@pytest.fixture(scope="module")
def blank() -> Language:
    """A tokenizer-only pipeline, built once."""
    return spacy.blank("en")


@pytest.mark.parametrize("word", _lexicon_words())
def test_only_starter_words_open_a_number(blank: Language, word: str) -> None:
    # The scan skips tokens that are neither digits nor starters; that must lose no figure.
    nlp = blank
    for follower in ("of the 12 staff", "- thirds of staff", "a million", "dozen eggs"):
        doc = nlp(f"{word} {follower}")
        reader = figures_module._Reader(DocIndex(doc))
        if reader.core(0, currency=False) is not None:
            first = reader.words[0]
            assert first in figures_module._starters() or first[:1].isdigit(), first
