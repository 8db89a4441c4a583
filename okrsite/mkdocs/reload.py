"""Exact partial rebuilds under `serve`: MkDocs renders only the pages that changed, and the site stays a full build's.

MkDocs' dirty build renders a page only when its file says it is modified. A page's
output is made of its own Markdown and of what every page shows: the nav (titles,
URLs, order), the configuration and the theme. So a generated file is modified when
its content differs from the last build's, a hand-written page when the site's
files are not the same ones (its links may point elsewhere), and every file when
anything that every page shows changed. A hand-written page that is not rendered
keeps the title it had, for the nav of the pages that are. The search index is put
together from each page's entries (kept from the build that last rendered the page)
in the order of a full build, and the outputs of files gone since the last build
are removed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure import StructureItem
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

SEARCH_INDEX = Path("search", "search_index.json")
"""Where MkDocs' and Material's search plugins write their index."""


class Tracked(File):
    """A file whose `is_modified` (which MkDocs' dirty build asks) the reload decides."""

    reload: Reload

    def is_modified(self) -> bool:
        return self.reload.renders(self)


@dataclass
class Reload:
    """What the last successful build was made of, and what this build renders again."""

    everything: bool = True
    """Whether every file is rendered (the first build; something every page shows changed)."""
    listing_changed: bool = True
    """Whether the site's files are not those of the last build (hand-written pages are rendered again)."""
    changed: set[str] = field(default_factory=set)
    """Generated files whose content differs from the last build's."""
    exact_search: bool = True
    """False once the search index has a form the reload cannot put together: then every build renders every page."""
    contents: dict[str, str | bytes] = field(default_factory=dict)
    made: dict[str, str | bytes] = field(default_factory=dict)
    shared: object = None
    listing: tuple[str, ...] = ()
    titles: dict[str, str | None] = field(default_factory=dict)
    """Each hand-written page's title in the last build."""
    entries: dict[str, list[str]] = field(default_factory=dict)
    """Each page's search entries (by URL), as the index writes them."""
    outputs: set[str] = field(default_factory=set)
    """Where the last build wrote its files."""
    rendered: set[str] = field(default_factory=set)
    """The pages this build rendered (the plugin notes each)."""
    pending: tuple[tuple[object, ...], tuple[str, ...], Navigation] = ((), (), Navigation([], []))
    """This build's shared parts and files, remembered once it succeeds."""

    def generated(self, config: MkDocsConfig, uri: str, content: str | bytes) -> File:
        """A generated file, modified when its content is not the last build's."""
        file = Tracked.generated(config, uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV)
        assert isinstance(file, Tracked)  # File.generated makes an instance of the class it is called on
        file.reload = self
        self.made[uri] = content
        if self.contents.get(uri) != content:
            self.changed.add(uri)
        return file

    def begin(self) -> None:
        """A build starts: nothing is made or rendered yet."""
        self.made, self.changed, self.rendered = {}, set(), set()

    def adopt(self, files: Files) -> None:
        """Hand-written pages become tracked too (MkDocs' own rule, by modification time, would miss nav changes)."""
        for file in files.documentation_pages(inclusion=InclusionLevel.is_in_serve):
            if not file.generated_by:
                file.__class__ = Tracked
                assert isinstance(file, Tracked)
                file.reload = self

    def renders(self, file: File) -> bool:
        if self.everything:
            return True
        if file.generated_by:
            return file.src_uri in self.changed
        return self.listing_changed

    def on_nav(self, nav: Navigation, files: Files, config: MkDocsConfig) -> None:
        """Decide whether every page is rendered: when the nav, the configuration, the theme or a hand-written page changed."""
        hand_written = [f for f in files if not f.generated_by and f.abs_src_path and f.is_documentation_page()]
        listing = tuple(f.src_uri for f in files)
        shared = (
            _stat_digest([Path(config.config_file_path or "mkdocs.yml")]),
            _stat_digest([Path(f.abs_src_path or "") for f in hand_written]),
            _stat_digest(_files_under(config.theme.custom_dir)),
            _nav_key(nav.items, self.titles),
        )
        self.everything = not self.exact_search or shared != self.shared
        self.listing_changed = listing != self.listing
        self.pending = (shared[:-1], listing, nav)
        if not self.everything:
            for page in nav.pages:
                if not page.file.generated_by and "title" not in vars(page):
                    page.title = self.titles.get(page.file.src_uri)

    def finish(self, config: MkDocsConfig, files: Files) -> None:
        """The build succeeded: put the search index together, remove outputs of files gone, and remember this build."""
        pages = [f.page for f in files.documentation_pages(inclusion=InclusionLevel.is_in_serve) if f.page is not None]
        self.exact_search = self.exact_search and _merge_search(Path(config.site_dir) / SEARCH_INDEX, pages, self.rendered, self.entries)
        outputs = {f.abs_dest_path for f in files}
        for gone in sorted(self.outputs - outputs):
            _remove(Path(gone), Path(config.site_dir))
        self.outputs = outputs
        self.titles = {p.file.src_uri: p.title for p in pages if not p.file.generated_by}
        self.contents = self.made
        shared, self.listing, nav = self.pending
        self.shared = (*shared, _nav_key(nav.items, self.titles))  # with the titles the hand-written pages had


def _merge_search(path: Path, pages: list[Page], rendered: set[str], entries: dict[str, list[str]]) -> bool:
    """Write the index as a full build would, from the entries of the pages rendered now and kept ones of the others.

    False if the index is not of a form known to be put together byte for byte like its plugin writes it.
    """
    if not path.is_file():
        return True
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    if not isinstance(data, dict) or set(data) != {"config", "docs"} or not isinstance(data["docs"], list):
        return False
    dump = next((d for d in _DUMPS if d(data) == text), None)
    if dump is None:
        return False
    fresh: dict[str, list[str]] = {}
    for entry in data["docs"]:
        fresh.setdefault(str(entry.get("location", "")).split("#", 1)[0], []).append(dump(entry))
    urls = [page.url for page in pages]
    if not fresh.keys() <= set(urls):
        return False
    for page in pages:
        if page.file.src_uri in rendered:
            entries[page.url] = fresh.get(page.url, [])
    for url in entries.keys() - set(urls):
        del entries[url]
    docs = ",".join(fragment for url in urls for fragment in entries.get(url, []))
    merged = dump({**data, "docs": [0]}).replace('"docs":[0]', f'"docs":[{docs}]', 1)
    if merged != text:
        path.write_text(merged, encoding="utf-8")
    return True


_DUMPS: list[Callable[[Any], str]] = [
    partial(json.dumps, separators=(",", ":"), default=str),  # Material's search
    partial(json.dumps, separators=(",", ":"), default=str, sort_keys=True),  # MkDocs' own
]


def _nav_key(items: Iterable[StructureItem], titles: dict[str, str | None]) -> tuple[object, ...]:
    """What the nav shows on every page: each entry's kind, title and URL, in order."""
    key: list[object] = []
    for item in items:
        if isinstance(item, Section):
            key.append(("section", item.title, _nav_key(item.children, titles)))
        elif isinstance(item, Page):
            title = vars(item).get("title", titles.get(item.file.src_uri))
            key.append(("page", title, item.url))
        elif isinstance(item, Link):
            key.append(("link", item.title, item.url))
    return tuple(key)


def _files_under(folder: str | None) -> list[Path]:
    return sorted(p for p in Path(folder).rglob("*") if p.is_file()) if folder and Path(folder).is_dir() else []


def _stat_digest(paths: Iterable[Path]) -> str:
    """A digest of each file's path, size and modification time: any edit changes it."""
    digest = hashlib.blake2b(digest_size=16)
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            digest.update(f"{path}\0missing\0".encode("utf-8", "surrogateescape"))
            continue
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _remove(path: Path, site: Path) -> None:
    """A file an earlier build wrote into the served site, and the folders it leaves empty."""
    path.unlink(missing_ok=True)
    folder = path.parent
    while folder != site and folder.is_relative_to(site) and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
