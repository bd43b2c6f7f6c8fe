"""Accuracy floor of the sourcing stages on our labelled set (tests/data/sourcing).

The floors are the scores of ``sourcetrace eval sourcing tests/data/sourcing`` when the
stages landed, minus a small margin (0.02 to 0.03). When a stage improves, raise its floor to
the new score minus the same margin; never lower one to get green.
"""

from __future__ import annotations

from typing import Any

import pytest

from sourcetrace.evaluation.sourcing import evaluate_sourcing
from sourcetrace.settings import AnalysisSettings

from .conftest import REPO

FLOORS = {
    # (section, measure, statistic): least value. Measured: 0.870, 0.788, 0.945, 0.796,
    # 0.772, 0.841, 0.695.
    ("attributions", "found", "f1"): 0.85,
    ("speaker", "kind_accuracy", "accuracy"): 0.75,
    ("speaker", "anonymous", "f1"): 0.92,
    ("via", "relays", "f1"): 0.77,
    ("flags", "all", "f1"): 0.74,
    ("figures", "spans", "f1"): 0.82,
    ("assertions", "spans", "f1"): 0.67,
}


@pytest.fixture(scope="module")
def scores() -> dict[str, Any]:
    report = evaluate_sourcing(REPO / "tests" / "data" / "sourcing", AnalysisSettings())
    return report.to_dict()


@pytest.mark.slow
@pytest.mark.parametrize(("section", "measure", "stat"), list(FLOORS), ids=lambda k: str(k))
def test_sourcing_scores_stay_above_the_floor(
    scores: dict[str, Any], section: str, measure: str, stat: str
) -> None:
    value = scores[section][measure][stat]
    assert value >= FLOORS[(section, measure, stat)], f"{section} {measure} {stat} fell to {value}"
