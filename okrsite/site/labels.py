"""Where the text of a chart goes: each label at the first of its candidate places that overlaps no other label and no line.

Charts are drawn at build time, with no font at hand, so a text's width is estimated from its characters:
generously, so that a real font's narrower text never collides where the estimate did not.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from markupsafe import escape

FONT = 13.0
"""The size of chart text, in units of the drawing; a chart is drawn at one unit to the CSS pixel."""
SMALLEST = 11.0
"""The smallest text a reader gets, in CSS pixels: a chart never shrinks below SMALLEST / FONT of its size."""
EM = 0.6
"""The estimated width of a character, in em: above the mean of the sans-serif fonts of themes, digits included."""
GAP = 2.0
"""The room kept free around a label."""

Anchor = Literal["start", "middle", "end"]


def text_width(text: str) -> float:
    return len(text) * FONT * EM


def n(value: float) -> str:
    """A coordinate, to a tenth."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def grown(self, by: float) -> Box:
        return Box(self.left - by, self.top - by, self.right + by, self.bottom + by)

    def overlaps(self, other: Box) -> bool:
        return self.left < other.right and other.left < self.right and self.top < other.bottom and other.top < self.bottom

    def within(self, other: Box) -> bool:
        return other.left <= self.left and self.right <= other.right and other.top <= self.top and self.bottom <= other.bottom

    def crosses(self, a: tuple[float, float], b: tuple[float, float]) -> bool:
        """Whether the segment from `a` to `b` passes through the box (Liang-Barsky clipping)."""
        (x0, y0), (dx, dy) = a, (b[0] - a[0], b[1] - a[1])
        low, high = 0.0, 1.0
        for p, q in ((-dx, x0 - self.left), (dx, self.right - x0), (-dy, y0 - self.top), (dy, self.bottom - y0)):
            if p == 0:
                if q <= 0:
                    return False
                continue
            t = q / p
            if p < 0:
                low = max(low, t)
            else:
                high = min(high, t)
            if low >= high:
                return False
        return True


@dataclass(frozen=True)
class Label:
    """One line of text; `y` is its baseline, as in SVG."""

    x: float
    y: float
    text: str
    anchor: Anchor = "start"
    css: str = "okr-label"
    box: Box = field(init=False, repr=False, compare=False)
    """Worked out once: placing a chart's labels compares each candidate with every label placed before it."""

    def __post_init__(self) -> None:
        width = text_width(self.text)
        left = self.x - {"start": 0.0, "middle": width / 2, "end": width}[self.anchor]
        object.__setattr__(self, "box", Box(left, self.y - 0.8 * FONT, left + width, self.y + 0.25 * FONT))

    def svg(self) -> str:
        anchor = "" if self.anchor == "start" else f' text-anchor="{self.anchor}"'
        return f'<text class="{self.css}" x="{n(self.x)}" y="{n(self.y)}"{anchor}>{escape(self.text)}</text>'


def centred(y: float) -> float:
    """The baseline that centres a line of text on `y`."""
    return y + 0.35 * FONT


class Layout:
    """The labels of one chart so far, and the lines and marks they must leave readable."""

    def __init__(self, width: float, height: float) -> None:
        self.area = Box(0, 0, width, height)
        self.labels: list[Label] = []
        self.marks: list[Box] = []
        self.lines: list[tuple[tuple[float, float], tuple[float, float]]] = []

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self.lines.append(((x1, y1), (x2, y2)))

    def mark(self, box: Box) -> None:
        """A drawn shape (a point, a bar) that no label may cover."""
        self.marks.append(box)

    def fixed(self, label: Label) -> None:
        """A label whose place the chart's frame decides (the axis's dates); later labels keep clear of it."""
        self.labels.append(label)

    def place(self, candidates: Iterable[Label], must: bool = False) -> Label | None:
        """The first candidate clear of every label, mark and line; else, if the label `must` show, the first clear of labels.

        None when no place is free: the chart's text alternative still says it.
        """
        first_free: Label | None = None
        for c in candidates:  # one at a time: a line's name has a hundred places, and the first is mostly free
            if not c.box.within(self.area) or not _clear(c.box.grown(GAP), self.labels):
                continue
            if not any(c.box.overlaps(m) for m in self.marks) and not any(c.box.crosses(*s) for s in self.lines):
                self.labels.append(c)
                return c
            first_free = first_free or c
        if must and first_free is not None:
            self.labels.append(first_free)
            return first_free
        return None

    def svg(self) -> list[str]:
        return [label.svg() for label in self.labels]


def _clear(box: Box, labels: list[Label]) -> bool:
    """Whether `box` overlaps none of the labels' boxes (`Box.overlaps`, written out: it runs millions of times a build)."""
    left, top, right, bottom = box.left, box.top, box.right, box.bottom
    for label in labels:
        other = label.box
        if left < other.right and other.left < right and top < other.bottom and other.top < bottom:
            return False
    return True


def wrap(text: str, width: float) -> list[str]:
    """`text` in lines of at most `width`, broken between words, and inside a word longer than a line."""
    most = max(1, math.floor(width / (FONT * EM)))
    lines: list[str] = []
    for word in text.split():
        for piece in (word[i : i + most] for i in range(0, len(word), most)):
            if lines and len(lines[-1]) + 1 + len(piece) <= most:
                lines[-1] += " " + piece
            else:
                lines.append(piece)
    return lines or [""]
