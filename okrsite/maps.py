"""Alignment maps drawn at build time as SVG: objectives as linked nodes, edges by kind.

A layered drawing: each row is a list of objectives (wrapped after PER_LINE
nodes), `aligns_to` edges are solid arrows and `depends_on` edges dashed ones.
Every node is an SVG link, focusable with the keyboard, whose colour follows the
objective's status through CSS classes, so both palettes read well.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from .align import Edge
from .model import Objective

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
