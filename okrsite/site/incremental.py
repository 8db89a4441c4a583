"""Pages made again after an edit under `serve`: those the edit can change; the others are kept from the last build.

A team's pages (its page and one per document) show its own documents and,
through alignment maps, conflicts and shared objectives, those of the teams its
objectives link to or from. So an edit to team T's documents changes the pages
of T and of the teams linked with T before or after the edit. Everything else
(cycles, team files, templates, options, the date, git history) can change any
page: any change there makes every page again, as does a person's slug that
moves (a new name took it), since a page links every name it shows. The summary
pages (home, cycles and their reviews, alignment, health, trends, changes, people, exports) are always
made again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..content.model import KeyResult, Organisation
from .builder import Generated, SiteBuilder
from .urls import document_uri, team_uri


@dataclass
class PageMemory:
    """The pages of the last generation, and what decides whether they can be kept."""

    pages: dict[str, Generated] = field(default_factory=dict)
    stamp: object = None
    """Everything besides the documents that pages are made from; None before the first generation."""
    links: dict[str, set[str]] = field(default_factory=dict)
    slugs: dict[str, str] = field(default_factory=dict)
    """Each person's slug: a page that names someone links their page, so a slug that moves changes pages of any team."""
    edited: set[str] | None = None
    """Teams whose documents changed since the last generation; None: something that every page shows changed."""
    everything: bool = True
    """Whether the last generation made every page again (anything a page shows may have changed, the nav too)."""

    def note_changes(self, teams: Iterable[str] | None) -> None:
        """Add what a load found changed (None: not only documents); kept until a generation succeeds."""
        if teams is None or self.edited is None:
            self.edited = None
        else:
            self.edited.update(teams)

    def generate(self, builder: SiteBuilder, stamp: object) -> list[Generated]:
        """Every file of the site, made again where the changes noted since the last generation reach."""
        links = linked_teams(builder.org)
        kept: dict[str, Generated] = {}
        slugs = {key: person.slug for key, person in builder.view.people.by_key.items()}
        edited = self.edited if stamp == self.stamp and all(self.slugs.get(key, slug) == slug for key, slug in slugs.items()) else None
        self.everything = edited is None
        if edited is not None:
            reached = edited.union(*(self.links.get(t, set()) | links.get(t, set()) for t in edited))
            for team in builder.org.teams.values():
                if team.id not in reached:
                    uris = [team_uri(team), *(document_uri(doc) for doc in team.documents.values())]
                    kept.update((uri, self.pages[uri]) for uri in uris if uri in self.pages)
        made = list(builder.files(kept))
        self.pages = {page.src_uri: page for page in made}
        self.stamp, self.links, self.slugs, self.edited = stamp, links, slugs, set()
        return made


def linked_teams(org: Organisation) -> dict[str, set[str]]:
    """Each team with the teams its objectives align to, depend on or share with, and those that do so to it, in any cycle."""
    links: dict[str, set[str]] = {}

    def link(a: str, b: str) -> None:
        if a != b:
            links.setdefault(a, set()).add(b)
            links.setdefault(b, set()).add(a)

    for doc in org.documents():
        for objective in doc.objectives:
            for target in objective.aligns:
                link(doc.team.id, target.document.team.id)
            for other in objective.shared_with:
                link(doc.team.id, other)
            for kr in objective.key_results:
                for needed in kr.depends:
                    link(doc.team.id, (needed.objective if isinstance(needed, KeyResult) else needed).document.team.id)
    return links


def folder_digest(folder: Path) -> str:
    """A digest of every file's name and bytes under `folder` (templates): any edit there changes it."""
    digest = hashlib.blake2b(digest_size=16)
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode("utf-8", "surrogateescape") + b"\0")
            digest.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    return digest.hexdigest()


def edited_teams(changed: Iterable[Path], content: Path) -> set[str] | None:
    """The teams whose documents are among the `changed` files; None if another file (cycles.yml, a team.yml) is."""
    teams: set[str] = set()
    for path in changed:
        if not path.is_relative_to(content):
            return None
        parts = path.relative_to(content).parts
        if len(parts) != 3 or parts[0] != "teams" or parts[2] == "team.yml":
            return None
        teams.add(parts[1])
    return teams
