"""How objectives connect across teams: `aligns_to` upward, `depends_on` sideways (the Align step).

Pure analysis over the validated model: edges, each team's neighbourhood, and
the conflicts a reader must see (a dependency at risk or dropped, an objective
with no alignment in a team that has a parent, a team many others depend on).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from ..content.model import Document, KeyResult, Objective, Organisation
from ..content.refs import NotRead
from .facts import Facts

EdgeKind = Literal["aligns_to", "depends_on"]
HOT_SPOT = 3
"""A team that this many other teams depend on in one cycle is a hot spot."""


@dataclass(frozen=True, eq=False)
class Edge:
    kind: EdgeKind
    source: Objective
    target: Objective
    source_kr: KeyResult | None = None
    """For `depends_on`: the KR that needs the target."""
    target_kr: KeyResult | None = None
    """For `depends_on` on a KR: that KR; `target` is then its objective."""


@dataclass(frozen=True)
class Conflict:
    kind: Literal["dependency-at-risk", "dependency-dropped", "unaligned", "hot-spot"]
    message: str
    objective: Objective | None = None
    edge: Edge | None = None


@dataclass
class Alignment:
    """Every edge of the organisation, indexed by the documents at both ends."""

    org: Organisation
    facts: Facts
    edges: list[Edge] = field(default_factory=list)
    _out: dict[int, list[Edge]] = field(default_factory=dict)
    _in: dict[int, list[Edge]] = field(default_factory=dict)

    @classmethod
    def of(cls, org: Organisation, facts: Facts) -> Alignment:
        alignment = cls(org, facts)
        for doc in org.documents():
            for objective in doc.objectives:
                for target in objective.aligns:
                    alignment._add(Edge("aligns_to", objective, target))
                for kr in objective.key_results:
                    for needed in kr.depends:
                        if isinstance(needed, KeyResult):
                            alignment._add(Edge("depends_on", objective, needed.objective, kr, needed))
                        else:
                            alignment._add(Edge("depends_on", objective, needed, kr))
        return alignment

    def _add(self, edge: Edge) -> None:
        self.edges.append(edge)
        self._out.setdefault(id(edge.source.document), []).append(edge)
        self._in.setdefault(id(edge.target.document), []).append(edge)

    def outgoing(self, doc: Document) -> list[Edge]:
        return self._out.get(id(doc), [])

    def incoming(self, doc: Document) -> list[Edge]:
        return self._in.get(id(doc), [])

    def conflicts(self, docs: list[Document]) -> list[Conflict]:
        """What a reader of these documents' map must see, in the order of `docs`."""
        found: list[Conflict] = []
        for doc in docs:
            for edge in self.outgoing(doc):
                conflict = self.broken(edge)
                if conflict is not None:
                    found.append(conflict)
            if doc.team.parent is not None:
                for objective in doc.objectives:
                    if not objective.aligns_to:
                        found.append(
                            Conflict(
                                "unaligned",
                                f"{doc.team.name}: “{objective.title}” aligns to no objective, though the team is part of "
                                f"{_team_name(self.org, doc.team.parent)}",
                                objective,
                            )
                        )
        found.extend(self._hot_spots(docs))
        return found

    def broken(self, edge: Edge) -> Conflict | None:
        """Why this dependency is broken (its target dropped, off track or red), or None when it holds or is no dependency."""
        if edge.kind != "depends_on":
            return None
        name = _describe(edge)
        dropped = self._dropped_later(edge, self.facts.on)
        if dropped is not None:
            return Conflict("dependency-dropped", f"{name}: it is no longer in {dropped.file}", edge.source, edge)
        status = self.facts.key_result(edge.target_kr).status if edge.target_kr else self.facts.objective(edge.target).status
        label = status.label
        if label in ("off track", "red"):
            return Conflict("dependency-at-risk", f"{name}: it is {label}", edge.source, edge)
        return None

    def _dropped_later(self, edge: Edge, on: dt.date) -> Document | None:
        """The target team's newest document, begun by `on` and after the one the edge lands in, if it lacks the target."""
        later = later_documents(edge.target.document, edge.source.document, on)
        if not later:
            return None
        newest = max(later, key=lambda d: d.cycle.start)
        objective = next((o for o in newest.objectives if edge.target.id in (o.id, o.continues)), None)
        if objective is None:
            return newest
        if edge.target_kr is not None and objective.key_result(edge.target_kr.id) is None:
            return newest
        return None

    def _hot_spots(self, docs: list[Document]) -> list[Conflict]:
        dependants: dict[str, set[str]] = {}
        for doc in docs:
            for edge in self.outgoing(doc):
                if edge.kind == "depends_on" and edge.target.document.team is not doc.team:
                    dependants.setdefault(edge.target.document.team.id, set()).add(doc.team.id)
        counts = Counter({team: len(teams) for team, teams in dependants.items()})
        return [
            Conflict("hot-spot", f"{_team_name(self.org, team)}: {count} teams depend on it ({', '.join(sorted(dependants[team]))})")
            for team, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
            if count >= HOT_SPOT
        ]


def later_documents(landed: Document, depending: Document, on: dt.date) -> list[Document]:
    """The documents of a dependency's target team that tell whether its target was dropped: begun after the one it
    lands in, by `on` and by the end of the depending document's cycle. NotRead where the load left one unread."""
    until = min(on, depending.cycle.end)
    unread = [c.id for c in landed.team.unread if landed.cycle.start < c.start <= until]
    if unread:
        raise NotRead(landed.team.id, unread)
    return [d for d in landed.team.documents.values() if landed.cycle.start < d.cycle.start <= until]


def _team_name(org: Organisation, team_id: str) -> str:
    team = org.teams.get(team_id)
    return team.name if team else team_id


def _describe(edge: Edge) -> str:
    source = edge.source.document.team.name
    target = edge.target_kr.title if edge.target_kr else edge.target.title
    where = edge.target.document.team.name
    return f"{source} depends on {where}: “{target}”"
