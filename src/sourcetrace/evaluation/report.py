"""The result of an evaluation run: summed tallies, as a text table or a JSON-able dict."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .metrics import MEASURES, ROLES, TYPE, WHO_SAID_WHAT, Tally

_COLUMNS = ("prec", "recall", "F1", "gold", "pred", "matched")


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
        rate = self.documents / self.elapsed if self.elapsed > 0 else 0.0
        lines = [
            f"{self.dataset}: {self.documents} documents in {self.elapsed:.1f} s "
            f"({rate:.2f} docs/s), {len(self.failures)} failed",
            f"{'role':<8} {'match':<8}" + "".join(f"{c:>8}" for c in _COLUMNS),
        ]
        for role in ROLES:
            lines.extend(_row(role, m, self.tally(role, m)) for m in MEASURES)
        types = ", ".join(
            f"{name} {t.precision:.3f} ({t.matched}/{t.predicted})"
            for name, t in self.by_type.items()
        )
        lines.append(f"who-said-what precision by type: {types or 'no predictions'}")
        lines.append(_row("who-said-what", "", self.who_said_what))
        return "\n".join(lines)


def _row(role: str, measure: str, tally: Tally) -> str:
    """One table row: label, then precision, recall, F1 and the counts."""
    label = f"{role:<8} {measure:<8}" if measure else f"{role:<17}"
    scores = f"{tally.precision:>8.3f}{tally.recall:>8.3f}{tally.f1:>8.3f}"
    return f"{label}{scores}{tally.gold:>8}{tally.predicted:>8}{tally.matched:>8}"
