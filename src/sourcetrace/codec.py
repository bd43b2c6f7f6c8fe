"""Records back from their JSON contract: the inverse of the ``to_dict`` methods of records.py.

``document_from_dict(doc.to_dict(include_text=True)) == doc`` for every analysed document;
the store reads its rows into this shape and decodes them here, so there is one decoder.
Fields a stage did not produce (absent ``speaker``, ``via``, ``flags``, ``assertions``) stay
None, as in the record that was written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from .records import (
    AnalysedDocument,
    Assertion,
    Attribution,
    AttributionType,
    Figure,
    Flag,
    FlagKind,
    Qualifier,
    Relay,
    Span,
    Speaker,
    SpeakerKind,
)

Json = Mapping[str, Any]


def span_from_dict(data: Json) -> Span:
    """Decode a ``Span``."""
    fragments = tuple((int(s), int(e)) for s, e in data.get("fragments") or ())
    return Span(str(data["text"]), int(data["start"]), int(data["end"]), fragments)


def _optional_span(data: Json | None) -> Span | None:
    """Decode a span that may be null."""
    return None if data is None else span_from_dict(data)


def speaker_from_dict(data: Json) -> Speaker:
    """Decode a ``Speaker``."""
    return Speaker(
        name=data.get("name"),
        description=data.get("description"),
        kind=cast(SpeakerKind, data["kind"]),
        anonymous=bool(data["anonymous"]),
        mention=_optional_span(data.get("mention")),
    )


def relay_from_dict(data: Json) -> Relay:
    """Decode a ``Relay``."""
    return Relay(
        name=str(data["name"]),
        kind=str(data["kind"]),
        start=int(data["start"]),
        end=int(data["end"]),
        hop=int(data.get("hop", 1)),
    )


def flag_from_dict(data: Json) -> Flag:
    """Decode a ``Flag``."""
    return Flag(
        kind=cast(FlagKind, data["kind"]),
        by=data.get("by"),
        evidence=span_from_dict(data["evidence"]),
    )


def attribution_from_dict(data: Json) -> Attribution:
    """Decode an ``Attribution``; absent stage fields stay None."""
    speaker = data.get("speaker")
    via = data.get("via")
    flags = data.get("flags")
    return Attribution(
        id=str(data["id"]),
        type=cast(AttributionType, data["type"]),
        source=_optional_span(data.get("source")),
        cue=span_from_dict(data["cue"]),
        content=span_from_dict(data["content"]),
        speaker=None if speaker is None else speaker_from_dict(speaker),
        via=None if via is None else tuple(relay_from_dict(r) for r in via),
        flags=None if flags is None else tuple(flag_from_dict(f) for f in flags),
    )


def _optional_float(value: Any) -> float | None:
    """A number that may be null, as float."""
    return None if value is None else float(value)


def figure_from_dict(data: Json) -> Figure:
    """Decode a ``Figure``."""
    return Figure(
        text=str(data["text"]),
        start=int(data["start"]),
        end=int(data["end"]),
        value=float(data["value"]),
        qualifier=cast(Qualifier, data["qualifier"]),
        low=_optional_float(data.get("low")),
        high=_optional_float(data.get("high")),
        what=data.get("what"),
        unit=data.get("unit"),
        attribution=data.get("attribution"),
    )


def assertion_from_dict(data: Json) -> Assertion:
    """Decode an ``Assertion``."""
    return Assertion(
        text=str(data["text"]),
        start=int(data["start"]),
        end=int(data["end"]),
        reason=str(data["reason"]),
    )


def document_from_dict(data: Json) -> AnalysedDocument:
    """Decode an ``AnalysedDocument`` from ``to_dict(include_text=True)`` output.

    Args:
        data: the document's JSON object; it must carry ``text``.

    Returns:
        The document, equal to the one that was serialised.

    Raises:
        KeyError: a required field is missing (``text`` among them).
    """
    assertions = data.get("assertions")
    return AnalysedDocument(
        id=str(data["id"]),
        text=str(data["text"]),
        attributions=tuple(attribution_from_dict(a) for a in data.get("attributions", ())),
        figures=tuple(figure_from_dict(f) for f in data.get("figures", ())),
        assertions=None
        if assertions is None
        else tuple(assertion_from_dict(a) for a in assertions),
        title=data.get("title"),
        outlet=data.get("outlet"),
        url=data.get("url"),
        published=data.get("published"),
        metadata=dict(data.get("metadata") or {}),
    )
