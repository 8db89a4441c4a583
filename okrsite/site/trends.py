"""What the record says across cycles, for the /trends/ page and the team pages: figures, calibration, pulse, practice.

The company's figures are taken per company cycle (see `SiteView.company_trend`) over every team's document of
that cycle; a department's over the documents of the teams under it. Calibration reads every ended document of
those teams, whatever its cycle: a six-week team's forecasts count as much as a quarter's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from ..analysis.calibration import Calibration
from ..analysis.computed import Analysis
from ..analysis.glance import glance
from ..analysis.health import CODES
from ..analysis.maturity import Maturity, trajectory
from ..analysis.pulse import PulseLine, pulse_trend
from ..analysis.score import Phase, StatusLabel, Summary, phase
from ..content.model import Cycle, Document, Team
from . import trend_charts
from .charts import HistoryPoint, history


@dataclass(frozen=True)
class TrendRow:
    """One cycle of a trend."""

    cycle: Cycle
    phase: Phase
    score: float | None
    """The score of the scope's own document: the top team's for the company, the department's for a department."""
    top: Document | None
    """That document, if the cycle has one."""
    summary: Summary
    """Committed and aspirational key results of every document of the cycle."""
    docs: list[Document]
    statuses: list[tuple[StatusLabel, int]]
    """How many key results stand at each status (see `Glance.statuses`)."""
    signals: dict[str, int]
    """How many health signals of each code fired on those documents, in SPEC order; codes that did not fire left out."""
    calibration: Calibration
    """The forecasts of the cycle's key results, once it ended."""


@dataclass(frozen=True)
class Trend:
    """A scope's figures by cycle (oldest first), with their charts."""

    name: str
    rows: list[TrendRow]
    calibration: Calibration
    """Every ended document of the scope's teams."""
    pulse_cycles: list[Cycle]
    """The cycles of its rows in which a pulse survey was answered."""
    pulse: list[PulseLine]
    """Each pulse question's mean in each of those cycles, weighted by responses."""
    charts: dict[str, Markup] = field(default_factory=dict)
    """`scores`, `statuses`, `signals`, `calibration`, and `pulse` when a survey was answered."""

    @property
    def codes(self) -> list[str]:
        """The codes that fired in any of its cycles, in SPEC order."""
        return [code for code in CODES if any(code in row.signals for row in self.rows)]


def trend(analysis: Analysis, name: str, cycles: Sequence[tuple[Cycle, list[Document], Document | None]], teams: list[Team]) -> Trend:
    """The trend of a scope from its cycles, each with its documents and its own document, and the teams it covers."""
    facts, rows = analysis.facts, []
    for cycle, docs, top in cycles:
        signals = Counter(s.code for d in docs for s in analysis.signals(d))
        seen = glance(analysis, docs)
        rows.append(
            TrendRow(
                cycle,
                phase(cycle, facts.on),
                facts.of(top).score if top else None,
                top,
                seen.summary,
                docs,
                seen.statuses,
                {code: signals[code] for code in CODES if signals[code]},
                analysis.calibration(docs),
            )
        )
    everything = analysis.calibration(d for t in teams for d in t.documents.values())
    surveyed = [(r.cycle, r.docs) for r in rows if any(d.pulse is not None and d.pulse.responses > 0 for d in r.docs)]
    pulse = pulse_trend(surveyed)
    made = Trend(name, rows, everything, [c for c, _ in surveyed], pulse)
    points = [HistoryPoint(r.cycle, r.phase, r.score, r.summary.landed_share, r.summary.aspirational_mean) for r in rows]
    made.charts["scores"] = history(points, name)
    statuses = trend_charts.status_rows([(r.cycle, r.statuses) for r in rows])
    made.charts["statuses"] = trend_charts.counts(statuses, f"{name}: key results by status", ("key result", "key results"))
    counted = [trend_charts.CountRow(r.cycle, [("okr-fill-signals", sum(r.signals.values()), "signals")]) for r in rows]
    made.charts["signals"] = trend_charts.counts(counted, f"{name}: health signals by cycle", ("signal", "signals"), parts=False)
    made.charts["calibration"] = trend_charts.calibration(everything, name)
    if pulse:
        made.charts["pulse"] = trend_charts.pulse(made.pulse_cycles, pulse, name)
    return made


@dataclass(frozen=True)
class Learning:
    """What a team's record teaches across its cycles, for its page."""

    calibration: Calibration
    calibration_chart: Markup
    pulse_cycles: list[Cycle]
    """The cycles of its documents with an answered pulse survey, oldest first."""
    pulse: list[PulseLine]
    pulse_chart: Markup | None
    maturity: list[Maturity]
    """The signs of its practice in each of its documents, oldest first."""


def learning(analysis: Analysis, team: Team) -> Learning:
    docs = list(team.documents.values())
    found = analysis.calibration(docs)
    surveyed = [d for d in docs if d.pulse is not None and d.pulse.responses > 0]
    pulse = pulse_trend([(d.cycle, [d]) for d in surveyed])
    chart = trend_charts.pulse([d.cycle for d in surveyed], pulse, team.name) if pulse else None
    maturity = trajectory(analysis.org, analysis.facts, team, analysis.rules)
    return Learning(found, trend_charts.calibration(found, team.name), [d.cycle for d in surveyed], pulse, chart, maturity)
