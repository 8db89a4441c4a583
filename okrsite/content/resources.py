"""What would make a reader's browser call another host: found in content, reported, and kept out of the site.

Readers are on an intranet with no internet: an image from another host shows as
a broken frame after a wait, and tells that host who reads what. A site names its
own intranet hosts (`allowed_hosts`); anything else is an external resource:
`okrsite check` warns where content or a hand-written page asks for one, content
shows the image's alt text instead, and every built page is cleared of loads
from other hosts as a last line of defence.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import Loc, Problem
from .model import Organisation

CODE = "external-resource"

# Each pattern stops at the next '<' or '[' that could start another match, so a scan is linear in the text's length.
_MARKDOWN_IMAGE = re.compile(r"!\[[^\[\]]*\]\(\s*<?([^()\s<>]+)")
_REFERENCE = re.compile(r"^ {0,3}\[([^\[\]\n]+)\]:[ \t]*<?([^\s<>]+)", re.MULTILINE)
_REFERENCED_IMAGE = re.compile(r"!\[([^\[\]\n]*)\]\[([^\[\]\n]*)\]")
_TAG = re.compile(r"<([a-zA-Z][\w:-]*)([^<>]*)")
"""A start tag: its name and its attributes, up to its '>' (or the next '<', where a browser would give up too)."""
_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_STYLE_BLOCK = re.compile(r"<style\b[^<>]*>([^<]*)", re.IGNORECASE)
_CSS_URL = re.compile(r"""(?:url\(\s*|@import\s+(?=["']))("[^"\n]*"|'[^'\n]*'|[^"'()\s]+)""", re.IGNORECASE)
_LOADING_ATTRIBUTES = frozenset(("src", "srcset", "poster", "data", "background", "lowsrc", "manifest", "ping", "xlink:href"))
"""Attributes that make a browser fetch, on any element."""
_HREF_LOADS = frozenset(("base", "image", "use", "feimage", "script"))
"""Elements whose `href` is fetched (a `<link>` too, for the relations in _LOADING_RELS); an `<a href>` is navigation."""
_LOADING_RELS = frozenset(
    ("stylesheet", "icon", "preload", "prefetch", "prerender", "modulepreload", "manifest", "preconnect", "dns-prefetch")
)
_SCHEMES = frozenset(("http", "https", "ftp", "ws", "wss"))
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]")


@dataclass(frozen=True)
class Hosts:
    """The hosts a site may load from besides its own (names, any case)."""

    allowed: frozenset[str] = frozenset()

    @classmethod
    def of(cls, names: Iterable[str]) -> Hosts:
        return cls(frozenset(name.strip().lower().rstrip(".") for name in names))

    def foreign(self, url: str) -> str | None:
        """The other host `url` loads from, or None for the site's own files and allowed hosts."""
        host = host_of(url)
        return None if host is None or host in self.allowed else host


def host_of(url: str) -> str | None:
    """The host `url` loads from, None for a path of the site's own (or a data:, mailto: or javascript: URL).

    Read as a browser reads it: entities decoded, spaces and control characters dropped, `\\` as `/`,
    and `https:host` as `https://host`.
    """
    cleaned = _INVISIBLE.sub("", html.unescape(url)).replace("\\", "/")
    scheme = _SCHEME.match(cleaned)
    if scheme is not None:
        if scheme.group(1).lower() not in _SCHEMES:
            return None  # data:, mailto:, javascript: (which content never keeps)
        rest = cleaned[scheme.end() :].lstrip("/")
    elif cleaned.startswith("//"):
        rest = cleaned.lstrip("/")
    else:
        return None  # a path of the site's own
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0].rsplit("@", 1)[-1]
    return re.sub(r":[0-9]*$", "", authority).lower().rstrip(".") or "an unnamed host"


def loads(text: str) -> Iterator[tuple[int, str]]:
    """(offset, URL) of everything `text` (Markdown with HTML and CSS) would have a browser load."""
    references = {m.group(1).lower(): (m.start(2), m.group(2)) for m in _REFERENCE.finditer(text)}
    for match in _MARKDOWN_IMAGE.finditer(text):
        yield match.start(1), match.group(1)
    for match in _REFERENCED_IMAGE.finditer(text):
        label = (match.group(2) or match.group(1)).lower()
        if label in references:
            yield references[label]
    for match in _TAG.finditer(text):
        for start, _, value in _tag_loads(match):
            yield start, value
    for match in _STYLE_BLOCK.finditer(text):
        for url in _CSS_URL.finditer(match.group(1)):
            yield match.start(1) + url.start(1), _unquoted(url.group(1))


def _tag_loads(tag: re.Match[str]) -> Iterator[tuple[int, int, str]]:
    """(start, end, value) of each attribute value of a start tag that a browser would fetch, CSS in `style` included."""
    name = tag.group(1).lower()
    attributes = list(_ATTRIBUTE.finditer(tag.group(2)))
    loading_link = name == "link" and any(
        a.group(1).lower() == "rel" and _LOADING_RELS & set(_unquoted(a.group(2) or "").lower().split()) for a in attributes
    )
    for attribute in attributes:
        key, raw = attribute.group(1).lower(), attribute.group(2)
        if raw is None:
            continue
        start = tag.start(2) + attribute.start(2) + (raw[:1] in "\"'")
        value = _unquoted(raw)
        if key == "style":
            for url in _CSS_URL.finditer(value):
                yield start + url.start(1), start + url.end(1), _unquoted(url.group(1))
        elif key == "srcdoc":  # a whole page in an attribute: what it loads, the attribute loads
            yield from ((start, start + len(value), url) for _, url in loads(html.unescape(value)))
        elif key in _LOADING_ATTRIBUTES or (key == "href" and (name in _HREF_LOADS or loading_link)):
            if key == "srcset":
                yield from ((start, start + len(value), part.split()[0]) for part in value.split(",") if part.strip())
            else:
                yield start, start + len(value), value


def _unquoted(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'" else value


def content_warnings(org: Organisation, hosts: Hosts, team_ids: Iterable[str] | None = None) -> list[Problem]:
    """A warning at every place in the content (of these teams' files, if given) that asks for a resource from another
    host (any field, and narratives).

    The files' text is searched, not the model: the URL's own line and column, at the speed of a regular expression.
    """
    found: list[Problem] = []
    teams = org.teams.values() if team_ids is None else [org.teams[t] for t in team_ids if t in org.teams]
    for team in teams:
        for obj in (team, *team.documents.values()):
            source = obj.source
            if source is not None:
                found += text_warnings(source.text, source.file, 1 + source.line_offset, hosts)
                found += text_warnings(source.body, source.file, source.body_line, hosts)
    return found


def text_warnings(text: str, file: str, first_line: int, hosts: Hosts, css: bool = False) -> list[Problem]:
    """A warning for each load from another host in a text whose first line is `first_line` of `file` (YAML comments aside).

    `css`: the text is a stylesheet, whose `url()`s and `@import`s load.
    """
    found = []
    if css:
        found_loads: Iterable[tuple[int, str]] = ((url.start(1), _unquoted(url.group(1))) for url in _CSS_URL.finditer(text))
    else:
        found_loads = loads(text) if "<" in text or "![" in text else ()  # nothing else loads
    for offset, url in found_loads:
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
            name = f"{shown_as}/{path.relative_to(docs).as_posix()}"
            found += text_warnings(text, name, 1, hosts, css=path.suffix.lower() == ".css")
    return found


def _warning(loc: Loc, url: str, host: str) -> Problem:
    shown = url if len(url) <= 80 else url[:77] + "..."
    message = (
        f"this loads {shown} from {host}, another host: readers on the intranet would wait for it in vain, so the site does "
        "not load it. Put the file beside the site, or name the host in the okrsite plugin's allowed_hosts"
    )
    return Problem(loc, "warning", CODE, message)


def block_loads(page: str, hosts: Hosts) -> tuple[str, list[str]]:
    """`page` (built HTML) with every load from another host made inert, and the URLs blocked.

    An attribute that would fetch from elsewhere is renamed (`src` becomes `data-okrsite-blocked-src`), a
    URL in CSS becomes `about:invalid`: the page keeps its markup, the browser has nothing to fetch. Links
    to other pages (`<a href>`) and `<link>`s that load nothing (canonical, alternate) are navigation and stay.
    """
    blocked: list[str] = []
    if not _suspect(page, hosts):
        return page, blocked  # nothing on the page loads from another host
    edits: list[tuple[int, int, str]] = []
    for tag in _TAG.finditer(page):
        fetched = list(_tag_loads(tag))
        for attribute in _ATTRIBUTE.finditer(tag.group(2)):
            edits += _inert(tag, attribute, fetched, hosts, blocked)
    for block in _STYLE_BLOCK.finditer(page):
        edits += _css_inert(block.group(1), block.start(1), hosts, blocked)
    for start, end, text in sorted(edits, reverse=True):
        page = page[:start] + text + page[end:]
    return page, blocked


def _inert(
    tag: re.Match[str], attribute: re.Match[str], fetched: list[tuple[int, int, str]], hosts: Hosts, blocked: list[str]
) -> list[tuple[int, int, str]]:
    """The edits that make one attribute of `tag` fetch nothing from another host; `fetched`: what `tag` fetches, and where."""
    key, raw = attribute.group(1), attribute.group(2)
    if raw is None:
        return []
    start = tag.start(2) + attribute.start(2) + (raw[:1] in "\"'")
    value = _unquoted(raw)
    if key.lower() == "style":
        return _css_inert(value, start, hosts, blocked)
    urls = [url for at, end, url in fetched if (at, end) == (start, start + len(value))]
    foreign = [url for url in urls if hosts.foreign(url) is not None]
    if not foreign:
        return []
    blocked.extend(foreign)
    name_at = tag.start(2) + attribute.start(1)
    return [(name_at, name_at + len(key), f"data-okrsite-blocked-{key}")]


def _css_inert(css: str, offset: int, hosts: Hosts, blocked: list[str]) -> list[tuple[int, int, str]]:
    edits = []
    for url in _CSS_URL.finditer(css):
        value = _unquoted(url.group(1))
        if hosts.foreign(value) is not None:
            blocked.append(value)
            edits.append((offset + url.start(1), offset + url.end(1), '"about:invalid"'))
    return edits


_ABSOLUTE_VALUE = re.compile(r"""=["']?\s*(?:[a-zA-Z\t\n\r]{1,8}[:&]|[/\\][\t\n\r]*[/\\]|&)""")
"""An attribute value that may point at another host (the search starts at a literal '=': fast on a big page)."""
_CSS_SUSPECT = re.compile(r"""url\(\s*["']?\s*(?:[a-zA-Z][\w+.-]*[:&]|[/\\]{2}|&)""", re.IGNORECASE)
_SUSPECT_NAMES = _LOADING_ATTRIBUTES | {"href", "srcdoc"}


def _suspect(page: str, hosts: Hosts) -> bool:
    """Whether anything on `page` may load from another host: its few candidates are looked at, not every tag.

    Most generated pages hold none but `<a href>` links and SVG namespaces.
    """
    if "@import" in page or ("url(" in page and _CSS_SUSPECT.search(page)):
        return True  # CSS: the full scan tells
    for value in _ABSOLUTE_VALUE.finditer(page):
        head = page[max(0, value.start() - 40) : value.start()].rstrip()
        name = head[max(head.rfind(mark) for mark in " \t\n<\"'") + 1 :].lower()  # the attribute's name
        if name not in _SUSPECT_NAMES:
            continue
        tag = _TAG.match(page, max(0, page.rfind("<", 0, value.start())))
        if tag is None or any(hosts.foreign(url) is not None for _, _, url in _tag_loads(tag)):
            return True
    return False
