"""Confidence calibration, the signs of a team's practice and the pulse across cycles, each computed by hand on a small organisation."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from pathlib import Path

import pytest

from okrsite.analysis.calibration import calibration, mid_cycle_confidence, midpoint
from okrsite.analysis.computed import Analysis
from okrsite.analysis.facts import Facts
from okrsite.analysis.maturity import trajectory
from okrsite.analysis.pulse import pulse_trend, question_key
from okrsite.analysis.rules import Rules
from okrsite.content.folder import load_organisation
from okrsite.content.model import Organisation

from ..conftest import write_repo

CYCLES = """\
cycles:
  - {id: 2026-Q1, start: 2026-01-05, end: 2026-03-27}
  - {id: 2026-Q2, start: 2026-04-06, end: 2026-06-26}
"""
Load = Callable[[dict[str, str]], Organisation]


@pytest.fixture
def load(tmp_path: Path) -> Load:
    """An organisation (Acme, and Web under it) of these documents."""
    sites = itertools.count()

    def make(docs: dict[str, str]) -> Organisation:
        files = {
            "content/cycles.yml": CYCLES,
            "content/teams/acme/team.yml": "name: Acme\n",
            "content/teams/web/team.yml": "name: Web\nparent: acme\n",
            **docs,
        }
        org, problems = load_organisation(write_repo(tmp_path / f"site{next(sites)}", files))
        assert not problems.errors, [str(p) for p in problems.errors]
        return org

    return make


# Q1 runs from 5 January to 27 March, 81 days: its midpoint is 5 January + 40 days, 14 February.
FORECASTS = """\
objectives:
  - id: keep
    title: Promises kept
    type: committed
    key_results:
      - id: a
        title: Share of a
        baseline: 0
        target: 100
        checkins:
          - {date: 2026-01-20, value: 30, confidence: 8}
          - {date: 2026-03-20, value: 95, confidence: 2}
      - id: b
        title: Share of b
        baseline: 0
        target: 100
        checkins:
          - {date: 2026-01-20, value: 30, confidence: 4}
          - {date: 2026-02-14, value: 50, confidence: 8}
          - {date: 2026-03-20, value: 85}
  - id: reach
    title: A stretch
    type: aspirational
    key_results:
      - id: c
        title: Share of c
        baseline: 0
        target: 100
        checkins:
          - {date: 2026-02-01, value: 60, confidence: 3}
      - id: d
        title: Share of d
        baseline: 0
        target: 100
        checkins:
          - {date: 2026-02-01, value: 70, confidence: 5}
      - id: e
        title: Share of e
        baseline: 0
        target: 100
        checkins:
          - {date: 2026-03-01, value: 10, confidence: 9}
"""

RUNNING = FORECASTS.replace("2026-03-", "2026-06-").replace("2026-02-", "2026-05-").replace("2026-01-", "2026-04-")
"""The same in Q2, which runs as of 18 May."""


def test_brier_score_by_hand(load: Load) -> None:
    """a: committed, 8 at mid-cycle (the 2 came after it), 0.95 landed; b: committed, 8 on the midpoint day itself, 0.85 did
    not land; c: aspirational, 3, 0.60 did not land (0.7 needed); d: aspirational, 5, 0.70 landed; e: its only confidence
    came after the midpoint, so it is left out."""
    org = load({"content/teams/acme/2026-Q1.yml": FORECASTS, "content/teams/acme/2026-Q2.yml": RUNNING})
    facts = Facts(org, dt.date(2026, 5, 18))
    q1 = org.teams["acme"].documents["2026-Q1"]
    assert midpoint(q1.cycle) == dt.date(2026, 2, 14)
    assert [mid_cycle_confidence(kr) for o in q1.objectives for kr in o.key_results] == [8, 8, 3, 5, None]
    found = calibration(facts, org.documents(), Rules().scoring)  # Q2 runs on 18 May: none of its KRs counts
    said = [(f.kr.id, f.confidence, f.landed) for f in found.forecasts]
    assert said == [("a", 8, True), ("b", 8, False), ("c", 3, False), ("d", 5, True)]
    assert found.left_out == 1
    # ((0.8-1)² + (0.8-0)² + (0.3-0)² + (0.5-1)²) / 4 = (0.04 + 0.64 + 0.09 + 0.25) / 4 = 1.02 / 4 = 0.255
    assert found.brier == pytest.approx(0.255)
    # mean forecast (0.8 + 0.8 + 0.3 + 0.5) / 4 = 0.6; 2 of 4 landed, 0.5: over-confident by 0.1
    assert found.mean_forecast == pytest.approx(0.6) and found.landed_share == 0.5
    assert found.gap == pytest.approx(0.1) and found.leaning == "over-confident"
    buckets = [(b.low, b.high, len(b.forecasts), b.landed) for b in found.buckets()]
    assert buckets == [(1, 3, 1, 0), (4, 6, 1, 1), (7, 8, 2, 1), (9, 10, 0, 0)]


def test_no_forecast_without_an_ended_cycle(load: Load) -> None:
    org = load({"content/teams/acme/2026-Q1.yml": FORECASTS})
    found = calibration(Facts(org, dt.date(2026, 3, 27)), org.documents(), Rules().scoring)  # its last day: still running
    assert found.forecasts == [] and found.brier is None and found.leaning == ""


# Q1: three KRs, an output among them; its retrospective commits to one change ("Nothing." commits to none).
# Q2: p95 starts from Q1's final value (720), signups from 12 where Q1 ended at 40; the portal milestone and the new
# churn KR have no final value to start from; the objective of Q1 goes on in Q2 under a new id (continues).
Q1_DOC = """\
objectives:
  - id: speed
    title: Pages feel instant
    type: committed
    key_results:
      - {id: p95, title: P95 load time, baseline: 900, target: 700, checkins: [{date: 2026-03-20, value: 720}]}
      - {id: signups, title: Weekly signups, baseline: 0, target: 40, checkins: [{date: 2026-03-20, value: 40}]}
      - {id: portal, title: Launch the partner portal, checkins: [{date: 2026-03-20, done: true}]}
retrospective:
  changes: [Check in every Monday, Nothing.]
"""
Q2_DOC = """\
objectives:
  - id: faster
    continues: speed
    title: Pages feel instant everywhere
    type: committed
    key_results:
      - {id: p95, title: P95 load time, baseline: 720, target: 500, checkins: [{date: 2026-06-01, value: 520}]}
      - {id: signups, title: Weekly signups, baseline: 12, target: 60, checkins: [{date: 2026-06-01, value: 60}]}
      - {id: portal, title: Partner portal adoption, baseline: 0, target: 10, checkins: [{date: 2026-06-01, value: 5}]}
  - id: stretch
    title: Customers stay
    type: aspirational
    key_results:
      - {id: churn, title: Monthly churn, baseline: 5, target: 3, checkins: [{date: 2026-06-01, value: 3.5}]}
"""


def test_maturity_of_a_two_cycle_team_by_hand(load: Load) -> None:
    org = load({"content/teams/web/2026-Q1.yml": Q1_DOC, "content/teams/web/2026-Q2.yml": Q2_DOC})
    q1, q2 = trajectory(org, Facts(org, dt.date(2026, 7, 10)), org.teams["web"], Rules())
    # Q1: p95 and signups are outcomes, the portal a milestone (and "Launch"): 2 of 3; no previous cycle
    assert (q1.outcomes, q1.key_results, q1.baselines) == (2, 3, None)
    assert q1.changes == 1
    # committed scores: p95 (900 -> 720 of 700) 0.9, signups 1.0, portal done 1.0: every one landed; no aspirational KR
    assert (q1.committed_landed, q1.aspirational_in_band) == (True, None)
    assert q1.brier is None  # no confidence given
    # Q2: 4 outcomes of 4; p95 starts from 720 (Q1's final), signups from 12 (not 40); the portal was a milestone
    assert (q2.outcomes, q2.key_results, q2.baselines) == (4, 4, (1, 2))
    assert q2.changes is None  # no retrospective
    # committed: p95 (720 -> 520 of 500) 0.9, signups 1.0, portal 0.5: one missed; churn (5 -> 3.5 of 3) 0.75 within 0.6-0.8
    assert (q2.committed_landed, q2.aspirational_in_band) == (False, True)


def test_pulse_trend_weights_teams_by_their_responses(load: Load) -> None:
    acme_q2 = "objectives: []\npulse:\n  responses: 10\n  questions:\n    - {text: Our goals were clear, score: 4.0}\n"
    web_q2 = "objectives: []\npulse:\n  responses: 5\n  questions:\n    - {text: '  our goals  were CLEAR', score: 2.5}\n"
    web_q1 = (
        "objectives: []\npulse:\n  responses: 4\n  questions:\n    - {text: Our goals were clear, score: 3.0}\n"
        "    - {text: Check-ins helped, score: 2.0}\n"
    )
    silent = "objectives: []\npulse:\n  responses: 0\n  questions:\n    - {text: Check-ins helped, score: 5.0}\n"
    org = load(
        {
            "content/teams/acme/2026-Q2.yml": acme_q2,
            "content/teams/web/2026-Q2.yml": web_q2,
            "content/teams/web/2026-Q1.yml": web_q1,
            "content/teams/acme/2026-Q1.yml": silent,
        }
    )
    q1, q2 = org.cycles["2026-Q1"], org.cycles["2026-Q2"]
    acme, web = org.teams["acme"], org.teams["web"]
    company = pulse_trend([(c, [acme.documents[c.id], web.documents[c.id]]) for c in (q1, q2)])
    # Q2: (4.0 x 10 + 2.5 x 5) / (10 + 5) = 52.5 / 15 = 3.5; Q1: only Web's 4 answers count (Acme's survey had none)
    assert [(line.text, line.means, line.responses) for line in company] == [
        ("our goals were CLEAR", [3.0, 3.5], [4, 15]),
        ("Check-ins helped", [2.0, None], [4, 0]),
    ]
    team = pulse_trend([(q1, [web.documents["2026-Q1"]]), (q2, [web.documents["2026-Q2"]])])
    assert [line.means for line in team] == [[3.0, 2.5], [2.0, None]]
    assert question_key(" Our  goals were\tclear ") == question_key("our goals were CLEAR") == "our goals were clear"


def test_an_analysis_joins_the_calibration_of_documents_from_each_one_s_as_worked_out_over_them_all(load: Load) -> None:
    """The trends ask for the same documents' calibration many times: the joined one is what one pass over them gives."""
    org = load({"content/teams/acme/2026-Q1.yml": FORECASTS, "content/teams/web/2026-Q1.yml": FORECASTS.replace("id: a\n", "id: w\n")})
    analysis = Analysis.of(org, dt.date(2026, 5, 18))
    docs = list(org.documents())
    for chosen in (docs, docs[::-1], docs[1:], []):
        joined, direct = analysis.calibration(chosen), calibration(analysis.facts, chosen, Rules().scoring)
        assert [(f.kr.objective.document.team.id, f.kr.id) for f in joined.forecasts] == [
            (f.kr.objective.document.team.id, f.kr.id) for f in direct.forecasts
        ]
        assert (joined.left_out, joined.brier) == (direct.left_out, direct.brier)
    assert [f.kr.id for f in analysis.calibration(docs[::-1]).forecasts][:1] == ["w"]
