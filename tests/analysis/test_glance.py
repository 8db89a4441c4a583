"""A cycle at a glance: key results counted by status, committed KRs while the cycle runs, and where to look first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from okrsite.analysis.computed import Analysis
from okrsite.analysis.glance import glance
from okrsite.analysis.score import summarise
from okrsite.content.folder import load_organisation

from ..conftest import write_repo

FILES = {
    "content/cycles.yml": "cycles:\n  - {id: 2026-Q2, start: 2026-04-06, end: 2026-06-26}\n",
    "content/teams/acme/team.yml": "name: Acme\n",
    "content/teams/web/team.yml": "name: Web\nparent: acme\n",
    "content/teams/acme/2026-Q2.yml": """\
        objectives:
          - id: growth
            title: Customers pick Acme first
            type: committed
            key_results:
              - id: revenue
                title: Monthly recurring revenue
                baseline: 100
                target: 200
                checkins: [{date: 2026-05-11, value: 105}]
              - id: churn
                title: Churn stays low
                baseline: 5
                target: 3
                checkins: [{date: 2026-05-11, value: 3.5}]
        """,
    "content/teams/web/2026-Q2.yml": """\
        objectives:
          - id: speed
            title: Pages feel instant
            type: aspirational
            aligns_to: [acme/growth]
            key_results:
              - id: p95
                title: P95 load time
                baseline: 800
                target: 400
                depends_on: [acme/growth/revenue]
                checkins: [{date: 2026-05-11, value: 600}]
              - id: lcp
                title: Largest paint
                baseline: 3
                target: 2
                checkins: [{date: 2026-04-10, value: 2.9}]
        """,
}


def analysis(tmp_path: Path, on: str) -> Analysis:
    org, problems = load_organisation(write_repo(tmp_path, FILES))
    assert not problems.errors, [str(p) for p in problems.errors]
    return Analysis.of(org, dt.date.fromisoformat(on))


def test_a_running_cycle_counts_key_results_by_status_and_committed_ones_on_track(tmp_path):
    a = analysis(tmp_path, "2026-05-18")  # 42 of 81 days: expected progress 0.52
    g = glance(a, list(a.org.documents()))
    # revenue 0.05 off track; churn (5 -> 3.5 of 5 -> 3) 0.75 on track; p95 0.50 on track; lcp 0.10 off track
    assert g.statuses == [("on track", 2), ("off track", 2)]
    assert g.key_results == 4 and g.share(2) == 0.5
    assert (g.summary.committed, g.summary.landed, g.summary.on_track) == (2, 0, 1)
    assert round(g.summary.aspirational_mean, 2) == 0.3


def test_attention_names_off_track_committed_krs_then_broken_dependencies_then_stale_check_ins(tmp_path):
    a = analysis(tmp_path, "2026-05-18")
    g = glance(a, list(a.org.documents()))
    seen = [(x.why, x.key_result.objective.document.team.name, x.key_result.title) for x in g.attention]
    assert seen == [
        ("off track", "Acme", "Monthly recurring revenue"),  # committed; Web's off-track lcp is aspirational
        ("broken dependency", "Web", "P95 load time"),  # it depends on revenue, which is off track
        ("stale check-ins", "Web", "Largest paint"),  # last check-in 38 days ago, every 7 days expected
    ]
    assert g.attention[0].detail == "0.05, off track"
    assert "38 days ago" in g.attention[2].detail


def test_an_ended_cycle_counts_final_statuses_and_red_committed_krs_need_attention(tmp_path):
    a = analysis(tmp_path, "2026-07-01")
    g = glance(a, list(a.org.documents()))
    assert g.statuses == [("green", 1), ("yellow", 1), ("red", 2)]  # 0.75, 0.50, then 0.05 and 0.10
    assert [x.key_result.id for x in g.attention if x.why == "off track"] == ["revenue"]
    assert not [x for x in g.attention if x.why == "stale check-ins"]  # set-and-forget is about running cycles


def test_a_short_cycle_that_ended_counts_its_landed_committed_krs_with_those_on_track(tmp_path):
    files = {
        **FILES,
        "content/cycles.yml": FILES["content/cycles.yml"] + "  - {id: 2026-S3, start: 2026-04-06, end: 2026-05-15}\n",
        "content/teams/mobile/team.yml": "name: Mobile\nparent: acme\n",
        "content/teams/mobile/2026-S3.yml": """\
            objectives:
              - id: app
                title: The app opens fast
                type: committed
                key_results:
                  - {id: start, title: Cold start in ms, baseline: 900, target: 500, checkins: [{date: 2026-05-11, value: 480}]}
            """,
    }
    org, problems = load_organisation(write_repo(tmp_path, files))
    assert not problems.errors, [str(p) for p in problems.errors]
    a = Analysis.of(org, dt.date(2026, 5, 18))  # S3 ended three days ago, Q2 runs
    g = glance(a, list(a.org.documents()))
    # Acme's churn on track, and Mobile's cold start landed: 2 of 3 committed; revenue is off track
    assert (g.summary.committed, g.summary.on_track, g.summary.landed) == (3, 2, 1)


def test_the_summary_over_documents_is_what_summarising_all_their_objectives_gives(tmp_path):
    """A glance joins each document's summary: on every day of a running, an ending and an ended cycle it gives the very
    numbers that summarising every objective of its documents at once does, in either order of the documents."""
    org, problems = load_organisation(write_repo(tmp_path, FILES))
    assert not problems.errors, [str(p) for p in problems.errors]
    for on in ("2026-04-01", "2026-05-18", "2026-06-26", "2026-07-01"):
        a = Analysis.of(org, dt.date.fromisoformat(on))
        for docs in (list(org.documents()), list(org.documents())[::-1], list(org.documents())[:1]):
            assert glance(a, docs).summary == summarise([o for d in docs for o in d.objectives], a.on, a.rules.scoring), (on, docs)
