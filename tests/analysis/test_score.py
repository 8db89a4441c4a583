"""SPEC section 3 on figures computed by hand."""

from __future__ import annotations

import datetime as dt
import tempfile
import textwrap
from pathlib import Path

import pytest

from okrsite.analysis import score
from okrsite.content.folder import load_organisation
from okrsite.content.model import Document
from okrsite.sources import clock

from ..conftest import CYCLES, write_repo

D = dt.date


def document(body: str, cycle: str = "2026-Q2") -> Document:
    """One team document in the cycles of the test calendar."""
    with tempfile.TemporaryDirectory() as tmp:
        root = write_repo(
            Path(tmp),
            {"content/cycles.yml": CYCLES, "content/teams/t/team.yml": "name: T\n", f"content/teams/t/{cycle}.yml": body},
        )
        org, problems = load_organisation(root)
    assert not problems.items, [str(p) for p in problems.items]
    return org.teams["t"].documents[cycle]


def one_kr(kr: str, cycle: str = "2026-Q2", objective_type: str = "committed") -> Document:
    return document(
        f"objectives:\n  - id: o\n    title: O\n    type: {objective_type}\n    key_results:\n"
        + textwrap.indent(textwrap.dedent(kr), "      "),
        cycle,
    )


INCREASE = """\
- id: k
  title: K
  baseline: 20
  target: 60
  checkins:
    - {date: 2026-04-20, value: 30, confidence: 5}
    - {date: 2026-05-11, value: 50, confidence: 6}
    - {date: 2026-05-04, value: 40, confidence: 7}
"""


def test_metric_score_uses_the_last_checkin_on_or_before_as_of():
    kr = one_kr(INCREASE).objectives[0].key_results[0]
    assert score.current_value(kr, D(2026, 5, 10)) == 40  # check-ins are sorted by date, not file order
    assert score.computed_score(kr, D(2026, 5, 10)) == pytest.approx(0.5)  # (40-20)/(60-20)
    assert score.computed_score(kr, D(2026, 5, 11)) == pytest.approx(0.75)
    assert score.current_value(kr, D(2026, 4, 10)) == 20  # no check-in yet: the baseline
    assert score.computed_score(kr, D(2026, 4, 10)) == 0


def test_decreasing_metric_and_clamping():
    kr = (
        one_kr("""\
        - id: k
          title: Latency
          baseline: 400
          target: 200
          checkins:
            - {date: 2026-04-20, value: 450}
            - {date: 2026-05-04, value: 350}
            - {date: 2026-06-01, value: 150}
        """)
        .objectives[0]
        .key_results[0]
    )
    assert score.computed_score(kr, D(2026, 4, 25)) == 0  # worse than baseline clamps to 0
    assert score.computed_score(kr, D(2026, 5, 5)) == pytest.approx(0.25)  # (350-400)/(200-400)
    assert score.computed_score(kr, D(2026, 6, 2)) == 1  # past the target clamps to 1


def test_health_kr_is_the_share_of_checkins_that_held_the_line():
    kr = (
        one_kr("""\
        - id: up
          title: Uptime
          keep_above: 99.9
          checkins:
            - {date: 2026-04-13, value: 99.95}
            - {date: 2026-04-20, value: 99.8}
            - {date: 2026-04-27, value: 99.9}
            - {date: 2026-05-04, value: 99.97}
        """)
        .objectives[0]
        .key_results[0]
    )
    assert score.computed_score(kr, D(2026, 4, 20)) == pytest.approx(0.5)
    assert score.computed_score(kr, D(2026, 5, 4)) == pytest.approx(0.75)  # 99.9 holds a keep_above of 99.9
    assert score.computed_score(kr, D(2026, 4, 10)) == 0
    assert score.kr_status(kr, D(2026, 4, 10)).label == "pending"


def test_keep_below():
    kr = (
        one_kr("""\
        - id: churn
          title: Monthly churn
          keep_below: 2
          checkins: [{date: 2026-04-13, value: 1.5}, {date: 2026-04-20, value: 2.5}, {date: 2026-04-27, value: 1.9}]
        """)
        .objectives[0]
        .key_results[0]
    )
    assert score.computed_score(kr, D(2026, 5, 1)) == pytest.approx(2 / 3)


def test_milestone_kr_follows_its_last_checkin():
    kr = (
        one_kr("""\
        - id: m
          title: Offline mode available
          checkins:
            - {date: 2026-04-20, done: false}
            - {date: 2026-05-18, done: true}
        """)
        .objectives[0]
        .key_results[0]
    )
    assert score.computed_score(kr, D(2026, 5, 1)) == 0
    assert score.computed_score(kr, D(2026, 5, 18)) == 1


def test_given_score_wins_and_the_computed_one_stays():
    kr = one_kr(INCREASE + "  score: 0.9\n  score_note: Landed a week late\n").objectives[0].key_results[0]
    on = D(2026, 7, 1)
    assert score.kr_score(kr, on) == 0.9
    assert score.computed_score(kr, on) == pytest.approx(0.75)


def test_weighted_objective_and_document_scores():
    doc = document("""\
        objectives:
          - id: fast
            title: Fast
            type: committed
            key_results:
              - {id: a, title: A, baseline: 0, target: 10, weight: 1, checkins: [{date: 2026-05-04, value: 6}]}
              - {id: b, title: B, baseline: 0, target: 10, weight: 3, checkins: [{date: 2026-05-04, value: 2}]}
          - id: loved
            title: Loved
            type: aspirational
            key_results:
              - {id: c, title: C, checkins: [{date: 2026-05-04, done: true}]}
          - id: empty
            title: Not yet written
            type: aspirational
            key_results: []
        """)
    on = D(2026, 5, 5)
    fast, loved, empty = doc.objectives
    assert score.objective_score(fast, on) == pytest.approx((0.6 * 1 + 0.2 * 3) / 4)  # 0.30
    assert score.objective_score(loved, on) == 1
    assert score.objective_score(empty, on) is None
    assert score.document_score(doc, on) == pytest.approx((0.3 + 1) / 2)  # 0.65; the empty objective has no score


def test_expected_progress_in_days():
    cycle = one_kr(INCREASE).cycle  # 2026-04-06 .. 2026-06-26: 81 days
    assert score.expected_progress(cycle, D(2026, 4, 1)) == 0
    assert score.expected_progress(cycle, D(2026, 5, 18)) == pytest.approx(42 / 81)
    assert score.expected_progress(cycle, D(2026, 7, 1)) == 1


@pytest.mark.parametrize(
    ("value", "label"),
    [(54, "on track"), (42, "on track"), (41, "at risk"), (22, "at risk"), (21, "off track")],
)
def test_status_while_running(value, label):
    # on 2026-05-18 expected progress is 42/81 = 0.5185: on track from 0.4185, at risk from 0.2185
    kr = (
        one_kr(f"""\
        - id: k
          title: K
          baseline: 0
          target: 100
          checkins: [{{date: 2026-05-11, value: {value}}}]
        """)
        .objectives[0]
        .key_results[0]
    )
    assert score.kr_status(kr, D(2026, 5, 18)) == score.Status(label)


def test_outdated_after_twice_the_cadence():
    kr = one_kr(INCREASE).objectives[0].key_results[0]  # last check-in 2026-05-11, cadence 7 days
    assert not score.kr_status(kr, D(2026, 5, 25)).outdated  # 14 days
    assert score.kr_status(kr, D(2026, 5, 26)).outdated  # 15 days
    assert str(score.kr_status(kr, D(2026, 5, 26))).endswith(", outdated")


def test_cadence_comes_from_the_cycle():
    doc = one_kr("- {id: k, title: K, baseline: 0, target: 9, checkins: [{date: 2026-05-07, value: 1}]}", "2026-S3")
    kr = doc.objectives[0].key_results[0]  # S3 checks in every 14 days
    assert not score.kr_status(kr, D(2026, 6, 4)).outdated  # 28 days after 2026-05-07
    assert score.kr_status(kr, D(2026, 6, 5)).outdated


@pytest.mark.parametrize(("final", "label"), [(48, "green"), (47, "yellow"), (36, "yellow"), (35, "red")])
def test_status_after_the_end(final, label):
    # baseline 20, target 60: 48 -> 0.70, 47 -> 0.675, 36 -> 0.40, 35 -> 0.375
    kr = one_kr(INCREASE.replace("value: 50", f"value: {final}")).objectives[0].key_results[0]
    assert score.kr_status(kr, D(2026, 7, 1)).label == label


def test_status_before_start_and_pending():
    kr = one_kr(INCREASE).objectives[0].key_results[0]
    assert score.kr_status(kr, D(2026, 4, 1)).label == "not started"
    assert score.kr_status(kr, D(2026, 4, 10)).label == "pending"


def test_checkin_after_as_of_is_ignored():
    kr = one_kr(INCREASE).objectives[0].key_results[0]
    assert score.last_checkin(kr, D(2026, 5, 5)).value == 40


def test_committed_and_aspirational_are_summarised_apart():
    doc = document("""\
        objectives:
          - id: c
            title: Committed
            type: committed
            key_results:
              - {id: a, title: A, baseline: 0, target: 10, checkins: [{date: 2026-05-04, value: 9}]}
              - {id: b, title: B, baseline: 0, target: 10, checkins: [{date: 2026-05-04, value: 8}]}
              - {id: d, title: D, checkins: [{date: 2026-05-04, done: true}]}
          - id: x
            title: Aspirational
            type: aspirational
            key_results:
              - {id: e, title: E, baseline: 0, target: 10, checkins: [{date: 2026-05-04, value: 6}]}
              - {id: f, title: F, baseline: 0, target: 10, checkins: [{date: 2026-05-04, value: 7}]}
        """)
    summary = score.summarise(doc.objectives, D(2026, 7, 1))
    assert (summary.committed, summary.landed) == (3, 2)  # 0.9 and 1.0 landed, 0.8 did not
    assert summary.landed_share == pytest.approx(2 / 3)
    assert summary.aspirational == 2
    assert summary.aspirational_mean == pytest.approx(0.65)


def test_a_running_cycle_counts_committed_krs_on_track_not_landed():
    doc = one_kr(INCREASE)  # 0.75 on 11 May, when the cycle is 44% through
    running, ended = score.summarise(doc.objectives, D(2026, 5, 18)), score.summarise(doc.objectives, D(2026, 7, 1))
    assert score.phase(doc.cycle, D(2026, 5, 18)) == "running" and score.phase(doc.cycle, D(2026, 7, 1)) == "ended"
    assert score.phase(doc.cycle, D(2026, 4, 5)) == "not started" and score.phase(doc.cycle, D(2026, 6, 26)) == "running"
    assert (running.landed, running.on_track) == (0, 1)  # none has landed yet, and it is on track
    assert (ended.landed, ended.on_track) == (0, 0)  # ended at 0.75: green or not, it did not land


def test_as_of_date_sources():
    assert clock.as_of_date("2026-05-18") == D(2026, 5, 18)
    assert clock.as_of_date(None, {"SOURCE_DATE_EPOCH": "1779062400"}) == D(2026, 5, 18)
    assert clock.as_of_date(None, {}) == dt.datetime.now(tz=dt.UTC).date()


@pytest.mark.parametrize(
    ("value", "start", "end", "share"),
    [
        (0.0, -1.7e308, 1.7e308, 0.5),  # the range overflows, the distance does not
        (1.5e308, -1e308, 1.7e308, 2.5 / 2.7),  # both overflow
        (0.0, 1.7e308, -1.7e308, 0.5),  # a decrease
        (-1.7e308, 0.0, 5e-324, 0.0),  # a subnormal target, far below
        (1.5e-320, 1e-320, 2e-320, 0.5),
    ],
)
def test_progress_is_exact_where_floats_overflow(value, start, end, share):
    assert score.progress(value, start, end) == pytest.approx(share)


def test_a_score_a_hair_below_the_line_from_a_division_has_landed_everywhere():
    """1 -> 2 checked in at 1.9 is (1.9 - 1) / (2 - 1) = 0.8999999999999999 in floats: the summaries, the practice
    table and new-cycle all read it as the 0.9 it is."""
    doc = one_kr("- {id: k, title: K, baseline: 1, target: 2, checkins: [{date: 2026-05-04, value: 1.9}]}\n")
    value = score.kr_score(doc.objectives[0].key_results[0], D(2026, 7, 1))
    assert value < 0.9 and score.has_landed(value, "committed")
    assert score.summarise(doc.objectives, D(2026, 7, 1)).landed == 1
