"""Reading a content file from disk: never waiting on a FIFO, never past the size limit, YAML or Markdown front matter."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import Loc, Problems
from .source import Source, parse_yaml

MAX_BYTES = 5 * 1024 * 1024


def read_source(path: Path, file: str, problems: Problems) -> Source | None:
    """Read one content file (`.yml`, or `.md` with front matter) as a Source.

    `file` is the name used in messages: the path relative to the site's root.
    """
    raw = read_bytes(path, file, problems)
    return parse_source(raw, path.suffix, file, problems) if raw is not None else None


def read_bytes(path: Path, file: str, problems: Problems) -> bytes | None:
    """The file's bytes; None, with the reason recorded, if it is not a regular file, cannot be read or is over MAX_BYTES.

    A FIFO, socket or device is never read (reading a FIFO waits for a writer forever): the path is
    checked first, then opened without blocking and read only once the open file shows itself regular.
    """
    try:
        kind = special_kind(os.stat(path).st_mode)
        if kind is None:
            with os.fdopen(os.open(path, os.O_RDONLY | _NO_WAIT), "rb") as handle:
                info = os.fstat(handle.fileno())
                kind = special_kind(info.st_mode)
                data = handle.read(MAX_BYTES + 1) if kind is None and info.st_size <= MAX_BYTES else b""
    except OSError as exc:
        problems.error(Loc(file), "unreadable", f"cannot read this file ({exc.strerror or exc}); a link to nothing?")
        return None
    if kind is not None:
        problems.error(Loc(file), "not-a-file", f"this is {kind}; expected a file of text")
        return None
    if info.st_size > MAX_BYTES or len(data) > MAX_BYTES:
        size = max(info.st_size, len(data)) / 2**20
        problems.error(Loc(file), "file-too-large", f"the file is {size:.1f} MB; expected at most {MAX_BYTES // 2**20} MB")
        return None
    return data


_NO_WAIT = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


def special_kind(mode: int) -> str | None:
    """What a path is when it is not a regular file ('a folder', 'a FIFO'...); None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    kinds = {stat.S_ISDIR: "a folder", stat.S_ISFIFO: "a FIFO (named pipe)", stat.S_ISSOCK: "a socket"}
    kinds |= {stat.S_ISCHR: "a character device", stat.S_ISBLK: "a block device"}
    return next((name for test, name in kinds.items() if test(mode)), "not a regular file")


def parse_source(raw: bytes, suffix: str, file: str, problems: Problems) -> Source | None:
    """A content file's bytes as a Source: YAML, or for `.md` its front matter (the rest is its body)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.error(Loc(file), "encoding", f"found a byte that is not UTF-8 at offset {exc.start}; save the file as UTF-8")
        return None
    if suffix != ".md":
        return parse_yaml(text, file, problems)
    front, body = split_front_matter(text)
    if front is None:
        problems.error(Loc(file), "front-matter", "found no YAML front matter; expected the document between '---' lines at the top")
        return None
    source = parse_yaml(front, file, problems, line_offset=1)
    if source is not None:
        source.body, source.body_line = body, front.count("\n") + 3  # after the two '---' lines
    return source


def split_front_matter(text: str) -> tuple[str | None, str]:
    """Split a Markdown file into its YAML front matter and its body."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return None, text
    for i, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1 :])
    return None, text
