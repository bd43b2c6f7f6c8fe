r"""``sourcetrace eval sourcing DIR``: score the sourcing stages on labelled articles.

The gold set is a folder of JSON files, one article each (``tests/data/sourcing/README.md``
gives the format): spans are given as substrings of the text, with a 1-based
``*_occurrence`` key when the substring is repeated. ``read_sourcing`` turns them into
offsets and refuses malformed files with a ``DataError`` naming the file and the field.

Scoring (``docs/evaluation.md`` gives the same with examples), summed over documents:

**Attributions.** Gold and predicted attributions are matched one-to-one, with the number of
matches maximised (``metrics.max_matching``). A prediction is a candidate for a gold
attribution when their cues share a character, or else when their contents' token sets have
a Dice coefficient >= 0.5 (``metrics.dice_passes``); cue candidates are tried first, then
content candidates, each by decreasing content Dice. The ``attributions`` tally counts gold,
predicted and matched attributions. The per-attribution fields below are scored on matched
pairs only, so that they measure the sourcing stages rather than the extractor.

**Speaker** (on matched pairs): kind accuracy, and per kind precision/recall over pairs
(gold kind == k, predicted kind == k); ``anonymous``: precision/recall of ``anonymous=true``;
name accuracy over the pairs whose gold speaker has a name (canonical names compared with
case and white space folded).

**Via**: precision/recall over (attribution, relay name) pairs; names are compared with case,
white space and a leading "the" folded. The gold relays are the ``via`` list (hop 1, 2, ...)
or the ``via_parallel`` chains (the i-th relay of every chain has hop i). Chain order
accuracy: over matched pairs with two or more gold relays all of which were predicted,
the share whose predicted hops rank those relays as the gold hops do (equal hops equal).

**Flags**: precision/recall over (attribution, flag kind) pairs, overall and per kind.

**Figures** (per document): one-to-one any-overlap matching of figure spans; value accuracy
(``low`` and ``high`` for a range, else ``value``; equal within 1e-6 relative, or to the
precision of a gold value with decimals; a predicted ``fraction`` is read in percent, as
the gold gives ratios) and qualifier accuracy on matched figures. Unmatched predictions that
overlap a whole-word occurrence of a ``non_figures`` string are counted separately (they are
false positives already).

**Assertions** (per document): one-to-one any-overlap matching of spans.

Speaker, via, flags and assertions are scored only when the analysis produces them (some
prediction carries the field); otherwise the report says "not computed".
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, get_args

from .. import errors
from ..errors import DataError
from ..records import (
    AnalysedDocument,
    Attribution,
    Failure,
    Figure,
    FlagKind,
    Qualifier,
    RawDocument,
    Span,
    SpeakerKind,
)
from ..settings import AnalysisSettings
from .brat import read_text_file
from .metrics import (
    Pieces,
    Tally,
    TextView,
    add_tallies,
    char_overlap,
    dice,
    dice_passes,
    max_matching,
    overlap_matches,
    set_tally,
)
from .report import ACCURACY_SUFFIX, ATTRIBUTIONS, NON_FIGURES, OPTIONAL_FIELDS, SourcingReport

SPEAKER_KINDS: tuple[str, ...] = get_args(SpeakerKind)
FLAG_KINDS: tuple[str, ...] = get_args(FlagKind)
QUALIFIERS: tuple[str, ...] = get_args(Qualifier)
ASSERTION_REASONS = ("figure", "actor", "comparison", "causal")

VALUE_TOLERANCE = 1e-6
"""Relative tolerance of whole-number figure values: predictions are floats computed from
the words ("1.2 million"), so only floating-point noise is forgiven. A gold value with
decimals is taken as rounded to them (16.7 for one in six: within 0.05)."""

Json = Mapping[str, Any]
_T = TypeVar("_T")


# --- gold records -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldSpeaker:
    """A gold speaker: ``name`` or ``description``, ``kind``, ``anonymous``."""

    name: str | None
    description: str | None
    kind: str
    anonymous: bool


@dataclass(frozen=True, slots=True)
class GoldRelay:
    """A gold relay: its name, kind and hop (1 nearest the speaker)."""

    name: str
    kind: str
    hop: int


@dataclass(frozen=True, slots=True)
class GoldFlag:
    """A gold flag: its kind, who raises it, and the words that carry it."""

    kind: str
    by: str | None
    evidence: Span


@dataclass(frozen=True, slots=True)
class GoldSourcedAttribution:
    """A gold attribution with its sourcing labels.

    Attributes:
        source: who, as named at this point; None when nobody is.
        cue: the attributing words; None for transcript turns and continued quotes.
        content: what is attributed.
        speaker: who is really speaking.
        via: the relays, nearest the speaker first (parallel chains share hops).
        flags: disputed, unverified, hedged, retracted.
        via_inherited: the relay carries over from an earlier sentence.
    """

    source: Span | None
    cue: Span | None
    content: Span
    speaker: GoldSpeaker
    via: tuple[GoldRelay, ...]
    flags: tuple[GoldFlag, ...]
    via_inherited: bool = False


@dataclass(frozen=True, slots=True)
class GoldFigure:
    """A gold figure: its span, value (None for a range), qualifier, range ends and what."""

    span: Span
    value: float | None
    qualifier: str
    low: float | None
    high: float | None
    what: str
    attributed: bool


@dataclass(frozen=True, slots=True)
class GoldAssertion:
    """A gold assertion: its span and reason."""

    span: Span
    reason: str


@dataclass(frozen=True, slots=True)
class GoldArticle:
    """One labelled article.

    Attributes:
        id: the article id (the file stem).
        path: the file it was read from.
        text: the article text all offsets index into.
        outlet: the publishing outlet.
        published: the publication date as given.
        attributions: the gold attributions in file order.
        figures: every quantity in the text.
        non_figures: number-like strings that are not quantities.
        assertions: claims the writer makes on its own authority.
    """

    id: str
    path: Path
    text: str
    outlet: str | None
    published: str | None
    attributions: tuple[GoldSourcedAttribution, ...]
    figures: tuple[GoldFigure, ...]
    non_figures: tuple[str, ...]
    assertions: tuple[GoldAssertion, ...]


# --- reading ------------------------------------------------------------------------------


def read_sourcing(directory: Path) -> list[GoldArticle]:
    """Read every ``*.json`` gold article of a folder, sorted by file name.

    Args:
        directory: the folder (``tests/data/sourcing``).

    Returns:
        The articles.

    Raises:
        DataError: the folder has no gold files, or one is malformed (the message names the
            file and the field).
    """
    if not directory.is_dir():
        raise DataError(f"{directory}: {errors.NOT_A_FOLDER}")
    paths = sorted(directory.glob("*.json"))
    if not paths:
        raise DataError(f"{directory}: {errors.NO_GOLD_FILES}")
    return [read_article(path) for path in paths]


def read_article(path: Path) -> GoldArticle:
    """Read one gold article file.

    Args:
        path: the JSON file.

    Returns:
        The article with every span located.

    Raises:
        DataError: the file cannot be read or is malformed.
    """
    try:
        data = json.loads(read_text_file(path))
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: {errors.invalid_gold_json(str(exc))}") from exc
    return _ArticleReader(path).article(data)


def locate(text: str, phrase: str, occurrence: int | None = None) -> Span:
    """Return the span of the ``occurrence``-th (1-based) appearance of ``phrase``.

    Args:
        text: the text to search.
        phrase: the exact substring.
        occurrence: which appearance; None when the phrase must occur exactly once.

    Returns:
        The span.

    Raises:
        ValueError: the phrase is absent, repeated without an occurrence, or the occurrence
            is out of range (the message is the reason).
    """
    starts = _occurrences(text, phrase)
    if not starts:
        raise ValueError(errors.phrase_not_found(phrase))
    if occurrence is None:
        if len(starts) > 1:
            raise ValueError(errors.phrase_ambiguous(phrase, len(starts), "an occurrence key"))
        occurrence = 1
    if not 1 <= occurrence <= len(starts):
        raise ValueError(errors.occurrence_out_of_range(phrase, occurrence, len(starts)))
    start = starts[occurrence - 1]
    return Span.of(text, start, start + len(phrase))


def _occurrences(text: str, phrase: str) -> list[int]:
    """Start offsets of every appearance of ``phrase`` (overlapping ones too)."""
    starts: list[int] = []
    at = text.find(phrase)
    while phrase and at >= 0:
        starts.append(at)
        at = text.find(phrase, at + 1)
    return starts


class _ArticleReader:
    """Validates one gold file's JSON, raising ``DataError`` that names the file and field."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.text = ""

    def fail(self, field: str, why: str) -> DataError:
        """The error for a malformed field."""
        return DataError(f"{self.path}: {errors.bad_gold_field(field, why)}")

    def article(self, data: Any) -> GoldArticle:
        """Build the article from the whole file's JSON."""
        if not isinstance(data, dict):
            raise self.fail("(top level)", errors.wrong_type("an object"))
        self.text = self.string(data, "text", "text")
        attributions = self.items(data, "attributions", self.attribution)
        return GoldArticle(
            id=self.string(data, "id", "id"),
            path=self.path,
            text=self.text,
            outlet=self.optional_string(data, "outlet", "outlet"),
            published=self.optional_string(data, "published", "published"),
            attributions=tuple(attributions),
            figures=tuple(self.items(data, "figures", self.figure)),
            non_figures=tuple(self.non_figures(data)),
            assertions=tuple(self.items(data, "assertions", self.assertion)),
        )

    def items(self, data: Json, key: str, build: Callable[[Json, str], _T]) -> list[_T]:
        """Build every object of the list ``data[key]``."""
        out: list[_T] = []
        for index, item in enumerate(self.value(data, key, key, list)):
            where = f"{key}[{index}]"
            if not isinstance(item, dict):
                raise self.fail(where, errors.wrong_type("an object"))
            out.append(build(item, where))
        return out

    def attribution(self, data: Json, where: str) -> GoldSourcedAttribution:
        """One gold attribution."""
        content = self.span(data, "content", where)
        if content is None:
            raise self.fail(f"{where}.content", errors.wrong_type("a string"))
        return GoldSourcedAttribution(
            source=self.span(data, "source", where),
            cue=self.span(data, "cue", where),
            content=content,
            speaker=self.speaker(self.value(data, "speaker", where, dict), f"{where}.speaker"),
            via=self.via(data, where),
            flags=tuple(self.items(data, "flags", lambda f, w: self.flag(f, f"{where}.{w}"))),
            via_inherited=bool(data.get("via_inherited", False)),
        )

    def speaker(self, data: Json, where: str) -> GoldSpeaker:
        """An attribution's speaker."""
        return GoldSpeaker(
            name=self.optional_string(data, "name", where),
            description=self.optional_string(data, "description", where),
            kind=self.choice(data, "kind", where, SPEAKER_KINDS),
            anonymous=self.value(data, "anonymous", where, bool),
        )

    def via(self, data: Json, where: str) -> tuple[GoldRelay, ...]:
        """The relays of ``via`` (one chain) or ``via_parallel`` (several)."""
        if ("via" in data) == ("via_parallel" in data):
            raise self.fail(f"{where}.via", "give exactly one of via and via_parallel")
        if "via" in data:
            chains = [self.value(data, "via", where, list)]
        else:
            chains = self.value(data, "via_parallel", where, list)
        relays: list[GoldRelay] = []
        for c, chain in enumerate(chains):
            if not isinstance(chain, list):
                raise self.fail(f"{where}.via_parallel[{c}]", errors.wrong_type("a list"))
            for hop, relay in enumerate(chain, start=1):
                at = f"{where}.via[{hop - 1}]"
                if not isinstance(relay, dict):
                    raise self.fail(at, errors.wrong_type("an object"))
                name = self.string(relay, "name", at)
                relays.append(GoldRelay(name, self.choice(relay, "kind", at, SPEAKER_KINDS), hop))
        return tuple(relays)

    def flag(self, data: Json, where: str) -> GoldFlag:
        """One flag of an attribution."""
        evidence = self.span(data, "evidence", where)
        if evidence is None:
            raise self.fail(f"{where}.evidence", errors.wrong_type("a string"))
        return GoldFlag(
            self.choice(data, "kind", where, FLAG_KINDS),
            self.optional_string(data, "by", where),
            evidence,
        )

    def figure(self, data: Json, where: str) -> GoldFigure:
        """One gold figure."""
        span = self.span(data, "text", where, occurrence_key="occurrence")
        if span is None:
            raise self.fail(f"{where}.text", errors.wrong_type("a string"))
        qualifier = self.choice(data, "qualifier", where, QUALIFIERS)
        value, low, high = (self.number(data, k, where) for k in ("value", "low", "high"))
        if qualifier == "range" and (low is None or high is None):
            raise self.fail(f"{where}.low", "a range needs low and high")
        if qualifier != "range" and value is None:
            raise self.fail(f"{where}.value", errors.wrong_type("a number"))
        return GoldFigure(
            span=span,
            value=value,
            qualifier=qualifier,
            low=low,
            high=high,
            what=self.string(data, "what", where),
            attributed=self.value(data, "attributed", where, bool),
        )

    def assertion(self, data: Json, where: str) -> GoldAssertion:
        """One gold assertion."""
        span = self.span(data, "text", where, occurrence_key="occurrence")
        if span is None:
            raise self.fail(f"{where}.text", errors.wrong_type("a string"))
        return GoldAssertion(span, self.choice(data, "reason", where, ASSERTION_REASONS))

    def non_figures(self, data: Json) -> list[str]:
        """The ``non_figures`` strings, each of which must occur in the text."""
        phrases = self.value(data, "non_figures", "non_figures", list)
        for index, phrase in enumerate(phrases):
            where = f"non_figures[{index}]"
            if not isinstance(phrase, str) or not phrase:
                raise self.fail(where, errors.wrong_type("a non-empty string"))
            if phrase not in self.text:
                raise self.fail(where, errors.phrase_not_found(phrase))
        return list(phrases)

    def span(
        self, data: Json, key: str, where: str, occurrence_key: str | None = None
    ) -> Span | None:
        """Locate the substring ``data[key]`` (None stays None) by its occurrence key."""
        phrase = self.optional_string(data, key, where)
        if phrase is None:
            return None
        occurrence_key = occurrence_key or f"{key}_occurrence"
        occurrence = data.get(occurrence_key)
        if occurrence is not None and (type(occurrence) is not int):
            raise self.fail(f"{where}.{occurrence_key}", errors.wrong_type("an integer"))
        try:
            return locate(self.text, phrase, occurrence)
        except ValueError as exc:
            why = str(exc).replace("an occurrence key", occurrence_key)
            raise self.fail(f"{where}.{key}", why) from None

    def value(self, data: Json, key: str, where: str, kind: type[_T]) -> _T:
        """The required value ``data[key]`` of JSON type ``kind``."""
        field = f"{where}.{key}" if where != key else key
        if key not in data:
            raise self.fail(field, errors.MISSING)
        value = data[key]
        if not isinstance(value, kind):
            raise self.fail(field, errors.wrong_type(_JSON_TYPES[kind]))
        return value

    def string(self, data: Json, key: str, where: str) -> str:
        """A required non-empty string."""
        value = self.value(data, key, where, str)
        if not value:
            raise self.fail(f"{where}.{key}" if where != key else key, "empty")
        return value

    def optional_string(self, data: Json, key: str, where: str) -> str | None:
        """A string or null (absent counts as null)."""
        if data.get(key) is None:
            return None
        return self.string(data, key, where)

    def number(self, data: Json, key: str, where: str) -> float | None:
        """A number or null (absent counts as null)."""
        value = data.get(key)
        if value is None:
            return None
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not number or not math.isfinite(value):
            raise self.fail(f"{where}.{key}", errors.wrong_type("a finite number or null"))
        return float(value)

    def choice(self, data: Json, key: str, where: str, choices: tuple[str, ...]) -> str:
        """A string from a closed set."""
        value = self.value(data, key, where, str)
        if value not in choices:
            raise self.fail(f"{where}.{key}", errors.not_one_of(value, choices))
        return value


_JSON_TYPES: dict[type, str] = {
    str: "a string",
    list: "a list",
    dict: "an object",
    bool: "true or false",
}


# --- scoring ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArticleScore:
    """One article's tallies, and the optional fields its analysis produced."""

    tallies: dict[tuple[str, str], Tally]
    computed: frozenset[str]


Pair = tuple[GoldSourcedAttribution, Attribution]


def evaluate_sourcing(directory: Path, settings: AnalysisSettings) -> SourcingReport:
    """Analyse the labelled articles of a folder and score the sourcing stages.

    Args:
        directory: the folder of gold ``*.json`` files.
        settings: analysis settings (``jobs`` sets the worker processes).

    Returns:
        The report.

    Raises:
        DataError: a gold file is malformed.
        ModelError: the spaCy pipeline or the attribution model cannot be loaded.
    """
    from ..pipeline import analyze_stream  # loads spaCy: only when a run really starts

    started = time.perf_counter()
    gold = read_sourcing(directory)
    raws = (
        RawDocument(
            id=a.id, text=a.text, origin=str(a.path), outlet=a.outlet, published=a.published
        )
        for a in gold
    )
    name = f"Sourcing {directory}"
    return score_articles(name, gold, analyze_stream(raws, settings), started=started)


def score_articles(
    name: str,
    gold: Sequence[GoldArticle],
    results: Iterable[AnalysedDocument | Failure],
    started: float | None = None,
) -> SourcingReport:
    """Score analysis results against gold articles, pairing them in order.

    Args:
        name: the data set's name for the report.
        gold: the gold articles.
        results: one result per article, in the same order; a ``Failure`` is scored as an
            article with no predictions.
        started: ``time.perf_counter()`` at the start of the run; None starts the clock now.

    Returns:
        The report.
    """
    started = time.perf_counter() if started is None else started
    tallies: dict[tuple[str, str], Tally] = {}
    computed: frozenset[str] = frozenset()
    failures: list[str] = []
    for article, result in zip(gold, results, strict=True):
        if isinstance(result, Failure):
            failures.append(str(result))
        score = score_article(article, result)
        tallies = add_tallies(tallies, score.tallies)
        computed |= score.computed
    # A field some documents lack (failures, empty articles) still counts as computed:
    # its tallies were summed over the documents that carried it.
    return SourcingReport(
        dataset=name,
        documents=len(gold),
        elapsed=time.perf_counter() - started,
        tallies=tallies,
        computed=computed,
        failures=tuple(failures),
    )


def score_article(gold: GoldArticle, result: AnalysedDocument | Failure) -> ArticleScore:
    """Score one article's analysis against its gold labels.

    Args:
        gold: the gold article.
        result: the analysis of its text, or the failure to analyse it.

    Returns:
        Tallies keyed ``(field, item)`` (``report.SourcingReport`` reads them) and the
        optional fields the analysis produced.
    """
    doc = result if isinstance(result, AnalysedDocument) else None
    predicted = doc.attributions if doc else ()
    computed = _computed_fields(doc)
    view = TextView(gold.text)
    matches = match_attributions(view, gold.attributions, predicted)
    pairs = [(gold.attributions[g], predicted[p]) for p, g in sorted(matches.items())]
    n = len(pairs)
    tallies = {(ATTRIBUTIONS, "found"): Tally(len(gold.attributions), len(predicted), n, n, n)}
    scorers = {"speaker": _score_speakers, "via": _score_via, "flags": _score_flags}
    for field, scorer in scorers.items():
        if field in computed:
            tallies = add_tallies(tallies, scorer(pairs))
    figures = doc.figures if doc else ()
    tallies = add_tallies(tallies, _score_figures(gold, figures))
    if doc is not None and doc.assertions is not None:
        found: list[Pieces] = [((a.start, a.end),) for a in doc.assertions]
        spans = [a.span.pieces for a in gold.assertions]
        tallies[("assertions", "spans")] = _span_tally(spans, found)
    return ArticleScore(tallies, computed)


def _computed_fields(doc: AnalysedDocument | None) -> frozenset[str]:
    """The optional fields this analysis carries."""
    if doc is None:
        return frozenset()
    found = {
        field
        for field in OPTIONAL_FIELDS
        if any(getattr(a, field, None) is not None for a in doc.attributions)
    }
    if doc.assertions is not None:
        found.add("assertions")
    return frozenset(found)


def match_attributions(
    view: TextView,
    gold: Sequence[GoldSourcedAttribution],
    predicted: Sequence[Attribution],
) -> dict[int, int]:
    """Match attributions by cue overlap, else content Dice >= 0.5; return pred -> gold."""
    pred_cues = [view.normalise(a.cue.pieces) for a in predicted]
    pred_tokens = [view.tokens(view.normalise(a.content.pieces)) for a in predicted]
    candidates: list[list[int]] = []
    for g in gold:
        tokens = view.tokens(view.normalise(g.content.pieces))
        cue = view.normalise(g.cue.pieces) if g.cue else ()
        by_cue, by_content = [], []
        for j, (p_cue, p_tokens) in enumerate(zip(pred_cues, pred_tokens, strict=True)):
            if cue and char_overlap(cue, p_cue) > 0:
                by_cue.append((-dice(tokens, p_tokens), j))
            elif dice_passes(tokens, p_tokens):
                by_content.append((-dice(tokens, p_tokens), j))
        candidates.append([j for _, j in sorted(by_cue) + sorted(by_content)])
    return max_matching(candidates)


def _score_speakers(pairs: Sequence[Pair]) -> dict[tuple[str, str], Tally]:
    """Speaker kind, anonymity and name on matched pairs."""
    out: dict[tuple[str, str], Tally] = {}
    for gold, predicted in pairs:
        speaker = predicted.speaker
        kind = speaker.kind if speaker else None
        _add(out, ("speaker", "kind" + ACCURACY_SUFFIX), _accuracy(kind == gold.speaker.kind))
        for k in {gold.speaker.kind, kind} - {None}:
            _add(out, ("speaker_kind", str(k)), _count(gold.speaker.kind == k, kind == k))
        anonymous = speaker is not None and speaker.anonymous
        _add(out, ("speaker", "anonymous"), _count(gold.speaker.anonymous, anonymous))
        if gold.speaker.name:
            name = speaker.name if speaker else None
            same = _fold(name) == _fold(gold.speaker.name)
            _add(out, ("speaker", "name" + ACCURACY_SUFFIX), _accuracy(same))
    return out


def _score_via(pairs: Sequence[Pair]) -> dict[tuple[str, str], Tally]:
    """Relay names and chain order on matched pairs."""
    out: dict[tuple[str, str], Tally] = {}
    for gold, predicted in pairs:
        gold_hops = _hops((_relay_key(r.name), r.hop) for r in gold.via)
        pred_hops = _hops((_relay_key(r.name), r.hop) for r in predicted.via or ())
        _add(out, ("via", "relays"), set_tally(set(gold_hops), set(pred_hops)))
        if len(gold_hops) >= 2 and gold_hops.keys() <= pred_hops.keys():
            ranks_agree = _ranks(gold_hops) == _ranks({k: pred_hops[k] for k in gold_hops})
            _add(out, ("via", "chain_order" + ACCURACY_SUFFIX), _accuracy(ranks_agree))
    return out


def _score_flags(pairs: Sequence[Pair]) -> dict[tuple[str, str], Tally]:
    """Flag kinds on matched pairs, overall and per kind."""
    out: dict[tuple[str, str], Tally] = {}
    for gold, predicted in pairs:
        gold_kinds = {f.kind for f in gold.flags}
        pred_kinds: set[str] = {f.kind for f in predicted.flags or ()}
        _add(out, ("flags", "all"), set_tally(gold_kinds, pred_kinds))
        for kind in gold_kinds | pred_kinds:
            _add(out, ("flag_kind", kind), _count(kind in gold_kinds, kind in pred_kinds))
    return out


def _score_figures(gold: GoldArticle, figures: Sequence[Figure]) -> dict[tuple[str, str], Tally]:
    """Figure spans, values and qualifiers, and non-figures predicted as figures."""
    spans = [f.span.pieces for f in gold.figures]
    found: list[Pieces] = [((f.start, f.end),) for f in figures]
    matches = overlap_matches(spans, found)
    out = {("figures", "spans"): _span_tally(spans, found)}
    for p, g in matches.items():
        truth, guess = gold.figures[g], figures[p]
        _add(out, ("figures", "value" + ACCURACY_SUFFIX), _accuracy(_same_value(truth, guess)))
        same = truth.qualifier == guess.qualifier
        _add(out, ("figures", "qualifier" + ACCURACY_SUFFIX), _accuracy(same))
    non_figures = [((s, e),) for s, e in _whole_words(gold.text, gold.non_figures)]
    wrong = sum(
        any(char_overlap(span, nf) for nf in non_figures)
        for p, span in enumerate(found)
        if p not in matches
    )
    out[("figures", NON_FIGURES)] = Tally(gold=len(gold.non_figures), predicted=wrong)
    return out


def _span_tally(gold: Sequence[Pieces], predicted: Sequence[Pieces]) -> Tally:
    """Any-overlap one-to-one tally of two span lists."""
    n = len(overlap_matches(gold, predicted))
    return Tally(len(gold), len(predicted), n, n, n)


def _same_value(gold: GoldFigure, predicted: Figure) -> bool:
    """Whether the predicted value (or range ends) equals the gold one."""
    # The gold gives ratios in percent ("one in five" is 20); a ``fraction`` figure says 0.2.
    scale = 100.0 if predicted.unit == "fraction" else 1.0
    pairs: list[tuple[float | None, float | None]] = [(gold.value, predicted.value)]
    if gold.qualifier == "range":
        pairs = [(gold.low, predicted.low), (gold.high, predicted.high)]
    return all(_close(g, None if p is None else p * scale) for g, p in pairs)


def _close(gold: float | None, predicted: float | None) -> bool:
    """Equal to the precision the gold is written with; None equals only None."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    if gold != int(gold):  # a rounded decimal such as 16.7 for one in six: half its last place
        decimals = len(repr(gold).partition(".")[2])
        return abs(gold - predicted) <= 0.5 * 10.0**-decimals + VALUE_TOLERANCE
    return math.isclose(gold, predicted, rel_tol=VALUE_TOLERANCE, abs_tol=VALUE_TOLERANCE)


def _whole_words(text: str, phrases: Iterable[str]) -> list[tuple[int, int]]:
    """Every whole-word occurrence of each phrase ("47" not inside "1947")."""
    found: list[tuple[int, int]] = []
    for phrase in dict.fromkeys(phrases):
        pattern = re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")
        found.extend(m.span() for m in pattern.finditer(text))
    return found


def _hops(relays: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Relay name -> its nearest hop (a name given twice keeps the lower hop)."""
    hops: dict[str, int] = {}
    for name, hop in relays:
        hops[name] = min(hop, hops.get(name, hop))
    return hops


def _ranks(hops: Mapping[str, int]) -> dict[str, int]:
    """Dense ranks of hops: only the order matters, not the numbers."""
    levels = {hop: rank for rank, hop in enumerate(sorted(set(hops.values())))}
    return {name: levels[hop] for name, hop in hops.items()}


_THE = re.compile(r"^the\s+")


def _relay_key(name: str) -> str:
    """Fold a relay name for comparison: "The Guardian" and "guardian" are one outlet."""
    return _THE.sub("", _fold(name) or "")


def _fold(name: str | None) -> str | None:
    """Case- and white-space-folded name."""
    return " ".join(name.casefold().split()) if name is not None else None


def _add(out: dict[tuple[str, str], Tally], key: tuple[str, str], tally: Tally) -> None:
    """Add ``tally`` to ``out[key]``."""
    out[key] = out.get(key, Tally()) + tally


def _count(gold: bool, predicted: bool) -> Tally:
    """One binary decision: a gold item, a predicted item, or both."""
    hit = int(gold and predicted)
    return Tally(int(gold), int(predicted), hit, hit, hit)


def _accuracy(correct: bool) -> Tally:
    """One scored item for an accuracy (gold = predicted = scored, matched = correct)."""
    return Tally(1, 1, int(correct), int(correct), int(correct))
