"""Reading content files into plain data that remembers where every value stands.

PyYAML is used only up to its node graph (`compose`), which carries line and
column marks; the plain values are built here so that a duplicated key is an
error instead of silent data loss, and so that alias expansion is bounded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import Loc, Problems

try:  # the C parser is several times faster; the pure one gives the same marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml is missing on some platforms
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 5 * 1024 * 1024
MAX_VALUES = 100_000
"""A team document has hundreds of values; more than this comes from aliases."""

Path_ = tuple[str | int, ...]
_MERGE_TAG = "tag:yaml.org,2002:merge"
_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_STR_TAG = "tag:yaml.org,2002:str"
_SCALAR_TAGS = frozenset(f"tag:yaml.org,2002:{kind}" for kind in ("null", "bool", "int", "float", "timestamp"))
_TAB_HINT = "found a tab character; YAML is indented with spaces only"


@dataclass
class Source:
    """A loaded content file: its plain data plus the place of every key and value.

    Places are kept at first for the objects only (mappings, lists and list
    items): those are what warnings point at. A message about any other value
    (an error, mostly) parses the text again for every place, once.
    """

    file: str
    data: Any = None
    body: str = ""
    text: str = ""
    line_offset: int = 0
    value_locs: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    """(line, column) of values; Locs are made only for the few that a message needs."""
    key_locs: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    complete: bool = False
    """Whether value_locs and key_locs hold every value and key, not only the objects'."""

    def loc(self, path: Path_ = ()) -> Loc:
        """Where the value at `path` stands, else its nearest enclosing value."""
        if path not in self.value_locs:
            self._complete()
        while path not in self.value_locs and path:
            path = path[:-1]
        line, col = self.value_locs.get(path, (1, 1))
        return Loc(self.file, line, col)

    def key_loc(self, path: Path_) -> Loc:
        """Where the key of `path` stands (for unknown or duplicated fields)."""
        if path not in self.key_locs:
            self._complete()
        found = self.key_locs.get(path)
        return Loc(self.file, *found) if found else self.loc(path)

    def _complete(self) -> None:
        node = yaml.compose(self.text, Loader=_Loader) if not self.complete and self.text else None
        if node is not None:
            _Builder(self, self.line_offset, Problems(), every_place=True).build(node, ())
        self.complete = True


class _TooLarge(Exception):
    pass


class _Builder:
    def __init__(self, source: Source, line_offset: int, problems: Problems, every_place: bool = False) -> None:
        self.source = source
        self.line_offset = line_offset
        self.problems = problems
        self.every_place = every_place
        self.count = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def place(self, node: Node) -> tuple[int, int]:
        mark = node.start_mark
        return mark.line + 1 + self.line_offset, mark.column + 1

    def loc(self, node: Node) -> Loc:
        return Loc(self.source.file, *self.place(node))

    def build(self, node: Node, path: Path_, listed: bool = True) -> Any:
        """The plain value of `node`; `listed`: the node is a list item or the document (not a mapping's value)."""
        self.count += 1
        if self.count > MAX_VALUES:
            raise _TooLarge
        if listed or self.every_place or not isinstance(node, ScalarNode):
            self.source.value_locs[path] = self.place(node)
        if not isinstance(node, ScalarNode) and node.tag not in _PLAIN_TAGS:
            self.problems.error(self.loc(node), "yaml-tag", f"found the tag {node.tag}; expected plain YAML values")
            return None
        if isinstance(node, MappingNode):
            return self.mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        return self.scalar(node)

    def mapping(self, node: MappingNode, path: Path_) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            where = self.place(key_node)
            if key_node.tag == _MERGE_TAG:
                self.problems.error(self.loc(key_node), "yaml-merge-key", "found a merge key '<<'; write the fields out instead")
                continue
            if not isinstance(key_node, ScalarNode):
                self.problems.error(self.loc(key_node), "yaml-key", "found a list or mapping used as a key; expected a field name")
                continue
            key = str(key_node.value)
            if key in out:
                self.problems.error(
                    self.loc(key_node),
                    "duplicate-key",
                    f"'{key}' appears twice in this mapping (first at line {first_line[key]}); keep one",
                )
                continue
            first_line[key] = where[0]
            if self.every_place or not isinstance(value_node, ScalarNode):
                self.source.key_locs[(*path, key)] = where
            out[key] = self.build(value_node, (*path, key), listed=False)
        return out

    def scalar(self, node: ScalarNode) -> Any:
        if node.tag == _STR_TAG:  # most values are text: no constructor needed
            return node.value
        if node.tag not in _SCALAR_TAGS:
            self.problems.error(self.loc(node), "yaml-tag", f"found the tag {node.tag}; expected plain YAML values")
            return None
        try:
            return self.constructor.yaml_constructors[node.tag](self.constructor, node)
        except Exception as exc:  # PyYAML's constructors fail in many ways on odd explicit tags (!!int "")
            self.problems.error(
                self.loc(node), "yaml-value", f"found {node.value!r}, which is not a valid {node.tag.rsplit(':', 1)[-1]} ({exc})"
            )
            return None


def parse_yaml(text: str, file: str, problems: Problems, line_offset: int = 0) -> Source | None:
    """Parse YAML text into a Source; on failure record located errors and return None."""
    source = Source(file, text=text, line_offset=line_offset)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else 1
        col = mark.column + 1 if mark else 1
        at_tab = mark is not None and text[mark.index : mark.index + 1] == "\t"
        problems.error(Loc(file, line, col), "yaml-syntax", _TAB_HINT if at_tab else _describe(exc))
        return None
    except (yaml.YAMLError, RecursionError) as exc:
        problems.error(Loc(file), "yaml-syntax", f"malformed YAML: {exc}")
        return None
    if node is None:
        return source
    errors_before = len(problems.items)
    try:
        source.data = _Builder(source, line_offset, problems).build(node, ())
    except (_TooLarge, RecursionError):
        problems.error(
            Loc(file, node.start_mark.line + 1 + line_offset, 1),
            "yaml-too-large",
            f"this file expands to more than {MAX_VALUES:,} values (nested aliases?); expected a plain document",
        )
        return None
    return source if len(problems.items) == errors_before else None


def _describe(exc: yaml.MarkedYAMLError) -> str:
    text = str(exc.problem or "")
    if exc.context:
        text = f"{text} ({exc.context})"
    return f"malformed YAML: {text}"


def read_source(path: Path, file: str, problems: Problems) -> Source | None:
    """Read one content file (`.yml`, or `.md` with front matter) as a Source.

    `file` is the name used in messages: the path relative to the site's root.
    """
    raw = read_bytes(path, file, problems)
    return parse_source(raw, path.suffix, file, problems) if raw is not None else None


def read_bytes(path: Path, file: str, problems: Problems) -> bytes | None:
    """The file's bytes; None, with the reason recorded, if it cannot be read or is over MAX_BYTES."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            problems.error(Loc(file), "file-too-large", f"the file is {size / 2**20:.1f} MB; expected at most {MAX_BYTES // 2**20} MB")
            return None
        return path.read_bytes()
    except OSError as exc:
        problems.error(Loc(file), "unreadable", f"cannot read this file ({exc.strerror or exc}); a link to nothing?")
        return None


def parse_source(raw: bytes, suffix: str, file: str, problems: Problems) -> Source | None:
    """A content file's bytes as a Source: YAML, or for `.md` its front matter (the rest is its body)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.error(Loc(file), "encoding", f"found a byte that is not UTF-8 at offset {exc.start}; save the file as UTF-8")
        return None
    if suffix != ".md":
        return parse_yaml(text, file, problems)
    front, body = split_front_matter(text)
    if front is None:
        problems.error(Loc(file), "front-matter", "found no YAML front matter; expected the document between '---' lines at the top")
        return None
    source = parse_yaml(front, file, problems, line_offset=1)
    if source is not None:
        source.body = body
    return source


def split_front_matter(text: str) -> tuple[str | None, str]:
    """Split a Markdown file into its YAML front matter and its body."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return None, text
    for i, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1 :])
    return None, text
