"""What each page template receives: one typed context per template, documented in docs/templates.md.

Every page gets the fields of `Page`; each template's class adds its own. A site's own template of the same
name receives the same variables, so these classes are the contract a site's templates are written against:
`tests/site/test_templates.py` fails when a template uses a variable its context lacks, or when a template or
a variable is missing from docs/templates.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar

from markupsafe import Markup

from ..analysis.changes import SharedChange
from ..analysis.facts import Facts
from ..analysis.people import Due, Person
from ..analysis.rules import Rules
from ..content.model import Cycle, Document, KeyResult, Organisation, Team
from . import urls
from .trends import Trend
from .view import SiteView


@dataclass(frozen=True)
class Uris:
    """The paths of okrsite's pages in the docs tree, for `link`."""

    home: str = urls.HOME
    teams: str = urls.TEAMS
    feed: str = urls.FEED
    health: str = urls.HEALTH
    people: str = urls.PEOPLE
    trends: str = urls.TRENDS
    cycle: Callable[[Cycle], str] = urls.cycle_uri
    team: Callable[[Team], str] = urls.team_uri
    document: Callable[[Document], str] = urls.document_uri
    alignment: Callable[..., str] = urls.alignment_uri
    changes: Callable[..., str] = urls.changes_uri
    person: Callable[[Person], str] = urls.person_uri
    review: Callable[[Cycle], str] = urls.review_uri


@dataclass(frozen=True)
class Page:
    """The variables of every page."""

    template: ClassVar[str] = ""
    page_uri: str
    """This page's path in the docs tree, such as `teams/web/2026-Q2/index.md`."""
    link: Callable[..., str]
    """`link(uri, anchor=None)`: a link from this page to the page at `uri` that works wherever the site is served."""
    uris: Uris
    """The paths of pages: `uris.home`, `uris.teams`, `uris.health`, `uris.people`, `uris.trends`, `uris.feed`, and
    `uris.cycle(cycle)`, `uris.team(team)`, `uris.document(doc)`, `uris.alignment(cycle, department=None)`,
    `uris.changes(cycle=None)`, `uris.person(person)`,
    `uris.review(cycle)`."""
    site: SiteView
    """The team tree, documents by cycle, alignment, maps and signals (`okrsite/site/view.py`)."""
    org: Organisation
    """The whole organisation: `org.teams`, `org.cycles`, `org.documents()`."""
    facts: Facts
    """The figures: `facts.of(doc)`, `facts.objective(o)`, `facts.key_result(kr)` (score, status, check-ins)."""
    on: dt.date
    """The as-of date of every figure."""
    current: Cycle | None
    """The current cycle: the longest one containing the as-of date, else the latest ended one."""
    rules: Rules
    """The site's scoring rules and health thresholds (`rules.scoring.landed`...)."""
    codes: tuple[str, ...]
    """Every health signal's code, in SPEC order."""
    practice_of: Mapping[str, str]
    """The practice (a key of `practices` on the health page) each signal code is about."""
    change_labels: Mapping[str, str]
    """A short label for each kind of change in a change log."""
    trajectory: Callable[..., Any]
    """The SVG chart of a key result's check-ins against its expected path (see partials/key_result.md)."""
    confidence_chart: Callable[..., Any]
    """The SVG chart of a key result's confidences."""

    def variables(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class HomePage(Page):
    template: ClassVar[str] = "home.md"


@dataclass(frozen=True)
class CyclePage(Page):
    template: ClassVar[str] = "cycle.md"
    cycle: Cycle
    """The cycle this page shows."""


@dataclass(frozen=True)
class ReviewPage(Page):
    template: ClassVar[str] = "review.md"
    cycle: Cycle
    """The cycle under review."""
    teams: list[Document]
    """Each team's document of this cycle, in the team tree's order."""
    part: Callable[[Document], Markup]
    """A team's part of the review: `partials/review_team.md` for its document."""


@dataclass(frozen=True)
class AlignmentPage(Page):
    template: ClassVar[str] = "alignment.md"
    cycle: Cycle
    """The cycle whose alignment this page draws."""


@dataclass(frozen=True)
class DepartmentAlignmentPage(AlignmentPage):
    template: ClassVar[str] = "alignment_department.md"
    department: Team
    """The department (a team right under the root) whose teams this page draws."""


@dataclass(frozen=True)
class TeamsPage(Page):
    template: ClassVar[str] = "teams.md"


@dataclass(frozen=True)
class HealthPage(Page):
    template: ClassVar[str] = "health.md"
    practices: Mapping[str, tuple[str, str]]
    """Each practice's title and explanation, by key."""
    when: Mapping[str, str]
    """When each signal fires, in words, with this site's thresholds."""


@dataclass(frozen=True)
class TrendsPage(Page):
    template: ClassVar[str] = "trends.md"
    trend: Trend
    """The company's figures by company cycle, with their charts (`site.trend()`)."""
    departments: list[Trend]
    """The same for each department, over the teams under it (`site.trend(department)`)."""


@dataclass(frozen=True)
class ChangesPage(Page):
    template: ClassVar[str] = "changes.md"
    cycle: Cycle | None
    """The cycle whose changes this page lists (on the index: the current cycle)."""
    docs: list[Document]
    """The documents whose change logs this page shows, in the team tree's order."""
    index: bool
    """Whether this is `/changes/`, which also links every cycle's page."""
    newest_first: list[Cycle]
    """The cycles that have begun, newest first, then those still to come."""
    shared: list[SharedChange]
    """The cycle-wide changes (length, cadence) that most of these documents share, said once above them."""


@dataclass(frozen=True)
class PeoplePage(Page):
    template: ClassVar[str] = "people.md"
    people: list[Person]
    """Everyone named as a team's lead or member or a key result's owner, by name."""
    now: list[Cycle]
    """The cycles that are "now": the current one and the others running on the as-of date."""


@dataclass(frozen=True)
class PersonPage(Page):
    template: ClassVar[str] = "person.md"
    person: Person
    """The person this page shows: `name`, `slug`, `roles` (each with `team`, `lead` and `label`), `key_results`."""
    led: list[Document]
    """The documents of the teams they lead (their objectives are the lead's), the current cycle first, then newest first."""
    owned: list[KeyResult]
    """Every key result they own, in the same order of cycles, then by team."""
    due: list[Due]
    """Their key results of running cycles due a check-in (`key_result`, `last`, `days`), the longest waiting first."""


@dataclass(frozen=True)
class FilePage(Page):
    """A page that shows one content file."""

    source: str
    """The file, as a path from the site's root: the team's `team.yml`, or the document."""
    edit_url: str | None
    """Where that file is edited, if the site sets `repo_url` and `edit_uri` (or `edit_uri_template`)."""


@dataclass(frozen=True)
class TeamPage(FilePage):
    template: ClassVar[str] = "team.md"
    team: Team
    """The team this page shows."""


@dataclass(frozen=True)
class TeamCyclePage(FilePage):
    template: ClassVar[str] = "team_cycle.md"
    doc: Document
    """The team document this page shows in full."""


PAGES: tuple[type[Page], ...] = (
    HomePage,
    CyclePage,
    ReviewPage,
    AlignmentPage,
    DepartmentAlignmentPage,
    TeamsPage,
    HealthPage,
    TrendsPage,
    ChangesPage,
    PeoplePage,
    PersonPage,
    TeamPage,
    TeamCyclePage,
)
"""Every page template's context, one per template."""
