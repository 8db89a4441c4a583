"""Pages made again after an edit under `serve`: those the edit can change; the others are kept from the last build.

A document's page shows its own document, the documents of its team's earlier
cycles (change log, signals) and, through alignment maps, dependencies, conflicts
and shared objectives, the documents its objectives link to or from. A team's page
shows all its documents and those they link with. So an edit to team T's document
of cycle C changes T's team page and its document pages of the cycles the edit
touches: one that does not end before C, or before the cycle of a document linked
with the edited one, begins (and of the others, those whose signals moved: a signal
over a run of cycles sits on the run's last document); the team pages of the teams
linked with T, and the document pages of those teams in a touched cycle. A cycle's
pages (its page, review, alignment and changes) show its documents and those of the
cycles overlapping it, with signals and change logs drawn from earlier cycles, and
a dependency's target dropped in a later cycle that begins before the dependent
cycle ends: so a cycle that ends before every touched cycle begins keeps its pages.
A department's map shows only its teams' documents and those they link with, so a
department none of whose teams the edit reaches keeps its maps of every cycle, as
does a person none of whose documents or key results is in an edited team.
Everything else (cycles, team files, templates, options, the date, git history) can
change any page: any change there makes every page again, as does a person's slug
that moves (a new name took it), since a page links every name it shows. The pages
over the whole organisation (home, teams, health, trends, people, changes and the
feed) are made again, but for what faces keep (below); so are the exports and the
reviews of touched cycles, from each team's part, which is kept where the team's
page is. So are a team's health signals, which its page shows: the analysis works
out again only those of the teams whose pages are made again, and only the figures,
calibrations and change logs of the documents of the teams edited (each reads its
team's documents alone). Last, the edited teams' faces (face.py) are compared with
those of the last generation: an edit that moves neither their content, their
figures as pages write them nor their signals, nor a signal of a team linked with
them, reaches no other team; one that moves those figures but no content or signal
reaches only the teams linked with an objective whose did; and each page of a
cycle, of a person or over the organisation that shows none of the parts that moved
is kept. A cycle's page and review show the figures as worked out (in the cycle's
glance) of its own documents only: a move of figures elsewhere that no page writes
keeps them, and the review keeps the parts of its teams, none of which the edit
reaches.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..analysis.computed import Analysis
from ..analysis.people import Person
from ..content.model import Document, KeyResult, Organisation
from .builder import Generated, SiteBuilder
from .face import (
    LINKED,
    PARTS,
    READS,
    WHOLE_ORGANISATION,
    changed_parts,
    face,
    figures_moved,
    moved_objectives,
    own_templates,
    shown_by_face,
    signal_keys,
    signals_on,
)
from .parts import TeamParts
from .urls import FEED, alignment_uri, changes_uri, cycle_uri, document_uri, person_uri, review_uri, team_uri

Key = tuple[str, str]
"""A document as a team id and a cycle id (its file's name), whether or not it exists."""


@dataclass
class PageMemory:
    """The pages of the last generation, and what decides whether they can be kept."""

    pages: dict[str, Generated] = field(default_factory=dict)
    stamp: object = None
    """Everything besides the documents that pages are made from; None before the first generation."""
    links: dict[Key, set[Key]] = field(default_factory=dict)
    slugs: dict[str, str] = field(default_factory=dict)
    """Each person's slug: a page that names someone links their page, so a slug that moves changes pages of any team."""
    teams_of: dict[str, set[str]] = field(default_factory=dict)
    """Each person's page (by URI) and the teams of the documents and key results it shows."""
    edited: set[Key] | None = None
    """Documents that changed since the last generation; None: something that every page shows changed."""
    parts: TeamParts = field(default_factory=TeamParts)
    """Each team's part of the exports and of the reviews in the last generation."""
    analysis: Analysis | None = None
    """The analysis the last generation was made from, and each team's documents then: their faces (see face.py)."""
    documents: dict[str, list[Document]] = field(default_factory=dict)
    _links_of: tuple[Organisation, dict[Key, set[Key]]] | None = None

    def note_changes(self, documents: Iterable[Key] | None) -> None:
        """Add what a load found changed (None: not only documents); kept until a generation succeeds."""
        if documents is None or self.edited is None:
            self.edited = None
        else:
            self.edited.update(documents)

    def generate(self, builder: SiteBuilder, stamp: object) -> list[Generated]:
        """Every file of the site, made again where the changes noted since the last generation reach."""
        org = builder.org
        links = self._links(org)
        people = builder.view.people.everyone
        teams_of = {person_uri(person): _teams_shown(person) for person in people}
        slugs = {key: person.slug for key, person in builder.view.people.by_key.items()}
        edited = self.edited if stamp == self.stamp and all(self.slugs.get(key, slug) == slug for key, slug in slugs.items()) else None
        kept: dict[str, Generated] = {}
        kept_parts, kept_reviews = TeamParts(), set[str]()
        if edited is not None:
            touched = edited.union(*(self.links.get(k, set()) | links.get(k, set()) for k in edited))
            edited_teams = {team for team, _ in edited}
            reached = self._reached(edited, links)
            changed, moved, figures_in = self._changed(builder, edited_teams, reached)
            overridden = own_templates(builder.options.templates)
            by_face = shown_by_face(overridden)
            if by_face and not changed & LINKED:
                reached = edited_teams
            elif by_face and not changed & {"content", "signals"}:
                reached = edited_teams | _showing(builder, moved)
            begins = [org.cycles[c].start if c in org.cycles else dt.date.min for _, c in touched]
            cutoff = min(begins, default=dt.date.max)
            for team in org.teams.values():
                docs = [doc for doc in team.documents.values() if team.id not in reached or doc.cycle.end < cutoff]
                if team.id in edited_teams:
                    docs = [doc for doc in docs if self._same_signals(builder.analysis, doc)]
                kept.update(self._kept(document_uri(doc) for doc in docs))
                if team.id not in reached:
                    kept.update(self._kept([team_uri(team)]))
            kept_parts = self.parts.only(org.teams.keys() - reached)
            departments = builder.view.departments()
            unreached = [d for d in departments if not any(team.id in reached for team in builder.view.subtree(d))]
            for cycle in org.cycles.values():
                maps = [alignment_uri(cycle, d) for d in departments]
                if cycle.end < cutoff:
                    kept_reviews.add(cycle.id)
                    kept.update(self._kept([cycle_uri(cycle), review_uri(cycle), alignment_uri(cycle), *maps, changes_uri(cycle)]))
                    continue
                kept.update(self._kept(alignment_uri(cycle, d) for d in unreached))
                # a cycle's glance has the figures of its own documents: of the others, it shows them as written
                here = changed - {"figures"} if figures_in is not None and cycle.id not in figures_in else changed
                shown = {"cycle": [cycle_uri(cycle)], "alignment": [alignment_uri(cycle), *maps], "changes": [changes_uri(cycle)]}
                kept.update(self._kept(uri for kind, uris in shown.items() if by_face and not here & READS[kind] for uri in uris))
                if (
                    by_face
                    and not here & READS["cycle"]
                    and not any(cycle.id in org.teams[t].documents for t in reached & org.teams.keys())
                ):
                    kept_reviews.add(cycle.id)  # its teams' parts are as they were
                    kept.update(self._kept([review_uri(cycle)]))
            if by_face and not changed & READS["changes"]:
                kept.update(self._kept([changes_uri(), FEED]))
            whole = WHOLE_ORGANISATION.items()
            kept.update(self._kept(uri for name, uri in whole if shown_by_face(overridden, name) and not changed & READS[name]))
            unmoved = by_face and not changed & READS["person"]
            for uri, teams in teams_of.items():
                if unmoved or not (teams | self.teams_of.get(uri, set())) & edited_teams:
                    kept.update(self._kept([uri]))
        parts = TeamParts()
        made = list(builder.files(kept, kept_parts, parts))
        parts.reviews.update((key, part) for key, part in self.parts.reviews.items() if key[1] in kept_reviews)  # their pages are kept
        self.pages, self.parts = {page.src_uri: page for page in made}, parts
        self.stamp, self.links, self.slugs, self.teams_of, self.edited = stamp, links, slugs, teams_of, set()
        self.analysis, self.documents = builder.analysis, {team.id: list(team.documents.values()) for team in org.teams.values()}
        builder.analysis.signals_by_team()  # the faces of the next rebuild read these as they are now: worked out now
        for doc in org.documents():
            builder.analysis.change_log(doc)
            builder.analysis.calibration([doc])
        return made

    def keep_analysis(self, analysis: Analysis, previous: Analysis | None) -> None:
        """Give `analysis` what `previous` (the analysis before the edits noted) worked out that the edits cannot change:
        the signals of the teams they cannot reach, and what was worked out of each document of a team they did not edit."""
        if previous is None or self.edited is None or self.stamp is None or (previous.on, previous.rules) != (analysis.on, analysis.rules):
            return
        edited_teams = {team for team, _ in self.edited}
        teams = [team for team in analysis.org.teams.values() if team.id not in edited_teams]
        analysis.keep_documents(previous, [doc for team in teams for doc in team.documents.values()])
        unreached = analysis.org.teams.keys() - self._reached(self.edited, self._links(analysis.org))
        analysis.kept_signals = {team: found for team, found in previous.known_signals_by_team.items() if team in unreached}

    def _changed(
        self, builder: SiteBuilder, edited_teams: set[str], reached: set[str]
    ) -> tuple[set[str], set[tuple[str, str, str]], set[str] | None]:
        """The parts of the edited teams' faces that moved since the last generation (every part when that is not known),
        and their signals when the signals of a team linked with them moved; of the teams whose content is as it was, the
        objectives whose figures moved as pages write them, as (team, cycle, id); and the cycles of the documents whose
        figures moved (None: any)."""
        previous, analysis, teams = self.analysis, builder.analysis, builder.org.teams
        if previous is None:
            return set(PARTS), set(), None
        changed, moved, figures_in = set[str](), set[tuple[str, str, str]](), set[str]()
        for team in edited_teams:
            if team not in teams or team not in self.documents:
                return set(PARTS), set(), None
            before, now = face(previous, team, self.documents[team]), face(analysis, team, list(teams[team].documents.values()))
            parts = changed_parts(before, now)
            changed |= parts
            figures_in |= figures_moved(before, now)
            if "content" not in parts:
                moved.update((team, cycle, objective) for cycle, objective in moved_objectives(before, now))
        before_signals, now_signals = previous.signals_by_team(), analysis.signals_by_team()
        for t in reached - edited_teams:
            if t not in before_signals or t not in now_signals or signal_keys(before_signals[t]) != signal_keys(now_signals[t]):
                changed.add("signals")
        return changed, moved, figures_in

    def _same_signals(self, analysis: Analysis, doc: Document) -> bool:
        """Whether `doc` has the signals it had in the last generation (one over a team's cycles can move to another)."""
        if self.analysis is None:
            return False
        before, now = (a.signals_by_team().get(doc.team.id, ([], [])) for a in (self.analysis, analysis))
        return signals_on(before, doc.cycle.id) == signals_on(now, doc.cycle.id)

    def _links(self, org: Organisation) -> dict[Key, set[Key]]:
        """The document links of `org`, worked out once for the signals and the pages of a rebuild."""
        if self._links_of is None or self._links_of[0] is not org:
            self._links_of = (org, document_links(org))
        return self._links_of[1]

    def _reached(self, edited: set[Key], links: dict[Key, set[Key]]) -> set[str]:
        """The teams whose pages, export parts and signals the `edited` documents can change: their own and those linked
        with them before or after the edits (`links`)."""
        teams = {team for team, _ in edited}
        return teams | {b[0] for a, bs in (*self.links.items(), *links.items()) if a[0] in teams for b in bs}

    def _kept(self, uris: Iterable[str]) -> Iterable[tuple[str, Generated]]:
        return ((uri, self.pages[uri]) for uri in uris if uri in self.pages)


def _showing(builder: SiteBuilder, moved: set[tuple[str, str, str]]) -> set[str]:
    """The teams whose pages show the figures of a `moved` objective (see face.LINKED): those at the other end of one of
    its alignments or dependencies, either way, and those it is shared with."""
    teams: set[str] = set()
    alignment = builder.analysis.alignment
    for team, cycle, objective_id in moved:
        doc = builder.org.teams[team].documents[cycle]
        objective = next(o for o in doc.objectives if o.id == objective_id)
        teams.update(objective.shared_with)
        for edge in (*alignment.outgoing(doc), *alignment.incoming(doc)):
            if edge.source is objective:
                teams.add(edge.target.document.team.id)
            if edge.target is objective:
                teams.add(edge.source.document.team.id)
    return teams


def _teams_shown(person: Person) -> set[str]:
    """The teams of the documents a person's page shows: those they lead and those of the key results they own."""
    return {doc.team.id for doc in person.led_documents()} | {kr.objective.document.team.id for kr in person.key_results}


def document_links(org: Organisation) -> dict[Key, set[Key]]:
    """Each document with the documents its objectives align to, depend on or share with, and those that do so to it."""
    links: dict[Key, set[Key]] = {}

    def link(a: Key, b: Key) -> None:
        if a != b:
            links.setdefault(a, set()).add(b)
            links.setdefault(b, set()).add(a)

    def key(doc: Document) -> Key:
        return doc.team.id, doc.cycle.id

    for doc in org.documents():
        for objective in doc.objectives:
            for target in objective.aligns:
                link(key(doc), key(target.document))
            for other in objective.shared_with:
                link(key(doc), (other, doc.cycle.id))
            for kr in objective.key_results:
                for needed in kr.depends:
                    link(key(doc), key((needed.objective if isinstance(needed, KeyResult) else needed).document))
    return links


def folder_digest(folder: Path) -> str:
    """A digest of every file's name and bytes under `folder` (templates): any edit there changes it."""
    digest = hashlib.blake2b(digest_size=16)
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode("utf-8", "surrogateescape") + b"\0")
            digest.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    return digest.hexdigest()


def edited_documents(changed: Iterable[Path], content: Path) -> set[Key] | None:
    """The documents among the `changed` files; None if another file (cycles.yml, a team.yml) is."""
    documents: set[Key] = set()
    for path in changed:
        if not path.is_relative_to(content):
            return None
        parts = path.relative_to(content).parts
        if len(parts) != 3 or parts[0] != "teams" or parts[2] == "team.yml":
            return None
        documents.add((parts[1], Path(parts[2]).stem))
    return documents
