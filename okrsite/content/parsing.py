"""Parsing content files, one at a time or many at once on the machine's other cores.

Parsing and modelling each file is most of what `okrsite check` and `okrsite build` spend, and files
do not depend on one another until they are wired together: so a one-shot load hands shares of its
files to forked copies of the process and parses a share itself. A copy sends back what it parsed,
pickled through a pipe (reading it back costs a sixth of parsing it). Linux only, where fork is the
system's own way and cheap, and only from a process with no other thread (a fork copies no thread,
so a lock another held would stay taken). A file a copy could not read, or any copy that fails, is
simply parsed again by the load itself, which reports what there is to report.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import queue
import signal
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, Problems
from .files import parse_source, read_bytes
from .model import Located
from .shape import parse_model

MIN_FILES = 200
"""Fewer files parse faster here than a copy of the process starts and sends them back."""
MAX_COPIES = 7
BATCH = 32
"""Files a copy sends at once."""
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
    copies = _copies(len(jobs))
    if not copies:
        return {}
    weights = [1 + PICKLE_COST - UNPICKLE_COST, *([1.0] * copies)]  # this process reads back what the copies send
    shares: list[list[Job]] = [[] for _ in weights]
    given = [0] * len(weights)
    for job, size in sorted(((job, _size(job)) for job in jobs), key=lambda pair: -pair[1]):  # the largest first
        least = min(range(len(weights)), key=lambda i: given[i] / weights[i])
        shares[least].append(job)
        given[least] += size + 1
    started = [copy for copy in map(_Copy.start, shares[1:]) if copy is not None]
    found: Found = {}
    try:
        for copy in started:  # once every copy is made: a fork copies no thread
            copy.drain.start()
        for at in range(0, len(shares[0]), BATCH):
            found.update(_parse(shares[0][at : at + BATCH]))
            for copy in started:
                copy.take(found, wait=False)
        for copy in started:
            copy.take(found, wait=True)
    finally:
        for copy in started:
            copy.stop()
    return found


def _copies(files: int) -> int:
    if files < MIN_FILES or sys.platform != "linux" or threading.active_count() > 1:
        return 0
    return min(len(os.sched_getaffinity(0)) - 1, MAX_COPIES, files // MIN_FILES)


def _size(job: Job) -> int:
    try:
        return job[0].stat().st_size
    except OSError:
        return 0


def _parse(jobs: list[Job]) -> Found:
    found: Found = {}
    for path, file, cls in jobs:
        raw = read_bytes(path, file, Problems())
        if raw is not None:  # else the load reads it again and says why it cannot
            found[path] = (digest(raw), parse_file(raw, path.suffix, file, cls))
    return found


class _Copy:
    """A forked copy of this process parsing a share of the files, and what it has sent so far.

    It sends a batch at a time, each pickled and preceded by its length; a thread here drains the pipe
    at once, so the copy never waits on this process, which reads the batches back between its own.
    """

    def __init__(self, pid: int, reading: int) -> None:
        self.pid = pid
        self.batches: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self.drain = threading.Thread(target=self._drain, args=(reading,), daemon=True)
        self.done = False

    @classmethod
    def start(cls, share: list[Job]) -> _Copy | None:
        reading, writing = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(reading)
            os.close(writing)
            return None
        if pid == 0:  # the copy: it never returns into the caller's code
            try:
                os.close(reading)
                with os.fdopen(writing, "wb") as out:
                    for at in range(0, len(share), BATCH):
                        data = pickle.dumps(_parse(share[at : at + BATCH]), protocol=pickle.HIGHEST_PROTOCOL)
                        out.write(len(data).to_bytes(8, "big") + data)
            finally:
                os._exit(0)
        os.close(writing)
        return cls(pid, reading)

    def _drain(self, reading: int) -> None:
        with os.fdopen(reading, "rb") as pipe:
            while len(head := pipe.read(8)) == 8:
                size = int.from_bytes(head, "big")
                data = pipe.read(size)
                if len(data) < size:
                    break
                self.batches.put(data)
        self.batches.put(None)  # the end, or a copy that died mid-batch: its files left are parsed by the load

    def take(self, found: Found, wait: bool) -> None:
        """Add the batches sent so far to `found`; with `wait`, every batch until the copy is done."""
        while not self.done and (wait or not self.batches.empty()):
            data = self.batches.get()
            if data is None:
                self.done = True
            else:
                found.update(pickle.loads(data))

    def stop(self) -> None:
        """End the copy, should it still run (this process was interrupted), and reap it."""
        if not self.done:
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
