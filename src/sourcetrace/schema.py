"""The JSON Schema of the output contract (``data/schema.json``, documented in docs/schema.md)."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any


def schema_text() -> str:
    """Return the JSON Schema of one analysed document, as text."""
    return resources.files("sourcetrace").joinpath("data/schema.json").read_text("utf-8")


@functools.cache
def document_schema() -> dict[str, Any]:
    """Return the JSON Schema of one analysed document, parsed."""
    parsed: dict[str, Any] = json.loads(schema_text())
    return parsed
