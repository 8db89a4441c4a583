"""Under `serve`, Python's cyclic collector waits until a rebuild is shown.

Each rebuild loads a new organisation and lets go of the last one, so every
other rebuild the collector ran a full pass over the whole heap (0.35 to 0.5 s
at 200 teams x 4 cycles) while the writer waited for the page. It is paused from
the start of a rebuild to its end, and the pass is made once the server has
had a moment to answer the reloaded page. A rebuild that starts meanwhile puts
the pass off to its own end; one that finds two passes put off makes one first,
so that edits saved in quick succession never let garbage pile up.

The first pass looks at the whole heap and sets what survives it aside
(`gc.freeze`): the server, the theme and the content parsed, which later rebuilds
keep. Each later pass then looks only at what rebuilds made since (at 200x4 a pass
over the whole heap took 0.4 s, one over a rebuild's objects 0.02 s), so an edit
saved right after a page is shown no longer waits for it; every WHOLE_EVERY passes
the whole heap is looked at again, which frees what was set aside and let go of
since (the parse of a file edited since, say).
"""

from __future__ import annotations

import gc
import threading

IDLE_SECONDS = 0.5
"""How long after a rebuild the collector runs: a browser has fetched the reloaded page by then."""
WHOLE_EVERY = 20
"""Every this many passes, one looks at the whole heap again."""


class IdleCollector:
    def __init__(self, idle: float = IDLE_SECONDS, whole_every: int = WHOLE_EVERY) -> None:
        self.idle = idle
        self.whole_every = whole_every
        self._passes = 0
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
                    self._pass()
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
        """The server stops: the collector runs as before, now, over the whole heap."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            gc.unfreeze()
            self._resume()

    def _collect(self) -> None:
        with self._lock:
            if self._timer is not threading.current_thread():
                return  # a rebuild started since: it collects when it ends
            self._timer = None
            self._pass()
            self._owed = 0
            self._resume()

    def _pass(self) -> None:
        """One pass: over the whole heap, setting what survives aside, the first time and every `whole_every` times;
        else over what was made since."""
        if self._passes % self.whole_every == 0:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
        else:
            gc.collect()
        self._passes += 1

    def _resume(self) -> None:
        if self._paused:
            self._paused = False
            if self._enabled:
                gc.enable()
