"""Checking a file's shape against the model, with errors in our words at the right line.

pydantic does the checking; this module maps each of its errors back to the
file, line and column of the value concerned, and rewords it for a writer.
"""

from __future__ import annotations

import copy
import difflib
import functools
import types
import typing
from typing import Any, TypeVar

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from .errors import Problems
from .model import Located
from .source import Path_, Source
from .values import found

M = TypeVar("M", bound=Located)

_EXPECTED = {
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "a text",
    "date_type": "a date written YYYY-MM-DD",
    "date_parsing": "a date written YYYY-MM-DD",
    "date_from_datetime_inexact": "a date without a time",
    "list_type": "a list",
    "model_type": "a mapping of fields",
    "dict_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
}


def parse_model(cls: type[M], source: Source, problems: Problems) -> M | None:
    """Validate a Source as `cls`, recording every located error.

    With errors, the offending values (or the objects that lack a required field)
    are set aside and the rest is validated again, so that the rules spanning
    fields and files can still be checked on what is left: a run reports every
    error, not just the shape errors of the first file. None if nothing is left.
    """
    data = source.data if source.data is not None else {}
    reported = False
    for _ in range(_SALVAGE_ROUNDS):
        try:
            obj = cls.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors()
            if not reported:
                for error in errors:
                    _report(cls, source, error, problems)
                    source.set_aside.add(_set_aside(tuple(error["loc"]), error["type"]))
                reported = True
            data = _without(data, errors)
            if data is None:
                return None
            continue
        attach(obj, source, ())
        return obj
    return None


_SALVAGE_ROUNDS = 4


def _without(data: Any, errors: list[Any]) -> Any:
    """A copy of `data` without the values that `errors` point at; None if the whole is at fault."""
    data = copy.deepcopy(data)
    paths = sorted({_set_aside(tuple(e["loc"]), e["type"]) for e in errors}, key=_path_key, reverse=True)
    for path in paths:
        if not path:
            return None
        parent: Any = data
        for step in path[:-1]:
            fits = isinstance(parent, dict) or (isinstance(parent, list) and isinstance(step, int) and step < len(parent))
            parent = parent[step] if fits else None
        if isinstance(parent, dict):
            parent.pop(path[-1], None)
        elif isinstance(parent, list) and isinstance(path[-1], int) and path[-1] < len(parent):
            del parent[path[-1]]
    return data


_RECORDS = frozenset({"checkins", "revisions", "questions", "missed"})
"""Lists of small records: a record with a bad value is set aside whole, so no rule judges what is left of it."""


def _set_aside(path: Path_, kind: str) -> Path_:
    """What to remove for one error: the bad value, or the object that lacks a required field or is a record."""
    if kind == "missing":
        path = path[:-1]
    if len(path) >= 3 and isinstance(path[-2], int) and path[-3] in _RECORDS:
        return path[:-1]
    return path


def _path_key(path: tuple[Any, ...]) -> tuple[tuple[int, Any], ...]:
    """Sort key for paths that mixes list indices and field names without comparing the two."""
    return tuple((0, step) if isinstance(step, int) else (1, str(step)) for step in path)


def attach(obj: Located, source: Source, path: Path_) -> None:
    """Tell every object of a validated tree where it was read from (and share its set of given fields)."""
    private = obj.__pydantic_private__  # set directly: pydantic's __setattr__ costs more than the rest of this
    assert private is not None
    private["_at"] = (source, path)
    object.__setattr__(obj, "__pydantic_fields_set__", _given(frozenset(obj.__pydantic_fields_set__)))
    for name, key, many in _located_fields(type(obj)):
        value = getattr(obj, name)
        if value is None:
            continue
        if many:
            for i, item in enumerate(value):
                attach(item, source, (*path, key, i))
        else:
            attach(value, source, (*path, key))


class GivenFields(frozenset[str]):
    """The fields an object was given, one set shared by every object given the same fields.

    pydantic makes a set per object: a fifth of the loaded content's memory, for a few
    dozen distinct sets. Setting a field afterwards raises instead of
    changing other objects' sets; a copy (`model_copy`) gets a set of its own.
    """

    def __copy__(self) -> set[str]:
        return set(self)


@functools.cache
def _given(fields: frozenset[str]) -> GivenFields:
    return GivenFields(fields)


@functools.cache
def _located_fields(cls: type[Located]) -> tuple[tuple[str, str, bool], ...]:
    """The fields of `cls` that hold content objects: (name, key as written, is a list)."""
    found = []
    for name, info in cls.model_fields.items():
        model = _model_in(info.annotation)
        if model is not None and issubclass(model, Located):
            many = typing.get_origin(info.annotation) is list
            found.append((name, info.alias or name, many))
    return tuple(found)


_BOUNDS = frozenset(("greater_than", "greater_than_equal", "less_than", "less_than_equal"))
_OWN_ERRORS = frozenset(("invalid_id", "invalid_reference", "scalar", "number", "whole_number", "flag", "day"))
"""Errors raised by okrsite's own validators, already in a writer's words."""


def _report(cls: type[BaseModel], source: Source, error: Any, problems: Problems) -> None:
    path: Path_ = tuple(error["loc"])
    if any(path[:i] in source.reported for i in range(len(path) + 1)):
        return  # the loader reported this value already
    kind = error["type"]
    name = next((p for p in reversed(path) if isinstance(p, str)), "document")
    owner, info = _field_at(cls, path)
    if kind == "missing":
        problems.error(source.loc(path[:-1]), "missing-field", f"missing the required field '{name}'")
    elif kind == "extra_forbidden":
        known = sorted(f.alias or n for n, f in owner.model_fields.items()) if owner else []
        close = difflib.get_close_matches(str(name), known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"expected one of: {', '.join(known)}"
        problems.error(source.key_loc(path), "unknown-field", f"unknown field '{name}'; {hint}")
    elif kind in _OWN_ERRORS:
        code = "invalid-id" if kind == "invalid_id" else "invalid-value"
        problems.error(source.loc(path), code, f"{name}: {error['msg']}")
    else:
        given = error.get("input")
        shown = given if kind in _BOUNDS and isinstance(given, str) else found(given)  # a number out of range, as typed
        problems.error(source.loc(path), "invalid-value", f"{name}: found {shown}; expected {_expectation(error, info)}")


def _expectation(error: Any, info: FieldInfo | None) -> str:
    kind = error["type"]
    if kind in _EXPECTED:
        return _EXPECTED[kind]
    if kind == "literal_error":
        return "one of " + str(error["ctx"]["expected"]).replace("'", "")
    if kind in _BOUNDS and info is not None:
        return _bounds(info)
    return str(error["msg"]).lower()


def _bounds(info: FieldInfo) -> str:
    rules = {type(rule): rule for rule in info.metadata}
    if Ge in rules and Le in rules:
        return f"a number from {rules[Ge].ge} to {rules[Le].le}"
    words = {Ge: ("at least", "ge"), Gt: ("above", "gt"), Le: ("at most", "le"), Lt: ("below", "lt")}
    parts = [f"{words[kind][0]} {getattr(rule, words[kind][1])}" for kind, rule in rules.items() if kind in words]
    return "a number " + " and ".join(parts)


def _field_at(cls: type[BaseModel], path: Path_) -> tuple[type[BaseModel] | None, FieldInfo | None]:
    """The model class that owns the last field of `path`, and that field."""
    owner: type[BaseModel] | None = cls
    info: FieldInfo | None = None
    for i, step in enumerate(path):
        if owner is None or isinstance(step, int):
            continue
        info = _lookup(owner, step)
        if info is None:
            return owner, None
        if i < len(path) - 1:
            owner = _model_in(info.annotation)
    return owner, info


def _lookup(owner: type[BaseModel], key: str) -> FieldInfo | None:
    for name, info in owner.model_fields.items():
        if key in (name, info.alias):
            return info
    return None


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class inside `X`, `list[X]` or `X | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) in (list, typing.Union):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None
