"""A synthetic organisation of any size, for trials and benchmarks (`write_demo`).

Everything comes from one `random.Random(seed)` and a fixed "today", so equal
arguments give byte-identical files and two benchmark runs measure the same input.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from .demo_words import (
    AREAS,
    CAUSES,
    CHANGES,
    DEPARTMENTS,
    FIRST,
    FUNCTIONS,
    GROUPS,
    HEALTH,
    INITIATIVES,
    LAST,
    LESSONS,
    METHOD,
    METRICS,
    MILESTONES,
    NOTES,
    STATUSES,
    THEMES,
    Health,
    Metric,
    Milestone,
    Template,
    Theme,
)
from .demo_yaml import Inline, write_yaml

TODAY = dt.date(2026, 11, 25)
"""The demo's "now": the last quarter runs, every earlier cycle has ended."""
WEEK = dt.timedelta(days=7)


class Cycle(NamedTuple):
    id: str
    name: str
    start: dt.date
    end: dt.date
    sprint: bool
    in_sprint_period: bool
    """A quarter that sprint teams replace with six-week cycles, or one of those cycles."""

    @property
    def days(self) -> int:
        return (self.end - self.start).days


@dataclass
class Team:
    id: str
    name: str
    area: str
    parent: str | None
    members: list[str]
    sprints: bool = False

    def uses(self, cycle: Cycle) -> bool:
        return cycle.sprint == (self.sprints and cycle.in_sprint_period)


@dataclass
class KR:
    template: Template
    data: dict[str, Any]
    score: float
    """Roughly what okrsite will compute; it decides what the retrospective calls landed or missed."""
    final: float
    """The last value, where a continued metric starts next cycle."""


@dataclass
class Objective:
    theme: Theme
    krs: list[KR] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.theme.id


def write_demo(root: Path, teams: int, cycles: int, seed: int = 0) -> None:
    """Write mkdocs.yml and content/ for a synthetic organisation of `teams` teams over `cycles` quarterly cycles."""
    if teams < 1 or cycles < 1:
        raise ValueError(f"found {teams} teams and {cycles} cycles; expected at least one of each")
    content = root / "content"
    for taken in (root / "mkdocs.yml", content):
        if os.path.lexists(taken):
            raise ValueError(f"{taken} already exists; write the demo into a folder without a site")
    rng = random.Random(seed)
    org = _org(rng, teams)
    calendar = _calendar(cycles, with_sprints=teams >= 20)
    site = {"site_name": f"Demo OKRs ({teams} teams, {cycles} cycles)", "theme": {"name": "material", "font": False}}
    write_yaml(root / "mkdocs.yml", {**site, "plugins": ["search", "okrsite"]})
    write_yaml(content / "cycles.yml", {"cycles": [{"id": c.id, "name": c.name, "start": c.start, "end": c.end} for c in calendar]})
    for team in org:
        data = {"name": team.name, "parent": team.parent, "lead": team.members[0], "members": team.members}
        data["mission"] = f"{team.name} owns {team.area} end to end: what our customers get from it, and how well it runs."
        write_yaml(content / "teams" / team.id / "team.yml", {k: v for k, v in data.items() if v is not None})
    latest: dict[str, list[Objective]] = {}
    for cycle in calendar:
        documents: list[tuple[Team, list[Objective], dict[str, Any]]] = []
        for team in org:
            if team.uses(cycle):
                parent = latest.get(team.parent) if team.parent else None
                objectives, doc = _document(rng, team, cycle, latest.get(team.id, []), parent)
                latest[team.id] = objectives
                documents.append((team, objectives, doc))
        _add_dependencies(rng, documents)
        for team, _, doc in documents:
            write_yaml(content / "teams" / team.id / f"{cycle.id}.yml", doc)


def _org(rng: random.Random, count: int) -> list[Team]:
    """The org tree, parents before children: company, departments, maybe groups, product teams."""
    teams = [Team("company", "Demo Company", "Demo", None, _people(rng))]
    if count == 1:
        return teams
    departments = max(1, round(math.sqrt(count) / 2))
    weights = [rng.uniform(0.5, 1.5) for _ in range(departments)]
    sizes = [0] * departments
    for d in rng.choices(range(departments), weights, k=count - 1 - departments):
        sizes[d] += 1
    largest = max(range(departments), key=lambda d: (sizes[d], -d))
    names = [f"{area} {function}" for area in AREAS for function in FUNCTIONS]
    rng.shuffle(names)
    product_teams: list[Team] = []
    for d, size in enumerate(sizes, start=1):
        dept_name = DEPARTMENTS[(d - 1) % len(DEPARTMENTS)] + (f" {(d - 1) // len(DEPARTMENTS) + 1}" if d > len(DEPARTMENTS) else "")
        dept = Team(f"dept-{d}", dept_name, dept_name, "company", _people(rng))
        teams.append(dept)
        parents = [dept]
        if size >= 8 and (rng.random() < 0.4 or (count >= 50 and d - 1 == largest)):
            groups = max(2, size // 7)
            parents = [
                Team(f"group-{d}-{g}", f"{dept_name} {GROUPS[(g - 1) % len(GROUPS)]}", dept_name, dept.id, _people(rng))
                for g in range(1, groups + 1)
            ]
            teams += parents
            size -= groups
        for k in range(1, size + 1):
            name = names[len(product_teams) % len(names)]
            if len(product_teams) >= len(names):
                name += f" {len(product_teams) // len(names) + 1}"
            team = Team(f"team-{d}-{k}", name, name.split()[0], parents[(k - 1) % len(parents)].id, _people(rng))
            product_teams.append(team)
            teams.append(team)
    if count >= 20 and product_teams:
        sprinters = [team for team in product_teams if rng.random() < 0.1] or product_teams[:1]
        for team in sprinters:
            team.sprints = True
    return teams


def _people(rng: random.Random) -> list[str]:
    size = rng.randint(3, 8)
    return [f"{first} {last}" for first, last in zip(rng.sample(FIRST, size), rng.sample(LAST, size), strict=True)]


def _calendar(count: int, with_sprints: bool) -> list[Cycle]:
    """`count` quarters up to the one holding TODAY; six-week cycles split the last two when sprints are on."""
    year, quarter = TODAY.year, (TODAY.month - 1) // 3 + 1
    cycles: list[Cycle] = []
    for back in range(count):
        first_day = dt.date(year, 3 * quarter - 2, 1)
        start = first_day + dt.timedelta(days=(7 - first_day.weekday()) % 7)
        split = with_sprints and back < 2
        cycles.append(Cycle(f"{year}-Q{quarter}", f"Q{quarter} {year}", start, start + dt.timedelta(days=81), False, split))
        for half in (1, 2) if split else ():
            begin = start + 6 * WEEK * (half - 1)
            number = 2 * (quarter - 1) + half
            cycles.append(Cycle(f"{year}-S{number}", f"Sprint cycle {number}", begin, begin + dt.timedelta(days=39), True, True))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return sorted(cycles, key=lambda c: (c.start, c.start - c.end, c.id))


def _document(
    rng: random.Random, team: Team, cycle: Cycle, previous: list[Objective], parent: list[Objective] | None
) -> tuple[list[Objective], dict[str, Any]]:
    """One team's OKRs for one cycle; some objectives and KRs carry on from `previous`."""
    slots = [cycle.start + WEEK * k for k in range(1, cycle.days // 7 + 1) if cycle.start + WEEK * k < cycle.end]
    dates = [d for d in slots if d <= TODAY]
    ended = cycle.end < TODAY
    count = rng.randint(2, 4)
    objectives = [Objective(o.theme) for o in previous if rng.random() < 0.6][:count]
    taken = [o.id for o in previous]
    fresh = [theme for theme in THEMES if theme.id not in taken]
    objectives += [Objective(theme) for theme in rng.sample(fresh, count - len(objectives))]
    before = {o.id: o for o in previous}
    for objective in objectives:
        committed = rng.random() < 0.55
        data: dict[str, Any] = {"id": objective.id, "title": objective.theme.title.format(area=team.area)}
        data["type"] = "committed" if committed else "aspirational"
        if parent and rng.random() < 0.9:
            data["aligns_to"] = [f"{team.parent}/{rng.choice(parent).id}"]
        earlier = before[objective.id].krs if objective.id in before else []
        for old in earlier:
            if not isinstance(old.template, Milestone) and rng.random() < 0.7:
                kr = _key_result(rng, team, old.template, committed, slots, dates, old.final)
                objective.krs += [kr] if kr else []
        taken = [kr.template.id for kr in earlier]
        for _ in range(max(len(objective.krs), rng.randint(2, 4)) - len(objective.krs)):
            objective.krs.append(_fresh_key_result(rng, team, committed, slots, dates, [*taken, *(kr.template.id for kr in objective.krs)]))
        data["key_results"] = [kr.data for kr in objective.krs]
        data["initiatives"] = _initiatives(rng, team, objective, ended)
        objective.data = data
    doc: dict[str, Any] = {"objectives": [o.data for o in objectives]}
    if ended and rng.random() < 0.85:
        doc["retrospective"] = _retrospective(rng, cycle, objectives)
        if rng.random() < 0.3:
            questions = ["Our objectives were clear", "The weekly check-in helped us decide something", "I knew who owned each KR"]
            doc["pulse"] = {
                "responses": len(team.members),
                "questions": [{"text": q, "score": round(rng.uniform(2.2, 4.8), 1)} for q in questions],
            }
    return objectives, doc


def _fresh_key_result(rng: random.Random, team: Team, committed: bool, slots: list[dt.date], dates: list[dt.date], taken: list[str]) -> KR:
    """A new KR: about 60% metric, 20% health, 20% milestone; `taken` ids would read as continued KRs."""
    roll = rng.random()
    templates: list[Template] = [*METRICS] if roll < 0.6 else [*HEALTH] if roll < 0.8 else [*MILESTONES]
    template = rng.choice([t for t in templates if t.id not in taken])
    baseline = round(rng.uniform(template.low, template.high), template.decimals) if isinstance(template, Metric) else 0.0
    kr = _key_result(rng, team, template, committed, slots, dates, baseline)
    assert kr is not None, "a fresh baseline always leaves room for a target"
    return kr


def _key_result(
    rng: random.Random,
    team: Team,
    template: Template,
    committed: bool,
    slots: list[dt.date],
    dates: list[dt.date],
    baseline: float,
) -> KR | None:
    """A KR with its weekly check-ins; None when a metric has no room left to move from `baseline`."""
    outlook = _clamp(rng.gauss(0.85 if committed else 0.65, 0.3), -0.2, 1.25)
    title = template.title.format(area=team.area)
    data: dict[str, Any] = {"id": template.id, "title": title}
    if len(dates) >= 3 and rng.random() < 0.1:
        dates = dates[: rng.randint(1, len(dates) - 1)]
    values: list[Any]
    if isinstance(template, Metric):
        target = _target(rng, template, baseline)
        if target is None:
            return None
        gain = target - baseline
        trend = [baseline + gain * outlook * k / len(slots) + rng.gauss(0, 0.04) * abs(gain) for k in range(1, len(dates) + 1)]
        values = [_clamp(round(v, template.decimals), 0, _ceiling(template.unit)) for v in trend]
        data |= {"baseline": baseline, "target": target, "unit": template.unit}
        data["direction"] = "increase" if template.increase else "decrease"
        final = values[-1] if values else baseline
        score = _clamp((final - baseline) / gain, 0, 1)
    elif isinstance(template, Health):
        breach = 0.3 if outlook < 0.5 else 0.05
        side = [(1 if template.above else -1) * (-1 if rng.random() < breach else 1) for _ in dates]
        trend = [template.line + s * abs(rng.gauss(template.spread, template.spread / 2)) for s in side]
        values = [_clamp(round(v, template.decimals), 0, _ceiling(template.unit)) for v in trend]
        data |= {"keep_above" if template.above else "keep_below": template.line, "unit": template.unit}
        final = values[-1] if values else template.line
        score = sum(1 for s in side if s == (1 if template.above else -1)) / len(side) if side else 0.0
    else:
        done_week = round(len(slots) * rng.uniform(0.4, 1.0)) if outlook >= 0.6 else len(slots) + 1
        values = [k >= done_week for k in range(1, len(dates) + 1)]
        final = 0.0
        score = 1.0 if values and values[-1] else 0.0
    data = {k: v for k, v in data.items() if v is not None}
    data["owner"] = rng.choice(team.members)
    confidence = rng.randint(5, 8)
    checkins = []
    for day, value in zip(dates, values, strict=True):
        drift = (1 if outlook >= 0.9 else -1 if outlook < 0.5 else 0) if rng.random() < 0.25 else 0
        confidence = int(_clamp(confidence + drift + rng.choice((-1, 0, 0, 0, 1)), 1, 10))
        checkin = Inline(date=day, **{"done" if isinstance(value, bool) else "value": value}, confidence=confidence)
        if rng.random() < 0.12:
            checkin["note"] = rng.choice(NOTES)
        checkins.append(checkin)
    data["checkins"] = checkins
    if isinstance(template, Metric) and len(dates) >= 4 and rng.random() < 0.05:
        ambitious = round(data["target"] + (data["target"] - baseline) * 0.3, template.decimals)
        why = "The first weeks showed the original target was out of reach"
        data["revisions"] = [{"date": dates[len(dates) // 2], "field": "target", "from": ambitious, "to": data["target"], "why": why}]
    return KR(template, data, score, final)


def _target(rng: random.Random, metric: Metric, baseline: float) -> float | None:
    """A target that moves `baseline` in the metric's direction, None when no room is left."""
    share = rng.uniform(0.1, 0.4)
    room = (100 - baseline if metric.unit == "%" else baseline) if metric.increase else -baseline
    target = round(baseline + room * share, metric.decimals)
    return target if target != baseline and 0 < target <= _ceiling(metric.unit) else None


def _ceiling(unit: str | None) -> float:
    return 100.0 if unit == "%" else math.inf


def _clamp(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def _initiatives(rng: random.Random, team: Team, objective: Objective, ended: bool) -> list[dict[str, Any]]:
    weights = (0, 2, 6, 2) if ended else (5, 12, 2, 1)
    initiatives = []
    for title in rng.sample(INITIATIVES, rng.randint(1, 3)):
        picked = sorted(rng.sample(range(len(objective.krs)), rng.randint(1, min(2, len(objective.krs)))))
        initiatives.append(
            {
                "title": title.format(area=team.area),
                "key_results": [objective.krs[i].data["id"] for i in picked],
                "status": rng.choices(STATUSES, weights)[0],
            }
        )
    return initiatives


def _retrospective(rng: random.Random, cycle: Cycle, objectives: list[Objective]) -> dict[str, Any]:
    pairs = [(o, kr) for o in objectives for kr in o.krs]
    retro: dict[str, Any] = {"date": cycle.end + dt.timedelta(days=3)}
    retro["landed"] = [f"{kr.data['title']} (score {kr.score:.2f})" for _, kr in pairs if kr.score >= 0.7][:3]
    missed = [{"key_result": f"{o.id}/{kr.data['id']}", "cause": rng.choice(CAUSES)} for o, kr in pairs if kr.score < 0.4][:3]
    retro["missed"] = [{**m, "note": rng.choice(NOTES)} if rng.random() < 0.5 else m for m in missed]
    if rng.random() < 0.7:
        retro["lessons"] = {"business": rng.sample(LESSONS, rng.randint(1, 2)), "method": rng.sample(METHOD, rng.randint(1, 2))}
    retro["changes"] = rng.sample(CHANGES, rng.randint(1, 2)) if rng.random() < 0.85 else []
    return {key: value for key, value in retro.items() if value != []}


def _add_dependencies(rng: random.Random, documents: list[tuple[Team, list[Objective], dict[str, Any]]]) -> None:
    """Some KRs need a KR of another team that has a document for the same cycle."""
    if len(documents) < 2:
        return
    for i, (_, objectives, _) in enumerate(documents):
        for kr in (kr for objective in objectives for kr in objective.krs):
            if rng.random() < 0.08:
                j = rng.randrange(len(documents) - 1)
                other, other_objectives, _ = documents[j + (j >= i)]
                target = rng.choice(other_objectives)
                later: dict[str, Any] = {key: kr.data.pop(key) for key in ("checkins", "revisions") if key in kr.data}
                kr.data |= {"depends_on": [f"{other.id}/{target.id}/{rng.choice(target.krs).data['id']}"], **later}
