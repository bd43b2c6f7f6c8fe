"""The learned attribution model: decoding, loading errors, and predictions on our own text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from spacy.language import Language

from sourcetrace.attribution import extract_attributions
from sourcetrace.attribution.learned import LearnedExtractor, load_extractor, packaged_model_dir
from sourcetrace.attribution.learned.features import DocFeatures
from sourcetrace.attribution.learned.model import (
    CUE_MODEL,
    META,
    ROLE_MODEL,
    AttributionModel,
    _chunks,
    _first_run,
    _runs,
)
from sourcetrace.cli import main
from sourcetrace.errors import EXIT_SETUP, EXIT_USAGE, ModelError


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["O", "B-CON", "I-CON", "O"], [(11, 13)]),
        (["B-CON", "I-CON", "B-CON", "O", "I-CON"], [(10, 12), (12, 13), (14, 15)]),
        (["I-SRC", "I-SRC", "O"], []),
        (["B-CON", "I-CON", "I-CON"], [(10, 13)]),
        (["O", "O"], []),
    ],
)
def test_chunks_from_bio_labels(labels: list[str], expected: list[tuple[int, int]]) -> None:
    assert _chunks(labels, "CON", 10) == expected


@pytest.mark.parametrize(
    ("text", "source", "cue", "content"),
    [
        (
            "The port authority said on Monday that the ferry terminal would close in June.",
            "The port authority",
            "said",
            "the ferry terminal would close in June",
        ),
        (
            '"We will appeal the ruling," the company\'s lawyer told reporters.',
            "the company's lawyer",
            "told",
            "We will appeal the ruling",
        ),
        (
            "According to the fire service, three houses were damaged in the storm.",
            "the fire service",
            "According to",
            "three houses were damaged in the storm",
        ),
    ],
)
def test_packaged_model_finds_plain_attributions(
    nlp: Language, text: str, source: str, cue: str, content: str
) -> None:
    attributions = load_extractor()(nlp(text))
    matches = [a for a in attributions if cue in a.cue.text]
    assert matches, [a.to_dict() for a in attributions]
    found = matches[0]
    assert found.source is not None and source in found.source.text
    assert content in found.content.text
    for span in (found.source, found.cue, found.content):
        assert span.text == " ".join(text[s:e] for s, e in span.pieces)


def test_learned_model_is_the_default(nlp: Language) -> None:
    assert isinstance(load_extractor(), LearnedExtractor)
    assert load_extractor("rules").__name__ == "extract_attributions"  # type: ignore[attr-defined]


@pytest.fixture()
def model_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "model"
    shutil.copytree(packaged_model_dir(), folder)
    return folder


@pytest.mark.parametrize("name", [CUE_MODEL, ROLE_MODEL, META])
def test_missing_model_file_names_the_file_and_the_fix(model_copy: Path, name: str) -> None:
    (model_copy / name).unlink()
    with pytest.raises(ModelError) as info:
        LearnedExtractor(model_copy)
    message = str(info.value)
    assert name in message and "sourcetrace train" in message and "\n" not in message


@pytest.mark.parametrize("name", [CUE_MODEL, ROLE_MODEL, META])
def test_corrupt_model_file_is_an_error_not_a_fallback(model_copy: Path, name: str) -> None:
    (model_copy / name).write_bytes(b"\x00garbage\x01" * 10)
    with pytest.raises(ModelError, match=name):
        LearnedExtractor(model_copy)


def test_model_of_another_format_is_refused(model_copy: Path) -> None:
    (model_copy / META).write_text('{"format": 999}', encoding="utf-8")
    with pytest.raises(ModelError, match="format"):
        LearnedExtractor(model_copy)


def test_cli_corrupt_model_exits_3_with_one_line(
    model_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (model_copy / ROLE_MODEL).write_bytes(b"broken")
    article = tmp_path / "a.txt"
    article.write_text("The mayor said the bridge would reopen next week.", encoding="utf-8")
    code = main(["analyze", str(article), "--model-dir", str(model_copy), "--format", "jsonl"])
    captured = capsys.readouterr()
    assert code == EXIT_SETUP and captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1 and ROLE_MODEL in captured.err


def test_cli_model_dir_that_does_not_exist_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["analyze", "x.txt", "--model-dir", str(tmp_path / "nowhere")])
    assert code == EXIT_USAGE
    assert "nowhere" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("tokens", "runs"),
    [
        (frozenset(), []),
        (frozenset({4}), [(4, 5)]),
        (frozenset({3, 4, 5, 9, 10}), [(3, 6), (9, 11)]),
        (frozenset({7, 1, 2}), [(1, 3), (7, 8)]),
    ],
)
def test_runs_of_token_indices(tokens: frozenset[int], runs: list[tuple[int, int]]) -> None:
    assert _runs(tokens) == runs
    assert _first_run(tokens) == (runs[0] if runs else ())


RULES_TEXT = "The mayor said the bridge would reopen. Critics said the plan was late."


def test_rule_for_picks_the_rule_sharing_the_cue(nlp: Language) -> None:
    doc = nlp(RULES_TEXT)
    rules = extract_attributions(doc)
    feats = DocFeatures.build(doc, rules)
    second_said = [t.i for t in doc if t.text == "said"][1]
    rule = feats.rule_for([second_said])
    assert rule is not None and second_said in rule.cue
    assert {doc[t].text for t in rule.source} == {"Critics"}
    assert feats.rule_for([0]) is None  # "The" is no rule's cue


def test_rule_content_is_borrowed_when_the_tagger_finds_none(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = nlp(RULES_TEXT)
    rules = extract_attributions(doc)
    model = AttributionModel(packaged_model_dir())
    # A role tagger that labels nothing: the prediction must come from the rules' roles.
    monkeypatch.setattr(model, "role_tagger", _SilentTagger())
    feats = DocFeatures.build(doc, rules)
    said = next(t.i for t in doc if t.text == "said")
    prediction = model._roles(feats, [said])
    assert prediction is not None
    content = " ".join(doc[s:e].text for s, e in prediction.content)
    assert "the bridge would reopen" in content
    assert doc[prediction.source[0] : prediction.source[1]].text == "The mayor"


class _SilentTagger:
    """Stands in for the role tagger: every token outside."""

    def tag(self, rows: list[list[str]]) -> list[str]:
        return ["O"] * len(rows)
