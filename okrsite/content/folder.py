"""Reading a site's content folder into a validated Organisation."""

from __future__ import annotations

import difflib
import gc
import os
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from .errors import Loc, Problems, one_line
from .fields import ID_RE, ID_RULE
from .files import read_bytes, special_kind
from .model import Cycle, CyclesFile, Document, Located, Organisation, Team
from .parsing import Found, Job, Parsed, digest, parse_ahead, parse_file
from .validate import DocumentChecks, validate_organisation

DOCUMENT_SUFFIXES = (".yml", ".md")
_CONTENT_SUFFIXES = (".yml", ".yaml", ".md", ".markdown")
"""Endings, in any case, of files that are meant as content: one not spelled as okrsite reads it is reported, not ignored."""
M = TypeVar("M", bound=Located)


@dataclass
class ParsedFiles:
    """The files earlier loads parsed, each with what parsing gave and reported.

    `serve` loads the content again on every change: a file whose bytes are
    unchanged is not parsed again (its digest is compared, not its time, which
    some file systems keep in coarse steps). What spans files (links between
    objects, the rules of validate.py) is made afresh on every load.
    """

    _entries: dict[Path, tuple[bytes, Parsed]] = field(default_factory=dict)
    changed: set[Path] = field(default_factory=set)
    """The files the last load parsed afresh (new or edited) or no longer found."""
    checks: DocumentChecks = field(default_factory=dict)
    """The problems the rules spanning a document's fields found in it on the last load."""

    def get(self, path: Path, stamp: bytes) -> Parsed | None:
        found = self._entries.get(path)
        return found[1] if found is not None and found[0] == stamp else None

    def put(self, path: Path, stamp: bytes, parsed: Parsed) -> None:
        self._entries[path] = (stamp, parsed)

    def __contains__(self, path: object) -> bool:
        return path in self._entries

    def finish(self, seen: set[Path], fresh: set[Path]) -> None:
        """At the end of a load that saw `seen` and parsed `fresh` afresh: forget the files it did not see."""
        self.changed = fresh | (self._entries.keys() - seen)
        self._entries = {path: entry for path, entry in self._entries.items() if path in seen}


@dataclass(frozen=True)
class Reads:
    """What a load of part of the content reads (what `okrsite check` works out again after an edit)."""

    judged: frozenset[str]
    """Teams read whole, whose files' problems are as in a whole load; where that needs a document left unread, the
    load or the analysis raises refs.NotRead."""
    documents: Mapping[str, frozenset[str] | None] = field(default_factory=dict)
    """The documents of other teams read, by team: their cycles (None: all). Every other team is its team.yml and
    the list of its documents (Team.unread)."""

    def wanted(self, team: str) -> Collection[str] | None:
        """The cycles of the team's documents to read; None for all."""
        return None if team in self.judged else self.documents.get(team, frozenset())


def load_organisation(
    root: Path,
    content: str = "content",
    *,
    for_good: bool = False,
    parsed: ParsedFiles | None = None,
    replaced: Mapping[Path, bytes] | None = None,
    only: Reads | None = None,
) -> tuple[Organisation, Problems]:
    """Read and validate `root/content`; every problem found is in the returned Problems.

    `for_good`: the process keeps what it loaded until it exits (check, build).
    Everything loaded then leaves the cyclic collector's sight (`gc.freeze`), so
    later collections and the exit do not scan it again. Not for `serve`, which
    loads again on each change and must free what it loaded before.
    `parsed`: files parsed by earlier loads, reused where unchanged (and updated).
    `replaced`: bytes read in place of the files at these paths (as `root / content / "teams" / team / name`),
    so that an edit is judged with the whole organisation before it is written.
    `only`: the part of the content read (see Reads).
    """
    with _collector_paused(freeze=for_good):
        return _load(root, content, parsed or ParsedFiles(), replaced or {}, only, ahead=for_good and not replaced)


@contextmanager
def _collector_paused(freeze: bool) -> Iterator[None]:
    """Loading makes hundreds of thousands of objects that all live on, and frees almost none.

    Python's cyclic collector would scan the growing heap again and again for
    garbage that is not there: half the time of `okrsite check` at 200 teams.
    Freezing before the collector restarts also spares its first pass over
    everything made meanwhile.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def _load(
    root: Path, content: str, parsed: ParsedFiles, replaced: Mapping[Path, bytes], only: Reads | None, ahead: bool
) -> tuple[Organisation, Problems]:
    problems = Problems()
    org = Organisation()
    base = root / content
    if not base.is_dir():
        problems.error(Loc(content), "no-content", f"found no folder '{content}'; expected the content folder there")
        return org, problems
    reader = _Reader(root, base, problems, parsed, replaced)
    org.cycles = reader.cycles()
    teams_dir = base / "teams"
    if not reader.expect(base, "teams", "no-teams", "expected one folder per team") or not teams_dir.is_dir():
        if os.path.lexists(teams_dir):
            problems.error(Loc(reader.rel(teams_dir)), "no-teams", "this is not a folder; expected one folder per team")
        return org, problems
    if ahead:
        reader.ahead = parse_ahead([job for job in _files_to_parse(teams_dir, org.cycles, only, reader.rel) if job[0] not in parsed])
    folders: dict[str, str] = {}
    for team_dir in sorted(teams_dir.iterdir()):
        if team_dir.name.startswith("."):
            continue
        twin = folders.setdefault(team_dir.name.casefold(), team_dir.name)
        if twin != team_dir.name:
            reader.problems.error(
                Loc(reader.rel(team_dir)),
                "case-collision",
                f"team folder {team_dir.name!r} differs from {twin!r} only in case; the two collide on macOS and Windows "
                "checkouts and on case-insensitive web servers: rename one",
            )
            continue
        team = reader.team(team_dir, org.cycles, None if only is None else only.wanted(team_dir.name))
        if team is not None:
            org.teams[team.id] = team
    if org.cycles:
        judged = None if only is None else only.judged
        validate_organisation(org, problems, incomplete=reader.incomplete, checked=parsed.checks, judged=judged)
    parsed.finish(reader.seen, reader.fresh)
    return org, problems


def _files_to_parse(teams_dir: Path, cycles: Collection[str], only: Reads | None, rel: Callable[[Path], str]) -> list[Job]:
    """The files the walk below will parse, as far as a glance tells (a link or an odd name is left to the walk)."""
    jobs: list[Job] = []
    for team_dir in teams_dir.iterdir():
        if team_dir.name.startswith(".") or team_dir.is_symlink() or not team_dir.is_dir():
            continue
        wanted_cycles = None if only is None else only.wanted(team_dir.name)
        read = cycles if wanted_cycles is None else wanted_cycles
        for path in team_dir.iterdir():
            wanted = path.name == "team.yml" or (path.suffix in DOCUMENT_SUFFIXES and path.stem in read and path.stem in cycles)
            if wanted and not path.is_symlink():
                jobs.append((path, rel(path), Team if path.name == "team.yml" else Document))
    return jobs


class _Reader:
    def __init__(self, root: Path, base: Path, problems: Problems, parsed: ParsedFiles, replaced: Mapping[Path, bytes]) -> None:
        self.root = root
        self.parsed = parsed
        self.replaced = replaced
        self.seen: set[Path] = set()
        self.fresh: set[Path] = set()
        self.base = base
        self.real_base = base.resolve()
        self.inside_folders: set[Path] = set()
        """Paths that `inside` found lead into the content folder: an entry of one that is not a link does too."""
        self.problems = problems
        self.incomplete: set[str] = set()
        """Teams with a file that could not be read: references into them are not judged."""
        self.ahead: Found = {}
        """Files parsed ahead of the walk (see parsing.py), each taken once."""

    def rel(self, path: Path) -> str:
        """The path as messages show it: on one line, whatever bytes the file name holds."""
        shown = path.relative_to(self.root) if path.is_relative_to(self.root) else path  # a content folder outside the site
        return one_line(os.fsencode(shown.as_posix()).decode("utf-8", "backslashreplace"))

    def inside(self, path: Path) -> bool:
        """False for a link that leads out of the content folder: content never reads beyond it."""
        if path.parent in self.inside_folders and not path.is_symlink():
            return True  # one lstat, where resolving the path takes one per folder of it
        try:
            real = path.resolve()
        except (OSError, RuntimeError):  # a link that loops
            self.problems.error(Loc(self.rel(path)), "bad-link", "this link leads round in a loop")
            return False
        if real.is_relative_to(self.real_base):
            self.inside_folders.add(path)
            return True
        self.problems.error(Loc(self.rel(path)), "outside-content", "this is a link to a place outside the content folder")
        return False

    def expect(self, folder: Path, name: str, code: str, expected: str) -> bool:
        """Whether `folder` holds `name`; else an error, which names a spelling of it that is there (`Team.yml`, `cycles.yaml`).

        A spelling found beside `name` is an error too: on a case-insensitive checkout the two are one file.
        """
        others = [path for path in sorted(folder.iterdir()) if _spelt_otherwise(path.name, name)]
        if os.path.lexists(folder / name):
            for other in others:
                self.problems.error(Loc(self.rel(other)), "file-name", f"found {other.name!r} beside {name}; keep {name} only")
            return True
        found = f"found {others[0].name!r}, not {name}; rename it" if others else f"found no {name}"
        self.problems.error(Loc(self.rel(others[0] if others else folder / name)), code, f"{found}; {expected}")
        return False

    def cycles(self) -> dict[str, Cycle]:
        path = self.base / "cycles.yml"
        file = self.rel(path)
        if not self.expect(self.base, "cycles.yml", "no-cycles", "expected the calendar of cycles here"):
            return {}
        parsed = self.parse(path, file, CyclesFile)[0] if self.inside(path) else None
        if parsed is None:
            return {}
        cycles: dict[str, Cycle] = {}
        folded: dict[str, Cycle] = {}
        for cycle in parsed.cycles:
            if cycle.id in cycles:
                first = cycles[cycle.id].loc("id").line
                self.problems.error(cycle.loc("id"), "duplicate-id", f"cycle '{cycle.id}' is listed twice (first at line {first})")
                continue
            twin = folded.setdefault(cycle.id.casefold(), cycle)
            if twin is not cycle:
                self.problems.error(
                    cycle.loc("id"),
                    "case-collision",
                    f"cycle '{cycle.id}' differs from '{twin.id}' (line {twin.loc('id').line}) only in case; their pages would "
                    "collide on case-insensitive file systems and web servers: rename one",
                )
                continue
            if cycle.end < cycle.start:
                self.problems.error(
                    cycle.loc("end"),
                    "cycle-dates",
                    f"end {cycle.end} is before start {cycle.start}; expected end on or after start",
                )
            cycles[cycle.id] = cycle
        return dict(sorted(cycles.items(), key=lambda item: (item[1].start, item[1].end, item[0])))

    def team(self, team_dir: Path, cycles: dict[str, Cycle], wanted: Collection[str] | None = None) -> Team | None:
        """The team of the folder, with its documents (those of the `wanted` cycles only, if given)."""
        file = self.rel(team_dir)
        if not self.inside(team_dir):
            return None
        if not team_dir.is_dir():
            kind = _kind(team_dir)
            if kind is not None:
                self.problems.error(Loc(file), "not-a-folder", f"this is {kind}; expected a team folder")
            elif team_dir.suffix.lower() in _CONTENT_SUFFIXES:
                self.problems.error(Loc(file), "stray-file", "found a file in teams/; expected one folder per team")
            return None
        if not ID_RE.fullmatch(team_dir.name):
            self.problems.error(Loc(file), "invalid-id", f"team folder {team_dir.name!r} is not a valid id; expected {ID_RULE}")
            return None
        team_file = team_dir / "team.yml"
        team = None
        if self.expect(team_dir, "team.yml", "no-team-file", "expected one in each team folder") and self.inside(team_file):
            team = self.parse(team_file, self.rel(team_file), Team)[0]
        if team is None:
            self.incomplete.add(team_dir.name)
        else:
            team._id = team_dir.name
        docs, unread = self.documents(team_dir, cycles, wanted)
        if team is not None:
            for doc in docs:
                doc._team = team
            team._documents = {d.cycle.id: d for d in sorted(docs, key=lambda d: (d.cycle.start, d.cycle.id))}
            team._unread = tuple(cycles[stem] for stem in sorted(unread))
        return team

    def documents(self, team_dir: Path, cycles: dict[str, Cycle], wanted: Collection[str] | None) -> tuple[list[Document], set[str]]:
        """The documents read, and the cycles of those left unread (not `wanted`; whether they would load is not known)."""
        docs: dict[str, Document] = {}
        seen: dict[str, str] = {}
        unread: set[str] = set()
        for path in sorted(team_dir.iterdir()):
            if path.name.startswith(".") or path.name == "team.yml":
                continue
            if wanted is not None and path.stem not in wanted:
                if path.suffix in DOCUMENT_SUFFIXES and path.stem in cycles:
                    unread.add(path.stem)
                continue
            file = self.rel(path)
            if _spelt_otherwise(path.name, "team.yml"):
                continue  # reported by team()
            if path.suffix.lower() in _CONTENT_SUFFIXES and path.suffix not in DOCUMENT_SUFFIXES:
                expected = ".md" if path.suffix.lower() in (".md", ".markdown") else ".yml"
                self.problems.error(Loc(file), "file-name", f"found {path.name!r}; expected the ending '{expected}', in lower case")
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
            doc, body = self.parse(path, file, Document)
            if len(self.problems.errors) > errors_before:
                self.incomplete.add(team_dir.name)
            if doc is None:
                continue
            doc._cycle = cycles[stem]
            doc._narrative = body
            for objective in doc.objectives:
                objective._document = doc
                for kr in objective.key_results:
                    kr._objective = objective
            docs[stem] = doc
        return list(docs.values()), unread

    def parse(self, path: Path, file: str, cls: type[M]) -> tuple[M | None, str]:
        """The file as a `cls` (None if nothing valid is left) and its Markdown body, from `self.parsed` if unchanged."""
        self.seen.add(path)
        ahead: tuple[bytes, Parsed | bytes] | None = self.ahead.pop(path, None)
        if ahead is None:
            raw = self.replaced[path] if path in self.replaced else read_bytes(path, file, self.problems)
            if raw is None:
                self.fresh.add(path)
                return None, ""
            ahead = digest(raw), raw
        stamp, made = ahead
        known = self.parsed.get(path, stamp)
        if known is None:
            self.fresh.add(path)
            known = made if isinstance(made, Parsed) else parse_file(made, path.suffix, file, cls)
            self.parsed.put(path, stamp, known)
        self.problems.items.extend(known.problems)
        assert known.model is None or isinstance(known.model, cls)
        return known.model, known.body


def _kind(path: Path) -> str | None:
    """What `path` is when not a regular file or folder (see load.special_kind); a link to nothing says so."""
    try:
        return special_kind(os.stat(path).st_mode)
    except OSError:
        return "a link to nothing"


def _spelt_otherwise(found: str, name: str) -> bool:
    """Whether `found` is `name` spelt in another case or with the ending `.yaml`."""
    stem, _, ending = name.rpartition(".")
    spellings = {name, f"{stem}.yaml"} if ending == "yml" else {name}
    return found != name and found.casefold() in spellings
