"""The rules of SPEC section 8 that span fields, documents and teams."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from .errors import Problem, Problems
from .model import Checkin, Cycle, Document, KeyResult, Objective, Organisation
from .refs import check_references

KINDS = "a KR is metric (baseline and target), health (keep_above or keep_below) or milestone (none of these)"

Basis = tuple[Cycle, Document | None, tuple[bool, ...]]
"""What a document's own rules read besides it (and its team's id, fixed by its file's place): its cycle,
its team's previous document, and whether each team it shares an objective with exists."""
DocumentChecks = dict[int, tuple[Document, Basis, list[Problem]]]
"""Each document's problems by its id(), with the document and the basis they were found on."""


def validate_organisation(
    org: Organisation,
    problems: Problems,
    incomplete: set[str] = frozenset(),  # type: ignore[assignment]
    checked: DocumentChecks | None = None,
    judged: Collection[str] | None = None,
) -> None:
    """Check everything that a single file's shape cannot tell; `incomplete` teams failed to load.

    `checked`: the documents' problems from an earlier load (updated): a document object that is the same,
    on the same basis, is not checked again (`serve` loads every document on each change, and reuses the
    objects of files whose bytes are unchanged).
    `judged`: see check_references.
    """
    _check_tree(org, problems, incomplete)
    known = checked if checked is not None else {}
    fresh: DocumentChecks = {}
    for doc in org.documents():
        basis = (doc.cycle, org.previous_document(doc), tuple(t in org.teams for o in doc.objectives for t in o.shared_with))
        earlier = known.get(id(doc))
        if earlier is not None and earlier[0] is doc and _same_basis(earlier[1], basis):
            found = earlier[2]
        else:
            own = Problems()
            _check_document(org, doc, own)
            found = own.items
        problems.items.extend(found)
        fresh[id(doc)] = (doc, basis, found)
    if checked is not None:
        checked.clear()
        checked.update(fresh)
    check_references(org, problems, incomplete, judged)


def _same_basis(a: Basis, b: Basis) -> bool:
    """The same objects (equal ones from other files would place their problems elsewhere) and the same facts."""
    return a[0] is b[0] and a[1] is b[1] and a[2:] == b[2:]


def _check_tree(org: Organisation, problems: Problems, incomplete: set[str]) -> None:
    for team in org.teams.values():
        if team.parent is None:
            continue
        if team.parent not in org.teams:
            if team.parent not in incomplete:
                problems.error(team.loc("parent"), "unknown-team", f"parent: found {team.parent!r}, which is not a team folder")
            continue
        seen = [team.id]
        parent = org.teams.get(team.parent)
        while parent is not None and parent.id not in seen:
            seen.append(parent.id)
            parent = org.teams.get(parent.parent) if parent.parent else None
        if parent is not None and parent.id == team.id:
            loop = " -> ".join([*seen, team.id])
            problems.error(team.loc("parent"), "parent-loop", f"the org tree loops: {loop}; expected a tree")


def _check_document(org: Organisation, doc: Document, problems: Problems) -> None:
    objectives: dict[str, Objective] = {}
    previous = org.previous_document(doc)
    for objective in doc.objectives:
        if objective.id in objectives:
            first = objectives[objective.id].loc("id").line
            problems.error(objective.loc("id"), "duplicate-id", f"objective '{objective.id}' appears twice (first at line {first})")
        objectives.setdefault(objective.id, objective)
        _check_objective(org, doc, objective, problems)
        if objective.continues is not None:
            if previous is None:
                problems.error(objective.loc("continues"), "unknown-objective", "continues: this is the team's first document")
            elif previous.objective(objective.continues) is None:
                problems.error(
                    objective.loc("continues"),
                    "unknown-objective",
                    f"continues: found {objective.continues!r}, which is not an objective of {previous.file}",
                )
    if doc.retrospective is not None:
        for missed in doc.retrospective.missed:
            objective_id, kr_id = missed.key_result.split("/")
            found = objectives.get(objective_id)
            if found is None or found.key_result(kr_id) is None:
                problems.error(
                    missed.loc("key_result"),
                    "unknown-key-result",
                    f"key_result: found {missed.key_result!r}; expected 'objective/kr' of a key result in this document",
                )


def _check_objective(org: Organisation, doc: Document, objective: Objective, problems: Problems) -> None:
    seen: dict[str, KeyResult] = {}
    for kr in objective.key_results:
        if kr.id in seen:
            first = seen[kr.id].loc("id").line
            problems.error(kr.loc("id"), "duplicate-id", f"key result '{kr.id}' appears twice in this objective (first at line {first})")
        seen.setdefault(kr.id, kr)
        _check_key_result(doc, kr, problems)
    for initiative in objective.initiatives:
        for i, kr_id in enumerate(initiative.key_results):
            if kr_id not in seen:
                known = ", ".join(seen) or "none"
                problems.error(
                    initiative.loc("key_results", i),
                    "unknown-key-result",
                    f"key_results: found {kr_id!r}; expected a key result of this objective ({known})",
                )
    for i, team_id in enumerate(objective.shared_with):
        if team_id not in org.teams or team_id == doc.team.id:
            problems.error(
                objective.loc("shared_with", i),
                "unknown-team",
                f"shared_with: found {team_id!r}; expected another team's folder name",
            )


def _check_key_result(doc: Document, kr: KeyResult, problems: Problems) -> None:
    _check_kind(kr, problems)
    cycle = doc.cycle
    start, end, milestone = cycle.start, cycle.end, kr.kind == "milestone"  # once per KR, not per check-in
    first_on: dict[dt.date, Checkin] = {}
    for checkin in kr.checkins:
        if not start <= checkin.date <= end:
            problems.error(
                checkin.loc("date"),
                "checkin-outside-cycle",
                f"check-in dated {checkin.date}; expected a date within {cycle.id} ({cycle.start} to {cycle.end})",
            )
        first = first_on.setdefault(checkin.date, checkin)
        if first is not checkin:
            problems.error(
                checkin.loc("date"),
                "duplicate-checkin",
                f"a second check-in on {checkin.date} (first at line {first.loc('date').line})",
            )
        if milestone and (checkin.done is None or checkin.value is not None):
            problems.error(checkin.loc(), "checkin-kind", "a milestone KR's check-in carries done: true or false, and no value")
        if not milestone and (checkin.value is None or checkin.done is not None):
            problems.error(checkin.loc(), "checkin-kind", f"a {kr.kind} KR's check-in carries a value, and no done")
    for revision in kr.revisions:
        if not cycle.contains(revision.date):
            problems.error(
                revision.loc("date"),
                "revision-outside-cycle",
                f"revision dated {revision.date}; expected a date within {cycle.id} ({cycle.start} to {cycle.end})",
            )
    if kr.score is not None and not kr.score_note:
        problems.error(kr.loc("score"), "score-without-note", "a given score needs a score_note that says why it differs")
    if kr.score_note and kr.score is None:
        problems.error(kr.loc("score_note"), "note-without-score", "score_note explains a given score; expected a score too")


def _check_kind(kr: KeyResult, problems: Problems) -> None:
    if any(kr.lost(name) for name in ("baseline", "target", "keep_above", "keep_below")):
        return  # its kind cannot be told: the bad value is reported already
    given = [name for name in ("baseline", "target", "keep_above", "keep_below") if kr.has(name) and getattr(kr, name) is not None]
    health = [name for name in given if name.startswith("keep_")]
    if health and len(given) > 1:
        problems.error(kr.loc(given[-1]), "kr-kind", f"found {' and '.join(given)} together; {KINDS}")
        return
    if not health and len(given) == 1:
        missing = "target" if given == ["baseline"] else "baseline"
        problems.error(kr.loc(given[0]), "kr-kind", f"found {given[0]} without {missing}; {KINDS}")
        return
    if kr.baseline is None or kr.target is None:
        return
    if kr.target == kr.baseline:
        problems.error(kr.loc("target"), "target-equals-baseline", f"target equals baseline ({kr.target:g}); expected a change")
    elif kr.direction is not None and (kr.direction == "increase") != (kr.target > kr.baseline):
        problems.error(
            kr.loc("direction"),
            "direction",
            f"direction is {kr.direction}, but {kr.baseline:g} -> {kr.target:g} goes the other way",
        )
