"""Reading content files into plain data that remembers where every value stands.

PyYAML's C parser gives the events of a file (a scalar, the start and the end
of a mapping or a list, each with its line and column); the values are built
here, without YAML's tag resolution or constructors:

- every scalar stays the text that was typed, and only YAML's null is None: the
  model reads numbers, dates and yes/no from the text by its own rules, so YAML
  1.1 never turns `1:30` into 90, `012` into 10 or `no` into false;
- a duplicated key is an error instead of silent data loss;
- alias expansion and nesting are bounded: PyYAML's composer would expand a
  billion-laughs file, and crashes the process on a file nested a million deep.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from .errors import Loc, Problems
from .syntax import describe_syntax_error

try:  # the C parser is several times faster; the pure one gives the same events
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml is missing on some platforms
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_VALUES = 100_000
"""A team document has hundreds of values; more than this comes from aliases."""
MAX_DEPTH = 64
"""A team document nests about eight levels deep; more than this is not a document."""

Path_ = tuple[str | int, ...]
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_YAML_TAG = "tag:yaml.org,2002:"
_TEXT_TAGS = frozenset(f"{_YAML_TAG}{kind}" for kind in ("str", "bool", "int", "float", "timestamp"))
"""Explicit tags of plain values: the text is kept and the model reads it as any other."""
_COLLECTION_TAGS = frozenset((f"{_YAML_TAG}map", f"{_YAML_TAG}seq"))


class Invalid:
    """Stands for a value the loader already reported: the model rejects it without a second message."""

    def __repr__(self) -> str:
        return "<invalid>"


INVALID = Invalid()


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
    body_line: int = 1
    """The line of the file where the body of a Markdown document starts."""
    text: str = ""
    line_offset: int = 0
    value_locs: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    """(line, column) of values; Locs are made only for the few that a message needs."""
    key_locs: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    complete: bool = False
    """Whether value_locs and key_locs hold every value and key, not only the objects'."""
    reported: set[Path_] = field(default_factory=set)
    """Paths of values the loader reported (a bad tag, say): the model does not report them again."""
    set_aside: set[Path_] = field(default_factory=set)
    """Paths of the values the model left out for their errors: rules across fields do not judge what is left."""

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
        if not self.complete and self.text:
            with contextlib.suppress(yaml.YAMLError, _TooLarge):  # the first parse of the same text succeeded
                _Builder(self, Problems(), every_place=True).build()
        self.complete = True


class _TooLarge(Exception):
    def __init__(self, place: tuple[int, int], message: str) -> None:
        super().__init__(message)
        self.place = place


class _Collection:
    """An open mapping or list while its events come in."""

    __slots__ = ("anchor", "count_at_start", "first_marks", "is_map", "key", "key_mark", "path", "value")

    def __init__(self, value: dict[str, Any] | list[Any], path: Path_, anchor: str | None, count: int) -> None:
        self.value = value
        self.is_map = isinstance(value, dict)
        self.path = path
        self.anchor = anchor
        self.count_at_start = count
        self.key: str | Invalid | None = None
        """In a mapping: the key whose value comes next (INVALID: that value is dropped), or None."""
        self.key_mark: Any = None
        self.first_marks: dict[str, Any] = {}
        """Where each key stood (the parser's marks: a line is worked out only for a message)."""


class _Builder:
    """Plain values from the parser's events, with an explicit stack: no recursion, whatever the nesting."""

    def __init__(self, source: Source, problems: Problems, every_place: bool = False) -> None:
        self.source = source
        self.problems = problems
        self.every_place = every_place
        self.count = 0
        self.anchors: dict[str, tuple[Any, int]] = {}
        """Each anchor's value and how many values it holds (an alias adds them all again)."""
        self.stack: list[_Collection] = []
        self.skipping = 0
        """Depth inside a collection whose values are dropped (a list used as a key, say)."""
        self.root: Any = None

    def place(self, mark: Any) -> tuple[int, int]:
        """(line, column) of a parser mark, counted from 1 in the file."""
        return mark.line + 1 + self.source.line_offset, mark.column + 1

    def error(self, event: Event, code: str, message: str) -> None:
        self.problems.error(Loc(self.source.file, *self.place(event.start_mark)), code, message)

    def build(self) -> Any:
        loader = _Loader(self.source.text)
        handlers: dict[type, Any] = {
            ScalarEvent: self.scalar,
            MappingStartEvent: self.start,
            SequenceStartEvent: self.start,
            AliasEvent: self.alias,
        }
        opening, closing = (MappingStartEvent, SequenceStartEvent), (MappingEndEvent, SequenceEndEvent)
        documents = 0
        get_event: Callable[[], Any] = loader.get_event  # its events, untyped: the fast paths below read their fields
        stack, fast = self.stack, not self.every_place
        key_locs, value_locs, offset = self.source.key_locs, self.source.value_locs, 1 + self.source.line_offset
        try:
            while (event := get_event()) is not None:
                kind = type(event)
                if self.skipping:
                    self.skipping += (kind in opening) - (kind in closing)
                elif (
                    kind is ScalarEvent
                    and fast
                    and stack
                    and (parent := stack[-1]).is_map
                    and event.anchor is None
                    and (event.tag is None or event.tag == "!")
                    and self.count < MAX_VALUES
                ):  # most events: a plain key or value in a mapping; what scalar() and key() do for it, inlined
                    self.count += 1
                    key, value = parent.key, event.value
                    if key is None:
                        if value == "<<" or value in parent.first_marks:
                            self.key(event, parent, value)
                        else:
                            parent.key = value
                            parent.key_mark = parent.first_marks[value] = event.start_mark
                    else:
                        parent.key = None
                        if key is not INVALID:
                            parent.value[key] = None if event.implicit[0] and value in _NULLS else value  # type: ignore[index, call-overload]
                elif (
                    (kind is MappingStartEvent or kind is SequenceStartEvent)
                    and stack
                    and event.anchor is None
                    and (event.tag is None or event.tag == "!")
                    and self.count < MAX_VALUES
                    and len(stack) < MAX_DEPTH
                    and (not (parent := stack[-1]).is_map or (parent.key is not None and parent.key is not INVALID))
                ):  # a plain mapping or list inside another: what start() and put() do for it, inlined
                    self.count += 1
                    collection: dict[str, Any] | list[Any] = {} if kind is MappingStartEvent else []
                    if parent.is_map:
                        key, key_mark = parent.key, parent.key_mark
                        path: Path_ = (*parent.path, key)  # type: ignore[arg-type]
                        parent.value[key] = collection  # type: ignore[index, call-overload]
                        parent.key = None
                        key_locs[path] = (key_mark.line + offset, key_mark.column + 1)
                    else:
                        path = (*parent.path, len(parent.value))
                        parent.value.append(collection)  # type: ignore[union-attr]
                    mark = event.start_mark
                    value_locs[path] = (mark.line + offset, mark.column + 1)
                    stack.append(_Collection(collection, path, None, self.count))
                elif kind is MappingEndEvent or kind is SequenceEndEvent:
                    done = stack.pop()
                    if done.anchor is not None:
                        self.anchors[done.anchor] = (done.value, self.count - done.count_at_start + 1)
                elif (handler := handlers.get(kind)) is not None:
                    handler(event)
                elif kind is DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        self.error(event, "yaml-documents", "found a second YAML document (after a '---' line); expected one per file")
                        break
        finally:
            loader.dispose()
        return self.root

    def counted(self, event: Event, values: int = 1) -> None:
        self.count += values
        if self.count > MAX_VALUES:
            message = f"this file expands to more than {MAX_VALUES:,} values (nested aliases?); expected a plain document"
            raise _TooLarge(self.place(event.start_mark), message)

    def put(self, event: Event, value: Any, collection: bool) -> Path_ | None:
        """Place a new value in the open collection; its path, or None when it is dropped."""
        if not self.stack:
            self.root = value
            self.source.value_locs[()] = self.place(event.start_mark)
            return ()
        parent = self.stack[-1]
        if not parent.is_map:
            path = (*parent.path, len(parent.value))
            parent.value.append(value)  # type: ignore[union-attr]
            self.source.value_locs[path] = self.place(event.start_mark)
            return path
        key = parent.key
        parent.key = None
        if key is None:  # the value is a key
            self.key(event, parent, value)
            return None
        if isinstance(key, Invalid):
            return None
        path = (*parent.path, key)
        parent.value[key] = value  # type: ignore[call-overload]
        if collection or self.every_place:
            self.source.key_locs[path] = self.place(parent.key_mark)
            self.source.value_locs[path] = self.place(event.start_mark)
        return path

    def key(self, event: Event, mapping: _Collection, key: Any) -> None:
        mapping.key = INVALID
        if isinstance(key, Invalid):
            return  # its tag was reported
        if not isinstance(key, str):
            self.error(event, "yaml-key", "found a list, a mapping or an alias used as a key; expected a field name")
        elif key == "<<" and isinstance(event, ScalarEvent) and event.implicit[0]:
            self.error(event, "yaml-merge-key", "found a merge key '<<'; write the fields out instead")
        elif key in mapping.first_marks:
            first = self.place(mapping.first_marks[key])[0]
            self.error(event, "duplicate-key", f"'{key}' appears twice in this mapping (first at line {first}); keep one")
        else:
            mapping.key, mapping.key_mark = key, event.start_mark
            mapping.first_marks[key] = event.start_mark

    def scalar(self, event: ScalarEvent) -> None:
        self.count += 1
        if self.count > MAX_VALUES:
            self.counted(event, 0)
        tag = event.tag
        stack = self.stack
        if (tag is None or tag == "!") and event.anchor is None and stack and stack[-1].is_map:
            parent = stack[-1]  # the common case, a plain key or value in a mapping: the general path below, inlined
            key = parent.key
            if key is None:
                self.key(event, parent, event.value)
            elif not isinstance(key, Invalid):
                parent.key = None
                parent.value[key] = None if event.implicit[0] and event.value in _NULLS else event.value  # type: ignore[call-overload]
                if self.every_place:
                    at = (*parent.path, key)
                    self.source.key_locs[at] = self.place(parent.key_mark)
                    self.source.value_locs[at] = self.place(event.start_mark)
            else:
                parent.key = None
            return
        value: str | Invalid | None = event.value
        if tag is not None and tag != "!" and tag not in _TEXT_TAGS:
            value = None if tag == f"{_YAML_TAG}null" else INVALID
        elif (tag is None or tag == "!") and event.implicit[0] and event.value in _NULLS and not self.at_key():
            value = None  # YAML's null; a key stays the text typed
        if value is INVALID:
            self.error(event, "yaml-tag", f"found the tag {tag}; expected plain YAML values")
        path = self.put(event, value, collection=False)
        if value is INVALID and path is not None:
            self.source.reported.add(path)
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)

    def at_key(self) -> bool:
        """Whether the next value is a key of the open mapping."""
        return bool(self.stack) and self.stack[-1].is_map and self.stack[-1].key is None

    def start(self, event: MappingStartEvent | SequenceStartEvent) -> None:
        self.counted(event)
        value: dict[str, Any] | list[Any] = {} if isinstance(event, MappingStartEvent) else []
        tag = event.tag
        if self.at_key():  # a collection used as a key: reported, and dropped with its value
            self.key(event, self.stack[-1], value)
            self.skipping = 1
            return
        if tag is not None and tag != "!" and tag not in _COLLECTION_TAGS:
            self.error(event, "yaml-tag", f"found the tag {tag}; expected plain YAML values")
            path = self.put(event, INVALID, collection=True)
            if path is not None:
                self.source.reported.add(path)
            self.skipping = 1
            return
        if len(self.stack) >= MAX_DEPTH:
            message = f"this value is nested more than {MAX_DEPTH} levels deep; expected a plain document"
            raise _TooLarge(self.place(event.start_mark), message)
        path = self.put(event, value, collection=True)
        if path is None:  # the value of a key that was refused
            self.skipping = 1
            return
        self.stack.append(_Collection(value, path, event.anchor, self.count))

    def alias(self, event: AliasEvent) -> None:
        found = self.anchors.get(event.anchor) if event.anchor is not None else None
        if found is None:
            looping = any(open_.anchor == event.anchor for open_ in self.stack)
            why = "inside the value it names: a loop" if looping else f"which names no anchor (&{event.anchor}) above it"
            self.error(event, "yaml-alias", f"found the alias *{event.anchor}, {why}")
            path = self.put(event, INVALID, collection=False)
            if path is not None:
                self.source.reported.add(path)
            return
        value, size = found
        self.counted(event, size)
        path = self.put(event, value, collection=isinstance(value, (dict, list)))
        if value is INVALID and path is not None:
            self.source.reported.add(path)  # the anchored value was reported where it stands


def parse_yaml(text: str, file: str, problems: Problems, line_offset: int = 0) -> Source | None:
    """Parse YAML text into a Source; None, with located errors, if it is not YAML or not a plain document.

    Problems with single values (a duplicated key, a tag) are recorded and the rest of the
    file is kept, so that the model can still report every other problem of the file.
    """
    source = Source(file, text=text, line_offset=line_offset)
    try:
        source.data = _Builder(source, problems).build()
    except yaml.MarkedYAMLError as exc:
        problems.error(*describe_syntax_error(exc, text, file, line_offset))
        return None
    except yaml.reader.ReaderError as exc:  # libyaml counts the position in bytes of UTF-8
        before = text.encode("utf-8")[: exc.position].decode("utf-8", "replace")
        line = before.count("\n") + 1 + line_offset
        column = len(before) - (before.rfind("\n") + 1) + 1
        character = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        message = f"found the control character {character}, which YAML files cannot hold; remove it"
        problems.error(Loc(file, line, column), "yaml-syntax", message)
        return None
    except yaml.YAMLError as exc:
        problems.error(Loc(file, 1 + line_offset), "yaml-syntax", f"malformed YAML: {exc}")
        return None
    except _TooLarge as exc:  # raised with the place of the value that crossed the bound
        problems.error(Loc(file, *exc.place), "yaml-too-large", str(exc))
        return None
    return source
