"""The editor schemas in the dialect editors speak: ajv (JavaScript, as yaml-language-server) and check-jsonschema's
default ECMA-262 regular expressions accept them, pass the example's files, and reject what `okrsite check` rejects."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from okrsite.content.files import split_front_matter
from okrsite.content.schema import SCHEMAS, json_schema

ROOT = Path(__file__).resolve().parents[2]
NODE_TOOLS = Path(os.environ.get("OKRSITE_NODE_TOOLS", Path.home() / ".cache/okrsite-node"))
"""Where scripts/setup-machine.sh installs ajv."""
FILES = {"document": "teams/*/20*.*", "team": "teams/*/team.yml", "cycles": "cycles.yml"}
AJV = """
const fs = require("fs");
const Ajv2020 = require("ajv/dist/2020");
const addFormats = require("ajv-formats");
const [schemaFile, ...dataFiles] = process.argv.slice(1);  // with -e, the arguments start at 1
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, "utf8")));
const errors = (f) => (validate(JSON.parse(fs.readFileSync(f, "utf8"))) ? [] : validate.errors);
const results = dataFiles.map((f) => errors(f).map((e) => `${e.instancePath} ${e.message}`));
console.log(JSON.stringify(results));
"""


def as_editor_reads(path: Path) -> Any:
    """A content file as JSON, with YAML's own types: what an editor's schema check sees."""
    text = path.read_text(encoding="utf-8")
    front = split_front_matter(text)[0] if path.suffix == ".md" else text
    return json.loads(json.dumps(yaml.safe_load(front or ""), default=lambda v: v.isoformat() if isinstance(v, dt.date) else v))


def ajv(schema: dict[str, Any], documents: list[Any], tmp: Path) -> list[list[str]]:
    """ajv's errors for each document (an empty list for a valid one); ajv compiles the schema strictly first."""
    assert (NODE_TOOLS / "node_modules/ajv").is_dir(), "ajv is missing: run scripts/setup-machine.sh"
    (tmp / "schema.json").write_text(json.dumps(schema))
    names = []
    for i, document in enumerate(documents):
        (tmp / f"{i}.json").write_text(json.dumps(document))
        names.append(str(tmp / f"{i}.json"))
    env = {**os.environ, "NODE_PATH": str(NODE_TOOLS / "node_modules")}
    done = subprocess.run(["node", "-e", AJV, str(tmp / "schema.json"), *names], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def check_jsonschema(schema: dict[str, Any], files: list[Path], tmp: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema in its default mode: ECMA-262 regular expressions, formats checked, YAML read directly."""
    (tmp / "schema.json").write_text(json.dumps(schema))
    command = [sys.executable, "-m", "check_jsonschema", "--schemafile", str(tmp / "schema.json"), *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


BAD = {
    "an id with a space": ("document", {"objectives": [{"id": "a b", "title": "x", "type": "committed", "key_results": []}]}),
    "a misspelt field": ("document", {"objectives": [{"id": "a", "title": "x", "type": "committed", "key_results": [], "tittle": 1}]}),
    "an unknown type": ("document", {"objectives": [{"id": "a", "title": "x", "type": "stretch", "key_results": []}]}),
    "a confidence of 11": (
        "document",
        {
            "objectives": [
                {
                    "id": "a",
                    "title": "x",
                    "type": "committed",
                    "key_results": [{"id": "k", "title": "y", "checkins": [{"date": "2026-01-05", "confidence": 11}]}],
                }
            ]
        },
    ),
    "an alignment without an objective": (
        "document",
        {"objectives": [{"id": "a", "title": "x", "type": "committed", "aligns_to": ["growth"], "key_results": []}]},
    ),
    "a cycle without a start": ("cycles", {"cycles": [{"id": "2026-Q1", "end": "2026-03-31"}]}),
    "a team without a name": ("team", {"lead": "Ana"}),
}


@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_every_pattern_is_ecma_262_and_python(kind: str) -> None:
    patterns = re.findall(r'"pattern": ("(?:[^"\\]|\\.)*")', json.dumps(json_schema(kind)))
    assert patterns
    for pattern in map(json.loads, patterns):
        re.compile(pattern)
        done = subprocess.run(["node", "-e", "new RegExp(process.argv[1], 'u')", pattern], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, (pattern, done.stderr)


@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_ajv_and_check_jsonschema_pass_the_example(kind: str, tmp_path: Path) -> None:
    files = sorted((ROOT / "content").glob(FILES[kind]))
    assert files
    errors = ajv(json_schema(kind), [as_editor_reads(f) for f in files], tmp_path)
    assert dict(zip(map(str, files), errors, strict=True)) == {str(f): [] for f in files}
    yaml_files = [f for f in files if f.suffix == ".yml"]  # check-jsonschema reads YAML files, not front matter
    done = check_jsonschema(json_schema(kind), yaml_files, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("case", list(BAD))
def test_both_reject_what_check_rejects(case: str, tmp_path: Path) -> None:
    kind, document = BAD[case]
    [errors] = ajv(json_schema(kind), [document], tmp_path)
    assert errors, case
    bad = tmp_path / "bad.yml"
    bad.write_text(yaml.safe_dump(document))
    done = check_jsonschema(json_schema(kind), [bad], tmp_path)
    assert done.returncode == 1 and "bad.yml" in done.stdout, done.stdout + done.stderr


def test_every_field_teaches_the_format() -> None:
    """Hover help for every field: a description; enums list their values; bounded numbers carry their bounds."""
    undescribed, unbounded = [], []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for name, field in node.get("properties", {}).items():
                if "description" not in field:
                    undescribed.append(f"{path}.{name}")
            if any(key in node for key in ("ge", "le", "gt", "lt")):
                unbounded.append(path)
            for key, value in node.items():
                walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}[{i}]")

    for kind in SCHEMAS:
        walk(json_schema(kind), kind)
    assert undescribed == [] and unbounded == []
    checkin = json_schema("document")["$defs"]["Checkin"]["properties"]
    assert {"type": "integer", "minimum": 1, "maximum": 10} in checkin["confidence"]["anyOf"]
    objective = json_schema("document")["$defs"]["Objective"]["properties"]
    assert objective["type"]["enum"] == ["aspirational", "committed"]
