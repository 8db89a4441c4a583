"""JSON Schemas of the content files, for editors (yaml-language-server) and other tools."""

from __future__ import annotations

from typing import Any

from .model import CyclesFile, Document, Located, Team

SCHEMAS: dict[str, type[Located]] = {"document": Document, "team": Team, "cycles": CyclesFile}
_TITLES = {
    "document": "okrsite team document (content/teams/<team>/<cycle>.yml)",
    "team": "okrsite team file (content/teams/<team>/team.yml)",
    "cycles": "okrsite calendar of cycles (content/cycles.yml)",
}


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one kind of content file."""
    schema = SCHEMAS[kind].model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "title": _TITLES[kind]}
