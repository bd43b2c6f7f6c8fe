"""Accuracy floor on PolNeAR dev: a regression guard, run where ../shared/polnear exists.

The floors are the dev scores of the current (learned) extractor minus a small margin (0.02
to 0.025).
Measured with ``sourcetrace eval polnear ../shared/polnear/dev``; when an improvement lands,
raise the floors to the new scores minus the same margin (never lower them to get green).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sourcetrace.evaluation import evaluate_polnear
from sourcetrace.settings import AnalysisSettings

FLOORS = {
    # (section, measure): least F1
    # The learned model (60 iterations, c2 1.0) scored 0.713, 0.757, 0.819, 0.811, 0.797.
    ("who_said_what", None): 0.69,
    ("content", "token"): 0.735,
    ("content", "overlap"): 0.795,
    ("source", "overlap"): 0.79,
    ("cue", "overlap"): 0.775,
}


@pytest.fixture(scope="module")
def dev_scores(polnear_dir: Path) -> dict[str, object]:
    return evaluate_polnear(polnear_dir / "dev", AnalysisSettings()).to_dict()


@pytest.mark.polnear
@pytest.mark.slow
@pytest.mark.parametrize(("section", "measure"), list(FLOORS), ids=lambda k: str(k))
def test_dev_scores_stay_above_the_floor(
    dev_scores: dict[str, dict[str, dict[str, float]]], section: str, measure: str | None
) -> None:
    scores = dev_scores[section]
    f1 = scores["f1"] if measure is None else scores[measure]["f1"]
    assert f1 >= FLOORS[(section, measure)], f"{section} {measure} F1 fell to {f1:.3f}"
