"""Where an alignment map puts its boxes and how its edges run between them: geometry only, no SVG, no objectives.

A layered drawing (Sugiyama's method, kept short). Each level is ordered by the
barycentre of the boxes it connects to, in a few sweeps down and up, which
removes most crossings; a wide level wraps into lines; an edge that crosses a
line it does not end in runs through a slot kept free between that line's boxes.
Edges leave and enter boxes at their top and bottom, each at a port of its own
along the side, curve only in the gaps between lines and run straight inside a
line (below their own box, or in their slot): so no edge passes across a box it
does not connect, and no two edges share a path, even between the same boxes.
Each sweep sorts each level once, so a map of n boxes costs O(n log n) a sweep.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

GAP_X, GAP_Y, SLOT_GAP, MARGIN = 24, 56, 10, 10
ARC = 36
"""How far an edge between two boxes of one line bulges above it (its curve peaks at three quarters of this)."""
PER_LINE = 4
"""Boxes a level keeps on one line before it wraps; a level of n boxes takes about √n a line, so its lines stay few."""
SWEEPS = 4

Point = tuple[float, float]
Size = tuple[float, float]


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    boxes: list[Box]
    """By node number."""
    routes: list[str]
    """By link number: SVG path data from the source's box to the target's."""


@dataclass
class _Item:
    """A box or a free slot in a line, at `want` (its desired centre) until the line is packed."""

    node: int | None
    w: float
    want: float
    x: float = 0.0


def lay_out(levels: Sequence[Sequence[Size]], links: Sequence[tuple[int, int]]) -> Layout:
    """Boxes of these sizes by level (numbered in reading order) and the routes of `links` (source, target), which differ."""
    sizes = [size for level in levels for size in level]
    level_of = [k for k, level in enumerate(levels) for _ in level]
    numbered, first = [], 0
    for level in levels:
        if level:
            numbered.append(list(range(first, first + len(level))))
        first += len(level)
    lines = [line for level in _order(numbered, level_of, links) for line in _wrap(level)]
    line_of = [0] * len(sizes)
    for k, line in enumerate(lines):
        for node in line:
            line_of[node] = k
    items = [[_Item(node, sizes[node][0], 0.0) for node in line] for line in lines]
    _centre(items)
    slots = _slots(items, links, line_of)
    for row in items:
        _pack(row)
    shift = MARGIN - min(row[0].x for row in items) if items else 0.0
    heights = [max(sizes[node][1] for node in line) for line in lines]
    arcs_on_top = any(line_of[source] == line_of[target] == 0 for source, target in links)
    tops: list[float] = []
    y = float(MARGIN + (ARC if arcs_on_top else 0))
    for height in heights:
        tops.append(y)
        y += height + GAP_Y
    boxes = [Box(0, 0, 0, 0)] * len(sizes)
    for k, row in enumerate(items):
        for item in row:
            item.x += shift
            if item.node is not None:
                boxes[item.node] = Box(item.x, tops[k], item.w, sizes[item.node][1])
    width = max((item.x + item.w for row in items for item in row), default=0.0) + MARGIN
    height = y - GAP_Y + MARGIN if lines else 2 * MARGIN
    ports = _ports(boxes, links, line_of, slots)
    routes = [_route(e, link, boxes, line_of, slots, ports, tops, heights) for e, link in enumerate(links)]
    return Layout(width, height, boxes, routes)


def _order(levels: list[list[int]], level_of: list[int], links: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Each level sorted by the mean place of its neighbours in the levels already sorted, sweeping down then up."""
    neighbours: list[list[int]] = [[] for _ in level_of]
    for source, target in links:
        if level_of[source] != level_of[target]:
            neighbours[source].append(target)
            neighbours[target].append(source)
    place = [0.0] * len(level_of)

    def settle(level: list[int]) -> None:
        for i, node in enumerate(level):
            place[node] = (i + 0.5) / len(level)

    for level in levels:
        settle(level)
    for sweep in range(SWEEPS):
        down = sweep % 2 == 0
        for k in range(1, len(levels)) if down else range(len(levels) - 2, -1, -1):
            here = level_of[levels[k][0]]
            keys = {node: _mean([place[m] for m in neighbours[node] if (level_of[m] < here) == down], place[node]) for node in levels[k]}
            levels[k] = sorted(levels[k], key=keys.__getitem__)
            settle(levels[k])
    return levels


def _wrap(level: list[int]) -> list[list[int]]:
    per_line = max(PER_LINE, math.ceil(math.sqrt(len(level))))
    size = math.ceil(len(level) / math.ceil(len(level) / per_line))
    return [level[i : i + size] for i in range(0, len(level), size)]


def _centre(items: list[list[_Item]]) -> None:
    """Each line's boxes side by side, the lines centred on each other."""
    widths = [sum(item.w for item in line) + GAP_X * (len(line) - 1) for line in items]
    inner = max(widths, default=0.0)
    for line, width in zip(items, widths, strict=True):
        x = (inner - width) / 2
        for item in line:
            item.want = x + item.w / 2
            x += item.w + GAP_X


def _slots(items: list[list[_Item]], links: Sequence[tuple[int, int]], line_of: list[int]) -> list[list[_Item]]:
    """For each link, a free slot in every line between its ends, where the straight line between them crosses it."""
    centre = {item.node: item.want for line in items for item in line}
    slots: list[list[_Item]] = []
    for link in links:
        upper, lower = sorted(link, key=lambda node: line_of[node])
        a, b = line_of[upper], line_of[lower]
        mine = []
        for k in range(a + 1, b):
            slot = _Item(None, 0.0, centre[upper] + (centre[lower] - centre[upper]) * (k - a) / (b - a))
            items[k].append(slot)
            mine.append(slot)
        slots.append(mine)
    return slots


def _pack(line: list[_Item]) -> None:
    """Items in the order of where they want to be, each as near there as the ones before it leave room for."""
    line.sort(key=lambda item: item.want)
    right, previous = -math.inf, None
    for item in line:
        if previous is not None:
            right += _gap(previous, item)
        item.x = max(item.want - item.w / 2, right)
        right, previous = item.x + item.w, item


def _gap(left: _Item, right: _Item) -> float:
    """Boxes keep GAP_X apart, a slot half of it from a box, slots SLOT_GAP from each other."""
    if left.node is None and right.node is None:
        return SLOT_GAP
    return GAP_X if left.node is not None and right.node is not None else GAP_X / 2


def _mean(values: list[float], otherwise: float) -> float:
    return sum(values) / len(values) if values else otherwise


def _ends(link: tuple[int, int], line_of: list[int]) -> tuple[int, int]:
    """The link's ends, the upper one first (the source first within one line)."""
    source, target = link
    return (target, source) if line_of[target] < line_of[source] else (source, target)


def _ports(
    boxes: list[Box], links: Sequence[tuple[int, int]], line_of: list[int], slots: list[list[_Item]]
) -> dict[tuple[int, int], float]:
    """The x where each link meets each of its boxes, (link, node) -> x: spread along the side, in the order of where they go."""
    sides: dict[tuple[int, str], list[tuple[float, int]]] = {}
    for e, link in enumerate(links):
        upper, lower = _ends(link, line_of)
        towards_lower = slots[e][0].x if slots[e] else boxes[lower].x + boxes[lower].w / 2
        towards_upper = slots[e][-1].x if slots[e] else boxes[upper].x + boxes[upper].w / 2
        same_line = line_of[upper] == line_of[lower]
        sides.setdefault((upper, "top" if same_line else "bottom"), []).append((towards_lower, e))
        sides.setdefault((lower, "top"), []).append((towards_upper, e))
    ports = {}
    for (node, _), ends in sides.items():
        box = boxes[node]
        for i, (_, e) in enumerate(sorted(ends)):
            ports[e, node] = box.x + box.w * (i + 1) / (len(ends) + 1)
    return ports


def _route(
    e: int,
    link: tuple[int, int],
    boxes: list[Box],
    line_of: list[int],
    slots: list[list[_Item]],
    ports: dict[tuple[int, int], float],
    tops: list[float],
    heights: list[float],
) -> str:
    upper, lower = _ends(link, line_of)
    a, b = line_of[upper], line_of[lower]
    start: Point = (ports[e, upper], boxes[upper].y + (0 if a == b else boxes[upper].h))
    end: Point = (ports[e, lower], tops[b])
    if a == b:
        peak = tops[a] - ARC
        return _path([(start, (start[0], peak), (end[0], peak), end)])
    segments: list[tuple[Point, ...]] = []
    here = start
    if tops[a] + heights[a] - here[1] > 0.5:  # down to the line's bottom, below its own box
        segments.append((here, (here[0], tops[a] + heights[a])))
        here = segments[-1][-1]
    for k, slot in zip(range(a + 1, b), slots[e], strict=True):
        segments.append(_curve(here, (slot.x, tops[k])))
        segments.append(((slot.x, tops[k]), (slot.x, tops[k] + heights[k])))
        here = segments[-1][-1]
    segments.append(_curve(here, end))
    if link[0] != upper:
        segments = [tuple(reversed(segment)) for segment in reversed(segments)]
    return _path(segments)


def _curve(start: Point, end: Point) -> tuple[Point, ...]:
    """A curve leaving and arriving upright, within the gap between its two ends' heights."""
    middle = (start[1] + end[1]) / 2
    return (start, (start[0], middle), (end[0], middle), end)


def _path(segments: list[tuple[Point, ...]]) -> str:
    """SVG path data of joined segments, in whole pixels: two points an upright line, four a cubic curve."""
    parts = [f"M{_xy(segments[0][0])}"]
    for segment in segments:
        parts.append(f"V{segment[1][1]:.0f}" if len(segment) == 2 else "C" + " ".join(_xy(p) for p in segment[1:]))
    return " ".join(parts)


def _xy(point: Point) -> str:
    return f"{point[0]:.0f},{point[1]:.0f}"
