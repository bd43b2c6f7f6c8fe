"""The command line end to end, with the real spaCy pipeline and real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from sourcetrace.cli import main
from sourcetrace.errors import EXIT_OK, EXIT_SETUP, EXIT_SOME_FAILED, EXIT_USAGE
from sourcetrace.schema import document_schema

from .conftest import EXAMPLES

ARTICLE = (
    "The harbour authority said on Monday that the north pier would close for repairs.\n\n"
    '"We have no choice," said Dana Okafor, the authority\'s director. "The pilings are '
    'rotten."\n\nAccording to the city engineer, the work will take six weeks.\n'
)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _check_offsets(record: dict[str, object]) -> None:
    text = record["text"]
    assert isinstance(text, str)
    for attribution in record["attributions"]:  # type: ignore[attr-defined]
        for role in ("source", "cue", "content"):
            span = attribution[role]
            if span is None:
                continue
            pieces = span.get("fragments") or [[span["start"], span["end"]]]
            assert span["text"] == " ".join(text[s:e] for s, e in pieces)
            assert span["start"] == pieces[0][0] and span["end"] == pieces[-1][1]


@pytest.fixture()
def article_dir(tmp_path: Path) -> Path:
    (tmp_path / "pier.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "feed.jsonl").write_text(
        json.dumps({"id": "j1", "text": ARTICLE, "outlet": "Harbour Gazette", "desk": "city"})
        + "\n",
        encoding="utf-8",
    )
    return tmp_path


def test_analyze_jsonl_emits_one_valid_record_per_document(
    capsys: pytest.CaptureFixture[str], article_dir: Path
) -> None:
    code, out, err = _run(
        capsys, "analyze", str(article_dir), "--format", "jsonl", "--include-text"
    )
    assert code == EXIT_OK, err
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == ["j1", "pier"]
    for record in records:
        jsonschema.validate(record, document_schema())
        _check_offsets(record)
        assert record["attributions"], "the article has several attributions"
    assert records[0]["outlet"] == "Harbour Gazette"
    assert records[0]["metadata"] == {"desk": "city"}
    assert records[0]["text_sha256"] == records[1]["text_sha256"]


def test_analyze_json_is_one_array(capsys: pytest.CaptureFixture[str], article_dir: Path) -> None:
    code, out, _ = _run(capsys, "analyze", str(article_dir / "pier.txt"), "--format", "json")
    assert code == EXIT_OK
    data = json.loads(out)
    assert isinstance(data, list) and [d["id"] for d in data] == ["pier"]
    assert "text" not in data[0]


def test_examples_all_analyse_with_valid_offsets(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "analyze", str(EXAMPLES), "--format", "jsonl", "--include-text")
    assert code == EXIT_OK, err
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) >= 6
    types = set()
    for record in records:
        jsonschema.validate(record, document_schema())
        _check_offsets(record)
        types |= {a["type"] for a in record["attributions"]}
    assert {"direct", "indirect", "according_to"} <= types


def test_bad_documents_are_reported_and_the_batch_goes_on(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "a-good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b-empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "c-binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    (tmp_path / "d-feed.jsonl").write_text(
        '{"id": "ok", "text": ' + json.dumps(ARTICLE) + "}\n{not json\n", encoding="utf-8"
    )
    (tmp_path / "e-german.txt").write_text(
        "Die Stadtverwaltung hat am Montag mitgeteilt, dass die Brücke wegen der Bauarbeiten "
        "für mehrere Wochen gesperrt bleibt und der Verkehr über die Umleitung geführt wird.",
        encoding="utf-8",
    )
    # A 5 MB "article" (a pasted dump): refused by length before it reaches the parser.
    (tmp_path / "f-huge.txt").write_text(ARTICLE * (5_000_000 // len(ARTICLE)), encoding="utf-8")
    (tmp_path / "g-menu.html").write_text(
        "<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8"
    )
    missing = tmp_path / "missing.txt"
    code, out, err = _run(capsys, "analyze", str(tmp_path), str(missing), "--format", "jsonl")
    assert code == EXIT_SOME_FAILED
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["a-good", "ok"]
    lines = err.strip().splitlines()
    assert len(lines) == 7, err
    names = ("b-empty", "c-binary", "d-feed.jsonl:2", "e-german", "f-huge", "g-menu", "missing.txt")
    for name in names:
        assert sum(name in line for line in lines) == 1, (name, err)
    assert all(line.startswith("sourcetrace: ") for line in lines)


@pytest.mark.parametrize(
    "argv",
    [
        ["analyze", "x.txt", "--jobs", "-2"],
        ["analyze", "x.txt", "--max-chars", "0"],
        ["analyze", "x.txt", "--format", "xml"],
        ["eval", "polnear", "somewhere", "--limit", "0"],
    ],
)
def test_invalid_options_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        code = main(argv)
        raise SystemExit(code)
    assert exit_info.value.code == EXIT_USAGE
    assert capsys.readouterr().err.strip()


def test_missing_spacy_model_exits_3_with_one_line(
    capsys: pytest.CaptureFixture[str], article_dir: Path
) -> None:
    code, out, err = _run(
        capsys, "analyze", str(article_dir), "--spacy-model", "no_such_pipeline_xyz"
    )
    assert code == EXIT_SETUP
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and "no_such_pipeline_xyz" in err


def test_output_file_and_html_report(capsys: pytest.CaptureFixture[str], article_dir: Path) -> None:
    out_file, report = article_dir / "out.jsonl", article_dir / "report.html"
    code, out, _ = _run(
        capsys,
        "analyze",
        str(article_dir / "pier.txt"),
        "-o",
        str(out_file),
        "--report",
        str(report),
    )
    assert code == EXIT_OK and out == ""
    assert json.loads(out_file.read_text("utf-8"))["id"] == "pier"
    html = report.read_text("utf-8")
    assert "Dana Okafor" in html and "<html" in html.lower()


def test_console_script_reads_stdin_and_exits_cleanly() -> None:
    script = Path(sys.executable).with_name("sourcetrace")
    result = subprocess.run(
        [str(script), "analyze", "-", "--format", "jsonl"],
        input=ARTICLE.encode("utf-8"),
        capture_output=True,
        timeout=300,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert result.returncode == EXIT_OK, result.stderr
    record = json.loads(result.stdout)
    assert record["attributions"]
