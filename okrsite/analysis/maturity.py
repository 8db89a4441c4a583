"""A team's OKR practice cycle by cycle: the signs that it improves, side by side, so the team sees the trend.

The signs: more outcomes than outputs among its key results, baselines taken from where the previous cycle ended,
retrospectives that commit to changes, committed key results that land while aspirational ones average in their band,
and confidences that foretell what lands (`calibration`). Each is None where a cycle cannot show it yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.model import Document, Organisation, Team
from .calibration import calibration
from .changes import final_value
from .compare import compare
from .facts import Facts
from .health import activity_verb, says_no_change
from .rules import Rules
from .score import EPSILON, has_landed


@dataclass(frozen=True)
class Maturity:
    doc: Document
    key_results: int
    outcomes: int
    """Key results that measure a change: not milestones, and not titled with an activity verb (output-not-outcome)."""
    baselines: tuple[int, int] | None
    """Of the metric key results that go on from the previous cycle with a value checked in there, how many start from
    its final value, and how many there are; None for a team's first document or with no such key result."""
    changes: int | None
    """The changes its retrospective commits to (not "nothing", "n/a"...); None without a retrospective."""
    committed_landed: bool | None
    """Once the cycle ended: whether every committed key result landed; None while it runs or with none."""
    aspirational_in_band: bool | None
    """Once the cycle ended: whether the aspirational key results averaged within `health.aspirational_band`."""
    brier: float | None
    """The Brier score of its confidences at mid-cycle, once the cycle ended (see `calibration`)."""


def maturity(org: Organisation, facts: Facts, doc: Document, rules: Rules) -> Maturity:
    krs = [kr for o in doc.objectives for kr in o.key_results]
    outcomes = sum(kr.kind != "milestone" and activity_verb(kr.title, rules.health.activity_verbs) is None for kr in krs)
    retro = doc.retrospective
    changes = None if retro is None else sum(not says_no_change(text, rules.health.no_action_words) for text in retro.changes)
    committed = [facts.key_result(kr).score for o in doc.objectives if o.type == "committed" for kr in o.key_results]
    aspirational = [facts.key_result(kr).score for o in doc.objectives if o.type == "aspirational" for kr in o.key_results]
    ended = doc.cycle.end < facts.on
    landed = all(has_landed(s, "committed", rules.scoring) for s in committed) if ended and committed else None
    low, high = rules.health.aspirational_band
    mean = sum(aspirational) / len(aspirational) if aspirational else None
    in_band = low - EPSILON <= mean <= high + EPSILON if ended and mean is not None else None
    brier = calibration(facts, [doc], rules.scoring).brier
    return Maturity(doc, len(krs), outcomes, _baselines(org, doc), changes, landed, in_band, brier)


def _baselines(org: Organisation, doc: Document) -> tuple[int, int] | None:
    previous = org.previous_document(doc)
    if previous is None:
        return None
    carried = compared = 0
    for pair in compare(previous, doc, follow_continues=True).objectives:
        for kp in pair.krs:
            final = final_value(kp.old) if kp.old is not None else None
            if kp.new is not None and kp.new.kind == "metric" and final is not None:
                compared += 1
                carried += kp.new.baseline == final
    return (carried, compared) if compared else None


def trajectory(org: Organisation, facts: Facts, team: Team, rules: Rules) -> list[Maturity]:
    """The team's practice in each of its documents, oldest first."""
    return [maturity(org, facts, doc, rules) for doc in team.documents.values()]
