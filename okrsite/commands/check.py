"""The problems `okrsite check` reports, worked out again only for the teams an edit can reach.

A team's findings (its files' errors, its documents' health signals) read its own documents, the
documents of the teams it refers to (where its references land, whose objectives it shares), and
what the cache's key holds: every team's team.yml and list of files, cycles.yml, the options, the
date and okrsite itself. So after an edit of some teams' documents, only those teams and the teams
that refer to them are checked again, on a load of their documents and of the other teams' documents
that their findings read (where their references land, and what tells whether a dependency's target
was dropped): the cache says which, and a lookup into a document the load left unread raises NotRead,
so that the load is made again with it. Every other team's findings come from the cache
(check_cache.py). Anything in the key changed
checks everything; so does an alignment loop anywhere (found on the cached objectives' links), since
where its message stands depends on where the walk of the whole organisation entered it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..analysis.align import later_documents
from ..analysis.computed import Analysis
from ..content.errors import Problem
from ..content.folder import ParsedFiles, Reads, load_organisation
from ..content.forks import copies_for, dealt, shared_out
from ..content.model import Objective, Organisation, Team
from ..content.refs import NotRead, Ref
from ..content.resources import content_warnings, docs_warnings
from ..sources.site_config import SiteConfig
from .check_cache import Entries, Stamp, TeamEntry, cached_entries, content_stamp, known_files, read_cache, write_cache

_LOOP = "alignment-loop"
MIN_TEAMS = 50
"""Teams for each part, at least, when their signals are shared out."""


@dataclass
class Findings:
    """Every problem of the content as of one date, as a run without a cache finds them."""

    problems: list[Problem]
    teams: int
    documents: int
    entries: Entries


class FileError(Exception):
    """A FILE given to check that is not a file of the content."""


def find_problems(site: SiteConfig, on: dt.date, use_cache: bool = True) -> Findings:
    """The content's problems: from the cache where no edit can have changed them, else worked out."""
    saved = read_cache(site.root) if use_cache else None
    known = known_files(saved)
    stamp = content_stamp(site, on, known) if use_cache else None
    cached = cached_entries(saved, stamp) if stamp is not None else None
    entries = _brought_up_to_date(site, on, stamp, cached) if stamp is not None and cached is not None else None
    if entries is None:
        entries = _work_out(site, on, stamp, None, errors_elsewhere=False)
    if stamp is not None and (entries is not cached or stamp.files != known):
        write_cache(site.root, stamp, entries)
    problems = [*entries.top, *(p for e in entries.teams.values() for p in e.problems)]
    if not any(p.level == "error" for p in problems):
        problems += [p for e in entries.teams.values() for p in e.warnings or ()]
        problems += docs_warnings(site.root / site.docs_dir, site.docs_dir, site.hosts)
    loaded = [e for e in entries.teams.values() if e.loaded]
    return Findings(problems, len(loaded), sum(e.documents for e in loaded), entries)


def _brought_up_to_date(site: SiteConfig, on: dt.date, stamp: Stamp, cached: Entries) -> Entries | None:
    """The cached entries with the teams an edit can reach checked again; None when everything must be."""
    if _has_loop(cached.top, *(e.problems for e in cached.teams.values())):
        return None
    changed = {team for team, digest in stamp.teams.items() if team not in cached.teams or cached.teams[team].digest != digest}
    stale = changed | {team for team, e in cached.teams.items() if changed.intersection(e.refers)}
    entries = _checked_again(site, on, stamp, cached, stale) if stale else cached
    if entries is None or _has_errors(entries):
        return entries
    unanalysed = {team for team, e in entries.teams.items() if e.warnings is None}  # an earlier run had errors
    return _checked_again(site, on, stamp, cached, stale | unanalysed) if unanalysed else entries


def _checked_again(site: SiteConfig, on: dt.date, stamp: Stamp, cached: Entries, stale: set[str]) -> Entries | None:
    """`stale` teams checked again on a load of their documents and of the other teams' documents that their
    findings read: those the cache says they read, and any the load finds they read now (NotRead)."""
    errors_elsewhere = _has_errors(Entries(cached.top, {t: e for t, e in cached.teams.items() if t not in stale}))
    reads = Reads(frozenset(stale))
    for team in stale & cached.teams.keys():
        for read in cached.teams[team].reads:
            other, _, cycle = read.partition("/")
            reads = _widened(reads, other, cycle or None, whole=errors_elsewhere)
    parsed = ParsedFiles()  # a load made again with more to read parses only the files the last one did not
    while True:
        try:
            fresh = _work_out(site, on, stamp, reads, errors_elsewhere, parsed)
        except NotRead as missing:
            before = reads
            for cycle in missing.cycles:
                reads = _widened(reads, missing.team, cycle, whole=errors_elsewhere)
            if reads == before:  # nothing more to read: a whole run answers, whatever asked
                return None
            continue
        entries = Entries(cached.top, {**cached.teams, **fresh.teams})
        return None if _has_loop(*(e.problems for e in fresh.teams.values())) or _aligns_loop(entries) else entries


def _widened(reads: Reads, team: str, cycle: str | None = None, whole: bool = False) -> Reads:
    """`reads` with the team's document of `cycle` too, or all of its documents where no cycle is given or `whole`.

    With errors anywhere, teams are read whole: whether a team failed to load (a file of it with an error) decides
    whether references into it are judged, and only a load of all its files tells.
    """
    if team in reads.judged:
        return reads
    known = reads.documents.get(team, frozenset())
    cycles = None if cycle is None or whole or known is None else known | {cycle}
    return Reads(reads.judged, {**reads.documents, team: cycles})


def _work_out(
    site: SiteConfig, on: dt.date, stamp: Stamp | None, reads: Reads | None, errors_elsewhere: bool, parsed: ParsedFiles | None = None
) -> Entries:
    """Load and analyse the content (a part of it, if `reads` is given; reusing the files `parsed` holds); the entries of
    every team, or with `reads`, of the judged ones. The analysis runs when no error is found here or elsewhere. NotRead
    where the part is too small."""
    org, found = load_organisation(site.root, site.content, for_good=True, parsed=parsed, only=reads)
    prefix = (Path(site.content) / "teams").as_posix() + "/"
    problems = _by_team(found.items, prefix)
    if reads is None:
        names = set(stamp.teams if stamp else ()) | set(org.teams) | {team for team in problems if team is not None}
        errors = any(p.level == "error" for p in found.items)
    else:
        names = set(reads.judged)
        errors = errors_elsewhere or any(p.level == "error" for team in names for p in problems.get(team, ()))
    warnings: dict[str | None, list[Problem]] | None = None
    if not errors:
        of = sorted(org.teams if reads is None else names)  # with `reads`, the other teams' warnings come from the cache
        shown = _signal_warnings(Analysis.of(org, on, site.rules), of) + content_warnings(org, site.hosts, of)
        warnings = _by_team(shown, prefix)
    teams = {}
    for name in names:
        team = org.teams.get(name)
        kept = team if stamp is not None else None  # what only the cache reads: a run without it needs none of it
        teams[name] = TeamEntry(
            stamp.teams.get(name, "") if stamp else "",
            team is not None,
            len(team.documents) if team is not None else 0,
            _refers(team) if team is not None else [],
            _read_by(kept, on) if kept is not None else [],
            _aligns(org, kept) if kept is not None else [],
            problems.get(name, []),
            warnings.get(name, []) if warnings is not None else None,
        )
    return Entries(problems.get(None, []), teams)


def _signal_warnings(analysis: Analysis, team_ids: list[str]) -> list[Problem]:
    """The teams' health signals as warnings, each team's in file order; worked out on copies of this process too where
    there are many teams (forks.py), since each team's read the organisation only."""

    def warnings(batch: list[str]) -> list[Problem]:
        return [Problem(s.loc, "warning", s.code, s.message) for s in analysis.signals_of(batch)]

    teams = analysis.org.teams
    weights = [1.0] * (copies_for(len(team_ids), MIN_TEAMS) + 1)
    shares = dealt(team_ids, lambda team: len(teams[team].documents) + 1 if team in teams else 1, weights)
    return [warning for part in shared_out(shares, warnings) for warning in part]


def _by_team(problems: Iterable[Problem], prefix: str) -> dict[str | None, list[Problem]]:
    """Problems by the team folder their file is in; None for the content folder's own."""
    found: dict[str | None, list[Problem]] = {}
    for problem in problems:
        found.setdefault(team_of(problem.loc.file, prefix), []).append(problem)
    return found


def team_of(file: str, prefix: str) -> str | None:
    """The team folder that `file` (as messages show it) is in, if any."""
    team, inside, _ = file.removeprefix(prefix).partition("/") if file.startswith(prefix) else ("", "", "")
    return team if inside else None


def _refers(team: Team) -> list[str]:
    """The other teams whose documents this team's findings read: where its references land, whom it shares objectives with."""
    named: set[str] = set()
    for doc in team.documents.values():
        for objective in doc.objectives:
            named.update(objective.shared_with)
            named.update(Ref.parse(text).team for text in objective.aligns_to)
            named.update(Ref.parse(text).team for kr in objective.key_results for text in kr.depends_on)
    named.discard(team.id)
    return sorted(named)


def _read_by(team: Team, on: dt.date) -> list[str]:
    """The other teams' documents that this team's findings read, as `team/cycle`: where its references land and, for a
    dependency, the documents that tell whether its target was dropped; a team whole (`team`) where one lands nowhere."""
    read: set[str] = set()
    for doc in team.documents.values():
        for objective in doc.objectives:
            read.update(f"{target.document.team.id}/{target.document.cycle.id}" for target in objective.aligns)
            for kr in objective.key_results:
                for needed in kr.depends:
                    landed = (needed if isinstance(needed, Objective) else needed.objective).document
                    read.update(f"{d.team.id}/{d.cycle.id}" for d in (landed, *later_documents(landed, doc, on)))
            texts = [*objective.aligns_to, *(text for kr in objective.key_results for text in kr.depends_on)]
            if len(objective.aligns) + sum(len(kr.depends) for kr in objective.key_results) < len(texts):
                read.update(Ref.parse(text).team for text in texts)  # one lands nowhere: the teams it may name, whole
    return sorted(entry for entry in read if entry.partition("/")[0] != team.id)


def _aligns(org: Organisation, team: Team) -> list[list[str]]:
    def node(objective: Objective) -> str:
        doc = objective.document
        return f"{doc.team.id}/{doc.cycle.id}/{next(i for i, o in enumerate(doc.objectives) if o is objective)}"

    return [[node(o), node(target)] for doc in team.documents.values() for o in doc.objectives for target in o.aligns]


def _aligns_loop(entries: Entries) -> bool:
    """Whether the objectives' `aligns_to` links, across every team, make a loop."""
    targets: dict[str, list[str]] = {}
    for entry in entries.teams.values():
        for source, target in entry.aligns:
            targets.setdefault(source, []).append(target)
    done: set[str] = set()
    for start in targets:
        if start in done:
            continue
        on_path, todo = {start}, [(start, iter(targets.get(start, ())))]
        while todo:
            node, following = todo[-1]
            step = next(following, None)
            if step is None:
                todo.pop()
                on_path.discard(node)
                done.add(node)
            elif step in on_path:
                return True
            elif step not in done:
                on_path.add(step)
                todo.append((step, iter(targets.get(step, ()))))
    return False


def _has_errors(entries: Entries) -> bool:
    return any(p.level == "error" for p in entries.top) or any(p.level == "error" for e in entries.teams.values() for p in e.problems)


def _has_loop(*problem_lists: list[Problem]) -> bool:
    return any(p.code == _LOOP for problems in problem_lists for p in problems)


def given_files(site: SiteConfig, config_file: Path, files: Iterable[Path]) -> set[str] | None:
    """The FILEs as messages name them, from the site's root; None when one is mkdocs.yml (which every finding reads).

    Raises FileError naming every FILE that is missing or outside the content folder.
    """
    content = (site.root / site.content).resolve()
    shown: set[str] = set()
    wrong: list[str] = []
    whole = False
    for file in files:
        path = Path(os.path.abspath(file))
        if not path.is_file():
            wrong.append(f"{file}: {'is a folder' if path.is_dir() else 'no such file'}; expected a file of the content")
        elif path.resolve() == config_file.resolve():
            whole = True
        elif path.resolve().is_relative_to(content):
            shown.add((Path(site.content) / path.resolve().relative_to(content)).as_posix())
        else:
            wrong.append(f"{file}: outside the content folder {site.content}/; expected one of its files (or {site.file})")
    if wrong:
        raise FileError("\n".join(f"okrsite check: {line}" for line in wrong))
    return None if whole else shown


def about_files(site: SiteConfig, found: Findings, files: set[str], problems: list[Problem]) -> tuple[list[Problem], int]:
    """The problems of `files`, with the errors of their teams' other files and of the teams that refer to theirs;
    and how many errors are left out (the content has them, so the run fails)."""
    prefix = (Path(site.content) / "teams").as_posix() + "/"
    teams = {team_of(file, prefix) for file in files}
    if None in teams:  # cycles.yml, or another file of the content folder's own: every team reads it
        return problems, 0
    near = teams | {t for t, e in found.entries.teams.items() if teams.intersection(e.refers)}
    kept = [p for p in problems if p.loc.file in files or (p.level == "error" and team_of(p.loc.file, prefix) in near)]
    return kept, sum(p.level == "error" for p in problems) - sum(p.level == "error" for p in kept)
