"""Alignment maps drawn at build time as SVG: objectives as linked boxes, edges by kind.

Each box shows its team and its objective's title in full, on as many lines as
they take, at the size the page prints text (the map is never scaled down to fit
a column: its block scrolls, see `partials/map.md`). Where boxes and edges go is
`map_layout`'s job. `aligns_to` edges are solid arrows, `depends_on` edges dashed
ones, and a broken dependency (`Alignment.broken`) is red, thicker and starts at a
dot. Every box is an SVG link, focusable with the keyboard, named by the
objective, its team and its status; colours follow the status through CSS
classes, so both palettes read well.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from markupsafe import Markup, escape

from ..analysis.align import Alignment, Edge
from ..analysis.facts import Facts
from ..analysis.score import Status
from ..content.model import Cycle, Document, Objective, Team
from .map_layout import Box, Layout, Size, lay_out
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


NODE_W, PAD = 200, 10
TEAM_LINE, TITLE_LINE, TITLE_GAP = 16, 18, 4
"""Line heights of the team and title text (12 px and 13 px in okrsite.css) and the space between them."""
TEAM_CHARS, TITLE_CHARS = 28, 26
"""Characters of each that fill a line of a NODE_W box; a longer word widens its box rather than being cut."""


@dataclass(frozen=True)
class Map:
    """A drawn map and its name, for `partials/map.md`."""

    title: str
    svg: Markup


@dataclass(frozen=True)
class _Label:
    team: tuple[str, ...]
    title: tuple[str, ...]

    @classmethod
    def of(cls, objective: Objective) -> _Label:
        doc = objective.document
        return cls(_wrap(f"{doc.team.name} · {doc.cycle.title}", TEAM_CHARS), _wrap(objective.title, TITLE_CHARS))

    @property
    def size(self) -> tuple[float, float]:
        widest = max(max(len(line) for line in self.team) / TEAM_CHARS, max(len(line) for line in self.title) / TITLE_CHARS, 1.0)
        return 2 * PAD + (NODE_W - 2 * PAD) * widest, 2 * PAD + len(self.team) * TEAM_LINE + TITLE_GAP + len(self.title) * TITLE_LINE


@functools.lru_cache(maxsize=8192)
def _wrap(text: str, width: int) -> tuple[str, ...]:
    """Every word of `text`, on lines of about `width` characters: a word is never cut, nor the text.

    Remembered, as `_laid_out` is: under `serve`, the maps drawn again after an edit show the same labels."""
    return tuple(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or ("",)


@functools.lru_cache(maxsize=1024)
def _laid_out(levels: tuple[tuple[Size, ...], ...], links: tuple[tuple[int, int], ...]) -> Layout:
    """`lay_out`, remembered for the process: an edit under `serve` (a check-in, say) draws maps again whose boxes and
    edges stay as they were, only coloured otherwise."""
    return lay_out(levels, links)


def draw_map(
    rows: Sequence[Sequence[Objective]],
    edges: Sequence[Edge],
    href: Callable[[Objective], str],
    status: Callable[[Objective], Status],
    broken: Callable[[Edge], str | None],
    title: str,
    key: str,
) -> Markup:
    """The SVG of `rows` of objectives and the `edges` between those drawn; `broken` says why a dependency is broken.

    `key` makes marker ids unique on the page.
    """
    placed: dict[int, int] = {}
    order: list[Objective] = []
    levels: list[tuple[Size, ...]] = []
    labels: list[_Label] = []
    for row in rows:
        level = []
        for objective in row:
            if id(objective) not in placed:
                placed[id(objective)] = len(order)
                order.append(objective)
                labels.append(_Label.of(objective))
                level.append(labels[-1].size)
        levels.append(tuple(level))
    drawn = [e for e in edges if id(e.source) in placed and id(e.target) in placed and e.source is not e.target]
    problems = [broken(e) for e in drawn]
    painted = sorted(range(len(drawn)), key=lambda i: (problems[i] is not None, drawn[i].kind == "depends_on"))  # broken ones on top
    drawn, problems = [drawn[i] for i in painted], [problems[i] for i in painted]
    layout = _laid_out(tuple(levels), tuple((placed[id(e.source)], placed[id(e.target)]) for e in drawn))
    width, height = f"{layout.width:.0f}", f"{layout.height:.0f}"
    parts = [
        f'<svg class="okr-map" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="group" aria-label="{escape(title)}">',
        _markers(key),
        *(_edge(edge, route, problem, key) for edge, route, problem in zip(drawn, layout.routes, problems, strict=True)),
        *(_node(o, label, box, href(o), status(o)) for o, label, box in zip(order, labels, layout.boxes, strict=True)),
        "</svg>",
    ]
    return Markup("".join(parts))


def _markers(key: str) -> str:
    """Arrowheads of each kind of edge, and the dot a broken dependency starts at, sized in pixels whatever the stroke."""
    arrows = "".join(
        f'<marker id="{key}-{kind}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" '
        f'markerWidth="{size}" markerHeight="{size}" orient="auto"><path class="okr-arrow-{kind}" d="M0,0 L10,5 L0,10 z"/></marker>'
        for kind, size in (("aligns_to", 10), ("depends_on", 10), ("broken", 13))
    )
    dot = (
        f'<marker id="{key}-broken-start" viewBox="0 0 10 10" refX="5" refY="5" markerUnits="userSpaceOnUse" markerWidth="8" '
        'markerHeight="8"><circle class="okr-arrow-broken" cx="5" cy="5" r="5"/></marker>'
    )
    return f"<defs>{arrows}{dot}</defs>"


def _edge(edge: Edge, route: str, problem: str | None, key: str) -> str:
    kind = "aligns_to" if edge.kind == "aligns_to" else "depends_on"
    label = "aligns to" if kind == "aligns_to" else "depends on"
    what = f"{edge.source.document.team.name}: {edge.source.title} {label} {edge.target.document.team.name}: {edge.target.title}"
    if problem is not None:
        return (
            f'<path class="okr-edge okr-edge-{kind} okr-edge-broken" d="{route}" marker-start="url(#{key}-broken-start)" '
            f'marker-end="url(#{key}-broken)"><title>{escape(what)} (broken: {escape(problem)})</title></path>'
        )
    return f'<path class="okr-edge okr-edge-{kind}" d="{route}" marker-end="url(#{key}-{kind})"><title>{escape(what)}</title></path>'


def _node(objective: Objective, label: _Label, box: Box, href: str, status: Status) -> str:
    doc = objective.document
    team = _tspans(label.team, box.x + PAD, box.y + PAD + 12, TEAM_LINE)
    title = _tspans(label.title, box.x + PAD, box.y + PAD + len(label.team) * TEAM_LINE + TITLE_GAP + 13, TITLE_LINE)
    return (
        f'<a class="okr-node {status_class(status)}" href="{escape(href)}">'
        f"<title>{escape(doc.team.name)} · {escape(doc.cycle.title)}: {escape(objective.title)} ({escape(str(status))})</title>"
        f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{box.w:.0f}" height="{box.h:.0f}" rx="6"/>'
        f'<text class="okr-node-team">{team}</text><text class="okr-node-title">{title}</text></a>'
    )


def _tspans(lines: Sequence[str], x: float, baseline: float, step: int) -> str:
    """One tspan a line; each but the last ends in a space, so the text reads (and is found) as it was written."""
    return "".join(
        f'<tspan x="{x:.0f}" y="{baseline + step * i:.0f}">{escape(line)}{" " if i < len(lines) - 1 else ""}</tspan>'
        for i, line in enumerate(lines)
    )


class AlignmentMaps:
    """The maps of one site: a team's neighbourhood, the top of the org, each department."""

    def __init__(self, site: MapSite) -> None:
        self.site = site

    def _draw(self, rows: list[list[Objective]], edges: list[Edge], page: str, title: str, key: str) -> Map:
        svg = draw_map(
            rows,
            edges,
            lambda o: self.site.href(page, document_uri(o.document), f"objective-{o.id}"),
            lambda o: self.site.facts.objective(o).status,
            lambda e: conflict.message if (conflict := self.site.alignment.broken(e)) else None,
            title,
            key,
        )
        return Map(title, svg)

    def neighbourhood(self, doc: Document, page: str) -> Map | None:
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

    def top(self, cycle: Cycle, page: str) -> Map:
        """The root team(s) and the departments right under them."""
        top = [team for team, depth in self.site.tree() if depth <= 1]
        docs = self.site.cycle_documents(cycle, top)
        edges = [e for d in docs for e in self.site.alignment.outgoing(d)]
        rows = [[o for d in docs if self.site.depth(d.team) == level for o in d.objectives] for level in (0, 1)]
        return self._draw(rows, edges, page, f"Company and departments in {cycle.title}", f"top-{cycle.id}")

    def department(self, cycle: Cycle, department: Team, page: str) -> Map:
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
