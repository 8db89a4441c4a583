"""The numbers of SPEC section 3: pure functions of the content and the as-of date."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from ..content.model import Checkin, Cycle, Document, KeyResult, Objective
from .rules import Scoring

SPEC_SCORING = Scoring()

StatusLabel = Literal["not started", "pending", "on track", "at risk", "off track", "green", "yellow", "red"]
Phase = Literal["not started", "running", "ended"]


def checkins_until(kr: KeyResult, on: dt.date) -> list[Checkin]:
    """The check-ins made on or before `on`, oldest first; later ones do not exist yet.

    This and `computed_score` keep their answer for the last `on` in the KR: every figure of a KR reads them.
    """
    until = kr._until
    if until is None or until[0] != on:
        until = kr._until = (on, [c for c in kr.checkins_by_date if c.date <= on])
    return until[1]


def last_checkin(kr: KeyResult, on: dt.date) -> Checkin | None:
    made = checkins_until(kr, on)
    return made[-1] if made else None


def checkin_age(kr: KeyResult, on: dt.date) -> tuple[dt.date | None, int]:
    """The day of the last check-in up to `on` (None before the first), and the days since it, or since the cycle began."""
    last = last_checkin(kr, on)
    day = last.date if last is not None else None
    return day, (on - (day or kr.objective.document.cycle.start)).days


def current_value(kr: KeyResult, on: dt.date) -> float | None:
    """The last checked-in value on or before `on`; with none yet, the baseline."""
    last = last_checkin(kr, on)
    return last.value if last is not None and last.value is not None else kr.baseline


def holds_line(kr: KeyResult, value: float) -> bool:
    if kr.keep_above is not None:
        return value >= kr.keep_above
    return kr.keep_below is None or value <= kr.keep_below


def computed_score(kr: KeyResult, on: dt.date) -> float:
    """The score the check-ins give, whatever grade the team wrote."""
    known = kr._computed
    if known is None or known[0] != on:
        known = kr._computed = (on, _computed_score(kr, on))
    return known[1]


def _computed_score(kr: KeyResult, on: dt.date) -> float:
    made = checkins_until(kr, on)
    if kr.kind == "metric":
        assert kr.baseline is not None and kr.target is not None
        current = current_value(kr, on)
        assert current is not None
        return progress(current, kr.baseline, kr.target)
    if kr.kind == "health":
        values = [c.value for c in made if c.value is not None]
        return sum(holds_line(kr, v) for v in values) / len(values) if values else 0.0
    return 1.0 if made and made[-1].done else 0.0


def kr_score(kr: KeyResult, on: dt.date) -> float:
    """The KR's score: a given grade wins over the computed one."""
    return kr.score if kr.score is not None else computed_score(kr, on)


def objective_score(objective: Objective, on: dt.date) -> float | None:
    """The weighted mean of its KR scores; None for an objective without KRs.

    Weights that add up beyond the largest float count relative to the largest one instead.
    """
    known = objective._score
    if known is None or known[0] != on:
        known = objective._score = (on, _objective_score(objective, on))
    return known[1]


def _objective_score(objective: Objective, on: dt.date) -> float | None:
    if not objective.key_results:
        return None
    weights = [kr.weight for kr in objective.key_results]
    if not math.isfinite(sum(weights)):
        top = max(weights)
        weights = [w / top for w in weights]
    return sum(w * kr_score(kr, on) for w, kr in zip(weights, objective.key_results, strict=True)) / sum(weights)


def document_score(doc: Document, on: dt.date) -> float | None:
    """The mean of its objective scores."""
    return _mean(objective_score(o, on) for o in doc.objectives)


def phase(cycle: Cycle, on: dt.date) -> Phase:
    """Where `on` falls in the cycle. Until the cycle ends its figures are figures so far: no key result has landed yet."""
    return "not started" if on < cycle.start else "ended" if on > cycle.end else "running"


def expected_progress(cycle: Cycle, on: dt.date) -> float:
    """How far through the cycle `on` is, 0 to 1, in days."""
    if cycle.days == 0:
        return 1.0 if on >= cycle.start else 0.0
    return _clamp((on - cycle.start).days / cycle.days)


@dataclass(frozen=True)
class Status:
    label: StatusLabel
    outdated: bool = False
    """The cycle runs and the last check-in is older than twice the check-in cadence."""

    def __str__(self) -> str:
        return f"{self.label}, outdated" if self.outdated else self.label


def status(score: float | None, krs: Iterable[KeyResult], cycle: Cycle, on: dt.date, rules: Scoring = SPEC_SCORING) -> Status:
    """The status of a KR, objective or document whose KRs are `krs` and whose score is `score`."""
    stage = phase(cycle, on)
    if stage == "not started":
        return Status("not started")
    if stage == "ended":
        value = score or 0.0
        return Status("green" if value >= rules.green else "yellow" if value >= rules.yellow else "red")
    dates = [c.date for kr in krs if (c := last_checkin(kr, on)) is not None]
    if not dates or score is None:
        return Status("pending")
    outdated = (on - max(dates)).days > rules.outdated_after * cycle.checkin_every
    expected = expected_progress(cycle, on)
    label: StatusLabel = (
        "on track" if score >= expected - rules.on_track_margin else "at risk" if score >= expected - rules.at_risk_margin else "off track"
    )
    return Status(label, outdated)


def kr_status(kr: KeyResult, on: dt.date, rules: Scoring = SPEC_SCORING) -> Status:
    return status(kr_score(kr, on), [kr], kr.objective.document.cycle, on, rules)


def objective_status(objective: Objective, on: dt.date, rules: Scoring = SPEC_SCORING) -> Status:
    return status(objective_score(objective, on), objective.key_results, objective.document.cycle, on, rules)


def document_status(doc: Document, on: dt.date, rules: Scoring = SPEC_SCORING) -> Status:
    return status(document_score(doc, on), [kr for o in doc.objectives for kr in o.key_results], doc.cycle, on, rules)


@dataclass(frozen=True)
class Summary:
    """Committed and aspirational KRs summarised apart: one average of both hides both."""

    committed: int
    landed: int
    aspirational: int
    aspirational_mean: float | None
    on_track: int
    """Committed KRs on track (or landed, of a cycle that ended): while a cycle runs, what pages show instead of the
    count landed so far."""

    @property
    def landed_share(self) -> float | None:
        return self.landed / self.committed if self.committed else None


EPSILON = 1e-9
"""Scores come from divisions: a 0.8999999999 must not fall below a 0.9 line."""


def has_landed(score: float, kind: Literal["aspirational", "committed"], rules: Scoring = SPEC_SCORING) -> bool:
    """Whether a key result of an objective of `kind` landed with `score`: its type sets the line (`landed`, `aspirational_landed`)."""
    return score >= (rules.landed if kind == "committed" else rules.aspirational_landed) - EPSILON


def summarise(objectives: Iterable[Objective], on: dt.date, rules: Scoring = SPEC_SCORING) -> Summary:
    objectives = list(objectives)
    committed_krs = [kr for o in objectives if o.type == "committed" for kr in o.key_results]
    committed = [kr_score(kr, on) for kr in committed_krs]
    aspirational = [kr_score(kr, on) for o in objectives if o.type == "aspirational" for kr in o.key_results]
    on_track = sum(_on_track(kr, value, on, rules) for kr, value in zip(committed_krs, committed, strict=True))
    return Summary(
        len(committed), sum(has_landed(s, "committed", rules) for s in committed), len(aspirational), _mean(aspirational), on_track
    )


def _on_track(kr: KeyResult, value: float, on: dt.date, rules: Scoring) -> bool:
    """On track while its cycle runs; a KR of a cycle that ended already (a team's short cycle within the company's)
    counts when it landed, so that a summary over both is not short of it."""
    if phase(kr.objective.document.cycle, on) == "ended":
        return has_landed(value, "committed", rules)
    return kr_status(kr, on, rules).label == "on track"


def progress(value: float, start: float, end: float) -> float:
    """How far `value` is from `start` towards `end`, 0 to 1 (`end` != `start`).

    Exact where floats overflow: from -1e308 to 1e308 the difference is infinite, the share is not.
    """
    done, span = value - start, end - start
    share = done / span if math.isfinite(done) and math.isfinite(span) else math.nan
    if not math.isfinite(share):
        exact = (Fraction(value) - Fraction(start)) / (Fraction(end) - Fraction(start))
        share = 0.0 if exact < 0 else 1.0 if exact > 1 else float(exact)
    return _clamp(share)


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None
