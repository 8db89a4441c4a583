"""Golden tests of the change log's words: every kind of change as the sentence a reader sees, and how pages group them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import pytest

from okrsite.analysis.changes import Change, ChangeKind, ChangeLog, change_log, shared_changes
from okrsite.content.model import Organisation
from okrsite.sources.history import read_history

from ..conftest import write_repo
from .test_changes import commit, git, isolated_git, load

__all__ = ["isolated_git"]  # git as on a fresh machine, for the commits' test

CYCLES = """\
cycles:
  - id: 2026-Q1
    name: Q1 2026
    start: 2026-01-05
    end: 2026-03-27
  - id: 2026-Q2
    name: Q2 2026
    start: 2026-04-06
    end: 2026-07-03
    checkin_every: 14
  - id: 2026-S1
    name: Sprint 1
    start: 2026-02-16
    end: 2026-03-27
"""

BEFORE = """\
objectives:
  - id: revenue
    title: Grow revenue
    type: aspirational
    key_results:
      - {id: arr, title: Annual recurring revenue, baseline: 17.8, target: 19.5, unit: k EUR, checkins: [{date: 2026-03-20, value: 19.4}]}
      - {id: churn, title: Monthly churn, baseline: 5, target: 3, unit: "%", checkins: [{date: 2026-03-20, value: 4.2}]}
      - {id: uptime, title: Checkout uptime, keep_above: 99.5, unit: "%"}
      - {id: margin, title: Gross margin, baseline: 60, target: 65, unit: "%"}
      - {id: legacy, title: Legacy invoices paid on time, baseline: 1, target: 2}
  - id: brand
    title: People know us
    type: committed
    key_results:
      - {id: podcast, title: Launch the podcast}
  - id: support
    title: Support is fast
    type: committed
    key_results:
      - {id: wait, title: Wait time, baseline: 10, target: 5, unit: minutes}
retrospective:
  changes: [Check in every **two** weeks]
"""

AFTER = """\
objectives:
  - id: revenue
    title: Grow revenue
    type: committed
    key_results:
      - id: arr
        title: Annual recurring revenue
        baseline: 19.4
        target: 21.5
        unit: k EUR
        revisions:
          - {date: 2026-05-04, field: target, from: 22, to: 21.5, why: A deal moved to July}
          - {date: 2026-05-11, field: title, from: ARR, to: Annual recurring revenue}
          - {date: 2026-05-12, field: unit, from: EUR, to: k EUR}
          - {date: 2026-05-13, field: direction, to: increase}
          - {date: 2026-05-14, field: baseline, to: 19.4}
      - {id: churn, title: Monthly churn, baseline: 4, target: 2.5, unit: "%"}
      - {id: uptime, title: Checkout uptime, keep_above: 99.9, unit: "%"}
      - {id: margin, title: Gross margin, keep_above: 62, unit: "%"}
      - {id: refunds, title: Refund rate, keep_below: 2, unit: "%"}
      - {id: nps, title: Net promoter score, baseline: 30, target: 40}
      - {id: pricing, title: Publish the new pricing}
  - id: awareness
    continues: brand
    title: People know our name
    type: committed
    key_results:
      - {id: podcast, title: Launch the podcast, baseline: 0, target: 1000, unit: listeners}
  - id: partners
    title: Partners sell for us
    type: aspirational
    key_results:
      - {id: deals, title: Partner deals, baseline: 0, target: 5}
      - {id: resellers, title: Signed resellers, baseline: 0, target: 3}
"""

GROW = "(under “Grow revenue”)"


@pytest.fixture
def org(tmp_path: Path) -> Organisation:
    return load(
        write_repo(
            tmp_path,
            {
                "content/cycles.yml": CYCLES,
                "content/teams/sales/team.yml": "name: Sales\n",
                "content/teams/sales/2026-Q1.yml": BEFORE,
                "content/teams/sales/2026-Q2.yml": AFTER,
            },
        )
    )


def test_every_kind_of_change_is_a_sentence(org: Organisation) -> None:
    log = change_log(org, org.teams["sales"].documents["2026-Q2"])
    assert [(c.kind, c.message) for c in log.changes] == [
        ("commitment", "Committed to in the Q1 2026 retrospective: Check in every **two** weeks"),
        ("cycle-length", "Cycle length changed from 82 to 89 days"),
        ("cadence", "Check-in cadence changed: every 7 → 14 days"),
        ("objective-type", "Objective “Grow revenue” switched aspirational → committed"),
        ("objective-continued", "Objective “People know our name” continues from Q1 2026 under a new id: brand → awareness"),
        ("objective-retitled", "Objective retitled “People know us” → “People know our name”"),
        ("objective-added", "Objective “Partners sell for us” added (aspirational, 2 key results)"),
        ("objective-retired", "Objective “Support is fast” retired"),
        ("kr-retargeted", f"“Annual recurring revenue” {GROW}: target raised 19.5 → 21.5 k EUR"),
        ("kr-rebaselined", f"“Annual recurring revenue” {GROW}: baseline raised 17.8 → 19.4 k EUR"),
        ("kr-retargeted", f"“Monthly churn” {GROW}: target lowered 3 → 2.5%"),
        ("kr-rebaselined", f"“Monthly churn” {GROW}: baseline lowered 5 → 4%"),
        ("baseline-differs", f"“Monthly churn” {GROW}: baseline 4% differs from the previous cycle's final value, 4.2%"),
        ("kr-retargeted", f"“Checkout uptime” {GROW}: line to keep above raised 99.5 → 99.9%"),
        ("kr-retargeted", f"“Gross margin” {GROW}: goal changed: target 65% → keep above 62%"),
        ("kr-rebaselined", f"“Gross margin” {GROW}: baseline removed (was 60%)"),
        ("kr-added", f"“Refund rate” {GROW}: added, keep below 2%"),
        ("kr-added", f"“Net promoter score” {GROW}: added, from 30 to 40"),
        ("kr-added", f"“Publish the new pricing” {GROW}: added, a milestone"),
        ("kr-removed", f"“Legacy invoices paid on time” {GROW}: removed"),
        ("kr-retargeted", "“Launch the podcast” (under “People know our name”): goal changed: a milestone → target 1000 listeners"),
        ("kr-rebaselined", "“Launch the podcast” (under “People know our name”): baseline set to 0 listeners"),
        (
            "revision",
            f"“Annual recurring revenue” {GROW}: target lowered 22 → 21.5 k EUR in a revision on 2026-05-04 (why: A deal moved to July)",
        ),
        ("revision", f"“Annual recurring revenue” {GROW}: retitled “ARR” → “Annual recurring revenue” in a revision on 2026-05-11"),
        ("revision", f"“Annual recurring revenue” {GROW}: unit changed “EUR” → “k EUR” in a revision on 2026-05-12"),
        ("revision", f"“Annual recurring revenue” {GROW}: direction switched to increase in a revision on 2026-05-13"),
        ("revision", f"“Annual recurring revenue” {GROW}: baseline set to 19.4 k EUR in a revision on 2026-05-14"),
    ]
    for change in log.changes:
        assert "->" not in change.message and " of " not in change.message.split(":")[0], change.message


def test_a_page_lists_the_changes_by_objective(org: Organisation) -> None:
    """Commitments and the cycle first; then each objective, its own changes before its key results', in the document's order."""
    groups = change_log(org, org.teams["sales"].documents["2026-Q2"]).groups()
    assert [(g.topic, g.title, g.objective) for g in groups] == [
        ("commitments", "", None),
        ("cycle", "", None),
        ("objective", "Grow revenue", "revenue"),
        ("objective", "People know our name", "awareness"),
        ("objective", "Partners sell for us", "partners"),
        ("objective", "Support is fast", "support"),  # retired: its title from the previous document
    ]
    revenue = groups[2]
    assert [c.short or c.message for c in revenue.changes] == [
        "Objective switched aspirational → committed",
        "“Annual recurring revenue”: target raised 19.5 → 21.5 k EUR",
        "“Annual recurring revenue”: baseline raised 17.8 → 19.4 k EUR",
        "“Annual recurring revenue”: target lowered 22 → 21.5 k EUR in a revision on 2026-05-04 (why: A deal moved to July)",
        "“Annual recurring revenue”: retitled “ARR” → “Annual recurring revenue” in a revision on 2026-05-11",
        "“Annual recurring revenue”: unit changed “EUR” → “k EUR” in a revision on 2026-05-12",
        "“Annual recurring revenue”: direction switched to increase in a revision on 2026-05-13",
        "“Annual recurring revenue”: baseline set to 19.4 k EUR in a revision on 2026-05-14",
        "“Monthly churn”: target lowered 3 → 2.5%",
        "“Monthly churn”: baseline lowered 5 → 4%",
        "“Monthly churn”: baseline 4% differs from the previous cycle's final value, 4.2%",
        "“Checkout uptime”: line to keep above raised 99.5 → 99.9%",
        "“Gross margin”: goal changed: target 65% → keep above 62%",
        "“Gross margin”: baseline removed (was 60%)",
        "“Refund rate”: added, keep below 2%",
        "“Net promoter score”: added, from 30 to 40",
        "“Publish the new pricing”: added, a milestone",
        "“Legacy invoices paid on time”: removed",  # a removed KR comes after those the document still has
    ]
    assert [c.short or c.message for c in groups[3].changes] == [
        "Objective continues from Q1 2026 under a new id: brand → awareness",
        "Objective retitled “People know us” → “People know our name”",
        "“Launch the podcast”: goal changed: a milestone → target 1000 listeners",
        "“Launch the podcast”: baseline set to 0 listeners",
    ]
    assert [c.short for c in groups[4].changes + groups[5].changes] == [
        "Objective added (aspirational, 2 key results)",
        "Objective retired",
    ]


D7 = "content/teams/growth/2026-Q1.yml"
GROWTH = """\
objectives:
  - id: activation
    title: New users reach value
    type: committed
    key_results:
      - {{id: d7, title: {title}, baseline: {baseline}, target: {target}, unit: "%"}}
{extra}"""
SPARE = "      - {id: spare, title: Spare KR, baseline: 1, target: {target}}\n"


def growth(title: str = "D7", baseline: str = "32", target: str = "55", spare: str | None = None) -> str:
    return GROWTH.format(title=title, baseline=baseline, target=target, extra=SPARE.replace("{target}", spare) if spare else "")


def test_commits_say_what_moved_when_by_whom_and_why(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    base = {"content/cycles.yml": CYCLES, "content/teams/growth/team.yml": "name: Growth\n"}
    commit(repo, "2025-12-20", "Ana Silva", "Draft Q1", {**base, D7: growth(spare="2")})
    commit(repo, "2026-01-12", "Ana Silva", "Raise the d7 target", {D7: growth(target="60", spare="2")})
    commit(repo, "2026-01-13", "Li Wei", "Spare goes further", {D7: growth(target="60", spare="3")})
    commit(repo, "2026-01-14", "Li Wei", "Drop the spare KR", {D7: growth(target="60")})
    commit(repo, "2026-02-02", "Li Wei", "Clean data", {D7: growth(baseline="30", target="60")})
    commit(repo, "2026-02-09", "Ana Silva", "Clearer KR title", {D7: growth(title="Day-7 activation rate", baseline="30", target="60")})
    org = load(repo / "site")
    doc = org.teams["growth"].documents["2026-Q1"]
    log = change_log(org, doc, read_history(repo / "site"))
    under = "(under “New users reach value”)"
    assert [c.message for c in log.changes] == [
        f"“Day-7 activation rate” {under}: target raised 55 → 60% on 2026-01-12 by Ana Silva, in commit “Raise the d7 target”",
        f"Key result spare {under}: target raised 2 → 3 on 2026-01-13 by Li Wei, in commit “Spare goes further”",  # no title left
        f"“Day-7 activation rate” {under}: baseline lowered 32 → 30% on 2026-02-02 by Li Wei, in commit “Clean data”",
        f"“Day-7 activation rate” {under}: retitled “D7” → “Day-7 activation rate” on 2026-02-09 by Ana Silva,"
        " in commit “Clearer KR title”",
    ]
    assert [c.short for c in log.groups()[0].changes] == [
        "“Day-7 activation rate”: target raised 55 → 60% on 2026-01-12 by Ana Silva, in commit “Raise the d7 target”",
        "“Day-7 activation rate”: baseline lowered 32 → 30% on 2026-02-02 by Li Wei, in commit “Clean data”",
        "“Day-7 activation rate”: retitled “D7” → “Day-7 activation rate” on 2026-02-09 by Ana Silva, in commit “Clearer KR title”",
        "Key result spare: target raised 2 → 3 on 2026-01-13 by Li Wei, in commit “Spare goes further”",
    ]


# --- cycle-wide changes, said once for the teams that share them -------------------------------

STEADY = """\
objectives:
  - id: speed
    title: Pages feel instant
    type: committed
    key_results:
      - {id: p95, title: P95 load time, baseline: 800, target: 400, unit: ms}
"""


def logs(tmp_path: Path, previous: dict[str, str]) -> list[ChangeLog]:
    """A Q2 document for each team, after its document of the cycle given (None: Q2 is its first)."""
    files = {"content/cycles.yml": CYCLES}
    for team, cycle in previous.items():
        files[f"content/teams/{team}/team.yml"] = f"name: {team.title()}\n"
        files[f"content/teams/{team}/2026-Q2.yml"] = STEADY
        if cycle:
            files[f"content/teams/{team}/{cycle}.yml"] = STEADY
    org = load(write_repo(tmp_path, files))
    return [change_log(org, org.teams[team].documents["2026-Q2"]) for team in previous]


def test_a_cycle_change_most_teams_share_is_said_once_with_the_exceptions(tmp_path: Path) -> None:
    found = logs(tmp_path, {"ads": "2026-Q1", "web": "2026-Q1", "ops": "2026-S1", "new": ""})
    length, cadence = shared_changes(found)
    assert length.change.message == "Cycle length changed from 82 to 89 days"
    assert [d.team.name for d in length.documents] == ["Ads", "Web"]
    assert [(d.team.name, c.message if c else None) for d, c in length.otherwise] == [
        ("Ops", "Cycle length changed from 40 to 89 days")
    ]  # a first document is compared with nothing: no exception
    assert cadence.change.message == "Check-in cadence changed: every 7 → 14 days"
    assert [d.team.name for d in cadence.documents] == ["Ads", "Web", "Ops"] and cadence.otherwise == []

    ops = found[2].without([s.change for s in (length, cadence)])
    assert [c.message for c in ops.changes] == ["Cycle length changed from 40 to 89 days"]  # its own stays in its list
    assert found[2].changes[:2] == [Change("cycle-length", "Cycle length changed from 40 to 89 days", old=40, new=89), cadence.change]


def test_a_cycle_change_only_a_few_teams_share_stays_with_each(tmp_path: Path) -> None:
    assert shared_changes(logs(tmp_path / "one", {"ads": "2026-Q1", "new": ""})) == []  # one team: nothing to share
    few = logs(tmp_path / "few", {"ads": "2026-Q1", "web": "2026-Q1", "ops": "2026-S1", "bi": "2026-S1"})
    assert [s.change.kind for s in shared_changes(few)] == ["cadence"]  # two lengths, two teams each: no majority


def test_the_readme_names_every_kind_of_change() -> None:
    """The export's `kind` is documented with its values."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    documented = re.search(r"A change's `message` is .*?its `kind` is one of (.*?)\.\n", readme)
    assert documented is not None
    assert re.findall(r"`([a-z-]+)`", documented.group(1)) == list(get_args(ChangeKind))
