"""The KR edits in a repository's history: two git processes per build however long the history is."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..analysis.changes import Commits, KrEdit
from ..content.errors import Problems
from ..content.files import MAX_BYTES, parse_source
from ..content.values import as_number
from .git import GitFailed, read_blobs, reason, run_git

_UNLISTED = "the commits that changed key results are not listed"
_COMMIT_FORMAT = "%H%x00%aI%x00%aN%x00%s"
"""A commit's fields split by NUL, which no commit's text can hold: no subject or author can forge a record."""
_HASH = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
_EDITED_FIELDS = ("target", "baseline", "title")
_KrFields = dict[tuple[str, str], dict[str, object]]
"""Per (objective id, KR id) of one version of a document: its target, baseline and title."""


@dataclass(frozen=True)
class _Modification:
    """A commit that changed an existing document file: the blob before and after."""

    commit: str
    date: dt.date
    author: str
    subject: str
    file: str
    before: str
    after: str

    @property
    def markdown(self) -> bool:
        return self.file.endswith(".md")


def read_history(root: Path, content: str = "content") -> Commits:
    """Every commit that changed a KR's target, baseline or title; a notice instead when git cannot tell.

    Whatever the repository holds (a broken object, a date no calendar holds, a shallow or partial
    clone), the result is a notice on the change log, never an error of the build.
    """
    try:
        return _read(root, content)
    except GitFailed as exc:
        return Commits(f"{exc}: {_UNLISTED}")


def _read(root: Path, content: str) -> Commits:
    info = run_git(root, "rev-parse", "--is-shallow-repository", "--show-prefix", "--verify", "-q", "HEAD")
    if info.returncode == 1 and not info.stderr.strip():
        return Commits()  # a repository without commits: nothing to list
    if info.returncode != 0:
        return Commits(_failure(info.stderr))
    shallow, prefix = (os.fsdecode(line) for line in info.stdout.split(b"\n")[:2])
    if shallow == "true":
        return Commits(f"shallow clone: {_UNLISTED} (fetch the full history with `git fetch --unshallow`)")
    teams = PurePosixPath(content, "teams")
    log = run_git(
        root,
        *("log", "-z", "--reverse", "--raw", "--no-abbrev", "--no-renames", f"--format={_COMMIT_FORMAT}"),
        *("--", f":(literal){teams}"),
    )
    if log.returncode != 0:
        return Commits(_failure(log.stderr))
    modifications, undated = _modifications(log.stdout, prefix, teams)
    wanted = {blob for m in modifications for blob in (m.before, m.after)}
    blobs = read_blobs(root, wanted, MAX_BYTES)
    versions: dict[tuple[str, bool], _KrFields | None] = {}
    edits: dict[str, list[KrEdit]] = {}
    readable: dict[str, _KrFields] = {}  # each file's last parsable version: an edit made across a broken one still shows
    for m in modifications:
        before, after = (_version(versions, blobs, blob, m.markdown) for blob in (m.before, m.after))
        if before is None:
            before = readable.get(m.file)
        if after is None:
            continue
        edits.setdefault(m.file, []).extend(_kr_edits(m, before, after))
        readable[m.file] = after
    missing = len(wanted - blobs.keys())
    return Commits(_left_out(undated, missing), {file: sorted(found, key=lambda e: e.date) for file, found in edits.items()})


def _version(
    versions: dict[tuple[str, bool], _KrFields | None], blobs: dict[str, bytes | int], blob: str, markdown: bool
) -> _KrFields | None:
    """The KR fields of one blob, parsed once however many commits name it; None if it is missing, too large or unreadable."""
    key = (blob, markdown)
    if key not in versions:
        data = blobs.get(blob)
        versions[key] = _kr_fields(data, markdown) if isinstance(data, bytes) else None
    return versions[key]


def _left_out(undated: int, missing: int) -> str | None:
    """The notice for commits and versions that could not be read, if any."""
    parts = []
    if undated:
        parts.append(f"{undated} commit{'s' * (undated != 1)} with a date outside the calendar")
    if missing:
        parts.append(f"{missing} version{'s' * (missing != 1)} of documents that git cannot find (a partial or broken clone?)")
    return f"left out: {' and '.join(parts)}" if parts else None


def _failure(stderr: bytes) -> str:
    text = stderr.decode(errors="replace")
    if "not a git repository" in text:
        return f"not a git repository: {_UNLISTED}"
    return f"git could not read the history ({reason(stderr)}): {_UNLISTED}"


def _modifications(log: bytes, prefix: str, teams: PurePosixPath) -> tuple[list[_Modification], int]:
    """The document files each commit modified, and how many commits were left out for a date no calendar holds.

    `git log -z` gives NUL-separated fields: a commit's four (hash, date, author, subject), then pairs
    of a raw status line (":100644 100644 <before> <after> M") and a path. Added and deleted files
    have no before or after to compare.
    """
    tokens = log.split(b"\0")
    found: list[_Modification] = []
    undated = 0
    i = 0
    while i + 4 <= len(tokens) and _HASH.fullmatch(tokens[i].decode("ascii", "replace").strip()):
        commit, authored, author, subject = (tokens[i + k].decode("utf-8", "replace") for k in range(4))
        i += 4
        changed: list[tuple[str, str]] = []
        while i + 1 < len(tokens) and tokens[i].lstrip(b"\n").startswith(b":"):
            changed.append((tokens[i].lstrip(b"\n").decode("ascii", "replace"), os.fsdecode(tokens[i + 1])))
            i += 2
        try:
            date = dt.datetime.fromisoformat(authored).date()
        except ValueError:  # git keeps dates up to year 2^63; Python's end at 9999
            undated += 1
            continue
        for status, path in changed:
            fields = status.split()
            file = _document_file(path, prefix, teams)
            if len(fields) == 5 and fields[4] == "M" and file is not None:
                found.append(_Modification(commit.strip(), date, author, subject, file, fields[2], fields[3]))
    return found, undated


def _document_file(path: str, prefix: str, teams: PurePosixPath) -> str | None:
    """A repository path as a path relative to the site's root, if it is a team document."""
    if not path.startswith(prefix):
        return None
    file = PurePosixPath(path[len(prefix) :])
    if file.parent.parent != teams or file.suffix not in (".yml", ".md") or file.name == "team.yml":
        return None
    return file.as_posix()


def _kr_fields(data: bytes, markdown: bool) -> _KrFields | None:
    """The KR fields of one version of a document; None when it cannot be read, as history is not validated.

    Read by the same loader as the content on disk, with its limits on size, aliases and nesting:
    an old version cannot cost more than a file of today.
    """
    if len(data) > MAX_BYTES:
        return None
    source = parse_source(data, ".md" if markdown else ".yml", "", Problems())
    if source is None:
        return None
    objectives = source.data.get("objectives") if isinstance(source.data, dict) else None
    fields: _KrFields = {}
    for objective in objectives if isinstance(objectives, list) else []:
        krs = objective.get("key_results") if isinstance(objective, dict) and isinstance(objective.get("id"), str) else None
        for kr in krs if isinstance(krs, list) else []:
            if isinstance(kr, dict) and isinstance(kr.get("id"), str):
                fields[objective["id"], kr["id"]] = {
                    "target": _as_number(kr.get("target")),
                    "baseline": _as_number(kr.get("baseline")),
                    "title": kr.get("title"),
                }
    return fields


def _as_number(value: object) -> object:
    """As the model reads it, so that `55` in one version equals `55.0` in the next; other text stays as it is."""
    number = as_number(value) if isinstance(value, str) else None
    return value if number is None else number


def _kr_edits(m: _Modification, before: _KrFields | None, after: _KrFields) -> Iterator[KrEdit]:
    if before is None:
        return
    for (objective_id, kr_id), new in after.items():
        old = before.get((objective_id, kr_id), new)  # a KR added by the commit has nothing to compare
        for name in _EDITED_FIELDS:
            if old[name] != new[name]:
                yield KrEdit(m.commit, m.date, m.author, m.subject, objective_id, kr_id, name, old[name], new[name])
