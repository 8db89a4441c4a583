"""What would make a reader's browser call another host: found in content, reported, and kept out of the site.

Readers are on an intranet with no internet: an image from another host shows as
a broken frame after a wait, and tells that host who reads what. A site names its
own intranet hosts (`allowed_hosts`); anything else is an external resource:
`okrsite check` warns where content or a hand-written page asks for one, content
shows the image's alt text instead, and every built page is cleared of loads
from other hosts as a last line of defence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .errors import Loc, Problem
from .model import Organisation

CODE = "external-resource"

_MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
_REFERENCE = re.compile(r"^\s{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_REFERENCED_IMAGE = re.compile(r"!\[([^\]]*)\]\[([^\]]*)\]")
_LOADING_ATTRIBUTE = re.compile(
    r"<(?:img|iframe|embed|object|video|audio|source|track|script|input|image|use|frame)\b[^>]*?\s"
    r"(?:src|srcset|data|poster|href|xlink:href)\s*=\s*[\"']?([^\"'\s>]+)",
    re.IGNORECASE,
)
_STYLESHEET = re.compile(r"<link\b[^>]*?\shref\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)
_CSS_URL = re.compile(r"(?:url\(\s*[\"']?|@import\s+[\"'])([^\"')\s]+)", re.IGNORECASE)
_SCHEMES = ("http", "https", "ftp", "ws", "wss")


@dataclass(frozen=True)
class Hosts:
    """The hosts a site may load from besides its own (names, any case)."""

    allowed: frozenset[str] = frozenset()

    @classmethod
    def of(cls, names: Iterable[str]) -> Hosts:
        return cls(frozenset(name.strip().lower().rstrip(".") for name in names))

    def foreign(self, url: str) -> str | None:
        """The other host `url` loads from, or None for the site's own files and allowed hosts."""
        parts = urlsplit(url.strip())
        if parts.scheme.lower() not in ("", *_SCHEMES) or not parts.netloc:
            return None  # a relative path, a fragment, data: or mailto:
        host = (parts.hostname or parts.netloc).lower().rstrip(".")
        return None if host in self.allowed else host


def loads(text: str) -> Iterator[tuple[int, str]]:
    """(offset, URL) of everything `text` (Markdown with HTML and CSS) would have a browser load."""
    references = {m.group(1).lower(): (m.start(2), m.group(2)) for m in _REFERENCE.finditer(text)}
    for match in _MARKDOWN_IMAGE.finditer(text):
        yield match.start(1), match.group(1)
    for match in _REFERENCED_IMAGE.finditer(text):
        label = (match.group(2) or match.group(1)).lower()
        if label in references:
            yield references[label]
    for pattern in (_LOADING_ATTRIBUTE, _STYLESHEET, _CSS_URL):
        for match in pattern.finditer(text):
            yield match.start(1), match.group(1)


def content_warnings(org: Organisation, hosts: Hosts) -> list[Problem]:
    """A warning at every place in the content that asks for a resource from another host (any field, and narratives).

    The files' text is searched, not the model: the URL's own line and column, at the speed of a regular expression.
    """
    found: list[Problem] = []
    for team in org.teams.values():
        for obj in (team, *team.documents.values()):
            source = obj.source
            if source is not None:
                found += text_warnings(source.text, source.file, 1 + source.line_offset, hosts)
                found += text_warnings(source.body, source.file, source.body_line, hosts)
    return found


def text_warnings(text: str, file: str, first_line: int, hosts: Hosts) -> list[Problem]:
    """A warning for each load from another host in a text whose first line is `first_line` of `file` (YAML comments aside)."""
    found = []
    for offset, url in loads(text) if "//" in text else ():
        host = hosts.foreign(url)
        start = text.rfind("\n", 0, offset) + 1
        if host is not None and not text[start:offset].lstrip().startswith("#"):
            line = first_line + text.count("\n", 0, offset)
            found.append(_warning(Loc(file, line, offset - start + 1), url, host))
    return found


def docs_warnings(docs: Path, shown_as: str, hosts: Hosts) -> list[Problem]:
    """The same for the hand-written pages under `docs` (their paths shown from `shown_as`)."""
    found: list[Problem] = []
    for path in sorted(docs.rglob("*")) if docs.is_dir() else []:
        if path.suffix.lower() in (".md", ".html", ".htm", ".css") and path.is_file() and not path.is_symlink():
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue  # MkDocs reports a page it cannot read
            found += text_warnings(text, f"{shown_as}/{path.relative_to(docs).as_posix()}", 1, hosts)
    return found


def _warning(loc: Loc, url: str, host: str) -> Problem:
    shown = url if len(url) <= 80 else url[:77] + "..."
    message = (
        f"this loads {shown} from {host}, another host: readers on the intranet would wait for it in vain, so the site does "
        "not load it. Put the file beside the site, or name the host in the okrsite plugin's allowed_hosts"
    )
    return Problem(loc, "warning", CODE, message)


_LOADING_TAGS = "img|iframe|embed|object|video|audio|source|track|script|input|image|use|frame"
_ATTRIBUTE_LOAD = re.compile(
    rf"(<(?:{_LOADING_TAGS})\b[^>]*?\s)(src|srcset|data|poster|href|xlink:href)(\s*=\s*)([\"'])(.*?)\4", re.IGNORECASE | re.DOTALL
)
_LINK = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_LINK_HREF = re.compile(r"(\s)(href)(\s*=\s*)([\"'])(.*?)\4", re.IGNORECASE | re.DOTALL)
_LOADING_RELS = frozenset(("stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest", "preconnect", "dns-prefetch"))
_LINK_REL = re.compile(r"\srel\s*=\s*[\"']?([^\"'>]+)", re.IGNORECASE)
_MAYBE_FOREIGN = re.compile(r"(?:\s(?:src|srcset|data|poster|href|xlink:href)\s*=\s*[\"']?)(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


def block_loads(html: str, hosts: Hosts) -> tuple[str, list[str]]:
    """`html` with every load from another host made inert (`src` becomes `data-okrsite-blocked-src`), and the URLs blocked.

    The page keeps its markup; the browser only has nothing to fetch. Links to other pages (`<a href>`) and
    `<link>`s that load nothing (canonical, alternate) are navigation, not loads, and stay.
    """
    if not _MAYBE_FOREIGN.search(html):
        return html, []  # most pages: nothing that could load from anywhere else
    blocked: list[str] = []

    def inert(match: re.Match[str]) -> str:
        """The attribute of `match` (groups: before it, its name, '=', the quote, its value), renamed when it loads from elsewhere."""
        prefix, attribute, equals, quote, value = match.groups()
        urls = [part.split()[0] for part in value.split(",") if part.strip()] if attribute.lower() == "srcset" else [value]
        foreign = [url for url in urls if hosts.foreign(url) is not None]
        blocked.extend(foreign)
        name = f"data-okrsite-blocked-{attribute}" if foreign else attribute
        return f"{prefix}{name}{equals}{quote}{value}{quote}"

    def link(match: re.Match[str]) -> str:
        tag = match.group(0)
        rel = _LINK_REL.search(tag)
        if rel is None or not _LOADING_RELS & set(rel.group(1).lower().split()):
            return tag
        return _LINK_HREF.sub(inert, tag)

    html = _ATTRIBUTE_LOAD.sub(inert, html)
    return _LINK.sub(link, html), blocked
