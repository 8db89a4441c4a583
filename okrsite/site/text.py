"""Content text made safe for pages: content is data, never markup that runs.

Plain fields (titles, names) are escaped for Markdown and HTML alike. Markdown
fields (notes, descriptions, narratives) are rendered with raw HTML turned into
text, links to script or data URLs dropped, and images replaced by their alt
text unless they come from one of the site's allowed hosts: a reader's browser
must not fetch from another host.
"""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as ET

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE
from markupsafe import Markup, escape

from ..content.resources import Hosts, host_of

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#+\-.!|>~<&])")
"""Characters Markdown may read as markup, escaped with a backslash. Not parentheses: with the brackets escaped they
start no link, and `\\(` opens inline maths under arithmatex (Zensical's default)."""
_SAFE_SCHEMES = ("http", "https", "mailto")


def md_text(text: object) -> Markup:
    """Plain text placed in Markdown: shown as typed, never a link, emphasis or tag."""
    escaped = str(escape(str(text)))
    return Markup(_MD_SPECIAL.sub(r"\\\1", escaped).replace("\\&", "&").replace("$", "&#36;"))  # `$` opens maths too


def safe_url(url: str) -> bool:
    """Relative links and web or mail links only: no `javascript:`, `data:` or `vbscript:`.

    The browser decodes entities before it reads the scheme, so the check does too.
    """
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(url.replace(AMP_SUBSTITUTE, "&")))
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    return scheme is None or scheme.group(1).lower() in _SAFE_SCHEMES


class _Sanitise(Treeprocessor):
    def __init__(self, md: markdown.Markdown, hosts: Hosts) -> None:
        super().__init__(md)
        self.hosts = hosts

    def run(self, root: ET.Element) -> None:
        for parent in root.iter():
            for i, child in enumerate(list(parent)):
                if child.tag == "img" and not self._allowed(child.get("src", "")):
                    span = ET.Element("span")
                    span.text = child.get("alt", "")
                    span.tail = child.tail
                    parent.remove(child)
                    parent.insert(i, span)
                elif child.tag == "a" and not safe_url(child.get("href", "")):
                    child.attrib.pop("href", None)

    def _allowed(self, src: str) -> bool:
        """An image from one of the site's allowed hosts; content's own files are not published, other hosts not reached."""
        return host_of(src) is not None and safe_url(src) and self.hosts.foreign(src) is None


class _SafeMarkdown(Extension):
    def __init__(self, hosts: Hosts) -> None:
        super().__init__()
        self.hosts = hosts

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_Sanitise(md, self.hosts), "okrsite-sanitise", 0)


class SafeMarkdown:
    """Markdown from content as HTML that cannot run or call out: images show only from the site's allowed hosts."""

    def __init__(self, hosts: Hosts | None = None) -> None:
        self._renderer = markdown.Markdown(extensions=[_SafeMarkdown(hosts or Hosts()), "sane_lists"])
        # remembered: pages repeat notes (a KR shows on its team's pages and its neighbours'),
        # and `serve` renders every page again on each change
        self._render = functools.lru_cache(maxsize=2**16)(self._convert)

    def _convert(self, text: str) -> str:
        self._renderer.reset()
        return self._renderer.convert(text)

    def block(self, text: str | None) -> Markup:
        return Markup(self._render(text)) if text else Markup("")

    def inline(self, text: str | None) -> Markup:
        """Like `block`, for one line: without the enclosing paragraph."""
        html = self.block(text)
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            return Markup(html[3:-4])
        return html
