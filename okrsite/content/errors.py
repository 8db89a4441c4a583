"""Located problems: every error or warning points at a file, line and column."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Literal

Level = Literal["error", "warning"]
_INVISIBLE = [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F),
              *range(0x2066, 0x206A)]  # fmt: skip
"""Control characters (C0, DEL, C1), line and paragraph separators, and bidirectional marks."""
_SHOWN = {code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" for code in _INVISIBLE} | {9: "\\t", 10: "\\n", 13: "\\r"}


def one_line(text: str) -> str:
    """Text from content as terminals and CI logs show it: control characters, line breaks, escape sequences
    and bidirectional marks written out (`\\x1b`, `\\n`, `\\u202e`), so that one problem is one line and a title can
    neither print a fake error nor retitle the terminal."""
    return text if text.isprintable() else text.translate(_SHOWN)  # every code of _SHOWN is unprintable: most text is kept


@dataclass(frozen=True, slots=True, order=True)
class Loc:
    """A place in a content file; line and column count from 1."""

    file: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{one_line(self.file)}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Problem:
    loc: Loc
    level: Level
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.loc}: {self.level}[{one_line(self.code)}]: {one_line(self.message)}"


@dataclass
class Problems:
    """Collects every problem of a run, so that all of them are reported at once."""

    items: list[Problem] = field(default_factory=list)

    def error(self, loc: Loc, code: str, message: str) -> None:
        self.items.append(Problem(loc, "error", code, message))

    def warning(self, loc: Loc, code: str, message: str) -> None:
        self.items.append(Problem(loc, "warning", code, message))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.level == "warning"]

    def sorted(self) -> list[Problem]:
        """Problems in file order, so that a reader can walk through a file once."""
        return sorted(self.items, key=lambda p: (p.loc.file, p.loc.line, p.loc.col, p.level, p.code, p.message))  # as Loc's order


def shown_path(path: str | os.PathLike[str]) -> str:
    """A path as messages show it: relative to the working folder where it lies inside it, on one line."""
    text = os.fspath(path)
    relative = os.path.relpath(text) if os.path.isabs(text) else text
    return one_line(text if relative.startswith("..") else relative)
