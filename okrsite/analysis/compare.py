"""One comparison of two team documents: which objectives and key results were added, removed or changed, and how.

The change log compares a team's document with its previous cycle's; `okrsite diff` compares one document at two
revisions. Both read the same `Comparison` and only word it differently (`changes.py` for pages, `commands/diff.py`
for a pull-request comment).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.model import Checkin, Document, KeyResult, Objective

KR_FIELDS = ("title", "baseline", "target", "keep_above", "keep_below")
"""The fields of a key result that a comparison looks at; the goal is the last four."""
GOAL_FIELDS = KR_FIELDS[1:]


@dataclass(frozen=True)
class KrPair:
    """A key result on both sides: `old` None when it was added, `new` None when it was removed."""

    old: KeyResult | None
    new: KeyResult | None

    @property
    def changed(self) -> list[str]:
        """The KR_FIELDS whose values differ, in that order (none for an added or removed KR)."""
        if self.old is None or self.new is None:
            return []
        return [name for name in KR_FIELDS if getattr(self.old, name) != getattr(self.new, name)]

    @property
    def new_checkins(self) -> list[Checkin]:
        """The new side's check-ins on dates the old side had none, oldest first."""
        known = {c.date for c in self.old.checkins} if self.old is not None else set()
        return sorted((c for c in self.new.checkins if c.date not in known), key=lambda c: c.date) if self.new else []


@dataclass(frozen=True)
class ObjectivePair:
    """An objective on both sides, with its key results paired by id: the new side's in order, then those removed."""

    old: Objective | None
    new: Objective | None
    krs: list[KrPair]

    @property
    def continued(self) -> bool:
        """The objective goes on under another id (`continues`)."""
        return self.old is not None and self.new is not None and self.old.id != self.new.id

    @property
    def retitled(self) -> bool:
        return self.old is not None and self.new is not None and self.old.title != self.new.title

    @property
    def retyped(self) -> bool:
        return self.old is not None and self.new is not None and self.old.type != self.new.type


@dataclass(frozen=True)
class Comparison:
    """Two documents, objective by objective: the new side's in order, then those removed."""

    old: Document | None
    new: Document | None
    objectives: list[ObjectivePair]

    @property
    def cycle_days(self) -> tuple[int, int] | None:
        """The two cycles' lengths in days, the end day included, when they differ."""
        if self.old is None or self.new is None:
            return None
        old, new = self.old.cycle.days + 1, self.new.cycle.days + 1
        return (old, new) if old != new else None

    @property
    def cadence(self) -> tuple[int, int] | None:
        """The two cycles' check-in periods in days, when they differ."""
        if self.old is None or self.new is None:
            return None
        old, new = self.old.cycle.checkin_every, self.new.cycle.checkin_every
        return (old, new) if old != new else None


def compare(old: Document | None, new: Document | None, follow_continues: bool = False) -> Comparison:
    """Pair the objectives of two documents by id; with `follow_continues`, a new objective's `continues` names its old one."""
    pairs, matched = [], set()
    for objective in new.objectives if new is not None else []:
        was = old.objective((objective.continues if follow_continues else None) or objective.id) if old is not None else None
        if was is not None:
            matched.add(was.id)
        pairs.append(ObjectivePair(was, objective, _kr_pairs(was, objective)))
    for was in old.objectives if old is not None else []:
        if was.id not in matched:
            pairs.append(ObjectivePair(was, None, _kr_pairs(was, None)))
    return Comparison(old, new, pairs)


def _kr_pairs(old: Objective | None, new: Objective | None) -> list[KrPair]:
    pairs = [KrPair(old.key_result(kr.id) if old is not None else None, kr) for kr in new.key_results] if new is not None else []
    removed = [kr for kr in old.key_results if new is None or new.key_result(kr.id) is None] if old is not None else []
    return pairs + [KrPair(kr, None) for kr in removed]
