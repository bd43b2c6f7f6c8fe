"""The spaCy component: ``nlp.add_pipe("sourcetrace")`` fills ``doc._.attributions``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import sourcetrace.component as component
from sourcetrace.attribution import extract_attributions
from sourcetrace.errors import ModelError
from sourcetrace.nlp import default_model_name

TEXTS = [
    "“We will rebuild the bridge by spring,” the mayor said.",
    "The minister said that the new rules would take effect in January. "
    "According to the report, crime fell last year.",
    "The bridge was built in 1932.",
    "",
]


@pytest.fixture(scope="module")
def traced() -> Iterator[Language]:
    """A freshly loaded pipeline (not the shared one) with the component added."""
    nlp = spacy.load(default_model_name())
    nlp.add_pipe("sourcetrace")
    yield nlp


def test_factory_is_registered_on_import() -> None:
    assert Language.has_factory("sourcetrace")
    assert Doc.has_extension(component.EXTENSION)


def test_component_runs_last_after_the_parser(traced: Language) -> None:
    assert traced.pipe_names[-1] == "sourcetrace"
    assert traced.pipe_names.index("parser") < traced.pipe_names.index("sourcetrace")


@pytest.mark.parametrize("text", TEXTS)
def test_doc_attributions_match_the_extractor(traced: Language, nlp: Language, text: str) -> None:
    doc = traced(text)
    assert isinstance(doc._.attributions, tuple)
    assert doc._.attributions == extract_attributions(nlp(text))


def test_first_text_yields_one_direct_quote(traced: Language) -> None:
    (attribution,) = traced(TEXTS[0])._.attributions
    assert (attribution.type, attribution.cue.text) == ("direct", "said")
    assert attribution.source is not None and attribution.source.text == "the mayor"


def test_pipe_batches_fill_every_doc(traced: Language) -> None:
    docs = list(traced.pipe(TEXTS, batch_size=2))
    assert [len(d._.attributions) for d in docs] == [len(traced(t)._.attributions) for t in TEXTS]


def test_unprocessed_doc_has_empty_attributions() -> None:
    doc = spacy.blank("en")("The mayor said the bridge would reopen.")
    assert doc._.attributions == ()


def test_registering_the_extension_twice_is_harmless() -> None:
    component.register_extension()
    component.register_extension()
    assert Doc.get_extension(component.EXTENSION) is not None


def test_blank_pipeline_is_refused_when_adding() -> None:
    blank = spacy.blank("en")
    with pytest.raises(ModelError, match="no dependency parser"):
        blank.add_pipe("sourcetrace")
    assert "sourcetrace" not in blank.pipe_names


def test_pipeline_without_its_parser_is_refused() -> None:
    nlp = spacy.load(default_model_name(), exclude=["parser"])
    with pytest.raises(ModelError, match="no dependency parser"):
        nlp.add_pipe("sourcetrace")


def test_saved_pipeline_reloads_with_the_component(traced: Language, tmp_path: Path) -> None:
    traced.to_disk(tmp_path / "pipeline")
    reloaded = spacy.load(tmp_path / "pipeline")
    assert "sourcetrace" in reloaded.pipe_names
    assert reloaded(TEXTS[0])._.attributions == traced(TEXTS[0])._.attributions
