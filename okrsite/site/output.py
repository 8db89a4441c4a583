"""Where a build lands, engine-free: only into a folder okrsite built, one whole build at a time, never half.

- Every built folder carries a stamp (`.okrsite-build`). A folder is replaced only
  when it is empty or stamped; an output folder that is, holds or lies inside the
  user's own folders is refused before anything is written.
- Builds of the same output take turns through a lock file beside it.
- A build is made in a work folder beside the output, then exchanged with it in
  one atomic step (`renameat2` on Linux, `renamex_np` on macOS), so a build killed
  at any moment leaves the previous site whole; the next build removes the work
  folder that the killed one left behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO

from .. import __version__
from ..content.errors import shown_path

STAMP = ".okrsite-build"
"""The file that marks a folder as okrsite's own build."""
LOCK_WAIT = 600.0
"""Seconds a build waits for another build of the same output before it gives up."""


class OutputError(Exception):
    """The output folder cannot be used or written; the message says why and how to fix it, and nothing was replaced."""


def protected_folders(root: Path, content: str, templates: str, docs: str | None) -> dict[str, Path]:
    """The user's folders, by the names messages give them: content, templates, docs (None: the site has none) and the root."""
    folders = {  # the root first: an output over it is named as such, not after the first folder in it
        "the site's root": root,
        f"the content folder {content}/": root / content,
        f"the templates folder {templates}/": root / templates,
    }
    if docs is not None:
        folders[f"the docs folder {docs}/"] = root / docs
    return folders


def check_output(output: Path, protected: Mapping[str, Path]) -> None:
    """Refuse an output folder that would overwrite the user's files, before anything is written.

    `protected` names the user's folders: the output may not be one of them or hold one, nor lie inside one,
    except the site's root (the folder of mkdocs.yml), inside which `site/` normally lies.
    """
    try:
        _check_output(output, protected)
    except (OSError, RuntimeError) as exc:  # a folder that cannot be listed, a link that loops
        raise OutputError(f"cannot use {shown_path(output)} as the output folder: {getattr(exc, 'strerror', None) or exc}") from None


def _check_output(output: Path, protected: Mapping[str, Path]) -> None:
    real = output.resolve()
    for name, folder in protected.items():
        mine = folder.resolve()
        if real == mine or mine.is_relative_to(real):
            what = "is" if real == mine else "holds"
            raise OutputError(
                f"the output folder {shown_path(output)} {what} {name}, and a build replaces it: set site_dir to a folder of its own"
            )
        if name != "the site's root" and real.is_relative_to(mine):
            raise OutputError(f"the output folder {shown_path(output)} lies inside {name}: set site_dir to a folder of its own")
    if os.path.lexists(output) and not output.is_dir():
        raise OutputError(f"the output folder {shown_path(output)} is a file: move it away, or set site_dir to another folder")
    if output.is_dir() and not is_ours(output):
        raise OutputError(
            f"the output folder {shown_path(output)} holds files that okrsite did not write (it has no {STAMP}), and a build "
            "replaces the whole folder: move them away, or set site_dir to another folder (a site built before okrsite "
            "stamped its builds has no stamp either: delete it once)"
        )


def is_ours(folder: Path) -> bool:
    """Whether `folder` is empty or okrsite built it: only the stamp says so (okrs.json, say, may be a download)."""
    return (folder / STAMP).is_file() or not any(folder.iterdir())


def stamp(folder: Path) -> None:
    (folder / STAMP).write_text(f"built by okrsite {__version__}: each build replaces this whole folder\n", encoding="utf-8")


@contextlib.contextmanager
def building(output: Path, say: Callable[[str], None]) -> Iterator[Path]:
    """A fresh, stamped work folder for a build of `output`; on success the build replaces `output` whole.

    Builds of the same output take turns (`say` tells the user when this one waits). On any failure
    the work folder is removed and `output` is as it was. Errors of the file system are an OutputError.
    """
    output = output.resolve()  # a link to the served folder stays a link: the folder it points at is replaced
    work = output.parent / f".{output.name}.okrsite-work"
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        with _turn(output, say):
            _recover(work, output)
            _clear(work)
            work.mkdir()
            try:
                stamp(work)  # first: a work folder that holds anything is stamped, so the next build may remove it
                (work / "new").mkdir()
                yield work / "new"
                stamp(work / "new")
                _exchange(work / "new", output)
            finally:
                with contextlib.suppress(OSError):  # what cannot be removed now, the next build removes
                    _clear(work)
    except OSError as exc:  # a full disk, a read-only folder, a file that cannot be read
        what = shown_path(exc.filename) if exc.filename else f"the new build beside {shown_path(output)}"
        raise OutputError(f"the build stopped at {what}: {exc.strerror or exc}; {shown_path(output)} is as it was") from None


def _recover(work: Path, output: Path) -> None:
    """Put back the previous output that a build killed between two renames left in the work folder."""
    old = work / "old"
    if not os.path.lexists(output) and old.is_dir() and (work / STAMP).is_file():
        os.rename(old, output)


def _clear(work: Path) -> None:
    """Remove a work folder, ours by its stamp; one without the stamp is not ours to delete.

    The stamp goes last: a removal killed half-way leaves a folder the next build still knows as its own.
    """
    if not os.path.lexists(work):
        return
    if not (work / STAMP).is_file() and any(work.iterdir()):
        raise OutputError(f"{shown_path(work)} is in the way and okrsite did not make it: move it away")
    for entry in work.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        elif entry.name != STAMP:
            entry.unlink()
    (work / STAMP).unlink(missing_ok=True)
    work.rmdir()


@contextlib.contextmanager
def _turn(output: Path, say: Callable[[str], None]) -> Iterator[None]:
    """Hold the lock beside `output` for the whole build: a second build waits for the first, then goes on.

    The lock file is removed when the build ends, so nothing stays beside the output; a build that
    took the lock checks that the file it locked is still the one at that path (else it was removed
    meanwhile and is locked afresh).
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows has no flock; builds there do not take turns
        yield
        return
    lock_path = output.parent / f".{output.name}.okrsite-lock"
    deadline = time.monotonic() + LOCK_WAIT
    told = False
    while True:
        with open(lock_path, "a+b") as lock:
            try:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not told:
                    say(f"waiting for another okrsite build of {shown_path(output)} to finish")
                    told = True
                if time.monotonic() > deadline:
                    raise OutputError(
                        f"another build of {shown_path(output)} has held {shown_path(lock_path)} for {LOCK_WAIT:.0f} s: "
                        "let it finish, or stop it"
                    ) from None
                time.sleep(0.2)
                continue
            if not _same_file(lock, lock_path):
                continue  # the build before this one removed it after this one opened it
            try:
                yield
            finally:
                with contextlib.suppress(FileNotFoundError):
                    lock_path.unlink()
            return


def _same_file(handle: IO[bytes], path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(handle.fileno()), os.stat(path))
    except FileNotFoundError:
        return False


def _exchange(new: Path, output: Path) -> None:
    """Put `new` where `output` is in one step; `new` then holds the previous output (if there was one)."""
    if not os.path.lexists(output):
        os.rename(new, output)
        return
    if _swap is not None and _swap(new, output):
        return
    # no atomic exchange here: two renames, with the previous build kept until the second one is done
    old = new.parent / "old"
    os.rename(output, old)
    os.rename(new, output)
    os.rename(old, new)


def _atomic_swap() -> Callable[[Path, Path], bool] | None:
    """The system's atomic exchange of two paths, if it has one; it returns False when the file system refuses."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        at_cwd, exchange = -100, 2  # AT_FDCWD, RENAME_EXCHANGE

        def renameat2(a: Path, b: Path) -> bool:
            if libc.renameat2(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), exchange) == 0:
                return True
            return _refused(ctypes.get_errno(), a)

        return renameat2
    if sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        swap = 2  # RENAME_SWAP

        def renamex_np(a: Path, b: Path) -> bool:
            if libc.renamex_np(os.fsencode(a), os.fsencode(b), swap) == 0:
                return True
            return _refused(ctypes.get_errno(), a)

        return renamex_np
    return None


def _refused(code: int, path: Path) -> bool:
    """False when the exchange is not supported here (then two renames do); any other failure is an OSError."""
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(path))


_swap = _atomic_swap()
