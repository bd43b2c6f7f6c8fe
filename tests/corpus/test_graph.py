"""The outlet graph: who relays or copies whom, as JSON and GraphML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from sourcetrace.corpus.graph import GRAPHML_NS, outlet_edges, to_graphml, to_json
from sourcetrace.corpus.records import Echo, OutletEdge, ReusePair

OUTLETS = {
    "w1": "Coastline Wire",
    "w2": "Valley Times",
    "w3": "Harbor Post",
    "w4": "Valley Times",
    "h1": "Harbor Post",
    "e1": "Evening Ledger",
    "e2": "evening ledger",
    "x1": None,
}


@pytest.mark.parametrize(
    ("echoes", "reuse", "expected"),
    [
        # Two copies of a wire story by one outlet, one by another: counts per document pair.
        (
            [],
            [ReusePair("w2", "w1", 0.9), ReusePair("w4", "w1", 0.8), ReusePair("w3", "w1", 0.95)],
            {("Valley Times", "Coastline Wire", 0, 2), ("Harbor Post", "Coastline Wire", 0, 1)},
        ),
        # Relays: the same document pair echoing in two claims counts once; spellings merge.
        (
            [Echo("e1", "h1", "cites"), Echo("e1", "h1", "cites"), Echo("e2", "h1", "cites")],
            [],
            {("Evening Ledger", "Harbor Post", 2, 0)},
        ),
        # Copies come from reuse pairs only, not from copies-echoes (no double count).
        (
            [Echo("w2", "w1", "copies"), Echo("e1", "w1", "cites")],
            [ReusePair("w2", "w1", 0.9)],
            {("Valley Times", "Coastline Wire", 0, 1), ("Evening Ledger", "Coastline Wire", 1, 0)},
        ),
        # No edge to or from a document without an outlet, nor from an outlet to itself.
        (
            [Echo("x1", "h1", "cites"), Echo("w3", "h1", "cites")],
            [ReusePair("w4", "w2", 0.9)],
            set(),
        ),
    ],
)
def test_outlet_edges_count_document_pairs(
    echoes: list[Echo], reuse: list[ReusePair], expected: set[tuple[str, str, int, int]]
) -> None:
    edges = outlet_edges(echoes, reuse, OUTLETS)
    assert {(e.source, e.target, e.relays, e.copies) for e in edges} == expected


EDGES = (
    OutletEdge("Valley Times", "Coastline Wire", 0, 2),
    OutletEdge("Evening Ledger", "Harbor Post", 3, 1),
    OutletEdge("Harbor Post", "Coastline Wire", 1, 0),
)


def test_json_lists_nodes_and_edges() -> None:
    data = json.loads(json.dumps(to_json(EDGES)))
    assert [n["id"] for n in data["nodes"]] == [
        "Coastline Wire",
        "Evening Ledger",
        "Harbor Post",
        "Valley Times",
    ]
    assert data["edges"][1] == {
        "source": "Evening Ledger",
        "target": "Harbor Post",
        "relays": 3,
        "copies": 1,
    }


@pytest.mark.parametrize("edges", [EDGES, ()])
def test_graphml_parses_and_round_trips(edges: tuple[OutletEdge, ...]) -> None:
    text = to_graphml(edges)
    assert text.startswith("<?xml")
    root = ET.fromstring(text)
    ns = {"g": GRAPHML_NS}
    assert root.tag == f"{{{GRAPHML_NS}}}graphml"
    keys = {k.get("id"): (k.get("for"), k.get("attr.type")) for k in root.findall("g:key", ns)}
    assert keys == {
        "label": ("node", "string"),
        "relays": ("edge", "int"),
        "copies": ("edge", "int"),
    }
    graph = root.find("g:graph", ns)
    assert graph is not None and graph.get("edgedefault") == "directed"
    labels = {
        n.get("id"): n.findtext("g:data[@key='label']", namespaces=ns)
        for n in graph.findall("g:node", ns)
    }
    found = set()
    for edge in graph.findall("g:edge", ns):
        counts = {d.get("key"): int(d.text or "") for d in edge.findall("g:data", ns)}
        found.add(
            (
                labels[edge.get("source")],
                labels[edge.get("target")],
                counts["relays"],
                counts["copies"],
            )
        )
    assert found == {(e.source, e.target, e.relays, e.copies) for e in edges}
    assert len(labels) == len({n for e in edges for n in (e.source, e.target)})
