"""YAML syntax errors in plain words, at the line to fix: one golden message per kind of slip."""

from __future__ import annotations

import pytest

from okrsite.content.errors import Problems
from okrsite.content.source import parse_yaml

GOLDEN = {
    "a list item indented less than its list": (
        "objectives:\n  - id: a\n    key_results:\n      - id: k\n        title: t\n     - id: j\n",
        "6:6: error[yaml-syntax]: line 6 is indented less than the list it belongs to (line 4)",
    ),
    "a key between two levels": (
        "a:\n    b: 1\n  c: 2\n",
        "3:3: error[yaml-syntax]: line 3 is indented between the keys of line 1 (column 1) and those of line 2 (column 5): "
        "align it with the keys it belongs to",
    ),
    "a key indented less than its siblings": (
        "a:\n  b: 1\n  c:\n    d: 1\n   e: 2\n",
        "5:4: error[yaml-syntax]: line 5 is indented between the keys of line 2 (column 3) and those of line 4 (column 5): "
        "align it with the keys it belongs to",
    ),
    "a colon inside a text": (
        "title: Ratio: 3 to 1\n",
        "1:13: error[yaml-syntax]: line 1 holds ': ' where no key can start: if it is part of a text, put the whole text in quotes; "
        "if it is a key, indent it like the keys beside it",
    ),
    "a key without a colon": (
        "a: 1\nb\nc: 2\n",
        "2:1: error[yaml-syntax]: line 2 has no ':' after its key (or a text goes on over several lines): write 'key: value'",
    ),
    "a quote never closed": (
        'a: 1\ntitle: "abc\nb: 2\n',
        "2:8: error[yaml-syntax]: the quoted text that starts on line 2 is never closed: add the closing quote",
    ),
    "a bracket never closed": (
        "a: [1, 2\nb: 3\n",
        "1:4: error[yaml-syntax]: the list in brackets that starts on line 1 is not closed with ']' (or its items lack a ',' between them)",
    ),
    "a brace never closed": (
        "a: {b: 1\n",
        "1:4: error[yaml-syntax]: the mapping in braces that starts on line 1 is not closed with '}' "
        "(or its items lack a ',' between them)",
    ),
    "an unknown escape": (
        'a: "C:\\qtemp"\n',
        "1:4: error[yaml-syntax]: line 1: a double-quoted text holds an unknown escape with '\\'; "
        "use single quotes, or write a backslash as '\\\\'",
    ),
    "a tab": ("a:\n\tb: 1\n", "2:1: error[yaml-syntax]: found a tab character; YAML is indented with spaces only"),
    "a control character": (
        "a: b\x01c\n",
        "1:5: error[yaml-syntax]: found the control character U+0001, which YAML files cannot hold; remove it",
    ),
    "two documents": (
        "a: 1\n---\nb: 2\n",
        "2:1: error[yaml-documents]: found a second YAML document (after a '---' line); expected one per file",
    ),
    "a list where a key belongs": (
        "a: 1\n- b\n",
        "2:1: error[yaml-syntax]: line 2 starts a list item where the mapping of line 1 expects a key: indent the list under its key",
    ),
    "a key among list items": (
        "a:\n  - 1\n  b: 2\n",
        "3:3: error[yaml-syntax]: line 3 is not indented like the items of the list it belongs to (line 2): "
        "start it with '- ' at their column, or indent it under an item",
    ),
    "a text that starts with a star": (
        "title: *bold* move\n",
        "1:13: error[yaml-syntax]: line 1: a value that starts with '*' or '&' reads as a YAML alias or anchor; "
        "put the whole value in quotes",
    ),
    "a text that starts with @": (
        "title: @home\n",
        "1:8: error[yaml-syntax]: line 1: in YAML a value cannot start with '@'; put the whole value in quotes",
    ),
    "text after a closing quote": (
        "a: b\nd: 'x'y\n",
        "2:7: error[yaml-syntax]: line 2 goes on after a value that YAML reads as complete (a quoted text, a list in brackets "
        "or a mapping in braces): put the whole value in quotes",
    ),
    "an alias to nothing": ("a: *x\n", "1:4: error[yaml-alias]: found the alias *x, which names no anchor (&x) above it"),
}


@pytest.mark.parametrize("name", list(GOLDEN))
def test_syntax_error_in_plain_words(name):
    text, expected = GOLDEN[name]
    problems = Problems()
    parse_yaml(text, "f.yml", problems)
    assert [str(p) for p in problems.items] == [f"f.yml:{expected}"]


def test_front_matter_lines_count_from_the_top_of_the_markdown_file():
    problems = Problems()
    parse_yaml("a:\n    b: 1\n  c: 2\n", "x.md", problems, line_offset=1)
    assert str(problems.items[0]).startswith("x.md:4:3: error[yaml-syntax]: line 4 is indented between the keys of line 2")


@pytest.mark.parametrize("text", ["[" * 300_000 + "]" * 300_000, "- " * 200_000 + "x\n", "{a: " * 100_000 + "1" + "}" * 100_000])
def test_nesting_a_million_deep_is_an_error_not_a_crash(text):
    """PyYAML's C composer overflows the stack on such a file and kills the process; the loader counts the depth."""
    problems = Problems()
    assert parse_yaml(text, "f.yml", problems) is None
    assert [p.code for p in problems.items] == ["yaml-too-large"]
    assert "nested more than 64 levels deep" in problems.items[0].message


def test_a_control_character_after_wide_characters_is_placed_by_character_not_by_byte():
    problems = Problems()
    parse_yaml("# ééééééééééé\na: \x07\n", "f.yml", problems)
    assert str(problems.items[0]).startswith("f.yml:2:4: error[yaml-syntax]: found the control character U+0007")
