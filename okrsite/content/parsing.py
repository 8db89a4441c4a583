"""Parsing content files, one at a time or many at once on the machine's other cores (see forks.py).

A copy sends back what a file parsed to, pickled; reading that back costs about a sixth of parsing it.
A file a copy could not read is parsed again by the load itself, which reports why it cannot.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, Problems
from .files import parse_source, read_bytes
from .forks import copies_for, dealt, shared_out
from .model import Located
from .shape import parse_model

MIN_FILES = 100
"""Files for each part, at least: fewer parse faster here than a copy of the process starts and sends them back."""
PICKLE_COST = 0.4
UNPICKLE_COST = 0.16
"""Pickling what a file parses to in a copy (with the pages it copies on writing) and reading it back here, as shares of
parsing it: set on the demo's documents at 500 x 8, where this process and its one copy then end together."""


@dataclass(frozen=True)
class Parsed:
    model: Located | None
    body: str
    problems: list[Problem]


Job = tuple[Path, str, type[Located]]
"""A file to parse: its path, its name as messages show it, and the model it holds."""
Found = dict[Path, tuple[bytes, Parsed]]
"""Each file parsed, with the digest of its bytes."""


def digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


def parse_file(raw: bytes, suffix: str, file: str, cls: type[Located]) -> Parsed:
    """The file's bytes as a `cls` (None if nothing valid is left), its Markdown body and what parsing found."""
    problems = Problems()
    source = parse_source(raw, suffix, file, problems)
    model = parse_model(cls, source, problems) if source else None
    if source:
        source.data = None  # the model holds the values now
    return Parsed(model, source.body if source else "", problems.items)


def parse_ahead(jobs: list[Job]) -> Found:
    """The files of `jobs` parsed, shared out among this process and copies of it where that is quicker."""
    copies = copies_for(len(jobs), MIN_FILES)
    if not copies:
        return {}
    weights = [1 + PICKLE_COST - UNPICKLE_COST, *([1.0] * copies)]  # this process reads back what the copies send
    found: Found = {}
    for part in shared_out(dealt(jobs, _size, weights), _parse):
        found.update(part)
    return found


def _size(job: Job) -> int:
    try:
        return job[0].stat().st_size + 1
    except OSError:
        return 1


def _parse(jobs: list[Job]) -> Found:
    found: Found = {}
    for path, file, cls in jobs:
        raw = read_bytes(path, file, Problems())
        if raw is not None:  # else the load reads it again and says why it cannot
            found[path] = (digest(raw), parse_file(raw, path.suffix, file, cls))
    return found
