"""What a team changed since its previous cycle (SPEC section 5), each change said as a sentence.

Two sources feed one change log: the team's documents, this one against the
previous one, and the git history of this document's file, for the KR edits a
document cannot show (a target moved on a Tuesday, by whom, and why the commit
said so). Git is read by `okrsite.sources.history` into `Commits`; everything
here is pure over the model and those records.

A change reads as a reader would say it: objectives and key results by title,
values with their unit, old → new, "raised" or "lowered". Its message stands
alone (the feed, the export); pages list the changes by objective (`groups`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..content.model import Document, KeyResult, Objective, Organisation
from .compare import Comparison, compare
from .wording import about_kr, about_objective, aim, amount, edit, new_goal

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
CYCLE_KINDS: tuple[ChangeKind, ...] = ("cycle-length", "cadence")
"""The changes that come with the cycles, not with the team's document."""


@dataclass(frozen=True)
class Change:
    """One line of a change log: `message` for readers, the other fields for pages and exports."""

    kind: ChangeKind
    message: str
    """A sentence that stands alone: it names the objective and the key result by title."""
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
    short: str | None = None
    """The sentence as a page lists it under its objective's title, without naming the objective; None: the message."""


@dataclass(frozen=True)
class ChangeGroup:
    """The changes of a log that concern one thing: the previous retrospective's commitments, the cycle, or an objective."""

    topic: Literal["commitments", "cycle", "objective"]
    changes: list[Change]
    title: str = ""
    """The objective's title: in this document, else in the previous one (a retired objective), else its id."""
    objective: str | None = None


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

    def groups(self) -> list[ChangeGroup]:
        """The changes by what they concern: the commitments, the cycle, then each objective.

        Objectives come in the document's order, retired ones last; in each, its own changes come first,
        then those of its key results in the document's order.
        """
        commitments = [c for c in self.changes if c.kind == "commitment"]
        cycle = [c for c in self.changes if c.kind in CYCLE_KINDS]
        found = [ChangeGroup("commitments", commitments)] if commitments else []
        found += [ChangeGroup("cycle", cycle)] if cycle else []
        by_objective: dict[str, list[Change]] = {}
        for change in self.changes:
            if change.objective is not None:
                by_objective.setdefault(change.objective, []).append(change)
        objectives = [*self.document.objectives, *(self.previous.objectives if self.previous else [])]
        order = list(dict.fromkeys(o.id for o in objectives))
        for objective_id in sorted(by_objective, key=lambda o: order.index(o) if o in order else len(order)):
            objective = next((o for o in objectives if o.id == objective_id), None)
            krs = [kr.id for kr in objective.key_results] if objective is not None else []
            changes = sorted(by_objective[objective_id], key=lambda c: _place(c.kr, krs))
            found.append(ChangeGroup("objective", changes, objective.title if objective else objective_id, objective_id))
        return found

    def without(self, said: Collection[Change]) -> ChangeLog:
        """The log less the changes a page has already said for several teams at once (see `shared_changes`)."""
        return dataclasses.replace(self, changes=[c for c in self.changes if c not in said])


def _place(kr_id: str | None, krs: list[str]) -> int:
    """A change's place in its objective's list: the objective's own, then its KRs' in order, then those of KRs it has no more."""
    if kr_id is None:
        return -1
    return krs.index(kr_id) if kr_id in krs else len(krs)


@dataclass(frozen=True)
class SharedChange:
    """A change of the cycles (length or cadence) that most of the documents of a page share: said once for all of them."""

    change: Change
    documents: list[Document]
    otherwise: list[tuple[Document, Change | None]]
    """The other documents compared with a previous one, each with its own change of that kind, or None for no change."""


def shared_changes(logs: Sequence[ChangeLog]) -> list[SharedChange]:
    """For each kind of cycle change, the one that more than half of the logs with a previous document share, if two or more do."""
    compared = [log for log in logs if log.previous is not None]
    found = []
    for kind in CYCLE_KINDS:
        counts = Counter(c for log in compared for c in log.changes if c.kind == kind)
        common = counts.most_common(1)
        if not common or common[0][1] < 2 or 2 * common[0][1] <= len(compared):
            continue
        change = common[0][0]
        sharing = [log.document for log in compared if change in log.changes]
        others = [log for log in compared if change not in log.changes]
        otherwise = [(log.document, next((c for c in log.changes if c.kind == kind), None)) for log in others]
        found.append(SharedChange(change, sharing, otherwise))
    return found


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
        return [_commit(doc, e) for e in self.edits.get(doc.file, []) if doc.cycle.contains(e.date)]


def _commit(doc: Document, e: KrEdit) -> Change:
    """Named as the document names the KR today."""
    objective = doc.objective(e.objective)
    kr = objective.key_result(e.kr) if objective is not None else None
    said = f"{edit(e.field, e.old, e.new, kr.unit if kr else None)} on {e.date} by {e.author}, in commit “{e.subject}”"
    message, short = about_kr(objective or e.objective, kr or e.kr, said)
    return Change("commit", message, e.objective, e.kr, e.field, e.old, e.new, e.date, e.author, e.subject, e.commit, short)


_NOT_EDITS: frozenset[ChangeKind] = frozenset({"commitment", "commit", *CYCLE_KINDS, "baseline-differs"})
"""Changes in a change log that the team did not make to its document (see ChangeLog.nothing_changed)."""


def change_log(org: Organisation, doc: Document, git: Commits | None = None) -> ChangeLog:
    """Everything that changed in `doc` against the team's previous document, then its revisions and commits."""
    previous = org.previous_document(doc)
    changes: list[Change] = []
    if previous is not None:
        comparison = compare(previous, doc, follow_continues=True)
        changes += _commitments(previous)
        changes += _cycle_changes(comparison)
        changes += _objective_changes(comparison, previous)
        changes += _kr_changes(comparison)
    changes += _revisions(doc)
    if git is not None:
        changes += git.kr_edits(doc)
    return ChangeLog(doc, previous, changes, git.notice if git is not None else None)


def no_edit_since_previous(org: Organisation, doc: Document) -> bool:
    """`change_log(org, doc).nothing_changed`, settled by the first edit of the team's own (what a signal needs, not the log)."""
    previous = org.previous_document(doc)
    if previous is None:
        return False
    comparison = compare(previous, doc, follow_continues=True)
    edits = itertools.chain(_objective_changes(comparison, previous), _kr_changes(comparison), _revisions(doc))
    return all(c.kind in _NOT_EDITS for c in edits)


def _commitments(previous: Document) -> Iterator[Change]:
    retro = previous.retrospective
    for text in retro.changes if retro is not None else []:
        yield Change("commitment", f"Committed to in the {previous.cycle.title} retrospective: {text}", new=text)


def _cycle_changes(c: Comparison) -> Iterator[Change]:
    if c.cycle_days is not None:
        old_days, new_days = c.cycle_days
        yield Change("cycle-length", f"Cycle length changed from {old_days} to {new_days} days", old=old_days, new=new_days)
    if c.cadence is not None:
        old_every, new_every = c.cadence
        yield Change("cadence", f"Check-in cadence changed: every {old_every} → {new_every} days", old=old_every, new=new_every)


def _objective_changes(c: Comparison, previous: Document) -> Iterator[Change]:
    for pair in c.objectives:
        objective, before = pair.new, pair.old
        if objective is None:
            continue
        name = objective.id
        if before is None:
            krs = len(objective.key_results)
            said = f"added ({objective.type}, {krs} key result{'s' if krs != 1 else ''})"
            message, short = about_objective(objective, said)
            yield Change("objective-added", message, name, new=objective.title, short=short)
            continue
        if pair.continued:
            said = f"continues from {previous.cycle.title} under a new id: {before.id} → {name}"
            message, short = about_objective(objective, said)
            yield Change("objective-continued", message, name, old=before.id, new=name, short=short)
        if pair.retitled:
            message = f"Objective retitled “{before.title}” → “{objective.title}”"
            yield Change("objective-retitled", message, name, old=before.title, new=objective.title)
        if pair.retyped:
            said = f"switched {before.type} → {objective.type}"
            message, short = about_objective(objective, said)
            yield Change("objective-type", message, name, old=before.type, new=objective.type, short=short)
    for pair in c.objectives:
        if pair.new is None and pair.old is not None:
            before = pair.old
            message, short = about_objective(before, "retired")
            yield Change("objective-retired", message, before.id, old=before.title, short=short)


def _kr_changes(c: Comparison) -> Iterator[Change]:
    for pair in c.objectives:
        if pair.old is None or pair.new is None:
            continue  # the KRs of an added objective come with it; those of a retired one go with it
        objective = pair.new
        for kp in pair.krs:
            if kp.old is None and kp.new is not None:
                message, short = about_kr(objective, kp.new, f"added, {aim(kp.new)}")
                yield Change("kr-added", message, objective.id, kp.new.id, new=kp.new.title, short=short)
            elif kp.new is None and kp.old is not None:
                message, short = about_kr(objective, kp.old, "removed")
                yield Change("kr-removed", message, objective.id, kp.old.id, old=kp.old.title, short=short)
            elif kp.old is not None and kp.new is not None:
                yield from _kr_differences(objective, kp.old, kp.new)


def _kr_differences(objective: Objective, old: KeyResult, new: KeyResult) -> Iterator[Change]:
    if _goal_values(old) != _goal_values(new):
        message, short = about_kr(objective, new, new_goal(old, new))
        yield Change("kr-retargeted", message, objective.id, new.id, "target", _goal_value(old), _goal_value(new), short=short)
    if old.baseline != new.baseline:
        message, short = about_kr(objective, new, edit("baseline", old.baseline, new.baseline, new.unit))
        yield Change("kr-rebaselined", message, objective.id, new.id, "baseline", old.baseline, new.baseline, short=short)
    final = final_value(old)
    if new.kind == "metric" and final is not None and new.baseline != final:
        said = f"baseline {amount(new.baseline, new)} differs from the previous cycle's final value, {amount(final, old)}"
        message, short = about_kr(objective, new, said)
        yield Change("baseline-differs", message, objective.id, new.id, "baseline", final, new.baseline, short=short)


def _revisions(doc: Document) -> list[Change]:
    """The mid-cycle revisions written in the document, oldest first."""
    changes = []
    for objective in doc.objectives:
        for kr in objective.key_results:
            for r in kr.revisions:
                why = f" (why: {r.why})" if r.why else ""
                said = f"{edit(r.field, r.from_, r.to, kr.unit)} in a revision on {r.date}{why}"
                message, short = about_kr(objective, kr, said)
                changes.append(Change("revision", message, objective.id, kr.id, r.field, r.from_, r.to, r.date, short=short))
    return sorted(changes, key=lambda c: c.date or dt.date.min)


def _goal_values(kr: KeyResult) -> tuple[float | None, ...]:
    return kr.target, kr.keep_above, kr.keep_below


def _goal_value(kr: KeyResult) -> float | None:
    return next((v for v in (kr.target, kr.keep_above, kr.keep_below) if v is not None), None)


def final_value(kr: KeyResult) -> float | None:
    """The last value checked in for the KR, by date, whatever the file order."""
    values = sorted((c for c in kr.checkins if c.value is not None), key=lambda c: c.date)
    return values[-1].value if values else None
