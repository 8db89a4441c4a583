"""What page templates ask of the site beyond their own context: the team tree, documents by cycle, maps, signals, links.

Templates receive it as `site`; it answers from the analysis and never makes a page (that is `builder.py`'s job).
"""

from __future__ import annotations

import posixpath
from typing import Any

from ..analysis.align import Alignment
from ..analysis.computed import Analysis
from ..analysis.glance import Glance, glance
from ..analysis.people import People, Person, people
from ..content.model import Cycle, Document, Objective, Team
from ..content.refs import Unresolved, target_document
from .charts import HistoryPoint, history
from .maps import AlignmentMaps
from .trends import Learning, Trend, TrendRow, learning, trend
from .urls import relative


class SiteView:
    def __init__(self, analysis: Analysis, directory_urls: bool = True) -> None:
        self.analysis = analysis
        self.org = analysis.org
        self.on = analysis.on
        self.facts = analysis.facts
        self.directory_urls = directory_urls
        self.current = self.facts.current_cycle()
        """The id of the current cycle (see Facts.current_cycle), None in an organisation without cycles."""
        self._shared: dict[tuple[str, str], list[Objective]] | None = None
        self._tree: list[tuple[Team, int]] | None = None
        self._depths: dict[str, int] | None = None
        self._glances: dict[tuple[str, bool], Glance] = {}
        self._people: People | None = None
        self._trends: dict[tuple[str, int], Trend] = {}
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

    def not_running(self, cycle: Cycle) -> str:
        """How a cycle stands that does not run on the as-of date, "ended on D" or "starts on D"; "" while it runs.

        Pages say it beside a document of another cycle, so that a short cycle's final status (green) is not
        read as a running one's (on track).
        """
        if cycle.end < self.on:
            return f"ended on {cycle.end}"
        return f"starts on {cycle.start}" if cycle.start > self.on else ""

    def shared_into(self, team: Team, cycle: Cycle) -> list[Objective]:
        """Objectives of other teams in `cycle` that this team owns together with them."""
        if self._shared is None:
            self._shared = {}
            for doc in self.org.documents():
                for objective in doc.objectives:
                    for other in objective.shared_with:
                        self._shared.setdefault((other, doc.cycle.id), []).append(objective)
        return self._shared.get((team.id, cycle.id), [])

    def history(self, team: Team) -> tuple[Any, list[Document]]:
        """The chart of the team's scores by cycle, and its documents, oldest first."""
        docs = list(team.documents.values())
        return history([HistoryPoint.of(self.facts.of(d)) for d in docs], team.name), docs

    # --- the company at a glance -------------------------------------------------------------

    def glance(self, cycle: Cycle, overlapping: bool = True) -> Glance:
        """`cycle` at a glance: over each team's document in it or overlapping it most, or (not `overlapping`) in it."""
        key = (cycle.id, overlapping)
        if key not in self._glances:
            docs = self.cycle_documents(cycle) if overlapping else self.documents_of_cycle(cycle)
            self._glances[key] = glance(self.analysis, docs)
        return self._glances[key]

    def company_trend(self, last: int = 8) -> tuple[Any, list[TrendRow]]:
        """The company's figures in its last cycles that have begun: the chart of its scores, and a row per cycle
        (see `trend`)."""
        found = self.trend(None, last)
        return found.charts["scores"], found.rows

    def company_cycles(self, last: int = 8) -> list[Cycle]:
        """The company's last cycles that have begun: those its top team writes OKRs for, so that a team's short
        cycles do not crowd a trend; an organisation without a top-level document counts every cycle."""
        roots = self.org.roots()
        begun = [c for c in sorted(self.org.cycles.values(), key=lambda c: c.start) if c.start <= self.on]
        return ([c for c in begun if any(c.id in r.documents for r in roots)] or begun)[-last:]

    def trend(self, department: Team | None = None, last: int = 8) -> Trend:
        """The figures of the company (or of a department's teams) in each company cycle that has documents: scores,
        committed and aspirational key results, statuses, signals, calibration and pulse, with their charts."""
        key = (department.id if department else "", last)
        if key not in self._trends:
            roots = self.org.roots()
            teams = self.subtree(department) if department else [t for t, _ in self.tree()]
            names = {t.id for t in teams}
            cycles = []
            for cycle in self.company_cycles(last):
                docs = [d for d in self.documents_of_cycle(cycle) if d.team.id in names]
                owners = [department] if department else roots
                top = next((t.documents[cycle.id] for t in owners if cycle.id in t.documents), None)
                if docs:
                    cycles.append((cycle, docs, top))
            name = department.name if department else roots[0].name if len(roots) == 1 else "Every team"
            self._trends[key] = trend(self.analysis, name, cycles, teams)
        return self._trends[key]

    def learning(self, team: Team) -> Learning:
        """What the team's record teaches across its cycles: calibration, pulse answers, the signs of its practice."""
        return learning(self.analysis, team)

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

    # --- people ----------------------------------------------------------------------------

    @property
    def people(self) -> People:
        """Everyone named as a lead, a member or an owner: `people.everyone` (by name), `people.of(name)`."""
        if self._people is None:
            self._people = people(self.org)
        return self._people

    def person(self, name: str | None) -> Person | None:
        """The person a name stands for (None for no name), for a link to their page."""
        return self.people.of(name)

    def cycles_now(self) -> list[Cycle]:
        """The current cycle and every other cycle running on the as-of date: what "now" means for a person."""
        return [c for c in self.org.cycles.values() if c.id == self.current or c.contains(self.on)]

    def current_first(self) -> list[Cycle]:
        """Every cycle, the current one first, then those that have begun newest first, then those still to come."""
        return sorted(self.newest_first(), key=lambda c: c.id != self.current)

    # --- links -----------------------------------------------------------------------------

    def href(self, page: str, target: str, anchor: str | None = None) -> str:
        """A link from page `page` to `target` (both src_uris) that works wherever the site is served."""
        base = posixpath.dirname(page) or "."
        if target.endswith(".md"):
            folder = posixpath.dirname(target) or "."
            if self.directory_urls:
                rel = relative(folder, base)
                url = "./" if rel == "." else rel + "/"
            else:
                url = relative(target[:-3] + ".html", base)
        else:
            url = relative(target, base)
        return f"{url}#{anchor}" if anchor else url
