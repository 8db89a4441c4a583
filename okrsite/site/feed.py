"""The Atom feed of `/changes/feed.xml`: one entry per team document's change log.

Entry ids are UUIDs derived from the team and cycle, so a reader's feed client
sees the same entry across builds; dates come from the cycle or its commits.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from .urls import FEED

ATOM = "http://www.w3.org/2005/Atom"
_NAMESPACE = uuid.UUID("6f6b7273-6974-6500-8000-000000000000")


@dataclass(frozen=True)
class FeedEntry:
    key: str
    """What the entry is about, e.g. 'growth/2026-Q1'; its id is derived from it."""
    title: str
    updated: dt.date
    link: str
    lines: Sequence[str]


def entry_id(key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, key)}"


def atom_feed(title: str, feed_link: str, site_link: str, entries: Sequence[FeedEntry], generator: str) -> str:
    """Valid Atom 1.0; links are as given (absolute when the site has a site_url, else relative to the feed)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", title)
    _text(feed, "id", entry_id(f"feed:{title}"))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=feed_link)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=site_link)
    _text(feed, "updated", _stamp(max((e.updated for e in entries), default=dt.date(1970, 1, 1))))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", title)
    _text(feed, "generator", generator)
    for entry in entries:
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(item, "id", entry_id(entry.key))
        _text(item, "title", entry.title)
        _text(item, "updated", _stamp(entry.updated))
        ET.SubElement(item, f"{{{ATOM}}}link", rel="alternate", href=entry.link)
        _text(item, "summary", "\n".join(entry.lines) or "Nothing changed since the previous cycle.")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""Characters that XML 1.0 forbids: one of them in a title would make the whole feed unreadable."""


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = _NOT_XML.sub("\ufffd", text)


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def feed_title(site_name: str) -> str:
    return f"{site_name}: what we changed"


def with_feed_link(page: str, page_url: str, site_name: str) -> str:
    """The page with a link to the feed in its head, relative to the page's URL, so that feed readers find it.

    Its rel is the token list "alternate feed": readers look for the token alternate with the Atom type,
    while Material takes every link whose rel is exactly "alternate" for another language of the site and
    asks for a sitemap.xml beside it, on every page.
    """
    head = page.find("</head>")
    if head < 0 or 'type="application/atom+xml"' in page[:head]:
        return page
    folder = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url)
    href = posixpath.relpath(FEED, folder.strip("/") or ".")
    link = (
        f'<link rel="alternate feed" type="application/atom+xml" title="{html.escape(feed_title(site_name))}" href="{html.escape(href)}">'
    )
    return page[:head] + link + page[head:]
