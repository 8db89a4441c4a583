"""A cycle at a glance, for the home and cycle pages: how its key results stand, and where to look first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..content.model import Document, KeyResult
from .computed import Analysis
from .facts import Facts
from .score import StatusLabel, Summary

STATUS_ORDER: tuple[StatusLabel, ...] = ("on track", "at risk", "off track", "pending", "not started", "green", "yellow", "red")
MISSED: frozenset[StatusLabel] = frozenset({"off track", "red"})


Why = Literal["off track", "broken dependency", "stale check-ins"]
SIGNALLED: dict[str, Why] = {"broken-dependency": "broken dependency", "set-and-forget": "stale check-ins"}
"""The signals about a key result that put it on the list, and what the list calls them."""


@dataclass(frozen=True)
class Attention:
    """A key result a reader should look at first, and why."""

    why: Why
    key_result: KeyResult
    detail: str


@dataclass(frozen=True)
class Glance:
    statuses: list[tuple[StatusLabel, int]]
    """How many key results stand at each status, in STATUS_ORDER, statuses no KR has left out."""
    key_results: int
    summary: Summary
    """Committed and aspirational KRs of every document together."""
    attention: list[Attention]

    def share(self, count: int) -> float:
        return count / self.key_results if self.key_results else 0.0


def glance(analysis: Analysis, docs: list[Document]) -> Glance:
    """`docs` at a glance: their key results counted by status, summarised, and those that need attention first."""
    facts = analysis.facts
    krs = [kf for d in docs for of in facts.of(d).objectives for kf in of.krs]
    counts = {label: sum(kf.status.label == label for kf in krs) for label in STATUS_ORDER}
    return Glance([(label, n) for label, n in counts.items() if n], len(krs), _summary(facts, docs), _attention(analysis, docs))


def _summary(facts: Facts, docs: list[Document]) -> Summary:
    """What `summarise` gives over every objective of `docs`, joined from each document's summary in `facts` (made once):
    the same counts, and the mean of the same aspirational scores in the same order, so the very same number."""
    parts = [facts.of(d).summary for d in docs]
    aspirational = [kf.score for d in docs for of in facts.of(d).objectives if of.objective.type == "aspirational" for kf in of.krs]
    mean = sum(aspirational) / len(aspirational) if aspirational else None
    return Summary(sum(p.committed for p in parts), sum(p.landed for p in parts), len(aspirational), mean, sum(p.on_track for p in parts))


def _attention(analysis: Analysis, docs: list[Document]) -> list[Attention]:
    """Committed KRs off track first, then KRs whose dependencies broke, then KRs nobody checked in on."""
    missed = [
        Attention("off track", kf.kr, f"{kf.score:.2f}, {kf.status.label}")
        for d in docs
        for of in analysis.facts.of(d).objectives
        if of.objective.type == "committed"
        for kf in of.krs
        if kf.status.label in MISSED
    ]
    signalled = [
        Attention(why, s.key_result, s.message.split(": ", 1)[-1])  # the message without its "key result <id>: "
        for code, why in SIGNALLED.items()
        for d in docs
        for s in analysis.signals(d)
        if s.code == code and s.key_result is not None
    ]
    return missed + signalled
