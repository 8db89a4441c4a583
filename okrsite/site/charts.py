"""Charts drawn at build time as inline SVG: no script, no CDN, readable in light and dark.

Colours come from CSS classes (see assets/okrsite.css) so that the palette of the
reader's theme applies; every chart carries a title and a description for screen
readers, and the pages show the same numbers as text beside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..analysis.facts import KrFacts
from ..analysis.score import progress
from ..content.model import Cycle
from ..content.values import written

WIDTH, HEIGHT = 480, 160
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 10, 24


@dataclass(frozen=True)
class _Frame:
    """Maps dates and values onto the drawing area; `pad` is the share of the height left free above and below."""

    start: dt.date
    end: dt.date
    low: float
    high: float
    pad: float = 0.0

    def x(self, day: dt.date) -> float:
        span = max((self.end - self.start).days, 1)
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - self.start).days / span

    def y(self, value: float) -> float:
        """Where `value` stands, from its share of the range (never the range itself, which may overflow: -1e308 to 1e308)."""
        share = progress(value, self.low, self.high) if self.high != self.low else 0.5
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (self.pad + (1 - 2 * self.pad) * share))


def _svg(kind: str, title: str, desc: str, body: Sequence[str], height: int = HEIGHT) -> Markup:
    return Markup(
        f'<svg class="okr-chart okr-chart-{kind}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'preserveAspectRatio="xMidYMid meet"><title>{escape(title)}</title><desc>{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def number(value: float | None) -> str:
    """A value as a person reads it: 55, 99.95, 1,500; beyond a trillion or below a millionth as 1.7e+308."""
    if value is None:
        return "–"
    if abs(value) >= 1e15 or 0 < abs(value) < 1e-6:
        return written(value)
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"


def _axes(frame: _Frame, cycle: Cycle, marks: Sequence[float]) -> list[str]:
    """The time axis with the cycle's dates, and the values in `marks` on the left."""
    bottom = HEIGHT - BOTTOM
    parts = [
        f'<line class="okr-axis" x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}"/>',
        f'<text class="okr-label" x="{LEFT}" y="{HEIGHT - 6}">{cycle.start:%d %b}</text>',
        f'<text class="okr-label" x="{WIDTH - RIGHT}" y="{HEIGHT - 6}" text-anchor="end">{cycle.end:%d %b}</text>',
    ]
    for value in marks:
        parts.append(
            f'<text class="okr-label" x="{LEFT - 4}" y="{_n(frame.y(value) + 4)}" text-anchor="end">{escape(number(value))}</text>'
        )
    return parts


def _as_of_marker(frame: _Frame, on: dt.date, cycle: Cycle) -> list[str]:
    if not cycle.contains(on):
        return []
    x = _n(frame.x(on))
    return [
        f'<line class="okr-asof" x1="{x}" y1="{TOP}" x2="{x}" y2="{HEIGHT - BOTTOM}"/>',
        f'<text class="okr-label" x="{x}" y="{TOP + 8}" text-anchor="middle">as of {on:%d %b}</text>',
    ]


def trajectory(kf: KrFacts, cycle: Cycle, on: dt.date) -> Markup:
    """Check-ins against the expected line (metric KR) or the line to hold (health KR)."""
    kr = kf.kr
    values = [c.value for c in kf.checkins if c.value is not None]
    lines = [v for v in (kr.baseline, kr.target, kr.keep_above, kr.keep_below) if v is not None]
    frame = _Frame(cycle.start, cycle.end, min(values + lines), max(values + lines), pad=0.07)
    body = _axes(frame, cycle, lines)
    if kr.kind == "metric" and kr.baseline is not None and kr.target is not None:
        y0, y1, yt = _n(frame.y(kr.baseline)), _n(frame.y(kr.target)), _n(frame.y(kr.target))
        body.append(f'<line class="okr-expected" x1="{LEFT}" y1="{y0}" x2="{WIDTH - RIGHT}" y2="{y1}"/>')
        body.append(f'<line class="okr-target" x1="{LEFT}" y1="{yt}" x2="{WIDTH - RIGHT}" y2="{yt}"/>')
        body.append(f'<text class="okr-label" x="{WIDTH - RIGHT - 2}" y="{_n(frame.y(kr.target) - 4)}" text-anchor="end">target</text>')
        expected = f"expected from {number(kr.baseline)} on {cycle.start} to {number(kr.target)} on {cycle.end}"
    else:
        line = kr.keep_above if kr.keep_above is not None else kr.keep_below
        assert line is not None
        word = "above" if kr.keep_above is not None else "below"
        body.append(f'<line class="okr-target" x1="{LEFT}" y1="{_n(frame.y(line))}" x2="{WIDTH - RIGHT}" y2="{_n(frame.y(line))}"/>')
        expected = f"to stay {word} {number(line)}"
    points = [(frame.x(c.date), frame.y(c.value)) for c in kf.checkins if c.value is not None]
    if points:
        body.append('<polyline class="okr-actual" points="' + " ".join(f"{_n(x)},{_n(y)}" for x, y in points) + '"/>')
        body.extend(f'<circle class="okr-point" cx="{_n(x)}" cy="{_n(y)}" r="3"/>' for x, y in points)
    body.extend(_as_of_marker(frame, on, cycle))
    told = "; ".join(f"{c.date}: {number(c.value)}" for c in kf.checkins if c.value is not None) or "no check-in yet"
    return _svg("trajectory", f"Trajectory of {kr.title}", f"Check-ins {told}; {expected}.", body)


def confidence(kf: KrFacts, cycle: Cycle, on: dt.date) -> Markup:
    """Confidence (1 to 10) at each check-in."""
    made = [c for c in kf.checkins if c.confidence is not None]
    frame = _Frame(cycle.start, cycle.end, 1, 10)
    height = 110
    scale = (height - TOP - BOTTOM) / (HEIGHT - TOP - BOTTOM)

    def y(value: float) -> str:
        return _n(TOP + (frame.y(value) - TOP) * scale)

    body = [
        f'<line class="okr-axis" x1="{LEFT}" y1="{height - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{height - BOTTOM}"/>',
        f'<text class="okr-label" x="{LEFT - 4}" y="{y(10)}" text-anchor="end">10</text>',
        f'<text class="okr-label" x="{LEFT - 4}" y="{y(1)}" text-anchor="end">1</text>',
        f'<text class="okr-label" x="{LEFT}" y="{height - 6}">{cycle.start:%d %b}</text>',
        f'<text class="okr-label" x="{WIDTH - RIGHT}" y="{height - 6}" text-anchor="end">{cycle.end:%d %b}</text>',
    ]
    points = [(frame.x(c.date), y(c.confidence or 0)) for c in made]
    if points:
        body.append('<polyline class="okr-confidence" points="' + " ".join(f"{_n(x)},{py}" for x, py in points) + '"/>')
        body.extend(f'<circle class="okr-point" cx="{_n(x)}" cy="{py}" r="3"/>' for x, py in points)
    told = "; ".join(f"{c.date}: {c.confidence}" for c in made) or "no confidence given yet"
    return _svg("confidence", f"Confidence in {kf.kr.title}", f"Confidence out of 10: {told}.", body, height)


@dataclass(frozen=True)
class HistoryPoint:
    """One cycle of a team's history: committed share landed and aspirational mean, apart."""

    cycle: Cycle
    landed_share: float | None
    aspirational_mean: float | None
    href: str


def history(points: Sequence[HistoryPoint], team_name: str) -> Markup:
    """A team's scores by cycle, committed and aspirational side by side, each cycle a link."""
    height, top = 180, 34
    slot = (WIDTH - LEFT - RIGHT) / max(len(points), 1)
    bar = min(24.0, slot / 3)
    base = height - BOTTOM - 14

    def y(value: float) -> float:
        return top + (base - top) * (1 - value)

    body = [
        f'<line class="okr-axis" x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}"/>',
        f'<text class="okr-label" x="{LEFT - 4}" y="{_n(y(1) + 4)}" text-anchor="end">1.0</text>',
        f'<text class="okr-label" x="{LEFT - 4}" y="{_n(y(0) + 4)}" text-anchor="end">0</text>',
        f'<rect class="okr-committed" x="{LEFT}" y="4" width="10" height="10"/>',
        f'<text class="okr-label" x="{LEFT + 14}" y="13">committed KRs landed (share)</text>',
        f'<rect class="okr-aspirational" x="{LEFT + 230}" y="4" width="10" height="10"/>',
        f'<text class="okr-label" x="{LEFT + 244}" y="13">aspirational KRs (mean score)</text>',
    ]
    told = []
    for i, point in enumerate(points):
        middle = LEFT + slot * (i + 0.5)
        for offset, value, css in (
            (-bar, point.landed_share, "okr-committed"),
            (0.0, point.aspirational_mean, "okr-aspirational"),
        ):
            if value is None:
                continue
            bar_top = y(value)
            body.append(
                f'<rect class="{css}" x="{_n(middle + offset)}" y="{_n(bar_top)}" width="{_n(bar)}" height="{_n(base - bar_top)}"/>'
            )
            body.append(
                f'<text class="okr-label" x="{_n(middle + offset + bar / 2)}" y="{_n(bar_top - 3)}" text-anchor="middle">{value:.2f}</text>'
            )
        body.append(
            f'<a href="{escape(point.href)}"><text class="okr-label okr-link" x="{_n(middle)}" y="{height - 8}" '
            f'text-anchor="middle">{escape(point.cycle.title)}</text></a>'
        )
        told.append(
            f"{point.cycle.title}: committed landed {_share(point.landed_share)}, aspirational mean {_share(point.aspirational_mean)}"
        )
    return _svg("history", f"{team_name}: scores by cycle", "; ".join(told) or "no cycle yet", body, height)


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"
