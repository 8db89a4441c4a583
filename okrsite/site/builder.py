"""The generated site, engine-free: which pages exist, their Markdown, and the nav.

An adapter (the MkDocs plugin, or `okrsite generate`) turns these into files.
Pages live at `.../index.md` so that their URLs are the same with and without
directory URLs; links inside HTML blocks are computed here, relative to the page.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urljoin

import yaml
from markupsafe import Markup

from .. import __version__
from ..analysis.changes import shared_changes
from ..analysis.computed import Analysis
from ..analysis.glance import glance
from ..analysis.health import CODES, KINDS, PRACTICE_OF, PRACTICES
from ..analysis.people import Person, due_checkins
from ..content.model import Cycle, Document
from ..content.resources import Hosts
from .charts import DrawnOnce
from .contexts import (
    AlignmentPage,
    ChangesPage,
    CyclePage,
    DepartmentAlignmentPage,
    HealthPage,
    HomePage,
    Page,
    PeoplePage,
    PersonPage,
    ReviewPage,
    TeamCyclePage,
    TeamPage,
    TeamsPage,
    TrendsPage,
    Uris,
)
from .edit_links import EditLinks
from .export import okrs_csv, okrs_json
from .feed import FeedEntry, atom_feed, feed_title
from .parts import TeamParts
from .render import make_environment, render_page
from .urls import (
    FEED,
    HEALTH,
    HOME,
    PEOPLE,
    TEAMS,
    TRENDS,
    alignment_uri,
    changes_uri,
    cycle_uri,
    document_uri,
    person_uri,
    review_uri,
    team_uri,
)
from .view import SiteView

URIS = Uris()
FEED_CYCLES = 3
"""The feed carries the change logs of this many of the newest cycles: subscribers want what is new."""
NAV_TEAM_LIMIT = 30
"""At most this many teams are listed in the nav: every page carries the whole nav."""


@dataclass(frozen=True)
class Generated:
    """One generated file: a page (`.md`) or a download, with the content file it shows."""

    src_uri: str
    content: str | bytes
    """A page's Markdown; a download's text, or its bytes (UTF-8)."""
    source: str | None = None


@dataclass
class NavEntry:
    title: str
    src_uri: str | None = None
    children: list[NavEntry] = field(default_factory=list)


def nav_config(entries: list[NavEntry]) -> list[object]:
    """The nav as MkDocs' `nav:` setting. Themes print nav titles unescaped, so they are escaped here."""

    def item(entry: NavEntry) -> object:
        title = html.escape(entry.title)
        return {title: [item(child) for child in entry.children]} if entry.children else {title: entry.src_uri}

    return [item(entry) for entry in entries]


@dataclass
class SiteOptions:
    templates: Path | None = None
    directory_urls: bool = True
    edit_links: EditLinks = field(default_factory=EditLinks)
    """How the site links a content file to where it is edited."""
    site_url: str | None = None
    """Where the site is published, for the feed's absolute links; without it they are relative."""
    site_name: str = "OKRs"
    hosts: Hosts = field(default_factory=Hosts)
    """The hosts content may show images from (the plugin's `allowed_hosts`)."""


def _front_matter(title: str) -> str:
    """The page title, escaped: themes print titles unescaped into the HTML head and header.

    It must always parse: without it MkDocs takes the title from the H1, unescaped.
    """
    return "---\n" + yaml.safe_dump({"title": html.escape(title)}, allow_unicode=True, width=10**6) + "---\n"


CHANGE_LABELS = {
    "objective-added": "new objective",
    "objective-retired": "retired",
    "objective-continued": "continued",
    "objective-retitled": "retitled",
    "objective-type": "type switched",
    "kr-added": "new KR",
    "kr-removed": "KR removed",
    "kr-retargeted": "re-targeted",
    "kr-rebaselined": "re-baselined",
    "baseline-differs": "baseline moved",
    "cycle-length": "cycle length",
    "cadence": "cadence",
    "commitment": "commitment",
    "revision": "revised",
    "commit": "git",
}


class SiteBuilder:
    """Renders every page of SPEC section 6 that exists so far, from one Organisation as of one date."""

    def __init__(self, analysis: Analysis, options: SiteOptions | None = None) -> None:
        self.analysis = analysis
        self.org = analysis.org
        self.on = analysis.on
        self.options = options or SiteOptions()
        self.facts = analysis.facts
        self.env = make_environment(self.options.templates, self.options.hosts)
        self.view = SiteView(analysis, self.options.directory_urls)
        self.current = self.view.current
        self.charts = DrawnOnce()

    # --- changes ----------------------------------------------------------------------------

    def feed(self) -> str:
        """The Atom feed of the change logs of the three newest cycles."""
        recent = [c for c in self.view.newest_first() if c.start <= self.on][:FEED_CYCLES]
        entries = []
        for cycle in recent:
            for doc in self.view.documents_of_cycle(cycle):
                log = self.analysis.change_log(doc)
                dated = [c.date for c in log.changes if c.date is not None and c.date <= self.on]
                entries.append(
                    FeedEntry(
                        f"{doc.team.id}/{cycle.id}",
                        f"{doc.team.name} · {cycle.title}" + (": nothing changed" if log.nothing_changed else ""),
                        max([cycle.start, *dated]),
                        self._absolute(FEED, document_uri(doc)),
                        [c.message for group in log.groups() for c in group.changes],
                    )
                )
        return atom_feed(
            feed_title(self.options.site_name),
            self._absolute(FEED, FEED),
            self._absolute(FEED, changes_uri()),
            entries,
            f"okrsite {__version__}",
        )

    def _absolute(self, page: str, target: str) -> str:
        if self.options.site_url:
            return urljoin(self.options.site_url.rstrip("/") + "/", self.view.href(HOME, target) if target != HOME else "")
        return self.view.href(page, target)

    # --- pages -----------------------------------------------------------------------------

    def files(
        self, kept: Mapping[str, Generated] = MappingProxyType({}), kept_parts: TeamParts | None = None, parts: TeamParts | None = None
    ) -> Iterator[Generated]:
        """Every file of the site; a page (or the feed) found in `kept` is taken from there as it is,
        and so is a team's part of the exports or of a review found in `kept_parts`. Every team's part is put in `parts`, if given."""
        view = self.view
        yield kept.get(HOME) or self._page(HOME, "Home", HomePage, {})
        for cycle in self.org.cycles.values():
            yield kept.get(cycle_uri(cycle)) or self._page(cycle_uri(cycle), cycle.title, CyclePage, {"cycle": cycle})
            yield kept.get(review_uri(cycle)) or self._review(cycle, kept_parts, parts)
        for cycle in self.org.cycles.values():
            uri = alignment_uri(cycle)
            yield kept.get(uri) or self._page(uri, f"Alignment · {cycle.title}", AlignmentPage, {"cycle": cycle})
            for department in view.departments():
                uri, title = alignment_uri(cycle, department), f"Alignment · {department.name} · {cycle.title}"
                yield kept.get(uri) or self._page(uri, title, DepartmentAlignmentPage, {"cycle": cycle, "department": department})
        yield kept.get(TEAMS) or self._page(TEAMS, "Teams", TeamsPage, {})
        when = {code: kind.describe(self.analysis.rules) for code, kind in KINDS.items()}
        yield kept.get(HEALTH) or self._page(HEALTH, "Practice health", HealthPage, {"practices": PRACTICES, "when": when})
        yield kept.get(TRENDS) or self._page(
            TRENDS, "Trends", TrendsPage, {"trend": view.trend(), "departments": list(map(view.trend, view.departments()))}
        )
        current = self.org.cycles.get(self.current or "")
        yield kept.get(changes_uri()) or self._page(
            changes_uri(),
            "What we changed",
            ChangesPage,
            self._changes(current, view.cycle_documents(current) if current else [], index=True),
        )
        for cycle in self.org.cycles.values():
            uri = changes_uri(cycle)
            yield kept.get(uri) or self._page(
                uri, f"What we changed in {cycle.title}", ChangesPage, self._changes(cycle, view.documents_of_cycle(cycle), index=False)
            )
        yield kept.get(FEED) or Generated(FEED, self.feed())
        yield kept.get(PEOPLE) or self._page(PEOPLE, "People", PeoplePage, {"people": view.people.everyone, "now": view.cycles_now()})
        for person in view.people.everyone:
            yield kept.get(person_uri(person)) or self._page(person_uri(person), person.name, PersonPage, self._person(person))
        for team in self.org.teams.values():
            self.charts.forget()
            uri, source = team_uri(team), team.loc().file
            own = {"team": team, "source": source, "edit_url": self.options.edit_links.url(source)}
            yield kept.get(uri) or self._page(uri, team.name, TeamPage, own, source)
            for doc in team.documents.values():
                uri = document_uri(doc)
                own = {"doc": doc, "source": doc.file, "edit_url": self.options.edit_links.url(doc.file)}
                yield kept.get(uri) or self._page(uri, f"{team.name} · {doc.cycle.title}", TeamCyclePage, own, doc.file)
        yield Generated("okrs.json", okrs_json(self.analysis, __version__, self.view.people, kept_parts, parts))
        yield Generated("okrs.csv", okrs_csv(self.org, self.facts, kept_parts, parts))

    def _review(self, cycle: Cycle, kept: TeamParts | None, made: TeamParts | None) -> Generated:
        """The cycle's printable review: every team's document of it, each team's part with its key results at a glance;
        a team's part found in `kept` is taken as it is, and every team's part is put in `made`, if given."""
        uri = review_uri(cycle)
        variables: dict[str, Any] = {}

        def part(doc: Document) -> Markup:
            key = (doc.team.id, cycle.id)
            found = kept.reviews.get(key) if kept is not None else None
            if found is None:
                found = render_page(
                    self.env, "partials/review_team.md", {**variables, "d": doc, "at_a_glance": glance(self.analysis, [doc])}
                )
            if made is not None:
                made.reviews[key] = found
            return Markup(found)

        context = self._context(uri, ReviewPage, {"cycle": cycle, "teams": self.view.documents_of_cycle(cycle), "part": part})
        variables.update(context.variables())
        return self._render(f"Review · {cycle.title}", context)

    def _changes(self, cycle: Cycle | None, docs: list[Document], index: bool) -> dict[str, Any]:
        """What a changes page shows of its own: its documents, and the cycle changes most of them share."""
        shared = shared_changes([self.analysis.change_log(doc) for doc in docs])
        return {"cycle": cycle, "docs": docs, "index": index, "newest_first": self.view.newest_first(), "shared": shared}

    def _person(self, person: Person) -> dict[str, Any]:
        """What a person's page shows of its own: their teams' documents and their key results, the current cycle first."""
        order = {c.id: i for i, c in enumerate(self.view.current_first())}

        def place(doc: Document) -> tuple[int, str, str]:
            return order[doc.cycle.id], doc.team.name.casefold(), doc.team.id

        return {
            "person": person,
            "led": sorted(person.led_documents(), key=place),
            "owned": sorted(person.key_results, key=lambda kr: place(kr.objective.document)),
            "due": due_checkins(person, self.on),
        }

    def _page(self, uri: str, title: str, kind: type[Page], own: dict[str, Any], source: str | None = None) -> Generated:
        """One page: its template (named by its context's class) given the variables of every page and its own."""
        return self._render(title, self._context(uri, kind, own), source)

    def _render(self, title: str, context: Page, source: str | None = None) -> Generated:
        body = render_page(self.env, context.template, context.variables())
        return Generated(context.page_uri, _front_matter(title) + body, source)

    def _context(self, uri: str, kind: type[Page], own: dict[str, Any]) -> Page:
        return kind(
            page_uri=uri,
            link=partial(self.view.href, uri),
            uris=URIS,
            site=self.view,
            org=self.org,
            facts=self.facts,
            on=self.on,
            current=self.org.cycles.get(self.current or ""),
            rules=self.analysis.rules,
            codes=CODES,
            practice_of=PRACTICE_OF,
            change_labels=CHANGE_LABELS,
            trajectory=self.charts.trajectory,
            confidence_chart=self.charts.confidence,
            **own,
        )

    def nav(self) -> list[NavEntry]:
        """Sections, the current cycle and the top of the team tree; never every page (no team-cycle page, no person)."""
        entries = [NavEntry("Home", HOME)]
        current = self.org.cycles.get(self.current or "")
        if current is not None:
            entries.append(NavEntry(f"Current cycle: {current.title}", cycle_uri(current)))
            entries.append(NavEntry("Alignment", alignment_uri(current)))
        entries.append(NavEntry("What we changed", changes_uri()))
        entries.append(NavEntry("Practice health", HEALTH))
        entries.append(NavEntry("Trends", TRENDS))
        teams = NavEntry("Teams", children=[NavEntry("All teams", TEAMS)])
        top = [(team, depth) for team, depth in self.view.tree() if depth <= 1]
        if len(top) <= NAV_TEAM_LIMIT:
            teams.children += [NavEntry(team.name, team_uri(team)) for team, _ in top]
        entries.append(teams)
        entries.append(NavEntry("People", PEOPLE))
        past = [c for c in reversed(self.org.cycles.values()) if current is None or c.id != current.id]
        if past:
            entries.append(NavEntry("Other cycles", children=[NavEntry(c.title, cycle_uri(c)) for c in past]))
        return entries
