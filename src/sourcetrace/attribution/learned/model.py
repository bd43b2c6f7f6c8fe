"""The learned attribution model: load the two taggers and turn their labels into records."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycrfsuite
from spacy.tokens import Doc

from ...errors import ModelError
from ...records import Attribution, AttributionType, Span
from ..quotes import QuoteIndex
from .features import DocFeatures

CUE_MODEL = "cue.crfsuite"
ROLE_MODEL = "role.crfsuite"
META = "meta.json"
FORMAT_VERSION = 2
"""Bumped whenever the features change: a model trained on other features is refused."""

RULE_CUE_TYPES = frozenset({"direct"})
"""Types of rule-based attributions kept whole when no predicted cue overlaps their cue.
Calibrated on PolNeAR dev with the 60-iteration model: of the rule cues the tagger did not
overlap, 88% of the direct ones were gold cues (mostly "― Name" lines and transcript labels),
against 30% of the indirect and 35% of the mixed ones. Recheck after retraining by counting,
on dev, the rule cues no predicted cue overlaps, by type, and how many are gold cues."""


@dataclass(frozen=True, slots=True)
class Prediction:
    """One predicted attribution as token ranges, before it becomes a record."""

    cue: tuple[int, ...]
    source: tuple[int, ...]
    content: tuple[tuple[int, int], ...]


class AttributionModel:
    """The cue tagger and the role tagger, loaded from a model folder."""

    cue_threshold: float = 0.5
    """Least probability of being inside a cue (B or I) for a token to start or join a cue."""

    def __init__(self, folder: Path) -> None:
        """Load the model in ``folder``.

        Raises:
            ModelError: a file is missing or unreadable; the message says how to rebuild.
        """
        self.folder = folder
        meta_path = folder / META
        try:
            self.meta: dict[str, Any] = json.loads(meta_path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(_broken(meta_path, exc)) from exc
        if self.meta.get("format") != FORMAT_VERSION:
            raise ModelError(_broken(meta_path, f"format {self.meta.get('format')!r}"))
        self.cue_tagger = _open_tagger(folder / CUE_MODEL)
        self._cue_labels = frozenset(self.cue_tagger.labels())
        self.role_tagger = _open_tagger(folder / ROLE_MODEL)

    def predict(self, doc: Doc, rules: Sequence[Attribution]) -> list[Prediction]:
        """Tag cues, then each cue's source and content."""
        feats = DocFeatures.build(doc, rules)
        cues = self.cues(feats)
        out = _missed_rule_predictions(feats, cues)
        for cue in cues:
            prediction = self._roles(feats, cue)
            if prediction is not None:
                out.append(prediction)
        return out

    def _roles(self, feats: DocFeatures, cue: list[int]) -> Prediction | None:
        """Tag one cue's window; None when neither the tagger nor the rules find content.

        Where the tagger finds no content (or no source), the rule-based attribution with the
        same cue lends its own: on PolNeAR dev each fallback added about 0.005 to who-said-what F1.
        """
        start, _, rows = feats.role_sequence(cue)
        labels = self.role_tagger.tag(rows)
        source = _nearest(_chunks(labels, "SRC", start), cue)
        content = _chunks(labels, "CON", start)
        rule = feats.rule_for(cue)
        if not content:
            if rule is None or not rule.content:
                return None
            content = _runs(rule.content)
        if not source and rule is not None:
            source = _first_run(rule.source)
        content = _extend_to_quotes(feats, content)
        return Prediction(tuple(cue), source, tuple(content))

    def _marginal(self, label: str, k: int) -> float:
        """Marginal probability of ``label`` at position ``k``; 0 for a label the model lacks."""
        return self.cue_tagger.marginal(label, k) if label in self._cue_labels else 0.0

    def cues(self, feats: DocFeatures) -> list[list[int]]:
        """Return the predicted cues, each a list of token indices."""
        cues: list[list[int]] = []
        for start, _, rows in feats.cue_sequences():
            self.cue_tagger.set(rows)
            labels = []
            for k in range(len(rows)):
                p_begin = self._marginal("B-CUE", k)
                p_inside = self._marginal("I-CUE", k)
                if p_begin + p_inside < self.cue_threshold:
                    labels.append("O")
                else:
                    labels.append("B-CUE" if p_begin >= p_inside else "I-CUE")
            for s, e in _chunks(labels, "CUE", start):
                cues.append(list(range(s, e)))
        return cues


def _chunks(labels: Sequence[str], role: str, offset: int) -> list[tuple[int, int]]:
    """Token ranges labelled ``B-role``/``I-role`` (an ``I`` after ``O`` starts a chunk)."""
    out: list[tuple[int, int]] = []
    begin = -1
    for k, label in enumerate([*labels, "O"]):
        inside = label.endswith(role)
        if begin >= 0 and (not inside or label.startswith("B-")):
            out.append((offset + begin, offset + k))
            begin = -1
        if inside and begin < 0:
            begin = k
    return out


def _extend_to_quotes(feats: DocFeatures, content: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Extend content that ends inside a quotation to the quotation's end.

    A quotation over several paragraphs runs past the tagger's window; the tagger sees its
    start, and the quotation marks say where it ends.
    """
    doc = feats.doc
    last_s, last_e = content[-1]
    end_char = doc[last_e - 1].idx + len(doc[last_e - 1].text)
    quote = feats.quotes.containing(end_char - 1)
    if quote is None or quote.end <= end_char:
        return content
    extra = doc.char_span(end_char, quote.end, alignment_mode="expand")
    if extra is None or extra.end <= last_e:
        return content
    return [*content[:-1], (last_s, extra.end)]


def _missed_rule_predictions(feats: DocFeatures, cues: list[list[int]]) -> list[Prediction]:
    """The confident rule-based attributions whose cue no predicted cue overlaps."""
    taken = {t for cue in cues for t in cue}
    return [
        Prediction(tuple(sorted(rule.cue)), _first_run(rule.source), tuple(_runs(rule.content)))
        for rule in feats.rule_roles
        if rule.type in RULE_CUE_TYPES and rule.cue and rule.content and not rule.cue & taken
    ]


def _first_run(tokens: frozenset[int]) -> tuple[int, ...]:
    """The first run of ``tokens`` as a ``(start, end)`` range (empty when there is none)."""
    runs = _runs(tokens)
    return runs[0] if runs else ()


def _runs(tokens: frozenset[int]) -> list[tuple[int, int]]:
    """Maximal runs of consecutive token indices, as ranges."""
    out: list[tuple[int, int]] = []
    for t in sorted(tokens):
        if out and out[-1][1] == t:
            out[-1] = (out[-1][0], t + 1)
        else:
            out.append((t, t + 1))
    return out


def _nearest(chunks: list[tuple[int, int]], cue: Sequence[int]) -> tuple[int, ...]:
    """The chunk nearest to the cue, as a token range (empty when there is none)."""
    if not chunks:
        return ()
    anchor = cue[0]
    s, e = min(chunks, key=lambda c: min(abs(c[0] - anchor), abs(c[1] - 1 - anchor)))
    return (s, e)


def to_records(doc: Doc, predictions: Sequence[Prediction]) -> tuple[Attribution, ...]:
    """Turn predictions into numbered ``Attribution`` records with character spans."""
    text = doc.text
    quotes = QuoteIndex(text)
    built = []
    for p in predictions:
        cue = _char_span(doc, text, [(p.cue[0], p.cue[-1] + 1)])
        content = _char_span(doc, text, list(p.content))
        if cue is None or content is None:
            continue
        source = _char_span(doc, text, [(p.source[0], p.source[-1])]) if p.source else None
        built.append((cue, source, content))
    built.sort(key=lambda x: (x[2].start, x[0].start))
    return tuple(
        Attribution(f"a{n}", _type(text, quotes, cue, content), source, cue, content)
        for n, (cue, source, content) in enumerate(built, start=1)
    )


def _char_span(doc: Doc, text: str, ranges: list[tuple[int, int]]) -> Span | None:
    """Character span of token ranges, merging ranges that touch."""
    pieces: list[tuple[int, int]] = []
    for s, e in sorted(ranges):
        if e <= s:
            continue
        start, end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)
        if pieces and start <= pieces[-1][1] + 1:
            pieces[-1] = (pieces[-1][0], max(end, pieces[-1][1]))
        else:
            pieces.append((start, end))
    return Span.from_fragments(text, pieces) if pieces else None


def _type(text: str, quotes: QuoteIndex, cue: Span, content: Span) -> AttributionType:
    """Type an attribution from its cue and how much of its content is quoted."""
    if cue.text.lower().startswith("according"):
        return "according_to"
    quoted = 0
    for quote in quotes.overlapping(content.start, content.end):
        for qs, qe in quote.pieces:
            for cs, ce in content.pieces:
                quoted += max(0, min(qe, ce) - max(qs, cs))
    size = sum(e - s for s, e in content.pieces)
    if quoted >= 0.9 * size:
        return "direct"
    if quoted > 0 or quotes.has_single_quote(content.start, content.end):
        return "mixed"
    if cue.text.strip() in (":", "—", "–", "-"):
        return "other"
    return "indirect"


def _open_tagger(path: Path) -> pycrfsuite.Tagger:
    """Open one crfsuite model file."""
    if not path.is_file():
        raise ModelError(_broken(path, "missing"))
    tagger = pycrfsuite.Tagger()
    try:
        tagger.open(str(path))
    except Exception as exc:  # crfsuite raises ValueError or OSError on a corrupt file
        raise ModelError(_broken(path, exc)) from exc
    return tagger


def _broken(path: Path, why: object) -> str:
    """The one-line message for an unusable model file."""
    return (
        f"attribution model file {path} is unusable ({why}); rebuild it with "
        "`sourcetrace train polnear ../shared/polnear` or reinstall sourcetrace"
    )
