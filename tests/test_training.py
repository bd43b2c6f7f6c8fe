"""Training the learned model: on a small gold folder we write, deterministically."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from sourcetrace.attribution.learned import LearnedExtractor
from sourcetrace.attribution.learned.model import CUE_MODEL, META, ROLE_MODEL
from sourcetrace.cli import main
from sourcetrace.errors import EXIT_SETUP, DataError, SettingsError
from sourcetrace.settings import AnalysisSettings, TrainingSettings
from sourcetrace.training import train_polnear

from .gold import Ann, write_split

SPEAKERS = ["The mayor", "The coach", "A spokesperson", "The minister", "The director"]
CLAIMS = [
    "the bridge will reopen in May",
    "the team needs a new stadium",
    "the airline will cut ten routes",
    "taxes will not rise this year",
    "the museum will stay open late",
]


def _article(speaker: str, claim: str, filler: str) -> tuple[str, str]:
    text = f"{speaker} said that {claim}. {filler} The weather was mild on Tuesday."
    ann = Ann(text)
    ann.relation(
        Source=ann.span("Source", speaker),
        Cue=ann.span("Cue", "said"),
        Content=ann.span("Content", f"that {claim}"),
    )
    return text, ann.render()


@pytest.fixture(scope="module")
def polnear_like(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("polnear")
    docs = {
        f"doc{i}": _article(s, c, f"Crowds gathered near hall number {i}.")
        for i, (s, c) in enumerate(zip(SPEAKERS, CLAIMS, strict=True))
    }
    write_split(root / "train", docs)
    return root


def _train(data: Path, out: Path) -> dict[str, object]:
    settings = TrainingSettings(iterations=30)
    return train_polnear(data, out, AnalysisSettings(model="rules"), settings, log=lambda _: None)


def test_training_writes_a_model_that_loads_and_predicts(
    polnear_like: Path, tmp_path: Path, nlp: Language
) -> None:
    meta = _train(polnear_like, tmp_path / "m")
    assert {p.name for p in (tmp_path / "m").iterdir()} == {CUE_MODEL, ROLE_MODEL, META}
    assert meta["documents"] == 5 and meta["role_sequences"] == 5
    text = "The mayor said that the bridge will reopen in May."
    (found,) = LearnedExtractor(tmp_path / "m")(nlp(text))
    assert found.cue.text == "said"
    assert found.source is not None and found.source.text == "The mayor"
    assert "the bridge will reopen in May" in found.content.text


def test_training_is_deterministic(polnear_like: Path, tmp_path: Path) -> None:
    _train(polnear_like, tmp_path / "one")
    _train(polnear_like, tmp_path / "two")
    for name in (CUE_MODEL, ROLE_MODEL):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_folder_without_train_split_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="train"):
        _train(tmp_path, tmp_path / "m")


def test_malformed_annotation_names_the_file(polnear_like: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    text, ann = _article("The mayor", CLAIMS[0], "Nothing else.")
    write_split(bad / "train", {"doc": (text, ann.replace("T1\tSource 0 9", "T1\tSource 0 999"))})
    with pytest.raises(DataError, match=r"doc_a1\.ann"):
        _train(bad, tmp_path / "m")


def test_cli_train_on_malformed_folder_exits_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["train", "polnear", str(tmp_path), "--output", str(tmp_path / "m")])
    assert code == EXIT_SETUP
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


@pytest.mark.parametrize("kwargs", [{"iterations": 0}, {"c1": -1.0}, {"limit": 0}])
def test_invalid_training_settings_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(SettingsError):
        TrainingSettings(**kwargs)  # type: ignore[arg-type]
