"""Under `serve`, Python's cyclic collector waits until a rebuild is shown.

Each rebuild loads a new organisation and lets go of the last one, so every
other rebuild the collector ran a full pass over the whole heap (0.35 to 0.5 s
at 200 teams x 4 cycles) while the writer waited for the page. It is paused from
the start of a rebuild to its end, and the pass is made once the server has
had a moment to answer the reloaded page. A rebuild that starts meanwhile puts
the pass off to its own end; one that finds two passes put off makes one first,
so that edits saved in quick succession never let garbage pile up.
"""

from __future__ import annotations

import gc
import threading

IDLE_SECONDS = 0.5
"""How long after a rebuild the collector runs: a browser has fetched the reloaded page by then."""


class IdleCollector:
    def __init__(self, idle: float = IDLE_SECONDS) -> None:
        self.idle = idle
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._paused = False
        self._enabled = True
        self._owed = 0
        """Passes put off by rebuilds that started before the pass was made."""

    def pause(self) -> None:
        """A rebuild starts: no collection until it ends."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
                self._owed += 1
                if self._owed >= 2:
                    gc.collect()
                    self._owed = 0
            if not self._paused:
                self._paused, self._enabled = True, gc.isenabled()
                gc.disable()

    def resume_soon(self) -> None:
        """A rebuild ended (built or not): collect once the server is idle, then let the collector run as before."""
        with self._lock:
            if self._paused and self._timer is None:
                self._timer = threading.Timer(self.idle, self._collect)
                self._timer.daemon = True
                self._timer.start()

    def resume_now(self) -> None:
        """The server stops: the collector runs as before, now."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self._resume()

    def _collect(self) -> None:
        with self._lock:
            if self._timer is not threading.current_thread():
                return  # a rebuild started since: it collects when it ends
            self._timer = None
            gc.collect()
            self._owed = 0
            self._resume()

    def _resume(self) -> None:
        if self._paused:
            self._paused = False
            if self._enabled:
                gc.enable()
