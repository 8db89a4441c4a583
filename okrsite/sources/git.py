"""Running git for what okrsite reads from a repository: the history of documents, and the base of a pull request.

git runs without a terminal, with messages in English (they are told apart and passed
on), never fetching (a partial clone's missing objects are missing, not downloaded
from a host that the intranet cannot reach), and within a time limit.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import IO

GIT_TIMEOUT = 300
"""Seconds any one git process may take; a repository that takes longer is reported, never waited on forever."""
_ENV = {"LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_NO_LAZY_FETCH": "1", "GIT_OPTIONAL_LOCKS": "0"}


class GitFailed(Exception):
    """git could not run or did not finish: the message says why, in a few words."""


def run_git(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """git `args` in `root`; its exit code is the caller's to judge. GitFailed when git is missing or too slow."""
    try:
        return subprocess.run(
            ["git", "-c", "log.showSignature=false", *args],
            cwd=root,
            input=stdin,
            capture_output=True,
            env={**os.environ, **_ENV},
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        raise GitFailed("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitFailed(f"git {args[0]} did not finish within {GIT_TIMEOUT} s") from None


def reason(stderr: bytes) -> str:
    """The first line git wrote to stderr, without its 'fatal: '."""
    lines = [line.removeprefix("fatal: ") for line in stderr.decode(errors="replace").splitlines() if line.strip()]
    return lines[0] if lines else "no reason given"


def read_blobs(root: Path, blobs: Iterable[str], max_bytes: int) -> dict[str, bytes | int]:
    """Each blob's bytes through one `git cat-file --batch`, or its size when over `max_bytes` (left unread).

    A blob git cannot find (a partial or broken clone) is left out. The blobs are written from a thread:
    git answers while it reads, and both pipes would fill.
    """
    order = sorted(set(blobs))
    found: dict[str, bytes | int] = {}
    if not order:
        return found
    try:
        batch = subprocess.Popen(
            ["git", "cat-file", "--batch"],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **_ENV},
        )
    except FileNotFoundError:
        raise GitFailed("git is not installed") from None
    timed_out = threading.Event()

    def stop() -> None:
        timed_out.set()
        batch.kill()

    timer = threading.Timer(GIT_TIMEOUT, stop)
    timer.start()
    with batch:
        assert batch.stdin is not None and batch.stdout is not None
        feeder = threading.Thread(target=_feed, args=(batch.stdin, order))
        feeder.start()
        for _ in order:
            header = batch.stdout.readline().split()
            if not header:
                break  # git stopped (killed when too slow): what it answered stands
            if len(header) != 3:
                continue  # "<name> missing"
            size = int(header[2])
            found[header[0].decode()] = _read(batch.stdout, size) if size <= max_bytes else _skip(batch.stdout, size)
            batch.stdout.read(1)  # the newline after each object
        feeder.join()
    timer.cancel()
    if timed_out.is_set():
        raise GitFailed(f"git cat-file did not finish within {GIT_TIMEOUT} s")
    return found


def _read(stream: IO[bytes], size: int) -> bytes:
    return stream.read(size)


def _skip(stream: IO[bytes], size: int) -> int:
    left = size
    while left > 0:
        chunk = stream.read(min(left, 1 << 20))
        if not chunk:
            break
        left -= len(chunk)
    return size


def _feed(stdin: IO[bytes], blobs: list[str]) -> None:
    try:
        with stdin:
            stdin.write("".join(f"{blob}\n" for blob in blobs).encode())
    except OSError:  # git stopped early; the reader sees the end of its output
        pass
