"""Views over a stored corpus for browsing: story summaries, outlet profiles, search.

These read the store (the documents, attributions and corpus tables, ``docs/store.md``)
and count; the web app's corpus pages show what they return and add nothing of their own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ..store import Store
from .records import OutletEdge, Story
from .tables import read_claims, read_outlet_edges, read_stories
from .timeline import outlet_key

SEARCH_LIMIT = 50
"""Hits of each kind a search returns: a page's worth; a narrower query finds the rest."""

_LIKE_ESCAPE = "\\"


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """A stored document's metadata, without its text or analysis."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None

    def to_dict(self) -> dict[str, Any]:
        """Serialise to JSON."""
        return {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
            "url": self.url,
        }


@dataclass(frozen=True, slots=True)
class StorySummary:
    """One story with what a list of stories shows about it.

    Attributes:
        story: the story.
        outlets: the distinct outlets of its documents, in document order.
        claims: how many claims the corpus step found in it.
        earliest: the earliest publication time among its documents, None when all undated.
    """

    story: Story
    outlets: tuple[str, ...]
    claims: int
    earliest: str | None


@dataclass(frozen=True, slots=True)
class OutletProfile:
    """How one outlet sources its stories, across the corpus.

    Attributes:
        name: the outlet's name as its documents give it.
        documents: its documents, in ingest order.
        relays: document pairs in which it relays (cites) another outlet's document.
        relayed_by: document pairs in which another outlet relays one of its documents.
        copies: document pairs in which it copies another outlet's text.
        copied_by: document pairs in which another outlet copies its text.
        origin_of: claims whose earliest document is one of its documents.
        claims_carried: claims with a mention in one of its documents.
        attributions: attributions in its documents with a resolved speaker.
        anonymous: of those, attributions to an anonymous speaker.
        edges: the outlet-graph edges it is an end of.
    """

    name: str
    documents: tuple[DocumentInfo, ...]
    relays: int
    relayed_by: int
    copies: int
    copied_by: int
    origin_of: int
    claims_carried: int
    attributions: int
    anonymous: int
    edges: tuple[OutletEdge, ...]

    @property
    def anonymous_share(self) -> float | None:
        """Share of its resolved attributions that are anonymous; None without any."""
        return self.anonymous / self.attributions if self.attributions else None


@dataclass(frozen=True, slots=True)
class SpeakerHit:
    """An attribution whose speaker matches a search."""

    speaker: str
    anonymous: bool
    doc: DocumentInfo
    content: str


@dataclass(frozen=True, slots=True)
class SearchResults:
    """What a search found, by kind, each at most ``SEARCH_LIMIT`` long."""

    query: str
    stories: tuple[Story, ...]
    outlets: tuple[str, ...]
    speakers: tuple[SpeakerHit, ...]
    documents: tuple[DocumentInfo, ...]

    @property
    def empty(self) -> bool:
        """True when nothing was found."""
        return not (self.stories or self.outlets or self.speakers or self.documents)


def document_infos(store: Store, ids: list[str] | None = None) -> dict[str, DocumentInfo]:
    """Metadata of stored documents, by id, in ingest order.

    Args:
        store: an open store.
        ids: only these documents; None for all.
    """
    rows = store.connection.execute(
        "SELECT id, title, outlet, published, url FROM documents ORDER BY seq"
    ).fetchall()
    wanted = None if ids is None else set(ids)
    return {
        r["id"]: DocumentInfo(r["id"], r["title"], r["outlet"], r["published"], r["url"])
        for r in rows
        if wanted is None or r["id"] in wanted
    }


def story_summaries(store: Store) -> tuple[StorySummary, ...]:
    """Every stored story with its outlets, claim count and earliest time, in story order."""
    infos = document_infos(store)
    claims: dict[str, int] = defaultdict(int)
    for row in store.connection.execute("SELECT story_id, COUNT(*) FROM claims GROUP BY story_id"):
        claims[row[0]] = int(row[1])
    summaries = []
    for story in read_stories(store):
        docs = [infos[d] for d in story.documents if d in infos]
        outlets = tuple(dict.fromkeys(d.outlet for d in docs if d.outlet))
        dates = [d.published for d in docs if d.published]
        summaries.append(StorySummary(story, outlets, claims[story.id], min(dates, default=None)))
    return tuple(summaries)


def outlet_profile(store: Store, name: str) -> OutletProfile | None:
    """How the outlet ``name`` relays, copies, originates and attributes.

    Args:
        store: an open store.
        name: the outlet, matched as the outlet graph matches outlets (``outlet_key``).

    Returns:
        The profile, or None when no stored document has this outlet.
    """
    key = outlet_key(name)
    docs = tuple(d for d in document_infos(store).values() if outlet_key(d.outlet) == key)
    if key is None or not docs:
        return None
    mine = {d.id for d in docs}
    edges = tuple(
        e for e in read_outlet_edges(store) if key in (outlet_key(e.source), outlet_key(e.target))
    )
    out = [e for e in edges if outlet_key(e.source) == key]
    into = [e for e in edges if outlet_key(e.target) == key]
    claims = read_claims(store)
    total, anonymous = _anonymity(store, mine)
    return OutletProfile(
        name=docs[0].outlet or name,
        documents=docs,
        relays=sum(e.relays for e in out),
        relayed_by=sum(e.relays for e in into),
        copies=sum(e.copies for e in out),
        copied_by=sum(e.copies for e in into),
        origin_of=sum(c.origin.doc in mine for c in claims),
        claims_carried=sum(any(m.doc in mine for m in c.mentions) for c in claims),
        attributions=total,
        anonymous=anonymous,
        edges=edges,
    )


def _anonymity(store: Store, docs: set[str]) -> tuple[int, int]:
    """Attributions with a resolved speaker in ``docs``, and how many are anonymous."""
    total = anonymous = 0
    for row in store.connection.execute(
        "SELECT doc_id, speaker_anonymous FROM attributions WHERE speaker_anonymous IS NOT NULL"
    ):
        if row[0] in docs:
            total += 1
            anonymous += bool(row[1])
    return total, anonymous


def search(store: Store, query: str, limit: int = SEARCH_LIMIT) -> SearchResults:
    """Find stories, outlets, speakers and documents whose words contain ``query``.

    Case-insensitive substring match (SQL ``LIKE``) over story titles, outlet names,
    speaker names and descriptions, and document titles and texts.

    Args:
        store: an open store.
        query: the words to find; blank finds nothing.
        limit: at most this many hits of each kind.
    """
    text = " ".join(query.split())
    if not text:
        return SearchResults(text, (), (), (), ())
    pattern = "%" + _escape(text) + "%"
    conn = store.connection
    like = f"LIKE ? ESCAPE '{_LIKE_ESCAPE}'"
    story_ids = {
        r[0] for r in conn.execute(f"SELECT id FROM stories WHERE title {like}", (pattern,))
    }
    stories = tuple(s for s in read_stories(store) if s.id in story_ids)[:limit]
    outlets = tuple(
        r[0]
        for r in conn.execute(
            f"SELECT DISTINCT outlet FROM documents WHERE outlet {like} ORDER BY outlet LIMIT ?",
            (pattern, limit),
        )
    )
    infos = document_infos(store)
    speakers = tuple(
        SpeakerHit(
            r["speaker_name"] or r["speaker_description"] or r["source_text"] or "",
            bool(r["speaker_anonymous"]),
            infos[r["doc_id"]],
            r["content_text"],
        )
        for r in conn.execute(
            "SELECT a.doc_id, a.speaker_name, a.speaker_description, a.speaker_anonymous,"
            " a.source_text, a.content_text FROM attributions a JOIN documents d"
            f" ON d.id = a.doc_id WHERE a.speaker_name {like} OR a.speaker_description {like}"
            " OR a.source_text " + like + " ORDER BY d.seq, a.position LIMIT ?",
            (pattern, pattern, pattern, limit),
        )
    )
    documents = tuple(
        infos[r[0]]
        for r in conn.execute(
            f"SELECT id FROM documents WHERE title {like} OR text {like} ORDER BY seq LIMIT ?",
            (pattern, pattern, limit),
        )
    )
    return SearchResults(text, stories, outlets, speakers, documents)


def _escape(text: str) -> str:
    """``text`` with LIKE's wildcards taken literally."""
    for char in (_LIKE_ESCAPE, "%", "_"):
        text = text.replace(char, _LIKE_ESCAPE + char)
    return text
