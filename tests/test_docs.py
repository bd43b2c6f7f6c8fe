"""Docs that cannot drift: every command, option, JSON field and error reason is documented."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Any

import pytest

from sourcetrace import errors
from sourcetrace.cli import build_parser
from sourcetrace.schema import document_schema

from .conftest import REPO

CLI_DOC = (REPO / "docs" / "cli.md").read_text("utf-8")
SCHEMA_DOC = (REPO / "docs" / "schema.md").read_text("utf-8")


def _commands(
    parser: argparse.ArgumentParser, prefix: str = "sourcetrace"
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """Yield (full command name, parser) for every leaf command."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield prefix, parser
        return
    for name, sub in subs[0].choices.items():
        yield from _commands(sub, f"{prefix} {name}")


COMMANDS = list(_commands(build_parser()))


def _schema_fields(node: Any) -> Iterator[str]:
    """Yield every property name in the schema, recursively."""
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield name
            yield from _schema_fields(sub)
        for key in ("$defs", "items", "oneOf", "anyOf"):
            value = node.get(key)
            if isinstance(value, dict):
                for sub in value.values() if key == "$defs" else [value]:
                    yield from _schema_fields(sub)
            elif isinstance(value, list):
                for sub in value:
                    yield from _schema_fields(sub)


def test_there_are_commands_to_check() -> None:
    assert {name for name, _ in COMMANDS} >= {
        "sourcetrace analyze",
        "sourcetrace schema",
        "sourcetrace eval polnear",
    }


@pytest.mark.parametrize(("command", "parser"), COMMANDS, ids=[c for c, _ in COMMANDS])
def test_every_command_and_option_is_documented(
    command: str, parser: argparse.ArgumentParser
) -> None:
    assert f"## `{command}" in CLI_DOC, f"docs/cli.md has no section for {command}"
    for action in parser._actions:
        for option in action.option_strings:
            if option in ("-h", "--help"):
                continue
            assert f"`{option}" in CLI_DOC or f"{option}`" in CLI_DOC or f" {option}" in CLI_DOC, (
                f"{command} {option} is not documented in docs/cli.md"
            )


@pytest.mark.parametrize("field", sorted(set(_schema_fields(document_schema()))))
def test_every_json_field_is_documented(field: str) -> None:
    assert f"| `{field}` |" in SCHEMA_DOC, f"JSON field {field!r} is not in docs/schema.md"


REASONS = [
    value
    for name, value in vars(errors).items()
    if name.isupper() and isinstance(value, str) and not name.startswith("EXIT")
]


@pytest.mark.parametrize("reason", REASONS)
def test_every_error_reason_is_documented(reason: str) -> None:
    assert f"`{reason}`" in CLI_DOC, f"error reason {reason!r} is not in docs/cli.md"


@pytest.mark.parametrize(
    "code",
    [v for k, v in vars(errors).items() if k.startswith("EXIT_") and isinstance(v, int)],
)
def test_every_exit_code_is_documented(code: int) -> None:
    assert f"| {code} |" in CLI_DOC
