"""What a team changed since its previous cycle (SPEC section 5).

Two sources feed one change log: the team's documents, this one against the
previous one, and the git history of this document's file, for the KR edits a
document cannot show (a target moved on a Tuesday, by whom, and why the commit
said so). Git is read by `okrsite.sources.history` into `Commits`; everything
here is pure over the model and those records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from ..content.model import Document, KeyResult, Organisation
from ..content.values import written
from .compare import Comparison, compare

ChangeKind = Literal[
    "objective-added",
    "objective-retired",
    "objective-continued",
    "objective-retitled",
    "objective-type",
    "kr-added",
    "kr-removed",
    "kr-retargeted",
    "kr-rebaselined",
    "baseline-differs",
    "cycle-length",
    "cadence",
    "commitment",
    "revision",
    "commit",
]


@dataclass(frozen=True)
class Change:
    """One line of a change log: `message` for readers, the other fields for pages and exports."""

    kind: ChangeKind
    message: str
    objective: str | None = None
    kr: str | None = None
    field: str | None = None
    """The KR field a revision or a commit changed: target, baseline, title..."""
    old: object = None
    new: object = None
    date: dt.date | None = None
    author: str | None = None
    subject: str | None = None
    commit: str | None = None


@dataclass(frozen=True)
class ChangeLog:
    """A document's changes; the previous retrospective's commitments come first, as the promises the rest is read against."""

    document: Document
    previous: Document | None
    changes: list[Change]
    git_notice: str | None = None
    """Why commits are not listed (no git, not a repository, a shallow clone); None when they were read or not asked for."""

    @property
    def nothing_changed(self) -> bool:
        """No edit of the team's own since its previous document; a first document always changes.

        Not the team's edits: the promises of the previous retrospective (repeated, not made), the cycles'
        length and cadence (the cycles file's), and a baseline left at its old value (which is what a copy
        of the previous document shows). Judged on the documents alone (commits are edits within the cycle),
        so that `okrsite check`, which reads no history, and the site agree.
        """
        return self.previous is not None and all(c.kind in _NOT_EDITS for c in self.changes)


@dataclass(frozen=True)
class KrEdit:
    """A commit that changed one field of a KR (its target, baseline or title)."""

    commit: str
    date: dt.date
    author: str
    subject: str
    objective: str
    kr: str
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class Commits:
    """What the repository's history says about the documents, read once per build."""

    notice: str | None = None
    """Why commits are not listed, or which are left out; None when every one was read."""
    edits: dict[str, list[KrEdit]] = field(default_factory=dict)
    """The KR edits by document file (relative to the site's root), in author-date order."""

    def kr_edits(self, doc: Document) -> list[Change]:
        """The commits dated (by author date) within the document's cycle that edited one of its KRs."""
        return [_commit(e) for e in self.edits.get(doc.file, []) if doc.cycle.contains(e.date)]


def _commit(e: KrEdit) -> Change:
    change = f"{e.field} {_value(e.field, e.old)} -> {_value(e.field, e.new)}"
    message = f'{_kr_name(e.objective, e.kr)}: {change} on {e.date} by {e.author} ("{e.subject}")'
    return Change("commit", message, e.objective, e.kr, e.field, e.old, e.new, e.date, e.author, e.subject, e.commit)


_NOT_EDITS: frozenset[ChangeKind] = frozenset({"commitment", "commit", "cycle-length", "cadence", "baseline-differs"})
"""Changes in a change log that the team did not make to its document (see ChangeLog.nothing_changed)."""


def change_log(org: Organisation, doc: Document, git: Commits | None = None) -> ChangeLog:
    """Everything that changed in `doc` against the team's previous document, then its revisions and commits."""
    previous = org.previous_document(doc)
    changes: list[Change] = []
    if previous is not None:
        comparison = compare(previous, doc, follow_continues=True)
        changes += _commitments(previous)
        changes += _cycle_changes(comparison)
        changes += _objective_changes(comparison)
        changes += _kr_changes(comparison)
    changes += _revisions(doc)
    if git is not None:
        changes += git.kr_edits(doc)
    return ChangeLog(doc, previous, changes, git.notice if git is not None else None)


def _commitments(previous: Document) -> Iterator[Change]:
    retro = previous.retrospective
    for text in retro.changes if retro is not None else []:
        yield Change("commitment", f"committed to in the {previous.cycle.title} retrospective: {text}", new=text)


def _cycle_changes(c: Comparison) -> Iterator[Change]:
    if c.cycle_days is not None:
        old_days, new_days = c.cycle_days
        yield Change("cycle-length", f"cycle length changed from {old_days} to {new_days} days", old=old_days, new=new_days)
    if c.cadence is not None:
        old_every, new_every = c.cadence
        message = f"check-in cadence changed from every {old_every} to every {new_every} days"
        yield Change("cadence", message, old=old_every, new=new_every)


def _objective_changes(c: Comparison) -> Iterator[Change]:
    for pair in c.objectives:
        objective, before = pair.new, pair.old
        if objective is None:
            continue
        name = objective.id
        if before is None:
            yield Change("objective-added", f'objective {name} added: "{objective.title}"', name, new=objective.title)
            continue
        if pair.continued:
            yield Change("objective-continued", f"objective {before.id} continues as {name}", name, old=before.id, new=name)
        if pair.retitled:
            message = f'objective {name} retitled "{before.title}" -> "{objective.title}"'
            yield Change("objective-retitled", message, name, old=before.title, new=objective.title)
        if pair.retyped:
            message = f"objective {name} switched from {before.type} to {objective.type}"
            yield Change("objective-type", message, name, old=before.type, new=objective.type)
    for pair in c.objectives:
        if pair.new is None and pair.old is not None:
            before = pair.old
            yield Change("objective-retired", f'objective {before.id} retired: "{before.title}"', before.id, old=before.title)


def _kr_changes(c: Comparison) -> Iterator[Change]:
    for pair in c.objectives:
        if pair.old is None or pair.new is None:
            continue  # the KRs of an added objective come with it; those of a retired one go with it
        objective_id = pair.new.id
        for kp in pair.krs:
            if kp.old is None and kp.new is not None:
                message = f'{_kr_name(objective_id, kp.new.id)} added: "{kp.new.title}"'
                yield Change("kr-added", message, objective_id, kp.new.id, new=kp.new.title)
            elif kp.new is None and kp.old is not None:
                message = f'{_kr_name(objective_id, kp.old.id)} removed: "{kp.old.title}"'
                yield Change("kr-removed", message, objective_id, kp.old.id, old=kp.old.title)
            elif kp.old is not None and kp.new is not None:
                yield from _kr_differences(objective_id, kp.old, kp.new)


def _kr_differences(objective_id: str, old: KeyResult, new: KeyResult) -> Iterator[Change]:
    name = _kr_name(objective_id, new.id)
    if _goal(old) != _goal(new):
        message = f"{name} re-targeted {_goal(old)} -> {_goal(new)}"
        yield Change("kr-retargeted", message, objective_id, new.id, "target", _goal_value(old), _goal_value(new))
    if old.baseline != new.baseline:
        message = f"{name} re-baselined {written(old.baseline)} -> {written(new.baseline)}"
        yield Change("kr-rebaselined", message, objective_id, new.id, "baseline", old.baseline, new.baseline)
    final = _final_value(old)
    if new.kind == "metric" and final is not None and new.baseline != final:
        message = f"{name}: baseline {written(new.baseline)} differs from the previous cycle's final value {written(final)}"
        yield Change("baseline-differs", message, objective_id, new.id, "baseline", final, new.baseline)


def _revisions(doc: Document) -> list[Change]:
    """The mid-cycle revisions written in the document, oldest first."""
    changes = []
    for objective in doc.objectives:
        for kr in objective.key_results:
            for r in kr.revisions:
                change = f"{r.field} revised to {_value(r.field, r.to)}"
                if r.from_ is not None:
                    change = f"{r.field} revised {_value(r.field, r.from_)} -> {_value(r.field, r.to)}"
                why = f" ({r.why})" if r.why else ""
                message = f"{_kr_name(objective.id, kr.id)}: {change} on {r.date}{why}"
                changes.append(Change("revision", message, objective.id, kr.id, r.field, r.from_, r.to, r.date))
    return sorted(changes, key=lambda c: c.date or dt.date.min)


def _kr_name(objective_id: str, kr_id: str) -> str:
    return f"KR {kr_id} of {objective_id}"


def _goal(kr: KeyResult) -> str:
    """What the KR aims at: a metric's target, the line a health KR holds, or a milestone."""
    if kr.target is not None:
        return written(kr.target)
    if kr.keep_above is not None:
        return f"keep above {written(kr.keep_above)}"
    if kr.keep_below is not None:
        return f"keep below {written(kr.keep_below)}"
    return "a milestone"


def _goal_value(kr: KeyResult) -> float | None:
    return next((v for v in (kr.target, kr.keep_above, kr.keep_below) if v is not None), None)


def _final_value(kr: KeyResult) -> float | None:
    """The last value checked in for the KR, by date, whatever the file order."""
    values = sorted((c for c in kr.checkins if c.value is not None), key=lambda c: c.date)
    return values[-1].value if values else None


def _value(field_name: str, value: object) -> str:
    return f'"{value}"' if field_name == "title" and value is not None else written(value)
