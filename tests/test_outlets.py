"""The outlet table and its URL and text lookups."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from sourcetrace.errors import DataError
from sourcetrace.outlets import (
    KINDS,
    find_outlets,
    outlet_for_url,
    outlet_table,
    read_table,
)

URL_CASES = [
    ("https://www.nytimes.com/2024/05/01/us/politics/story.html", "The New York Times"),
    ("http://nytimes.com", "The New York Times"),
    ("HTTPS://WWW.NYTIMES.COM/section", "The New York Times"),
    ("https://edition.cnn.com/2024/01/01/world/x/index.html", "CNN"),
    ("https://www.bbc.co.uk/news/uk-12345678", "BBC"),
    ("https://www.bbc.com/news/articles/abc", "BBC"),
    ("www.bbc.co.uk/news/world", "BBC"),
    ("bbc.co.uk", "BBC"),
    ("https://www.theguardian.com:443/world/2024/jan/01/x", "The Guardian"),
    ("http://localhost.washingtonpost.com:8080/x?y=1#z", "The Washington Post"),
    ("https://apnews.com/article/abc", "The Associated Press"),
    ("https://www.reuters.com/world/", "Reuters"),
    ("https://news.sky.com/story/x", "Sky News"),
    ("https://abcnews.go.com/Politics/x", "ABC News"),
    ("https://www.abc.net.au/news/2024-01-01/x", "Australian Broadcasting Corporation"),
    ("https://english.kyodonews.net/news/x", "Kyodo News"),
    ("https://timesofindia.indiatimes.com/india/x.cms", "The Times of India"),
    ("https://economictimes.indiatimes.com/markets", "The Economic Times"),
    ("https://www.thetimes.co.uk/article/x", "The Times"),
    ("https://www.irishtimes.com/news/x", "The Irish Times"),
    ("https://www.nzherald.co.nz/nz/x", "The New Zealand Herald"),
    ("https://www.straitstimes.com/singapore/x", "The Straits Times"),
    ("https://punchng.com/x/", "The Punch"),
    ("https://nation.africa/kenya/news/x", "Daily Nation"),
    ("https://www.dawn.com/news/123", "Dawn"),
    ("//www.wsj.com/articles/x", "The Wall Street Journal"),
    ("  https://www.aljazeera.com/news/x  ", "Al Jazeera English"),
    ("https://user:secret@www.ft.com/content/x", "Financial Times"),
    ("https://www.cbc.ca./news/x", "CBC News"),
]

URL_MISSES = [
    "",
    "   ",
    "not a url at all",
    "https://",
    "https://notcnn.com/x",
    "https://cnn.com.example.org/x",
    "https://nytimes.co/x",
    "https://www.sky.com/broadband",
    "https://yahoo.com/",
    "https://indiatimes.com/",
    "https://example.com/www.nytimes.com/",
    "http://[::1]/x",
    "http://192.168.0.1/x",
    "https://exa mple.com/",
    "https://cnn.com:notaport/x",
    "com",
]


@pytest.mark.parametrize(("url", "name"), URL_CASES)
def test_outlet_for_url(url: str, name: str) -> None:
    outlet = outlet_for_url(url)
    assert outlet is not None
    assert outlet.name == name


@pytest.mark.parametrize("url", URL_MISSES)
def test_outlet_for_url_misses(url: str) -> None:
    assert outlet_for_url(url) is None


# (text, [(outlet name, matched form)]) in text order; every form is located and checked below.
TEXT_CASES = [
    ("The Hill reported the vote first.", [("The Hill", "The Hill")]),
    ("A staffer told The Hill on Monday.", [("The Hill", "The Hill")]),
    ("CNN's anchor asked about it.", [("CNN", "CNN")]),
    ("Reuters' tally was higher.", [("Reuters", "Reuters")]),
    ("The Washington Post's editors disagreed.", [("The Washington Post", "The Washington Post")]),
    ("She wrote in the New York Times last week.", [("The New York Times", "the New York Times")]),
    ("A New York Times analysis found gaps.", [("The New York Times", "New York Times")]),
    (
        "According to the Associated Press and Agence France-Presse, talks stalled.",
        [
            ("The Associated Press", "the Associated Press"),
            ("Agence France-Presse", "Agence France-Presse"),
        ],
    ),
    (
        "The BBC and Sky News both aired it; ITV did not.",
        [("BBC", "BBC"), ("Sky News", "Sky News"), ("ITV News", "ITV")],
    ),
    (
        "Figures from Xinhua and Yonhap differ.",
        [("Xinhua News Agency", "Xinhua"), ("Yonhap News Agency", "Yonhap")],
    ),
    ("The dpa report was brief.", [("Deutsche Presse-Agentur", "dpa")]),
    ("He spoke to RTÉ News after the match.", [("RTÉ", "RTÉ News")]),
    (
        "The Times of India and the Hindustan Times ran it.",
        [("The Times of India", "The Times of India"), ("Hindustan Times", "Hindustan Times")],
    ),
    ("The story in The Times of London was short.", [("The Times", "The Times of London")]),
    (
        "An NYT reporter and a WSJ editor met.",
        [("The New York Times", "NYT"), ("The Wall Street Journal", "WSJ")],
    ),
    (
        "Coverage in the Guardian differed from the Guardian Council statement.",
        [("The Guardian", "the Guardian")],
    ),
    (
        "Politico, Axios and HuffPost followed the Huffington Post's lead.",
        [
            ("Politico", "Politico"),
            ("Axios", "Axios"),
            ("HuffPost", "HuffPost"),
            ("HuffPost", "the Huffington Post"),
        ],
    ),
    (
        "USA TODAY and USA Today are one paper.",
        [("USA Today", "USA TODAY"), ("USA Today", "USA Today")],
    ),
    ("The L.A. Times ran a correction.", [("Los Angeles Times", "L.A. Times")]),
    ("Time magazine named her.", [("Time", "Time magazine")]),
    (
        "Al-Jazeera and Al Jazeera aired it.",
        [("Al Jazeera English", "Al-Jazeera"), ("Al Jazeera English", "Al Jazeera")],
    ),
    ("Read it on news.com.au today.", [("news.com.au", "news.com.au")]),
]

NEGATIVES = [
    "We climbed the hill behind the school.",
    "Times were hard, and the times changed.",
    "The Times said nothing new.",
    "the Times editorial board met.",
    "The Post office was closed.",
    "Bloomberg said he would run again.",
    "The Atlantic hurricane season starts in June.",
    "The Independent Electoral Commission announced results.",
    "The Guardian Council rejected the bill.",
    "The sun was out; the mail was late.",
    "A CNNs test and a Reutersville road.",
    "cnn and reuters in lower case are not names.",
    "The AP exam and the AFP raid were unrelated.",
    "Fox and Time are ambiguous alone.",
    "a vice president and some stuff",
]


def _expected_spans(text: str, forms: list[tuple[str, str]]) -> list[tuple[str, int, int]]:
    """Locate each expected form in order, so that the test states forms, not offsets."""
    spans, cursor = [], 0
    for name, form in forms:
        start = text.index(form, cursor)
        spans.append((name, start, start + len(form)))
        cursor = start + len(form)
    return spans


@pytest.mark.parametrize(("text", "forms"), TEXT_CASES)
def test_find_outlets(text: str, forms: list[tuple[str, str]]) -> None:
    mentions = find_outlets(text)
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text
    got = [(m.outlet, m.start, m.end) for m in mentions]
    assert got == _expected_spans(text, forms)


@pytest.mark.parametrize("text", NEGATIVES)
def test_find_outlets_negatives(text: str) -> None:
    assert find_outlets(text) == []


def test_longest_match_wins() -> None:
    # "The New York Times" and "New York Times" overlap; "The Times of India" beats "The Times".
    text = "The New York Times and The Times of India"
    got = [(m.outlet, m.text) for m in find_outlets(text)]
    assert got == [
        ("The New York Times", "The New York Times"),
        ("The Times of India", "The Times of India"),
    ]


def test_longest_match_wins_over_an_earlier_start(tmp_path: Path) -> None:
    # A later-starting but longer form beats a shorter one that starts earlier.
    data = _table(
        [
            _entry("Alpha Beta", "alpha.example"),
            _entry("Beta Gamma Delta", "beta.example"),
        ]
    )
    table = read_table(_write(tmp_path, data))
    got = [(m.outlet, m.text) for m in find_outlets("x Alpha Beta Gamma Delta y", table)]
    assert got == [("Beta Gamma Delta", "Beta Gamma Delta")]


def test_two_hundred_mentions_in_one_paragraph_are_all_found() -> None:
    # Speed on long inputs is measured by `make bench`, not asserted here (no timed tests).
    names = ["CNN", "the BBC", "Reuters", "The Hill", "Politico"]
    sentence = " ".join(f"{names[i % len(names)]} reported item {i}." for i in range(200))
    mentions = find_outlets(sentence)
    assert len(mentions) == 200
    assert all(sentence[m.start : m.end] == m.text for m in mentions)


def test_long_text_finds_every_mention() -> None:
    block = "The council met on Tuesday and CNN's crew filmed the vote in the hall. " * 200
    assert len(find_outlets(block * 10)) == 2000


# The shipped table.


def test_table_size_and_fields() -> None:
    table = outlet_table()
    assert len(table.outlets) >= 150
    raw = json.loads(
        (Path(__file__).parents[1] / "src/sourcetrace/data/outlets.json").read_text("utf-8")
    )
    assert raw["_about"].strip()
    for outlet in table.outlets:
        assert outlet.kind in KINDS
        assert re.fullmatch(r"[A-Z]{2}", outlet.country)
        assert outlet.country in raw["countries"]
        assert all(d == d.lower() and not d.startswith("www.") for d in outlet.domains)


@pytest.mark.parametrize(
    ("name", "kind", "country"),
    [
        ("Reuters", "wire", "GB"),
        ("Press Trust of India", "agency", "IN"),
        ("The New York Times", "newspaper", "US"),
        ("NPR", "broadcaster", "US"),
        ("The Economist", "magazine", "GB"),
        ("Axios", "online", "US"),
        ("The Globe and Mail", "newspaper", "CA"),
        ("Daily Maverick", "online", "ZA"),
    ],
)
def test_known_entries(name: str, kind: str, country: str) -> None:
    outlet = outlet_table().outlet(name)
    assert outlet is not None
    assert (outlet.kind, outlet.country) == (kind, country)


def test_every_domain_maps_back_to_its_outlet() -> None:
    for outlet in outlet_table().outlets:
        for domain in outlet.domains:
            found = outlet_for_url(f"https://www.{domain}/x")
            assert found is not None and found.name == outlet.name


def test_ambiguous_aliases_are_never_matched() -> None:
    for outlet in outlet_table().outlets:
        for alias in outlet.ambiguous_aliases:
            assert find_outlets(f"x {alias} y") == [], alias


# Validation of broken tables.


def _entry(name: str, domain: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "kind": "newspaper", "country": "US", "domains": [domain], **extra}


def _table(entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {"_about": "test table", "countries": {"US": "United States"}, "outlets": entries}


def _write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "outlets.json"
    path.write_text(json.dumps(data), "utf-8")
    return path


BROKEN = [
    ([_entry("Alpha", "a.example"), _entry("Alpha", "b.example")], "Alpha.*two entries"),
    (
        [_entry("Alpha", "a.example", aliases=["AX"]), _entry("Beta", "b.example", aliases=["AX"])],
        "Beta.*'AX' also belongs to 'Alpha'",
    ),
    (
        [_entry("Alpha", "a.example"), _entry("Beta", "b.example", aliases=["Alpha"])],
        "Beta.*'Alpha' also belongs to 'Alpha'",
    ),
    (
        [
            _entry("Alpha", "a.example", aliases=["AX"]),
            _entry("Beta", "b.example", ambiguous_aliases=["AX"]),
        ],
        "Alpha.*'AX' is listed as ambiguous",
    ),
    ([_entry("Alpha", "A.example")], r"entry 0 \('Alpha'\).*'A.example'"),
    ([_entry("Alpha", "https://a.example")], "Alpha.*not a lower-case domain"),
    ([_entry("Alpha", "a.example"), _entry("Beta", "a.example")], "Beta.*also belongs"),
    ([_entry("Alpha", "a.example", kind="blog")], "Alpha.*kind 'blog'"),
    ([_entry("Alpha", "a.example", country="XX")], "Alpha.*country 'XX'"),
    ([_entry("Alpha", "a.example", country="us")], "Alpha.*country 'us'"),
    ([_entry("Alpha", "a.example", aliases="AX")], "Alpha.*'aliases' must be a list"),
    ([_entry("Alpha", "a.example", aliases=["-AX"])], "Alpha.*must start with a letter"),
    ([{"kind": "newspaper"}], "entry 0.*string 'name'"),
]


@pytest.mark.parametrize(("entries", "message"), BROKEN)
def test_broken_table_raises(tmp_path: Path, entries: list[dict[str, Any]], message: str) -> None:
    path = _write(tmp_path, _table(entries))
    with pytest.raises(DataError, match=message) as caught:
        read_table(path)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("content", ["{not json", "[]", '{"outlets": []}'])
def test_unreadable_table_raises(tmp_path: Path, content: str) -> None:
    path = tmp_path / "outlets.json"
    path.write_text(content, "utf-8")
    with pytest.raises(DataError):
        read_table(path)


def test_valid_custom_table(tmp_path: Path) -> None:
    data = _table(
        [
            _entry(
                "The Gazette Example",
                "gazette.example",
                aliases=["Gazette Example"],
                ambiguous_aliases=["the Gazette"],
                not_followed_by=["Award"],
            )
        ]
    )
    table = read_table(_write(tmp_path, data))
    text = "the Gazette Example said so; the Gazette agreed; The Gazette Example Award went out."
    assert [(m.text, m.start) for m in find_outlets(text, table)] == [("the Gazette Example", 0)]
    outlet = outlet_for_url("https://sub.gazette.example/a", table)
    assert outlet is not None and outlet.name == "The Gazette Example"
