"""The types of the model's fields: ids, references, numbers, days and texts, each read by the loader's rules.

A value arrives as the text a writer typed (source.py); these types turn it into what it means, or raise an error
in the writer's words (values.py), and give the JSON Schema that editors check the same fields with.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from .values import as_number, found, read_day, read_flag, read_number, read_whole

ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_ID = r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}"
ALIGN_REF_RE = re.compile(rf"(?P<team>{_ID})/(?P<objective>{_ID})(?:@(?P<cycle>{_ID}))?")
DEPENDENCY_REF_RE = re.compile(rf"(?P<team>{_ID})/(?P<objective>{_ID})(?:/(?P<kr>{_ID}))?(?:@(?P<cycle>{_ID}))?")
ID_RULE = "an id of letters, digits, '-' and '_' that starts with a letter or digit (at most 64)"


def _check_id(value: str) -> str:
    if not ID_RE.fullmatch(value):
        raise PydanticCustomError("invalid_id", "found {found}; expected " + ID_RULE, {"found": repr(value)})
    return value


def _pattern(regex: re.Pattern[str], expected: str) -> Any:
    def check(value: str) -> str:
        if not regex.fullmatch(value):
            raise PydanticCustomError("invalid_reference", "found {found}; expected " + expected, {"found": repr(value)})
        return value

    return AfterValidator(check)


def _scalar(value: Any) -> Any:
    """A revision's `from` and `to`: a number where the text reads as one, else the text."""
    if isinstance(value, str):
        number = as_number(value)
        return value if number is None else number
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PydanticCustomError("scalar", "found {found}; expected a number or a text", {"found": found(value)})
    return value


Text = Annotated[str, WithJsonSchema({"type": "string"})]
"""Text is kept exactly as typed: the loader never reads `2026`, `1:30` or `no` as anything but text."""


def _schema(regex: str) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "pattern": f"^{regex}$"})


Id = Annotated[str, AfterValidator(_check_id), _schema(_ID)]
AlignRef = Annotated[
    str,
    _pattern(ALIGN_REF_RE, "'team/objective', optionally pinned to a cycle with '@cycle'"),
    _schema(ALIGN_REF_RE.pattern),
]
DependencyRef = Annotated[
    str,
    _pattern(DEPENDENCY_REF_RE, "'team/objective' or 'team/objective/kr', optionally pinned with '@cycle'"),
    _schema(DEPENDENCY_REF_RE.pattern),
]
MissedRef = Annotated[str, _pattern(re.compile(rf"{_ID}/{_ID}"), "'objective/kr' of this document"), _schema(f"{_ID}/{_ID}")]
Number = Annotated[float, BeforeValidator(read_number), Field(allow_inf_nan=False)]
Whole = Annotated[int, BeforeValidator(read_whole)]
Flag = Annotated[bool, BeforeValidator(read_flag)]
Day = Annotated[dt.date, BeforeValidator(read_day)]
Scalar = Annotated[float | str, BeforeValidator(_scalar)]
