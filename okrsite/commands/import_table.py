"""The spreadsheet an `okrsite import` reads: a CSV file, its columns, and the okrsite field each one fills.

One row is one key result, with its objective's, team's and cycle's fields repeated on every row.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..content.errors import Loc, Problems
from ..content.files import read_bytes
from ..site.export import CSV_COLUMNS

FIELDS: dict[str, str] = {
    "team": "the team's id, its folder in `teams/`; made from `team_name` when there is no team column",
    "team_name": "the name in `team.yml` of a team the import creates (default: the team cell as written)",
    "cycle": "the cycle's id or name in `cycles.yml` (case and spaces aside)",
    "cycle_name": "the name of a cycle that `cycles.yml` lacks (optional)",
    "cycle_start": "the first day (YYYY-MM-DD) of a cycle that `cycles.yml` lacks: with `cycle_end`, the import adds it",
    "cycle_end": "its last day",
    "objective": "the objective's id; made from `objective_title` when there is none",
    "objective_title": "the objective's title (default: its id)",
    "objective_type": "`committed` or `aspirational` (default: committed)",
    "key_result": "the key result's id; made from `title` when there is none",
    "title": "the key result's title (required)",
    "kind": "`metric`, `health` or `milestone`: checked against the values the row gives",
    "baseline": "a metric key result's value at the start",
    "target": "a metric key result's value to reach",
    "keep_above": "a health key result's line to stay above",
    "keep_below": "a health key result's line to stay below",
    "unit": "shown after values",
    "direction": "`increase` or `decrease`",
    "weight": "the key result's weight in its objective (default 1)",
    "owner": "who owns the key result",
    "current": "the value now (metric and health key results): written as one check-in",
    "current_date": "the day of that check-in (default: the as-of date, moved inside the cycle)",
    "done": "a milestone's state now, `true` or `false` (or `yes`/`no`): written as one check-in",
    "confidence": "1-10, on that check-in",
    "score": "the key result's final grade, 0 to 1 (one equal to `computed_score` is no grade)",
    "score_note": "why the grade (default: where it came from)",
    "computed_score": "the score the other tool computed: tells a grade from a figure",
    "checkins": "how many check-ins the key result had",
    "held": "how many of a health key result's check-ins held the line: with `checkins`, its score",
}
"""What okrsite reads from a row, each field with what it means; the README lists them (a test holds the two together)."""
OWN_COMPUTED = ("status", "file", "line")
"""Columns of okrsite's `/okrs.csv` that the site computes again, read by no field."""
OWN_HEADER = CSV_COLUMNS[: CSV_COLUMNS.index("line") + 1]
"""The columns `/okrs.csv` starts with, in every release: how the import knows okrsite's own export."""
DELIMITERS = (",", ";", "\t")
_FORMULA_GUARD = ("=", "+", "-", "@", "\t", "\r")
"""After a quote, these first characters are the export's guard against spreadsheet formulas, which the import takes off."""


def column_key(name: str) -> str:
    """What a column name and a field name are matched on: case, spaces and `_` aside (`Objective Title` is objective_title)."""
    return re.sub(r"[\s_]+", "", name).casefold()


def read_maps(maps: tuple[str, ...]) -> dict[str, str]:
    """`--map "Column=field"` options as column keys to fields; ValueError for one that is malformed or names no field."""
    found: dict[str, str] = {}
    fields = {column_key(name): name for name in FIELDS}
    for option in maps:
        column, equals, name = option.rpartition("=")
        if not equals or not column.strip() or not name.strip():
            raise ValueError(f"{option!r}: expected COLUMN=FIELD, such as 'Objective Name=objective_title'")
        if column_key(name) not in fields:
            raise ValueError(f"{option!r}: {name.strip()!r} is not a field; expected one of {', '.join(FIELDS)}")
        found[column_key(column)] = fields[column_key(name)]
    return found


@dataclass(frozen=True)
class Row:
    line: int
    """The line of the file the row starts on (the header is line 1)."""
    values: dict[str, str]
    """Each field's cell, stripped; fields with an empty cell are left out."""
    columns: dict[str, int] = field(repr=False)
    """Each field's column, counted from 1."""


@dataclass
class Table:
    file: str
    """The file as messages show it."""
    delimiter: str
    own: bool
    """Whether it is okrsite's own `/okrs.csv`."""
    headers: dict[str, str]
    """Each mapped field's column as the file names it."""
    ignored: list[str]
    """Columns that fill no field."""
    rows: list[Row]

    def loc(self, row: Row, name: str | None = None) -> Loc:
        return Loc(self.file, row.line, row.columns.get(name, 1) if name else 1)


def read_table(path: Path, file: str, maps: dict[str, str], problems: Problems) -> Table | None:
    """The rows of a CSV file (`,`, `;` or tab, UTF-8 with or without a byte order mark); None, with the reasons, if unreadable."""
    raw = read_bytes(path, file, problems)
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.error(Loc(file), "encoding", f"byte {exc.start + 1} is not UTF-8; expected a CSV saved as UTF-8 (Excel: CSV UTF-8)")
        return None
    delimiter = _delimiter(text)
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                records.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.error(Loc(file, start), "csv", f"cannot read this row ({exc}); expected CSV")
        return None
    if not records:
        problems.error(Loc(file), "empty", "found no header row; expected one column name per cell, then one row per key result")
        return None
    (_, header), body = records[0], records[1:]
    if not body:
        problems.error(Loc(file), "empty", "found a header row and nothing under it; expected one row per key result")
    header = [cell.strip() for cell in header]
    own = header[: len(OWN_HEADER)] == OWN_HEADER
    columns = _columns(file, header, maps, problems)
    rows = []
    for line, cells in body:
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            problems.error(
                Loc(file, line, len(header) + 1), "csv", f"found {len(cells)} cells; expected at most {len(header)}, one per column"
            )
        values = {name: _unguarded(cells[i].strip()) for name, i in columns.items() if i < len(cells) and cells[i].strip()}
        rows.append(Row(line, values, {name: i + 1 for name, i in columns.items()}))
    mapped = set(columns.values())
    ignored = [name for i, name in enumerate(header) if i not in mapped and name and not (own and name in OWN_COMPUTED)]
    return Table(file, delimiter, own, {name: header[i] for name, i in columns.items()}, ignored, rows)


def _delimiter(text: str) -> str:
    """The delimiter that cuts the header row into the most cells (a tie: the comma)."""
    first = text.splitlines()[0] if text else ""
    return max(DELIMITERS, key=lambda d: len(next(csv.reader([first], delimiter=d), [])))


def _columns(file: str, header: list[str], maps: dict[str, str], problems: Problems) -> dict[str, int]:
    """Each field's column: the one `--map` names for it, else the one named as the field is."""
    keys = [column_key(name) for name in header]
    for key in maps:
        if key not in keys:
            problems.error(Loc(file), "map", f"--map names a column {key!r} that the header lacks; its columns: {', '.join(header)}")
    columns: dict[str, int] = {}
    fields = {column_key(name): name for name in FIELDS}
    mapped = [(i, maps[key]) for i, key in enumerate(keys) if key in maps]
    named = [(i, fields[key]) for i, key in enumerate(keys) if key not in maps and key in fields]
    explicit = {i for i, _ in mapped}
    for i, name in mapped + named:
        if name not in columns:
            columns[name] = i
        elif i in explicit or columns[name] not in explicit:  # two maps, or two columns of the same name, for one field
            first = header[columns[name]]
            problems.error(Loc(file, 1, i + 1), "map", f"columns {first!r} and {header[i]!r} both fill {name}; map one of them to it")
    return columns


def _unguarded(cell: str) -> str:
    """A cell without the quote that okrsite's export (and OWASP's advice) puts before text that starts like a formula."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in _FORMULA_GUARD else cell
