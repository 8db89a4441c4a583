"""YAML as people write it by hand: block mappings, short lists and check-ins on one line, text quoted only where YAML needs it.

The demo writes thousands of files; this is several times faster than PyYAML's emitter and reads like the example content.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from pathlib import Path
from typing import Any

import yaml


class Inline(dict[str, Any]):
    """A mapping written on one line, as check-ins are in hand-written files."""


def write_yaml(path: Path, data: dict[str, Any]) -> None:
    """Write `data` as block YAML into a new file (never over an existing one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # never overwrite a file of the user's
        out.write(yaml_text(data))


def yaml_text(data: dict[str, Any]) -> str:
    """`data` as block YAML, keys in their order (`okrsite import` writes its documents so too)."""
    lines: list[str] = []
    _mapping(data, "", lines)
    return "\n".join(lines) + "\n"


def _mapping(data: dict[str, Any], indent: str, lines: list[str], first: str | None = None) -> None:
    """Block YAML for a mapping; `first` is the prefix of its first line when it is a list item."""
    for key, value in data.items():
        lead, first = (indent if first is None else first), None
        if isinstance(value, dict) and not isinstance(value, Inline):
            lines.append(f"{lead}{key}:")
            _mapping(value, indent + "  ", lines)
        elif isinstance(value, list) and not _short(value):
            lines.append(f"{lead}{key}:")
            for item in value:
                if isinstance(item, dict) and not isinstance(item, Inline):
                    _mapping(item, indent + "    ", lines, first=indent + "  - ")
                else:
                    lines.append(f"{indent}  - {_flow(item)}")
        else:
            lines.append(f"{lead}{key}: {_flow(value)}")


def _short(items: list[Any]) -> bool:
    """Lists of ids, references and names fit on one line; lists of sentences or mappings do not."""
    return all(not isinstance(v, dict) and str(v).count(" ") <= 1 for v in items) and len(_flow(items)) <= 80


def _flow(value: Any) -> str:
    """One value on one line; scalars are matched by exact type first, as they are nearly all of what is written."""
    kind = type(value)
    if kind is str:
        return _text(value)
    if kind is float:
        return str(int(value)) if value.is_integer() else repr(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is dt.date:
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join([f"{k}: {_flow(v)}" for k, v in value.items()]) + "}"
    return "[" + ", ".join([_flow(v) for v in value]) + "]"


_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _./()%'+-]*(?<! )")


@functools.cache
def _text(text: str) -> str:
    """Plain when YAML reads it back as this very text, else double-quoted (JSON strings are valid YAML)."""
    if _PLAIN.fullmatch(text) and yaml.safe_load(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)
