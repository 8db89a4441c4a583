"""What the pages of other teams and of cycles show of a team: its face.

A page other than a team's own (its team page and its document pages) reads of the
team's documents their content except the check-ins, the figures worked out of them
(scores, statuses, confidences, the expected progress, the summaries), their health
signals and their change logs; of a check-in itself, only a shared objective's rows
(on the pages of the teams it is shared with) show the current value and whether a
milestone is done. So an edit that leaves a team's face as it was (a check-in's note,
or a value that moves no score, status or signal) can change only the team's own
pages and those over the whole organisation, as long as the site overrides no
template of the pages in between (a site's template may read anything).
"""

from __future__ import annotations

from pathlib import Path

from ..analysis.computed import Analysis
from ..analysis.facts import KrFacts
from ..analysis.health import Signal, TeamSignals
from ..content.model import Document

ALWAYS_MADE = frozenset({"home.md", "teams.md", "health.md", "trends.md", "people.md"})
"""The templates of pages made again after every edit: a site may override them and still keep pages by faces."""

_CHECKINS = {"objectives": {"__all__": {"key_results": {"__all__": {"checkins"}}}}}


def face(analysis: Analysis, team: str, documents: list[Document]) -> tuple[object, ...]:
    """Everything pages other than the team's own show of its `documents` (the team's, when `analysis` was made: a later load
    gives a team that did not change its new documents, so they are passed as they were)."""
    return tuple(_document(analysis, doc) for doc in documents), signal_keys(analysis.signals_by_team().get(team, ([], [])))


def signal_keys(signals: TeamSignals) -> tuple[object, ...]:
    """What pages show of a team's signals (their objects compared as ids, not as models)."""
    return tuple(
        (s.code, s.message, s.loc, s.practice, s.about, s.document.team.id, s.document.cycle.id, _kr_path(s))
        for s in [*signals[0], *signals[1]]
    )


def faces_hold(templates: Path | None) -> bool:
    """Whether the site's templates folder overrides no template but those of pages made again after every edit."""
    if templates is None or not templates.is_dir():
        return True
    package = Path(__file__).parent / "templates"
    own = {p.relative_to(package).as_posix() for p in package.rglob("*.md")}
    overridden = {p.relative_to(templates).as_posix() for p in templates.rglob("*") if p.is_file()}
    return not (overridden & own) - ALWAYS_MADE


def _document(analysis: Analysis, doc: Document) -> tuple[object, ...]:
    f = analysis.facts.of(doc)
    log = analysis.change_log(doc)
    objectives = tuple((of.score, of.status, tuple(_kr(kf, bool(of.objective.shared_with)) for kf in of.krs)) for of in f.objectives)
    content = doc.model_dump(exclude=_CHECKINS)
    return doc.cycle.id, content, doc.narrative, f.score, f.status, f.expected, f.summary, objectives, tuple(log.changes), log.git_notice


def _kr(kf: KrFacts, shared: bool) -> tuple[object, ...]:
    shown = (kf.current, bool(kf.checkins and kf.checkins[-1].done)) if shared else None
    return kf.score, kf.computed, kf.status, kf.confidence, shown


def _kr_path(signal: Signal) -> str | None:
    kr = signal.key_result
    return None if kr is None else f"{kr.objective.id}/{kr.id}"
