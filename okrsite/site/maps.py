"""Alignment maps drawn at build time as SVG: objectives as linked nodes, edges by kind.

A layered drawing: each row is a list of objectives (wrapped after PER_LINE
nodes), `aligns_to` edges are solid arrows and `depends_on` edges dashed ones.
Every node is an SVG link, focusable with the keyboard, whose colour follows the
objective's status through CSS classes, so both palettes read well.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from markupsafe import Markup, escape

from ..analysis.align import Alignment, Edge
from ..analysis.facts import Facts
from ..content.model import Cycle, Document, Objective, Team
from .render import status_class
from .urls import document_uri


class MapSite(Protocol):
    """What the maps read of the site they are drawn for: its figures, its tree of teams and its links."""

    facts: Facts

    @property
    def alignment(self) -> Alignment: ...
    def tree(self) -> list[tuple[Team, int]]: ...
    def depth(self, team: Team) -> int: ...
    def subtree(self, team: Team) -> list[Team]: ...
    def cycle_documents(self, cycle: Cycle, teams: list[Team] | None = None) -> list[Document]: ...
    def href(self, page: str, target: str, anchor: str | None = None) -> str: ...


NODE_W, NODE_H = 176, 58
GAP_X, GAP_Y, MARGIN = 22, 46, 10
PER_LINE = 4
LINE_CHARS = 27


@dataclass(frozen=True)
class _Box:
    x: float
    y: float

    @property
    def centre(self) -> float:
        return self.x + NODE_W / 2


def draw_map(
    rows: Sequence[Sequence[Objective]],
    edges: Sequence[Edge],
    href: Callable[[Objective], str],
    status_class: Callable[[Objective], str],
    title: str,
    key: str,
) -> Markup:
    """The SVG of `rows` of objectives and the `edges` between those drawn; `key` makes marker ids unique."""
    boxes: dict[int, _Box] = {}
    order: list[Objective] = []
    y = MARGIN
    width = MARGIN * 2 + PER_LINE * NODE_W + (PER_LINE - 1) * GAP_X
    for row in rows:
        if not row:
            continue
        for start in range(0, len(row), PER_LINE):
            line = row[start : start + PER_LINE]
            offset = (width - len(line) * NODE_W - (len(line) - 1) * GAP_X) / 2
            for i, objective in enumerate(line):
                if id(objective) not in boxes:
                    boxes[id(objective)] = _Box(offset + i * (NODE_W + GAP_X), y)
                    order.append(objective)
            y += NODE_H + GAP_Y
    height = y - GAP_Y + MARGIN
    drawn = [e for e in edges if id(e.source) in boxes and id(e.target) in boxes and e.source is not e.target]
    parts = [
        f'<svg class="okr-map" width="{width}" height="{max(height, NODE_H)}" viewBox="0 0 {width} {max(height, NODE_H)}" '
        f'role="group" aria-label="{escape(title)}">',
        "<defs>",
        *(
            f'<marker id="{key}-{kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">'
            f'<path class="okr-arrow-{kind}" d="M0,0 L10,5 L0,10 z"/></marker>'
            for kind in ("aligns_to", "depends_on")
        ),
        "</defs>",
        *(_edge(edge, boxes[id(edge.source)], boxes[id(edge.target)], key) for edge in drawn),
        *(_node(o, boxes[id(o)], href(o), status_class(o)) for o in order),
        "</svg>",
    ]
    return Markup("".join(parts))


def _edge(edge: Edge, source: _Box, target: _Box, key: str) -> str:
    kind = "aligns_to" if edge.kind == "aligns_to" else "depends_on"
    if abs(source.y - target.y) < 1:  # same line: side to side
        left_to_right = source.x < target.x
        x1 = source.x + (NODE_W if left_to_right else 0)
        x2 = target.x + (0 if left_to_right else NODE_W)
        y1 = y2 = source.y + NODE_H / 2
        path = f"M{x1:.0f},{y1:.0f} C{(x1 + x2) / 2:.0f},{y1 - 30:.0f} {(x1 + x2) / 2:.0f},{y2 - 30:.0f} {x2:.0f},{y2:.0f}"
    else:
        down = source.y < target.y
        x1, x2 = source.centre, target.centre
        y1 = source.y + (NODE_H if down else 0)
        y2 = target.y + (0 if down else NODE_H)
        bend = (y2 - y1) / 2
        path = f"M{x1:.0f},{y1:.0f} C{x1:.0f},{y1 + bend:.0f} {x2:.0f},{y2 - bend:.0f} {x2:.0f},{y2:.0f}"
    label = "aligns to" if kind == "aligns_to" else "depends on"
    what = f"{edge.source.document.team.name}: {edge.source.title} {label} {edge.target.document.team.name}: {edge.target.title}"
    return f'<path class="okr-edge okr-edge-{kind}" d="{path}" marker-end="url(#{key}-{kind})"><title>{escape(what)}</title></path>'


def _node(objective: Objective, box: _Box, href: str, status: str) -> str:
    doc = objective.document
    lines = textwrap.wrap(objective.title, LINE_CHARS, max_lines=2, placeholder="…") or [""]
    team = f"{doc.team.name} · {doc.cycle.title}"
    text = "".join(f'<tspan x="{box.x + 8:.0f}" y="{box.y + 34 + 15 * i:.0f}">{escape(line)}</tspan>' for i, line in enumerate(lines))
    return (
        f'<a class="okr-node {status}" href="{escape(href)}">'
        f"<title>{escape(team)}: {escape(objective.title)}</title>"
        f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{NODE_W}" height="{NODE_H}" rx="6"/>'
        f'<text class="okr-node-team" x="{box.x + 8:.0f}" y="{box.y + 16:.0f}">{escape(textwrap.shorten(team, 30, placeholder="…"))}</text>'
        f'<text class="okr-node-title">{text}</text></a>'
    )


class AlignmentMaps:
    """The maps of one site: a team's neighbourhood, the top of the org, each department."""

    def __init__(self, site: MapSite) -> None:
        self.site = site

    def _draw(self, rows: list[list[Objective]], edges: list[Edge], page: str, title: str, key: str) -> Markup:
        return draw_map(
            rows,
            edges,
            lambda o: self.site.href(page, document_uri(o.document), f"objective-{o.id}"),
            lambda o: str(status_class(self.site.facts.objective(o).status)),
            title,
            key,
        )

    def neighbourhood(self, doc: Document, page: str) -> Markup | None:
        """This document's objectives, what they align to, what aligns to them, and dependencies both ways."""
        out, incoming = self.site.alignment.outgoing(doc), self.site.alignment.incoming(doc)
        if not out and not incoming:
            return None
        up = _unique(e.target for e in out if e.kind == "aligns_to" and e.target.document is not doc)
        down = _unique(e.source for e in incoming if e.kind == "aligns_to" and e.source.document is not doc)
        sideways = _unique(
            [e.target for e in out if e.kind == "depends_on" and e.target.document is not doc]
            + [e.source for e in incoming if e.kind == "depends_on" and e.source.document is not doc]
        )
        rows = [up, list(doc.objectives), down, [o for o in sideways if o not in up and o not in down]]
        title = f"Alignment of {doc.team.name} in {doc.cycle.title}"
        return self._draw(rows, out + incoming, page, title, f"n-{doc.team.id}-{doc.cycle.id}")

    def top(self, cycle: Cycle, page: str) -> Markup:
        """The root team(s) and the departments right under them."""
        top = [team for team, depth in self.site.tree() if depth <= 1]
        docs = self.site.cycle_documents(cycle, top)
        edges = [e for d in docs for e in self.site.alignment.outgoing(d)]
        rows = [[o for d in docs if self.site.depth(d.team) == level for o in d.objectives] for level in (0, 1)]
        return self._draw(rows, edges, page, f"Company and departments in {cycle.title}", f"top-{cycle.id}")

    def department(self, cycle: Cycle, department: Team, page: str) -> Markup:
        """One department's teams by level, under the objectives above it that they align to."""
        docs = self.site.cycle_documents(cycle, self.site.subtree(department))
        edges = [e for d in docs for e in self.site.alignment.outgoing(d)]
        inside = {id(d) for d in docs}
        above = _unique(e.target for e in edges if e.kind == "aligns_to" and id(e.target.document) not in inside)
        levels = sorted({self.site.depth(d.team) for d in docs})
        rows = [above] + [[o for d in docs if self.site.depth(d.team) == level for o in d.objectives] for level in levels]
        return self._draw(rows, edges, page, f"{department.name} in {cycle.title}", f"d-{department.id}-{cycle.id}")


T = TypeVar("T")


def _unique(items: Iterable[T]) -> list[T]:
    """Items in first-seen order, each once (by identity)."""
    seen: set[int] = set()
    out = []
    for item in items:
        if id(item) not in seen:
            seen.add(id(item))
            out.append(item)
    return out
