"""`okrsite import FILE`: OKRs from a spreadsheet export written as okrsite documents (SPEC section 7).

All or nothing: the documents are drafted from the rows (import_rows.py), then loaded with the content as it
stands into a scratch copy, so that every rule of `okrsite check` judges them before anything is written; an
error found there is told at the row it came from. A document that exists is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.util import load_yaml_guess_indent

from ..content.errors import Loc, Problem, Problems, one_line, shown_path
from ..content.folder import load_organisation
from ..content.model import Organisation
from .demo_yaml import yaml_text
from .import_rows import Draft, Drafts, NewCycle, draft_documents
from .import_table import FIELDS, Row, Table, column_key, read_table

ABSENT_IS_FINE = {"no-teams": "teams", "no-cycles": "cycles.yml"}
"""What a content folder may lack before its first import: the import writes them."""


@dataclass(frozen=True)
class Planned:
    """A file the import writes."""

    path: Path
    shown: str
    """The path as messages show it, from the site's root."""
    text: str
    before: str | None = None
    """The text it replaces (cycles.yml, with new cycles); None for a new file."""
    rows: tuple[tuple[int, Row], ...] = ()
    """Where each part of it starts, and the row it came from, by line."""


@dataclass
class ImportPlan:
    table: Table
    drafts: Drafts
    files: list[Planned]

    @property
    def key_results(self) -> int:
        return sum(len(d.rows) - len(d.objectives) for d in self.drafts.documents.values())


class ImportFailed(Exception):
    """Nothing was written, for the reasons in `problems`."""

    def __init__(self, problems: Problems) -> None:
        super().__init__(f"{len(problems.errors)} errors")
        self.problems = problems


def import_file(root: Path, content: str, path: Path, maps: dict[str, str], on: dt.date, dry_run: bool, say: Callable[[str], None]) -> str:
    """Import `path` (or with `dry_run`, show what that would write); what it read and made up goes to `say`.

    Returns the paths written, a line each, or the dry run's text. Raises ImportFailed, having written nothing.
    """
    problems = Problems()
    plan = plan_import(root, content, path, maps, on, problems)
    if plan is None:
        raise ImportFailed(problems)
    for note in notes(plan):
        say(note)
    if dry_run:
        say("wrote nothing (--dry-run)")
        return dry_run_text(plan).rstrip("\n")
    try:
        write_plan(plan)
    except OSError as exc:
        problems.error(Loc(shown_path(exc.filename or root / content)), "unwritable", f"cannot write here ({exc.strerror or exc})")
        raise ImportFailed(problems) from None
    say("written: run okrsite check")
    return "\n".join(planned.shown for planned in plan.files)


def plan_import(root: Path, content: str, path: Path, maps: dict[str, str], on: dt.date, problems: Problems) -> ImportPlan | None:
    """What importing `path` writes into `root/content`, checked as a whole; None, with every reason in `problems`, if anything is wrong."""
    base = root / content
    if not base.is_dir():
        problems.error(Loc(content), "no-content", f"found no folder '{content}'; expected the content folder to import into")
        return None
    table = read_table(path, shown_path(path), maps, problems)
    org, loaded = load_organisation(root, content)
    broken = [p for p in loaded.errors if not (p.code in ABSENT_IS_FINE and not os.path.lexists(base / ABSENT_IS_FINE[p.code]))]
    if broken:
        first = min(broken, key=lambda p: p.loc)
        problems.error(
            first.loc,
            "content",
            f"{content}/ has {len(broken)} error(s), this first: {first.message}; run okrsite check and fix them before importing",
        )
    if table is None or problems.errors:
        return None
    drafts = draft_documents(table, org.cycles, on, problems)
    folded = {team.casefold(): team for team in org.teams}
    for team, (_, row) in drafts.teams.items():
        if folded.get(team.casefold(), team) != team:
            problems.error(
                table.loc(row, "team"),
                "case-collision",
                f"team {team!r} differs from the team {folded[team.casefold()]!r} "
                "only in case; the two would collide on macOS and Windows checkouts: write it as that team's id",
            )
    for draft in drafts.documents.values():
        for suffix in (".yml", ".md"):
            existing = base / "teams" / draft.team / f"{draft.cycle}{suffix}"
            if os.path.lexists(existing):
                problems.error(
                    table.loc(next(iter(draft.rows.values()))),
                    "exists",
                    f"{shown_path(existing)} exists; okrsite import never overwrites a document: leave its rows out, or move the file away",
                )
    if problems.errors:
        return None
    plan = ImportPlan(table, drafts, _files(root, content, org, drafts))
    for problem in _check(root, content, org, plan):
        problems.items.append(problem)
    return None if problems.errors else plan


def _files(root: Path, content: str, org: Organisation, drafts: Drafts) -> list[Planned]:
    base, shown = root / content, Path(content)
    files = []
    if drafts.cycles:
        files.append(_cycles_file(base / "cycles.yml", (shown / "cycles.yml").as_posix(), list(drafts.cycles.values())))
    for team, (name, row) in drafts.teams.items():
        if team not in org.teams:
            place = shown / "teams" / team / "team.yml"
            files.append(Planned(base / "teams" / team / "team.yml", place.as_posix(), yaml_text({"name": name}), rows=((1, row),)))
        for draft in (d for d in drafts.documents.values() if d.team == team):
            place = shown / "teams" / team / f"{draft.cycle}.yml"
            text = yaml_text(draft.data())
            files.append(Planned(base / "teams" / team / f"{draft.cycle}.yml", place.as_posix(), text, rows=_rows_by_line(text, draft)))
    return files


def _cycles_file(path: Path, shown: str, cycles: list[NewCycle]) -> Planned:
    """cycles.yml with the new cycles after the others, by a round-trip edit that keeps its comments and layout."""
    entries = [{"id": c.id, **({"name": c.name} if c.name else {}), "start": c.start, "end": c.end} for c in cycles]
    rows = tuple((1, c.row) for c in cycles)
    if not path.exists():
        return Planned(path, shown, yaml_text({"cycles": entries}), rows=rows)
    before = path.read_text(encoding="utf-8-sig")
    editor = YAML()
    editor.preserve_quotes = True
    editor.width = 4096
    data, indent, offset = load_yaml_guess_indent(before, yaml=editor)
    if indent and offset is not None:
        editor.indent(mapping=max(indent - offset, 2), sequence=indent, offset=offset)
    else:
        editor.indent(mapping=2, sequence=4, offset=2)
    data["cycles"].extend(CommentedMap(entry) for entry in entries)
    out = io.StringIO()
    editor.dump(data, out)
    return Planned(path, shown, out.getvalue(), before, rows)


def _rows_by_line(text: str, draft: Draft) -> tuple[tuple[int, Row], ...]:
    """The first line of each objective and key result in the written document, with its row."""
    starts = []
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    for objective in _value(root, "objectives").value:
        oid = _value(objective, "id").value
        starts.append((objective.start_mark.line + 1, draft.rows[(oid,)]))
        for kr in _value(objective, "key_results").value:
            starts.append((kr.start_mark.line + 1, draft.rows[(oid, _value(kr, "id").value)]))
    return tuple(starts)


def _value(node: Any, key: str) -> Any:
    return next(value for name, value in node.value if name.value == key)


def _check(root: Path, content: str, org: Organisation, plan: ImportPlan) -> list[Problem]:
    """Every error in the content with the planned files in it, each in a new file (or about a new team's folder) told at its row."""
    base = root / content
    existing = [base / "cycles.yml"] if (base / "cycles.yml").is_file() else []
    for team in org.teams.values():
        existing.append(base / "teams" / team.id / "team.yml")
        existing += [base / "teams" / team.id / f"{cycle}{Path(doc.file).suffix}" for cycle, doc in team.documents.items()]
    with tempfile.TemporaryDirectory(prefix="okrsite-import-") as scratch:
        copy = Path(scratch) / "site"
        for path in existing:
            _write(copy / path.relative_to(root), path.read_bytes())
        for planned in plan.files:
            _write(copy / planned.path.relative_to(root), planned.text.encode("utf-8"))
        _, problems = load_organisation(copy, content)
    found = []
    for problem in problems.errors:
        file = problem.loc.file
        written = next((p for p in plan.files if p.shown == file), None) or next(
            (p for p in plan.files if p.shown.startswith(f"{file}/")), None
        )
        if written is None:
            found.append(problem)
            continue
        row = next((row for line, row in reversed(written.rows) if line <= problem.loc.line), written.rows[0][1])
        message = f"{problem.message} (at {problem.loc.file}:{problem.loc.line} as it would be written)"
        found.append(Problem(plan.table.loc(row), "error", problem.code, message))
    return found


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def dry_run_text(plan: ImportPlan) -> str:
    """What the import would write: each new file's path and text, and a diff of a file it would change."""
    parts = []
    for planned in plan.files:
        if planned.before is None:
            parts.append(f"# {planned.shown} (new)\n{planned.text}")
        else:
            diff = difflib.unified_diff(
                planned.before.splitlines(keepends=True), planned.text.splitlines(keepends=True), f"a/{planned.shown}", f"b/{planned.shown}"
            )
            parts.append("".join(diff))
    return "\n".join(parts)


def notes(plan: ImportPlan) -> list[str]:
    """What the import read, and what it made up: for the person who runs it."""
    table, drafts = plan.table, plan.drafts
    file = one_line(table.file)
    renamed = ", ".join(f"{one_line(c)!r} -> {name}" for name, c in table.headers.items() if column_key(c) != column_key(name))
    said = [f"{file}: " + ("okrsite's own export" if table.own else renamed or "every column named as its field")]
    if table.ignored:
        said.append(f"{file}: left out the columns {', '.join(repr(one_line(c)) for c in table.ignored)}; fields: {', '.join(FIELDS)}")
    if drafts.typed:
        said.append(f"{drafts.typed} objective(s) without objective_type are committed: make the aspirational ones so")
    teams, cycles = sum(p.shown.endswith("/team.yml") for p in plan.files), len(drafts.cycles)
    counts = (_count(plan.key_results, "key result"), _count(len(drafts.documents), "document"), _count(teams, "new team"))
    said.append("{} in {}, {}, {}".format(*counts, _count(cycles, "new cycle")))
    return said


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'s' * (n != 1)}"


def write_plan(plan: ImportPlan) -> None:
    """Write every planned file; on a failure to write, take back what was written, and raise OSError."""
    made: list[Path] = []
    replaced: list[Planned] = []
    try:
        for planned in plan.files:
            if planned.before is not None:
                _replace(planned.path, planned.text)
                replaced.append(planned)
                continue
            for folder in reversed([f for f in planned.path.parents if not f.exists()]):
                folder.mkdir()
                made.append(folder)
            with planned.path.open("x", encoding="utf-8") as out:  # "x": never over a file that appeared meanwhile
                made.append(planned.path)
                out.write(planned.text)
    except OSError:
        for path in reversed(made):
            path.rmdir() if path.is_dir() else path.unlink()
        for planned in replaced:
            assert planned.before is not None
            _replace(planned.path, planned.before)
        raise


def _replace(path: Path, text: str) -> None:
    """Write `text` over `path` at once: a reader sees the old file or the new one, never half of either."""
    scratch = path.with_name(f".{path.name}.okrsite-import")
    scratch.write_text(text, encoding="utf-8")
    os.replace(scratch, path)
