"""What a team changed since its previous cycle (SPEC section 5).

Two sources feed one change log: the team's documents, this one against the
previous one, and the git history of this document's file, for the KR edits a
document cannot show (a target moved on a Tuesday, by whom, and why the commit
said so). Everything here is pure over the model except `GitHistory.read`, which
costs two git processes per build however long the history is.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from .errors import Problems
from .git import GitFailed, read_blobs, reason, run_git
from .load import MAX_BYTES, parse_source
from .model import Document, KeyResult, Objective, Organisation
from .values import as_number, written

ChangeKind = Literal[
    "objective-added",
    "objective-retired",
    "objective-continued",
    "objective-retitled",
    "objective-type",
    "kr-added",
    "kr-removed",
    "kr-retargeted",
    "kr-rebaselined",
    "baseline-differs",
    "cycle-length",
    "cadence",
    "commitment",
    "revision",
    "commit",
]


@dataclass(frozen=True)
class Change:
    """One line of a change log: `message` for readers, the other fields for pages and exports."""

    kind: ChangeKind
    message: str
    objective: str | None = None
    kr: str | None = None
    field: str | None = None
    """The KR field a revision or a commit changed: target, baseline, title..."""
    old: object = None
    new: object = None
    date: dt.date | None = None
    author: str | None = None
    subject: str | None = None
    commit: str | None = None


@dataclass(frozen=True)
class ChangeLog:
    """A document's changes; the previous retrospective's commitments come first, as the promises the rest is read against."""

    document: Document
    previous: Document | None
    changes: list[Change]
    git_notice: str | None = None
    """Why commits are not listed (no git, not a repository, a shallow clone); None when they were read or not asked for."""

    @property
    def nothing_changed(self) -> bool:
        """A team that only repeats its previous promises changed nothing; a first document always changes.

        Judged on the documents alone (commits are edits within the cycle), so that `okrsite check`,
        which reads no history, and the site agree.
        """
        return self.previous is not None and all(c.kind in ("commitment", "commit") for c in self.changes)


def change_log(org: Organisation, doc: Document, git: GitHistory | None = None) -> ChangeLog:
    """Everything that changed in `doc` against the team's previous document, then its revisions and commits."""
    previous = org.previous_document(doc)
    changes: list[Change] = []
    if previous is not None:
        changes += _commitments(previous)
        changes += _cycle_changes(previous, doc)
        changes += _objective_changes(previous, doc)
        changes += _kr_changes(previous, doc)
    changes += _revisions(doc)
    if git is not None:
        changes += git.kr_edits(doc)
    return ChangeLog(doc, previous, changes, git.notice if git is not None else None)


def _commitments(previous: Document) -> Iterator[Change]:
    retro = previous.retrospective
    for text in retro.changes if retro is not None else []:
        yield Change("commitment", f"committed to in the {previous.cycle.title} retrospective: {text}", new=text)


def _cycle_changes(previous: Document, doc: Document) -> Iterator[Change]:
    old_days, new_days = previous.cycle.days + 1, doc.cycle.days + 1  # the end day is part of the cycle
    if old_days != new_days:
        yield Change("cycle-length", f"cycle length changed from {old_days} to {new_days} days", old=old_days, new=new_days)
    old_every, new_every = previous.cycle.checkin_every, doc.cycle.checkin_every
    if old_every != new_every:
        message = f"check-in cadence changed from every {old_every} to every {new_every} days"
        yield Change("cadence", message, old=old_every, new=new_every)


def _matches(previous: Document, doc: Document) -> Iterator[tuple[Objective, Objective | None]]:
    """Each objective of `doc` with the one it continues, by `continues` or else by the same id."""
    for objective in doc.objectives:
        yield objective, previous.objective(objective.continues or objective.id)


def _objective_changes(previous: Document, doc: Document) -> Iterator[Change]:
    continued: set[str] = set()
    for objective, before in _matches(previous, doc):
        name = objective.id
        if before is None:
            yield Change("objective-added", f'objective {name} added: "{objective.title}"', name, new=objective.title)
            continue
        continued.add(before.id)
        if before.id != name:
            yield Change("objective-continued", f"objective {before.id} continues as {name}", name, old=before.id, new=name)
        if before.title != objective.title:
            message = f'objective {name} retitled "{before.title}" -> "{objective.title}"'
            yield Change("objective-retitled", message, name, old=before.title, new=objective.title)
        if before.type != objective.type:
            message = f"objective {name} switched from {before.type} to {objective.type}"
            yield Change("objective-type", message, name, old=before.type, new=objective.type)
    for before in previous.objectives:
        if before.id not in continued:
            yield Change("objective-retired", f'objective {before.id} retired: "{before.title}"', before.id, old=before.title)


def _kr_changes(previous: Document, doc: Document) -> Iterator[Change]:
    for objective, before in _matches(previous, doc):
        if before is None:
            continue  # its KRs come with the added objective
        for kr in objective.key_results:
            old = before.key_result(kr.id)
            if old is None:
                yield Change("kr-added", f'{_kr_name(objective.id, kr.id)} added: "{kr.title}"', objective.id, kr.id, new=kr.title)
            else:
                yield from _kr_differences(objective.id, old, kr)
        for old in before.key_results:
            if objective.key_result(old.id) is None:
                message = f'{_kr_name(objective.id, old.id)} removed: "{old.title}"'
                yield Change("kr-removed", message, objective.id, old.id, old=old.title)


def _kr_differences(objective_id: str, old: KeyResult, new: KeyResult) -> Iterator[Change]:
    name = _kr_name(objective_id, new.id)
    if _goal(old) != _goal(new):
        message = f"{name} re-targeted {_goal(old)} -> {_goal(new)}"
        yield Change("kr-retargeted", message, objective_id, new.id, "target", _goal_value(old), _goal_value(new))
    if old.baseline != new.baseline:
        message = f"{name} re-baselined {written(old.baseline)} -> {written(new.baseline)}"
        yield Change("kr-rebaselined", message, objective_id, new.id, "baseline", old.baseline, new.baseline)
    final = _final_value(old)
    if new.kind == "metric" and final is not None and new.baseline != final:
        message = f"{name}: baseline {written(new.baseline)} differs from the previous cycle's final value {written(final)}"
        yield Change("baseline-differs", message, objective_id, new.id, "baseline", final, new.baseline)


def _revisions(doc: Document) -> list[Change]:
    """The mid-cycle revisions written in the document, oldest first."""
    changes = []
    for objective in doc.objectives:
        for kr in objective.key_results:
            for r in kr.revisions:
                change = f"{r.field} revised to {_value(r.field, r.to)}"
                if r.from_ is not None:
                    change = f"{r.field} revised {_value(r.field, r.from_)} -> {_value(r.field, r.to)}"
                why = f" ({r.why})" if r.why else ""
                message = f"{_kr_name(objective.id, kr.id)}: {change} on {r.date}{why}"
                changes.append(Change("revision", message, objective.id, kr.id, r.field, r.from_, r.to, r.date))
    return sorted(changes, key=lambda c: c.date or dt.date.min)


def _kr_name(objective_id: str, kr_id: str) -> str:
    return f"KR {kr_id} of {objective_id}"


def _goal(kr: KeyResult) -> str:
    """What the KR aims at: a metric's target, the line a health KR holds, or a milestone."""
    if kr.target is not None:
        return written(kr.target)
    if kr.keep_above is not None:
        return f"keep above {written(kr.keep_above)}"
    if kr.keep_below is not None:
        return f"keep below {written(kr.keep_below)}"
    return "a milestone"


def _goal_value(kr: KeyResult) -> float | None:
    return next((v for v in (kr.target, kr.keep_above, kr.keep_below) if v is not None), None)


def _final_value(kr: KeyResult) -> float | None:
    """The last value checked in for the KR, by date, whatever the file order."""
    values = sorted((c for c in kr.checkins if c.value is not None), key=lambda c: c.date)
    return values[-1].value if values else None


def _value(field_name: str, value: object) -> str:
    return f'"{value}"' if field_name == "title" and value is not None else written(value)


# --- git ---------------------------------------------------------------------------------------

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


@dataclass(frozen=True)
class GitHistory:
    """One pass over the repository's history, read once per build and cached by the caller."""

    notice: str | None = None
    """Why commits are not listed, or which are left out; None when every one was read."""
    edits: dict[str, list[Change]] = field(default_factory=dict)
    """The "commit" changes by document file (relative to the site's root), in author-date order."""

    @classmethod
    def read(cls, root: Path, content: str = "content") -> GitHistory:
        """Every commit that changed a KR's target, baseline or title; a notice instead when git cannot tell.

        Whatever the repository holds (a broken object, a date no calendar holds, a shallow or partial
        clone), the result is a notice on the change log, never an error of the build.
        """
        try:
            return cls._read(root, content)
        except GitFailed as exc:
            return cls(f"{exc}: {_UNLISTED}")

    @classmethod
    def _read(cls, root: Path, content: str) -> GitHistory:
        info = run_git(root, "rev-parse", "--is-shallow-repository", "--show-prefix", "--verify", "-q", "HEAD")
        if info.returncode == 1 and not info.stderr.strip():
            return cls()  # a repository without commits: nothing to list
        if info.returncode != 0:
            return cls(_failure(info.stderr))
        shallow, prefix = (os.fsdecode(line) for line in info.stdout.split(b"\n")[:2])
        if shallow == "true":
            return cls(f"shallow clone: {_UNLISTED} (fetch the full history with `git fetch --unshallow`)")
        teams = PurePosixPath(content, "teams")
        log = run_git(
            root,
            *("log", "-z", "--reverse", "--raw", "--no-abbrev", "--no-renames", f"--format={_COMMIT_FORMAT}"),
            *("--", f":(literal){teams}"),
        )
        if log.returncode != 0:
            return cls(_failure(log.stderr))
        modifications, undated = _modifications(log.stdout, prefix, teams)
        wanted = {blob for m in modifications for blob in (m.before, m.after)}
        blobs = read_blobs(root, wanted, MAX_BYTES)
        versions: dict[tuple[str, bool], _KrFields | None] = {}
        dated: dict[str, list[tuple[dt.date, Change]]] = {}
        readable: dict[str, _KrFields] = {}  # each file's last parsable version: an edit made across a broken one still shows
        for m in modifications:
            before, after = (_version(versions, blobs, blob, m.markdown) for blob in (m.before, m.after))
            if before is None:
                before = readable.get(m.file)
            if after is None:
                continue
            for change in _commit_changes(m, before, after):
                dated.setdefault(m.file, []).append((m.date, change))
            readable[m.file] = after
        missing = len(wanted - blobs.keys())
        edits = {file: [c for _, c in sorted(items, key=lambda item: item[0])] for file, items in dated.items()}
        return cls(_left_out(undated, missing), edits)

    def kr_edits(self, doc: Document) -> list[Change]:
        """The commits dated (by author date) within the document's cycle that edited one of its KRs."""
        return [c for c in self.edits.get(doc.file, []) if c.date is not None and doc.cycle.contains(c.date)]


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


def _commit_changes(m: _Modification, before: _KrFields | None, after: _KrFields) -> Iterator[Change]:
    if before is None:
        return
    for (objective_id, kr_id), new in after.items():
        old = before.get((objective_id, kr_id), new)  # a KR added by the commit has nothing to compare
        for name in _EDITED_FIELDS:
            if old[name] != new[name]:
                change = f"{name} {_value(name, old[name])} -> {_value(name, new[name])}"
                message = f'{_kr_name(objective_id, kr_id)}: {change} on {m.date} by {m.author} ("{m.subject}")'
                yield Change("commit", message, objective_id, kr_id, name, old[name], new[name], m.date, m.author, m.subject, m.commit)
