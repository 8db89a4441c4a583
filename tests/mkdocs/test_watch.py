"""`okrsite serve` hears of an edit from the operating system, and polling finds what it misses, once."""

from __future__ import annotations

import errno
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from watchdog.events import DirModifiedEvent, DirMovedEvent, FileModifiedEvent, FileOpenedEvent, FileSystemEvent

from okrsite.mkdocs.watch import Server, _Handler

WAIT = 60  # seconds: a deadline for a busy machine, not a measure


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A server that polls once an hour: whatever reaches it before then came from the native observer."""
    made = Server(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path), polling_interval=3600)
    yield made
    for observer in (made.native, made.observer):
        if observer.is_alive():
            observer.stop()
            observer.join()
    made.server_close()


def rebuild_wanted(server: Server, timeout: float = WAIT) -> bool:
    with server._rebuild_cond:
        wanted = server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=timeout)
        server._want_rebuild = False
        return wanted


def test_a_write_asks_for_a_rebuild_before_the_next_poll(server, tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "cycles.yml").write_text("cycles: []\n", encoding="utf-8")
    server.watch(str(content))
    server.observer.start()
    (content / "cycles.yml").write_text("cycles: [oops\n", encoding="utf-8")
    assert rebuild_wanted(server)


def test_a_build_that_reads_every_file_asks_for_no_rebuild(server, tmp_path, monkeypatch):
    """The native observer asks the system for changes only: the reads of a build would otherwise each be an event that
    takes the interpreter from the build, and would start the next one were they not left out."""
    files = [tmp_path / f"{n}.yml" for n in range(20)]
    for path in files:
        path.write_text("x: 1\n", encoding="utf-8")
    seen: list[FileSystemEvent] = []
    handle = _Handler.on_any_event
    monkeypatch.setattr(_Handler, "on_any_event", lambda self, event: (seen.append(event), handle(self, event)))
    server.watch(str(tmp_path))
    for path in files:
        path.read_text(encoding="utf-8")
    files[0].write_text("x: 2\n", encoding="utf-8")  # reported after the reads, if they were
    assert rebuild_wanted(server)
    assert {event.event_type for event in seen} <= {"modified", "closed"}
    assert {event.src_path for event in seen if not event.is_directory} == {str(files[0])}


def test_a_change_polling_finds_after_the_native_observer_reported_it_asks_for_no_second_rebuild(server, tmp_path):
    path = tmp_path / "2026-Q1.yml"
    path.write_text("objectives: []\n", encoding="utf-8")
    server._native(FileModifiedEvent(str(path)))
    assert rebuild_wanted(server, timeout=0)
    server._polled(FileModifiedEvent(str(path)))
    assert not rebuild_wanted(server, timeout=0), "the same change in the same state started a second rebuild"
    path.write_text("objectives: [oops\n", encoding="utf-8")  # a write the native observer did not report (a network share)
    server._polled(FileModifiedEvent(str(path)))
    assert rebuild_wanted(server, timeout=0)
    server._polled(FileModifiedEvent(str(tmp_path / "never-reported.yml")))
    assert rebuild_wanted(server, timeout=0)


def test_a_path_the_native_observer_cannot_watch_is_polled(tmp_path, caplog, monkeypatch):
    server = Server(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path), polling_interval=0.1)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(server.native, "schedule", full)
    with caplog.at_level(logging.INFO, logger="mkdocs.commands.serve"):
        server.watch(str(tmp_path))
    assert f"Changes under '{tmp_path}' are found by polling alone: inotify watch limit reached" in caplog.text
    monkeypatch.undo()
    with caplog.at_level(logging.INFO, logger="mkdocs.commands.serve"):
        server.watch(str(tmp_path / "gone"))  # refused by the native observer itself, which runs from the start
    assert f"Changes under '{tmp_path / 'gone'}' are found by polling alone: No such file or directory" in caplog.text
    server.unwatch(str(tmp_path / "gone"))
    server.observer.start()
    try:
        (tmp_path / "team.yml").write_text("name: Web\n", encoding="utf-8")
        assert rebuild_wanted(server)
    finally:
        server.shutdown()  # it never served: nothing to wait for but its observers
        server.observer.join()
        server.native.join()


def test_only_changes_reach_the_handlers_and_folders_only_the_native_one():
    got: list[FileSystemEvent] = []
    files, folders = _Handler(got.append), _Handler(got.append, folders=True)
    for handler in (files, folders):
        handler.dispatch(FileOpenedEvent("/c/a.yml"))
        handler.dispatch(DirModifiedEvent("/c"))
    assert got == []
    files.dispatch(DirMovedEvent("/c/web", "/c/mobile"))
    assert got == []
    folders.dispatch(DirMovedEvent("/c/web", "/c/mobile"))
    files.dispatch(FileModifiedEvent("/c/a.yml"))
    assert [e.event_type for e in got] == ["moved", "modified"]
