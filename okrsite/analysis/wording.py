"""How a change log says a change: objectives and key results by title, values with their unit, old → new.

Each function returns plain text; the pages escape it. A sentence about a key
result comes in two forms: one that names the objective too (the feed, the
export), and one for a page that lists it under the objective's title.
"""

from __future__ import annotations

from ..content.model import KeyResult, Objective
from ..content.values import with_unit, written

_VERBS = {"title": "retitled", "unit": "unit changed", "direction": "direction switched"}
"""The KR fields said as text rather than as an amount, each with its verb."""
_LINES = (("target", "target"), ("keep_above", "line to keep above"), ("keep_below", "line to keep below"))


def about_objective(objective: Objective, said: str) -> tuple[str, str]:
    """A sentence about an objective: naming it, and as said under its own title."""
    return f"Objective “{objective.title}” {said}", f"Objective {said}"


def about_kr(objective: Objective | str, kr: KeyResult | str, said: str) -> tuple[str, str]:
    """A sentence about a key result: naming its objective too, and as said under the objective's title.

    Each is named by its title; an id stands for one the document no longer has (a KR edited in a commit, then removed).
    """
    kr_name = f"“{kr.title}”" if isinstance(kr, KeyResult) else f"Key result {kr}"
    objective_name = f"“{objective.title}”" if isinstance(objective, Objective) else f"objective {objective}"
    return f"{kr_name} (under {objective_name}): {said}", f"{kr_name}: {said}"


def edit(name: str, old: object, new: object, unit: str | None) -> str:
    """One field's edit: `target raised 55 → 60%`, `baseline set to 30%`, `retitled “D7” → “Day-7 activation rate”`."""
    if name in _VERBS:
        verb = _VERBS[name]
        if old is None or new is None:
            return f"{verb} to {_text(name, new)}" if old is None else f"{verb} from {_text(name, old)}"
        return f"{verb} {_text(name, old)} → {_text(name, new)}"
    label = name.replace("_", " ")
    if old is None:
        return f"{label} set to {with_unit(written(new), unit)}"
    if new is None:
        return f"{label} removed (was {with_unit(written(old), unit)})"
    moved = "changed"
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        moved = "raised" if new > old else "lowered" if new < old else moved
    return f"{label} {moved} {written(old)} → {with_unit(written(new), unit)}"


def _text(name: str, value: object) -> str:
    return str(value) if name == "direction" else f"“{written(value)}”"


def new_goal(old: KeyResult, new: KeyResult) -> str:
    """A KR's goal against the previous cycle's: a target or a line moved, or a goal of another kind."""
    for name, label in _LINES:
        before, after = getattr(old, name), getattr(new, name)
        if before is not None and after is not None:
            return edit(label, before, after, new.unit)
    return f"goal changed: {goal(old)} → {goal(new)}"


def aim(kr: KeyResult) -> str:
    """What a new KR aims at: from its baseline to its target, the line it holds, or a milestone."""
    if kr.target is not None:
        return f"from {written(kr.baseline)} to {amount(kr.target, kr)}"
    return goal(kr)


def goal(kr: KeyResult) -> str:
    """What the KR aims at: a metric's target, the line a health KR holds, or a milestone."""
    if kr.target is not None:
        return f"target {amount(kr.target, kr)}"
    if kr.keep_above is not None:
        return f"keep above {amount(kr.keep_above, kr)}"
    if kr.keep_below is not None:
        return f"keep below {amount(kr.keep_below, kr)}"
    return "a milestone"


def amount(value: float | None, kr: KeyResult) -> str:
    """A value of the KR with its unit."""
    return with_unit(written(value), kr.unit)
