"""The corpus step's results as store rows, and the queries behind the corpus commands.

``result_rows`` maps a ``CorpusResult`` onto the corpus tables (``docs/store.md``), and
``store_result`` writes them in one transaction. The ``read_*`` functions rebuild the
records from those tables; each ``sourcetrace stories|claims|figures|reuse|outlets``
command calls one of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, cast

from ..codec import relay_from_dict, speaker_from_dict
from ..records import Span
from ..store import Store
from .graph import outlet_edges
from .records import (
    Claim,
    ClaimFlag,
    Conflict,
    CorpusResult,
    Echo,
    EchoHow,
    FigureSeries,
    Mention,
    Origin,
    OutletEdge,
    ReusePair,
    SeriesPoint,
    Story,
)

Row = dict[str, Any]


def result_rows(result: CorpusResult) -> dict[str, list[Row]]:
    """Rows for every corpus table, from one run of the corpus step.

    Args:
        result: what ``corpus.build.link`` returned.

    Returns:
        Rows per corpus table, ready for ``Store.replace_corpus``.
    """
    tables: dict[str, list[Row]] = defaultdict(list)
    for position, story in enumerate(result.stories):
        tables["stories"].append({"id": story.id, "position": position, "title": story.title})
        tables["story_documents"].extend(
            {"story_id": story.id, "doc_id": doc, "position": i}
            for i, doc in enumerate(story.documents)
        )
    positions: dict[str, int] = defaultdict(int)
    for claim in result.claims:
        tables["claims"].append(_claim_row(claim, positions[claim.story]))
        positions[claim.story] += 1
        tables["claim_mentions"].extend(
            _mention_row(claim.id, i, m) for i, m in enumerate(claim.mentions)
        )
        tables["echoes"].extend(
            {"claim_id": claim.id, "doc_id": e.doc, "of_doc": e.of, "how": e.how}
            for e in claim.echoes
        )
    tables["reuse"] = [
        {"doc_id": p.doc, "copies": p.copies, "share": p.share} for p in result.reuse
    ]
    for series in result.series:
        key = {"story_id": series.story, "what": series.what}
        index = {p: i for i, p in enumerate(series.points)}
        tables["figure_points"].extend(
            {**key, "position": i, **_point_row(p)} for i, p in enumerate(series.points)
        )
        tables["figure_conflicts"].extend(
            {
                **key,
                "position": i,
                "published": c.published,
                "points": [index[p] for p in c.points],
            }
            for i, c in enumerate(series.conflicts)
        )
    return dict(tables)


def store_result(store: Store, result: CorpusResult, documents_hash: str | None = None) -> None:
    """Replace the store's corpus tables with ``result``, in one transaction.

    Args:
        store: an open store.
        result: what the cross-article step found.
        documents_hash: ``Store.documents_hash()`` of the documents ``result`` was built from.

    Raises:
        StoreError: the write failed; the old corpus tables are then kept.
    """
    store.replace_corpus(result_rows(result), documents_hash)


def _claim_row(claim: Claim, position: int) -> Row:
    """One ``claims`` row."""
    return {
        "id": claim.id,
        "story_id": claim.story,
        "position": position,
        "text": claim.text,
        "origin_doc": claim.origin.doc,
        "origin_outlet": claim.origin.outlet,
        "origin_published": claim.origin.published,
        "sources": list(claim.sources),
        "independent_sources": claim.independent_sources,
        "flags": list(claim.flags),
    }


def _mention_row(claim: str, position: int, mention: Mention) -> Row:
    """One ``claim_mentions`` row."""
    return {
        "claim_id": claim,
        "position": position,
        "doc_id": mention.doc,
        "attribution": mention.attribution,
        "assertion": mention.assertion,
        **_span_row(mention.span),
        "span_fragments": [list(f) for f in mention.span.fragments] or None,
        "speaker": mention.speaker.to_dict() if mention.speaker else None,
        "via": [r.to_dict() for r in mention.via],
        "outlet": mention.outlet,
        "published": mention.published,
    }


def _point_row(point: SeriesPoint) -> Row:
    """The point columns of one ``figure_points`` row."""
    return {
        "value": point.value,
        "qualifier": point.qualifier,
        "low": point.low,
        "high": point.high,
        "doc_id": point.doc,
        "published": point.published,
        "speaker": point.speaker,
        "outlet": point.outlet,
        **_span_row(point.span),
    }


def _span_row(span: Span) -> Row:
    """The span columns of a row."""
    return {"span_text": span.text, "span_start": span.start, "span_end": span.end}


def _span(row: Row) -> Span:
    """The span of a row."""
    fragments = tuple((int(s), int(e)) for s, e in row.get("span_fragments") or ())
    return Span(row["span_text"], row["span_start"], row["span_end"], fragments)


def read_stories(store: Store, story: str | None = None) -> tuple[Story, ...]:
    """The stored stories, in order (``sourcetrace stories``).

    Args:
        store: an open store.
        story: only this story id, when given.

    Returns:
        The stories with their documents, earliest first.
    """
    documents: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in store.corpus_rows("story_documents"):
        documents[row["story_id"]].append((row["position"], row["doc_id"]))
    rows = sorted(store.corpus_rows("stories"), key=lambda r: r["position"])
    return tuple(
        Story(r["id"], r["title"] or "", tuple(d for _, d in sorted(documents[r["id"]])))
        for r in rows
        if story is None or r["id"] == story
    )


def read_claims(store: Store, story: str | None = None) -> tuple[Claim, ...]:
    """The stored claims, story by story (``sourcetrace claims``).

    Args:
        store: an open store.
        story: only this story's claims, when given.

    Returns:
        The claims with their mentions and echoes.
    """
    order = {s.id: i for i, s in enumerate(read_stories(store))}
    rows = [r for r in store.corpus_rows("claims") if story is None or r["story_id"] == story]
    rows.sort(key=lambda r: (order.get(r["story_id"], len(order)), r["position"]))
    wanted = {r["id"] for r in rows}
    mentions: dict[str, list[tuple[int, Mention]]] = defaultdict(list)
    for row in store.corpus_rows("claim_mentions"):
        if row["claim_id"] in wanted:
            mentions[row["claim_id"]].append((row["position"], _mention(row)))
    echoes: dict[str, list[Echo]] = defaultdict(list)
    for row in store.corpus_rows("echoes"):
        if row["claim_id"] in wanted:
            echoes[row["claim_id"]].append(
                Echo(row["doc_id"], row["of_doc"], cast(EchoHow, row["how"]))
            )
    return tuple(
        Claim(
            id=r["id"],
            story=r["story_id"],
            text=r["text"],
            mentions=tuple(m for _, m in sorted(mentions[r["id"]], key=lambda p: p[0])),
            origin=Origin(r["origin_doc"], r["origin_outlet"], r["origin_published"]),
            sources=tuple(r["sources"]),
            independent_sources=r["independent_sources"],
            echoes=tuple(echoes[r["id"]]),
            flags=tuple(cast(ClaimFlag, f) for f in r["flags"]),
        )
        for r in rows
    )


def _mention(row: Row) -> Mention:
    """A mention from its ``claim_mentions`` row."""
    return Mention(
        doc=row["doc_id"],
        attribution=row["attribution"],
        assertion=row["assertion"],
        span=_span(row),
        speaker=speaker_from_dict(row["speaker"]) if row["speaker"] else None,
        via=tuple(relay_from_dict(r) for r in row["via"]),
        outlet=row["outlet"],
        published=row["published"],
    )


def read_series(store: Store, story: str | None = None) -> tuple[FigureSeries, ...]:
    """The stored figure series, story by story (``sourcetrace figures``).

    Args:
        store: an open store.
        story: only this story's series, when given.

    Returns:
        Each quantity's points in time order, with its conflicts.
    """
    points: dict[tuple[str, str], list[tuple[int, SeriesPoint]]] = defaultdict(list)
    for row in store.corpus_rows("figure_points"):
        if story is None or row["story_id"] == story:
            points[(row["story_id"], row["what"])].append((row["position"], _point(row)))
    conflicts: dict[tuple[str, str], list[tuple[int, Row]]] = defaultdict(list)
    for row in store.corpus_rows("figure_conflicts"):
        conflicts[(row["story_id"], row["what"])].append((row["position"], row))
    found = []
    for key, numbered in points.items():
        ordered = [p for _, p in sorted(numbered, key=lambda n: n[0])]
        clashes = tuple(
            Conflict(row["published"], tuple(ordered[i] for i in row["points"]))
            for _, row in sorted(conflicts[key], key=lambda n: n[0])
        )
        found.append(FigureSeries(key[0], key[1], tuple(ordered), clashes))
    return tuple(found)


def _point(row: Row) -> SeriesPoint:
    """A series point from its ``figure_points`` row."""
    return SeriesPoint(
        value=row["value"],
        qualifier=row["qualifier"],
        low=row["low"],
        high=row["high"],
        doc=row["doc_id"],
        published=row["published"],
        speaker=row["speaker"],
        outlet=row["outlet"],
        span=_span(row),
    )


def read_reuse(store: Store, story: str | None = None) -> tuple[ReusePair, ...]:
    """The stored text-reuse pairs (``sourcetrace reuse``).

    Args:
        store: an open store.
        story: only pairs whose copy is in this story, when given.

    Returns:
        Pairs of (copy, earlier document, share).
    """
    members = _members(store, story)
    return tuple(
        ReusePair(r["doc_id"], r["copies"], r["share"])
        for r in store.corpus_rows("reuse")
        if members is None or r["doc_id"] in members
    )


def read_outlet_edges(store: Store, story: str | None = None) -> tuple[OutletEdge, ...]:
    """The outlet graph of the stored corpus (``sourcetrace outlets``).

    Args:
        store: an open store.
        story: only the relays and copies within this story, when given.

    Returns:
        Edges from the stored ``cites`` echoes and reuse pairs (``corpus.graph.outlet_edges``).
    """
    members = _members(store, story)
    echoes = [
        Echo(r["doc_id"], r["of_doc"], cast(EchoHow, r["how"]))
        for r in store.corpus_rows("echoes")
        if members is None or r["doc_id"] in members
    ]
    outlets = dict(store.connection.execute("SELECT id, outlet FROM documents").fetchall())
    return outlet_edges(echoes, read_reuse(store, story), outlets)


def _members(store: Store, story: str | None) -> set[str] | None:
    """The document ids of ``story``; None for no filter."""
    if story is None:
        return None
    return {d for s in read_stories(store, story) for d in s.documents}


def as_dicts(records: Iterable[Any]) -> list[dict[str, Any]]:
    """Each record's ``to_dict()``: the JSON the corpus commands print."""
    return [r.to_dict() for r in records]
