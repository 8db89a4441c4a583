"""`okrsite diff`: what a pull request changes in OKR terms, as Markdown for a comment on it.

The base revision's content is read from git into a temporary folder and loaded
exactly as the working tree is, so both sides are the same validated model,
analysed the same way; the rest of this module only compares the two.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from .analysis import Analysis
from .content import load_organisation
from .errors import Problems, one_line
from .git import GitFailed, read_blobs, reason, run_git
from .load import MAX_BYTES
from .model import Checkin, Document, KeyResult, Objective, Organisation, Retrospective
from .score import kr_score
from .values import written

_GOAL_FIELDS = ("baseline", "target", "keep_above", "keep_below")
_REGULAR_FILES = (b"100644", b"100755")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")


class DiffError(Exception):
    """The base revision cannot be read; the message says why, for the command to print."""


# --- the content at a revision -----------------------------------------------------------------


def default_base(root: Path) -> str:
    """The branch a pull request usually merges into: `origin/main` in a CI clone, else a local `main`."""
    for candidate in ("origin/main", "main"):
        if _commit(root, candidate) is not None:
            return candidate
    raise DiffError("no BASE given and neither origin/main nor main exists")


def organisation_at(root: Path, content: str, revision: str) -> tuple[Organisation, Problems]:
    """The content as it was at `revision`, loaded like the working tree so that both sides compare alike.

    Its regular files are written from git's objects into a temporary folder by two git processes, however many
    files there are; links and submodules are left out. Content that did not exist yet at `revision` is an empty
    organisation: the pull request adds all of it.
    """
    commit = _commit(root, revision)
    if commit is None:
        raise DiffError(f"revision {revision!r} does not exist in this repository (a shallow CI clone may need `git fetch`)")
    # ls-tree takes the path and names the files relative to the working directory: root may be a subfolder
    listing = _git(root, "ls-tree", "-r", "-z", commit, "--", f":(literal){PurePosixPath(content)}")
    files = dict(_regular_files(listing))
    if not files:
        return Organisation(), Problems()
    try:
        blobs = read_blobs(root, set(files.values()), MAX_BYTES)
    except GitFailed as exc:
        raise DiffError(str(exc)) from None
    missing = sorted(name for name, blob in files.items() if blob not in blobs)
    if missing:
        raise DiffError(f"git cannot find {missing[0]} at {revision!r} (a partial or broken clone?)")
    with tempfile.TemporaryDirectory(prefix="okrsite-diff-") as tmp:
        for name, blob in files.items():
            path = Path(tmp, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            data = blobs[blob]
            if isinstance(data, int):  # over the size limit: an empty file of that size, which the loader refuses as such
                with path.open("wb") as sparse:
                    sparse.truncate(data)
            else:
                path.write_bytes(data)
        return load_organisation(Path(tmp), content)


def _git(root: Path, *args: str) -> bytes:
    try:
        done = run_git(root, *args)
    except GitFailed as exc:
        raise DiffError(f"{exc}; okrsite diff reads the base revision with it") from None
    if done.returncode != 0:
        raise DiffError(f"git {args[0]} failed: {reason(done.stderr)}")
    return done.stdout


def _commit(root: Path, revision: str) -> str | None:
    """The commit `revision` names, or None if it names none; git failing otherwise is an error."""
    if revision.startswith("-"):
        raise DiffError(f"{revision!r} is not a revision; expected a branch, tag or commit")
    try:
        done = run_git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except GitFailed as exc:
        raise DiffError(f"{exc}; okrsite diff reads the base revision with it") from None
    if done.returncode == 0:
        return done.stdout.decode().strip()
    if done.stderr.strip():
        raise DiffError(f"git cannot read revision {revision!r}: {reason(done.stderr)}")
    return None


def _regular_files(listing: bytes) -> Iterator[tuple[str, str]]:
    """(path, blob) of each regular file in `git ls-tree -z` output; a path leaving the folder is never written."""
    for entry in listing.split(b"\0"):
        meta, _, raw = entry.partition(b"\t")
        fields = meta.split()
        name = os.fsdecode(raw)
        if len(fields) == 3 and fields[0] in _REGULAR_FILES and not name.startswith("/") and ".." not in PurePosixPath(name).parts:
            yield name, fields[2].decode()


# --- the comment -------------------------------------------------------------------------------


def diff_markdown(before: Analysis, after: Analysis, base: str = "BASE", base_errors: int = 0) -> str:
    """Markdown for a pull-request comment: a headline, then what changed in each team's document for a cycle.

    `base` names the revision in the text; `base_errors` counts the errors of the content at it, which is
    compared as far as it could be read.
    """
    sections: list[tuple[Document, list[str]]] = []
    for old, new in _pairs(before.org, after.org):
        doc = new or old
        changes = _document_changes(before, after, old, new)
        if doc is not None and changes:
            sections.append((doc, changes))
    where = f"between {_md(base)} and the working tree"
    teams = {doc.team.id: _md(doc.team.name) for doc, _ in sections}
    headline = f"**{_count(len(teams), 'team')} changed** {where}: {', '.join(teams.values())}" if teams else f"No OKR changes {where}."
    lines = [headline]
    if base_errors:
        lines += [
            "",
            f"> **Note:** the content at {_md(base)} has {_count(base_errors, 'error')}; this compares what could be read, "
            "so a document that could not be read there shows as new.",
        ]
    for doc, changes in sections:
        lines += ["", f"### {_md(doc.team.name)} · {_md(doc.cycle.title)}", "", *changes]
    return "\n".join(lines) + "\n"


def _pairs(before: Organisation, after: Organisation) -> Iterator[tuple[Document | None, Document | None]]:
    """Each team's document for a cycle on both sides, matched by team and cycle id, in team then cycle order."""
    old = {(d.team.id, d.cycle.id): d for d in before.documents()}
    new = {(d.team.id, d.cycle.id): d for d in after.documents()}

    def order(key: tuple[str, str]) -> tuple[str, dt.date, str]:
        return key[0], (new.get(key) or old[key]).cycle.start, key[1]

    for key in sorted(old.keys() | new.keys(), key=order):
        yield old.get(key), new.get(key)


def _document_changes(before: Analysis, after: Analysis, old: Document | None, new: Document | None) -> list[str]:
    if new is None:
        assert old is not None
        return [f"- Document removed ({_size(old)})"]
    lines = [f"- New document ({_size(new)})"] if old is None else []
    lines += _objective_changes(old, new)
    lines += _checkins(old, new)
    lines += _retrospective_changes(old.retrospective if old else None, new.retrospective)
    lines += _signal_changes(before, after, old, new)
    return lines


def _objective_changes(old: Document | None, new: Document) -> Iterator[str]:
    for objective in new.objectives:
        name = f"`{objective.id}`"
        was = old.objective(objective.id) if old else None
        if was is None:
            yield f"- Objective {name} added: {_md(objective.title)} ({objective.type})"
            for kr in objective.key_results:
                yield f"  - Key result `{kr.id}`: {_md(kr.title)} ({_goal(kr)})"
            continue
        if was.title != objective.title:
            yield f"- Objective {name} retitled: {_md(was.title)} → {_md(objective.title)}"
        if was.type != objective.type:
            yield f"- Objective {name} type: {was.type} → {objective.type}"
        yield from _kr_changes(was, objective)
    for was in old.objectives if old else []:
        if new.objective(was.id) is None:
            yield f"- Objective `{was.id}` removed: {_md(was.title)}"


def _kr_changes(was: Objective, objective: Objective) -> Iterator[str]:
    for kr in objective.key_results:
        name = f"`{objective.id}/{kr.id}`"
        old = was.key_result(kr.id)
        if old is None:
            yield f"- Key result {name} added: {_md(kr.title)} ({_goal(kr)})"
            continue
        if old.title != kr.title:
            yield f"- Key result {name} retitled: {_md(old.title)} → {_md(kr.title)}"
        for field in _GOAL_FIELDS:
            if getattr(old, field) != getattr(kr, field):
                yield f"- Key result {name} {field.replace('_', ' ')}: {written(getattr(old, field))} → {written(getattr(kr, field))}"
    for old in was.key_results:
        if objective.key_result(old.id) is None:
            yield f"- Key result `{was.id}/{old.id}` removed: {_md(old.title)}"


def _checkins(old: Document | None, new: Document) -> Iterator[str]:
    """Check-ins on dates the KR had none before, each with the score it moves the KR to on its date."""
    for objective in new.objectives:
        was = old.objective(objective.id) if old else None
        for kr in objective.key_results:
            old_kr = was.key_result(kr.id) if was else None
            known = {c.date for c in old_kr.checkins} if old_kr else set()
            for checkin in sorted(kr.checkins, key=lambda c: c.date):
                if checkin.date not in known:
                    reading = _reading(checkin)
                    yield f"- Check-in `{objective.id}/{kr.id}` {checkin.date}: {reading} → score {kr_score(kr, checkin.date):.2f}"


def _reading(checkin: Checkin) -> str:
    found = "done" if checkin.done else "not done" if checkin.done is not None else written(checkin.value)
    return found if checkin.confidence is None else f"{found}, confidence {checkin.confidence}"


def _retrospective_changes(old: Retrospective | None, new: Retrospective | None) -> Iterator[str]:
    if new is not None and old is None:
        parts = [f"{len(new.landed)} landed", f"{len(new.missed)} missed", f"{_count(len(new.changes), 'change')} for next cycle"]
        yield f"- Retrospective added: {', '.join(parts)}"
    elif new is None and old is not None:
        yield "- Retrospective removed"


def _signal_changes(before: Analysis, after: Analysis, old: Document | None, new: Document) -> Iterator[str]:
    """Signals compared by code and message: a message names its evidence, so a changed one is a new signal."""
    was = dict.fromkeys((s.code, s.message) for s in before.signals(old)) if old else {}
    now = dict.fromkeys((s.code, s.message) for s in after.signals(new))
    for code, message in now:
        if (code, message) not in was:
            yield f"- New health signal `{code}`: {_md(message)}"
    for code, message in was:
        if (code, message) not in now:
            yield f"- Health signal gone `{code}`: {_md(message)}"


def _goal(kr: KeyResult) -> str:
    """What a new KR aims at: its baseline and target, the line it holds, or a milestone."""
    parts = [f"{field.replace('_', ' ')} {written(getattr(kr, field))}" for field in _GOAL_FIELDS if getattr(kr, field) is not None]
    return ", ".join(parts) or "milestone"


def _size(doc: Document) -> str:
    krs = sum(len(o.key_results) for o in doc.objectives)
    return f"{_count(len(doc.objectives), 'objective')}, {_count(krs, 'key result')}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _md(text: str) -> str:
    """Content as literal text: a title cannot add a link, emphasis, HTML or a line break to the comment.

    Lighter than `text.md_text`, as mail notifications show the raw Markdown: content never starts a line
    here, so the characters that only matter there (`-`, `+`, `.`) stay as typed.
    """
    return _MD_SPECIAL.sub(r"\\\1", html.escape(one_line(" ".join(text.split())), quote=False))
