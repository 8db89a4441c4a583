"""Reading a site's content folder into a validated Organisation."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from .errors import Loc, Problems
from .load import read_source
from .model import ID_RE, ID_RULE, Cycle, CyclesFile, Document, Organisation, Team
from .shape import parse_model
from .validate import validate_organisation

DOCUMENT_SUFFIXES = (".yml", ".md")
_CONTROL_ESCAPES = {code: f"\\x{code:02x}" for code in [*range(32), 127]}


def load_organisation(root: Path, content: str = "content") -> tuple[Organisation, Problems]:
    """Read and validate `root/content`; every problem found is in the returned Problems."""
    problems = Problems()
    org = Organisation()
    base = root / content
    if not base.is_dir():
        problems.error(Loc(content), "no-content", f"found no folder '{content}'; expected the content folder there")
        return org, problems
    reader = _Reader(root, base, problems)
    org.cycles = reader.cycles()
    teams_dir = base / "teams"
    if not teams_dir.is_dir():
        problems.error(Loc(reader.rel(teams_dir)), "no-teams", "found no 'teams' folder; expected one folder per team")
        return org, problems
    for team_dir in sorted(teams_dir.iterdir()):
        if team_dir.name.startswith("."):
            continue
        team = reader.team(team_dir, org.cycles)
        if team is not None:
            org.teams[team.id] = team
    if org.cycles:
        validate_organisation(org, problems, incomplete=reader.incomplete)
    return org, problems


class _Reader:
    def __init__(self, root: Path, base: Path, problems: Problems) -> None:
        self.root = root
        self.base = base
        self.real_base = base.resolve()
        self.problems = problems
        self.incomplete: set[str] = set()
        """Teams with a file that could not be read: references into them are not judged."""

    def rel(self, path: Path) -> str:
        """The path as messages show it: on one line, whatever bytes the file name holds."""
        raw = os.fsencode(path.relative_to(self.root).as_posix()).decode("utf-8", "backslashreplace")
        return raw.translate(_CONTROL_ESCAPES)

    def inside(self, path: Path) -> bool:
        """False for a link that leads out of the content folder: content never reads beyond it."""
        try:
            real = path.resolve()
        except (OSError, RuntimeError):  # a link that loops
            self.problems.error(Loc(self.rel(path)), "bad-link", "this link leads round in a loop")
            return False
        if real.is_relative_to(self.real_base):
            return True
        self.problems.error(Loc(self.rel(path)), "outside-content", "this is a link to a place outside the content folder")
        return False

    def cycles(self) -> dict[str, Cycle]:
        path = self.base / "cycles.yml"
        file = self.rel(path)
        if not path.is_file():
            self.problems.error(Loc(file), "no-cycles", "found no cycles.yml; expected the calendar of cycles here")
            return {}
        source = read_source(path, file, self.problems) if self.inside(path) else None
        parsed = parse_model(CyclesFile, source, self.problems) if source else None
        if parsed is None:
            return {}
        cycles: dict[str, Cycle] = {}
        for cycle in parsed.cycles:
            if cycle.id in cycles:
                first = cycles[cycle.id].loc("id").line
                self.problems.error(cycle.loc("id"), "duplicate-id", f"cycle '{cycle.id}' is listed twice (first at line {first})")
                continue
            if cycle.end < cycle.start:
                self.problems.error(
                    cycle.loc("end"),
                    "cycle-dates",
                    f"end {cycle.end} is before start {cycle.start}; expected end on or after start",
                )
            cycles[cycle.id] = cycle
        return dict(sorted(cycles.items(), key=lambda item: (item[1].start, item[1].end, item[0])))

    def team(self, team_dir: Path, cycles: dict[str, Cycle]) -> Team | None:
        file = self.rel(team_dir)
        if not self.inside(team_dir):
            return None
        if not team_dir.is_dir():
            if team_dir.suffix in (".yml", ".md"):
                self.problems.error(Loc(file), "stray-file", "found a file in teams/; expected one folder per team")
            return None
        if not ID_RE.fullmatch(team_dir.name):
            self.problems.error(Loc(file), "invalid-id", f"team folder {team_dir.name!r} is not a valid id; expected {ID_RULE}")
            return None
        team_file = team_dir / "team.yml"
        team = None
        if not team_file.is_file():
            self.problems.error(Loc(file), "no-team-file", "found no team.yml; expected one in each team folder")
        elif self.inside(team_file):
            source = read_source(team_file, self.rel(team_file), self.problems)
            team = parse_model(Team, source, self.problems) if source else None
        if team is None:
            self.incomplete.add(team_dir.name)
        else:
            team._id = team_dir.name
        docs = self.documents(team_dir, cycles)
        if team is not None:
            for doc in docs:
                doc._team = team
            team._documents = {d.cycle.id: d for d in sorted(docs, key=lambda d: (d.cycle.start, d.cycle.id))}
        return team

    def documents(self, team_dir: Path, cycles: dict[str, Cycle]) -> list[Document]:
        docs: dict[str, Document] = {}
        seen: dict[str, str] = {}
        for path in sorted(team_dir.iterdir()):
            if path.name.startswith(".") or path.name == "team.yml" or path.is_dir():
                continue
            file = self.rel(path)
            if path.suffix == ".yaml":
                self.problems.error(Loc(file), "file-name", f"found {path.name!r}; expected the ending '.yml'")
                continue
            if path.suffix not in DOCUMENT_SUFFIXES or not self.inside(path):
                continue
            stem = path.stem
            if stem not in cycles:
                close = difflib.get_close_matches(stem, list(cycles), n=1)
                hint = f"did you mean '{close[0]}'?" if close else "expected the id of a cycle listed in cycles.yml"
                self.problems.error(Loc(file), "unknown-cycle", f"{stem!r} is not a cycle of cycles.yml; {hint}")
                continue
            if stem in seen:
                self.problems.error(Loc(file), "duplicate-document", f"cycle {stem} also has {seen[stem]}; keep one of the two")
                continue
            seen[stem] = file
            errors_before = len(self.problems.errors)
            source = read_source(path, file, self.problems)
            doc = parse_model(Document, source, self.problems) if source else None
            if len(self.problems.errors) > errors_before:
                self.incomplete.add(team_dir.name)
            if doc is None or source is None:
                continue
            doc._cycle = cycles[stem]
            doc._narrative = source.body
            for objective in doc.objectives:
                objective._document = doc
                for kr in objective.key_results:
                    kr._objective = objective
            docs[stem] = doc
        return list(docs.values())
