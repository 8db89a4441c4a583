"""The check-ins of `okrsite checkin --from FILE`: CSV with a header row, or JSON lines, each row read as an Entry.

Every row is read and every problem reported with the row's line in the file
(`checkins.csv:4: ...`), so that a data job's file is fixed in one pass.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..content.errors import Problems, one_line, shown_path
from ..content.files import read_bytes
from ..content.values import as_number
from ..sources.clock import DateSettingError, read_day
from .checkin import Entry

COLUMNS = ("team", "objective", "key_result", "date", "value", "confidence", "note")
REQUIRED = ("team", "key_result", "value")
FORMATS = {".csv": "csv", ".jsonl": "jsonl"}
_DONE = {"done": True, "true": True, "not done": False, "false": False}


class RowsUnreadable(Exception):
    """The file cannot be read at all (exit 2: the option is wrong, not a row)."""


def file_format(path: Path, given: str | None) -> str:
    """`csv` or `jsonl`: as given, else by the file's ending."""
    found = given or FORMATS.get(path.suffix.lower())
    if found is None:
        raise RowsUnreadable(
            f"--from: cannot tell the format of {shown_path(path)}; expected a file ending in .csv or .jsonl, or --format csv|jsonl"
        )
    return found


def read_rows(path: Path, fmt: str, default_date: dt.date) -> tuple[list[Entry], list[tuple[int, str]]]:
    """The file's rows as entries, and the problems of the others (with their lines); a row without a date is dated `default_date`."""
    shown = shown_path(path)
    problems = Problems()
    raw = read_bytes(path, shown, problems)
    if raw is None:
        raise RowsUnreadable(f"--from: {problems.items[0].message}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RowsUnreadable(f"--from: {shown}: found a byte that is not UTF-8 at offset {exc.start}; save the file as UTF-8") from None
    entries: list[Entry] = []
    errors: list[tuple[int, str]] = []
    for line, row in _csv(text, shown, errors) if fmt == "csv" else _jsonl(text, shown, errors):
        where = f"{shown}:{line}"
        found = _entry(row, where, line, default_date)
        if isinstance(found, Entry):
            entries.append(found)
        else:
            errors += [(line, f"{where}: {message}") for message in found]
    if not entries and not errors:
        errors.append((1, f"{shown}:1: found no check-in; expected a row for each, under a header of {', '.join(COLUMNS)}"))
    return entries, errors


def _csv(text: str, shown: str, errors: list[tuple[int, str]]) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip().lower() for cell in next(reader, [])]
        if not _columns(header, shown, 1, errors):
            return
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                errors.append((line, f"{shown}:{line}: found {len(cells)} cells; expected at most {len(header)}, one per column"))
                continue
            yield line, dict(zip(header, cells, strict=False))
    except csv.Error as exc:
        errors.append((reader.line_num, f"{shown}:{reader.line_num}: {exc}; expected CSV with a header row"))


def _jsonl(text: str, shown: str, errors: list[tuple[int, str]]) -> Iterator[tuple[int, dict[str, Any]]]:
    for line, row in enumerate(text.splitlines(), start=1):
        if not row.strip():
            continue
        try:
            found = json.loads(row)
        except json.JSONDecodeError as exc:
            errors.append((line, f"{shown}:{line}: {exc.msg} at column {exc.colno}; expected one JSON object per line"))
            continue
        if not isinstance(found, dict):
            errors.append((line, f"{shown}:{line}: found {type(found).__name__}; expected a JSON object per line"))
        elif _columns(list(found), shown, line, errors):
            yield line, found


def _columns(names: list[str], shown: str, line: int, errors: list[tuple[int, str]]) -> bool:
    """Whether the row's columns (a CSV header, a JSON object's keys) are known, with every required one."""
    before, seen = len(errors), set()
    for name in names:
        if name not in COLUMNS:
            close = difflib.get_close_matches(name, COLUMNS, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"expected {', '.join(COLUMNS)}"
            errors.append((line, f"{shown}:{line}: unknown column {one_line(name)!r}; {hint}"))
        elif name in seen:
            errors.append((line, f"{shown}:{line}: the column {name!r} appears twice; keep one"))
        seen.add(name)
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        errors.append((line, f"{shown}:{line}: found no column {', '.join(map(repr, missing))}; expected {', '.join(COLUMNS)}"))
    return len(errors) == before


def _entry(row: dict[str, Any], where: str, line: int, default_date: dt.date) -> Entry | list[str]:
    """The row as an Entry, else what is wrong with it (every field)."""
    problems: list[str] = []
    text = {name: _text(row.get(name)) for name in ("team", "objective", "key_result", "note")}
    for name in ("team", "key_result"):
        if not text[name]:
            problems.append(f"{name}: found nothing; expected an id")
    date = default_date
    if _text(row.get("date")):
        try:
            date = read_day(_text(row.get("date")), "date")
        except DateSettingError as exc:
            problems.append(str(exc))
    value, done = _value(row.get("value"), problems)
    confidence = _confidence(row.get("confidence"), problems)
    if problems:
        return problems
    target = f"{text['objective']}/{text['key_result']}" if text["objective"] else text["key_result"]
    return Entry(where, text["team"], target, date, value, done, confidence, text["note"] or None, line)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else "" if value is None else str(value)


def _value(value: Any, problems: list[str]) -> tuple[float | None, bool | None]:
    """A number, or done / not done (true, false) for a milestone."""
    if isinstance(value, bool):
        return None, value
    if isinstance(value, (int, float)) and as_number(str(value)) is not None:
        return float(value), None
    typed = _text(value)
    if typed.lower() in _DONE:
        return None, _DONE[typed.lower()]
    number = as_number(typed)
    if number is None:
        problems.append(f"value: found {one_line(typed)!r}; expected a number, or done / not done for a milestone")
    return number, None


def _confidence(value: Any, problems: list[str]) -> int | None:
    typed = _text(value)
    if not typed:
        return None
    number = as_number(typed) if not isinstance(value, bool) else None
    if number is None or not number.is_integer() or not 1 <= number <= 10:
        problems.append(f"confidence: found {one_line(typed)!r}; expected a whole number from 1 to 10")
        return None
    return int(number)
