"""The shared document index: the same readings as spaCy's own objects, and stages agree."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from sourcetrace import assertions, figures, flags, relays, speakers
from sourcetrace.attribution.learned import load_extractor
from sourcetrace.docindex import DocIndex, index_of

TEXTS = [
    "",
    "Rain.",
    "Ms. Ilse Varga, the port's director, said 40 per cent of cargo was delayed.\n\n"
    "She added that the backlog could last weeks.",
    '"We rejected the offer," a union spokesperson told the Harbour Gazette on Friday.  '
    "The claim could not be independently verified.",
    "According to reports in the daily Kesto, cited by Radio Lumo, about 3,000 people "
    "left the valley. Residents say the dam, built in 1962, is failing.",
    "Tanks  rolled in .\n  \nTwo-thirds of   the shops stayed shut , officials said !",
]


def _spacy_readings(doc: Doc) -> dict[str, object]:
    """What the stages used to read token by token from spaCy's objects."""
    return {
        "text": doc.text,
        "starts": [t.idx for t in doc],
        "ends": [t.idx + len(t.text) for t in doc],
        "words": [t.text for t in doc],
        "lower": [t.lower_ for t in doc],
        "lemma": [t.lemma_.lower() for t in doc],
        "pos": [t.pos_ for t in doc],
        "sentences": [(s.start, s.end) for s in doc.sents],
        "sentence_chars": [(s.start_char, s.end_char) for s in doc.sents],
        "sent_of": [t.sent.start for t in doc],
    }


def _index_readings(index: DocIndex) -> dict[str, object]:
    """The same readings from the index."""
    return {
        "text": index.text,
        "starts": index.starts,
        "ends": index.ends,
        "words": index.words,
        "lower": index.lower,
        "lemma": index.lemma,
        "pos": index.pos,
        "sentences": index.sentences,
        "sentence_chars": [index.sentence_chars(b) for b in index.sentences],
        "sent_of": [index.sentences[s][0] for s in index.sent_of],
    }


@pytest.mark.parametrize("text", TEXTS)
def test_index_reads_what_spacy_reads(nlp: Language, text: str) -> None:
    doc = nlp(text)
    index = DocIndex(doc)
    assert _index_readings(index) == _spacy_readings(doc)
    assert all(type(n) is int for n in index.starts + index.ends)


@pytest.mark.parametrize("text", TEXTS)
def test_entities_within_match_span_ents(nlp: Language, text: str) -> None:
    doc = nlp(text)
    index = DocIndex(doc)
    ranges = [(s, e) for s in range(len(doc) + 1) for e in range(s, len(doc) + 1)]
    for start, end in ranges:
        assert index.ents_within(start, end) == list(doc[start:end].ents), (start, end)


@pytest.mark.parametrize("char", [-5, 0, 3, 4, 5, 17, 10_000])
def test_token_at_covers_or_follows(nlp: Language, char: int) -> None:
    doc = nlp("Ms. Ilse Varga said so.")
    expected = max([0] + [t.i for t in doc if t.idx <= char])
    assert DocIndex(doc).token_at(char) == expected


def test_index_of_reuses_or_builds(nlp: Language) -> None:
    doc, other = nlp("One text."), nlp("Another text.")
    index = DocIndex(doc)
    assert index_of(doc, index) is index
    assert index_of(doc, None).text == "One text."
    with pytest.raises(ValueError, match="another document"):
        index_of(other, index)


def test_sentences_need_annotation(nlp: Language) -> None:
    doc = Doc(nlp.vocab, words=["no", "parse", "here"])
    index = DocIndex(doc)  # tokens read fine without a parse
    assert index.words == ["no", "parse", "here"]
    with pytest.raises(ValueError):
        _ = index.sentences


@pytest.mark.parametrize("text", TEXTS[2:])
def test_stages_agree_with_and_without_a_shared_index(nlp: Language, text: str) -> None:
    doc = nlp(text)
    found = load_extractor()(doc)
    index = DocIndex(doc)
    assert speakers.resolve_speakers(doc, found, index=index) == speakers.resolve_speakers(
        doc, found
    )
    assert relays.find_relays(doc, found, index=index) == relays.find_relays(doc, found)
    assert flags.find_flags(doc, found, index=index) == flags.find_flags(doc, found)
    figs = figures.extract_figures(doc, found, index=index)
    assert figs == figures.extract_figures(doc, found)
    assert assertions.find_assertions(doc, found, figs, index=index) == (
        assertions.find_assertions(doc, found, figs)
    )
