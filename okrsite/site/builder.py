"""The generated site, engine-free: which pages exist, their Markdown, and the nav.

An adapter (the MkDocs plugin, or `okrsite generate`) turns these into files.
Pages live at `.../index.md` so that their URLs are the same with and without
directory URLs; links inside HTML blocks are computed here, relative to the page.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urljoin

import yaml

from .. import __version__
from ..analysis.align import Alignment
from ..analysis.computed import Analysis
from ..analysis.health import CODES, KINDS, PRACTICE_OF, PRACTICES
from ..content.model import Cycle, Document, Objective, Team
from ..content.refs import Unresolved, target_document
from ..content.resources import Hosts
from .charts import HistoryPoint, confidence, history, trajectory
from .edit_links import EditLinks
from .export import okrs_csv, okrs_json
from .feed import FeedEntry, atom_feed
from .maps import AlignmentMaps
from .render import make_environment, render_page
from .urls import FEED, HEALTH, HOME, TEAMS, alignment_uri, changes_uri, cycle_uri, document_uri, relative, team_uri

FEED_CYCLES = 3
"""The feed carries the change logs of this many of the newest cycles: subscribers want what is new."""
NAV_TEAM_LIMIT = 30
"""At most this many teams are listed in the nav: every page carries the whole nav."""


@dataclass(frozen=True)
class Generated:
    """One generated file: a page (`.md`) or a download, with the content file it shows."""

    src_uri: str
    content: str
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
        self.current = self.facts.current_cycle()
        self._shared: dict[tuple[str, str], list[Objective]] | None = None
        self._tree: list[tuple[Team, int]] | None = None
        self._depths: dict[str, int] | None = None
        self.maps = AlignmentMaps(self)

    # --- structure -------------------------------------------------------------------------

    def tree(self) -> list[tuple[Team, int]]:
        """Every team with its depth, parents before children, siblings by name."""
        if self._tree is not None:
            return self._tree
        out: list[tuple[Team, int]] = []

        def walk(team: Team, depth: int) -> None:
            out.append((team, depth))
            for child in self.tree_children(team):
                walk(child, depth + 1)

        for root in sorted(self.org.roots(), key=lambda t: (t.name.lower(), t.id)):
            walk(root, 0)
        self._tree = out
        return out

    def depth(self, team: Team) -> int:
        if self._depths is None:
            self._depths = {t.id: depth for t, depth in self.tree()}
        return self._depths[team.id]

    def tree_children(self, team: Team) -> list[Team]:
        return sorted(self.org.children(team), key=lambda t: (t.name.lower(), t.id))

    def ancestors(self, team: Team) -> list[Team]:
        chain: list[Team] = []
        parent = self.org.teams.get(team.parent) if team.parent else None
        while parent is not None and parent not in chain:
            chain.insert(0, parent)
            parent = self.org.teams.get(parent.parent) if parent.parent else None
        return chain

    def document_in(self, team: Team, cycle: Cycle) -> Document | None:
        """The team's document for `cycle`, else the one whose cycle overlaps it the most."""
        try:
            return target_document(self.org, team.id, cycle, None)
        except Unresolved:
            return None

    def current_document(self, team: Team) -> Document | None:
        current = self.org.cycles.get(self.current or "")
        found = self.document_in(team, current) if current else None
        if found is None and team.documents:
            found = list(team.documents.values())[-1]
        return found

    def shared_into(self, team: Team, cycle: Cycle) -> list[Objective]:
        """Objectives of other teams in `cycle` that this team owns together with them."""
        if self._shared is None:
            self._shared = {}
            for doc in self.org.documents():
                for objective in doc.objectives:
                    for other in objective.shared_with:
                        self._shared.setdefault((other, doc.cycle.id), []).append(objective)
        return self._shared.get((team.id, cycle.id), [])

    def history(self, team: Team, uri: str) -> tuple[Any, list[Document]]:
        docs = list(team.documents.values())
        points = [
            HistoryPoint(
                d.cycle,
                self.facts.of(d).summary.landed_share,
                self.facts.of(d).summary.aspirational_mean,
                self.href(uri, document_uri(d)),
            )
            for d in docs
        ]
        return history(points, team.name), docs

    # --- alignment ---------------------------------------------------------------------------

    @property
    def alignment(self) -> Alignment:
        return self.analysis.alignment

    def cycle_documents(self, cycle: Cycle, teams: list[Team] | None = None) -> list[Document]:
        """Each team's document in `cycle` (or the one overlapping it most), in the org tree's order."""
        chosen = [self.document_in(team, cycle) for team in (teams if teams is not None else [t for t, _ in self.tree()])]
        return [d for d in chosen if d is not None]

    def departments(self) -> list[Team]:
        """The teams right under the root(s): each gets its own map."""
        return [team for team, depth in self.tree() if depth == 1]

    def subtree(self, team: Team) -> list[Team]:
        tree = self.tree()
        start = next(i for i, (t, _) in enumerate(tree) if t is team)
        depth = tree[start][1]
        end = next((i for i in range(start + 1, len(tree)) if tree[i][1] <= depth), len(tree))
        return [t for t, _ in tree[start:end]]

    # --- changes and health ----------------------------------------------------------------

    def documents_of_cycle(self, cycle: Cycle) -> list[Document]:
        """The documents written for exactly this cycle, in the org tree's order."""
        return [d for team, _ in self.tree() if (d := team.documents.get(cycle.id)) is not None]

    def teams_with(self, code: str, docs: list[Document]) -> list[Team]:
        return [d.team for d in docs if any(s.code == code for s in self.analysis.signals(d))]

    def newest_first(self) -> list[Cycle]:
        """Cycles that have begun by the as-of date, newest first (then those still to come)."""
        return sorted(self.org.cycles.values(), key=lambda c: (c.start <= self.on, c.start), reverse=True)

    def feed(self) -> str:
        """The Atom feed of the change logs of the three newest cycles."""
        recent = [c for c in self.newest_first() if c.start <= self.on][:FEED_CYCLES]
        entries = []
        for cycle in recent:
            for doc in self.documents_of_cycle(cycle):
                log = self.analysis.change_log(doc)
                dated = [c.date for c in log.changes if c.date is not None and c.date <= self.on]
                entries.append(
                    FeedEntry(
                        f"{doc.team.id}/{cycle.id}",
                        f"{doc.team.name} · {cycle.title}" + (": nothing changed" if log.nothing_changed else ""),
                        max([cycle.start, *dated]),
                        self._absolute(FEED, document_uri(doc)),
                        [c.message for c in log.changes],
                    )
                )
        return atom_feed(
            f"{self.options.site_name}: what we changed",
            self._absolute(FEED, FEED),
            self._absolute(FEED, changes_uri()),
            entries,
            f"okrsite {__version__}",
        )

    def _absolute(self, page: str, target: str) -> str:
        if self.options.site_url:
            return urljoin(self.options.site_url.rstrip("/") + "/", self.href(HOME, target) if target != HOME else "")
        return self.href(page, target)

    # --- links -----------------------------------------------------------------------------

    def href(self, page: str, target: str, anchor: str | None = None) -> str:
        """A link from page `page` to `target` (both src_uris) that works wherever the site is served."""
        base = posixpath.dirname(page) or "."
        if target.endswith(".md"):
            folder = posixpath.dirname(target) or "."
            if self.options.directory_urls:
                rel = relative(folder, base)
                url = "./" if rel == "." else rel + "/"
            else:
                url = relative(target[:-3] + ".html", base)
        else:
            url = relative(target, base)
        return f"{url}#{anchor}" if anchor else url

    # --- pages -----------------------------------------------------------------------------

    def files(self, kept: Mapping[str, Generated] = MappingProxyType({})) -> Iterator[Generated]:
        """Every file of the site; a team's page or document page found in `kept` is taken from there as it is."""
        yield self._page("home.md", HOME, "Home")
        for cycle in self.org.cycles.values():
            yield self._page("cycle.md", cycle_uri(cycle), cycle.title, cycle=cycle)
        for cycle in self.org.cycles.values():
            yield self._page("alignment.md", alignment_uri(cycle), f"Alignment · {cycle.title}", cycle=cycle)
            for department in self.departments():
                title = f"Alignment · {department.name} · {cycle.title}"
                yield self._page("alignment_department.md", alignment_uri(cycle, department), title, cycle=cycle, department=department)
        yield self._page("teams.md", TEAMS, "Teams")
        yield self._page("health.md", HEALTH, "Practice health")
        current = self.org.cycles.get(self.current or "")
        now = self.cycle_documents(current) if current else []
        yield self._page("changes.md", changes_uri(), "What we changed", cycle=current, docs=now, index=True)
        for cycle in self.org.cycles.values():
            title = f"What we changed in {cycle.title}"
            yield self._page("changes.md", changes_uri(cycle), title, cycle=cycle, docs=self.documents_of_cycle(cycle), index=False)
        yield Generated(FEED, self.feed())
        for team in self.org.teams.values():
            uri = team_uri(team)
            yield kept.get(uri) or self._page("team.md", uri, team.name, team=team, source=team.loc().file)
            for doc in team.documents.values():
                uri = document_uri(doc)
                yield kept.get(uri) or self._page("team_cycle.md", uri, f"{team.name} · {doc.cycle.title}", doc=doc, source=doc.file)
        yield Generated("okrs.json", okrs_json(self.analysis, __version__))
        yield Generated("okrs.csv", okrs_csv(self.org, self.facts))

    def _page(self, template: str, uri: str, title: str, source: str | None = None, **context: Any) -> Generated:
        context.update(
            site=self,
            org=self.org,
            facts=self.facts,
            on=self.on,
            page_uri=uri,
            link=partial(self.href, uri),
            current=self.org.cycles.get(self.current or ""),
            source=source,
            edit_url=self.options.edit_links.url(source),
            trajectory=trajectory,
            confidence_chart=confidence,
            uris={
                "home": HOME,
                "teams": TEAMS,
                "cycle": cycle_uri,
                "team": team_uri,
                "document": document_uri,
                "alignment": alignment_uri,
                "changes": changes_uri,
                "feed": FEED,
                "health": HEALTH,
            },
            newest_first=self.newest_first(),
            change_labels=CHANGE_LABELS,
            codes=CODES,
            practice_of=PRACTICE_OF,
            practices=PRACTICES,
            when={code: kind.describe(self.analysis.rules) for code, kind in KINDS.items()},
            rules=self.analysis.rules,
        )
        body = render_page(self.env, template, context)
        return Generated(uri, _front_matter(title) + body, source)

    def nav(self) -> list[NavEntry]:
        """Sections, the current cycle and the top of the team tree; never every page."""
        entries = [NavEntry("Home", HOME)]
        current = self.org.cycles.get(self.current or "")
        if current is not None:
            entries.append(NavEntry(f"Current cycle: {current.title}", cycle_uri(current)))
            entries.append(NavEntry("Alignment", alignment_uri(current)))
        entries.append(NavEntry("What we changed", changes_uri()))
        entries.append(NavEntry("Practice health", HEALTH))
        teams = NavEntry("Teams", children=[NavEntry("All teams", TEAMS)])
        top = [(team, depth) for team, depth in self.tree() if depth <= 1]
        if len(top) <= NAV_TEAM_LIMIT:
            teams.children += [NavEntry(team.name, team_uri(team)) for team, _ in top]
        entries.append(teams)
        past = [c for c in reversed(self.org.cycles.values()) if current is None or c.id != current.id]
        if past:
            entries.append(NavEntry("Other cycles", children=[NavEntry(c.title, cycle_uri(c)) for c in past]))
        return entries
