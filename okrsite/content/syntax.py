"""YAML syntax errors in a writer's words: what is wrong on which line, and what to write instead.

libyaml reports the parser's state ("while parsing a block mapping ... did not
find expected key"); a team lead editing a file in a pull request needs the line
that is off and the line it belongs to. The text of the file tells which.
"""

from __future__ import annotations

from collections.abc import Callable

import yaml

from .errors import Loc

_TAB_HINT = "found a tab character; YAML is indented with spaces only"


def describe_syntax_error(exc: yaml.MarkedYAMLError, text: str, file: str, line_offset: int = 0) -> tuple[Loc, str, str]:
    """The error's place, code and message in plain words; lines count from 1 in the file (after `line_offset`).

    A quote, bracket or brace never closed, or a key without ':', is placed where it starts: the parser notices later.
    """
    problem = str(exc.problem)
    unclosed = problem.startswith("did not find expected ','") or "quoted scalar" in str(exc.context) or problem.endswith("expected ':'")
    mark = (exc.context_mark if unclosed else None) or exc.problem_mark or exc.context_mark
    line, col = (mark.line, mark.column) if mark else (0, 0)
    context = exc.context_mark.line if exc.context_mark else line
    lines = text.split("\n")
    loc = Loc(file, line + 1 + line_offset, col + 1)
    if mark is not None and text[mark.index : mark.index + 1] == "\t":
        return loc, "yaml-syntax", _TAB_HINT
    words = _words(str(exc.problem or ""), str(exc.context or ""), lines, line, col, context, line_offset)
    return loc, "yaml-syntax", words or f"malformed YAML: {exc.problem}" + (f" ({exc.context})" if exc.context else "")


def _words(problem: str, context: str, lines: list[str], line: int, col: int, context_line: int, offset: int) -> str | None:
    def n(index: int) -> int:
        return index + 1 + offset

    here = lines[line] if line < len(lines) else ""
    if problem.startswith("cannot read this value"):  # raised by a constructor, with its reason
        return f"line {n(line)}: {problem}"
    after_block = problem.startswith("expected <block end>")  # the pure-Python parser's words for the same two slips
    if (problem == "did not find expected key" or after_block) and "block mapping" in context:
        return _misplaced(lines, line, col, context_line, offset)
    if problem == "did not find expected '-' indicator" or (after_block and "block collection" in context):
        return (
            f"line {n(line)} is not indented like the items of the list it belongs to (line {n(context_line)}): "
            "start it with '- ' at their column, or indent it under an item"
        )
    if problem.startswith("mapping values are not allowed"):
        return (
            f"line {n(line)} holds ': ' where no key can start: if it is part of a text, put the whole text in quotes; "
            "if it is a key, indent it like the keys beside it"
        )
    if problem == "could not find expected ':'":
        return f"line {n(context_line)} has no ':' after its key (or a text goes on over several lines): write 'key: value'"
    if problem == "found unexpected end of stream" and "quoted scalar" in context:
        return f"the quoted text that starts on line {n(context_line)} is never closed: add the closing quote"
    if problem.startswith("did not find expected ','"):
        closing = problem[-2]
        kind = "list in brackets" if closing == "]" else "mapping in braces"
        return f"the {kind} that starts on line {n(context_line)} is not closed with '{closing}' (or its items lack a ',' between them)"
    if problem == "found unknown escape character":
        return f"line {n(line)}: a double-quoted text holds an unknown escape with '\\'; use single quotes, or write a backslash as '\\\\'"
    if problem == "found character that cannot start any token" and here[col : col + 1] in ("@", "`", "%"):
        return f"line {n(line)}: in YAML a value cannot start with '{here[col]}'; put the whole value in quotes"
    if "alias" in context or "anchor" in context:
        return f"line {n(line)}: a value that starts with '*' or '&' reads as a YAML alias or anchor; put the whole value in quotes"
    return None


def _misplaced(lines: list[str], line: int, col: int, mapping_line: int, offset: int) -> str:
    """A block mapping found something where its next key should be: an indentation slip, or text after a value."""
    n = line + 1 + offset
    here = lines[line] if line < len(lines) else ""
    indent = len(here) - len(here.lstrip(" "))
    if col > indent:  # something follows a value on the same line
        return (
            f"line {n} goes on after a value that YAML reads as complete (a quoted text, a list in brackets or a mapping "
            "in braces): put the whole value in quotes"
        )
    above = _line_above(lines, line, lambda level, text: level > indent and text.startswith("- "))
    if here.lstrip().startswith("- ") or here.strip() == "-":
        if above is not None and above[1] > indent:
            return f"line {n} is indented less than the list it belongs to (line {above[0] + 1 + offset})"
        mapping_at = mapping_line + 1 + offset
        return f"line {n} starts a list item where the mapping of line {mapping_at} expects a key: indent the list under its key"
    mapping = lines[mapping_line] if mapping_line < len(lines) else ""
    keys_at = len(mapping) - len(mapping.lstrip(" -"))
    deeper = _line_above(lines, line, lambda level, _: level > indent)
    if indent > keys_at and deeper is not None:
        return (
            f"line {n} is indented between the keys of line {mapping_line + 1 + offset} (column {keys_at + 1}) and those of "
            f"line {deeper[0] + 1 + offset} (column {deeper[1] + 1}): align it with the keys it belongs to"
        )
    where = "less" if indent < keys_at else "more"
    return f"line {n} is indented {where} than the other keys of the mapping it belongs to (line {mapping_line + 1 + offset})"


def _line_above(lines: list[str], line: int, wanted: Callable[[int, str], bool]) -> tuple[int, int] | None:
    """The nearest line above `line`, not blank nor a comment, for which `wanted(indent, text)` holds: (its index, its indent).

    The search stops at the first line indented no deeper than `line` itself: what lies above it belongs elsewhere.
    """
    here = lines[line] if line < len(lines) else ""
    indent = len(here) - len(here.lstrip(" "))
    for index in range(line - 1, -1, -1):
        text = lines[index]
        stripped = text.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        level = len(text) - len(stripped)
        if wanted(level, stripped):
            return index, level
        if level <= indent:
            return None
    return None
