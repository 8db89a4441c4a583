"""Resolving `aligns_to` and `depends_on` across teams and cycles (SPEC section 2).

A reference names a team and an objective (and for `depends_on`, maybe a KR).
It lands in that team's document for the same cycle id, else in the document
whose cycle overlaps the referring cycle the most; `@cycle` pins a cycle.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from dataclasses import dataclass

from .errors import Problems
from .fields import ALIGN_REF_RE, DEPENDENCY_REF_RE
from .model import Cycle, Document, KeyResult, Objective, Organisation


@dataclass(frozen=True)
class Ref:
    team: str
    objective: str
    kr: str | None = None
    cycle: str | None = None

    @classmethod
    def parse(cls, text: str) -> Ref:
        match = DEPENDENCY_REF_RE.fullmatch(text) or ALIGN_REF_RE.fullmatch(text)
        if match is None:
            raise ValueError(f"not a reference: {text!r}")
        parts = match.groupdict()
        return cls(parts["team"], parts["objective"], parts.get("kr"), parts["cycle"])


class Unresolved(Exception):
    """A reference that lands nowhere; the message says where it looked."""


class NotRead(Exception):
    """A lookup needs documents that the load left unread (Team.unread): a load that reads them answers it."""

    def __init__(self, team: str, cycles: list[str]) -> None:
        super().__init__(f"{team}: {', '.join(cycles)}")
        self.team = team
        self.cycles = cycles


def target_document(org: Organisation, team_id: str, cycle: Cycle, pin: str | None) -> Document:
    """The document of `team_id` that a reference from `cycle` lands in."""
    team = org.teams.get(team_id)
    if team is None:
        raise Unresolved(f"no team {team_id!r}{_suggest(team_id, org.teams)}")
    if pin is not None:
        if any(c.id == pin for c in team.unread):
            raise NotRead(team_id, [pin])
        if pin not in team.documents:
            raise Unresolved(f"team {team_id} has no document for cycle {pin}")
        return team.documents[pin]
    if cycle.id in team.documents:
        return team.documents[cycle.id]
    unread = [c.id for c in team.unread if c.overlap_days(cycle) > 0]
    if unread:  # it may land in one of them
        raise NotRead(team_id, unread)
    overlapping = [d for d in team.documents.values() if d.cycle.overlap_days(cycle) > 0]
    if not overlapping:
        raise Unresolved(f"team {team_id} has no document in a cycle that overlaps {cycle.id}; pin one with '@cycle'")
    return max(overlapping, key=lambda d: (d.cycle.overlap_days(cycle), d.cycle.start))


def resolve(org: Organisation, text: str, cycle: Cycle) -> Objective | KeyResult:
    """The objective or key result that reference `text`, written in `cycle`, names."""
    ref = Ref.parse(text)
    doc = target_document(org, ref.team, cycle, ref.cycle)
    objective = doc.objective(ref.objective)
    if objective is None:
        known = [o.id for o in doc.objectives]
        raise Unresolved(f"no objective {ref.objective!r} in {doc.file}{_suggest(ref.objective, known)}")
    if ref.kr is None:
        return objective
    kr = objective.key_result(ref.kr)
    if kr is None:
        known = [k.id for k in objective.key_results]
        raise Unresolved(f"no key result {ref.kr!r} in objective {ref.objective} of {doc.file}{_suggest(ref.kr, known)}")
    return kr


def check_references(org: Organisation, problems: Problems, incomplete: set[str], judged: Collection[str] | None = None) -> None:
    """Resolve every reference onto its objects; record those that land nowhere and alignment loops.

    `judged`: the teams whose references must resolve as in a whole load (NotRead where they cannot); another's
    that need a document left unread stay unresolved, unreported.
    """
    for doc in org.documents():
        for objective in doc.objectives:
            aligns = []
            for i, text in enumerate(objective.aligns_to):
                target = _resolve_or_report(org, doc, text, (objective, "aligns_to", i), problems, incomplete, judged)
                if isinstance(target, Objective):
                    aligns.append(target)
            objective._aligns = aligns
            for kr in objective.key_results:
                depends = []
                for i, text in enumerate(kr.depends_on):
                    target = _resolve_or_report(org, doc, text, (kr, "depends_on", i), problems, incomplete, judged)
                    if target is not None:
                        depends.append(target)
                kr._depends = depends
    _check_alignment_loops(org, problems)


def _resolve_or_report(
    org: Organisation,
    doc: Document,
    text: str,
    where: tuple[Objective | KeyResult, str, int],
    problems: Problems,
    incomplete: set[str],
    judged: Collection[str] | None,
) -> Objective | KeyResult | None:
    """Resolve `text`, written at `where` (the object, its field and the index in it)."""
    try:
        return resolve(org, text, doc.cycle)
    except NotRead:
        if judged is None or doc.team.id in judged:
            raise
        return None
    except Unresolved as exc:
        if Ref.parse(text).team not in incomplete:
            owner, field, index = where
            problems.error(owner.loc(field, index), "unresolved-reference", f"{field}: {text!r} resolves to nothing: {exc}")
        return None


def label(objective: Objective) -> str:
    return f"{objective.document.team.id}/{objective.id}@{objective.document.cycle.id}"


def _check_alignment_loops(org: Organisation, problems: Problems) -> None:
    done: set[int] = set()
    for doc in org.documents():
        for objective in doc.objectives:
            _walk_alignment(objective, [], done, problems)


def _walk_alignment(objective: Objective, path: list[Objective], done: set[int], problems: Problems) -> None:
    """Depth-first along `aligns_to`; a target already on `path` closes a loop."""
    if any(o is objective for o in path):
        loop = path[next(i for i, o in enumerate(path) if o is objective) :]
        names = " -> ".join(label(o) for o in [*loop, objective])
        problems.error(loop[0].loc("aligns_to"), "alignment-loop", f"aligns_to makes a loop: {names}")
        done.update(id(o) for o in loop)
        return
    if id(objective) in done:
        return
    path.append(objective)
    for target in objective.aligns:
        _walk_alignment(target, path, done, problems)
    path.pop()
    done.add(id(objective))


def _suggest(word: str, known: object) -> str:
    close = difflib.get_close_matches(word, list(known), n=1)  # type: ignore[call-overload]
    return f"; did you mean {close[0]!r}?" if close else ""
