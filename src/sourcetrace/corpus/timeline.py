"""When each document of a corpus appeared: sort keys, days, and outlet identity.

Claims, figure series and the outlet graph all order documents the same way: dated
documents by publication time, undated ones after them in ingest order (``text.time_key``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from ..outlets import outlet_table
from ..records import AnalysedDocument
from .text import ingest_order, parse_published, time_key

_ARTICLE = "the "


@dataclass(frozen=True, slots=True)
class Timeline:
    """Publication times and ingest positions of a set of documents, by id.

    Attributes:
        times: parsed publication time, None when the document is undated.
        seq: ingest position.
        keys: the sort key of each document, earliest first.
    """

    times: Mapping[str, datetime | None]
    seq: Mapping[str, int]
    keys: Mapping[str, tuple[int, float, int, str]]

    @classmethod
    def of(cls, docs: Sequence[AnalysedDocument], order: Mapping[str, int] | None) -> Timeline:
        """Build the timeline of ``docs``; ``order``: ingest positions (default: list order)."""
        times = {d.id: parse_published(d.published) for d in docs}
        seq = ingest_order(docs, order)
        keys = {d.id: time_key(d, times, seq) for d in docs}
        return cls(times, seq, keys)

    def undated(self, doc: str) -> bool:
        """True when the document has no usable publication time."""
        return self.times.get(doc) is None

    def day(self, doc: str) -> str | None:
        """The document's publication day (``YYYY-MM-DD``, UTC), or None when undated."""
        when = self.times.get(doc)
        return when.date().isoformat() if when is not None else None


def outlet_key(name: str | None) -> str | None:
    """A comparable identity for an outlet name: its canonical table name, casefolded.

    "Reuters", "reuters" and an alias of it in the outlet table give the same key, so a
    relay named in the text matches the outlet field of another document.
    """
    if not name or not name.strip():
        return None
    text = " ".join(name.split())
    canonical = outlet_table().by_form.get(text, text).casefold()
    return canonical[len(_ARTICLE) :] if canonical.startswith(_ARTICLE) else canonical
