"""The computed figures of each document, gathered once per build for pages and exports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..content.model import Checkin, Document, KeyResult, Objective, Organisation
from . import score
from .rules import Scoring
from .score import SPEC_SCORING, Phase, Status, Summary


@dataclass(frozen=True)
class KrFacts:
    kr: KeyResult
    score: float
    computed: float
    current: float | None
    status: Status
    checkins: list[Checkin]
    """The check-ins made up to the as-of date, oldest first."""

    @property
    def confidence(self) -> int | None:
        return next((c.confidence for c in reversed(self.checkins) if c.confidence is not None), None)

    @property
    def graded(self) -> bool:
        return self.kr.score is not None


@dataclass(frozen=True)
class ObjectiveFacts:
    objective: Objective
    score: float | None
    status: Status
    krs: list[KrFacts]


@dataclass(frozen=True)
class DocumentFacts:
    doc: Document
    on: dt.date
    score: float | None
    status: Status
    expected: float
    summary: Summary
    objectives: list[ObjectiveFacts]

    @property
    def phase(self) -> Phase:
        return score.phase(self.doc.cycle, self.on)


def kr_facts(kr: KeyResult, on: dt.date, rules: Scoring = SPEC_SCORING) -> KrFacts:
    return KrFacts(
        kr,
        score.kr_score(kr, on),
        score.computed_score(kr, on),
        score.current_value(kr, on),
        score.kr_status(kr, on, rules),
        score.checkins_until(kr, on),
    )


def document_facts(doc: Document, on: dt.date, rules: Scoring = SPEC_SCORING) -> DocumentFacts:
    objectives = [
        ObjectiveFacts(
            o, score.objective_score(o, on), score.objective_status(o, on, rules), [kr_facts(kr, on, rules) for kr in o.key_results]
        )
        for o in doc.objectives
    ]
    return DocumentFacts(
        doc,
        on,
        score.document_score(doc, on),
        score.document_status(doc, on, rules),
        score.expected_progress(doc.cycle, on),
        score.summarise(doc.objectives, on, rules),
        objectives,
    )


@dataclass
class Facts:
    """Every document's figures as of one date, computed at most once each."""

    org: Organisation
    on: dt.date
    scoring: Scoring = SPEC_SCORING
    _documents: dict[int, DocumentFacts] = field(default_factory=dict)
    _objectives: dict[int, ObjectiveFacts] = field(default_factory=dict)
    """Figures by the object's identity: content objects compare by value, so they are not keys."""
    _krs: dict[int, KrFacts] = field(default_factory=dict)

    def of(self, doc: Document) -> DocumentFacts:
        found = self._documents.get(id(doc))
        if found is None:
            found = document_facts(doc, self.on, self.scoring)
            self._add(found)
        return found

    def known(self, doc: Document) -> DocumentFacts | None:
        """The document's figures if worked out already."""
        found = self._documents.get(id(doc))
        return found if found is not None and found.doc is doc else None

    def keep(self, found: DocumentFacts) -> None:
        """Take figures worked out by other Facts as of the same date with the same rules: a document's figures read
        nothing but the document and its cycle."""
        assert found.on == self.on
        self._add(found)

    def _add(self, found: DocumentFacts) -> None:
        self._documents[id(found.doc)] = found
        for of in found.objectives:
            self._objectives[id(of.objective)] = of
            self._krs.update((id(kf.kr), kf) for kf in of.krs)

    def objective(self, objective: Objective) -> ObjectiveFacts:
        found = self._objectives.get(id(objective))
        if found is None:
            self.of(objective.document)
            found = self._objectives[id(objective)]
        return found

    def key_result(self, kr: KeyResult) -> KrFacts:
        found = self._krs.get(id(kr))
        if found is None:
            self.of(kr.objective.document)
            found = self._krs[id(kr)]
        return found

    def current_cycle(self) -> str | None:
        """The longest cycle containing the as-of date, else the latest ended one, else the first."""
        cycles = list(self.org.cycles.values())
        running = [c for c in cycles if c.contains(self.on)]
        if running:
            return max(running, key=lambda c: (c.days, c.start)).id
        ended = [c for c in cycles if c.end < self.on]
        if ended:
            return max(ended, key=lambda c: (c.end, c.days)).id
        return cycles[0].id if cycles else None
