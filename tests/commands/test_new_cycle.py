"""Drafting a new cycle's documents from the previous ones (okrsite/commands/new_cycle.py)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from okrsite.commands.new_cycle import Drafted, NewCycleError, draft_cycle
from okrsite.content.folder import load_organisation
from okrsite.content.model import Document, Organisation

from ..conftest import CYCLES, write_repo

EXAMPLE = Path(__file__).resolve().parents[2]

ENDED_Q1 = {
    "content/cycles.yml": CYCLES,
    "content/teams/company/team.yml": "name: Company\n",
    "content/teams/company/2026-Q1.md": """\
        ---
        # The company's bets for the quarter.
        objectives:
          - id: grow
            title: Customers pick us first
            type: aspirational
            key_results:
              - id: revenue
                title: Monthly recurring revenue in k EUR
                baseline: 100
                target: 200
                checkins:
                  - {date: 2026-02-02, value: 150, confidence: 6}
          - id: ship
            title: The new billing ships
            type: committed
            key_results:
              - id: billing-live
                title: Every customer is billed by the new system
                checkins:
                  - {date: 2026-03-02, done: true, confidence: 9}
        ---
        The quarter in our own words.
        """,
    "content/teams/data/team.yml": "name: Data\nparent: company\n",
    "content/teams/data/2026-Q1.yml": """\
        objectives:
          - id: pipeline
            title: Events arrive fresh
            type: committed
            aligns_to: [company/grow]
            key_results:
              - id: freshness
                title: Minutes from event to dashboard
                baseline: 60
                target: 10
                checkins:
                  - {date: 2026-03-02, value: 30, confidence: 7}
        """,
    "content/teams/data/2026-Q2.yml": """\
        # Written by the Data team before the draft.
        objectives:
          - id: pipeline
            title: Events arrive fresh
            type: committed
            key_results:
              - id: freshness
                title: Minutes from event to dashboard
                baseline: 30
                target: 10
        """,
    "content/teams/growth/team.yml": "name: Growth\nparent: company\n",
    "content/teams/growth/2026-Q1.yml": """\
        # Growth's first quarter with OKRs.
        objectives:
          - id: activation
            title: New users reach value in their first week
            type: aspirational
            aligns_to: [company/grow]
            key_results:
              # Measured on the weekly cohort.
              - id: d7
                title: Day-7 activation rate
                baseline: 30
                target: 50
                unit: "%"
                direction: increase
                owner: Ana Silva
                bet: Emails after signup drive activation
                depends_on: [data/pipeline/freshness]
                checkins:
                  - {date: 2026-01-19, value: 34, confidence: 6}
                  - {date: 2026-03-16, value: 38.5, confidence: 5}
                  - {date: 2026-02-16, value: 36, confidence: 6}
                revisions:
                  - date: 2026-02-10
                    field: target
                    from: 60
                    to: 50
                    why: The email channel has a ceiling
            initiatives:
              - title: Behavioural emails
                key_results: [d7]
                status: active
              - title: Onboarding video
                key_results: [d7]
                status: dropped
          - id: retention
            title: Customers stay
            type: committed
            aligns_to: [company/ship]
            key_results:
              - id: churn
                title: Monthly churn
                baseline: 5
                target: 3
                unit: "%"
                direction: decrease
                checkins:
                  - {date: 2026-03-02, value: 2.5, confidence: 8}
              - id: nps
                title: Net promoter score
                baseline: 20
                target: 40
                score: 0.2
                score_note: The survey ran late
              - id: uptime
                title: Uptime stays above 99.5%
                keep_above: 99.5
                checkins:
                  - {date: 2026-03-02, value: 99.9, confidence: 9}
            initiatives:
              - title: Churn interviews
                key_results: [churn]
                status: done
          - id: brand
            title: People know our name
            type: aspirational
            key_results:
              - id: awareness
                title: Aided brand awareness
                baseline: 10
                target: 30
                checkins:
                  - {date: 2026-03-02, value: 25, confidence: 7}
        retrospective:
          date: 2026-03-27
          landed: [Churn fell below target]
          changes: [Check in every week]
        pulse:
          responses: 5
          questions:
            - text: Our objectives were clear
              score: 4.2
        """,
}
ON = dt.date(2026, 4, 1)


def loaded(root: Path) -> Organisation:
    org, problems = load_organisation(root, "content")
    assert [str(p) for p in problems.errors] == []
    return org


def draft(root: Path, on: dt.date = ON) -> tuple[dict[str, Drafted], Organisation]:
    drafted = draft_cycle(root, "content", "2026-Q2", on)
    return {d.team: d for d in drafted}, loaded(root)


def q2(org: Organisation, team: str) -> Document:
    return org.teams[team].documents["2026-Q2"]


@pytest.fixture
def ended(tmp_path: Path) -> Path:
    return write_repo(tmp_path, ENDED_Q1)


def test_unfinished_objectives_are_carried_with_their_ids_and_landed_ones_left_out(ended: Path) -> None:
    drafted, org = draft(ended)
    assert drafted["growth"] == Drafted(ended / "content/teams/growth/2026-Q2.yml", "growth", ["activation", "retention"], ["brand"])
    assert drafted["company"].carried == ["grow"]
    assert drafted["company"].dropped == ["ship"]  # a landed committed objective is done
    assert [o.id for o in q2(org, "growth").objectives] == ["activation", "retention"]
    assert [kr.id for kr in q2(org, "growth").objectives[1].key_results] == ["churn", "nps", "uptime"]


def test_a_landed_objective_goes_on_for_its_lines_to_hold(tmp_path: Path) -> None:
    """A health KR (keep above or below a line) is never done: landing ends the objective's other KRs, not its lines."""
    files = {
        **ENDED_Q1,
        "content/teams/ops/team.yml": "name: Ops\nparent: company\n",
        "content/teams/ops/2026-Q1.yml": """\
            objectives:
              - id: reliable
                title: The service is there when customers need it
                type: committed
                key_results:
                  - {id: uptime, title: Uptime stays above 99.9%, keep_above: 99.9, checkins: [{date: 2026-03-02, value: 99.95}]}
                  - {id: pager, title: Pages per week stay below 5, keep_below: 5, checkins: [{date: 2026-03-02, value: 2}]}
              - id: migrate
                title: The database runs on the new cluster
                type: committed
                key_results:
                  - {id: moved, title: Every table moved, checkins: [{date: 2026-03-02, done: true}]}
                  - {id: backups, title: Restores stay under 30 minutes, keep_below: 30, checkins: [{date: 2026-03-02, value: 12}]}
                initiatives:
                  - {title: Copy the tables, key_results: [moved], status: active}
                  - {title: Restore drills, key_results: [moved, backups], status: active}
                  - {title: Old runbook, key_results: [backups], status: done}
            """,
    }
    drafted, org = draft(write_repo(tmp_path, files))
    assert (drafted["ops"].carried, drafted["ops"].dropped) == (["reliable", "migrate"], [])
    objectives = {o.id: [kr.id for kr in o.key_results] for o in q2(org, "ops").objectives}
    assert objectives == {"reliable": ["uptime", "pager"], "migrate": ["backups"]}
    text = (tmp_path / "content/teams/ops/2026-Q2.yml").read_text(encoding="utf-8")
    assert "landed in 2026-Q1 (moved done): kept for its lines to hold" in text
    assert "Left out" not in text
    assert [i.title for i in q2(org, "ops").objectives[1].initiatives] == ["Restore drills"]  # open, and moves a line
    assert "key_results: [backups]" in text


def test_metric_baselines_start_from_the_last_checkin_as_of_the_date(ended: Path) -> None:
    _, org = draft(ended)
    krs = {kr.id: kr for o in q2(org, "growth").objectives for kr in o.key_results}
    assert (krs["d7"].baseline, krs["d7"].target) == (38.5, 50)
    assert (krs["nps"].baseline, krs["nps"].target) == (20, 40)  # no check-in: the old baseline stays
    assert (krs["uptime"].keep_above, krs["uptime"].baseline) == (99.5, None)
    assert (q2(org, "company").objectives[0].key_results[0].baseline, q2(org, "company").objectives[0].key_results[0].target) == (150, 200)


def test_a_checkin_after_the_date_does_not_count(ended: Path) -> None:
    _, org = draft(ended, on=dt.date(2026, 3, 1))
    assert q2(org, "growth").objectives[0].key_results[0].baseline == 36


def test_a_passed_target_moves_on_by_the_same_distance_and_is_flagged(ended: Path) -> None:
    _, org = draft(ended)
    churn = q2(org, "growth").objectives[1].key_results[0]
    assert (churn.baseline, churn.target, churn.direction) == (2.5, 0.5, "decrease")
    text = (ended / "content/teams/growth/2026-Q2.yml").read_text()
    assert "target: 0.5  # TODO: set a new target" in text


def test_the_old_cycle_records_and_finished_initiatives_are_gone(ended: Path) -> None:
    _, org = draft(ended)
    doc = q2(org, "growth")
    assert doc.retrospective is None and doc.pulse is None
    krs = [kr for o in doc.objectives for kr in o.key_results]
    assert all(not kr.checkins and not kr.revisions and kr.score is None and kr.score_note is None for kr in krs)
    assert [i.title for i in doc.objectives[0].initiatives] == ["Behavioural emails"]
    assert doc.objectives[1].initiatives == []
    text = (ended / "content/teams/growth/2026-Q2.yml").read_text()
    assert "checkins" not in text and "revisions" not in text and "retrospective" not in text and "pulse" not in text


def test_comments_tell_the_team_what_to_decide_and_its_own_comments_stay(ended: Path) -> None:
    draft(ended)
    text = (ended / "content/teams/growth/2026-Q2.yml").read_text()
    assert text.startswith(
        "# Drafted by okrsite new-cycle from content/teams/growth/2026-Q1.yml on 2026-04-01: review every objective, "
        "then remove this comment.\n"
        "# Left out, as they landed in 2026-Q1 (scores as of 2026-04-01):\n"
        "#   - brand (aspirational, 0.75): to go on, bring it back with a new stretch target\n"
        "# Growth's first quarter with OKRs.\n"
    )
    assert "  - id: activation  # carried over from 2026-Q1: still the right objective?\n" in text
    assert "  - id: retention  # carried over from 2026-Q1: still the right objective?\n" in text
    assert "      # Measured on the weekly cohort.\n      - id: d7\n" in text
    assert "    aligns_to: []  # TODO: removed company/ship, which 2026-Q2 does not have\n" in text
    assert "depends_on: [data/pipeline/freshness]\n" in text  # resolves in Data's own 2026-Q2 document


def test_a_markdown_document_drafts_into_yaml_and_its_narrative_stays(ended: Path) -> None:
    draft(ended)
    text = (ended / "content/teams/company/2026-Q2.yml").read_text()
    assert "# The narrative stays in content/teams/company/2026-Q1.md;" in text
    assert "#   - ship (committed, 1.00): done\n" in text
    assert "# The company's bets for the quarter.\nobjectives:\n  - id: grow" in text
    assert "our own words" not in text
    assert not (ended / "content/teams/company/2026-Q2.md").exists()


def test_an_existing_document_is_never_overwritten(ended: Path) -> None:
    existing = (ended / "content/teams/data/2026-Q2.yml").read_text()
    drafted, _ = draft(ended)
    assert "data" not in drafted
    assert (ended / "content/teams/data/2026-Q2.yml").read_text() == existing
    with pytest.raises(NewCycleError, match=r"nothing to draft for 2026-Q2: every team .* already has one"):
        draft_cycle(ended, "content", "2026-Q2", ON)


def test_an_unknown_cycle_gets_a_did_you_mean(ended: Path) -> None:
    with pytest.raises(NewCycleError, match=r"^'2026Q2' is not a cycle of content/cycles.yml; did you mean '2026-Q2'"):
        draft_cycle(ended, "content", "2026Q2", ON)


def test_content_with_errors_is_not_drafted(ended: Path) -> None:
    (ended / "content/teams/growth/team.yml").write_text("name: Growth\nparent: nobody\n")
    with pytest.raises(NewCycleError, match="run `okrsite check` first"):
        draft_cycle(ended, "content", "2026-Q2", ON)
    assert not (ended / "content/teams/growth/2026-Q2.yml").exists()


def test_a_cycle_before_every_document_has_nothing_to_draft(ended: Path) -> None:
    cycles = ended / "content/cycles.yml"
    cycles.write_text(cycles.read_text() + "  - id: 2025-Q4\n    start: 2025-10-06\n    end: 2025-12-19\n")
    with pytest.raises(NewCycleError, match="no team has a document in a cycle that starts before it"):
        draft_cycle(ended, "content", "2025-Q4", ON)


def test_the_example_content_drafts_a_next_quarter_that_checks_clean(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE / "content", tmp_path / "content")
    shutil.copy(EXAMPLE / "mkdocs.yml", tmp_path / "mkdocs.yml")
    cycles = tmp_path / "content/cycles.yml"
    cycles.write_text(cycles.read_text() + "  - id: 2027-Q1\n    start: 2027-01-04\n    end: 2027-03-26\n")
    drafted = draft_cycle(tmp_path, "content", "2027-Q1", dt.date(2026, 12, 20))
    org = loaded(tmp_path)
    assert {d.team for d in drafted} == set(org.teams)
    for d in drafted:
        assert [o.id for o in org.teams[d.team].documents["2027-Q1"].objectives] == d.carried
        assert d.path.read_text().startswith("# Drafted by okrsite new-cycle from content/teams/")
