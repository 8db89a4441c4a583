"""Under `serve`, an edit starts the rebuild as soon as the operating system reports it, not at MkDocs' next poll.

MkDocs' server looks for changes by walking every watched folder twice a second, so an
edit waits a quarter of a second on average before its rebuild starts. This server
also watches each path with watchdog's native observer (inotify on Linux, FSEvents on
macOS, ReadDirectoryChangesW on Windows), which reports a write when it happens. The
polling stays, for file systems that report nothing (some network shares and
container mounts) and for paths the native observer cannot watch (a full inotify
table): a change it finds in a file the native observer already reported, in the
state reported, starts no second rebuild.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any

from mkdocs.livereload import LiveReloadServer
from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

log = logging.getLogger("mkdocs.commands.serve")

State = tuple[int, int, int] | None
"""A file's inode, size and modification time in nanoseconds; None when it is not there."""


class Server(LiveReloadServer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.native = Observer()
        self.native.start()  # now, so that a path it cannot watch fails in watch(), not in serve()
        self._native_refs: dict[str, Any] = {}
        self._reported: dict[str, State] = {}
        """Each file the native observer reported, in the state it was in then."""
        self._lock = threading.Lock()

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        path = os.path.abspath(path)
        first = path not in self._watched_paths
        super().watch(path, func, recursive=recursive)
        if not first:
            return
        polled = self._watch_refs[path]
        self.observer.unschedule(polled)
        self._watch_refs[path] = self.observer.schedule(_Handler(self._polled), path, recursive=recursive)
        try:
            self._native_refs[path] = self.native.schedule(
                _Handler(self._native, folders=True), path, recursive=recursive, event_filter=NATIVE_EVENTS
            )
        except OSError as e:  # inotify's table is full, or the path is gone
            log.info(f"Changes under '{path}' are found by polling alone: {e.strerror or e}")

    def unwatch(self, path: str) -> None:
        path = os.path.abspath(path)
        if self._watched_paths.get(path) == 1 and path in self._native_refs:
            self.native.unschedule(self._native_refs.pop(path))
        super().unwatch(path)

    def shutdown(self, wait: bool = False) -> None:
        self.native.stop()
        super().shutdown(wait)
        if wait and self.native.is_alive():
            self.native.join()

    def _native(self, event: FileSystemEvent) -> None:
        with self._lock:
            self._reported.update((path, _state(path)) for path in _paths(event))
        self._rebuild()

    def _polled(self, event: FileSystemEvent) -> None:
        with self._lock:
            if all(path in self._reported and self._reported[path] == _state(path) for path in _paths(event)):
                return
        self._rebuild()

    def _rebuild(self) -> None:
        """What MkDocs' own handler does: ask the build loop for a rebuild, which waits for changes to stop first."""
        with self._rebuild_cond:
            self._want_rebuild = True
            self._rebuild_cond.notify_all()


NATIVE_EVENTS: list[type[FileSystemEvent]] = [
    *(FileCreatedEvent, FileModifiedEvent, FileClosedEvent, FileMovedEvent, FileDeletedEvent),
    *(DirCreatedEvent, DirMovedEvent, DirDeletedEvent),
]
"""What the native observer is asked for: changes, not reads (each build opens every file; an event apiece would take the
GIL from the build), and a folder moved or deleted, which it may report as that alone."""


class _Handler(FileSystemEventHandler):
    """Changes to files (and, with `folders`, a folder that appears, moves or goes); MkDocs leaves folders out."""

    def __init__(self, then: Callable[[FileSystemEvent], None], folders: bool = False) -> None:
        self.then, self.folders = then, folders

    def on_any_event(self, event: FileSystemEvent) -> None:
        if type(event) in NATIVE_EVENTS and (self.folders or not event.is_directory):
            self.then(event)


def _paths(event: FileSystemEvent) -> list[str]:
    return [os.fsdecode(path) for path in (event.src_path, event.dest_path) if path]


def _state(path: str) -> State:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns
