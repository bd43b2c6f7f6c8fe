"""Settings are validated once, where they are built."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sourcetrace.errors import SettingsError
from sourcetrace.settings import AnalysisSettings, OutputSettings, resolve_jobs


@pytest.mark.parametrize(
    "kwargs",
    [{"max_chars": 0}, {"jobs": 0}, {"spacy_model": "  "}],
)
def test_invalid_analysis_settings_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(SettingsError):
        AnalysisSettings(**kwargs)  # type: ignore[arg-type]


def test_output_to_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="directory"):
        OutputSettings(output=tmp_path)


def test_unknown_format_is_refused() -> None:
    with pytest.raises(SettingsError, match="format"):
        OutputSettings(format="xml")  # type: ignore[arg-type]


@pytest.mark.parametrize("given", [0, None])
def test_resolve_jobs_zero_or_none_means_every_core(given: int | None) -> None:
    assert resolve_jobs(given) == len(os.sched_getaffinity(0))


def test_resolve_jobs_keeps_an_explicit_count() -> None:
    assert resolve_jobs(3) == 3


def test_resolve_jobs_refuses_negative() -> None:
    with pytest.raises(SettingsError):
        resolve_jobs(-1)
