"""Numbers, whole numbers, yes/no and dates read from the text a writer typed.

The loader keeps every scalar as its text; these rules decide what reads as a
number or a date, so that a value means what a reader of the file sees: `012`
is not the octal 10, `1:30` is not 90 and `1e3` is 1000. Each reader raises a
pydantic error in the writer's words, which `shape.py` places at the value's line.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from pydantic_core import PydanticCustomError

DECIMAL = re.compile(r"[-+]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
"""A number in decimals, as people and JSON write it; no leading zeros, no base prefix, no '_'."""
_WHOLE = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,17})")
"""At most 18 digits: days, confidences and responses are small counts (and Python refuses ints of over 4,300 digits)."""
_DAY = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DAY_AND_TIME = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]")
_FLAGS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


def found(value: Any) -> str:
    """A value as messages show it: text in quotes, nothing as 'nothing'."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return repr(value)
    return str(value)


def as_number(text: str) -> float | None:
    """The finite number `text` reads as, else None."""
    text = text.strip()
    if not DECIMAL.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def written(value: object) -> str:
    """A value as a writer types it: 55, not 55.0; 2.5, not 2.5000000000000004; 1.7e+308, not 309 digits; nothing as 'none'."""
    if value is None:
        return "none"
    return f"{value:.15g}" if isinstance(value, float) else str(value)


def with_unit(text: str, unit: str | None) -> str:
    """A written value followed by its unit as pages show it: `55%`, `400 ms`, `21.5 k EUR`."""
    unit = (unit or "").strip()
    return f"{text}{unit}" if unit in ("", "%") else f"{text} {unit}"


def read_number(value: Any) -> Any:
    """A number field's value: text in decimals (a plain number in YAML) becomes a float."""
    if not isinstance(value, str):
        return value  # pydantic's strict float check words the rest (a list, a mapping, nothing)
    number = as_number(value)
    if number is None:
        raise PydanticCustomError("number", "found {found}; expected " + _number_hint(value.strip()), {"found": found(value)})
    return number


def _number_hint(text: str) -> str:
    """What to write instead, for the forms that YAML 1.1 reads otherwise than a reader does."""
    if DECIMAL.fullmatch(text):
        return "a number of at most about 1.8e308"
    lowered = text.lower()
    if lowered.lstrip("+-") in (".inf", "inf", "infinity", ".nan", "nan"):
        return "a finite number"
    if re.fullmatch(r"[-+]?0[0-9]+(?:\.[0-9]*)?", text):
        return f"a number without leading zeros ({_trimmed(text)}): YAML 1.1 reads a leading 0 as an octal number"
    if re.fullmatch(r"[-+]?0[xXoObB][0-9a-fA-F_]+", text):
        return "a number written in decimals: YAML 1.1 reads 0x, 0o and 0b as other bases"
    if re.fullmatch(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?", text):
        return "a number written in decimals: YAML 1.1 reads a:b as a number in base 60 (1:30 is 90)"
    if "_" in text and DECIMAL.fullmatch(text.replace("_", "")):
        return f"a number without '_' ({text.replace('_', '')})"
    if "," in text and DECIMAL.fullmatch(text.replace(",", "")):
        return "a number without ',' (1500 for fifteen hundred, 1.5 for one and a half)"
    return "a number"


def _trimmed(text: str) -> str:
    sign = text[0] if text[0] in "+-" else ""
    digits = text.lstrip("+-").lstrip("0")
    return sign + (digits if digits and not digits.startswith(".") else "0" + digits)


def read_whole(value: Any) -> Any:
    """A whole-number field's value (a confidence, a number of days or responses)."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if _WHOLE.fullmatch(text):
        return int(text)
    if re.fullmatch(r"[-+]?[1-9][0-9]*", text):
        hint = "a whole number of at most 18 digits"
    elif as_number(text) is not None:
        hint = "a whole number"
    else:
        hint = _number_hint(text).replace("a number", "a whole number", 1)
    raise PydanticCustomError("whole_number", "found {found}; expected " + hint, {"found": found(value)})


def read_flag(value: Any) -> Any:
    """A yes/no field's value: true or false (YAML's yes, no, on and off read the same)."""
    if not isinstance(value, str):
        return value
    flag = _FLAGS.get(value.strip().lower())
    if flag is None:
        raise PydanticCustomError("flag", "found {found}; expected true or false", {"found": found(value)})
    return flag


def read_day(value: Any) -> Any:
    """A date field's value: YYYY-MM-DD, a day of the calendar."""
    if not isinstance(value, str):
        return value
    day = _DAYS_READ.get(value)
    if day is None:
        day = _read_day(value)
        if len(_DAYS_READ) < 4096:
            _DAYS_READ[value] = day
    return day


_DAYS_READ: dict[str, dt.date] = {}
"""Days already read: a load reads the same few hundred days tens of thousands of times."""


def _read_day(value: str) -> dt.date:
    text = value.strip()
    match = _DAY.fullmatch(text)
    if match is None:
        expected = "a date without a time" if _DAY_AND_TIME.match(text) else "a date written YYYY-MM-DD"
        raise PydanticCustomError("day", "found {found}; expected " + expected, {"found": found(value)})
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise PydanticCustomError(
            "day", "found {found}, which is not a day of the calendar; expected a date written YYYY-MM-DD", {"found": found(value)}
        ) from None
