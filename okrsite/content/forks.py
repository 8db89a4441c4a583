"""Work shared out between this process and forked copies of it, on the machine's other cores.

Parsing the content files and working out each team's health signals are most of what `okrsite check`
spends, and neither part depends on another until the results are put together. So a one-shot run
hands shares of such work to copies of itself made with fork (which copies the memory, code and data
alike, in an instant) and does a share itself. A copy sends its results back a batch at a time,
pickled through a pipe that a thread here drains, so that it never waits; this process reads them
back between its own batches. Linux only, where fork is the system's own way and cheap, and only
from a process with no other thread (a fork copies no thread, so a lock another held would stay
taken). A batch a copy did not send back, because it failed or was stopped, is done here.
"""

from __future__ import annotations

import os
import pickle
import queue
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
MAX_COPIES = 7
BATCH = 32
"""Items a copy sends back at once."""


def copies_for(items: int, least: int) -> int:
    """How many copies to share `items` among, with at least `least` items to each part; 0 where forking is out."""
    if items < 2 * least or sys.platform != "linux" or threading.active_count() > 1:
        return 0
    return min(len(os.sched_getaffinity(0)) - 1, MAX_COPIES, items // least - 1)


def shared_out(shares: Sequence[Sequence[T]], work: Callable[[list[T]], R]) -> list[R]:
    """`work` done on batches of every share: the first here, each other in a copy; the results, in no set order."""
    copies = [(_Copy.start(list(share), work), share) for share in shares[1:]]
    started = [copy for copy, _ in copies if copy is not None]
    results: list[R] = []
    try:
        for copy in started:  # once every copy is made: a fork copies no thread
            copy.drain.start()
        for batch in _batches(list(shares[0])):
            results.append(work(batch))
            for copy in started:
                copy.take(results, wait=False)
        for copy in started:
            copy.take(results, wait=True)
    finally:
        for copy in started:
            copy.stop()
    for made, share in copies:  # what a copy did not send back, or a copy not made, is done here
        sent = made.sent if made is not None else set()
        results.extend(work(batch) for i, batch in enumerate(_batches(list(share))) if i not in sent)
    return results


def dealt(items: Sequence[T], cost: Callable[[T], float], weights: Sequence[float]) -> list[list[T]]:
    """`items` dealt into shares of about `weights`' proportions of their cost, the costliest first."""
    shares: list[list[T]] = [[] for _ in weights]
    given = [0.0] * len(weights)
    for item, paid in sorted(((item, cost(item)) for item in items), key=lambda pair: -pair[1]):
        least = min(range(len(weights)), key=lambda i: given[i] / weights[i])
        shares[least].append(item)
        given[least] += paid
    return shares


def _batches(items: list[T]) -> list[list[T]]:
    return [items[at : at + BATCH] for at in range(0, len(items), BATCH)]


class _Copy(Generic[R]):
    """A forked copy at work on a share, and which of its batches it has sent back so far.

    It sends each batch's number and result, pickled and preceded by the length.
    """

    def __init__(self, pid: int, reading: int) -> None:
        self.pid = pid
        self.sent: set[int] = set()
        self.done = False
        self.batches: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self.drain = threading.Thread(target=self._drain, args=(reading,), daemon=True)

    @classmethod
    def start(cls, share: list[T], work: Callable[[list[T]], R]) -> _Copy[R] | None:
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
                    for i, batch in enumerate(_batches(share)):
                        data = pickle.dumps((i, work(batch)), protocol=pickle.HIGHEST_PROTOCOL)
                        out.write(len(data).to_bytes(8, "big") + data)
                        out.flush()
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
        self.batches.put(None)  # the end, or a copy that died mid-batch

    def take(self, results: list[R], wait: bool) -> None:
        """Add the results sent so far; with `wait`, every one until the copy is done."""
        while not self.done and (wait or not self.batches.empty()):
            data = self.batches.get()
            if data is None:
                self.done = True
            else:
                i, result = pickle.loads(data)
                self.sent.add(i)
                results.append(result)

    def stop(self) -> None:
        """End the copy, should it still run (this process was interrupted), and reap it."""
        if not self.done:
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
