"""`sourcetrace serve` refuses bad settings and databases before it starts listening."""

from __future__ import annotations

from pathlib import Path

import pytest

from sourcetrace import errors
from sourcetrace.cli import main

NOT_A_DATABASE = b"these are my notes, not a database\n" * 50


@pytest.mark.parametrize(
    ("db_name", "extra", "code", "says"),
    [
        ("", [], errors.EXIT_USAGE, "is a directory"),
        ("web.db", ["--port", "70000"], errors.EXIT_USAGE, "--port"),
        ("notes.db", [], errors.EXIT_STORE, errors.NOT_A_DATABASE),
    ],
)
def test_serve_refuses_before_listening(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    db_name: str,
    extra: list[str],
    code: int,
    says: str,
) -> None:
    db = tmp_path / db_name
    if db_name == "notes.db":
        db.write_bytes(NOT_A_DATABASE)
    assert main(["serve", "--db", str(db), *extra]) == code
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and says in err[0], err
    if db_name == "notes.db":
        assert db.read_bytes() == NOT_A_DATABASE  # refused, never reset
