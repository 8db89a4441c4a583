"""Practice health (SPEC section 4): signs that the way a team runs OKRs needs attention.

The numbers say how a cycle goes; these signals say whether the practice around
them works: focus, outcomes, check-ins, alignment, calibration, learning. Each
names its evidence and the line concerned, so that `okrsite check` can print it
as a warning and the /health/ page can explain the practice behind it.

A signal is one function registered with `@_signal(code, practice, when)`, in
SPEC order: its code, the practice it watches (a key of PRACTICES), when it
fires in words (formatted with the site's rules), and the check itself. Its
thresholds are fields of `rules.Health`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ..content.errors import Loc
from ..content.model import Document, KeyResult, Objective, Organisation, Team
from .align import Alignment
from .calibration import calibration, joined
from .facts import Facts
from .practices import PRACTICES as PRACTICES
from .rules import Rules
from .score import EPSILON, checkin_age, has_landed


@dataclass(frozen=True)
class Signal:
    code: str
    message: str
    """One line naming the evidence: which objectives or KRs, which cycles, which values."""
    loc: Loc
    document: Document
    practice: str
    """The key in PRACTICES of the practice concerned, for a link to its explanation."""
    key_result: KeyResult | None = None
    """The key result the signal is about, where it is about one (for a link to it)."""
    about: str = ""
    """What in its document the signal is about, stable while its evidence changes: `objective/kr`, `objective`, or ""
    for the whole document, with an aspect after `#` where one thing can show a signal twice."""


@dataclass(frozen=True)
class _Check:
    """What the document checks read, and how they make a signal."""

    org: Organisation
    facts: Facts
    alignment: Alignment
    doc: Document
    rules: Rules
    nothing_changed: bool | None

    def signal(self, code: str, loc: Loc, message: str, about: KeyResult | Objective | None = None, aspect: str = "") -> Signal:
        kr = about if isinstance(about, KeyResult) else None
        name = f"{kr.objective.id}/{kr.id}" if kr else about.id if about else ""
        return Signal(code, message, loc, self.doc, KINDS[code].practice, kr, f"{name}#{aspect}" if aspect else name)

    def key_results(self) -> Iterable[KeyResult]:
        return (kr for o in self.doc.objectives for kr in o.key_results)

    @property
    def ended(self) -> bool:
        return self.doc.cycle.end < self.facts.on


@dataclass(frozen=True)
class SignalKind:
    code: str
    practice: str
    """The key in PRACTICES of the practice the signal watches."""
    when: str
    """When it fires, in words; `{health.x}` and `{scoring.x}` stand for the site's rules."""
    check: Callable[..., Iterable[Signal]]
    per: Literal["document", "team"]
    """What the check looks at: one document (given a _Check), or a team's run of cycles (facts, team, rules)."""

    def describe(self, rules: Rules) -> str:
        """When the signal fires, in words, with these rules."""
        return self.when.format(health=rules.health, scoring=rules.scoring, verbs=", ".join(rules.health.activity_verbs[:8]))


KINDS: dict[str, SignalKind] = {}
"""Every signal by code, in SPEC order."""


def _signal(code: str, practice: str, when: str, per: Literal["document", "team"] = "document") -> Callable[[Any], Any]:
    assert practice in PRACTICES, practice

    def register(check: Callable[..., Iterable[Signal]]) -> Callable[..., Iterable[Signal]]:
        KINDS[code] = SignalKind(code, practice, when, check, per)
        return check

    return register


@_signal(
    "too-many-okrs",
    "focus",
    "more than {health.max_objectives} objectives in a document, or more than {health.max_key_results} key results in an objective",
)
def _too_many(c: _Check) -> Iterable[Signal]:
    objectives = c.doc.objectives
    if len(objectives) > c.rules.health.max_objectives:
        ids = ", ".join(o.id for o in objectives)
        yield c.signal("too-many-okrs", c.doc.loc(), f"{len(objectives)} objectives (more than {c.rules.health.max_objectives}): {ids}")
    for o in objectives:
        if len(o.key_results) > c.rules.health.max_key_results:
            ids = ", ".join(kr.id for kr in o.key_results)
            message = f"{len(o.key_results)} key results in objective {o.id} (more than {c.rules.health.max_key_results}): {ids}"
            yield c.signal("too-many-okrs", o.loc(), message, o)


@_signal("output-not-outcome", "outcomes", "a milestone key result, or a key result whose title starts with an activity verb ({verbs}...)")
def _output(c: _Check) -> Iterable[Signal]:
    for kr in c.key_results():
        reasons = ["is a milestone (done or not done)"] if kr.kind == "milestone" else []
        verb = activity_verb(kr.title, c.rules.health.activity_verbs)
        if verb is not None:
            reasons.append(f"starts with the activity verb '{verb}'")
        if reasons:
            message = f"key result {kr.id} “{kr.title}” {' and '.join(reasons)}: it counts work done, not the change the work should bring"
            yield c.signal("output-not-outcome", kr.loc(), message, kr)


def activity_verb(title: str, verbs: Iterable[str]) -> str | None:
    """The activity verb that `title` starts with, if any; "Roll-out:" starts with "roll out"."""
    words = _WORD.findall(title.lower())
    candidates = _verbs_by_first_word(tuple(verbs)).get(words[0], ()) if words else ()
    return next((verb for verb, split in candidates if words[: len(split)] == split), None)


_WORD = re.compile(r"[\w']+")


@functools.cache
def _verbs_by_first_word(verbs: tuple[str, ...]) -> dict[str, list[tuple[str, list[str]]]]:
    """Each verb with its words, in the rules' order, under its first word: split once for every title of a build,
    and a title is compared with the verbs that start as it does only."""
    found: dict[str, list[tuple[str, list[str]]]] = {}
    for verb in verbs:
        split = verb.split()
        found.setdefault(split[0], []).append((verb, split))
    return found


@_signal(
    "not-actionable",
    "initiatives",
    "a running cycle's key result that no initiative targets, more than {health.actionable_after_days} days into the cycle",
)
def _not_actionable(c: _Check) -> Iterable[Signal]:
    days = (c.facts.on - c.doc.cycle.start).days
    if days <= c.rules.health.actionable_after_days or not c.doc.cycle.contains(c.facts.on):
        return  # once the cycle ended, no initiative can move it: the retrospective is the place for that lesson
    for o in c.doc.objectives:
        targeted = {kr_id for i in o.initiatives if i.status != "dropped" for kr_id in i.key_results}
        dropped = {kr_id for i in o.initiatives if i.status == "dropped" for kr_id in i.key_results}
        for kr in o.key_results:
            if kr.id not in targeted:
                only = " but dropped ones" if kr.id in dropped else ""
                message = f"no initiative{only} targets key result {kr.id}, {days} days into {c.doc.cycle.id}: what would move it?"
                yield c.signal("not-actionable", kr.loc(), message, kr)


@_signal(
    "set-and-forget",
    "check-ins",
    "a running cycle's key result with no check-in in the last {health.forget_factor:g} x checkin_every days",
)
def _set_and_forget(c: _Check) -> Iterable[Signal]:
    cycle, on = c.doc.cycle, c.facts.on
    if not cycle.contains(on):
        return
    window = c.rules.health.forget_factor * cycle.checkin_every
    expected = f"expected every {cycle.checkin_every} days, flagged after {window:g}"
    for kr in c.key_results():
        last, age = checkin_age(kr, on)
        if age > window:
            found = f"last check-in on {last}, {age} days ago" if last else f"no check-in in the {age} days since {cycle.id} began"
            yield c.signal("set-and-forget", kr.loc(), f"key result {kr.id}: {found} ({expected})", kr)


@_signal("unaligned", "alignment", "an objective with no aligns_to in a team that has a parent team")
def _unaligned(c: _Check) -> Iterable[Signal]:
    team = c.doc.team
    if team.parent is None:
        return
    parent = c.org.teams.get(team.parent)
    above = parent.name if parent else team.parent
    for o in c.doc.objectives:
        if not o.aligns_to:
            message = f"objective {o.id} “{o.title}” aligns to nothing, though {team.name} is part of {above}"
            yield c.signal("unaligned", o.loc(), message, o)


@_signal("broken-dependency", "dependencies", "a depends_on target that was dropped from its team's later OKRs, or is off track or red")
def _broken_dependency(c: _Check) -> Iterable[Signal]:
    for conflict in c.alignment.conflicts([c.doc]):
        edge = conflict.edge
        if conflict.kind not in ("dependency-at-risk", "dependency-dropped") or edge is None or edge.source_kr is None:
            continue
        kr, needed = edge.source_kr, edge.target_kr or edge.target
        index = next(i for i, target in enumerate(kr.depends) if target is needed)
        message = f"key result {kr.id}: {conflict.message}"
        yield c.signal("broken-dependency", kr.loc("depends_on", index), message, kr, f"depends_on{index}")


@_signal(
    "sandbagging",
    "ambition",
    "every key result of a team scored {health.sandbag_score:g} or more, whatever its type, {health.sandbag_cycles} ended cycles in a row",
    per="team",
)
def _sandbagging(facts: Facts, team: Team, rules: Rules) -> Iterable[Signal]:
    """At the latest document of each run of cycles in which every KR scored high."""
    line = rules.health.sandbag_score
    runs: list[list[Document]] = [[]]
    for doc in team.documents.values():
        if doc.cycle.end >= facts.on:
            continue
        scores = [facts.key_result(kr).score for o in doc.objectives for kr in o.key_results]
        if scores and min(scores) >= line - EPSILON:
            runs[-1].append(doc)
        elif runs[-1]:
            runs.append([])
    for run in runs:
        if len(run) >= rules.health.sandbag_cycles:
            latest = run[-1]
            lowest = min(facts.key_result(kr).score for doc in run for o in doc.objectives for kr in o.key_results)
            message = (
                f"every key result scored {line:g} or more in {len(run)} ended cycles in a row "
                f"({', '.join(doc.cycle.id for doc in run)}; lowest {lowest:.2f}): the targets may sit inside what {latest.team.name} "
                "already knew it could do"
            )
            yield Signal("sandbagging", message, latest.loc(), latest, "ambition")


@_signal(
    "miscalibrated",
    "calibration",
    "after a cycle ends, committed key results below {scoring.landed:g}, "
    "or aspirational ones outside {health.aspirational_band[0]:g}-{health.aspirational_band[1]:g} on average",
)
def _miscalibrated(c: _Check) -> Iterable[Signal]:
    if not c.ended:
        return
    scoring, health, cycle = c.rules.scoring, c.rules.health, c.doc.cycle.id
    missed = [(o, kr, s) for o, kr, s in _scores(c.facts, c.doc, "committed") if not has_landed(s, "committed", scoring)]
    if missed:
        named = ", ".join(f"{o.id}/{kr.id} {s:.2f}" for o, kr, s in missed)
        message = f"committed key results below {scoring.landed:g} after {cycle} ended: {named}"
        yield c.signal("miscalibrated", c.doc.loc(), message, aspect="committed")
    aspirational = [s for _, _, s in _scores(c.facts, c.doc, "aspirational")]
    if aspirational:
        mean = sum(aspirational) / len(aspirational)
        low, high = health.aspirational_band
        if not low - EPSILON <= mean <= high + EPSILON:
            hint = "the stretch was too small" if mean > high else "the bets reached too far"
            message = f"aspirational key results averaged {mean:.2f} in {cycle}, outside {low:g}-{high:g}: {hint}"
            yield c.signal("miscalibrated", c.doc.loc(), message, aspect="aspirational")


def _scores(facts: Facts, doc: Document, kind: str) -> list[tuple[Objective, KeyResult, float]]:
    return [(o, kr, facts.key_result(kr).score) for o in doc.objectives if o.type == kind for kr in o.key_results]


@_signal(
    "confidence-stuck",
    "confidence",
    "a document with at least {health.stuck_min_confidences} confidences given over at least one check-in period, all within "
    "{health.stuck_band[0]}-{health.stuck_band[1]}",
)
def _confidence_stuck(c: _Check) -> Iterable[Signal]:
    made = sorted((ci.date, ci.confidence) for kr in c.key_results() for ci in c.facts.key_result(kr).checkins if ci.confidence is not None)
    low, high = c.rules.health.stuck_band
    if len(made) < c.rules.health.stuck_min_confidences or (made[-1][0] - made[0][0]).days < c.doc.cycle.checkin_every:
        return  # confidences given on one day, or within one period, have had no time to move
    if all(low <= value <= high for _, value in made):
        values = ", ".join(str(v) for v in sorted({value for _, value in made}))
        message = f"all {len(made)} confidences, from {made[0][0]} to {made[-1][0]}, sit within {low}-{high} ({values}): they do not move"
        yield c.signal("confidence-stuck", c.doc.loc(), message)


@_signal(
    "confidence-miscalibrated",
    "confidence",
    "over a team's last {health.calibration_cycles} ended cycles, at least {health.calibration_min_krs} key results with a confidence "
    "at mid-cycle, whose mean (read as a forecast, confidence / 10) is {health.calibration_gap:g} or more above or below the share "
    "that landed",
    per="team",
)
def _confidence_miscalibrated(facts: Facts, team: Team, rules: Rules) -> Iterable[Signal]:
    """At each ended document whose cycle closes such a run: the health page shows whether the forecasts improve."""
    health = rules.health
    ended = [doc for doc in team.documents.values() if doc.cycle.end < facts.on]
    each = [calibration(facts, [doc], rules.scoring) for doc in ended]  # once per document, not once per run it is in
    for last in range(health.calibration_cycles, len(ended) + 1):
        run = ended[last - health.calibration_cycles : last]
        found = joined(each[last - health.calibration_cycles : last])
        gap = found.gap
        if len(found.forecasts) < health.calibration_min_krs or gap is None or abs(gap) < health.calibration_gap - EPSILON:
            continue
        latest = run[-1]
        cycles = ", ".join(doc.cycle.id for doc in run)
        message = (
            f"confidence at mid-cycle forecast {found.mean_forecast:.2f} on average for {len(found.forecasts)} key results of "
            f"{cycles}, and {found.landed_share:.2f} of them landed: {found.leaning} by {abs(gap):.2f} (Brier score {found.brier:.2f})"
        )
        yield Signal("confidence-miscalibrated", message, latest.loc(), latest, "confidence")


@_signal("no-retrospective", "retrospective", "an ended cycle's document with no retrospective")
def _no_retrospective(c: _Check) -> Iterable[Signal]:
    if c.ended and c.doc.retrospective is None:
        cycle = c.doc.cycle
        yield c.signal("no-retrospective", c.doc.loc(), f"{cycle.id} ended on {cycle.end} and this document has no retrospective")


@_signal(
    "retro-without-action",
    "retrospective",
    "a retrospective with no changes for the next cycle, or whose changes only say there is none (nothing, n/a...)",
)
def _retro_without_action(c: _Check) -> Iterable[Signal]:
    retro = c.doc.retrospective
    if retro is None:
        return
    said = [text for text in retro.changes if not says_no_change(text, c.rules.health.no_action_words)]
    if not said:
        found = f" (only {', '.join(repr(t) for t in retro.changes)})" if retro.changes else ""
        message = f"the retrospective lists no changes{found}: nothing the team will do differently next cycle"
        yield c.signal("retro-without-action", c.doc.key_loc("retrospective"), message)


def says_no_change(change: str, words: Iterable[str]) -> bool:
    """Whether a retrospective change says only that nothing changes: "Nothing to change.", "N/A", "-"."""
    said = " ".join(change.lower().split()).removesuffix(".").strip()
    return not said or said in words


@_signal("nothing-changed", "learning", "a document whose change log against the team's previous one is empty")
def _nothing_changed(c: _Check) -> Iterable[Signal]:
    if c.nothing_changed:
        previous = c.org.previous_document(c.doc)
        since = f" since {previous.cycle.id}" if previous else ""
        yield c.signal("nothing-changed", c.doc.loc(), f"nothing changed{since}: the change log of {c.doc.cycle.id} is empty")


CODES = tuple(KINDS)
PRACTICE_OF = {code: kind.practice for code, kind in KINDS.items()}
"""Each signal code, in SPEC order, and the practice (a key of PRACTICES) it is about."""
SIGNALS = {code: kind.describe(Rules()) for code, kind in KINDS.items()}
"""When each signal fires, with SPEC's thresholds (SignalKind.describe gives a site's own)."""


def document_signals(
    org: Organisation, facts: Facts, alignment: Alignment, doc: Document, rules: Rules, nothing_changed: bool | None
) -> list[Signal]:
    """The signals of one document, in file order; `nothing_changed` None means the change log is unknown."""
    check = _Check(org, facts, alignment, doc, rules, nothing_changed)
    kinds = [k for k in KINDS.values() if k.per == "document" and k.code not in rules.health.disabled]
    return sorted((s for kind in kinds for s in kind.check(check)), key=lambda s: s.loc)


def team_signals(facts: Facts, team: Team, rules: Rules) -> list[Signal]:
    """The signals that only a team's run of cycles shows."""
    kinds = [k for k in KINDS.values() if k.per == "team" and k.code not in rules.health.disabled]
    return [s for kind in kinds for s in kind.check(facts, team, rules)]


TeamSignals = tuple[list[Signal], list[Signal]]
"""A team's signals: those of its documents, in the documents' order, then those of its run of cycles."""


def signals_of_team(
    org: Organisation, facts: Facts, alignment: Alignment, team: Team, rules: Rules, nothing_changed: Callable[[Document], bool | None]
) -> TeamSignals:
    documents = [s for doc in team.documents.values() for s in document_signals(org, facts, alignment, doc, rules, nothing_changed(doc))]
    return documents, team_signals(facts, team, rules)


def all_signals(
    org: Organisation,
    facts: Facts,
    alignment: Alignment,
    rules: Rules,
    nothing_changed: Callable[[Document], bool | None],
    teams: Mapping[str, TeamSignals] | None = None,
) -> list[Signal]:
    """Every signal of the organisation as of `facts.on`, in file order; `teams`: each team's, worked out already."""
    if teams is None:
        teams = {team.id: signals_of_team(org, facts, alignment, team, rules, nothing_changed) for team in org.teams.values()}
    found = [s for documents, _ in teams.values() for s in documents] + [s for _, of_team in teams.values() for s in of_team]
    return sorted(found, key=lambda s: s.loc)
