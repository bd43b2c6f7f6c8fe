"""Consistency checks for the hand-labelled "who is really speaking" articles."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any, get_args

import pytest

from sourcetrace.records import FlagKind, Qualifier, SpeakerKind

DATA_DIR = Path(__file__).parent / "data" / "sourcing"
FILES = sorted(DATA_DIR.glob("*.json"))
ARTICLES: list[dict[str, Any]] = [json.loads(p.read_text(encoding="utf-8")) for p in FILES]
EXPECTED_COUNT = 43

STYLES = {"wire", "local", "national", "aggregator", "press_release", "transcript", "liveblog"}
KINDS = set(get_args(SpeakerKind))
FLAGS = set(get_args(FlagKind))
QUALIFIERS = set(get_args(Qualifier))
REASONS = {"figure", "actor", "comparison", "causal"}
PRONOUNS = {"he", "she", "it", "they"}
MIN_WORDS, MAX_WORDS = 120, 400


def _check_span(text: str, phrase: str | None, occurrence: int | None, where: str) -> None:
    if phrase is None:
        return
    assert phrase, f"{where}: empty span"
    count = text.count(phrase)
    assert count >= 1, f"{where}: {phrase!r} not in text"
    if count > 1:
        assert occurrence is not None, f"{where}: {phrase!r} occurs {count}x, needs an occurrence"
    if occurrence is not None:
        assert 1 <= occurrence <= count, f"{where}: occurrence {occurrence} of {count}"


def _check_relay(relay: list[dict[str, Any]], where: str) -> None:
    for hop in relay:
        assert hop["name"], where
        assert hop["kind"] in KINDS, f"{where}: relay kind {hop['kind']!r}"


def _check_attribution(text: str, att: dict[str, Any], where: str) -> None:
    _check_span(text, att["cue"], att.get("cue_occurrence"), f"{where} cue")
    assert att["content"], f"{where}: empty content"
    _check_span(text, att["content"], att.get("content_occurrence"), f"{where} content")
    _check_span(text, att["source"], att.get("source_occurrence"), f"{where} source")
    speaker = att["speaker"]
    assert speaker["kind"] in KINDS, f"{where}: kind {speaker['kind']!r}"
    assert isinstance(speaker["anonymous"], bool), where
    assert speaker["name"] or speaker["description"] or speaker["kind"] == "unknown", where
    assert ("via" in att) != ("via_parallel" in att), f"{where}: exactly one of via/via_parallel"
    if "via_parallel" in att:
        assert len(att["via_parallel"]) >= 2, f"{where}: parallel relays need two chains"
        for chain in att["via_parallel"]:
            _check_relay(chain, where)
    else:
        _check_relay(att["via"], where)
    if att.get("via_inherited"):
        assert att.get("via") or att.get("via_parallel"), f"{where}: inherited relay is empty"
    for flag in att["flags"]:
        assert flag["kind"] in FLAGS, f"{where}: flag {flag['kind']!r}"
        _check_span(text, flag["evidence"], flag.get("evidence_occurrence"), f"{where} flag")


def _check_figure(text: str, fig: dict[str, Any], where: str) -> None:
    _check_span(text, fig["text"], fig.get("occurrence"), where)
    assert fig["qualifier"] in QUALIFIERS, f"{where}: qualifier {fig['qualifier']!r}"
    assert isinstance(fig["attributed"], bool), where
    assert fig["what"], where
    if fig["qualifier"] == "range":
        assert fig["low"] is not None and fig["high"] is not None, where
        assert fig["low"] < fig["high"], where
    else:
        assert isinstance(fig["value"], (int, float)), where


@pytest.mark.parametrize("article", ARTICLES, ids=[p.stem for p in FILES])
def test_article_is_consistent(article: dict[str, Any]) -> None:
    text = article["text"]
    name = article["id"]
    assert f"{name}.json" in {p.name for p in FILES}, "file name must be the id"
    assert article["style"] in STYLES
    assert article["outlet"]
    date.fromisoformat(article["published"])
    assert MIN_WORDS <= len(text.split()) <= MAX_WORDS
    for i, att in enumerate(article["attributions"]):
        _check_attribution(text, att, f"{name} attribution {i}")
    for i, fig in enumerate(article["figures"]):
        _check_figure(text, fig, f"{name} figure {i}")
    for phrase in article["non_figures"]:
        assert phrase in text, f"{name}: non-figure {phrase!r} not in text"
    for i, assertion in enumerate(article["assertions"]):
        assert assertion["reason"] in REASONS
        _check_span(text, assertion["text"], assertion.get("occurrence"), f"{name} assertion {i}")


def test_ids_are_unique_and_count_is_reached() -> None:
    ids = [a["id"] for a in ARTICLES]
    assert len(ids) == len(set(ids))
    assert len(ARTICLES) == EXPECTED_COUNT


def _speaker_tags(att: dict[str, Any]) -> set[str]:
    speaker, source = att["speaker"], att["source"] or ""
    tags = {f"kind:{speaker['kind']}"}
    if speaker["anonymous"]:
        tags.add("anonymous")
        lowered = source.lower()
        if lowered != (speaker["description"] or "").lower() and lowered.startswith(
            ("the ", "they", "one of")
        ):
            tags.add("anonymous_later_reference")
    elif speaker["name"] and source and speaker["name"] not in source:
        tags.add("named_short_reference")
        if source.lower() in PRONOUNS:
            tags.add("named_pronoun")
    return tags


def _relay_tags(att: dict[str, Any]) -> set[str]:
    tags = set()
    via = att.get("via") or []
    if "via_parallel" in att:
        tags.add("relay:parallel")
    if len(via) == 1:
        tags.add("relay:single")
    if len(via) >= 2:
        tags.add("relay:chain")
    if via and att["cue"] == "told":
        tags.add("relay:told_outlet")
    if att.get("via_inherited"):
        tags.add("relay:inherited")
    return tags


def _figure_tags(fig: dict[str, Any]) -> set[str]:
    shown = fig["text"]
    tags = {
        f"qualifier:{fig['qualifier']}",
        "figure:" + ("attributed" if fig["attributed"] else "unsourced"),
    }
    tags.add("figure:numeral" if re.search(r"\d", shown) else "figure:words")
    if "%" in shown or "percent" in shown:
        tags.add("figure:percent")
    if re.search(r"[$£€]", shown):
        tags.add("figure:money")
    return tags


def _article_tags(article: dict[str, Any]) -> Counter[str]:
    tags: Counter[str] = Counter({f"style:{article['style']}": 1})
    text = article["text"]
    if text.count('"') % 2 or text.count("\u201c") != text.count("\u201d"):
        tags["unbalanced_quotes"] += 1
    if not article["attributions"]:
        tags["no_attributions"] += 1
    for att in article["attributions"]:
        tags.update(_speaker_tags(att) | _relay_tags(att))
        tags.update(f"flag:{flag['kind']}" for flag in att["flags"])
    for fig in article["figures"]:
        tags.update(_figure_tags(fig))
    tags["non_figure"] += len(article["non_figures"])
    for assertion in article["assertions"]:
        tags[f"assertion:{assertion['reason']}"] += 1
        if assertion.get("inside_attribution"):
            tags["assertion:inside_attribution"] += 1
    return tags


def coverage() -> Counter[str]:
    total: Counter[str] = Counter()
    for article in ARTICLES:
        total.update(_article_tags(article))
    return total


REQUIRED = sorted(
    {f"style:{s}" for s in STYLES}
    | {f"kind:{k}" for k in KINDS - {"unknown"}}
    | {f"flag:{f}" for f in FLAGS}
    | {f"assertion:{r}" for r in REASONS}
    | {f"qualifier:{q}" for q in QUALIFIERS}
    | {
        "anonymous",
        "anonymous_later_reference",
        "named_short_reference",
        "named_pronoun",
        "relay:single",
        "relay:chain",
        "relay:parallel",
        "relay:told_outlet",
        "relay:inherited",
        "figure:attributed",
        "figure:unsourced",
        "figure:numeral",
        "figure:words",
        "figure:percent",
        "figure:money",
        "non_figure",
        "assertion:inside_attribution",
        "no_attributions",
        "unbalanced_quotes",
    }
)


@pytest.mark.parametrize("category", REQUIRED)
def test_construction_is_covered_three_times(category: str) -> None:
    assert coverage()[category] >= 3
