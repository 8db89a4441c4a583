"""HTML blocks set aside while the engine renders a page, and put back into its output.

The generated pages are mostly HTML that okrsite has already escaped and linked.
Markdown would only re-parse it, and Material's search would index every table
cell and chart label, so the plugin hands MkDocs a skeleton (headings and prose,
which feed the table of contents and the search) with a marker per HTML block,
then puts the blocks back into the finished page. What readers search for inside
a block (names, initiatives, notes, lessons: the elements a template marks
`data-okr-search`) goes into the skeleton as plain text after its marker, for the
engine's search index, and leaves with the marker.

A marker carries a key made from the page itself, and only markers with that
key are replaced: text that merely looks like a marker (in a hand-written page,
a page title in the nav, the site's copyright line) stays as it is.

MkDocs reads every page before it renders the first, so every page's blocks
wait at once: they wait compressed (a tenth of their size), or a site of
2,000 teams would hold gigabytes of HTML.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

_VOID = "area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr"
_OPENING = re.compile(rf"<(?!(?:{_VOID})\b)[a-zA-Z][\w:-]*(?:\s[^>]*)?(?<!/)>", re.IGNORECASE)
"""A start tag of an element that needs an end tag: not void, not self-closing."""
_CLOSING = re.compile(r"</[a-zA-Z]")
_SEARCHED = re.compile(r"<([a-zA-Z][\w-]*)\b[^>]*\sdata-okr-search\b[^>]*>")
_TAG = re.compile(r"<[^>]*>")
_START = re.compile(r"<[a-zA-Z][\w:-]*(?=[\s/>]|$)")
"""The name of a start tag at the start of a line."""


@dataclass(frozen=True)
class Blocks:
    """The HTML blocks of one page, compressed, and the key of their markers."""

    key: str
    packed: bytes = b""
    """The blocks one after the other, UTF-8, compressed: unpacked once, when the page is put back together."""
    lengths: tuple[int, ...] = ()
    """Each block's length in characters."""

    @classmethod
    def of(cls, key: str, items: list[str]) -> Blocks:
        return cls(key, zlib.compress("".join(items).encode(), 1), tuple(map(len, items))) if items else cls(key)

    @property
    def items(self) -> list[str]:
        if not self.lengths:
            return []
        text = zlib.decompress(self.packed).decode()
        return [text[start:end] for start, end in itertools.pairwise((0, *itertools.accumulate(self.lengths)))]

    def marker(self, index: int) -> str:
        return f"<!--okrsite-block-{self.key}-{index}-->"

    def searched(self, text: str) -> str:
        """`text` (HTML-escaped already) as the skeleton carries it after a marker, for search only."""
        return f'<div data-okrsite-search="{self.key}">{text}</div>'


def set_aside(markdown: str) -> tuple[str, Blocks]:
    """The page with each top-level HTML block replaced by a marker, and the blocks in order."""
    lines = markdown.split("\n")
    out: list[str] = []
    blocks = Blocks(hashlib.blake2b(markdown.encode(), digest_size=8).hexdigest())
    items: list[str] = []
    done, searched = 0, True
    for start, end in _html_blocks(lines):
        block = "\n".join(lines[start:end])
        if not searched and not any(line.strip() for line in lines[done:start]):
            items[-1] += "\n\n" + block  # only blank lines after a block with nothing searched: one marker for both
        else:
            out += lines[done:start]
            out.append(blocks.marker(len(items)))
            items.append(block)
        searched = bool(text := search_text(block))
        if text:
            out.append(blocks.searched(text))
        if end < len(lines) and lines[end].strip():
            out.append("")  # what follows is Markdown again, in a paragraph of its own
        done = end
    out += lines[done:]
    return "\n".join(out), Blocks.of(blocks.key, items)


def searched_as_built(markdown: str) -> str:
    """The page for an engine that indexes whole pages: the elements of each HTML block whose text okrsite's build keeps
    out of its search (a block with no element marked `data-okr-search`) get `data-search-exclude`, which Material's and
    Zensical's search skip. Their index then holds what okrsite's does, and a long list (every team's changes)
    stays within Zensical's limit on a section's text.

    Material's search tells elements apart by their tag only: an excluded `<ul>` is searched again from the end of a
    `<ul>` inside it on, and the parser fails at the next `</li>`. So an element that holds one of its own kind is
    left as it is (searched), as is an element that does not start its line.
    """
    lines = markdown.split("\n")
    for start, end in _html_blocks(lines):
        if search_text("\n".join(lines[start:end])):
            continue
        first = start
        while first < end:
            last, depth = first, _depth(lines[first])
            while depth > 0 and last + 1 < end:
                last += 1
                depth += _depth(lines[last])
            element = "\n".join(lines[first : last + 1])
            tag = _START.match(element)
            if tag and "data-search-exclude" not in element[: element.find(">") + 1]:
                inner = re.compile(rf"<{re.escape(tag[0][1:])}[\s/>]", re.IGNORECASE)
                if not inner.search(element, tag.end()):
                    lines[first] = f"{lines[first][: tag.end()]} data-search-exclude{lines[first][tag.end() :]}"
            first = last + 1
    return "\n".join(lines)


def _html_blocks(lines: list[str]) -> Iterator[tuple[int, int]]:
    """The top-level HTML blocks of a page, as (first line, line after the last).

    A block starts with a tag at the start of a line after a blank line, and ends
    where every element it opened is closed and the next line is not a tag: a
    Markdown line right after it (a heading, say) stays Markdown.
    """
    i = 0
    while i < len(lines):
        line = lines[i]
        if not (line.startswith("<") and not line.startswith("<!--") and (i == 0 or not lines[i - 1].strip())):
            i += 1
            continue
        depth, end, counted = 0, i, i
        while end < len(lines):
            end += 1
            if end == len(lines) or not lines[end].startswith("<"):  # where the block may end: count the lines up to here
                depth += _depth("\n".join(lines[counted:end]))
                counted = end
                if depth <= 0:
                    break
        yield i, end
        i = end


def put_back(html: str, blocks: Blocks) -> str:
    """The engine's output with each of the page's markers replaced by its block."""
    if not blocks.lengths:
        return html
    items = blocks.items
    marker = re.compile(rf'<!--okrsite-block-{blocks.key}-(\d+)-->(?:\s*<div data-okrsite-search="{blocks.key}">[^<]*</div>)?')
    return marker.sub(lambda match: items[int(match.group(1))] if int(match.group(1)) < len(items) else match[0], html)


def _depth(html: str) -> int:
    """Open elements left at the end of `html` (0 when every element it opens is closed)."""
    return len(_OPENING.findall(html)) - len(_CLOSING.findall(html))


def search_text(block: str) -> str:
    """The text of the elements in `block` marked `data-okr-search`, as it stands in the HTML (escaped), one space apart."""
    found, at = [], 0
    while match := _SEARCHED.search(block, at):
        at = _end_of(block, match.group(1), match.end())
        found.append(" ".join(_TAG.sub(" ", block[match.end() : at]).split()))
    return " · ".join(text for text in found if text)


def _end_of(html: str, tag: str, start: int) -> int:
    """Where the element `tag` that opens just before `start` closes (the end of `html` if it never does)."""
    depth = 1
    for match in re.finditer(rf"<(/?){tag}\b[^>]*>", html[start:]):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return start + match.start()
    return len(html)
