"""``sourcetrace ingest`` end to end: real files, real SQLite, a killed process."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sourcetrace import errors
from sourcetrace.cli import main
from sourcetrace.errors import EXIT_OK, EXIT_SOME_FAILED, EXIT_STORE
from sourcetrace.store import Store

from .conftest import EXAMPLES, REPO

TOWNS = ["Ashby", "Brackwater", "Colden", "Dunmore", "Elsfield", "Farrow", "Greyholm", "Hollin"]
PEOPLE = ["Mara Lind", "Tomas Reyes", "Ada Novak", "Ben Okoro", "Ruth Calloway", "Ivo Stein"]


def _article(i: int) -> str:
    """A short local news article of our own, different for every ``i``."""
    town, person = TOWNS[i % len(TOWNS)], PEOPLE[i % len(PEOPLE)]
    return (
        f"The council in {town} said on Monday that the old bridge would close for {i + 3} "
        f"weeks of repairs.\n\n"
        f'"We looked at every other option and none of them was safe," said {person}, the '
        f'council\'s head of transport. "The bridge has carried traffic for {60 + i} years."\n\n'
        f"According to the local bus company, about {200 + 10 * i} passengers a day will have "
        f"to change to a longer route. Shop owners near the bridge told the Evening Post that "
        f"they expected to lose trade during the closure.\n\n"
        f"A council officer, who asked not to be named, said the repairs could take longer if "
        f"the weather turned.\n"
    )


def _ingest(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["ingest", *argv, "--no-progress"])
    return code, capsys.readouterr().err


def _ids(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY seq")]
    finally:
        conn.close()


def test_ingest_examples_then_rerun_stores_each_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "c.db"
    code, err = _ingest(capsys, str(EXAMPLES), "--db", str(db))
    assert code == EXIT_OK
    assert f"{db}: 7 stored, 0 replaced, 0 unchanged, 0 failed" in err
    first = _ids(db)
    assert len(first) == len(set(first)) == 7
    code, err = _ingest(capsys, str(EXAMPLES), "--db", str(db))
    assert code == EXIT_OK
    assert f"{db}: 0 stored, 0 replaced, 7 unchanged, 0 failed" in err
    assert _ids(db) == first


def test_default_db_is_sourcetrace_db_in_the_working_directory(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bridge.txt").write_text(_article(0), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _ = _ingest(capsys, "bridge.txt")
    assert code == EXIT_OK
    assert _ids(tmp_path / "sourcetrace.db") == ["bridge"]


def test_changed_text_replaces_the_stored_analysis(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    article, db = tmp_path / "bridge.txt", tmp_path / "c.db"
    article.write_text(_article(1), encoding="utf-8")
    _ingest(capsys, str(article), "--db", str(db))
    article.write_text(_article(2), encoding="utf-8")
    code, err = _ingest(capsys, str(article), "--db", str(db))
    assert code == EXIT_OK
    assert "0 stored, 1 replaced, 0 unchanged" in err
    with Store(db) as store:
        stored = store.document("bridge")
    assert stored is not None and stored.text == _article(2)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_duplicate_ids_in_one_batch_the_later_wins_with_a_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, jobs: str
) -> None:
    feed, db = tmp_path / "feed.jsonl", tmp_path / "c.db"
    lines = [
        {"id": "bridge", "text": _article(3)},
        {"id": "other", "text": _article(4)},
        {"id": "bridge", "text": _article(5)},
        {"id": "other", "text": _article(4)},
    ]
    feed.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    code, err = _ingest(capsys, str(feed), "--db", str(db), "--jobs", jobs)
    assert code == EXIT_OK
    warning = f"sourcetrace: {feed}:3: {errors.duplicate_id('bridge')}"
    assert warning in err.splitlines()
    assert "2 stored, 1 replaced, 1 unchanged, 0 failed" in err
    with Store(db) as store:
        stored = store.document("bridge")
    assert stored is not None and stored.text == _article(5)


def test_failures_are_reported_one_line_each_and_recorded(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder, db = tmp_path / "in", tmp_path / "c.db"
    folder.mkdir()
    (folder / "good.txt").write_text(_article(6), encoding="utf-8")
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    (folder / "blob.txt").write_bytes(bytes(range(256)) * 8)
    code, err = _ingest(capsys, str(folder), "--db", str(db))
    assert code == EXIT_SOME_FAILED
    assert f"sourcetrace: {folder / 'empty.txt'}: {errors.EMPTY}" in err.splitlines()
    assert f"sourcetrace: {folder / 'blob.txt'}: {errors.BINARY}" in err.splitlines()
    with Store(db) as store:
        assert {(f.doc, f.reason) for f in store.failures()} == {
            (str(folder / "empty.txt"), errors.EMPTY),
            (str(folder / "blob.txt"), errors.BINARY),
        }
        assert [d.id for d in store.documents()] == ["good"]


def test_undated_documents_keep_ingest_order(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    feed, db = tmp_path / "feed.jsonl", tmp_path / "c.db"
    order = ["zeta", "alpha", "mid", "beta"]
    feed.write_text(
        "".join(json.dumps({"id": d, "text": _article(i)}) + "\n" for i, d in enumerate(order)),
        encoding="utf-8",
    )
    _ingest(capsys, str(feed), "--db", str(db))
    assert _ids(db) == order
    with Store(db) as store:
        assert all(d.published is None for d in store.documents())


def _other_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p.write_bytes(b"\x00\x13garbage" * 500), errors.NOT_A_DATABASE),
        (_other_sqlite, errors.NOT_A_STORE),
    ],
    ids=["garbage", "other-sqlite"],
)
def test_bad_database_file_exits_with_one_line_and_is_untouched(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, make: object, reason: str
) -> None:
    db = tmp_path / "c.db"
    make(db)  # type: ignore[operator]
    before = db.read_bytes()
    code, err = _ingest(capsys, str(EXAMPLES), "--db", str(db))
    assert code == EXIT_STORE
    assert err == f"sourcetrace: {db}: {reason}\n"
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.db"]


def test_killed_ingest_leaves_a_sound_db_and_a_rerun_completes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder, db = tmp_path / "in", tmp_path / "c.db"
    folder.mkdir()
    total = 60
    for i in range(total):
        (folder / f"bridge-{i:02d}.txt").write_text(_article(i), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    command = [sys.executable, "-m", "sourcetrace.cli", "ingest", str(folder), "--db", str(db)]
    process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    stored_at_kill = 0
    deadline = time.monotonic() + 120
    try:
        while process.poll() is None and time.monotonic() < deadline:
            stored_at_kill = _count(db)
            if stored_at_kill >= 1:
                process.send_signal(signal.SIGKILL)
                break
            time.sleep(0.01)
    finally:
        process.kill()
        process.wait()
    assert 1 <= stored_at_kill < total, "the process was not killed mid-batch"
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    code, err = _ingest(capsys, str(folder), "--db", str(db))
    assert code == EXIT_OK
    ids = _ids(db)
    assert sorted(ids) == sorted(f"bridge-{i:02d}" for i in range(total))
    stored = int(err.split(" stored")[0].rsplit(" ", 1)[1])
    unchanged = int(err.split(" unchanged")[0].rsplit(" ", 1)[1])
    assert unchanged >= stored_at_kill and stored + unchanged == total


def _count(db: Path) -> int:
    """Documents committed so far, seen from another connection (0 before the schema)."""
    if not db.exists():
        return 0
    conn = sqlite3.connect(db, timeout=0.05)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()
