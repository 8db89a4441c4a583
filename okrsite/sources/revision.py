"""The content as it was at a git revision, for `okrsite diff` and `okrsite digest`: loaded exactly as the working tree is."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from ..content.errors import Problems
from ..content.files import MAX_BYTES
from ..content.folder import load_organisation
from ..content.model import Organisation
from .git import GitFailed, read_blobs, reason, run_git

_REGULAR_FILES = (b"100644", b"100755")


class DiffError(Exception):
    """The base revision cannot be read; the message says why, for the command to print."""


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


class NoHistory(Exception):
    """The repository's history cannot say what the content was on a day; the message says why."""


def commit_on(root: Path, day: dt.date) -> str | None:
    """The commit the branch stood at when `day` ended (in UTC): the last one on HEAD's first-parent line committed
    by then, so that a merged branch counts from its merge, not from its own commits' dates.

    None when the branch began after `day` (the content did not exist yet). NoHistory when `root` is not in a
    repository with commits, or is a shallow clone whose history does not reach back to `day`.
    """
    try:
        info = run_git(root, "rev-parse", "--is-shallow-repository", "--verify", "-q", "HEAD")
        if info.returncode != 0:
            raise NoHistory("the content is not in a git repository with commits")
        shallow = info.stdout.split(b"\n")[0] == b"true"
        found = run_git(root, "rev-list", "-1", "--first-parent", f"--before={day.isoformat()}T23:59:59+00:00", "HEAD")
    except GitFailed as exc:
        raise NoHistory(str(exc)) from None
    if found.returncode != 0:
        raise NoHistory(f"git rev-list failed: {reason(found.stderr)}")
    commit = found.stdout.decode().strip() or None
    if commit is None and shallow:
        raise NoHistory(f"this shallow clone's history does not reach back to {day} (fetch it with `git fetch --unshallow`)")
    return commit


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


def changed_files(root: Path, revision: str) -> set[str]:
    """The files (relative to `root`) that differ between the working tree and where it branched off `revision`.

    As a pull request sees it: from the merge base of `revision` and HEAD, so that what `revision` gained
    since the branch was made does not count as changed here. DiffError when git cannot tell.
    """
    commit = _commit(root, revision)
    if commit is None:
        raise DiffError(f"revision {revision!r} does not exist in this repository (a shallow CI clone may need `git fetch`)")
    base = _git(root, "merge-base", commit, "HEAD").decode().strip()
    listing = _git(root, "diff", "--name-only", "--no-renames", "--relative", "-z", base, "--")
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", ".")
    return {os.fsdecode(name) for name in (listing + b"\0" + untracked).split(b"\0") if name}
