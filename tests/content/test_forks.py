"""Work shared out with forked copies: every item done once, whatever a copy does, and no copy made where forking is out."""

from __future__ import annotations

import os
import threading

import pytest

from okrsite.content import forks


@pytest.fixture
def cores(monkeypatch) -> None:
    """Three cores, and batches of two items."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2})
    monkeypatch.setattr(forks, "BATCH", 2)


def done_where(batch: list[int]) -> list[tuple[int, int]]:
    return [(item, os.getpid()) for item in batch]


def test_every_item_is_done_once_and_the_copies_do_their_shares(cores):
    shares = forks.dealt(range(30), lambda item: item + 1, [1.0, 1.0, 1.0])
    assert sorted(item for share in shares for item in share) == list(range(30))
    assert max(sum(share) for share in shares) - min(sum(share) for share in shares) <= 30  # about equal costs
    results = [pair for part in forks.shared_out(shares, done_where) for pair in part]
    assert sorted(item for item, _ in results) == list(range(30))
    by = {item: pid for item, pid in results}
    assert {by[item] for item in shares[0]} == {os.getpid()}
    copies = [{by[item] for item in share} for share in shares[1:]]
    assert all(len(pids) == 1 for pids in copies) and len(set.union(*copies) - {os.getpid()}) == 2


def test_what_a_copy_does_not_send_back_is_done_here(cores):
    parent, calls = os.getpid(), []

    def dying(batch: list[int]) -> list[tuple[int, int]]:
        calls.append(batch)
        if os.getpid() != parent and len(calls) == 2:
            os._exit(3)  # a copy killed after its first batch
        return done_where(batch)

    shares = [[0, 1], [2, 3, 4, 5, 6, 7]]
    results = [pair for part in forks.shared_out(shares, dying) for pair in part]
    assert sorted(item for item, _ in results) == list(range(8))
    by = {item: pid for item, pid in results}
    assert by[2] != parent and {by[item] for item in (4, 5, 6, 7)} == {parent}


def test_no_copy_with_another_thread_one_core_or_few_items(cores, monkeypatch):
    assert forks.copies_for(100, 10) == 2
    assert forks.copies_for(19, 10) == 0  # not two parts' worth
    stop = threading.Event()
    waiting = threading.Thread(target=stop.wait)
    waiting.start()
    try:
        assert forks.copies_for(100, 10) == 0
    finally:
        stop.set()
        waiting.join()
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert forks.copies_for(100, 10) == 0
