"""The result of an evaluation run: summed tallies, as a text table or a JSON-able dict.

``EvaluationReport`` is the attribution evaluation (``eval polnear``); ``SourcingReport`` the
evaluation of the sourcing stages (``eval sourcing``); ``CorpusReport`` the evaluation of the
cross-article step (``eval corpus``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .metrics import MEASURES, ROLES, TYPE, WHO_SAID_WHAT, Tally

_COLUMNS = ("prec", "recall", "F1", "gold", "pred", "matched")

ATTRIBUTIONS = "attributions"
"""Field of the attribution-matching tally of ``eval sourcing``."""
OPTIONAL_FIELDS = ("speaker", "via", "flags", "assertions")
"""Sourcing fields scored only when the analysis produces them."""
ACCURACY_SUFFIX = "_accuracy"
"""Items whose name ends so are accuracies: gold = predicted = scored, matched = correct."""
NON_FIGURES = "non_figures"
"""Item counting listed non-figures (gold) and those predicted as figures (predicted)."""

_SOURCING_LAYOUT: tuple[tuple[str, tuple[str, ...], str | None], ...] = (
    (ATTRIBUTIONS, ("found",), None),
    ("speaker", ("kind_accuracy", "anonymous", "name_accuracy"), "speaker_kind"),
    ("via", ("relays", "chain_order_accuracy"), None),
    ("flags", ("all",), "flag_kind"),
    ("figures", ("spans", "value_accuracy", "qualifier_accuracy", NON_FIGURES), None),
    ("assertions", ("spans",), None),
)
"""Sourcing fields in report order: their items, and the key of their per-kind tallies."""
_SOURCING_WIDTH = 27


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    """Scores of one evaluation run.

    Attributes:
        dataset: what was scored, for the table's title (``PolNeAR dev``).
        documents: documents scored.
        elapsed: wall-clock seconds of the whole run (reading, analysis, scoring).
        tallies: summed tallies (``metrics.Tallies``).
        failures: documents the analysis refused, as ``doc: reason``; they were scored with
            no predictions.
        gold_incomplete: gold relations skipped because they have no content.
    """

    dataset: str
    documents: int
    elapsed: float
    tallies: Mapping[tuple[str, str], Tally]
    failures: tuple[str, ...] = ()
    gold_incomplete: int = 0

    def tally(self, role: str, measure: str) -> Tally:
        """The tally of one role and measure (an empty one if nothing was scored)."""
        return self.tallies.get((role, measure), Tally())

    @property
    def who_said_what(self) -> Tally:
        """The whole-attribution tally."""
        return self.tallies.get(WHO_SAID_WHAT, Tally())

    @property
    def by_type(self) -> dict[str, Tally]:
        """Per predicted type: predicted and who-said-what matched counts."""
        return {key[1]: t for key, t in sorted(self.tallies.items()) if key[0] == TYPE}

    def to_dict(self) -> dict[str, Any]:
        """Serialise to nested plain data (see ``docs/evaluation.md``)."""
        out: dict[str, Any] = {
            "dataset": self.dataset,
            "documents": self.documents,
            "elapsed_seconds": round(self.elapsed, 2),
        }
        for role in ROLES:
            out[role] = {m: self.tally(role, m).to_dict() for m in MEASURES}
        out["who_said_what"] = self.who_said_what.to_dict()
        out["by_type"] = {
            name: {
                "predicted": t.predicted,
                "matched": t.matched,
                "precision": round(t.precision, 4),
            }
            for name, t in self.by_type.items()
        }
        out["failures"] = list(self.failures)
        out["gold_incomplete_relations"] = self.gold_incomplete
        return out

    def format_table(self) -> str:
        """Render an aligned text table; the who-said-what row comes last."""
        lines = [
            _run_line(self.dataset, self.documents, self.elapsed, self.failures),
            f"{'role':<8} {'match':<8}" + "".join(f"{c:>8}" for c in _COLUMNS),
        ]
        for role in ROLES:
            lines.extend(_row(f"{role:<8} {m}", self.tally(role, m)) for m in MEASURES)
        types = ", ".join(
            f"{name} {t.precision:.3f} ({t.matched}/{t.predicted})"
            for name, t in self.by_type.items()
        )
        lines.append(f"who-said-what precision by type: {types or 'no predictions'}")
        lines.append(_row("who-said-what", self.who_said_what))
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class SourcingReport:
    """Scores of the sourcing stages on labelled articles (``eval sourcing``).

    Attributes:
        dataset: what was scored, for the table's title.
        documents: articles scored.
        elapsed: wall-clock seconds of the whole run (reading, analysis, scoring).
        tallies: summed tallies keyed ``(field, item)``; per-kind ones ``(speaker_kind,
            kind)`` and ``(flag_kind, kind)`` (``evaluation.sourcing`` defines them).
        computed: the optional fields (``OPTIONAL_FIELDS``) the analysis produced.
        failures: articles the analysis refused, as ``doc: reason``; they were scored with
            no predictions.
    """

    dataset: str
    documents: int
    elapsed: float
    tallies: Mapping[tuple[str, str], Tally]
    computed: frozenset[str] = frozenset()
    failures: tuple[str, ...] = ()

    def tally(self, field: str, item: str) -> Tally:
        """The tally of one field's item (an empty one if nothing was scored)."""
        return self.tallies.get((field, item), Tally())

    def by_kind(self, key: str) -> dict[str, Tally]:
        """Per-kind tallies (``speaker_kind`` or ``flag_kind``), by kind name."""
        return {k[1]: t for k, t in sorted(self.tallies.items()) if k[0] == key}

    def is_computed(self, field: str) -> bool:
        """Whether ``field`` was scored (always, unless it is an optional field not produced)."""
        return field not in OPTIONAL_FIELDS or field in self.computed

    def to_dict(self) -> dict[str, Any]:
        """Serialise to nested plain data; fields not computed are null (see docs)."""
        out: dict[str, Any] = {
            "dataset": self.dataset,
            "documents": self.documents,
            "elapsed_seconds": round(self.elapsed, 2),
            "not_computed": [f for f in OPTIONAL_FIELDS if not self.is_computed(f)],
        }
        for field, items, kinds in _SOURCING_LAYOUT:
            if not self.is_computed(field):
                out[field] = None
                continue
            scores = {item: _item_dict(item, self.tally(field, item)) for item in items}
            if kinds:
                scores["by_kind"] = {k: t.to_dict() for k, t in self.by_kind(kinds).items()}
            out[field] = scores
        out["failures"] = list(self.failures)
        return out

    def format_table(self) -> str:
        """Render an aligned text table, one block per field."""
        lines = [
            _run_line(self.dataset, self.documents, self.elapsed, self.failures),
            f"{'field':<{_SOURCING_WIDTH}}" + "".join(f"{c:>8}" for c in _COLUMNS),
        ]
        for field, items, kinds in _SOURCING_LAYOUT:
            if not self.is_computed(field):
                lines.append(f"{field:<{_SOURCING_WIDTH}}not computed")
                continue
            for item in items:
                lines.append(_item_row(field, item, self.tally(field, item)))
            if kinds:
                label = kinds.replace("_", " ")
                lines.extend(
                    _row(f"{label} {k}", t, _SOURCING_WIDTH) for k, t in self.by_kind(kinds).items()
                )
        return "\n".join(lines)


CORPUS_ITEMS = (
    "stories",
    "mentions" + ACCURACY_SUFFIX,
    "claim_grouping",
    "echoes",
    "echoes_any_how",
    "reuse",
    "independent_sources" + ACCURACY_SUFFIX,
    "origin" + ACCURACY_SUFFIX,
    "series_points",
    "series_found" + ACCURACY_SUFFIX,
    "conflicts",
)
"""Items of ``eval corpus`` in report order (``evaluation.corpus`` defines them)."""
_CORPUS_WIDTH = 26


@dataclass(frozen=True, slots=True)
class CorpusReport:
    """Scores of the cross-article step on a labelled corpus (``eval corpus``).

    Attributes:
        dataset: what was scored, for the table's title.
        documents: documents in the corpus.
        elapsed: wall-clock seconds of the whole run (reading, analysis, linking, scoring).
        tallies: tallies keyed by item (``CORPUS_ITEMS``); accuracies end in ``_accuracy``.
        failures: documents the analysis refused, as ``doc: reason``; they were left out of
            the linking step.
        claims: per gold claim, what was found (``evaluation.corpus.claim_outcomes``).
    """

    dataset: str
    documents: int
    elapsed: float
    tallies: Mapping[str, Tally]
    failures: tuple[str, ...] = ()
    claims: tuple[Mapping[str, Any], ...] = ()

    def tally(self, item: str) -> Tally:
        """The tally of one item (an empty one if nothing was scored)."""
        return self.tallies.get(item, Tally())

    def to_dict(self) -> dict[str, Any]:
        """Serialise to nested plain data (see ``docs/evaluation.md``)."""
        out: dict[str, Any] = {
            "dataset": self.dataset,
            "documents": self.documents,
            "elapsed_seconds": round(self.elapsed, 2),
        }
        for item in CORPUS_ITEMS:
            out[item.removesuffix(ACCURACY_SUFFIX)] = _item_dict(item, self.tally(item))
        out["claims"] = [dict(c) for c in self.claims]
        out["failures"] = list(self.failures)
        return out

    def format_table(self) -> str:
        """Render an aligned text table, one row per item."""
        lines = [
            _run_line(self.dataset, self.documents, self.elapsed, self.failures),
            f"{'item':<{_CORPUS_WIDTH}}" + "".join(f"{c:>8}" for c in _COLUMNS),
        ]
        for item in CORPUS_ITEMS:
            tally = self.tally(item)
            label = item.removesuffix(ACCURACY_SUFFIX).replace("_", " ")
            if item.endswith(ACCURACY_SUFFIX):
                lines.append(
                    f"{label:<{_CORPUS_WIDTH}}{tally.recall:>8.3f}  accuracy "
                    f"({tally.matched} of {tally.gold} correct)"
                )
            else:
                lines.append(_row(label, tally, _CORPUS_WIDTH))
        return "\n".join(lines)


def _item_dict(item: str, tally: Tally) -> dict[str, Any]:
    """Serialise one sourcing item: an accuracy, the non-figure count, or a P/R tally."""
    if item.endswith(ACCURACY_SUFFIX):
        return {"accuracy": round(tally.recall, 4), "correct": tally.matched, "scored": tally.gold}
    if item == NON_FIGURES:
        return {"listed": tally.gold, "predicted_as_figures": tally.predicted}
    return tally.to_dict()


def _item_row(field: str, item: str, tally: Tally) -> str:
    """One table row of a sourcing item."""
    label = f"{field} {item.removesuffix(ACCURACY_SUFFIX).replace('_', ' ')}"
    if item.endswith(ACCURACY_SUFFIX):
        return (
            f"{label:<{_SOURCING_WIDTH}}{tally.recall:>8.3f}  accuracy "
            f"({tally.matched} of {tally.gold} correct)"
        )
    if item == NON_FIGURES:
        return (
            f"{'figures from non-figures':<{_SOURCING_WIDTH}}{tally.predicted:>8}  "
            f"of {tally.gold} listed non-figures predicted as figures"
        )
    return _row(label, tally, _SOURCING_WIDTH)


def _row(label: str, tally: Tally, width: int = 17) -> str:
    """One table row: label, then precision, recall, F1 and the counts."""
    scores = f"{tally.precision:>8.3f}{tally.recall:>8.3f}{tally.f1:>8.3f}"
    return f"{label:<{width}}{scores}{tally.gold:>8}{tally.predicted:>8}{tally.matched:>8}"


def _run_line(dataset: str, documents: int, elapsed: float, failures: tuple[str, ...]) -> str:
    """The first line of a report: what was scored, how fast, how many failed."""
    rate = documents / elapsed if elapsed > 0 else 0.0
    return (
        f"{dataset}: {documents} documents in {elapsed:.1f} s ({rate:.2f} docs/s), "
        f"{len(failures)} failed"
    )
