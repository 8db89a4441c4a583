"""Confidence calibration: how well a team's confidence at mid-cycle foretold which key results landed.

A confidence of 1 to 10 reads as a forecast, confidence / 10, that the key result lands (its type sets the line:
`scoring.landed` for committed, `scoring.aspirational_landed` for aspirational). The forecast taken is the last
confidence given on or before the cycle's midpoint: early enough to be a forecast, late enough to be informed. Only
ended cycles count, as only they have an outcome; a key result with no confidence by the midpoint is left out, and
counted, so that a page can say how many were.

The figure is the Brier score, the mean of (forecast - outcome)²: 0 is a perfect forecast, 0.25 is what always
saying 5 out of 10 earns, and lower is better.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..content.model import Cycle, Document, KeyResult
from .facts import Facts
from .rules import Scoring
from .score import has_landed

BUCKETS: tuple[tuple[int, int], ...] = ((1, 3), (4, 6), (7, 8), (9, 10))
"""Confidences grouped for the calibration chart: few key results per team, so four groups rather than ten."""


def midpoint(cycle: Cycle) -> dt.date:
    """The cycle's middle day (the earlier of two)."""
    return cycle.start + dt.timedelta(days=cycle.days // 2)


def mid_cycle_confidence(kr: KeyResult) -> int | None:
    """The last confidence given on or before its cycle's midpoint; a later one knew too much to be a forecast."""
    middle = midpoint(kr.objective.document.cycle)
    given = [c.confidence for c in kr.checkins_by_date if c.date <= middle and c.confidence is not None]
    return given[-1] if given else None


@dataclass(frozen=True)
class Forecast:
    kr: KeyResult
    confidence: int
    """The confidence at mid-cycle, 1 to 10."""
    landed: bool

    @property
    def chance(self) -> float:
        return self.confidence / 10


@dataclass(frozen=True)
class Bucket:
    low: int
    high: int
    forecasts: list[Forecast]

    @property
    def landed(self) -> int:
        return sum(f.landed for f in self.forecasts)

    @property
    def landed_share(self) -> float | None:
        return self.landed / len(self.forecasts) if self.forecasts else None

    @property
    def mean_forecast(self) -> float | None:
        return _mean([f.chance for f in self.forecasts])


@dataclass(frozen=True)
class Calibration:
    """The forecasts of some documents' key results, and how many key results had none."""

    forecasts: list[Forecast]
    left_out: int
    """Key results of ended cycles with no confidence on or before the midpoint."""

    @property
    def brier(self) -> float | None:
        return _mean([(f.chance - f.landed) ** 2 for f in self.forecasts])

    @property
    def mean_forecast(self) -> float | None:
        return _mean([f.chance for f in self.forecasts])

    @property
    def landed_share(self) -> float | None:
        return _mean([float(f.landed) for f in self.forecasts])

    @property
    def gap(self) -> float | None:
        """The mean forecast less the share that landed: above 0 the team was over-confident, below 0 under-confident."""
        if self.mean_forecast is None or self.landed_share is None:
            return None
        return self.mean_forecast - self.landed_share

    @property
    def leaning(self) -> str:
        """In words: over-confident, under-confident or even (forecasts matched outcomes on average); "" without forecasts."""
        gap = self.gap
        if gap is None:
            return ""
        return "over-confident" if gap > 1e-9 else "under-confident" if gap < -1e-9 else "even"

    def buckets(self) -> list[Bucket]:
        """The forecasts by BUCKETS of confidence, empty buckets included."""
        return [Bucket(low, high, [f for f in self.forecasts if low <= f.confidence <= high]) for low, high in BUCKETS]


def calibration(facts: Facts, docs: Iterable[Document], rules: Scoring) -> Calibration:
    """The forecasts of every key result of those `docs` whose cycle ended by `facts.on`."""
    forecasts, left_out = [], 0
    for doc in docs:
        if doc.cycle.end >= facts.on:
            continue
        for objective in doc.objectives:
            for kr in objective.key_results:
                confidence = mid_cycle_confidence(kr)
                if confidence is None:
                    left_out += 1
                else:
                    forecasts.append(Forecast(kr, confidence, has_landed(facts.key_result(kr).score, objective.type, rules)))
    return Calibration(forecasts, left_out)


def joined(parts: Sequence[Calibration]) -> Calibration:
    """The calibration of several documents from each one's: what `calibration` of them all gives."""
    return Calibration([f for part in parts for f in part.forecasts], sum(part.left_out for part in parts))


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None
