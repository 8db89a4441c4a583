"""Drafting every team's document for a new cycle from its previous one (`okrsite new-cycle`, SPEC section 7).

A draft is the previous file loaded round-trip with ruamel.yaml, so that what is
carried keeps the team's comments and layout; what belonged to the old cycle
(check-ins, revisions, grades, retrospective, pulse, finished initiatives) is cut
out, and every place where the team must decide carries a YAML comment.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from ..analysis import score
from ..analysis.rules import Scoring
from ..analysis.score import SPEC_SCORING
from ..content.files import split_front_matter
from ..content.folder import load_organisation
from ..content.model import Cycle, Document, KeyResult, Objective, Organisation, Team
from ..content.refs import Unresolved, resolve
from .roundtrip import dumped, round_trip, written_number

OBJECTIVE_FIELDS = ("id", "title", "type", "aligns_to", "shared_with", "description", "key_results", "initiatives")
KR_FIELDS = (
    *("id", "title", "baseline", "target", "keep_above", "keep_below", "unit", "direction"),
    *("owner", "weight", "bet", "signals", "depends_on"),
)
OPEN_INITIATIVES = ("planned", "active")


@dataclass(frozen=True)
class Drafted:
    path: Path
    """The file written."""
    team: str
    carried: list[str]
    """Ids of the objectives carried over."""
    dropped: list[str]
    """Ids of the objectives left out because they landed."""


class NewCycleError(Exception):
    """A reason not to draft anything; the message is meant for the writer."""


@dataclass
class _Plan:
    team: Team
    previous: Document
    carried: list[Objective]
    dropped: list[Objective]
    path: Path


def draft_cycle(root: Path, content: str, cycle_id: str, on: dt.date, scoring: Scoring = SPEC_SCORING) -> list[Drafted]:
    """Write `<cycle>.yml` for every team that has an earlier document and none yet for the cycle.

    Scores are taken as of `on`. An objective that landed (by default committed >= 0.9,
    aspirational >= 0.7: `scoring.landed` and `scoring.aspirational_landed`) is left out: a committed one is done, while a landed
    aspirational one needs a new stretch that only the team can set, so it is
    listed in a comment for the team to decide. The rest is carried with the same
    ids, each metric KR starting from its last checked-in value. Teams that
    already have a document for the cycle are left alone and not reported.
    Every draft is made before the first is written.
    """
    org, problems = load_organisation(root, content)
    if problems.errors:
        first = min(problems.errors, key=lambda p: p.loc)
        raise NewCycleError(f"{content}/ has {len(problems.errors)} error(s), first {first}; run `okrsite check` first and fix them")
    cycle = org.cycles.get(cycle_id)
    if cycle is None:
        close = difflib.get_close_matches(cycle_id, list(org.cycles), n=3)
        hint = f"did you mean {' or '.join(map(repr, close))}?" if close else "add it there first"
        raise NewCycleError(f"{cycle_id!r} is not a cycle of {content}/cycles.yml; {hint}")
    plans = [plan for team in org.teams.values() if (plan := _plan(root / content, team, cycle, on, scoring))]
    if not plans:
        raise NewCycleError(f"nothing to draft for {cycle_id}: {_why_nothing(org, cycle)}")
    _join_drafts(org, cycle, plans)

    def resolves(text: str) -> bool:
        try:
            resolve(org, text, cycle)
        except Unresolved:
            return False
        return True

    texts = [_render(root, plan, cycle, on, resolves) for plan in plans]
    for plan, text in zip(plans, texts, strict=True):
        with plan.path.open("x", encoding="utf-8") as out:  # "x": never overwrite a document
            out.write(text)
    return [Drafted(p.path, p.team.id, [o.id for o in p.carried], [o.id for o in p.dropped]) for p in plans]


def _landed(objective: Objective, on: dt.date, scoring: Scoring) -> bool:
    value = score.objective_score(objective, on)
    return value is not None and score.has_landed(value, objective.type, scoring)


def _plan(base: Path, team: Team, cycle: Cycle, on: dt.date, scoring: Scoring) -> _Plan | None:
    if cycle.id in team.documents:
        return None
    earlier = [d for d in team.documents.values() if d.cycle.start < cycle.start]
    previous = max(earlier, key=lambda d: (d.cycle.start, d.cycle.end), default=None)
    if previous is None:
        return None
    carried, dropped = [], []
    for objective in previous.objectives:
        if not _landed(objective, on, scoring):
            carried.append(objective)
        elif lines := [kr for kr in objective.key_results if kr.kind == "health"]:  # a line to hold is never done
            kept = {kr.id for kr in lines}
            moving = [i for i in objective.initiatives if kept & set(i.key_results)]
            carried.append(objective.model_copy(update={"key_results": lines, "initiatives": moving}))
        else:
            dropped.append(objective)
    return _Plan(team, previous, carried, dropped, base / "teams" / team.id / f"{cycle.id}.yml")


def _why_nothing(org: Organisation, cycle: Cycle) -> str:
    existing = [team.documents[cycle.id].file for team in org.teams.values() if cycle.id in team.documents]
    if existing:
        return "every team with an earlier document already has one for it (" + ", ".join(existing) + ")"
    return "no team has a document in a cycle that starts before it"


def _join_drafts(org: Organisation, cycle: Cycle, plans: list[_Plan]) -> None:
    """Add each draft's carried objectives to the loaded organisation, so that references resolve as they will once written."""
    for plan in plans:
        draft = plan.previous.model_copy(update={"objectives": plan.carried})
        draft._cycle = cycle
        plan.team.documents[cycle.id] = draft


def _render(root: Path, plan: _Plan, cycle: Cycle, on: dt.date, resolves: Callable[[str], bool]) -> str:
    previous = plan.previous
    text = (root / previous.file).read_text(encoding="utf-8-sig")
    is_markdown = previous.file.endswith(".md")
    if is_markdown:
        front, _ = split_front_matter(text)
        assert front is not None, "load_organisation read this front matter"
        text = front
    yaml, data = round_trip(text)
    _keep_only(data, ("objectives",))
    objectives = data["objectives"]
    dropped = {o.id for o in plan.dropped}
    for i in reversed(range(len(previous.objectives))):
        if previous.objectives[i].id in dropped:
            del objectives[i]
    for objective, raw in zip(plan.carried, objectives, strict=True):
        if len(objective.key_results) < len(raw["key_results"]):
            _keep_lines(objective, raw, previous.cycle)
        _carry_objective(objective, raw, cycle, on, resolves)
    _set_header(data, _header(plan, cycle, on, is_markdown))
    return dumped(yaml, data)


def _keep_lines(objective: Objective, raw: CommentedMap, previous: Cycle) -> None:
    """A landed objective goes on for its health KRs alone (`objective` holds those, and the initiatives that move them)."""
    kept = {kr.id for kr in objective.key_results}
    done = [raw_kr["id"] for raw_kr in raw["key_results"] if raw_kr["id"] not in kept]
    for i in reversed(range(len(raw["key_results"]))):
        if raw["key_results"][i]["id"] not in kept:
            del raw["key_results"][i]
    raw.yaml_add_eol_comment(f"landed in {previous.id} ({', '.join(done)} done): kept for its lines to hold", "key_results")
    initiatives = raw.get("initiatives") or []
    for i in reversed(range(len(initiatives))):
        moves = initiatives[i].get("key_results") or []
        for j in reversed(range(len(moves))):
            if moves[j] not in kept:
                del moves[j]
        if not moves:
            del initiatives[i]  # it moved only what is done


def _carry_objective(objective: Objective, raw: CommentedMap, cycle: Cycle, on: dt.date, resolves: Callable[[str], bool]) -> None:
    _keep_only(raw, OBJECTIVE_FIELDS)
    raw.yaml_add_eol_comment(f"carried over from {objective.document.cycle.id}: still the right objective?", "id")
    _prune_references(raw, "aligns_to", cycle, resolves)
    for kr, raw_kr in zip(objective.key_results, raw["key_results"], strict=True):
        _carry_key_result(kr, raw_kr, on)
        _prune_references(raw_kr, "depends_on", cycle, resolves)
    initiatives = raw.get("initiatives")
    if initiatives is not None:
        for i in reversed(range(len(objective.initiatives))):
            if objective.initiatives[i].status not in OPEN_INITIATIVES:
                del initiatives[i]
        if not initiatives:
            del raw["initiatives"]


def _carry_key_result(kr: KeyResult, raw: CommentedMap, on: dt.date) -> None:
    """Start a metric KR from its last checked-in value; a target that value reached is moved on and flagged."""
    last = score.last_checkin(kr, on)
    if kr.kind == "metric" and last is not None and last.value is not None:
        assert kr.baseline is not None and kr.target is not None
        index = next(i for i, c in enumerate(kr.checkins) if c is last)
        raw["baseline"] = raw["checkins"][index]["value"]  # the number as the team wrote it
        rising = kr.target > kr.baseline
        if (last.value >= kr.target) if rising else (last.value <= kr.target):
            raw["target"] = written_number(last.value + (kr.target - kr.baseline))
            raw.yaml_add_eol_comment("TODO: set a new target", "target")
    _keep_only(raw, KR_FIELDS)


def _prune_references(raw: CommentedMap, field: str, cycle: Cycle, resolves: Callable[[str], bool]) -> None:
    """Remove references to objectives that the new cycle lacks (they landed, or their team has no draft) and say so."""
    references = raw.get(field)
    if not references:
        return
    gone = [text for text in references if not resolves(text)]
    if not gone:
        return
    for i in reversed(range(len(references))):
        if references[i] in gone:
            del references[i]
    raw.yaml_add_eol_comment(f"TODO: removed {', '.join(gone)}, which {cycle.id} does not have", field)


def _header(plan: _Plan, cycle: Cycle, on: dt.date, is_markdown: bool) -> str:
    previous = plan.previous
    lines = [f"Drafted by okrsite new-cycle from {previous.file} on {on}: review every objective, then remove this comment."]
    if is_markdown:
        lines.append(f"The narrative stays in {previous.file}; to write one for {cycle.id}, make this file {cycle.id}.md")
        lines.append("with this YAML as its front matter.")
    if plan.dropped:
        lines.append(f"Left out, as they landed in {previous.cycle.id} (scores as of {on}):")
        for objective in plan.dropped:
            value = score.objective_score(objective, on) or 0.0
            advice = "done" if objective.type == "committed" else "to go on, bring it back with a new stretch target"
            lines.append(f"  - {objective.id} ({objective.type}, {value:.2f}): {advice}")
    return "\n".join(lines)


def _set_header(data: CommentedMap, header: str) -> None:
    """Put the header above the file's own opening comments, which stay."""
    own = list(data.ca.comment[1]) if data.ca.comment and data.ca.comment[1] else []
    data.yaml_set_start_comment(header)
    data.ca.comment[1].extend(own)


def _keep_only(raw: CommentedMap, fields: tuple[str, ...]) -> None:
    for key in [k for k in raw if k not in fields]:
        del raw[key]
