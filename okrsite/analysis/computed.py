"""Everything computed from one organisation as of one date, each part at most once per build.

The site, the exports and `okrsite check` all read figures, alignment, change
logs and health signals from here, so a page never recomputes what another
already did.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..content.model import Document, Organisation
from .align import Alignment
from .calibration import Calibration, calibration, joined
from .changes import ChangeLog, Commits, change_log, no_edit_since_previous
from .facts import Facts
from .health import Signal, TeamSignals, all_signals, signals_of_team
from .rules import Rules


@dataclass
class Analysis:
    org: Organisation
    facts: Facts
    rules: Rules = field(default_factory=Rules)
    git: Commits | None = None
    """What the repository's history says; None where commits are not read (okrsite check)."""
    _alignment: Alignment | None = None
    _logs: dict[int, ChangeLog] = field(default_factory=dict)
    kept_signals: Mapping[str, TeamSignals] = field(default_factory=dict)
    """Signals of teams from an earlier analysis, as of the same date with the same rules, of content that differs only in
    documents the teams are not linked with (under `serve`: see PageMemory.keep_analysis); every other team's are worked out."""
    _team_signals: dict[str, TeamSignals] | None = None
    _signals: list[Signal] | None = None
    _by_document: dict[int, list[Signal]] = field(default_factory=dict)
    _calibrations: dict[int, Calibration] = field(default_factory=dict)

    @classmethod
    def of(cls, org: Organisation, on: dt.date, rules: Rules | None = None, git: Commits | None = None) -> Analysis:
        rules = rules or Rules()
        return cls(org, Facts(org, on, rules.scoring), rules, git)

    @property
    def on(self) -> dt.date:
        return self.facts.on

    @property
    def alignment(self) -> Alignment:
        if self._alignment is None:
            self._alignment = Alignment.of(self.org, self.facts)
        return self._alignment

    def change_log(self, doc: Document) -> ChangeLog:
        found = self._logs.get(id(doc))
        if found is None:
            found = self._logs[id(doc)] = change_log(self.org, doc, self.git)
        return found

    def calibration(self, docs: Iterable[Document]) -> Calibration:
        """The calibration of `docs`, joined from each document's, which is worked out once: the trends of the company, of
        each department and of each team read the same documents."""
        parts = []
        for doc in docs:
            found = self._calibrations.get(id(doc))
            if found is None:
                found = self._calibrations[id(doc)] = calibration(self.facts, [doc], self.rules.scoring)
            parts.append(found)
        return joined(parts)

    def keep_documents(self, previous: Analysis, docs: Iterable[Document]) -> None:
        """Take what `previous` worked out of those `docs` that are the same objects in its organisation (under `serve`,
        unchanged files give the same objects): their figures and calibrations, which read the document alone, and their
        change logs, which read its team's documents and the history. The caller vouches that the documents' teams are
        unchanged, and that `previous` is as of the same date with the same rules."""
        same_history = previous.git == self.git
        for doc in docs:
            facts = previous.facts.known(doc)
            if facts is None:
                continue  # not the same object, or not worked out
            self.facts.keep(facts)
            if (calibration := previous._calibrations.get(id(doc))) is not None:
                self._calibrations[id(doc)] = calibration
            if same_history and (log := previous._logs.get(id(doc))) is not None:
                self._logs[id(doc)] = log

    def nothing_changed(self, doc: Document) -> bool:
        log = self._logs.get(id(doc))
        return log.nothing_changed if log is not None else no_edit_since_previous(self.org, doc)

    @property
    def known_signals_by_team(self) -> Mapping[str, TeamSignals]:
        """The teams' signals worked out so far: none before `signals()` is first asked."""
        return self._team_signals or {}

    def signals_by_team(self) -> dict[str, TeamSignals]:
        """Each team's signals, by team id."""
        if self._team_signals is None:
            self._team_signals = {}
            for team in self.org.teams.values():
                kept = self.kept_signals.get(team.id)
                found = kept or signals_of_team(self.org, self.facts, self.alignment, team, self.rules, self.nothing_changed)
                self._team_signals[team.id] = found
        return self._team_signals

    def signals_of(self, team_ids: Iterable[str]) -> list[Signal]:
        """The signals of these teams, in file order, worked out for them alone (`okrsite check` after an edit)."""
        teams = {team.id: team for team in (self.org.teams.get(team_id) for team_id in team_ids) if team is not None}
        found = {
            tid: signals_of_team(self.org, self.facts, self.alignment, team, self.rules, self.nothing_changed)
            for tid, team in teams.items()
        }
        return all_signals(self.org, self.facts, self.alignment, self.rules, self.nothing_changed, found)

    def signals(self, doc: Document | None = None) -> list[Signal]:
        """Every health signal in file order, or those of one document."""
        if self._signals is None:
            self._signals = all_signals(self.org, self.facts, self.alignment, self.rules, self.nothing_changed, self.signals_by_team())
            for signal in self._signals:
                self._by_document.setdefault(id(signal.document), []).append(signal)
        return self._signals if doc is None else self._by_document.get(id(doc), [])
