"""Ingest: formats, metadata, failures, order, standard input, and the text check."""

from __future__ import annotations

import io
import json
import os
import socket
import sys
from pathlib import Path
from typing import Any

import pytest

from sourcetrace import errors
from sourcetrace.errors import InputError
from sourcetrace.ingest import (
    ENGLISH_MIN_SCORE,
    ENGLISH_MIN_WORDS,
    check_text,
    english_score,
    iter_documents,
)
from sourcetrace.records import Failure, RawDocument

# Our own short articles and paragraphs.
ARTICLE = (
    "The town council postponed its vote on the harbour bridge on Tuesday.\n"
    '"We owe residents a careful look at the numbers," said the council chair.\n'
)
PARAGRAPHS = (
    "The town council postponed its vote on the new harbour bridge on Tuesday, saying it "
    "needed more time to study the costs.",
    '"We owe residents a careful look at the numbers," said council chair Dana Whitfield, '
    "who added that a decision could come next month.",
    "According to the finance office, the project has grown by nearly a third since the "
    "first estimate was drawn up two years ago.",
)
PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<title>Council delays bridge vote | Coastal Ledger</title>
<meta property="og:site_name" content="Coastal Ledger">
<meta property="og:title" content="Council delays bridge vote">
<meta name="author" content="Mira Okafor">
<meta property="article:published_time" content="2024-03-05T09:30:00Z">
<link rel="canonical" href="https://ledger.example.com/2024/03/bridge-vote">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<p>{}</p>
<p>{}</p>
<p>{}</p>
</article>
<footer>Subscribe to our newsletter for more local stories.</footer>
</body></html>
""".format(*PARAGRAPHS)
PAGE_TEXT = "\n\n".join(PARAGRAPHS)

NON_ENGLISH = {
    "german": (
        "Der Stadtrat hat am Dienstag die Abstimmung über die neue Hafenbrücke verschoben. "
        "Die Vorsitzende sagte, man brauche mehr Zeit, um die Kosten zu prüfen, und eine "
        "Entscheidung könne im nächsten Monat fallen. Nach Angaben der Finanzverwaltung sind "
        "die Kosten seit der ersten Schätzung um fast ein Drittel gestiegen. Gegner des Plans "
        "meinen, das Geld solle lieber in die Reparatur der Straßen fließen."
    ),
    "spanish": (
        "El ayuntamiento aplazó el martes la votación sobre el nuevo puente del puerto. La "
        "presidenta del consejo dijo que necesitaban más tiempo para estudiar los costes y que "
        "la decisión podría llegar el mes que viene. Según la oficina de finanzas, el proyecto "
        "ha crecido casi un tercio desde el primer presupuesto. Los opositores creen que el "
        "dinero estaría mejor invertido en arreglar las calles del barrio."
    ),
    "french": (
        "Le conseil municipal a reporté mardi le vote sur le nouveau pont du port. La "
        "présidente a déclaré qu'il fallait plus de temps pour examiner les coûts et qu'une "
        "décision pourrait être prise le mois prochain. Selon le service des finances, le "
        "projet a augmenté de près d'un tiers depuis la première estimation. Les opposants "
        "estiment que cet argent servirait mieux à réparer les routes de la commune."
    ),
    "indonesian": (
        "Dewan kota pada hari Selasa menunda pemungutan suara tentang jembatan pelabuhan yang "
        "baru. Ketua dewan mengatakan bahwa mereka membutuhkan lebih banyak waktu untuk "
        "mempelajari biayanya, dan keputusan bisa diambil bulan depan. Menurut kantor keuangan, "
        "biaya proyek itu sudah naik hampir sepertiga sejak perkiraan pertama. Para penentang "
        "berpendapat bahwa uang itu lebih baik dipakai untuk memperbaiki jalan."
    ),
    "italian": (
        "Il consiglio comunale ha rinviato martedì il voto sul nuovo ponte del porto. La "
        "presidente ha detto che serve più tempo per esaminare i costi e che una decisione "
        "potrebbe arrivare il mese prossimo. Secondo l'ufficio finanziario, il progetto è "
        "cresciuto di quasi un terzo rispetto alla prima stima. Chi si oppone sostiene che quei "
        "soldi andrebbero spesi meglio per sistemare le strade del quartiere."
    ),
    "dutch": (
        "De gemeenteraad heeft dinsdag de stemming over de nieuwe havenbrug uitgesteld. De "
        "voorzitter zei dat er meer tijd nodig is om de kosten te bestuderen en dat er volgende "
        "maand een besluit kan komen. Volgens de financiële dienst is het project sinds de "
        "eerste raming met bijna een derde gegroeid. Tegenstanders vinden dat het geld beter "
        "aan het herstellen van de wegen kan worden besteed."
    ),
}


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _read(*paths: Path | str, stdin: Any = None) -> list[RawDocument | Failure]:
    return list(iter_documents([str(p) for p in paths], stdin=stdin))


def _one_document(*paths: Path | str, stdin: Any = None) -> RawDocument:
    items = _read(*paths, stdin=stdin)
    assert len(items) == 1
    assert isinstance(items[0], RawDocument), items[0]
    return items[0]


def _one_failure(*paths: Path | str, stdin: Any = None) -> Failure:
    items = _read(*paths, stdin=stdin)
    assert len(items) == 1
    assert isinstance(items[0], Failure), items[0]
    return items[0]


# --- plain text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "expected_id", "expected_text"),
    [
        ("story.txt", ARTICLE.encode("utf-8"), "story", ARTICLE),
        ("bom.txt", b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"), "bom", ARTICLE),
        ("crlf.txt", ARTICLE.replace("\n", "\r\n").encode("utf-8"), "crlf", ARTICLE),
        ("old-mac.text", ARTICLE.replace("\n", "\r").encode("utf-8"), "old-mac", ARTICLE),
        ("utf16.txt", ARTICLE.encode("utf-16"), "utf16", ARTICLE),
        # A file named explicitly is read as text whatever its extension.
        ("notes.md", ARTICLE.encode("utf-8"), "notes", ARTICLE),
        ("UPPER.TXT", ARTICLE.encode("utf-8"), "UPPER", ARTICLE),
    ],
)
def test_text_file(
    tmp_path: Path, name: str, data: bytes, expected_id: str, expected_text: str
) -> None:
    path = _write(tmp_path / name, data)
    doc = _one_document(path)
    assert (doc.id, doc.text, doc.origin) == (expected_id, expected_text, str(path))
    assert (doc.title, doc.outlet, doc.url, doc.published) == (None, None, None, None)


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("cp1252", "The caf\u00e9 owner said \u201cwe stay open on Sundays\u201d to reporters."),
        (
            "cp1252",
            "A na\u00efve r\u00e9sum\u00e9 \u2014 \u201cquoted\u201d by the mayor\u2019s office.",
        ),
        ("latin-1", "The caf\u00e9 owner said the cr\u00e8me br\u00fbl\u00e9e was sold out."),
    ],
)
def test_non_utf8_text_is_decoded(tmp_path: Path, encoding: str, text: str) -> None:
    data = text.encode(encoding)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the test really is about a non-UTF-8 file
    assert _one_document(_write(tmp_path / "legacy.txt", data)).text == text


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("nul.txt", b"The council met.\x00\x00\x01\x02 on Tuesday"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"),
        ("page.html", b"<html>\x00\x00\x00\xff\xfe</html>"),
    ],
)
def test_binary_file_fails(tmp_path: Path, name: str, data: bytes) -> None:
    path = _write(tmp_path / name, data)
    assert _one_failure(path) == Failure(str(path), errors.BINARY)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty.txt", b""),
        ("blank.txt", b"  \n\t\r\n"),
        ("empty.html", b""),
        ("bom.txt", b"\xef\xbb\xbf"),
    ],
)
def test_empty_file_fails(tmp_path: Path, name: str, data: bytes) -> None:
    path = _write(tmp_path / name, data)
    assert _one_failure(path) == Failure(str(path), errors.EMPTY)


def test_empty_jsonl_file_has_no_documents(tmp_path: Path) -> None:
    assert _read(_write(tmp_path / "none.jsonl", b"\n  \n")) == []


def test_missing_path_fails_and_batch_goes_on(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    present = _write(tmp_path / "here.txt", ARTICLE)
    first, second = _read(missing, present)
    assert isinstance(first, Failure)
    assert first.doc == str(missing)
    assert first.reason.startswith(errors.UNREADABLE)
    assert "No such file" in first.reason
    assert isinstance(second, RawDocument)
    assert second.id == "here"


@pytest.mark.parametrize("name", ["locked.txt", "locked.html", "locked.jsonl"])
def test_unreadable_file_fails(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path / name, ARTICLE)
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running with privileges that read any file (root)")
        failure = _one_failure(path)
    finally:
        path.chmod(0o644)
    assert failure.doc == str(path)
    assert failure.reason.startswith(errors.UNREADABLE)


def test_unopenable_special_file_fails(tmp_path: Path) -> None:
    # Opening a Unix socket fails even for root: the OS error path, wherever tests run.
    path = tmp_path / "listener.txt"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(path))
        failure = _one_failure(path)
    assert failure.doc == str(path)
    assert failure.reason.startswith(errors.UNREADABLE)


# --- HTML ---------------------------------------------------------------------------------


def test_html_text_and_metadata(tmp_path: Path) -> None:
    doc = _one_document(_write(tmp_path / "bridge-vote.html", PAGE))
    assert doc.id == "bridge-vote"
    assert doc.text == PAGE_TEXT
    assert doc.title == "Council delays bridge vote"
    assert doc.outlet == "Coastal Ledger"
    assert doc.url == "https://ledger.example.com/2024/03/bridge-vote"
    assert doc.published == "2024-03-05"
    assert doc.metadata == {"author": "Mira Okafor"}


@pytest.mark.parametrize(
    ("name", "markup"),
    [
        ("cp1252.htm", PAGE.replace("Tuesday", "Tuesday\u2019s session").encode("cp1252")),
        ("crlf.html", PAGE.replace("\n", "\r\n").encode("utf-8")),
    ],
)
def test_html_decoding_variants(tmp_path: Path, name: str, markup: bytes) -> None:
    doc = _one_document(_write(tmp_path / name, markup))
    assert doc.text.split("\n\n")[1:] == list(PARAGRAPHS[1:])
    assert "\r" not in doc.text


@pytest.mark.parametrize(
    "markup",
    [
        "<html><head><title>Only a title</title></head><body></body></html>",
        "<html><body><script>var x = 1;</script></body></html>",
        "<!-- nothing but a comment -->",
    ],
)
def test_html_without_article_text_fails(tmp_path: Path, markup: str) -> None:
    path = _write(tmp_path / "hollow.html", markup)
    assert _one_failure(path) == Failure(str(path), errors.NO_ARTICLE_TEXT)


# --- JSONL --------------------------------------------------------------------------------

JSONL_LINES = [
    json.dumps({"id": "a1", "text": ARTICLE, "outlet": "Harbour Post", "section": "local"}),
    "",
    "{not json",
    json.dumps({"id": 17, "text": "Short text.\r\nSecond line.", "published": 20240305}),
    json.dumps({"title": "No id here", "text": "Body.", "tags": ["a", "b"], "wordcount": 2}),
    json.dumps({"id": "no-text", "body": "the wrong field"}),
    json.dumps(["a", "list"]),
    json.dumps({"id": "h1", "html": PAGE, "title": "Our own title", "desk": "city"}),
    json.dumps({"id": "", "text": "Empty id.", "url": None, "outlet": {"name": "nested"}}),
]
JSONL_EXPECTED: list[tuple[str, dict[str, Any]]] = [
    (
        "1",
        {"id": "a1", "text": ARTICLE, "outlet": "Harbour Post", "metadata": {"section": "local"}},
    ),
    ("3", {"failure": errors.INVALID_JSON}),
    ("4", {"id": "17", "text": "Short text.\nSecond line.", "published": "20240305"}),
    (
        "5",
        {"id": "feed-5", "title": "No id here", "metadata": {"tags": ["a", "b"], "wordcount": 2}},
    ),
    ("6", {"failure": errors.NO_TEXT_FIELD}),
    ("7", {"failure": errors.INVALID_JSON}),
    (
        "8",
        {
            "id": "h1",
            "text": PAGE_TEXT,
            "title": "Our own title",
            "outlet": "Coastal Ledger",
            "url": "https://ledger.example.com/2024/03/bridge-vote",
            "published": "2024-03-05",
            "metadata": {"author": "Mira Okafor", "desk": "city"},
        },
    ),
    (
        "9",
        {"id": "feed-9", "url": None, "outlet": None, "metadata": {"outlet": {"name": "nested"}}},
    ),
]


@pytest.fixture
def jsonl_items(tmp_path: Path) -> tuple[Path, list[RawDocument | Failure]]:
    path = _write(tmp_path / "feed.jsonl", "\n".join(JSONL_LINES) + "\n")
    return path, _read(path)


@pytest.mark.parametrize(("index", "case"), list(enumerate(JSONL_EXPECTED)))
def test_jsonl_line(
    jsonl_items: tuple[Path, list[RawDocument | Failure]],
    index: int,
    case: tuple[str, dict[str, Any]],
) -> None:
    path, items = jsonl_items
    assert len(items) == len(JSONL_EXPECTED)  # blank line skipped, bad lines still reported
    lineno, expected = case
    item = items[index]
    assert (item.doc if isinstance(item, Failure) else item.origin) == f"{path}:{lineno}"
    if "failure" in expected:
        assert isinstance(item, Failure)
        assert item.reason.startswith(expected["failure"])
        return
    assert isinstance(item, RawDocument)
    for field, value in expected.items():
        assert getattr(item, field) == value, field


def test_jsonl_invalid_line_names_the_column(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "bad.ndjson", '{"text": "fine"}\n{"text": oops}\n{"text": "also fine"}\n'
    )
    first, bad, last = _read(path)
    assert isinstance(bad, Failure)
    assert bad.doc == f"{path}:2"
    assert bad.reason.startswith(errors.INVALID_JSON) and "column 10" in bad.reason
    assert isinstance(first, RawDocument) and isinstance(last, RawDocument)
    assert (first.id, last.id, last.text) == ("bad-1", "bad-3", "also fine")


def test_jsonl_html_without_text_fails(tmp_path: Path) -> None:
    path = _write(tmp_path / "h.jsonl", json.dumps({"html": "<html><body></body></html>"}))
    assert _one_failure(path) == Failure(f"{path}:1", errors.NO_ARTICLE_TEXT)


# --- directories and laziness -------------------------------------------------------------


def test_directory_order_and_filter(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    for name in [
        "b.txt",
        "a.html",
        "c.md",  # not taken from a directory
        "sub/z.text",
        "sub/deeper/y.txt",
        "sub/x.htm",
        ".hidden.txt",
        ".git/config.txt",
        "A.TXT",
        "m.jsonl",
        "n.ndjson",
    ]:
        if name.endswith(("html", "htm")):
            content = PAGE
        elif name.endswith(("jsonl", "ndjson")):
            content = json.dumps({"text": ARTICLE})
        else:
            content = ARTICLE
        _write(root / name, content)
    origins = [item.origin for item in _read(root) if isinstance(item, RawDocument)]
    expected = ["A.TXT", "a.html", "b.txt", "m.jsonl:1", "n.ndjson:1"]
    expected += ["sub/deeper/y.txt", "sub/x.htm", "sub/z.text"]
    assert origins == [os.path.join(str(root), name) for name in expected]


def test_directory_symlink_loop_is_read_once(tmp_path: Path) -> None:
    _write(tmp_path / "d" / "one.txt", ARTICLE)
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d", target_is_directory=True)
    assert [item.id for item in _read(tmp_path / "d") if isinstance(item, RawDocument)] == ["one"]


def test_files_are_read_one_at_a_time(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", ARTICLE)
    later = _write(tmp_path / "b.txt", "first version")
    items = iter_documents([str(tmp_path)])
    first = next(items)
    assert isinstance(first, RawDocument) and first.id == "a"
    later.write_text("second version", encoding="utf-8")  # not yet read: the new text is seen
    second = next(items)
    assert isinstance(second, RawDocument) and second.text == "second version"


# --- standard input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (ARTICLE.encode("utf-8"), [("stdin", "<stdin>", ARTICLE)]),
        (("\n  " + ARTICLE).encode("cp1252"), [("stdin", "<stdin>", "\n  " + ARTICLE)]),
        (PAGE.encode("utf-8"), [("stdin", "<stdin>", PAGE_TEXT)]),
        (
            b'\n{"id": "s1", "text": "One."}\n\n{"text": "Two."}\n',
            [("s1", "<stdin>:2", "One."), ("stdin-4", "<stdin>:4", "Two.")],
        ),
        (
            b'{\n  "id": "pretty",\n  "text": "Spread over lines."\n}\n',
            [("pretty", "<stdin>", "Spread over lines.")],
        ),
        # Starts with a brace but is not JSON: plain text.
        (b"{braces} open this note.", [("stdin", "<stdin>", "{braces} open this note.")]),
    ],
)
@pytest.mark.parametrize("as_text", [False, True])
def test_stdin(data: bytes, expected: list[tuple[str, str, str]], as_text: bool) -> None:
    stream: Any = io.StringIO(data.decode("cp1252")) if as_text else io.BytesIO(data)
    items = _read("-", stdin=stream)
    assert all(isinstance(item, RawDocument) for item in items), items
    assert [(i.id, i.origin, i.text) for i in items if isinstance(i, RawDocument)] == expected


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", errors.EMPTY), (b" \n\n", errors.EMPTY), (b"\x00\x01binary", errors.BINARY)],
)
def test_stdin_failures(data: bytes, reason: str) -> None:
    assert _one_failure("-", stdin=io.BytesIO(data)) == Failure("<stdin>", reason)


def test_stdin_defaults_to_sys_stdin_buffer(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO(ARTICLE.encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", fake)
    assert _one_document("-").text == ARTICLE


# --- check_text ---------------------------------------------------------------------------

ENGLISH = " ".join(PARAGRAPHS)


@pytest.mark.parametrize(
    ("text", "max_chars", "require_english", "reason"),
    [
        (ENGLISH, 10_000, True, None),
        ("", 10_000, True, errors.EMPTY),
        (" \n\t ", 10_000, False, errors.EMPTY),
        (ENGLISH, 50, True, errors.too_long(len(ENGLISH), 50)),
        (ENGLISH, len(ENGLISH), True, None),
        (NON_ENGLISH["german"], 10_000, True, errors.NOT_ENGLISH),
        (NON_ENGLISH["german"], 10_000, False, None),
        ("Der Stadtrat hat die Abstimmung verschoben.", 10_000, True, None),  # too short to judge
        ("2024 1,250 3.5% 17:30 -- 12 / 40", 10_000, True, None),  # no words at all
    ],
)
def test_check_text(text: str, max_chars: int, require_english: bool, reason: str | None) -> None:
    if reason is None:
        check_text("doc", text, max_chars=max_chars, require_english=require_english)
        return
    with pytest.raises(InputError) as caught:
        check_text("doc", text, max_chars=max_chars, require_english=require_english)
    assert (caught.value.doc, caught.value.reason) == ("doc", reason)


@pytest.mark.parametrize("language", sorted(NON_ENGLISH))
def test_non_english_fails_check(language: str) -> None:
    text = NON_ENGLISH[language]
    words, score = english_score(text)
    assert words >= ENGLISH_MIN_WORDS
    print(f"calibration: {language} score {score:.3f}")
    with pytest.raises(InputError, match=errors.NOT_ENGLISH):
        check_text(language, text, max_chars=100_000, require_english=True)


@pytest.mark.polnear
def test_polnear_texts_pass_check_calibration(polnear_dir: Path) -> None:
    paths = sorted(polnear_dir.glob("*/text/*.txt"))
    assert len(paths) > 900
    scores = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        check_text(path.name, text, max_chars=1_000_000, require_english=True)
        words, score = english_score(text)
        if words >= ENGLISH_MIN_WORDS:
            scores.append((score, path.name))
    lowest = min(scores)
    non_english = max(english_score(text)[1] for text in NON_ENGLISH.values())
    print(
        f"calibration: min English {lowest[0]:.3f} ({lowest[1]}), max non-English "
        f"{non_english:.3f}, threshold {ENGLISH_MIN_SCORE}"
    )
    assert lowest[0] >= ENGLISH_MIN_SCORE > non_english
