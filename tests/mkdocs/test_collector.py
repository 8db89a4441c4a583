"""Under `serve`, cyclic garbage of a rebuild is collected after the rebuild, not during it."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from okrsite.mkdocs.collector import IdleCollector

from ..conftest import ACME
from .test_serve import WEB


class Cycle:
    def __init__(self) -> None:
        self.me = self


def garbage() -> weakref.ref[Cycle]:
    """A reference cycle that nothing holds: only the cyclic collector frees it."""
    return weakref.ref(Cycle())


def freed(ref: weakref.ref[Cycle], within: float = 30) -> bool:
    """Whether the pass after the rebuild freed `ref`, once it is over."""
    deadline = time.monotonic() + within
    while ref() is not None and time.monotonic() < deadline:
        time.sleep(0.01)
    for thread in threading.enumerate():
        if isinstance(thread, threading.Timer):
            thread.join(within)
    return ref() is None


@pytest.fixture
def collector() -> Iterator[IdleCollector]:
    collector = IdleCollector(idle=0.05)
    try:
        yield collector
    finally:
        collector.resume_now()
        gc.enable()


def test_no_collection_during_a_rebuild_and_one_soon_after(collector):
    collector.pause()
    assert not gc.isenabled()
    ref = garbage()
    made = [[] for _ in range(50_000)]  # enough new containers for the collector to have run several times, were it enabled
    del made
    assert ref() is not None
    collector.resume_soon()
    assert freed(ref)
    assert gc.isenabled()


def test_a_rebuild_that_starts_before_the_pass_puts_it_off_until_its_own_end(collector):
    collector.pause()
    first = garbage()
    collector.resume_soon()
    collector.pause()  # at once: before the pass
    time.sleep(0.2)
    assert first() is not None and not gc.isenabled()
    collector.resume_soon()
    assert freed(first) and gc.isenabled()


def test_edits_in_quick_succession_never_let_garbage_pile_up(collector):
    refs = []
    for _ in range(3):
        collector.pause()
        refs.append(garbage())
        collector.resume_soon()
    assert refs[0]() is None  # the third rebuild found two passes put off, and made one before it started
    assert not gc.isenabled()
    assert freed(refs[2]) and gc.isenabled()


def test_the_first_pass_sets_what_survives_aside_and_later_ones_still_free_a_rebuild_s_garbage(collector):
    kept = Cycle()
    collector.pause()
    collector.resume_soon()
    assert freed(garbage())
    assert not any(o is kept for o in gc.get_objects())  # it survived the first pass: set aside, later passes look past it
    collector.pause()
    ref = garbage()
    collector.resume_soon()
    assert freed(ref)


def test_what_was_set_aside_and_let_go_of_is_freed_by_the_next_pass_over_the_whole_heap():
    collector = IdleCollector(idle=0.05, whole_every=3)
    try:
        held = [Cycle()]
        ref = weakref.ref(held[0])
        collector.pause()
        collector.resume_soon()
        assert freed(garbage())  # the first pass, over the whole heap: `held` survives it, set aside
        held.clear()  # a cycle now, among what was set aside
        for _ in range(2):
            collector.pause()
            collector.resume_soon()
            assert not freed(ref, within=0.3)
        collector.pause()
        collector.resume_soon()
        assert freed(ref)  # the third pass looks at the whole heap again
    finally:
        collector.resume_now()
        gc.enable()
    assert gc.get_freeze_count() == 0  # a server that stops leaves nothing set aside


def test_stopping_the_server_lets_the_collector_run_again(collector):
    collector.pause()
    collector.resume_soon()
    collector.resume_now()
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off(collector):
    gc.disable()
    collector.pause()
    ref = garbage()
    collector.resume_soon()
    assert freed(ref)  # the pass is made
    assert not gc.isenabled()


SERVE_BUILD = """\
import gc, json, sys, threading, weakref
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from okrsite.mkdocs.collector import IdleCollector

class Cycle:
    def __init__(self):
        self.me = self

config = load_config("mkdocs.yml", site_dir="served")
config.plugins.on_startup(command="serve", dirty=False)
config.plugins["okrsite"].collector = IdleCollector(idle=2)  # long enough to look before it
try:
    build(config, serve_url="http://127.0.0.1:8000/")
    built = True
except Abort:
    built = False
during = gc.isenabled()
ref = weakref.ref(Cycle())
for thread in threading.enumerate():
    if isinstance(thread, threading.Timer):
        thread.join(60)
json.dump({"built": built, "right after": during, "freed": ref() is None, "then": gc.isenabled()}, sys.stdout)
"""
"""A build of `serve`, in a process of its own (MkDocs keeps a plugin with `on_startup` for the whole process):
whether it built, whether the collector ran right after it, and once the pass after it is over, whether it freed
a cycle made meanwhile and whether the collector runs again."""


def serve_build(root: Path) -> dict[str, bool]:
    (root / "docs").mkdir()
    result = subprocess.run([sys.executable, "-c", SERVE_BUILD], cwd=root, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_a_serve_build_leaves_its_garbage_to_a_pass_after_it(repo):
    assert serve_build(repo()) == {"built": True, "right after": False, "freed": True, "then": True}


def test_a_serve_build_that_fails_leaves_its_garbage_to_a_pass_after_it_too(repo):
    root = repo({WEB: ACME[WEB].replace("confidence: 7", "confidence: 0")})
    assert serve_build(root) == {"built": False, "right after": False, "freed": True, "then": True}
