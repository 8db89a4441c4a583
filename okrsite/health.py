"""Practice health (SPEC section 4): signs that the way a team runs OKRs needs attention.

The numbers say how a cycle goes; these signals say whether the practice around
them works: focus, outcomes, check-ins, alignment, calibration, learning. Each
names its evidence and the line concerned, so that `okrsite check` can print it
as a warning and the /health/ page can explain the practice behind it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .align import Alignment
from .errors import Loc
from .facts import Facts
from .model import Document, KeyResult, Objective, Organisation, Team
from .practices import PRACTICES as PRACTICES

EPSILON = 1e-9
"""Scores come from divisions: a 0.8999999999 must not fall below a 0.9 line."""

PRACTICE_OF = {
    "too-many-okrs": "focus",
    "output-not-outcome": "outcomes",
    "not-actionable": "initiatives",
    "set-and-forget": "check-ins",
    "unaligned": "alignment",
    "broken-dependency": "dependencies",
    "sandbagging": "ambition",
    "miscalibrated": "calibration",
    "confidence-stuck": "confidence",
    "no-retrospective": "retrospective",
    "retro-without-action": "retrospective",
    "nothing-changed": "learning",
}
"""Each signal code, in SPEC order, and the practice (a key of PRACTICES) it is about."""
CODES = tuple(PRACTICE_OF)

_DESCRIPTIONS = {
    "too-many-okrs": "more than {max_objectives} objectives in a document, or more than {max_key_results} key results in an objective",
    "output-not-outcome": "a milestone key result, or a key result whose title starts with an activity verb ({verbs}...)",
    "not-actionable": "a key result that no initiative targets, more than {actionable_after_days} days into its cycle",
    "set-and-forget": "a running cycle's key result with no check-in in the last {forget_factor:g} x checkin_every days",
    "unaligned": "an objective with no aligns_to in a team that has a parent team",
    "broken-dependency": "a depends_on target that was dropped from its team's later OKRs, or is off track or red",
    "sandbagging": "every key result of a team scored {sandbag_score:g} or more, whatever its type, {sandbag_cycles} ended cycles in a row",
    "miscalibrated": "after a cycle ends, committed key results below {committed_landed:g}, "
    "or aspirational ones outside {aspirational_band[0]:g}-{aspirational_band[1]:g} on average",
    "confidence-stuck": "a document with at least {stuck_min_confidences} confidences, all within {stuck_band[0]}-{stuck_band[1]}",
    "no-retrospective": "an ended cycle's document with no retrospective",
    "retro-without-action": "a retrospective with no changes for the next cycle",
    "nothing-changed": "a document whose change log against the team's previous one is empty",
}


@dataclass(frozen=True)
class Thresholds:
    """Every threshold of SPEC section 4 with SPEC's value as default.

    `disabled` switches signals off by code (it is not called `off`: YAML reads that key as false).
    """

    max_objectives: int = 5
    max_key_results: int = 5
    activity_verbs: tuple[str, ...] = (
        "launch", "ship", "build", "implement", "create", "write", "hold", "run", "deliver", "release",
        "migrate", "deploy", "develop", "redesign", "rewrite", "complete", "finish", "publish", "roll out",
        "set up", "introduce", "organise", "organize", "host", "conduct", "hire", "integrate", "prepare", "refactor",
    )  # fmt: skip
    """Lower case; a title starting with one of these counts work done, not the change it brings.
    Words that often start an outcome as a noun ("Design partners...", "Upgrade rate...") are left out."""
    actionable_after_days: int = 14
    """Days a team has, from the cycle's start, to name an initiative for each key result (dropped ones do not count)."""
    forget_factor: float = 2.0
    """A running KR is forgotten when its last check-in (or, with none, the cycle's start) is more than this many
    check-in periods old: 14 days on a 7-day cadence is still fine, 15 is not, as with SPEC's "outdated"."""
    sandbag_score: float = 0.9
    sandbag_cycles: int = 2
    committed_landed: float = 0.9
    aspirational_band: tuple[float, float] = (0.6, 0.8)
    stuck_min_confidences: int = 4
    """Fewer confidences than this say too little to call them stuck."""
    stuck_band: tuple[int, int] = (6, 8)
    disabled: frozenset[str] = frozenset()

    def describe(self, code: str) -> str:
        """When the signal `code` fires, in words, with these thresholds."""
        return _DESCRIPTIONS[code].format(verbs=", ".join(self.activity_verbs[:8]), **vars(self))

    @classmethod
    def from_options(cls, options: Mapping[str, object]) -> Thresholds:
        """Thresholds from plain data as written in YAML (the plugin's `health` option); ValueError names a bad key."""
        known = [f.name for f in dataclasses.fields(cls)]
        changes: dict[str, Any] = {}
        for key, value in options.items():
            if key not in _READERS:
                raise ValueError(f"health: unknown option {key!r}; expected one of {', '.join(known)}")
            changes[key] = _READERS[key](key, value)
        return dataclasses.replace(cls(), **changes)


def _count(minimum: int) -> Callable[[str, object], int]:
    def read(key: str, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise ValueError(f"health: {key}: found {value!r}; expected a whole number of at least {minimum}")
        return value

    return read


def _number(key: str, value: object, low: float, high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < low or (high is not None and value > high):
        expected = f"a number from {low:g} to {high:g}" if high is not None else f"a number of at least {low:g}"
        raise ValueError(f"health: {key}: found {value!r}; expected {expected}")
    return float(value)


def _score(key: str, value: object) -> float:
    return _number(key, value, 0, 1)


def _factor(key: str, value: object) -> float:
    factor = _number(key, value, 0)
    if factor == 0:
        raise ValueError(f"health: {key}: found 0; expected a number above 0")
    return factor


def _band(read: Callable[[str, object], Any]) -> Callable[[str, object], tuple[Any, Any]]:
    def read_band(key: str, value: object) -> tuple[Any, Any]:
        if not isinstance(value, (list, tuple)) or len(value) != 2:
            raise ValueError(f"health: {key}: found {value!r}; expected a list of two values, low and high")
        low, high = read(key, value[0]), read(key, value[1])
        if low > high:
            raise ValueError(f"health: {key}: found {low} above {high}; expected the low value first")
        return low, high

    return read_band


def _confidence(key: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10:
        raise ValueError(f"health: {key}: found {value!r}; expected a confidence, a whole number from 1 to 10")
    return value


def _words(key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"health: {key}: found {value!r}; expected a list of words")
    return tuple(" ".join(v.lower().split()) for v in value)


def _codes(key: str, value: object) -> frozenset[str]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"health: {key}: found {value!r}; expected a list of signal codes")
    unknown = [v for v in value if v not in PRACTICE_OF]
    if unknown:
        raise ValueError(f"health: {key}: unknown signal {unknown[0]!r}; expected some of {', '.join(CODES)}")
    return frozenset(value)


_READERS: dict[str, Callable[[str, object], object]] = {
    "max_objectives": _count(1),
    "max_key_results": _count(1),
    "activity_verbs": _words,
    "actionable_after_days": _count(0),
    "forget_factor": _factor,
    "sandbag_score": _score,
    "sandbag_cycles": _count(1),
    "committed_landed": _score,
    "aspirational_band": _band(_score),
    "stuck_min_confidences": _count(1),
    "stuck_band": _band(_confidence),
    "disabled": _codes,
}
SIGNALS = {code: Thresholds().describe(code) for code in CODES}
"""When each signal fires, with SPEC's thresholds (Thresholds.describe gives a site's own)."""


@dataclass(frozen=True)
class Signal:
    code: str
    message: str
    """One line naming the evidence: which objectives or KRs, which cycles, which values."""
    loc: Loc
    document: Document
    practice: str
    """The key in PRACTICES of the practice concerned, for a link to its explanation."""


@dataclass(frozen=True)
class _Check:
    """What the document checks read, and how they make a signal."""

    org: Organisation
    facts: Facts
    alignment: Alignment
    doc: Document
    limits: Thresholds
    nothing_changed: bool | None

    def signal(self, code: str, loc: Loc, message: str) -> Signal:
        return Signal(code, message, loc, self.doc, PRACTICE_OF[code])

    def key_results(self) -> Iterable[KeyResult]:
        return (kr for o in self.doc.objectives for kr in o.key_results)

    @property
    def ended(self) -> bool:
        return self.doc.cycle.end < self.facts.on


def _too_many(c: _Check) -> Iterable[Signal]:
    objectives = c.doc.objectives
    if len(objectives) > c.limits.max_objectives:
        ids = ", ".join(o.id for o in objectives)
        yield c.signal("too-many-okrs", c.doc.loc(), f"{len(objectives)} objectives (more than {c.limits.max_objectives}): {ids}")
    for o in objectives:
        if len(o.key_results) > c.limits.max_key_results:
            ids = ", ".join(kr.id for kr in o.key_results)
            message = f"{len(o.key_results)} key results in objective {o.id} (more than {c.limits.max_key_results}): {ids}"
            yield c.signal("too-many-okrs", o.loc(), message)


def _output(c: _Check) -> Iterable[Signal]:
    for kr in c.key_results():
        reasons = ["is a milestone (done or not done)"] if kr.kind == "milestone" else []
        verb = activity_verb(kr.title, c.limits.activity_verbs)
        if verb is not None:
            reasons.append(f"starts with the activity verb '{verb}'")
        if reasons:
            message = f"key result {kr.id} “{kr.title}” {' and '.join(reasons)}: it counts work done, not the change the work should bring"
            yield c.signal("output-not-outcome", kr.loc(), message)


def activity_verb(title: str, verbs: Iterable[str]) -> str | None:
    """The activity verb that `title` starts with, if any; "Roll-out:" starts with "roll out"."""
    words = re.findall(r"[\w']+", title.lower())
    return next((verb for verb in verbs if words[: len(verb.split())] == verb.split()), None)


def _not_actionable(c: _Check) -> Iterable[Signal]:
    days = (c.facts.on - c.doc.cycle.start).days
    if days <= c.limits.actionable_after_days:
        return
    for o in c.doc.objectives:
        targeted = {kr_id for i in o.initiatives if i.status != "dropped" for kr_id in i.key_results}
        dropped = {kr_id for i in o.initiatives if i.status == "dropped" for kr_id in i.key_results}
        for kr in o.key_results:
            if kr.id not in targeted:
                only = " but dropped ones" if kr.id in dropped else ""
                message = f"no initiative{only} targets key result {kr.id}, {days} days into {c.doc.cycle.id}: what would move it?"
                yield c.signal("not-actionable", kr.loc(), message)


def _set_and_forget(c: _Check) -> Iterable[Signal]:
    cycle, on = c.doc.cycle, c.facts.on
    if not cycle.contains(on):
        return
    window = c.limits.forget_factor * cycle.checkin_every
    expected = f"expected every {cycle.checkin_every} days, flagged after {window:g}"
    for kr in c.key_results():
        made = c.facts.key_result(kr).checkins
        since = made[-1].date if made else cycle.start
        age = (on - since).days
        if age > window:
            found = f"last check-in on {since}, {age} days ago" if made else f"no check-in in the {age} days since {cycle.id} began"
            yield c.signal("set-and-forget", kr.loc(), f"key result {kr.id}: {found} ({expected})")


def _unaligned(c: _Check) -> Iterable[Signal]:
    team = c.doc.team
    if team.parent is None:
        return
    parent = c.org.teams.get(team.parent)
    above = parent.name if parent else team.parent
    for o in c.doc.objectives:
        if not o.aligns_to:
            yield c.signal("unaligned", o.loc(), f"objective {o.id} “{o.title}” aligns to nothing, though {team.name} is part of {above}")


def _broken_dependency(c: _Check) -> Iterable[Signal]:
    for conflict in c.alignment.conflicts([c.doc]):
        edge = conflict.edge
        if conflict.kind not in ("dependency-at-risk", "dependency-dropped") or edge is None or edge.source_kr is None:
            continue
        kr, needed = edge.source_kr, edge.target_kr or edge.target
        index = next(i for i, target in enumerate(kr.depends) if target is needed)
        yield c.signal("broken-dependency", kr.loc("depends_on", index), f"key result {kr.id}: {conflict.message}")


def _miscalibrated(c: _Check) -> Iterable[Signal]:
    if not c.ended:
        return
    limits, cycle = c.limits, c.doc.cycle.id
    missed = [(o, kr, s) for o, kr, s in _scores(c.facts, c.doc, "committed") if s < limits.committed_landed - EPSILON]
    if missed:
        named = ", ".join(f"{o.id}/{kr.id} {s:.2f}" for o, kr, s in missed)
        message = f"committed key results below {limits.committed_landed:g} after {cycle} ended: {named}"
        yield c.signal("miscalibrated", c.doc.loc(), message)
    aspirational = [s for _, _, s in _scores(c.facts, c.doc, "aspirational")]
    if aspirational:
        mean = sum(aspirational) / len(aspirational)
        low, high = limits.aspirational_band
        if not low - EPSILON <= mean <= high + EPSILON:
            hint = "the stretch was too small" if mean > high else "the bets reached too far"
            message = f"aspirational key results averaged {mean:.2f} in {cycle}, outside {low:g}-{high:g}: {hint}"
            yield c.signal("miscalibrated", c.doc.loc(), message)


def _scores(facts: Facts, doc: Document, kind: str) -> list[tuple[Objective, KeyResult, float]]:
    return [(o, kr, facts.key_result(kr).score) for o in doc.objectives if o.type == kind for kr in o.key_results]


def _confidence_stuck(c: _Check) -> Iterable[Signal]:
    made = sorted((ci.date, ci.confidence) for kr in c.key_results() for ci in c.facts.key_result(kr).checkins if ci.confidence is not None)
    low, high = c.limits.stuck_band
    if len(made) >= c.limits.stuck_min_confidences and all(low <= value <= high for _, value in made):
        values = ", ".join(str(v) for v in sorted({value for _, value in made}))
        message = f"all {len(made)} confidences, from {made[0][0]} to {made[-1][0]}, sit within {low}-{high} ({values}): they do not move"
        yield c.signal("confidence-stuck", c.doc.loc(), message)


def _no_retrospective(c: _Check) -> Iterable[Signal]:
    if c.ended and c.doc.retrospective is None:
        cycle = c.doc.cycle
        yield c.signal("no-retrospective", c.doc.loc(), f"{cycle.id} ended on {cycle.end} and this document has no retrospective")


def _retro_without_action(c: _Check) -> Iterable[Signal]:
    retro = c.doc.retrospective
    if retro is not None and not retro.changes:
        message = "the retrospective lists no changes: nothing the team will do differently next cycle"
        yield c.signal("retro-without-action", c.doc.key_loc("retrospective"), message)


def _nothing_changed(c: _Check) -> Iterable[Signal]:
    if c.nothing_changed:
        previous = c.org.previous_document(c.doc)
        since = f" since {previous.cycle.id}" if previous else ""
        yield c.signal("nothing-changed", c.doc.loc(), f"nothing changed{since}: the change log of {c.doc.cycle.id} is empty")


_DOCUMENT_CHECKS: dict[str, Callable[[_Check], Iterable[Signal]]] = {
    "too-many-okrs": _too_many,
    "output-not-outcome": _output,
    "not-actionable": _not_actionable,
    "set-and-forget": _set_and_forget,
    "unaligned": _unaligned,
    "broken-dependency": _broken_dependency,
    "miscalibrated": _miscalibrated,
    "confidence-stuck": _confidence_stuck,
    "no-retrospective": _no_retrospective,
    "retro-without-action": _retro_without_action,
    "nothing-changed": _nothing_changed,
}


def document_signals(
    org: Organisation, facts: Facts, alignment: Alignment, doc: Document, thresholds: Thresholds, nothing_changed: bool | None
) -> list[Signal]:
    """The signals of one document, in file order; `nothing_changed` None means the change log is unknown."""
    check = _Check(org, facts, alignment, doc, thresholds, nothing_changed)
    found = [s for code, run in _DOCUMENT_CHECKS.items() if code not in thresholds.disabled for s in run(check)]
    return sorted(found, key=lambda s: s.loc)


def team_signals(facts: Facts, team: Team, thresholds: Thresholds) -> list[Signal]:
    """The signals that only a team's run of cycles shows: sandbagging, at the latest document of each run."""
    if "sandbagging" in thresholds.disabled:
        return []
    runs: list[list[Document]] = [[]]
    for doc in team.documents.values():
        if doc.cycle.end >= facts.on:
            continue
        scores = [facts.key_result(kr).score for o in doc.objectives for kr in o.key_results]
        if scores and min(scores) >= thresholds.sandbag_score - EPSILON:
            runs[-1].append(doc)
        elif runs[-1]:
            runs.append([])
    return [_sandbagging(facts, run, thresholds) for run in runs if len(run) >= thresholds.sandbag_cycles]


def _sandbagging(facts: Facts, run: list[Document], thresholds: Thresholds) -> Signal:
    latest = run[-1]
    lowest = min(facts.key_result(kr).score for doc in run for o in doc.objectives for kr in o.key_results)
    message = (
        f"every key result scored {thresholds.sandbag_score:g} or more in {len(run)} ended cycles in a row "
        f"({', '.join(doc.cycle.id for doc in run)}; lowest {lowest:.2f}): the targets may sit inside what {latest.team.name} "
        "already knew it could do"
    )
    return Signal("sandbagging", message, latest.loc(), latest, PRACTICE_OF["sandbagging"])


def all_signals(
    org: Organisation,
    facts: Facts,
    alignment: Alignment,
    thresholds: Thresholds,
    nothing_changed: Callable[[Document], bool | None],
) -> list[Signal]:
    """Every signal of the organisation as of `facts.on`, in file order."""
    found = [s for doc in org.documents() for s in document_signals(org, facts, alignment, doc, thresholds, nothing_changed(doc))]
    found += [s for team in org.teams.values() for s in team_signals(facts, team, thresholds)]
    return sorted(found, key=lambda s: s.loc)
