"""Docs that cannot drift: every command, option, JSON field and error reason is documented."""

from __future__ import annotations

import argparse
import re
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


CORPUS_DOC = (REPO / "docs" / "corpus.md").read_text("utf-8")
STORE_DOC = (REPO / "docs" / "store.md").read_text("utf-8")
WEB_DOC = (REPO / "docs" / "web.md").read_text("utf-8")


def _corpus_fields() -> list[tuple[str, str]]:
    """(record, field) for every field of the corpus step's JSON records."""
    import dataclasses

    from sourcetrace.corpus import records

    return [
        (cls.__name__, f.name)
        for cls in vars(records).values()
        if dataclasses.is_dataclass(cls) and hasattr(cls, "to_dict")
        for f in dataclasses.fields(cls)
    ]


@pytest.mark.parametrize(("record", "field"), _corpus_fields())
def test_every_corpus_json_field_is_documented(record: str, field: str) -> None:
    assert f"`{field}`" in CORPUS_DOC or f'"{field}"' in CORPUS_DOC, (
        f"{record}.{field} is not in docs/corpus.md"
    )


def test_every_store_table_and_column_is_documented(tmp_path: Any) -> None:
    import sqlite3

    from sourcetrace.store import Store

    path = tmp_path / "docs.db"
    with Store(path):
        pass
    with sqlite3.connect(path) as con:
        tables = [
            name
            for (name,) in con.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
                " AND name NOT LIKE 'sqlite_%'"
            )
        ]
        columns = {t: [row[1] for row in con.execute(f"PRAGMA table_info('{t}')")] for t in tables}
    assert tables
    missing = [t for t in tables if f"`{t}`" not in STORE_DOC]
    missing += [
        f"{t}.{c}" for t, cols in columns.items() for c in cols if f"`{c}`" not in STORE_DOC
    ]
    assert not missing, f"not in docs/store.md: {missing}"


def test_every_web_route_is_documented() -> None:
    pytest.importorskip("fastapi")
    from fastapi.routing import APIRoute

    from sourcetrace.web import create_app

    def shape(path: str) -> str:
        """The path with every parameter written ``{}``, and any query string dropped."""
        return re.sub(r"\{[^}]*\}", "{}", path.split("?")[0])

    routes = {r.path for r in create_app().routes if isinstance(r, APIRoute)}
    assert "/api/analyze" in routes
    documented = {shape(p) for p in re.findall(r"`(?:[A-Z]+ )?(/[^`\s]*)`", WEB_DOC)}
    missing = sorted(p for p in routes if shape(p) not in documented and "/static/" not in p)
    assert not missing, f"routes not in docs/web.md: {missing}"
