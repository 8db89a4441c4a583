"""What `okrsite check` found last time, kept by team and keyed by the bytes of every file it read.

The cache is `.okrsite/cache/check.json` beside mkdocs.yml (its own `.gitignore` keeps it out of git).
Its key holds everything a finding depends on besides the team folders: okrsite's version and code,
the site's okrsite options, the as-of date, and the content folder's own files and listings; each team
folder has its digest. A file's digest is worked out from its bytes unless its size, times and inode are
those it had when an earlier run read it, at least TRUSTED_AGE_NS before that run began (git's index
does the same): any write since changes its change time, which no one can set. Deleting the cache
only makes the next run start cold. A file that cannot be read back
(corrupt, truncated, from another version) is ignored and written again, and a folder that cannot be
written leaves the run as it would be without a cache. It is written whole, then renamed into place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..content.errors import Loc, Problem, Problems
from ..content.files import read_bytes
from ..sources.site_config import SiteConfig

CACHE_FOLDER = Path(".okrsite") / "cache"
"""Beside mkdocs.yml."""
CACHE_FILE = "check.json"
_FORMAT = 3
TRUSTED_AGE_NS = 2_000_000_000
"""A file changed less than this long before a run is read again by the next run, whatever its stat says."""
_NO_WAIT = getattr(os, "O_NONBLOCK", 0)


@dataclass(frozen=True)
class Stamp:
    """The content as the cache sees it: one key for what every finding reads, one digest per team folder."""

    key: str
    teams: dict[str, str]
    files: dict[str, list[Any]]
    """Each file's [size, modification and change times, inode, device, digest], for the next run: see the module."""


@dataclass
class TeamEntry:
    """What one team's files gave: load and cross-file problems, and the warnings of the analysis."""

    digest: str
    loaded: bool
    """Whether its team.yml gave a team (the summary counts these)."""
    documents: int
    refers: list[str]
    """The other teams whose documents its findings read: those its references land in, those it shares objectives with."""
    reads: list[str]
    """Those documents, each as `team/cycle` (or a team whole, as `team`): what a load that checks it again reads."""
    aligns: list[list[str]]
    """Its objectives' resolved `aligns_to`, as [objective, target], each `team/cycle/index`: loops span teams."""
    problems: list[Problem]
    warnings: list[Problem] | None
    """Health signals and loads from other hosts; None where errors anywhere kept the analysis from running."""


@dataclass
class Entries:
    top: list[Problem]
    """Problems of the content folder itself: cycles.yml, the teams/ folder and its listing."""
    teams: dict[str, TeamEntry]


def content_stamp(site: SiteConfig, on: dt.date, known: dict[str, list[Any]]) -> Stamp | None:
    """The stamp of the content as it is; None where the cache cannot vouch for it (a link, a special or unreadable
    file, a content folder outside the site): such a run checks without the cache.

    The key also holds every team folder's listing and team.yml: who the teams are, which documents
    they have and where each sits in the org tree is read by every team's findings. `known` is the
    files' table of the last run (Stamp.files).
    """
    files = _Files(known, time.time_ns() - TRUSTED_AGE_NS)
    content = Path(site.content)
    base = site.root / content
    if content.is_absolute() or ".." in content.parts or base.is_symlink() or not base.is_dir():
        return None
    key = hashlib.blake2b(digest_size=16)
    options = {"content": content.as_posix(), "rules": _canonical(site.rules.model_dump()), "hosts": sorted(site.allowed_hosts)}
    key.update(json.dumps([_FORMAT, __version__, _code_stamp(), options, on.isoformat()], sort_keys=True).encode())
    if files.add_folder(key, base, lambda name: True) is None:
        return None
    teams: dict[str, str] = {}
    teams_dir = base / "teams"
    if teams_dir.is_dir() and not teams_dir.is_symlink():
        folders = files.add_folder(key, teams_dir, lambda name: False)
        if folders is None:
            return None
        for folder in folders:
            digest = hashlib.blake2b(digest_size=16)
            listed = files.add_folder(key, folder, lambda name: name == "team.yml")
            if listed is None or files.add_folder(digest, folder, lambda name: True) is None:
                return None
            teams[folder.name] = digest.hexdigest()
    return Stamp(key.hexdigest(), teams, files.table)


class _Files:
    """Files' digests: from the last run's table where a file's stat is the one recorded, else from its bytes."""

    def __init__(self, known: dict[str, list[Any]], trusted_before_ns: int) -> None:
        self.known = known
        self.trusted_before_ns = trusted_before_ns
        self.table: dict[str, list[Any]] = {}

    def add_folder(self, digest: Any, folder: Path, read: Callable[[str], bool]) -> list[Path] | None:
        """Add a folder's entries to `digest` (name and kind, and the digest of the files whose name passes `read`);
        its subfolders, or None at a link or special file."""
        folders = []
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.is_dir(follow_symlinks=False):
                kind = b"d"
                folders.append(Path(entry.path))
            elif entry.is_file(follow_symlinks=False):
                kind = b"f"
            else:
                return None
            name = os.fsencode(entry.name)
            digest.update(b"%s%d:%s" % (kind, len(name), name))
            if kind == b"f" and read(entry.name):
                found = self.file_digest(entry)
                if found is None:
                    return None
                digest.update(found.encode())
        return folders

    def file_digest(self, entry: os.DirEntry[str]) -> str | None:
        info = entry.stat(follow_symlinks=False)
        signature = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]
        known = self.known.get(entry.path)
        if known is not None and known[:5] == signature:
            found: str = known[5]
        else:
            raw = read_bytes(Path(entry.path), entry.name, Problems())
            if raw is None:
                return None
            found = hashlib.blake2b(raw, digest_size=16).hexdigest()
        if max(info.st_mtime_ns, info.st_ctime_ns) < self.trusted_before_ns:
            self.table[entry.path] = [*signature, found]
        return found


def _code_stamp() -> list[tuple[str, int, int]]:
    """okrsite's own modules, by size and time: an edited checkout is another version."""
    package = Path(__file__).resolve().parents[1]
    return [(p.relative_to(package).as_posix(), (s := p.stat()).st_size, s.st_mtime_ns) for p in sorted(package.rglob("*.py"))]


def _canonical(value: Any) -> Any:
    """Options as JSON whose text does not depend on the order of a set."""
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(_canonical(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    return value


def read_cache(root: Path) -> Any:
    """The cache file's data, unchecked; None where there is none that this version wrote."""
    try:
        fd = os.open(root / CACHE_FOLDER / CACHE_FILE, os.O_RDONLY | _NO_WAIT)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            data = json.loads(handle.read())
        return data if isinstance(data, dict) and data.get("format") == _FORMAT else None
    except (OSError, ValueError, RecursionError):
        return None


def known_files(data: Any) -> dict[str, list[Any]]:
    """The files' table of the cache's data (see Stamp.files); empty where it is not one."""
    table = data.get("files") if isinstance(data, dict) else None
    if not isinstance(table, dict):
        return {}
    return {
        path: row
        for path, row in table.items()
        if type(row) is list and len(row) == 6 and all(type(v) is int for v in row[:5]) and type(row[5]) is str
    }


def cached_entries(data: Any, stamp: Stamp) -> Entries | None:
    """The entries cached for this stamp's key; None if there are none, or they are not well formed."""
    try:
        if data is None or data["key"] != stamp.key:
            return None
        teams = {str(team): _entry(found) for team, found in data["teams"].items()}
        return Entries(_problems(data["top"]), teams)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def _entry(data: Any) -> TeamEntry:
    warnings = data["warnings"]
    refers, reads, aligns = data["refers"], data["reads"], data["aligns"]
    if not all(isinstance(found, list) and all(isinstance(name, str) for name in found) for found in (refers, reads)):
        raise TypeError("refers")
    if not isinstance(aligns, list) or not all(isinstance(a, str) and isinstance(b, str) for a, b in aligns):
        raise TypeError("aligns")
    loaded, documents, digest = data["loaded"], data["documents"], data["digest"]
    if not isinstance(loaded, bool) or type(documents) is not int or not isinstance(digest, str):
        raise TypeError("entry")
    problems, warned = _problems(data["problems"]), None if warnings is None else _problems(warnings)
    return TeamEntry(digest, loaded, documents, refers, reads, [[a, b] for a, b in aligns], problems, warned)


def _problems(rows: Any) -> list[Problem]:
    found = []
    for file, line, col, level, code, message in rows:
        if not all(isinstance(v, str) for v in (file, code, message)) or type(line) is not int or type(col) is not int:
            raise TypeError("problem")
        if level not in ("error", "warning"):
            raise ValueError(level)
        found.append(Problem(Loc(file, line, col), level, code, message))
    return found


def write_cache(root: Path, stamp: Stamp, entries: Entries) -> None:
    """Write the entries under the stamp's key, atomically; a folder that cannot be written is left as it is."""
    folder = root / CACHE_FOLDER
    data = {
        "format": _FORMAT,
        "key": stamp.key,
        "files": stamp.files,
        "top": _rows(entries.top),
        "teams": {
            team: {
                "digest": e.digest,
                "loaded": e.loaded,
                "documents": e.documents,
                "refers": e.refers,
                "reads": e.reads,
                "aligns": e.aligns,
                "problems": _rows(e.problems),
                "warnings": None if e.warnings is None else _rows(e.warnings),
            }
            for team, e in entries.teams.items()
        },
    }
    temporary = None
    try:
        if any(p.is_symlink() for p in (folder.parent, folder)):
            return  # a cache folder that leads elsewhere is not okrsite's to write into
        folder.mkdir(parents=True, exist_ok=True)
        _write_new(folder / ".gitignore", "# written by okrsite check: its cache, safe to delete\n*\n")
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, prefix=".check-", suffix=".tmp", delete=False) as out:
            temporary = Path(out.name)
            out.write(json.dumps(data, separators=(",", ":")))  # dumps, not dump: its C encoder is several times faster
        os.replace(temporary, folder / CACHE_FILE)
        temporary = None
    except OSError:
        pass  # read-only checkout, full disk: the next run starts cold
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def _write_new(path: Path, text: str) -> None:
    try:
        with path.open("x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        pass


def _rows(problems: list[Problem]) -> list[list[Any]]:
    return [[p.loc.file, p.loc.line, p.loc.col, p.level, p.code, p.message] for p in problems]
