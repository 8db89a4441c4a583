"""The OKR practices that the health signals watch, explained for the /health/ page.

Kept apart from `health.py` because this is prose for readers, not rules.
"""

from __future__ import annotations

PRACTICES: dict[str, tuple[str, str]] = {
    "focus": (
        "Focus",
        "A team can push hard on only a few things at a time. Every extra objective or key result thins the attention "
        "the others get, and a long list often means the hard choice of what not to pursue this cycle was never made.",
    ),
    "outcomes": (
        "Outcomes, not outputs",
        "A key result describes a change the team can measure: a rate, a duration, a number of customers. Shipping a "
        "feature or holding a workshop is work done in the hope of that change; it belongs among the initiatives, "
        "where it can be swapped for other work when the number does not move.",
    ),
    "initiatives": (
        "Initiatives",
        "Key results say where the team wants to get; initiatives are its current bets on how. A key result that still "
        "has no initiative a couple of weeks into the cycle suggests the team does not know what would move it, "
        "and it tends to drift until grading day.",
    ),
    "check-ins": (
        "Regular check-ins",
        "A short, regular look at each key result's number and confidence is what turns OKRs into a way of steering. "
        "Without it, the bad news arrives at grading time, when nothing can be done about it any more.",
    ),
    "alignment": (
        "Alignment",
        "An objective that points to an objective of the team above shows how the team's work serves the wider plan, "
        "and lets both sides notice when they drift apart. Objectives written in isolation tend to optimise one corner "
        "of the organisation.",
    ),
    "dependencies": (
        "Dependencies",
        "When a key result needs another team's work, that work is part of the plan. If it is off track, or has left "
        "the other team's OKRs, the plan no longer holds: talk to that team now and adjust the target or the approach.",
    ),
    "ambition": (
        "Ambition",
        "When every key result lands, cycle after cycle and whatever its type, the targets were probably set inside "
        "what the team already knew it could do. Ambitious goals leave some misses, and those misses are the evidence "
        "that the team reached further than last time.",
    ),
    "calibration": (
        "Calibration",
        "Committed and aspirational OKRs promise different things. A committed key result is a promise to deliver and "
        "should land in full; an aspirational one is a stretch, and a set of them that averages around 0.6 to 0.8 was "
        "ambitious yet realistic. Grades outside those ranges tell the team how to set its next targets.",
    ),
    "confidence": (
        "Confidence",
        "A confidence score is the team's forecast of landing the target, and a useful forecast moves when the evidence "
        "does. Scores that sit at 6, 7 or 8 all cycle long say little: they hide both the real risks and the sure things.",
    ),
    "retrospective": (
        "Retrospective",
        "At the end of a cycle the team looks back at what landed, what was missed and why, then decides what it will do "
        "differently. Skipping it lets the next cycle repeat this one's mistakes, and a retrospective that ends without "
        "a decision is a report, not a change.",
    ),
    "learning": (
        "Learning across cycles",
        "A team that gets better at OKRs runs each cycle a little differently from the last: new objectives, sharper "
        "targets, a changed cadence or ritual. When nothing changes from one cycle to the next, the form is being "
        "filled in, but nobody is learning from it.",
    ),
}
"""Each practice's title and a short explanation, by the key that `Signal.practice` holds."""
