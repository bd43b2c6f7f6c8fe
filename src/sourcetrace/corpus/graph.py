"""The outlet graph: which outlet relays (cites) or copies which, with counts.

An edge ``source -> target`` counts the distinct document pairs in which a ``source``
document echoes a ``target`` document: ``relays`` from claim echoes that cite it, ``copies``
from text-reuse pairs. Documents without an outlet, and an outlet echoing itself (an update
of its own story), make no edge.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from .records import Echo, OutletEdge, ReusePair
from .timeline import outlet_key

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_KEYS = (
    ("label", "node", "label", "string"),
    ("relays", "edge", "relays", "int"),
    ("copies", "edge", "copies", "int"),
)
"""GraphML ``<key>`` declarations: id, domain, attribute name, attribute type."""


def outlet_edges(
    echoes: Iterable[Echo], reuse: Iterable[ReusePair], outlets: Mapping[str, str | None]
) -> tuple[OutletEdge, ...]:
    """Count, per pair of outlets, the documents of one that relay or copy the other's.

    Args:
        echoes: claim echoes (only ``cites`` ones are counted: copies come from ``reuse``).
        reuse: text-reuse pairs.
        outlets: each document's outlet, by document id.

    Returns:
        Edges sorted by total count (highest first), then by outlet names.
    """
    names: dict[str, str] = {}
    pairs: dict[tuple[str, str], dict[str, set[tuple[str, str]]]] = defaultdict(
        lambda: {"relays": set(), "copies": set()}
    )

    def add(doc: str, of: str, kind: str) -> None:
        ends = [_outlet(outlets.get(d), names) for d in (doc, of)]
        if ends[0] is not None and ends[1] is not None and ends[0] != ends[1]:
            pairs[(ends[0], ends[1])][kind].add((doc, of))

    for echo in echoes:
        if echo.how == "cites":
            add(echo.doc, echo.of, "relays")
    for pair in reuse:
        add(pair.doc, pair.copies, "copies")
    edges = [
        OutletEdge(names[s], names[t], len(found["relays"]), len(found["copies"]))
        for (s, t), found in pairs.items()
    ]
    edges.sort(key=lambda e: (-(e.relays + e.copies), e.source, e.target))
    return tuple(edges)


def _outlet(name: str | None, names: dict[str, str]) -> str | None:
    """The key of an outlet name, remembering the first spelling seen for display."""
    key = outlet_key(name)
    if key is not None and name is not None:
        names.setdefault(key, name.strip())
    return key


def to_json(edges: Iterable[OutletEdge]) -> dict[str, Any]:
    """The graph as JSON: ``nodes`` (outlet names) and ``edges`` (``OutletEdge.to_dict``).

    Args:
        edges: the outlet edges.

    Returns:
        ``{"nodes": [{"id": name}, ...], "edges": [{"source", "target", "relays", "copies"}]}``.
    """
    edges = list(edges)
    return {
        "nodes": [{"id": name} for name in _nodes(edges)],
        "edges": [e.to_dict() for e in edges],
    }


def to_graphml(edges: Iterable[OutletEdge]) -> str:
    """The graph as GraphML: a directed graph, outlets as nodes, counts as edge data.

    Args:
        edges: the outlet edges.

    Returns:
        A GraphML document (UTF-8 XML declaration included) that graph tools such as
        Gephi, yEd and networkx read.
    """
    edges = list(edges)
    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
    for key, target, name, kind in _KEYS:
        ET.SubElement(
            root,
            f"{{{GRAPHML_NS}}}key",
            {"id": key, "for": target, "attr.name": name, "attr.type": kind},
        )
    graph = ET.SubElement(
        root, f"{{{GRAPHML_NS}}}graph", {"id": "outlets", "edgedefault": "directed"}
    )
    ids = {name: f"n{i}" for i, name in enumerate(_nodes(edges))}
    for name, node_id in ids.items():
        node = ET.SubElement(graph, f"{{{GRAPHML_NS}}}node", {"id": node_id})
        ET.SubElement(node, f"{{{GRAPHML_NS}}}data", {"key": "label"}).text = name
    for i, edge in enumerate(edges):
        element = ET.SubElement(
            graph,
            f"{{{GRAPHML_NS}}}edge",
            {"id": f"e{i}", "source": ids[edge.source], "target": ids[edge.target]},
        )
        for key, count in (("relays", edge.relays), ("copies", edge.copies)):
            ET.SubElement(element, f"{{{GRAPHML_NS}}}data", {"key": key}).text = str(count)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _nodes(edges: Iterable[OutletEdge]) -> list[str]:
    """Every outlet on an edge, sorted."""
    return sorted({name for e in edges for name in (e.source, e.target)})
