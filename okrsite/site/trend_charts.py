"""The charts of trends across cycles: key results by status, signals, confidence calibration, pulse answers.

Drawn as `charts.py` draws (see its docstring): inline SVG at its natural size, text placed by `labels.Layout`,
a title and a description that say every value, colours from CSS classes.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from ..analysis.calibration import Calibration
from ..analysis.pulse import PulseLine
from ..analysis.score import StatusLabel
from ..content.model import Cycle
from .charts import BAR, LINE, NAMES, RIGHT, WIDTH, along, beside, hundredths, svg
from .labels import Box, Label, Layout, centred, n, text_width, wrap

SERIES = 6
"""Lines of a multi-line chart take these many colours in turn (okr-series-0 to 5), each also named by its number."""


@dataclass(frozen=True)
class CountRow:
    """A cycle in a chart of counts: its parts (css, how many, what they are) stacked into one bar."""

    cycle: Cycle
    parts: list[tuple[str, int, str]]

    @property
    def total(self) -> int:
        return sum(count for _, count, _ in self.parts)


FILLS: dict[StatusLabel, str] = {
    "on track": "okr-fill-green",
    "green": "okr-fill-green",
    "at risk": "okr-fill-yellow",
    "yellow": "okr-fill-yellow",
    "off track": "okr-fill-red",
    "red": "okr-fill-red",
    "pending": "okr-fill-pending",
    "not started": "okr-fill-pending",
}
"""A running cycle's status and an ended one's share a colour: on track and green, at risk and yellow..."""


def status_rows(cycles: Sequence[tuple[Cycle, Sequence[tuple[StatusLabel, int]]]]) -> list[CountRow]:
    return [CountRow(c, [(FILLS[label], count, label) for label, count in statuses]) for c, statuses in cycles]


def counts(rows: Sequence[CountRow], title: str, unit: tuple[str, str], parts: bool = True) -> Markup:
    """A bar per cycle, newest first, of `unit` (one, many) counted, stacked by part; with `parts`, a legend of them above."""
    singular, plural = unit
    named: dict[str, list[str]] = {}
    for css, _, name in (part for row in reversed(rows) for part in row.parts):
        if name not in named.setdefault(css, []):
            named[css].append(name)
    legend = [(css, " / ".join(names)) for css, names in named.items()] if parts else []
    body, layout_labels, x, y = [], [], 0.0, LINE / 2
    for css, name in legend:
        if x > 0 and x + 15 + text_width(name) > WIDTH:
            x, y = 0.0, y + LINE
        body.append(f'<rect class="{css}" x="{n(x + 1)}" y="{n(y - 5)}" width="10" height="10"/>')
        layout_labels.append(Label(x + 15, centred(y), name))
        x += 15 + text_width(name) + 12
    top = y + LINE / 2 + 6 if legend else 4.0
    names = [wrap(row.cycle.title, NAMES) for row in reversed(rows)]
    x0 = max((text_width(line) for lines in names for line in lines), default=0.0) + 8
    x1 = WIDTH - RIGHT - text_width(f"{max((r.total for r in rows), default=0)} {plural}") - 6
    heights = [LINE * len(lines) + 8 for lines in names]
    height = top + sum(heights) + 8
    layout = Layout(WIDTH, height)
    for label in layout_labels:
        layout.fixed(label)
    most = max((row.total for row in rows), default=0) or 1
    for row, lines, tall in zip(reversed(rows), names, heights, strict=True):
        for i, line in enumerate(lines):
            layout.fixed(Label(x0 - 6, centred(top + LINE * (i + 0.5)), line, "end"))
        middle, left = top + LINE / 2, x0
        for css, count, _ in row.parts:
            width = (x1 - x0) * count / most
            body.append(f'<rect class="{css}" x="{n(left)}" y="{n(middle - BAR / 2)}" width="{n(width)}" height="{n(BAR)}"/>')
            left += width
        layout.place([Label(left + 4, centred(middle), f"{row.total} {singular if row.total == 1 else plural}")], must=True)
        top += tall
    body.append(f'<line class="okr-axis" x1="{n(x0)}" y1="{n(4)}" x2="{n(x0)}" y2="{n(top)}"/>')
    told = "; ".join(
        f"{row.cycle.title}: {row.total} {singular if row.total == 1 else plural}"
        + (f" ({', '.join(f'{name} {count}' for _, count, name in row.parts)})" if parts and row.parts else "")
        for row in reversed(rows)
    )
    return svg("counts", title, told or "no cycle yet", body + layout.svg(), height)


CAL_HEIGHT, CAL_LEFT, CAL_TOP, CAL_BOTTOM = 254.0, 34.0, 30.0, 46.0
"""The calibration chart's size and the margins of its square-ish plot (the axis names below and above)."""


def calibration(cal: Calibration, name: str) -> Markup:
    """The share that landed against the confidence at mid-cycle, a point per group of confidences, and the diagonal on
    which a perfectly calibrated team's points would lie."""
    plot = Box(CAL_LEFT, CAL_TOP, WIDTH - RIGHT - 6, CAL_HEIGHT - CAL_BOTTOM)
    layout = Layout(WIDTH, CAL_HEIGHT)

    def at(forecast: float, share: float) -> tuple[float, float]:
        return plot.left + (plot.right - plot.left) * forecast, plot.bottom - (plot.bottom - plot.top) * share

    body = [
        f'<line class="okr-axis" x1="{n(plot.left)}" y1="{n(plot.bottom)}" x2="{n(plot.right)}" y2="{n(plot.bottom)}"/>',
        f'<line class="okr-axis" x1="{n(plot.left)}" y1="{n(plot.top)}" x2="{n(plot.left)}" y2="{n(plot.bottom)}"/>',
    ]
    (ax, ay), (bx, by) = at(0, 0), at(1, 1)
    body.append(f'<line class="okr-expected" x1="{n(ax)}" y1="{n(ay)}" x2="{n(bx)}" y2="{n(by)}"/>')
    for line in ((plot.left, plot.bottom, plot.right, plot.bottom), (plot.left, plot.top, plot.left, plot.bottom), (ax, ay, bx, by)):
        layout.line(*line)
    for share, text in ((0.0, "0"), (0.5, "0.5"), (1.0, "1")):
        layout.fixed(Label(plot.left - 4, centred(at(0, share)[1]), text, "end"))
    layout.fixed(Label(0, 13, "share that landed"))
    for bucket in cal.buckets():
        layout.fixed(Label(at((bucket.low + bucket.high) / 20, 0)[0], plot.bottom + 16, f"{bucket.low}-{bucket.high}", "middle"))
    layout.fixed(Label((plot.left + plot.right) / 2, CAL_HEIGHT - 8, "confidence at mid-cycle", "middle"))
    shown = [b for b in cal.buckets() if b.forecasts]
    points = [at(b.mean_forecast or 0.0, b.landed_share or 0.0) for b in shown]
    for x, y in points:
        layout.mark(Box(x - 4, y - 4, x + 4, y + 4))
    body += [f'<circle class="okr-point" cx="{n(x)}" cy="{n(y)}" r="4"/>' for x, y in points]
    for bucket, (x, y) in zip(shown, points, strict=True):
        count = len(bucket.forecasts)
        layout.place(beside(x, y, f"{count} KR{'s' if count != 1 else ''}"), must=True)
    layout.place(along(ax, ay, bx, by, "perfect forecast"))
    told = "; ".join(
        f"confidence {b.low}-{b.high}: {len(b.forecasts)} key result{'s' if len(b.forecasts) != 1 else ''}, {b.landed} landed "
        f"({hundredths(b.landed_share)}), "
        f"mean forecast {hundredths(b.mean_forecast)}"
        for b in shown
    )
    brier = f"Brier score {hundredths(cal.brier)}, {cal.leaning}" if cal.forecasts else "no confidence given by mid-cycle"
    return svg(
        "calibration", f"{name}: confidence against what landed", f"{told or 'No forecast'}; {brier}.", body + layout.svg(), CAL_HEIGHT
    )


PULSE_PLOT = 130.0
"""The least height of the pulse chart's plot; the questions' numbers need a line each beside it, their words below it."""
KEY, KEY_GAP = 24.0, 14.0
"""The width of the column of numbers right of the pulse chart's plot, and the least distance between two of them."""


def pulse(cycles: Sequence[Cycle], lines: Sequence[PulseLine], name: str) -> Markup:
    """Each question's mean answer (1 to 5) by cycle, oldest on the left, a line to each, its number in its colour
    beside its last point; the numbered questions below, wrapped to the chart's width."""
    left, right, top = 28.0, WIDTH - RIGHT - KEY, 10.0
    last_asked = [max((j for j, mean in enumerate(line.means) if mean is not None), default=-1) for line in lines]
    ending = [i for i, j in enumerate(last_asked) if j == len(cycles) - 1]
    plot = Box(left, top, right, top + max(PULSE_PLOT, KEY_GAP * len(ending)))
    indent = text_width(f"{len(lines)}. ")
    legend = [wrap(line.text, WIDTH - indent - 2) for line in lines]
    height = plot.bottom + 2 * LINE + 8 + LINE * sum(len(rows) for rows in legend)
    layout = Layout(WIDTH, height)
    step = (right - left) / (len(cycles) - 1) if len(cycles) > 1 else 0.0

    def at(i: int, mean: float) -> tuple[float, float]:
        x = left + step * i if len(cycles) > 1 else (left + right) / 2
        return x, plot.bottom - (plot.bottom - plot.top) * (mean - 1) / 4

    body = [f'<line class="okr-axis" x1="{n(left)}" y1="{n(plot.bottom)}" x2="{n(right)}" y2="{n(plot.bottom)}"/>']
    layout.line(left, plot.bottom, right, plot.bottom)
    for j in range(len(cycles)):
        x = at(j, 1)[0]
        body.append(f'<line class="okr-axis" x1="{n(x)}" y1="{n(plot.bottom)}" x2="{n(x)}" y2="{n(plot.bottom + 4)}"/>')
    for value in (1, 3, 5):
        layout.fixed(Label(left - 6, centred(at(0, value)[1]), str(value), "end"))
    first, last = cycles[0], cycles[-1]
    half = (right - left) / 2 - 4
    layout.fixed(Label(left, plot.bottom + LINE, first.title if text_width(first.title) <= half else first.id))
    if len(cycles) > 1:
        layout.place([Label(right, plot.bottom + LINE, text, "end") for text in (last.title, last.id)])
    for i, line in enumerate(lines):
        css = f"okr-series-{i % SERIES}"
        runs: list[list[tuple[float, float]]] = [[]]
        for j, mean in enumerate(line.means):
            if mean is None:
                runs.append([])
            else:
                runs[-1].append(at(j, mean))
        for run in runs:
            for (x1, y1), (x2, y2) in itertools.pairwise(run):
                layout.line(x1, y1, x2, y2)
            if len(run) > 1:
                body.append(f'<polyline class="okr-series {css}" points="' + " ".join(f"{n(x)},{n(y)}" for x, y in run) + '"/>')
            for x, y in run:
                layout.mark(Box(x - 3, y - 3, x + 3, y + 3))
                body.append(f'<circle class="okr-series-point {css}" cx="{n(x)}" cy="{n(y)}" r="3"/>')
    wanted = [at(last_asked[i], lines[i].means[last_asked[i]] or 1)[1] for i in ending]
    for i, y in zip(ending, spread(wanted, KEY_GAP, plot.top, plot.bottom), strict=True):
        layout.fixed(Label(right + 8, centred(y), str(i + 1), "start", f"okr-label okr-key okr-series-{i % SERIES}"))
    for i, j in enumerate(last_asked):
        if 0 <= j < len(cycles) - 1:
            layout.place(beside(*at(j, lines[i].means[j] or 1), str(i + 1)), must=True)
    y = plot.bottom + 2 * LINE + 4
    for i, rows in enumerate(legend):
        layout.fixed(Label(indent - 4, centred(y), f"{i + 1}.", "end", f"okr-label okr-key okr-series-{i % SERIES}"))
        for row in rows:
            layout.fixed(Label(indent, centred(y), row))
            y += LINE
    told = "; ".join(
        f"{line.text}: " + ", ".join(f"{c.title} {mean:.1f}" for c, mean in zip(cycles, line.means, strict=True) if mean is not None)
        for line in lines
    )
    return svg("pulse", f"{name}: pulse survey by cycle", f"Mean answers from 1 to 5. {told}.", body + layout.svg(), height)


def spread(wanted: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """Places for labels as near as may be to the `wanted` heights, in their order, each `gap` apart, within low-high
    where they fit (a column too long for the range keeps its top)."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    placed = [min(max(wanted[i], low), high) for i in order]
    for k in range(1, len(placed)):
        placed[k] = max(placed[k], placed[k - 1] + gap)
    if placed and placed[-1] > high:
        placed[-1] = high
        for k in range(len(placed) - 2, -1, -1):
            placed[k] = min(placed[k], placed[k + 1] - gap)
        for k in range(len(placed)):
            placed[k] = max(placed[k], low + gap * k)
    found = [0.0] * len(wanted)
    for k, i in enumerate(order):
        found[i] = placed[k]
    return found
