"""Where each generated page lives: `.../index.md`, so URLs are the same with and without directory URLs."""

from __future__ import annotations

from urllib.parse import quote, urljoin

from ..analysis.people import Person
from ..content.model import Cycle, Document, KeyResult, Team

HOME = "index.md"
TEAMS = "teams/index.md"
CSS = "assets/okrsite/okrsite.css"
JS = "assets/okrsite/okrsite.js"


def cycle_uri(cycle: Cycle | str) -> str:
    return f"cycles/{cycle if isinstance(cycle, str) else cycle.id}/index.md"


def review_uri(cycle: Cycle | str) -> str:
    """The cycle's printable review: beside its page, outside the nav."""
    return f"cycles/{cycle if isinstance(cycle, str) else cycle.id}/review/index.md"


def team_uri(team: Team | str) -> str:
    return f"teams/{team if isinstance(team, str) else team.id}/index.md"


def document_uri(doc: Document) -> str:
    return f"teams/{doc.team.id}/{doc.cycle.id}/index.md"


def objective_anchor(objective_id: str) -> str:
    """The id of an objective's block on its document's page (`partials/document.md` writes it)."""
    return f"objective-{objective_id}"


def kr_anchor(kr: KeyResult) -> str:
    """The id of a key result's block on its document's page (`partials/key_result.md` writes it)."""
    return f"kr-{kr.objective.id}-{kr.id}"


def absolute_url(site_url: str, uri: str, directory_urls: bool = True, anchor: str | None = None) -> str:
    """The address of the page at `uri` on the site published at `site_url`, for links from outside it (a chat post)."""
    path = uri.removesuffix("index.md") if directory_urls else uri.removesuffix(".md") + ".html"
    url = urljoin(site_url.rstrip("/") + "/", quote(path))
    return f"{url}#{quote(anchor)}" if anchor else url


def person_uri(person: Person) -> str:
    """A person's page, by their slug: letters, digits and '-' only, so a name never makes a path of its own."""
    return f"people/{person.slug}/index.md"


PEOPLE = "people/index.md"
HEALTH = "health/index.md"
TRENDS = "trends/index.md"
FEED = "changes/feed.xml"


def changes_uri(cycle: Cycle | None = None) -> str:
    return f"changes/{cycle.id}/index.md" if cycle else "changes/index.md"


def alignment_uri(cycle: Cycle | str, department: Team | None = None) -> str:
    cycle_id = cycle if isinstance(cycle, str) else cycle.id
    return f"alignment/{cycle_id}/{department.id}/index.md" if department else f"alignment/{cycle_id}/index.md"


def relative(path: str, start: str) -> str:
    """`posixpath.relpath` for the site's own paths (relative, no '..'), without its cwd lookups.

    A page holds hundreds of links, so this runs hundreds of thousands of times a build.
    """
    to = [] if path == "." else path.split("/")
    base = [] if start == "." else start.split("/")
    common = 0
    for a, b in zip(to, base, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(base) - common) + to[common:]) or "."
