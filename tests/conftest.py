"""Shared fixtures: the real spaCy pipeline, and the shared gold data where present."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from sourcetrace.nlp import load_pipeline

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
SHARED = REPO.parent / "shared"
POLNEAR = SHARED / "polnear"


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The default spaCy pipeline, loaded once for the whole run."""
    return load_pipeline()


@pytest.fixture(scope="session")
def polnear_dir() -> Path:
    """``../shared/polnear``; tests that need it are skipped where it is absent."""
    if not (POLNEAR / "dev" / "text").is_dir():
        pytest.skip(f"PolNeAR data not found at {POLNEAR} (the shared data folder)")
    return POLNEAR
