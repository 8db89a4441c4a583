"""Charts drawn at build time as inline SVG: no script, no CDN, readable in light and dark and on a phone.

Colours come from CSS classes (see assets/okrsite.css) so that the palette of the reader's theme applies.
A chart is drawn at one unit to the CSS pixel and never shrinks below SMALLEST / FONT of that, so its text
stays readable on a phone; its labels are placed by `labels.Layout`, clear of each other. Every chart is
an image with a title and a description that lists its values, and the pages show the same figures as text.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..analysis.facts import DocumentFacts, KrFacts
from ..analysis.score import Phase, progress
from ..content.model import Cycle
from ..content.values import with_unit, written
from .labels import FONT, SMALLEST, Anchor, Box, Label, Layout, centred, n, text_width, wrap

WIDTH, HEIGHT = 300, 160
"""The size of a key result's chart: two fit side by side on a laptop, one on a phone without scrolling."""
TOP, RIGHT, BOTTOM = 22, 8, 22
"""The margins of the plot: a line of text above it (where the as-of day's name always has room) and the dates below."""
SIDES: tuple[tuple[float, Anchor], ...] = ((4, "start"), (-4, "end"))
"""Right and left of a point, a little apart."""


@dataclass(frozen=True)
class _Frame:
    """Maps dates and values onto the plot; `pad` is the share of its height left free above and below."""

    start: dt.date
    end: dt.date
    low: float
    high: float
    plot: Box
    pad: float = 0.0

    def x(self, day: dt.date) -> float:
        span = max((self.end - self.start).days, 1)
        return self.plot.left + (self.plot.right - self.plot.left) * (day - self.start).days / span

    def y(self, value: float) -> float:
        """Where `value` stands, from its share of the range (never the range itself, which may overflow: -1e308 to 1e308)."""
        share = progress(value, self.low, self.high) if self.high != self.low else 0.5
        return self.plot.top + (self.plot.bottom - self.plot.top) * (1 - (self.pad + (1 - 2 * self.pad) * share))


def svg(kind: str, title: str, desc: str, body: Sequence[str], height: float, width: float = WIDTH) -> Markup:
    """A chart as an image named by `title` and described by `desc`, at its natural size (see the module's docstring)."""
    least = math.ceil(width * SMALLEST / FONT)
    return Markup(
        f'<svg class="okr-chart okr-chart-{kind}" width="{n(width)}" height="{n(height)}" viewBox="0 0 {n(width)} {n(height)}" '
        f'font-size="{FONT:g}" style="min-width: {least}px" role="img"><title>{escape(title)}</title><desc>{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def number(value: float | None) -> str:
    """A value as a person reads it: 55, 99.95, 1,500; beyond a trillion or below a millionth as 1.7e+308."""
    if value is None:
        return "–"
    if abs(value) >= 1e15 or 0 < abs(value) < 1e-6:
        return written(value)
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"


def measured(value: float | None, unit: str | None) -> str:
    """A value as read, with its unit where every page puts it: 99.5%, 1,500 EUR; "–" for none.

    Change sentences and `okrsite diff` say values as written instead (exact, no grouping: `written`).
    """
    return number(value) if value is None else with_unit(number(value), unit)


def _time_axis(layout: Layout, plot: Box, cycle: Cycle, height: float) -> list[str]:
    """The axis along the bottom of the plot, with the cycle's first and last day."""
    layout.line(plot.left, plot.bottom, plot.right, plot.bottom)
    layout.fixed(Label(plot.left, height - 6, f"{cycle.start:%d %b}"))
    layout.fixed(Label(plot.right, height - 6, f"{cycle.end:%d %b}", "end"))
    return [f'<line class="okr-axis" x1="{n(plot.left)}" y1="{n(plot.bottom)}" x2="{n(plot.right)}" y2="{n(plot.bottom)}"/>']


def _points(layout: Layout, points: Sequence[tuple[float, float]], css: str) -> list[str]:
    """The line through the check-ins and a dot on each."""
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        layout.line(x1, y1, x2, y2)
    for x, y in points:
        layout.mark(Box(x - 3, y - 3, x + 3, y + 3))
    return [
        f'<polyline class="{css}" points="' + " ".join(f"{n(x)},{n(y)}" for x, y in points) + '"/>',
        *(f'<circle class="okr-point" cx="{n(x)}" cy="{n(y)}" r="3"/>' for x, y in points),
    ]


def beside(x: float, y: float, text: str) -> list[Label]:
    """Places for the value of the point at (x, y): right of it, left, above, below, then the corners."""
    up, down, css = y - 7, y + 0.8 * FONT + 6, "okr-label okr-value"
    return [
        Label(x + 7, centred(y), text, "start", css),
        Label(x - 7, centred(y), text, "end", css),
        Label(x, up, text, "middle", css),
        Label(x, down, text, "middle", css),
        *(Label(x + dx, dy, text, anchor, css) for dy in (up, down) for dx, anchor in SIDES),
    ]


def along(x1: float, y1: float, x2: float, y2: float, text: str) -> Iterator[Label]:
    """Places for the name of the line from (x1, y1) to (x2, y2): just above and just below it, from its right end leftwards."""
    width = text_width(text)
    for i in range(int((x2 - x1 - width) // 8) + 1):
        left = x2 - 2 - width - 8 * i
        ends = [y1 + (y2 - y1) * (x - x1) / (x2 - x1) for x in (left, left + width)]
        yield Label(left, min(ends) - 2 - 0.25 * FONT, text)
        yield Label(left, max(ends) + 2 + 0.8 * FONT, text)


def _as_of(layout: Layout, frame: _Frame, on: dt.date, cycle: Cycle, height: float) -> list[str]:
    """A line on the as-of day, if it falls in the cycle, named on the time axis if there is room between the dates, else
    above the plot beside the line: outside the plot, where the name always fits and leaves the points their labels."""
    if not cycle.contains(on):
        return []
    x, plot, text = frame.x(on), frame.plot, f"as of {on:%d %b}"
    layout.line(x, plot.top, x, plot.bottom)
    layout.place(
        [Label(x, height - 6, text, "middle"), Label(x - 2, height - 6, text, "end"), Label(x + 2, height - 6, text)]
        + [Label(x + dx, plot.top - 8, text, anchor) for dx, anchor in SIDES]
    )
    return [f'<line class="okr-asof" x1="{n(x)}" y1="{n(plot.top)}" x2="{n(x)}" y2="{n(plot.bottom)}"/>']


def trajectory(kf: KrFacts, cycle: Cycle, on: dt.date) -> Markup:
    """Check-ins against the expected line (metric KR) or the line to hold (health KR), the latest value written beside it."""
    kr = kf.kr
    made = [c for c in kf.checkins if c.value is not None]
    lines = [v for v in (kr.baseline, kr.target, kr.keep_above, kr.keep_below) if v is not None]
    values = [c.value for c in made if c.value is not None]
    left = max(28.0, max(text_width(number(v)) for v in lines) + 8)
    frame = _Frame(cycle.start, cycle.end, min(values + lines), max(values + lines), Box(left, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM), 0.07)
    layout = Layout(WIDTH, HEIGHT)
    body = _time_axis(layout, frame.plot, cycle, HEIGHT)
    for value in lines:
        y = frame.y(value)
        layout.place(Label(left - 4, centred(y) + dy, number(value), "end") for dy in (0, -4, 4, -8, 8))
    if kr.kind == "metric" and kr.baseline is not None and kr.target is not None:
        x1, x2, y0, yt = left, WIDTH - RIGHT, frame.y(kr.baseline), frame.y(kr.target)
        body.append(f'<line class="okr-expected" x1="{n(x1)}" y1="{n(y0)}" x2="{n(x2)}" y2="{n(yt)}"/>')
        body.append(f'<line class="okr-target" x1="{n(x1)}" y1="{n(yt)}" x2="{n(x2)}" y2="{n(yt)}"/>')
        named = [((x1, yt, x2, yt), "target"), ((x1, y0, x2, yt), "expected")]
        expected = f"expected from {measured(kr.baseline, kr.unit)} on {cycle.start} to {measured(kr.target, kr.unit)} on {cycle.end}"
    else:
        line = kr.keep_above if kr.keep_above is not None else kr.keep_below
        assert line is not None
        word = "above" if kr.keep_above is not None else "below"
        x1, x2, yl = left, WIDTH - RIGHT, frame.y(line)
        body.append(f'<line class="okr-target" x1="{n(x1)}" y1="{n(yl)}" x2="{n(x2)}" y2="{n(yl)}"/>')
        named = [((x1, yl, x2, yl), f"keep {word}")]
        expected = f"to stay {word} {measured(line, kr.unit)}"
    for (ax, ay, bx, by), _ in named:
        layout.line(ax, ay, bx, by)
    points = [(frame.x(c.date), frame.y(c.value)) for c in made if c.value is not None]
    if points:
        body.extend(_points(layout, points, "okr-actual"))
    body.extend(_as_of(layout, frame, on, cycle, HEIGHT))
    if points:
        layout.place(beside(*points[-1], measured(made[-1].value, kr.unit)), must=True)
    for (ax, ay, bx, by), name in named:
        layout.place(along(ax, ay, bx, by, name))
    told = "; ".join(f"{c.date}: {measured(c.value, kr.unit)}" for c in made) or "no check-in yet"
    return svg("trajectory", f"Trajectory of {kr.title}", f"Check-ins {told}; {expected}.", body + layout.svg(), HEIGHT)


def confidence(kf: KrFacts, cycle: Cycle, on: dt.date) -> Markup:
    """Confidence (1 to 10) at each check-in, the latest written beside it."""
    made = [c for c in kf.checkins if c.confidence is not None]
    height = 110
    frame = _Frame(cycle.start, cycle.end, 1, 10, Box(28, 10, WIDTH - RIGHT, height - BOTTOM))
    layout = Layout(WIDTH, height)
    body = _time_axis(layout, frame.plot, cycle, height)
    for value in (10, 1):
        layout.fixed(Label(frame.plot.left - 4, centred(frame.y(value)), str(value), "end"))
    points = [(frame.x(c.date), frame.y(c.confidence or 0)) for c in made]
    if points:
        body.extend(_points(layout, points, "okr-confidence"))
        layout.place(beside(*points[-1], f"{made[-1].confidence}/10"), must=True)
    told = "; ".join(f"{c.date}: {c.confidence}" for c in made) or "no confidence given yet"
    return svg("confidence", f"Confidence in {kf.kr.title}", f"Confidence out of 10: {told}.", body + layout.svg(), height)


@dataclass(frozen=True)
class HistoryPoint:
    """One cycle of a team's history: the share of committed KRs landed and the aspirational mean, apart.

    While the cycle runs no key result has landed yet: the chart shows its score so far instead, as such.
    """

    cycle: Cycle
    phase: Phase
    score: float | None
    landed_share: float | None
    aspirational_mean: float | None

    @classmethod
    def of(cls, facts: DocumentFacts) -> HistoryPoint:
        summary = facts.summary
        return cls(facts.doc.cycle, facts.phase, facts.score, summary.landed_share, summary.aspirational_mean)


LINE, BAR = 16.0, 11.0
"""The height of a line of text in the history chart, and of a bar: one bar to a line, so no two labels meet."""
NAMES = 0.4 * WIDTH
"""The widest column of cycle names; a longer name takes more lines."""
LEGEND = (
    ("okr-committed", "committed KRs landed (share)"),
    ("okr-aspirational", "aspirational KRs (mean score)"),
    ("okr-running", "running cycle: score so far"),
)


def _legend(running: bool) -> tuple[list[str], list[Label], float]:
    """The swatches and their words, as many to a line as fit; the height they take."""
    body, words, x, y = [], [], 0.0, LINE / 2
    for css, text in LEGEND if running else LEGEND[:2]:
        if x > 0 and x + 15 + text_width(text) > WIDTH:
            x, y = 0.0, y + LINE
        body.append(f'<rect class="{css}" x="{n(x + 1)}" y="{n(y - 5)}" width="10" height="10"/>')
        words.append(Label(x + 15, centred(y), text))
        x += 15 + text_width(text) + 12
    return body, words, y + LINE / 2 + 6


@dataclass(frozen=True)
class _Row:
    """A cycle in the history chart: its name in lines, how it stands if it has not ended, its bars (css, value, label)."""

    point: HistoryPoint
    names: list[str]
    note: str | None
    bars: list[tuple[str, float | None, str]]

    @classmethod
    def of(cls, point: HistoryPoint) -> _Row:
        names = wrap(point.cycle.title, NAMES)
        if point.phase == "running":
            return cls(point, names, "running", [("okr-running", point.score, f"{hundredths(point.score)} so far")])
        if point.phase == "not started":
            return cls(point, names, "not started", [])
        bars = [("okr-committed", point.landed_share), ("okr-aspirational", point.aspirational_mean)]
        return cls(point, names, None, [(css, value, hundredths(value)) for css, value in bars])

    @property
    def height(self) -> float:
        return LINE * max(len(self.names) + (self.note is not None), len(self.bars)) + 8


def history(points: Sequence[HistoryPoint], team_name: str) -> Markup:
    """A team's scores by cycle, newest first as in the table beside it, a line of text to each bar; it grows downwards."""
    rows = [_Row.of(point) for point in reversed(points)]
    names = max((text_width(line) for row in rows for line in [*row.names, row.note or ""]), default=0.0)
    x0, x1 = names + 8, WIDTH - RIGHT - text_width("1.00") - 6
    body, legend, top = _legend(any(p.phase == "running" for p in points))
    height = top + sum(row.height for row in rows) + LINE + 8
    layout = Layout(WIDTH, height)
    for words in legend:
        layout.fixed(words)
    y = top
    for row in rows:
        for i, line in enumerate(row.names):
            layout.fixed(Label(x0 - 6, centred(y + LINE * (i + 0.5)), line, "end"))
        if row.note:
            layout.fixed(Label(x0 - 6, centred(y + LINE * (len(row.names) + 0.5)), row.note, "end", "okr-label okr-muted"))
        for i, (css, value, label) in enumerate(row.bars):
            middle, end = y + LINE * (i + 0.5), x0 + (x1 - x0) * (value or 0.0)
            if value is not None:
                body.append(f'<rect class="{css}" x="{n(x0)}" y="{n(middle - BAR / 2)}" width="{n(end - x0)}" height="{n(BAR)}"/>')
            short = [Label(end + 4, centred(middle), hundredths(value))] if label != hundredths(value) else []
            layout.place([Label(end + 4, centred(middle), label), *short], must=True)
        y += row.height
    body.append(f'<line class="okr-axis" x1="{n(x0)}" y1="{n(top - 4)}" x2="{n(x0)}" y2="{n(y)}"/>')
    body.append(f'<line class="okr-axis" x1="{n(x0)}" y1="{n(y)}" x2="{n(x1)}" y2="{n(y)}"/>')
    for share, text in ((0.0, "0"), (0.5, "0.5"), (1.0, "1.0")):
        layout.fixed(Label(x0 + (x1 - x0) * share, y + LINE, text, "middle"))
    told = "; ".join(_told(row.point) for row in rows) or "no cycle yet"
    return svg("history", f"{team_name}: scores by cycle", told, body + layout.svg(), height)


def _told(point: HistoryPoint) -> str:
    if point.phase == "running":
        return f"{point.cycle.title}: running, score so far {hundredths(point.score)}"
    if point.phase == "not started":
        return f"{point.cycle.title}: not started"
    return (
        f"{point.cycle.title}: committed landed {hundredths(point.landed_share)}, aspirational mean {hundredths(point.aspirational_mean)}"
    )


def hundredths(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


class DrawnOnce:
    """The charts of one team's key results, drawn once: its team page shows its current document as that document's page does.

    `forget` at the next team keeps the memory to one team's charts.
    """

    def __init__(self) -> None:
        self._drawn: dict[tuple[str, int, str, dt.date], tuple[KrFacts, Markup]] = {}
        """By the figures' identity; each keeps its figures, so that no other object takes that identity meanwhile."""

    def forget(self) -> None:
        self._drawn.clear()

    def trajectory(self, kf: KrFacts, cycle: Cycle, on: dt.date) -> Markup:
        return self._draw(trajectory, kf, cycle, on)

    def confidence(self, kf: KrFacts, cycle: Cycle, on: dt.date) -> Markup:
        return self._draw(confidence, kf, cycle, on)

    def _draw(self, chart: Callable[[KrFacts, Cycle, dt.date], Markup], kf: KrFacts, cycle: Cycle, on: dt.date) -> Markup:
        key = (chart.__name__, id(kf), cycle.id, on)
        if key not in self._drawn:
            self._drawn[key] = (kf, chart(kf, cycle, on))
        return self._drawn[key][1]
