"""okrsite's sections in MkDocs' nav, added in `on_nav` to the nav MkDocs built from the site's own `nav:`.

Without a `nav:`, okrsite's sections come first and the hand-written pages after them (okrsite's Home is the
home page). With one, the site's entries stay as written, its own Home entry included: an okrsite page the
site lists itself stays where it is, and the other sections go where an entry `okrsite` stands in the
`nav:`, or else after the site's own entries.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure import StructureItem
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

from ..site.builder import NavEntry
from ..site.urls import HOME

PLACEHOLDER = "okrsite"
"""A `nav:` entry that says where okrsite's sections go."""


class QuietPlaceholder(logging.Filter):
    """MkDocs reports the placeholder as a link to a page it cannot find; it is not one."""

    def filter(self, record: logging.LogRecord) -> bool:
        return f"A reference to '{PLACEHOLDER}' is included in the 'nav'" not in record.getMessage()


_QUIET = QuietPlaceholder()


def quiet_placeholder() -> None:
    """Keep MkDocs' nav logger from reporting the placeholder (once per process, however many builds)."""
    logging.getLogger("mkdocs.structure.nav").addFilter(_QUIET)  # adding the same filter twice keeps one


Item = StructureItem


def with_okrsite(nav: Navigation, entries: list[NavEntry], files: Files, config: MkDocsConfig) -> Navigation:
    if config.nav is None:  # MkDocs listed the hand-written pages; the generated ones are not in its nav
        theirs = [item for item in nav.items if not (isinstance(item, Page) and item.file.src_uri == HOME)]
        items = _items(entries, files, config) + theirs
    else:
        placed = {page.file.src_uri for page in nav.pages}
        items = _spliced(nav.items, _items(_unplaced(entries, placed), files, config))
    _link(items, None)
    pages = list(_pages(items))
    for before, page, after in zip([None, *pages[:-1]], pages, [*pages[1:], None], strict=True):
        page.previous_page, page.next_page = before, after
    return Navigation(items, pages)


def _unplaced(entries: list[NavEntry], placed: set[str]) -> list[NavEntry]:
    """The entries whose pages the site's nav does not list already; a section left empty goes too."""
    kept = []
    for entry in entries:
        if entry.children:
            children = _unplaced(entry.children, placed)
            if children:
                kept.append(NavEntry(entry.title, entry.src_uri, children))
        elif entry.src_uri not in placed:
            kept.append(entry)
    return kept


def _items(entries: list[NavEntry], files: Files, config: MkDocsConfig) -> list[Item]:
    """Sections and pages of MkDocs for the entries. Themes print nav titles unescaped, so they are escaped here."""
    items: list[Item] = []
    for entry in entries:
        title = html.escape(entry.title)
        if entry.children:
            items.append(Section(title, list(_items(entry.children, files, config))))
        elif entry.src_uri is not None and (file := files.get_file_from_path(entry.src_uri)) is not None:
            items.append(Page(title, file, config))  # the page of the file from now on, with this title
    return items


def _spliced(items: list[Item], ours: list[Item]) -> list[Item]:
    """The site's items with ours where its `okrsite` entry stands, or after them all."""

    def splice(level: list[Item]) -> tuple[list[Item], bool]:
        out: list[Item] = []
        done = False
        for item in level:
            if not done and isinstance(item, Link) and item.url == PLACEHOLDER:
                out += ours
                done = True
                continue
            if not done and isinstance(item, Section):
                item.children, done = splice(item.children)
            out.append(item)
        return out, done

    spliced, done = splice(items)
    return spliced if done else spliced + ours


def _link(items: list[Item], parent: Section | None) -> None:
    for item in items:
        item.parent = parent
        if isinstance(item, Section):
            _link(item.children, item)


def _pages(items: list[Item]) -> Iterator[Page]:
    for item in items:
        if isinstance(item, Page):
            yield item
        elif isinstance(item, Section):
            yield from _pages(item.children)
