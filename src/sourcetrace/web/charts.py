"""Geometry of the story page's drawings: the echo graph and the figure timelines.

The templates turn these coordinates into inline SVG (no script, nothing loaded from
elsewhere). Layouts are deterministic: the same story always gives the same drawing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from ..corpus.records import FigureSeries, OutletEdge, SeriesPoint
from ..corpus.text import parse_published

GRAPH_WIDTH = 720
GRAPH_HEIGHT = 480
GRAPH_RADIUS = 170
"""The circle the outlets sit on; the margin left around it holds their names."""
NODE_RADIUS = 10
ARROW_GAP = 4
"""Space between an edge's arrowhead and the node it points at."""
TWIN_OFFSET = 7
"""How far apart the two edges of a pair of outlets that echo each other are drawn."""
LABEL_OFFSET = 10

CHART_WIDTH = 640
CHART_HEIGHT = 280
CHART_MARGIN = (56, 24, 56, 76)
"""Top, right, bottom, left margins of a timeline: room for labels, the axes and their ticks."""


@dataclass(frozen=True, slots=True)
class Node:
    """An outlet on the graph, with where its name goes."""

    name: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str


@dataclass(frozen=True, slots=True)
class Edge:
    """``edge.source`` relays or copies ``edge.target``: a line with an arrowhead at the target."""

    edge: OutletEdge
    x1: float
    y1: float
    x2: float
    y2: float
    label_x: float
    label_y: float

    @property
    def label(self) -> str:
        """What the edge counts, in words."""
        parts = [f"relays {self.edge.relays}"] if self.edge.relays else []
        parts += [f"copies {self.edge.copies}"] if self.edge.copies else []
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Graph:
    """The echo graph of a story."""

    width: int
    height: int
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


def echo_graph(outlets: Iterable[str], edges: Sequence[OutletEdge]) -> Graph:
    """Lay the outlets on a circle (in name order) and draw each edge between them.

    Args:
        outlets: the story's outlets (edge ends are added when missing).
        edges: the story's outlet edges.
    """
    names = sorted(set(outlets) | {e.source for e in edges} | {e.target for e in edges})
    cx, cy = GRAPH_WIDTH / 2, GRAPH_HEIGHT / 2
    places: dict[str, tuple[float, float]] = {}
    nodes = []
    for i, name in enumerate(names):
        angle = -math.pi / 2 + 2 * math.pi * i / max(len(names), 1)
        radius = GRAPH_RADIUS if len(names) > 1 else 0.0
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        places[name] = (x, y)
        dx, dy = math.cos(angle), math.sin(angle)
        anchor = "middle" if abs(dx) < 0.3 else ("start" if dx > 0 else "end")
        reach = NODE_RADIUS + LABEL_OFFSET
        nodes.append(Node(name, x, y, x + reach * dx, y + reach * dy + 4 + 6 * dy, anchor))
    pairs = {(e.source, e.target) for e in edges}
    drawn = [_edge(e, places, (e.target, e.source) in pairs) for e in edges]
    return Graph(GRAPH_WIDTH, GRAPH_HEIGHT, tuple(nodes), tuple(drawn))


def _edge(edge: OutletEdge, places: dict[str, tuple[float, float]], twin: bool) -> Edge:
    """An edge's line, stopped short of both nodes, moved aside when it has a twin."""
    (x1, y1), (x2, y2) = places[edge.source], places[edge.target]
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    nx, ny = -uy, ux
    shift = TWIN_OFFSET if twin else 0.0
    start = NODE_RADIUS + ARROW_GAP
    x1, y1 = x1 + ux * start + nx * shift, y1 + uy * start + ny * shift
    x2, y2 = x2 - ux * start + nx * shift, y2 - uy * start + ny * shift
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    return Edge(edge, x1, y1, x2, y2, mx + nx * LABEL_OFFSET, my + ny * LABEL_OFFSET + 4)


@dataclass(frozen=True, slots=True)
class Dot:
    """One or more points of a series drawn at the same place, labelled with their outlets."""

    x: float
    y: float
    label: str
    points: tuple[SeriesPoint, ...]


@dataclass(frozen=True, slots=True)
class ConflictMark:
    """A conflict: a band over the times of the clashing points and a label naming the values."""

    x: float
    low: float
    high: float
    label: str


@dataclass(frozen=True, slots=True)
class Tick:
    """An axis tick: where and what it says."""

    at: float
    label: str


@dataclass(frozen=True, slots=True)
class Timeline:
    """A figure series drawn as value over time."""

    series: FigureSeries
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    dots: tuple[Dot, ...]
    line: str
    conflicts: tuple[ConflictMark, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    undated: tuple[SeriesPoint, ...]


def timeline(series: FigureSeries) -> Timeline | None:
    """Place a series' dated points on time and value axes.

    Returns:
        The drawing, or None when fewer than two points are dated (nothing to draw over time).
    """
    dated = [(t, p) for p in series.points if (t := parse_published(p.published)) is not None]
    if len(dated) < 2:
        return None
    top, right, bottom, left = CHART_MARGIN
    x0, x1, y0, y1 = left, CHART_WIDTH - right, CHART_HEIGHT - bottom, top
    first, last = min(t for t, _ in dated), max(t for t, _ in dated)
    span = (last - first).total_seconds()
    high = max(max(_top(p) for _, p in dated), 0.0) or 1.0

    def x_of(when: datetime) -> float:
        if span == 0:
            return (x0 + x1) / 2
        return x0 + (x1 - x0) * (when - first).total_seconds() / span

    def y_of(value: float) -> float:
        return y0 - (y0 - y1) * value / high

    places: dict[tuple[float, float], list[SeriesPoint]] = {}
    for when, point in dated:
        places.setdefault((round(x_of(when), 1), round(y_of(point.value), 1)), []).append(point)
    dots = tuple(
        Dot(x, y, ", ".join(dict.fromkeys(p.outlet or p.doc for p in pts)), tuple(pts))
        for (x, y), pts in sorted(places.items())
    )
    line = " ".join(f"{x_of(t):.1f},{y_of(p.value):.1f}" for t, p in dated)
    marks = []
    for conflict in series.conflicts:
        xs = [x_of(t) for t, p in dated if p in conflict.points]
        if xs:
            values = " vs ".join(dict.fromkeys(number(p.value) for p in conflict.points))
            mid = sum(xs) / len(xs)
            marks.append(ConflictMark(mid, min(xs), max(xs), f"conflict: {values}"))
    x_ticks = (
        (Tick((x0 + x1) / 2, _when(first)),)
        if span == 0
        else (Tick(x0, _when(first)), Tick(x1, _when(last)))
    )
    y_ticks = tuple(Tick(y_of(v), number(v)) for v in (0.0, high / 2, high))
    undated = tuple(p for p in series.points if parse_published(p.published) is None)
    return Timeline(
        series, CHART_WIDTH, CHART_HEIGHT, x0, x1, y1, y0, dots, line, tuple(marks),
        x_ticks, y_ticks, undated,
    )  # fmt: skip


def _top(point: SeriesPoint) -> float:
    """The highest value a point reports."""
    return point.high if point.high is not None else point.value


def _when(moment: datetime) -> str:
    """A tick label for a time: day and minute, UTC."""
    return moment.strftime("%Y-%m-%d %H:%M")


def number(value: float) -> str:
    """A figure's value for people: thousands separated, no needless ``.0``."""
    return f"{value:,.0f}" if value == int(value) else f"{value:,.4g}"
