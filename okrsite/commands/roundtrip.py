"""Editing a team's YAML as the team wrote it: ruamel.yaml's round trip, and only the edited lines changed.

ruamel.yaml keeps comments, key order, quotes and the indentation it guesses, but
it writes some things its own way (`key:   value`, `~`, an item indented deeper
than its siblings). `carried_over` puts only the lines an edit changed into the
original text, so the rest of the file stays byte for byte.
"""

from __future__ import annotations

import difflib
import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.util import load_yaml_guess_indent

from ..content.values import written


def round_trip(text: str) -> tuple[YAML, Any]:
    """The YAML of `text` loaded for a round trip, and the YAML that writes it back with the file's own indentation."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the team's lines
    data, indent, offset = load_yaml_guess_indent(text, yaml=yaml)
    if indent and offset is not None:
        yaml.indent(mapping=max(indent - offset, 2), sequence=indent, offset=offset)
    else:
        yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml, data


def dumped(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def carried_over(original: str, before: str, after: str) -> str | None:
    """`original` with the lines that differ between `before` (the round trip of `original` before an edit) and `after`.

    Each changed run of lines takes the place of its counterpart in `original`: the lines between
    the unchanged lines around it, as many as in `before`, found by either of the two. None when
    neither is in `original` as written (ruamel.yaml wrote both its own way), or the counts differ.
    """
    if original == before:
        return after
    old, plain, edited = (text.splitlines(keepends=True) for text in (original, before, after))
    place = {-1: -1, len(plain): len(old)}
    for block in difflib.SequenceMatcher(None, plain, old, autojunk=False).get_matching_blocks():
        place |= {block.a + k: block.b + k for k in range(block.size)}
    matched = set(place.values())
    changes = [op for op in difflib.SequenceMatcher(None, plain, edited, autojunk=False).get_opcodes() if op[0] != "equal"]
    for _, i1, i2, j1, j2 in reversed(changes):
        start, end = place.get(i1 - 1), place.get(i2)
        start = start if start is not None else end - 1 - (i2 - i1) if end is not None else None
        end = end if end is not None else start + 1 + (i2 - i1) if start is not None else None
        if start is None or end is None or end - start - 1 != i2 - i1 or start < -1 or end > len(old):
            return None
        if any(line in matched for line in range(start + 1, end)):
            return None
        old[start + 1 : end] = edited[j1:j2]
    return "".join(old)


def written_number(value: float) -> int | float:
    """A number written as a writer would: `40`, not `40.0`; `2.5`, not `2.5000000000000004`; 1e-320 kept."""
    rounded = float(written(value))
    return int(rounded) if rounded.is_integer() and abs(rounded) < 1e15 else rounded
