"""The typed model of OKR content (SPEC section 2).

The pydantic classes check the shape of each file; `validate.py` adds the rules
that span fields, documents and teams. Every object remembers the Source it came
from and its path inside it, so any later message can point at its line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from .errors import Loc
from .fields import AlignRef, Day, DependencyRef, Flag, Id, MissedRef, Number, Scalar, Text, Whole

if TYPE_CHECKING:
    from .source import Path_, Source


class Located(BaseModel):
    """A content object that knows the file and path it was read from."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)
    _at: tuple[Source, Path_] | None = PrivateAttr(None)
    """The file and path this object was read from (one attribute: pydantic sets each one up per object)."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Private attributes as one copy of their defaults (all immutable): pydantic's own way was a fifth of loading."""
        super().__pydantic_init_subclass__(**kwargs)
        defaults = {name: attr.get_default() for name, attr in cls.__private_attributes__.items()}
        assert all(value is None or isinstance(value, (str, tuple)) for value in defaults.values()), defaults

        def model_post_init(self: Located, context: Any, /) -> None:
            object.__setattr__(self, "__pydantic_private__", defaults.copy())

        cls.model_post_init = model_post_init  # type: ignore[method-assign, assignment]
        for name in defaults:  # read in one dict lookup: pydantic's way (an AttributeError, then its __getattr__) costs four
            # times that, pages and analyses read `_document` or `_cycle` 100,000s of times; a copy in the making, with no
            # private dict yet, raises AttributeError here and so falls back to pydantic's way
            setattr(cls, name, property(lambda self, name=name: self.__pydantic_private__[name]))  # type: ignore[misc]

    def __reduce__(self) -> tuple[Any, ...]:
        """Its values alone, pickled: parsing.py sends models between processes, and pydantic's way reads back slower."""
        return _rebuilt, (type(self), self.__dict__, self.__pydantic_fields_set__, self.__pydantic_private__)

    @property
    def source(self) -> Source | None:
        """The file this object was read from."""
        at = self._at
        return at[0] if at is not None else None

    def loc(self, *steps: str | int) -> Loc:
        """Where this object stands, or a value inside it: `kr.loc("target")`, `obj.loc("aligns_to", 1)`."""
        at = self._at
        return Loc("<memory>") if at is None else at[0].loc((*at[1], *steps))

    def key_loc(self, name: str) -> Loc:
        at = self._at
        return Loc("<memory>") if at is None else at[0].key_loc((*at[1], name))

    def lost(self, name: str) -> bool:
        """Whether the writer gave the field but its value was left out for an error (reported already)."""
        at = self._at
        return at is not None and (*at[1], name) in at[0].set_aside

    def has(self, name: str) -> bool:
        """Whether the writer gave the field, as opposed to its default."""
        return name in self.model_fields_set


def _rebuilt(cls: type[Located], values: dict[str, Any], fields_set: set[str], private: dict[str, Any]) -> Located:
    obj = object.__new__(cls)
    object.__setattr__(obj, "__dict__", values)
    object.__setattr__(obj, "__pydantic_fields_set__", fields_set)
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", private)
    return obj


class Cycle(Located):
    id: Id = Field(description="The cycle's id, as team documents are named (2026-Q1.yml).")
    name: Text | None = Field(None, description="Shown on pages; defaults to the id.")
    start: Day = Field(description="The first day, YYYY-MM-DD.")
    end: Day = Field(description="Inclusive; on or after start.")
    checkin_every: Whole = Field(7, ge=1, le=365, description="Days between expected check-ins.")

    @property
    def title(self) -> str:
        return self.name or self.id

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def overlap_days(self, other: Cycle) -> int:
        return max(0, (min(self.end, other.end) - max(self.start, other.start)).days + 1)


class CyclesFile(Located):
    cycles: list[Cycle] = Field(description="Every cycle of the organisation; cycles may overlap (quarters and six-week cycles).")


class Team(Located):
    name: Text = Field(description="The team's name, shown on pages.")
    parent: Id | None = Field(None, description="The id of the team above this one in the org tree.")
    lead: Text | None = Field(None, description="Who leads the team.")
    members: list[Text] = Field([], description="The team's members, by name.")
    mission: Text | None = Field(None, description="Markdown.")
    _id: str = PrivateAttr("")
    _documents: dict[str, Document] | None = PrivateAttr(None)
    _unread: tuple[Cycle, ...] = PrivateAttr(())
    """The cycles of documents in the team's folder that the load left unread (okrsite check reads only some)."""

    @property
    def id(self) -> str:
        return self._id

    @property
    def unread(self) -> tuple[Cycle, ...]:
        return self._unread

    @property
    def documents(self) -> dict[str, Document]:
        """The team's documents by cycle id, oldest cycle first."""
        if self._documents is None:
            self._documents = {}
        return self._documents


class Checkin(Located):
    date: Day = Field(description="The day of the check-in, YYYY-MM-DD, within the cycle.")
    value: Number | None = Field(None, description="The measured value (metric and health KRs).")
    done: Flag | None = Field(None, description="Whether the milestone is reached (milestone KRs).")
    confidence: Whole | None = Field(None, ge=1, le=10, description="How sure the team is to land the target, 1-10.")
    note: Text | None = Field(None, description="Markdown.")


class Revision(Located):
    date: Day = Field(description="The day the KR was revised, YYYY-MM-DD.")
    field: Literal["target", "baseline", "title", "unit", "direction"] = Field(description="The field that changed.")
    from_: Scalar | None = Field(None, alias="from", description="Its value before the revision.")
    to: Scalar | None = Field(None, description="Its value after the revision.")
    why: Text | None = Field(None, description="Why it changed.")


class Signals(Located):
    early: Text | None = Field(None, description="The early evidence that the bet works.")
    if_wrong: Text | None = Field(None, description="What would show the bet is wrong.")
    decision: Text | None = Field(None, description="The decision the evidence feeds.")


KrKind = Literal["metric", "health", "milestone"]


class KeyResult(Located):
    id: Id = Field(description="Unique within the objective; referenced as team/objective/kr.")
    title: Text = Field(description="The outcome measured, such as 'Weekly active teams reach 1,200'.")
    baseline: Number | None = Field(None, description="Metric KR: the value at the start of the cycle.")
    target: Number | None = Field(None, description="Metric KR: the value to reach by the cycle's end.")
    keep_above: Number | None = Field(None, description="Health KR: the line its values must stay above.")
    keep_below: Number | None = Field(None, description="Health KR: the line its values must stay below.")
    unit: Text | None = Field(None, description="Shown after values, such as '%' or ' ms'.")
    direction: Literal["increase", "decrease"] | None = Field(
        None, description="Whether the metric should go up or down; by default, from baseline towards target."
    )
    owner: Text | None = Field(None, description="Who owns the KR.")
    weight: Number = Field(1.0, gt=0, description="The KR's weight in its objective's score (above 0).")
    bet: Text | None = Field(None, description="The hypothesis behind the KR.")
    signals: Signals | None = Field(None, description="How the team will know early whether the bet works.")
    depends_on: list[DependencyRef] = Field(
        [], description="Objectives or KRs of other teams this KR needs: team/objective or team/objective/kr, with @cycle to pin one."
    )
    checkins: list[Checkin] = Field([], description="The weekly check-ins: date, value (or done), confidence, note.")
    revisions: list[Revision] = Field([], description="Mid-cycle changes to the KR, each with its date and reason.")
    score: Number | None = Field(None, ge=0, le=1, description="The final grade; the computed score stays visible.")
    score_note: Text | None = Field(None, description="Why the grade differs from the computed score.")
    _objective: Objective | None = PrivateAttr(None)
    _depends: Sequence[Objective | KeyResult] = PrivateAttr(())
    _by_date: list[Checkin] | None = PrivateAttr(None)
    _until: tuple[dt.date, list[Checkin]] | None = PrivateAttr(None)
    _computed: tuple[dt.date, float] | None = PrivateAttr(None)  # the last as-of date's answers: every figure reads them

    @property
    def objective(self) -> Objective:
        objective = self._objective  # once: a private attribute's lookup is slow
        assert objective is not None
        return objective

    @property
    def checkins_by_date(self) -> list[Checkin]:
        """The check-ins oldest first, whatever order the file lists them in (sorted once: every figure reads them)."""
        by_date = self._by_date
        if by_date is None:
            by_date = self._by_date = sorted(self.checkins, key=lambda c: c.date)
        return by_date

    @property
    def depends(self) -> Sequence[Objective | KeyResult]:
        """The resolved `depends_on` targets."""
        return self._depends

    @property
    def kind(self) -> KrKind:
        if self.keep_above is not None or self.keep_below is not None:
            return "health"
        if self.baseline is not None or self.target is not None:
            return "metric"
        return "milestone"


class Initiative(Located):
    title: Text = Field(description="The work the team bets will move its key results.")
    key_results: list[Id] = Field([], description="Ids of key results of this objective.")
    status: Literal["planned", "active", "done", "dropped"] = Field("planned", description="Where the initiative stands.")
    note: Text | None = Field(None, description="Markdown.")


class Objective(Located):
    id: Id = Field(description="Unique within the document; referenced as team/objective.")
    title: Text = Field(description="The qualitative goal, such as 'Customers get value in their first week'.")
    type: Literal["aspirational", "committed"] = Field(
        description="Committed objectives are expected to land fully (by default 0.9 or more); aspirational ones around 0.6-0.8."
    )
    aligns_to: list[AlignRef] = Field(
        [], description="Objectives of other teams this one contributes to: team/objective, with @cycle to pin one."
    )
    continues: Id | None = Field(None, description="The id this objective had in the team's previous document.")
    shared_with: list[Id] = Field([], description="Ids of the other teams that own this objective together with this one.")
    description: Text | None = Field(None, description="Markdown.")
    key_results: list[KeyResult] = Field(description="The measurable results that show the objective is met.")
    initiatives: list[Initiative] = Field([], description="The work planned to move the key results.")
    _document: Document | None = PrivateAttr(None)
    _aligns: Sequence[Objective] = PrivateAttr(())
    _score: tuple[dt.date, float | None] | None = PrivateAttr(None)  # the last as-of date's score (see KeyResult)

    @property
    def document(self) -> Document:
        document = self._document
        assert document is not None
        return document

    @property
    def aligns(self) -> Sequence[Objective]:
        """The resolved `aligns_to` targets."""
        return self._aligns

    def key_result(self, kr_id: str) -> KeyResult | None:
        return next((kr for kr in self.key_results if kr.id == kr_id), None)


class Missed(Located):
    key_result: MissedRef = Field(description="The KR that was missed: objective/kr of this document.")
    cause: Literal["execution", "hypothesis", "external"] = Field(
        description="Why it was missed: the team's execution, a wrong hypothesis, or something outside the team."
    )
    note: Text | None = Field(None, description="Markdown.")


class Lessons(Located):
    business: list[Text] = Field([], description="What the team learnt about its customers and market.")
    method: list[Text] = Field([], description="What the team learnt about how it works with OKRs.")


class Retrospective(Located):
    date: Day | None = Field(None, description="The day of the retrospective, YYYY-MM-DD.")
    landed: list[Text] = Field([], description="What landed.")
    missed: list[Missed] = Field([], description="The key results missed, each with its cause.")
    lessons: Lessons | None = Field(None, description="What the team learnt.")
    changes: list[Text] = Field([], description="What the team will do differently next cycle.")


class Question(Located):
    text: Text = Field(description="The question asked; the same text across cycles makes a trend.")
    score: Number = Field(ge=1, le=5, description="The mean answer on a 1-5 scale.")


class Pulse(Located):
    responses: Whole = Field(ge=0, description="How many people answered.")
    questions: list[Question] = Field([], description="Each question with its mean answer.")


class Document(Located):
    """One team's OKRs for one cycle."""

    objectives: list[Objective] = Field(description="The team's objectives for this cycle.")
    retrospective: Retrospective | None = Field(
        None, description="Written when the cycle ends: what landed, what was missed and why, lessons, changes."
    )
    pulse: Pulse | None = Field(None, description="A short survey of the team at the end of the cycle.")
    _team: Team | None = PrivateAttr(None)
    _cycle: Cycle | None = PrivateAttr(None)
    _narrative: str = PrivateAttr("")

    @property
    def team(self) -> Team:
        team = self._team
        assert team is not None
        return team

    @property
    def cycle(self) -> Cycle:
        cycle = self._cycle
        assert cycle is not None
        return cycle

    @property
    def narrative(self) -> str:
        """The Markdown body of a `.md` document."""
        return self._narrative

    @property
    def file(self) -> str:
        return self.loc().file

    def objective(self, objective_id: str) -> Objective | None:
        return next((o for o in self.objectives if o.id == objective_id), None)


@dataclass
class Organisation:
    """Everything the content says, validated: cycles by start date, teams in file-name order."""

    cycles: dict[str, Cycle] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    _children: dict[str, list[Team]] | None = field(default=None, repr=False)
    """Teams by parent id, made on first use: the organisation does not change once loaded."""

    def documents(self) -> list[Document]:
        return [doc for team in self.teams.values() for doc in team.documents.values()]

    def children(self, team: Team) -> list[Team]:
        if self._children is None:
            self._children = {}
            for t in self.teams.values():
                if t.parent is not None:
                    self._children.setdefault(t.parent, []).append(t)
        return self._children.get(team.id, [])

    def roots(self) -> list[Team]:
        return [t for t in self.teams.values() if t.parent is None or t.parent not in self.teams]

    def previous_document(self, doc: Document) -> Document | None:
        """The team's document with the latest cycle start before this one's."""
        earlier = [d for d in doc.team.documents.values() if d.cycle.start < doc.cycle.start]
        return max(earlier, key=lambda d: (d.cycle.start, d.cycle.end), default=None)
