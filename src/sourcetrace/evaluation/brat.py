r"""Reading gold attributions: a PolNeAR-format split of texts and brat standoff annotations.

A split folder holds ``text/<stem>.txt`` (UTF-8; offsets are Python character offsets into
the text as read) and ``attributions/<stem>_<annotator>.ann`` (brat standoff). Where a text
has several annotation files, the alphabetically first is used.

From an ``.ann`` file we read:

- ``T`` lines, ``T<n>\t<Role> <start> <end>[;<start> <end>...]\t<text>``: spans, possibly in
  fragments. The text field repeats the covered text (fragments joined by one space) and may
  run over several lines when the span crosses a paragraph break; it must equal the text at
  those offsets. On the PolNeAR train and dev splits it does for all 97,146 spans, so a
  mismatch means the annotations belong to another version of the text and is refused.
- ``E`` lines whose type is ``Attribution`` or ``Attribution-no-source``: one relation each,
  with ``Source``, ``Cue`` and ``Content`` arguments. A digit suffix (``Content2``) adds
  another piece to the same role. Relations without any content (a few annotator leftovers)
  are skipped and counted as incomplete; a missing cue is kept as None.
- Everything else (``Discuss``/``Discard`` spans, which no relation uses, ``#`` notes, other
  record kinds) is checked for form and otherwise ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import errors
from ..errors import DataError
from ..records import Span

Pieces = tuple[tuple[int, int], ...]

RELATION_TYPES = frozenset({"Attribution", "Attribution-no-source"})
"""Relation types that are attributions; the anchor argument repeats the cue."""

_ROLES = {"Source": "source", "Cue": "cue", "Content": "content"}

_RECORD = re.compile(r"(?:[TERAMN#]\d+|\*)\t")
_SPAN_HEAD = re.compile(r"(\S+) (\d+ \d+(?:;\d+ \d+)*)\t")
_ARGUMENT = re.compile(r"([A-Za-z-]+?)\d*:([A-Z#]\d+)")


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    """One gold attribution relation.

    Attributes:
        id: the relation's brat id (``E3``).
        source: who; None for an ``Attribution-no-source`` relation.
        cue: the attributing words; None where the annotator left none.
        content: what was said or thought (all ``Content``/``Content<n>`` pieces).
    """

    id: str
    source: Span | None
    cue: Span | None
    content: Span


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """One text of a split with its gold attributions.

    Attributes:
        id: the text's file stem.
        text: the text, as Python reads it.
        annotation: the ``.ann`` file the attributions come from.
        attributions: the complete relations, in file order.
        incomplete: relations skipped because they have no content.
    """

    id: str
    text: str
    annotation: Path
    attributions: tuple[GoldAttribution, ...]
    incomplete: int = 0


def read_polnear(directory: Path, limit: int | None = None) -> list[GoldDocument]:
    """Read a PolNeAR-format split.

    Every text must have an annotation file and every annotation file a text; only the
    first ``limit`` texts (by file name) are then read and parsed.

    Args:
        directory: the split folder, holding ``text/`` and ``attributions/``.
        limit: read only the first ``limit`` texts; None reads them all.

    Returns:
        The documents, sorted by file name.

    Raises:
        DataError: the folder or one of its files is malformed (the message names it).
    """
    texts_dir, ann_dir = directory / "text", directory / "attributions"
    for folder in (texts_dir, ann_dir):
        if not folder.is_dir():
            raise DataError(f"{directory}: {errors.missing_folder(folder.name)}")
    texts = sorted(texts_dir.glob("*.txt"))
    if not texts:
        raise DataError(f"{texts_dir}: {errors.NO_TEXTS}")
    chosen = _pair_annotations({t.stem for t in texts}, sorted(ann_dir.glob("*.ann")))
    for text_path in texts:
        if text_path.stem not in chosen:
            raise DataError(f"{text_path}: {errors.NO_ANNOTATION_FILE}")
    return [_read_document(t, chosen[t.stem]) for t in texts[:limit]]


def _pair_annotations(stems: set[str], annotations: Iterable[Path]) -> dict[str, Path]:
    """Map each text stem to its alphabetically first ``<stem>_<annotator>.ann``."""
    chosen: dict[str, Path] = {}
    for ann in annotations:  # sorted, so the first one seen wins
        stem = ann.stem.rpartition("_")[0]
        if stem not in stems:
            raise DataError(f"{ann}: {errors.NO_TEXT_FILE}")
        chosen.setdefault(stem, ann)
    return chosen


def _read_document(text_path: Path, ann_path: Path) -> GoldDocument:
    """Read one text and its annotation file."""
    text, content = read_text_file(text_path), read_text_file(ann_path)
    attributions, incomplete = parse_annotations(text, content, str(ann_path))
    return GoldDocument(text_path.stem, text, ann_path, attributions, incomplete)


def read_text_file(path: Path) -> str:
    """Read a UTF-8 file, refusing it with a DataError when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read as UTF-8 text ({exc})") from exc


def parse_annotations(
    text: str, content: str, name: str
) -> tuple[tuple[GoldAttribution, ...], int]:
    """Parse a brat ``.ann`` file's content against its text.

    Args:
        text: the annotated text.
        content: the ``.ann`` file's content.
        name: the file's name, for error messages.

    Returns:
        The complete attribution relations in file order, and how many relations were
        skipped for having no content.

    Raises:
        DataError: a line is malformed, a span's offsets lie beyond the text or its text
            differs from the text at those offsets, or a relation names an unknown span.
    """
    parser = _AnnParser(text, content, name)
    parser.run()
    return parser.attributions()


class _AnnParser:
    """One pass over an ``.ann`` file: spans by id, then relations resolved against them."""

    def __init__(self, text: str, content: str, name: str) -> None:
        self.text, self.content, self.name = text, content, name
        self.spans: dict[str, Pieces] = {}
        self.relations: list[tuple[int, str, str]] = []  # (line, id, arguments)

    def fail(self, line: int, why: str) -> DataError:
        """Build the error for a malformed line."""
        return DataError(f"{self.name}: {errors.bad_annotation(line, why)}")

    def run(self) -> None:
        """Read every record; span text may run over several lines."""
        pos, line = 0, 1
        while pos < len(self.content):
            end = self.content.find("\n", pos)
            end = len(self.content) if end < 0 else end
            record = _RECORD.match(self.content, pos)
            if record is None:
                if self.content[pos:end].strip():
                    raise self.fail(line, "not a brat annotation line")
                pos, line = end + 1, line + 1
                continue
            ident = record.group()[:-1]
            if ident.startswith("T"):
                pos, lines = self.read_span(ident, record.end(), line)
                line += lines
                continue
            if ident.startswith("E"):
                self.relations.append((line, ident, self.content[record.end() : end]))
            pos, line = end + 1, line + 1

    def read_span(self, ident: str, pos: int, line: int) -> tuple[int, int]:
        """Read a ``T`` record from just after its id; return the next position and lines used."""
        head = _SPAN_HEAD.match(self.content, pos)
        if head is None:
            raise self.fail(line, f"{ident}: expected '<Role> <start> <end>[;...]' then a tab")
        pieces = tuple((int(s), int(e)) for s, e in (p.split() for p in head.group(2).split(";")))
        for start, end in pieces:
            if start > end or end > len(self.text):
                raise self.fail(
                    line,
                    f"{ident}: offsets {start}-{end} are reversed or lie beyond the text "
                    f"({len(self.text)} characters)",
                )
        expected = " ".join(self.text[s:e] for s, e in pieces)
        stop = head.end() + len(expected)
        found = self.content[head.end() : stop]
        if found != expected or self.content[stop : stop + 1] not in ("", "\n"):
            raise self.fail(
                line,
                f"{ident}: span text does not match the text at {pieces[0][0]}-{pieces[-1][1]} "
                f"(file has {_clip(self.content[head.end() :])!r}, text has {_clip(expected)!r})",
            )
        if ident in self.spans:
            raise self.fail(line, f"{ident}: id used twice")
        self.spans[ident] = pieces
        return stop + 1, expected.count("\n") + 1

    def attributions(self) -> tuple[tuple[GoldAttribution, ...], int]:
        """Resolve the relations against the spans."""
        found: list[GoldAttribution] = []
        incomplete = 0
        for line, ident, arguments in self.relations:
            roles = self.resolve(line, ident, arguments)
            if roles is None:
                continue
            if "content" not in roles:
                incomplete += 1
                continue
            spans = {role: Span.from_fragments(self.text, p) for role, p in roles.items()}
            found.append(
                GoldAttribution(ident, spans.get("source"), spans.get("cue"), spans["content"])
            )
        return tuple(found), incomplete

    def resolve(
        self, line: int, ident: str, arguments: str
    ) -> dict[str, list[tuple[int, int]]] | None:
        """Return a relation's pieces by role, or None when it is not an attribution."""
        parsed: list[tuple[str, str]] = []
        for argument in arguments.split():
            match = _ARGUMENT.fullmatch(argument)
            if match is None:
                raise self.fail(line, f"{ident}: malformed argument {argument!r}")
            parsed.append((match.group(1), match.group(2)))
        if not parsed:
            raise self.fail(line, f"{ident}: relation without arguments")
        if parsed[0][0] not in RELATION_TYPES:
            return None
        roles: dict[str, list[tuple[int, int]]] = {}
        for role, ref in parsed:
            if ref not in self.spans:
                raise self.fail(line, f"{ident}: refers to unknown span {ref}")
            if role in _ROLES:
                roles.setdefault(_ROLES[role], []).extend(self.spans[ref])
        # Zero-width pieces carry nothing; a role left with none is treated as absent.
        return {role: merged for role, pieces in roles.items() if (merged := _merge(pieces))}


def _merge(pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort pieces and merge those that overlap or touch (``Content`` and ``Content2``)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(p for p in pieces if p[1] > p[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _clip(value: str, width: int = 40) -> str:
    """Shorten a string for an error message."""
    first = value.split("\n", 1)[0]
    return first if len(first) <= width else first[: width - 3] + "..."
