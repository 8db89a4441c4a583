"""The scale budgets of a benchmark run, and where a larger organisation would land.

`run.py` prints these below its table: each budget with its limit beside the
measured figures and ✗ where one is missed, then (with `--project TEAMSxCYCLES`)
the time and peak memory of a size that was not measured, extrapolated along a
straight line through the measured sizes of the same cycle count. The line is
fitted to pages (pages against teams, costs against pages): it holds as far as
the costs stay linear, which the flat time per page says they do.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from typing import Protocol

TIME_RATIO = 0.4
"""`okrsite build` at most this share of plain MkDocs' time on the same pages."""
MEMORY_RATIO = 1.0
"""`okrsite build`'s peak memory at most plain MkDocs' on the same pages."""
MEMORY_LIMIT_MB = 4096
"""And at most this, whatever plain MkDocs takes: what a CI runner has to give."""
FLAT = 1.2
"""Time per page is flat when no step up's marginal time per page is over this times the first step's."""
COSTS = ("build", "plain")


class Size(Protocol):
    @property
    def teams(self) -> int: ...

    @property
    def cycles(self) -> int: ...


class Measured(Protocol):
    """One size's figures, as `run.py` measured them."""

    @property
    def pages(self) -> int: ...

    @property
    def size(self) -> Size: ...

    def seconds(self, cost: str) -> float: ...

    def peak_mb(self, cost: str) -> float: ...


def _mark(value: float, limit: float, text: str) -> str:
    return text + (" ✗" if value > limit else "")


def budgets(results: Sequence[Measured]) -> str:
    """Each budget with its limit, and every size's figure against it."""
    ordered = sorted(results, key=lambda r: r.pages)

    def line(name: str, figures: list[str]) -> str:
        return f"  {name:<52} {', '.join(figures)}"

    time_ratios = [(r, r.seconds("build") / r.seconds("plain")) for r in ordered]
    memory_ratios = [(r, r.peak_mb("build") / r.peak_mb("plain")) for r in ordered]
    lines = [
        "budgets (✗ where one is missed):",
        line(f"build/plain time, at most {TIME_RATIO:.2f}:", [_mark(v, TIME_RATIO, f"{r.size} {v:.2f}") for r, v in time_ratios]),
        line(
            f"build/plain peak memory, at most {MEMORY_RATIO:.2f}:",
            [_mark(v, MEMORY_RATIO, f"{r.size} {v:.2f}") for r, v in memory_ratios],
        ),
        line(
            f"build peak memory, at most {MEMORY_LIMIT_MB} MB:",
            [_mark(r.peak_mb("build"), MEMORY_LIMIT_MB, f"{r.size} {r.peak_mb('build'):.0f} MB") for r in ordered],
        ),
    ]
    for cost in COSTS:
        lines.append(line(f"{cost} time per page flat, step/first at most {FLAT:.1f}:", _per_page(ordered, cost)))
    return "\n".join(lines)


def _per_page(ordered: Sequence[Measured], cost: str) -> list[str]:
    """The marginal ms per page of each step up between sizes of one cycle count, each later step against the first.

    A step's marginal time leaves out start-up and the summary pages whose number
    is fixed but whose lists grow with the teams (a cycle's page, the change logs,
    the demo's people), which lower a small size's mean per page even where every
    cost is linear; a cost growing faster than the pages (a nav listing every page)
    makes the later steps rise.
    """
    figures = []
    for cycles in sorted({r.size.cycles for r in ordered}):
        sizes = [r for r in ordered if r.size.cycles == cycles]
        steps = [
            (f"{a.size} to {b.size}", 1000 * (b.seconds(cost) - a.seconds(cost)) / (b.pages - a.pages))
            for a, b in itertools.pairwise(sizes)
            if b.pages > a.pages
        ]
        if len(steps) < 2:
            figures.append(f"Nx{cycles} needs three sizes")
            continue
        (name, first), *later = steps
        figures.append(f"{name} {first:.1f} ms")
        figures += [_mark(marginal, FLAT * first, f"{name} {marginal:.1f} ms") for name, marginal in later]
    return figures


def projection(results: Sequence[Measured], teams: int, cycles: int) -> str:
    """Pages, time and peak memory at `teams` x `cycles`, extrapolated from the measured sizes with that many cycles."""
    points = sorted((r for r in results if r.size.cycles == cycles), key=lambda r: r.pages)
    if len({r.pages for r in points}) < 2:
        return f"projection to {teams}x{cycles}: needs two measured sizes of Nx{cycles}"
    pages = _line([float(r.size.teams) for r in points], [float(r.pages) for r in points], teams)
    measured = ", ".join(str(r.size) for r in points)
    lines = [
        f"EXTRAPOLATED, not measured: {teams}x{cycles} from a straight line through {measured}",
        f"  pages {pages:,.0f} (pages against teams)",
    ]
    for cost in COSTS:
        seconds = _line([float(r.pages) for r in points], [r.seconds(cost) for r in points], pages)
        peak = _line([float(r.pages) for r in points], [r.peak_mb(cost) for r in points], pages)
        lines.append(f"  {cost:<6} {seconds:,.0f} s ({seconds / 60:.0f} min), peak memory {peak:,.0f} MB (against pages)")
    return "\n".join(lines)


def _line(xs: list[float], ys: list[float], at: float) -> float:
    """The least-squares straight line through (xs, ys), read at `at`."""
    slope, intercept = statistics.linear_regression(xs, ys)
    return slope * at + intercept
