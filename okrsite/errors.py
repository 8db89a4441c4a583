"""Located problems: every error or warning points at a file, line and column."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, order=True)
class Loc:
    """A place in a content file; line and column count from 1."""

    file: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Problem:
    loc: Loc
    level: Level
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.loc}: {self.level}[{self.code}]: {self.message}"


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
        return sorted(self.items, key=lambda p: (p.loc, p.level, p.code, p.message))


def shown_path(path: str | os.PathLike[str]) -> str:
    """A path as messages show it: relative to the working folder where it lies inside it."""
    text = os.fspath(path)
    relative = os.path.relpath(text) if os.path.isabs(text) else text
    return text if relative.startswith("..") else relative
