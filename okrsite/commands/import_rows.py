"""The documents an `okrsite import` writes, drafted from the rows of a table: one per team and cycle.

Every value is read as the loader reads it (numbers, dates, yes/no), with the row and column of a mistake; the
documents are then checked as a whole by loading them (importer.py), and an error there is told at its row too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic_core import PydanticCustomError

from ..analysis.people import ascii_slug
from ..analysis.score import holds_line
from ..content.errors import Problems
from ..content.fields import ID_RE
from ..content.model import Cycle, KeyResult
from ..content.values import found, read_day, read_flag, read_number, read_whole
from .demo_yaml import Inline
from .import_table import Row, Table

ROUNDING = 5e-5
"""Half a step of the 4 decimals `/okrs.csv` writes scores with: a score nearer than this to the computed one is the same."""
KR_NUMBERS = ("baseline", "target", "keep_above", "keep_below")


@dataclass(frozen=True)
class NewCycle:
    """A cycle that cycles.yml lacks and the rows give the dates of."""

    id: str
    name: str | None
    start: dt.date
    end: dt.date
    row: Row


@dataclass
class Draft:
    """One document to write: its objectives in the order of their first rows, and the row each part came from."""

    team: str
    cycle: str
    objectives: dict[str, dict[str, Any]] = field(default_factory=dict)
    rows: dict[tuple[str, ...], Row] = field(default_factory=dict)
    """The row of (objective,) and of (objective, key result): where the objective starts, and each key result's."""

    def data(self) -> dict[str, Any]:
        return {"objectives": list(self.objectives.values())}


@dataclass
class Drafts:
    documents: dict[tuple[str, str], Draft] = field(default_factory=dict)
    """By team and cycle id."""
    teams: dict[str, tuple[str, Row]] = field(default_factory=dict)
    """Every team's name and first row."""
    cycles: dict[str, NewCycle] = field(default_factory=dict)
    typed: int = 0
    """Objectives given no type, written as committed."""


def draft_documents(table: Table, cycles: dict[str, Cycle], on: dt.date, problems: Problems) -> Drafts:
    """The documents the rows make, the check-ins dated `on` where a row gives no date; every mistake in `problems`."""
    drafting = _Drafting(table, cycles, on, problems)
    for row in table.rows:
        drafting.add(row)
    return drafting.drafts


class _Drafting:
    def __init__(self, table: Table, cycles: dict[str, Cycle], on: dt.date, problems: Problems) -> None:
        self.table, self.cycles, self.on, self.problems = table, cycles, on, problems
        self.drafts = Drafts()
        self.ids: dict[tuple[str, ...], tuple[str, Row]] = {}
        """Every id made so far in its scope, with the text it was made from and its first row."""
        self.names = {_folded(name): c.id for c in cycles.values() for name in (c.title, c.id)}
        """Cycles by id or name, case and spaces aside."""
        self.dated = table.own and "current_date" in table.headers
        """okrsite's own export gives the day of every check-in it read `current` from."""

    def error(self, row: Row, name: str | None, code: str, message: str) -> None:
        self.problems.error(self.table.loc(row, name), code, message)

    def add(self, row: Row) -> None:
        before = len(self.problems.items)
        cells = _Cells(self, row)
        team = self.make_id(row, ("team",), "team", "team_name")
        cycle = self.cycle(row)
        objective = self.make_id(row, ("objective", team or "", cycle or ""), "objective", "objective_title")
        kr = self.make_id(row, ("key_result", team or "", cycle or "", objective or ""), "key_result", "title")
        kr_data = _key_result(cells, kr or "", self.check_in_day(cells, cycle))
        if team is None or cycle is None or objective is None or kr is None or len(self.problems.items) > before:
            return
        name = row.values.get("team_name") or row.values.get("team", team)
        first = self.drafts.teams.setdefault(team, (name, row))
        self.agree(row, "team_name", f"team {team!r}", name, first)
        draft = self.drafts.documents.setdefault((team, cycle), Draft(team, cycle))
        title = row.values.get("objective_title") or row.values.get("objective", objective)
        kind = cells.choice("objective_type", ("committed", "aspirational"))
        if objective not in draft.objectives:
            draft.objectives[objective] = {"id": objective, "title": title, "type": kind or "committed", "key_results": []}
            draft.rows[(objective,)] = row
            self.drafts.typed += kind is None
        mapping, start = draft.objectives[objective], draft.rows[(objective,)]
        self.agree(row, "objective_title", f"objective {objective!r}", title, (mapping["title"], start))
        self.agree(row, "objective_type", f"objective {objective!r}", kind or "committed", (mapping["type"], start))
        if (objective, kr) in draft.rows:
            self.error(
                row,
                "key_result" if "key_result" in row.values else "title",
                "duplicate-id",
                f"key result {kr!r} of {team}/{objective} in {cycle} is on line "
                f"{draft.rows[(objective, kr)].line} too; expected one row per key result",
            )
            return
        draft.rows[(objective, kr)] = row
        mapping["key_results"].append(kr_data)

    def make_id(self, row: Row, scope: tuple[str, ...], name: str, fallback: str) -> str | None:
        """An id from the row's `name` cell, else from its `fallback` (a name or title), slugified unless it is an id already."""
        text = row.values.get(name) or row.values.get(fallback)
        if text is None:
            self.error(row, None, "missing", f"found no {name} and no {fallback}; expected one of the two in every row")
            return None
        given = name if name in row.values else fallback
        made = text if given == name and ID_RE.fullmatch(text) else ascii_slug(text)
        if not made:
            self.error(row, given, "invalid-id", f"{given}: found {found(text)}, which makes no id; expected letters or digits in it")
            return None
        first_text, first_row = self.ids.setdefault((*scope, made), (text, row))
        if first_text != text:
            where = f"line {first_row.line}"
            self.error(
                row,
                given,
                "id-collision",
                f"{found(text)} and {found(first_text)} ({where}) both make the {name} id {made!r}; change one of them",
            )
            return None
        return made

    def cycle(self, row: Row) -> str | None:
        text = row.values.get("cycle")
        if text is None:
            self.error(row, None, "missing", "found no cycle; expected the cycle's id or name in every row")
            return None
        made = self.names.get(_folded(text)) or (text if ID_RE.fullmatch(text) else ascii_slug(text))
        cells = _Cells(self, row)
        new = self.drafts.cycles.get(made)
        if new is not None:
            for name, day in (("cycle_start", new.start), ("cycle_end", new.end)):
                given = cells.day(name)
                self.agree(row, name, f"cycle {made!r}", (given or day).isoformat(), (day.isoformat(), new.row))
        if made in self.cycles or new is not None:
            return made
        start, end = cells.day("cycle_start"), cells.day("cycle_end")
        if start is None or end is None:
            if {"cycle_start", "cycle_end"} <= row.values.keys():
                return None  # a day that does not read, told already
            self.error(
                row,
                "cycle",
                "unknown-cycle",
                f"cycle {found(text)} is not in cycles.yml; add it there first "
                "(or give its first and last day in cycle_start and cycle_end columns)",
            )
            return None
        if end < start:
            self.error(row, "cycle_end", "cycle-dates", f"cycle_end {end} is before cycle_start {start}; expected end on or after start")
            return None
        if not made:
            self.error(row, "cycle", "invalid-id", f"cycle: found {found(text)}, which makes no id; expected letters or digits in it")
            return None
        self.drafts.cycles[made] = NewCycle(made, row.values.get("cycle_name") or (None if made == text else text), start, end, row)
        return made

    def check_in_day(self, cells: _Cells, cycle: str | None) -> dt.date:
        """The row's current_date, else the as-of date moved inside the cycle."""
        given = cells.day("current_date")
        if given is not None or cycle is None:
            return given or self.on
        dates = self.cycles.get(cycle) or self.drafts.cycles[cycle]
        return min(max(self.on, dates.start), dates.end)

    def agree(self, row: Row, name: str, whose: str, value: str, first: tuple[str, Row]) -> None:
        """The fields of an objective or team are repeated on each of its rows: all of them must say the same."""
        if value != first[0]:
            self.error(
                row,
                name,
                "disagrees",
                f"{whose} has {name} {found(value)} here and {found(first[0])} on line "
                f"{first[1].line}; expected the same on every row of it",
            )


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


class _Cells:
    """One row's cells read as the loader reads values, each mistake told at its row and column."""

    def __init__(self, drafting: _Drafting, row: Row) -> None:
        self.drafting, self.row = drafting, row
        self.comma = drafting.table.delimiter == ";"  # where `;` cuts the cells, `,` is the decimal sign (12,5)

    def text(self, name: str) -> str | None:
        return self.row.values.get(name)

    def read(self, name: str, reader: Callable[[Any], Any]) -> Any:
        text = self.row.values.get(name)
        if text is None:
            return None
        if self.comma and reader is read_number and re.fullmatch(r"[-+]?[0-9]+,[0-9]+", text):
            text = text.replace(",", ".")
        try:
            return reader(text)
        except PydanticCustomError as exc:
            column = self.drafting.table.headers[name]
            where = name if column == name else f"{column!r} ({name})"
            self.drafting.error(self.row, name, "value", f"{where}: {exc.message()}")
            return None

    def number(self, name: str) -> float | None:
        value: float | None = self.read(name, read_number)
        return value

    def day(self, name: str) -> dt.date | None:
        value: dt.date | None = self.read(name, read_day)
        return value

    def choice(self, name: str, options: tuple[str, ...]) -> str | None:
        text = self.row.values.get(name)
        if text is None or text.lower() in options:
            return None if text is None else text.lower()
        self.drafting.error(self.row, name, "value", f"{name}: found {found(text)}; expected {' or '.join(options)}")
        return None

    def wrong(self, name: str, code: str, message: str) -> None:
        self.drafting.error(self.row, name, code, message)


def _key_result(cells: _Cells, kr: str, day: dt.date) -> dict[str, Any]:
    """The key result's mapping in the order of SPEC's document format."""
    numbers = {name: cells.number(name) for name in KR_NUMBERS}
    kind = _kind(cells, numbers)
    data: dict[str, Any] = {"id": kr, "title": cells.text("title")}
    if data["title"] is None:
        cells.wrong("title", "missing", "found no title; expected the key result's title in every row")
    data |= {name: value for name, value in numbers.items() if value is not None}
    data |= {name: value for name in ("unit", "direction", "owner") if (value := cells.text(name)) is not None}
    if "direction" in data:
        data["direction"] = cells.choice("direction", ("increase", "decrease"))
    weight = cells.number("weight")
    if weight is not None and weight != 1:
        data["weight"] = weight
    checkin = _checkin(cells, kind, day)
    if checkin is not None:
        data["checkins"] = [checkin]
    data |= _grade(cells, kind, numbers, checkin)
    return data


def _kind(cells: _Cells, numbers: dict[str, float | None]) -> str:
    """The kind the values make (SPEC: baseline and target, keep_above or keep_below, or none), checked against a kind column."""
    given = {name for name, value in numbers.items() if value is not None}
    made = "health" if given & {"keep_above", "keep_below"} else "metric" if given else "milestone"
    said = cells.choice("kind", ("metric", "health", "milestone"))
    if said is not None and said != made:
        values = ", ".join(sorted(given)) or "none of baseline, target, keep_above, keep_below"
        cells.wrong("kind", "kind", f"kind {said!r}, but the row gives {values}; expected the values of a {said} key result")
    return said or made


def _checkin(cells: _Cells, kind: str, day: dt.date) -> dict[str, Any] | None:
    """One check-in of the value now (or a milestone's state), with its confidence; None when the row gives neither."""
    value, done = cells.number("current"), cells.read("done", read_flag)
    confidence = cells.read("confidence", read_whole)
    if kind == "milestone" and value is not None:
        cells.wrong("current", "checkin-kind", "a milestone key result has no value; expected its state in a done column")
    if kind != "milestone" and done is not None:
        cells.wrong("done", "checkin-kind", f"a {kind} key result is not done or undone; expected its value in a current column")
    state: dict[str, Any] = {"value": value} if kind != "milestone" and value is not None else {}
    if kind == "milestone" and done is not None:
        state = {"done": done}
    if cells.drafting.dated and "current_date" not in cells.row.values:
        state = {}  # okrsite's own export: a current without its day is the baseline of a key result not checked in yet
    if not state:
        if confidence is not None or "current_date" in cells.row.values:
            cells.wrong(
                "current", "checkin-kind", "a confidence or current_date belongs to a check-in; expected the value now (current or done)"
            )
        return None
    return Inline({"date": day, **state, **({"confidence": confidence} if confidence is not None else {})})


def _grade(cells: _Cells, kind: str, numbers: dict[str, float | None], checkin: dict[str, Any] | None) -> dict[str, Any]:
    """The grade a row gives: a score unlike the computed one, or with a note.

    A health key result's score is the share of its check-ins that held the line, which the one check-in written cannot
    give again: a share unlike that check-in's is written as its grade, from `held` and `checkins` where the row has them.
    """
    score, computed, note = cells.number("score"), cells.number("computed_score"), cells.text("score_note")
    source = Path(cells.drafting.table.file).name
    if score is not None and (note is not None or computed is None or abs(score - computed) > ROUNDING):
        return {"score": score, "score_note": note or f"graded before the import from {source}"}
    held, made = cells.read("held", read_whole), cells.read("checkins", read_whole)
    share = held / made if held is not None and made else computed
    if kind != "health" or share is None:
        return {}
    line = KeyResult.model_validate(
        {"id": "line", "title": "line", "keep_above": numbers["keep_above"], "keep_below": numbers["keep_below"]}
    )
    kept = float(holds_line(line, checkin["value"])) if checkin is not None else 0.0
    if abs(kept - share) <= ROUNDING:
        return {}
    said = f"{held} of {made} check-ins" if held is not None and made else "the share of check-ins that"
    return {"score": share, "score_note": f"{said} held the line before the import from {source}"}
