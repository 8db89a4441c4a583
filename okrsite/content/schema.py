"""JSON Schemas of the content files, for editors (yaml-language-server) and other tools."""

from __future__ import annotations

import re
from typing import Any

from .model import CyclesFile, Document, Located, Team

SCHEMAS: dict[str, type[Located]] = {"document": Document, "team": Team, "cycles": CyclesFile}
_TITLES = {
    "document": "okrsite team document (content/teams/<team>/<cycle>.yml)",
    "team": "okrsite team file (content/teams/<team>/team.yml)",
    "cycles": "okrsite calendar of cycles (content/cycles.yml)",
}


_BOUNDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}
"""pydantic writes the bounds of an optional number in its own words; JSON Schema has these."""
_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one kind of content file, in the dialect editors speak.

    Editors are JavaScript (yaml-language-server, ajv): patterns are ECMA-262, so Python's named groups
    `(?P<team>...)` become plain groups, which both languages read alike.
    """
    schema = SCHEMAS[kind].model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **_portable(schema), "title": _TITLES[kind]}


def _portable(node: Any) -> Any:
    if isinstance(node, list):
        return [_portable(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "pattern" and isinstance(value, str):
            out[key] = _NAMED_GROUP.sub("(?:", value)
        elif key in _BOUNDS and node.get("type") in ("integer", "number"):
            out[_BOUNDS[key]] = value
        else:
            out[key] = _portable(value) if key != "properties" else {name: _portable(v) for name, v in value.items()}
    return out
