"""Builders of PolNeAR-format gold data over our own sentences, shared by the tests."""

from __future__ import annotations

from pathlib import Path

from sourcetrace.records import Span


def locate(text: str, phrase: str) -> tuple[int, int]:
    """Offsets of the only occurrence of ``phrase`` in ``text``."""
    assert text.count(phrase) == 1, f"{phrase!r} must occur exactly once"
    start = text.index(phrase)
    return start, start + len(phrase)


def span(text: str, *phrases: str) -> Span:
    """A span of one phrase, or a fragment span of several."""
    return Span.from_fragments(text, [locate(text, p) for p in phrases])


class Ann:
    """Writes a brat ``.ann`` file over a text, locating each span by its phrases."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[str] = []
        self.count = 0
        self.relations = 0

    def span(self, role: str, *phrases: str) -> str:
        pieces = [locate(self.text, p) for p in phrases]
        self.count += 1
        offsets = ";".join(f"{s} {e}" for s, e in pieces)
        covered = " ".join(self.text[s:e] for s, e in pieces)
        self.lines.append(f"T{self.count}\t{role} {offsets}\t{covered}")
        return f"T{self.count}"

    def relation(self, kind: str = "Attribution", **roles: str) -> str:
        """Add an ``E`` line; its anchor span repeats the cue, as in PolNeAR."""
        cue_line = next(ln for ln in self.lines if ln.startswith(roles["Cue"] + "\t"))
        _, head, covered = cue_line.split("\t")
        self.count += 1
        self.lines.append(f"T{self.count}\t{kind} {head.split(' ', 1)[1]}\t{covered}")
        self.relations += 1
        args = [f"{kind}:T{self.count}"] + [f"{role}:{ref}" for role, ref in roles.items()]
        self.lines.append(f"E{self.relations}\t{' '.join(args)}")
        return f"E{self.relations}"

    def render(self) -> str:
        return "\n".join(self.lines) + "\n"


def write_split(root: Path, docs: dict[str, tuple[str, str]]) -> Path:
    """Write ``text/<stem>.txt`` and ``attributions/<stem>_a1.ann`` for each document."""
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    for stem, (text, ann) in docs.items():
        (root / "text" / f"{stem}.txt").write_text(text, encoding="utf-8")
        (root / "attributions" / f"{stem}_a1.ann").write_text(ann, encoding="utf-8")
    return root
