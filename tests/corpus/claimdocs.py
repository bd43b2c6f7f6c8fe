"""Hand-built analysed documents for the claims, series, graph and build tests.

Every text here is written for these tests. Offsets are found with ``str.index``, so each
phrase must occur once in its text.
"""

from __future__ import annotations

from dataclasses import dataclass

from sourcetrace.records import (
    AnalysedDocument,
    Assertion,
    Attribution,
    Figure,
    Flag,
    Qualifier,
    Relay,
    Span,
    Speaker,
    SpeakerKind,
)


@dataclass(frozen=True)
class Said:
    """An attribution to build: its content phrase and who is behind it."""

    content: str
    name: str | None = None
    description: str | None = None
    anonymous: bool = False
    kind: SpeakerKind = "person"
    via: tuple[str, ...] = ()
    disputed_by: str | None = None


@dataclass(frozen=True)
class Fig:
    """A figure to build: its phrase, value and counted noun."""

    phrase: str
    value: float
    what: str | None
    qualifier: Qualifier = "exact"


def span(text: str, phrase: str) -> Span:
    """The span of the one occurrence of ``phrase`` in ``text``."""
    start = text.index(phrase)
    assert text.find(phrase, start + 1) == -1, f"{phrase!r} occurs twice"
    return Span.of(text, start, start + len(phrase))


def _attribution(text: str, index: int, said: Said) -> Attribution:
    """Build one attribution; the cue is the content's first character (tests do not read it)."""
    content = span(text, said.content)
    speaker = Speaker(said.name, said.description, said.kind, said.anonymous, None)
    via = tuple(
        Relay(name, "outlet", *_where(text, name), hop=i + 1) for i, name in enumerate(said.via)
    )
    flags = (
        (Flag("disputed", said.disputed_by, span(text, said.disputed_by)),)
        if said.disputed_by
        else ()
    )
    cue = Span.of(text, content.start, content.start + 1)
    return Attribution(f"a{index}", "indirect", None, cue, content, speaker, via, flags)


def _where(text: str, phrase: str) -> tuple[int, int]:
    """Offsets of ``phrase`` in ``text`` (a relay's mention)."""
    start = text.index(phrase)
    return start, start + len(phrase)


def make_doc(
    doc_id: str,
    text: str,
    *,
    outlet: str | None = None,
    published: str | None = None,
    said: tuple[Said, ...] = (),
    unsourced: tuple[str, ...] = (),
    figures: tuple[Fig, ...] = (),
) -> AnalysedDocument:
    """An analysed document with the given attributions, assertions and figures."""
    attributions = tuple(_attribution(text, i + 1, s) for i, s in enumerate(said))
    assertions = tuple(
        Assertion(p, s.start, s.end, "actor") for p in unsourced for s in [span(text, p)]
    )
    built = []
    for fig in figures:
        where = span(text, fig.phrase)
        inside = next(
            (a.id for a in attributions if a.content.start <= where.start < a.content.end), None
        )
        built.append(
            Figure(
                where.text,
                where.start,
                where.end,
                fig.value,
                fig.qualifier,
                what=fig.what,
                attribution=inside,
            )
        )
    return AnalysedDocument(
        id=doc_id,
        text=text,
        attributions=attributions,
        figures=tuple(built),
        assertions=assertions,
        title=None,
        outlet=outlet,
        published=published,
    )
