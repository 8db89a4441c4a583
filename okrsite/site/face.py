"""What the pages of other teams, of cycles and over the organisation show of a team: its face, part by part.

A page other than a team's own (its team page and its document pages) reads of the
team's documents their content except the check-ins; the figures worked out of them
(scores, statuses, confidences, the expected progress, the summaries, and of a
shared objective, on the pages of the teams it is shared with, the current values
and whether a milestone is done); what people's pages show of the key results they
own (a score, the day of the last check-in); their health signals and where each
points; their change logs; and the mid-cycle confidences that calibration reads.
Each kind of page reads some of these parts (READS): an edit that leaves them as
they were (a check-in's note, or a value that moves no score, status or signal, or a
confidence given after mid-cycle) leaves the page as it was, as long as the site
overrides neither its template nor one it includes (a site's template may read
anything).

The figures come twice: as worked out ("figures") and as written on the pages that
show them a document at a time ("shown": a document's or objective's score to two
places, a key result's status, a shared one's score and value as read). A move that
the rounding hides leaves the second as it was, and with it the maps, the pages of
linked teams and of people; the pages with figures over many teams (a cycle's
glance, the home page, trends) read the first, since a move hidden in one team's
figures can still carry a mean over a rounding line.
"""

from __future__ import annotations

from pathlib import Path

from ..analysis.computed import Analysis
from ..analysis.facts import KrFacts
from ..analysis.health import Signal, TeamSignals
from ..content.model import Document
from .charts import number
from .render import score_text
from .urls import HEALTH, HOME, PEOPLE, TEAMS, TRENDS

Face = dict[str, tuple[object, ...]]
"""Each part of a team's face by name (PARTS)."""
PARTS = frozenset({"content", "figures", "shown", "owned", "signals", "locations", "changes", "calibration"})

LINKED = frozenset({"content", "shown", "signals"})
"""What the maps and the pages of a team's cycles show of it; and the pages of the teams linked with it, which show of its
figures only those of the objectives at the other end of a link (an alignment or a dependency either way, or an objective
shared with them): a node's status, a dependency's state, a shared objective's rows."""
READS = {
    "cycle": LINKED | {"figures"},
    "alignment": LINKED,
    "changes": frozenset({"content", "changes"}),
    "person": frozenset({"content", "shown", "owned"}),
    "home.md": LINKED | {"figures", "changes"},
    "teams.md": frozenset({"content", "shown"}),
    "health.md": frozenset({"content", "signals", "locations"}),
    "trends.md": LINKED | {"figures", "calibration"},
    "people.md": frozenset({"content"}),
}
"""The parts of a face that each kind of page shows: a cycle's page (whose glance has figures over its teams), its maps,
its changes page (and the feed, the index of changes), a person's page, and the pages over the whole organisation by their
templates."""
WHOLE_ORGANISATION = {"home.md": HOME, "teams.md": TEAMS, "health.md": HEALTH, "trends.md": TRENDS, "people.md": PEOPLE}
"""The pages over the whole organisation by their templates, which no other template includes."""

_CHECKINS = {"objectives": {"__all__": {"key_results": {"__all__": {"checkins"}}}}}


def face(analysis: Analysis, team: str, documents: list[Document]) -> Face:
    """The face of `team` and its `documents` (the team's, when `analysis` was made: a later load gives a team that did not
    change its new documents, so they are passed as they were)."""
    signals = analysis.signals_by_team().get(team, ([], []))
    return {
        "content": tuple((doc.cycle.id, doc.model_dump(exclude=_CHECKINS), doc.narrative) for doc in documents),
        "figures": tuple(_figures(analysis, doc) for doc in documents),
        "shown": tuple(_shown(analysis, doc) for doc in documents),
        "owned": tuple(_owned(analysis, doc) for doc in documents),
        "signals": signal_keys(signals),
        "locations": tuple(s.loc for s in [*signals[0], *signals[1]]),
        "changes": tuple((tuple(log.changes), log.git_notice) for log in map(analysis.change_log, documents)),
        "calibration": tuple(_forecasts(analysis, doc) for doc in documents),
    }


def changed_parts(before: Face, now: Face) -> set[str]:
    return {part for part, seen in now.items() if before.get(part) != seen}


def signal_keys(signals: TeamSignals) -> tuple[object, ...]:
    """What pages but the health page show of a team's signals (their objects compared as ids, not as models)."""
    return tuple(
        (s.code, s.message, s.practice, s.about, s.document.team.id, s.document.cycle.id, _kr_path(s)) for s in [*signals[0], *signals[1]]
    )


def signals_on(signals: TeamSignals, cycle: str) -> tuple[object, ...]:
    """What a document's page shows of the signals of its team that are on it (those of `cycle`)."""
    found = [s for s in [*signals[0], *signals[1]] if s.document.cycle.id == cycle]
    return tuple(zip(signal_keys((found, [])), (s.loc for s in found), strict=True))


def own_templates(templates: Path | None) -> frozenset[str]:
    """The okrsite templates that the site's templates folder overrides."""
    if templates is None or not templates.is_dir():
        return frozenset()
    package = Path(__file__).parent / "templates"
    own = {p.relative_to(package).as_posix() for p in package.rglob("*.md")}
    return frozenset(own & {p.relative_to(templates).as_posix() for p in templates.rglob("*") if p.is_file()})


def shown_by_face(overridden: frozenset[str], template: str | None = None) -> bool:
    """Whether pages of `template` (None: every page of teams and cycles) may be kept by faces: the site overrides no
    template of theirs, and no other but those of the pages over the whole organisation, which include none."""
    return overridden <= WHOLE_ORGANISATION.keys() - {template}


def moved_objectives(before: Face, now: Face) -> set[tuple[str, str]]:
    """The objectives, as (cycle, id), whose shown figures or whose key results' moved between two faces of the same
    content (the same documents and objectives, in the same order)."""
    moved: set[tuple[str, str]] = set()
    for old, new in zip(before["shown"], now["shown"], strict=True):
        assert isinstance(old, tuple) and isinstance(new, tuple)  # see _shown
        cycle, objectives = new[0], new[-1]
        moved.update((cycle, o[0]) for o, again in zip(old[-1], objectives, strict=True) if o != again)
    return moved


def figures_moved(before: Face, now: Face) -> set[str]:
    """The cycles of the documents whose figures differ between two faces (every cycle of either, if their documents do)."""
    old, new = before["figures"], now["figures"]
    pairs = list(zip(old, new, strict=True)) if len(old) == len(new) else [(f, None) for f in (*old, *new)]
    return {str(f[0]) for a, b in pairs if a != b for f in (a, b) if isinstance(f, tuple)}  # a document's cycle: see _figures


def _figures(analysis: Analysis, doc: Document) -> tuple[object, ...]:
    """A document's figures: its own, then each objective's as (id, score, status, its key results')."""
    f = analysis.facts.of(doc)
    objectives = tuple(
        (of.objective.id, of.score, of.status, tuple(_kr(kf, bool(of.objective.shared_with)) for kf in of.krs)) for of in f.objectives
    )
    return doc.cycle.id, f.score, f.status, f.expected, f.summary, objectives


def _kr(kf: KrFacts, shared: bool) -> tuple[object, ...]:
    shown = (kf.current, bool(kf.checkins and kf.checkins[-1].done)) if shared else None
    return kf.score, kf.computed, kf.status, kf.confidence, shown


def _shown(analysis: Analysis, doc: Document) -> tuple[object, ...]:
    """A document's figures as the pages that show it among others write them (see _figures)."""
    f = analysis.facts.of(doc)
    objectives = tuple(
        (of.objective.id, score_text(of.score), of.status, tuple(_kr_shown(kf, bool(of.objective.shared_with)) for kf in of.krs))
        for of in f.objectives
    )
    s = f.summary
    summary = s.committed, s.landed, s.on_track, s.aspirational, score_text(s.aspirational_mean)
    return doc.cycle.id, score_text(f.score), f.status, score_text(f.expected), summary, objectives


def _kr_shown(kf: KrFacts, shared: bool) -> tuple[object, ...]:
    """A key result's status (a dependency's state shows it), and of a shared objective its row's figures."""
    shown = (score_text(kf.score), number(kf.current), bool(kf.checkins and kf.checkins[-1].done)) if shared else None
    return kf.status, shown


def _owned(analysis: Analysis, doc: Document) -> tuple[object, ...]:
    """What the page of a key result's owner shows of it besides its status: its score as written, the day of its last
    check-in and whether it was done."""
    krs = (kf for of in analysis.facts.of(doc).objectives for kf in of.krs)
    return tuple((score_text(kf.score), *((kf.checkins[-1].date, kf.checkins[-1].done) if kf.checkins else ())) for kf in krs)


def _forecasts(analysis: Analysis, doc: Document) -> tuple[object, ...]:
    found = analysis.calibration([doc])
    return tuple((f.kr.objective.id, f.kr.id, f.confidence, f.landed) for f in found.forecasts), found.left_out


def _kr_path(signal: Signal) -> str | None:
    kr = signal.key_result
    return None if kr is None else f"{kr.objective.id}/{kr.id}"
