"""The weekly digest: per owner, the key results due a check-in, what moved since the last digest, and new signals.

Given the analysis as of the digest's date and the analysis of the content as it stood on the last digest's date
(`since`), it says what each person has to do and what changed for them; `okrsite digest` words it.

Who is in it: everyone who owns a key result of a cycle running on the as-of date, and everyone who leads a team
with a document in such a cycle. A signal about a key result goes to its owner (to the team's lead when it has none);
a signal about an objective, a document or a team's run of cycles goes to the team's lead: the objectives of a team
are its lead's.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

from ..content.model import Checkin, Document, KeyResult
from .computed import Analysis
from .health import Signal
from .people import Due, People, Person, due_checkins, people, person_key
from .score import Status, checkins_until, current_value, kr_score

Reading = float | bool | None
"""A key result's value at a date: a number (metric and health KRs), done or not (milestones), or None before any."""


@dataclass(frozen=True)
class Move:
    """A key result checked in after the last digest: where it stood then and where it stands now."""

    key_result: KeyResult
    checkins: list[Checkin]
    """The check-ins dated after `since`, up to the as-of date, oldest first."""
    value_was: Reading
    """Where it stood as of `since`."""
    value: Reading
    score_was: float
    score: float
    status: Status
    confidence_was: int | None
    confidence: int | None


@dataclass(frozen=True)
class OwnerDigest:
    person: Person
    due: list[Due]
    """Their key results due a check-in, the longest waiting first (as their person page lists them)."""
    moved: list[Move]
    """Their key results checked in since the last digest, in team, cycle and file order."""
    new_signals: list[Signal]
    """Signals present as of the as-of date that were not as of `since`, in file order."""

    @property
    def empty(self) -> bool:
        return not (self.due or self.moved or self.new_signals)


@dataclass(frozen=True)
class Digest:
    on: dt.date
    since: dt.date
    owners: list[OwnerDigest]
    """Everyone with something due, moved or new, in alphabetical order of their names."""


class UnknownOwner(Exception):
    """`--owner` names nobody the content names; `close` holds the names it may have meant."""

    def __init__(self, name: str, close: list[str]) -> None:
        super().__init__(name)
        self.name = name
        self.close = close


def find_person(everyone: People, name: str) -> Person:
    """The person `name` stands for, matched as people pages match names (spaces, case and Unicode form aside)."""
    found = everyone.of(name)
    if found is None:
        names = {person_key(p.name): p.name for p in everyone.everyone}
        close = difflib.get_close_matches(person_key(name), list(names), n=3, cutoff=0.6)
        raise UnknownOwner(name, [names[key] for key in close])
    return found


def digest(current: Analysis, before: Analysis, owner: str | None = None) -> Digest:
    """The digest as of `current.on`, since `before.on`; `before` is the content as it stood then, analysed as of then.

    With `owner`, only that person (UnknownOwner when the content names nobody so).
    """
    everyone = people(current.org)
    chosen = [find_person(everyone, owner)] if owner is not None else _owners(everyone, current.on)
    seen = {_identity(s) for s in before.signals()}
    fresh = [s for s in current.signals() if _identity(s) not in seen]
    found = []
    for person in chosen:
        mine = [s for s in fresh if _recipient(s) == person_key(person.name)]
        entry = OwnerDigest(person, due_checkins(person, current.on), _moves(current, before.on, person), mine)
        if not entry.empty:
            found.append(entry)
    return Digest(current.on, before.on, found)


def _owners(everyone: People, on: dt.date) -> list[Person]:
    """Who owns a key result, or leads a team with a document, in a cycle running on `on`."""

    def running(doc: Document) -> bool:
        return doc.cycle.contains(on)

    return [
        p
        for p in everyone.everyone
        if any(running(kr.objective.document) for kr in p.key_results) or any(running(doc) for doc in p.led_documents())
    ]


def _identity(signal: Signal) -> tuple[str, str, str, str]:
    """What a signal is, whatever its evidence says today: its code, and what in which team's document it is about."""
    return signal.document.team.id, signal.document.cycle.id, signal.code, signal.about


def _recipient(signal: Signal) -> str:
    """The key of the person a signal goes to: the key result's owner, else the team's lead ("" for nobody)."""
    kr = signal.key_result
    return person_key((kr.owner if kr is not None else None) or signal.document.team.lead or "")


def _moves(current: Analysis, since: dt.date, person: Person) -> list[Move]:
    moves = []
    for kr in sorted(person.key_results, key=lambda kr: _order(kr.objective.document)):
        made = [c for c in kr.checkins_by_date if since < c.date <= current.on]
        if not made:
            continue
        facts = current.facts.key_result(kr)
        moves.append(
            Move(
                kr,
                made,
                value_was=_reading(kr, since),
                value=_reading(kr, current.on),
                score_was=kr_score(kr, since),
                score=facts.score,
                status=facts.status,
                confidence_was=_confidence(checkins_until(kr, since)),
                confidence=facts.confidence,
            )
        )
    return moves


def _order(doc: Document) -> tuple[str, str, dt.date]:
    return doc.team.name.casefold(), doc.team.id, doc.cycle.start


def _reading(kr: KeyResult, day: dt.date) -> Reading:
    """Its current value on `day`; a milestone's: whether its last check-in by then says done."""
    if kr.kind == "milestone":
        made = checkins_until(kr, day)
        return bool(made and made[-1].done)
    return current_value(kr, day)


def _confidence(made: list[Checkin]) -> int | None:
    return next((c.confidence for c in reversed(made) if c.confidence is not None), None)
