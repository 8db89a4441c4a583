"""The date every figure is computed on: `--as-of`, the plugin's `as_of`, SOURCE_DATE_EPOCH, else today.

Each setting is checked where it is read, so that a malformed or impossible one is
an error that names it (the command exits 2), never a traceback half-way through a build.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Mapping

AS_OF_VARIABLE = "OKRSITE_AS_OF"
"""How `okrsite build|serve --as-of` reaches the MkDocs plugin, across the rebuilds of `serve` too."""
FIRST_DAY, LAST_DAY = dt.date(1970, 1, 1), dt.date(2106, 2, 7)
"""The dates a reproducible build can pin: SOURCE_DATE_EPOCH counts seconds from 1970, and MkDocs writes them as 32 bits."""
_LAST_SECOND = 2**32 - 1
_EPOCH = re.compile(r"[0-9]{1,12}")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_RANGE = f"from {FIRST_DAY} to {LAST_DAY}"


class DateSettingError(ValueError):
    """A date setting cannot be read; the message names the setting, what was found and what is expected."""


def read_day(text: str, setting: str) -> dt.date:
    """A date written YYYY-MM-DD, from the setting named `setting` (for the message)."""
    day = None
    if _DAY.fullmatch(text.strip()):
        with contextlib.suppress(ValueError):  # a month 13 or a 30 February
            day = dt.date.fromisoformat(text.strip())
    if day is None:
        raise DateSettingError(f"{setting}: found {text!r}; expected a date written YYYY-MM-DD, {_RANGE}")
    return in_range(day, setting)


def in_range(day: dt.date, setting: str) -> dt.date:
    """`day`, if a build can be pinned to it."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise DateSettingError(f"{setting}: found {day}; expected a date {_RANGE} (the dates a reproducible build can pin)")
    return day


def epoch_day(text: str) -> dt.date:
    """The UTC date of SOURCE_DATE_EPOCH: whole seconds since 1970-01-01, as reproducible builds set it."""
    seconds = int(text) if _EPOCH.fullmatch(text.strip()) else None
    if seconds is None or seconds > _LAST_SECOND:
        raise DateSettingError(f"SOURCE_DATE_EPOCH: found {text!r}; expected whole seconds since 1970-01-01 (UTC), up to {_LAST_SECOND}")
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).date()


def as_of_date(given: str | dt.date | None = None, environ: Mapping[str, str] = os.environ, setting: str = "as_of") -> dt.date:
    """The date figures are computed on: `given` (the setting named `setting`), else SOURCE_DATE_EPOCH, else today (UTC).

    SOURCE_DATE_EPOCH is checked even when a date is given: MkDocs reads it too, for the dates it writes.
    """
    epoch = environ.get("SOURCE_DATE_EPOCH")
    from_epoch = epoch_day(epoch) if epoch else None
    if isinstance(given, dt.date):
        return in_range(given, setting)
    if given:
        return read_day(given, setting)
    return from_epoch or dt.datetime.now(tz=dt.UTC).date()
