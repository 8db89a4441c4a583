"""Practice health (SPEC section 4): each signal fires on its evidence, not one step before, at the right line."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from pathlib import Path

import pytest

from okrsite.analysis.align import Alignment
from okrsite.analysis.facts import Facts
from okrsite.analysis.health import CODES, KINDS, PRACTICE_OF, PRACTICES, SIGNALS, Signal, activity_verb, all_signals
from okrsite.analysis.rules import Health, Rules
from okrsite.content.folder import load_organisation

from ..conftest import write_repo

EXAMPLE = Path(__file__).resolve().parents[2]
CYCLES = """\
cycles:
  - {id: 2026-Q1, start: 2026-01-05, end: 2026-03-27}
  - {id: 2026-Q2, start: 2026-04-06, end: 2026-06-26}
"""
Q1 = "content/teams/acme/2026-Q1.yml"
Q2 = "content/teams/acme/2026-Q2.yml"
WEB = "content/teams/web/2026-Q2.yml"
Run = Callable[..., list[Signal]]
DEFAULTS = Rules()


def health(**thresholds: object) -> Rules:
    return Rules(health=Health(**thresholds))  # type: ignore[arg-type]


def from_options(options: dict[str, object]) -> Health:
    return Rules.from_options({"health": options}, CODES)[0].health


@pytest.fixture
def run(tmp_path: Path) -> Run:
    """Signals of a fresh organisation (Acme, and Web under it) made of `docs`, as of `on`."""
    sites = itertools.count()

    def signals(docs: dict[str, str], on: str = "2026-05-18", thresholds: Rules = DEFAULTS, changed: bool | None = None) -> list[Signal]:
        files = {
            "content/cycles.yml": CYCLES,
            "content/teams/acme/team.yml": "name: Acme\n",
            "content/teams/web/team.yml": "name: Web\nparent: acme\n",
            **docs,
        }
        root = write_repo(tmp_path / f"site{next(sites)}", files)
        org, problems = load_organisation(root)
        assert not problems.errors, [str(p) for p in problems.errors]
        facts = Facts(org, dt.date.fromisoformat(on))
        return all_signals(org, facts, Alignment.of(org, facts), thresholds, lambda doc: changed)

    return signals


def fired(signals: list[Signal], code: str) -> list[tuple[str, str]]:
    """`file:line` and message of each signal of `code`."""
    return [(f"{s.loc.file}:{s.loc.line}", s.message) for s in signals if s.code == code]


def where(signals: list[Signal], code: str) -> list[str]:
    return [place for place, _ in fired(signals, code)]


def metric(kr_id: str, *checkins: str, title: str = "") -> str:
    """A metric KR from 0 to 100 on one line, so that tests can count lines."""
    return f"{{id: {kr_id}, title: {title or 'Share of ' + kr_id}, baseline: 0, target: 100, checkins: [{', '.join(checkins)}]}}"


def objective(objective_id: str, *krs: str, kind: str = "aspirational", more: str = "") -> str:
    """An objective whose first line is its id and whose KRs start on its fifth line."""
    lines = [f"  - id: {objective_id}", f"    title: Objective {objective_id}", f"    type: {kind}", "    key_results:"]
    return "\n".join([*lines, *(f"      - {kr}" for kr in krs)]) + "\n" + more


def document(*objectives: str) -> str:
    return "objectives:\n" + "".join(objectives)


# too many OKRs


def test_six_key_results_are_too_many_five_are_not(run: Run) -> None:
    five = objective("growth", *(metric(f"k{i}") for i in range(1, 6)))
    six = objective("reach", *(metric(f"k{i}") for i in range(1, 7)))
    signals = run({Q2: document(five, six)})
    assert fired(signals, "too-many-okrs") == [(f"{Q2}:11", "6 key results in objective reach (more than 5): k1, k2, k3, k4, k5, k6")]


def test_six_objectives_are_too_many_five_are_not(run: Run) -> None:
    five = run({Q2: document(*(objective(f"o{i}", metric("k")) for i in range(1, 6)))})
    assert fired(five, "too-many-okrs") == []
    six = run({Q2: document(*(objective(f"o{i}", metric("k")) for i in range(1, 7)))})
    assert fired(six, "too-many-okrs") == [(f"{Q2}:1", "6 objectives (more than 5): o1, o2, o3, o4, o5, o6")]


def test_too_many_follows_its_thresholds(run: Run) -> None:
    signals = run({Q2: document(objective("growth", metric("k1"), metric("k2")))}, thresholds=health(max_key_results=1))
    assert where(signals, "too-many-okrs") == [f"{Q2}:2"]


# output, not outcome


def test_milestones_and_activity_verbs_are_outputs(run: Run) -> None:
    krs = [
        "{id: portal, title: Partner portal live}",
        metric("pricing", title='"Launch: the new pricing page"'),
        metric("offline", title="Roll-out of offline mode to every technician"),
        metric("shipping", title="Shipping cost per order"),
        metric("plans", title="Customers on a launched plan"),
        metric("rollout", title="Rollout time in days"),
    ]
    signals = fired(run({Q2: document(objective("growth", *krs))}), "output-not-outcome")
    assert [place for place, _ in signals] == [f"{Q2}:6", f"{Q2}:7", f"{Q2}:8"]
    milestone, launch, roll_out = (message for _, message in signals)
    assert milestone.startswith("key result portal “Partner portal live” is a milestone (done or not done)")
    assert "starts with the activity verb 'launch'" in launch
    assert "starts with the activity verb 'roll out'" in roll_out


def test_activity_verb_reads_the_first_words_only() -> None:
    verbs = Health().activity_verbs
    assert activity_verb("Roll out offline mode", verbs) == "roll out"
    assert activity_verb("SHIP it", verbs) == "ship"
    assert activity_verb("Rolling out offline mode", verbs) is None
    assert activity_verb("10 launches a week", verbs) is None
    assert activity_verb("Kick off the guild", ("kick off",)) == "kick off"


# not actionable

ACTIONABLE = document(
    objective(
        "growth",
        metric("tried"),
        metric("dropped"),
        metric("bare"),
        more="    initiatives:\n"
        "      - {title: Email sequence, key_results: [tried], status: active}\n"
        "      - {title: Welcome video, key_results: [dropped], status: dropped}\n",
    )
)


def test_a_key_result_without_initiative_is_not_actionable_after_two_weeks(run: Run) -> None:
    assert fired(run({Q2: ACTIONABLE}, on="2026-04-20"), "not-actionable") == []  # 14 days in
    signals = fired(run({Q2: ACTIONABLE}, on="2026-04-21"), "not-actionable")
    assert signals == [
        (f"{Q2}:7", "no initiative but dropped ones targets key result dropped, 15 days into 2026-Q2: what would move it?"),
        (f"{Q2}:8", "no initiative targets key result bare, 15 days into 2026-Q2: what would move it?"),
    ]


def test_an_ended_cycle_is_never_not_actionable(run: Run) -> None:
    """An initiative can no longer move an ended cycle's key result: the signal is about running cycles only."""
    assert where(run({Q1: ACTIONABLE, Q2: ACTIONABLE}, on="2026-04-21"), "not-actionable") == [f"{Q2}:7", f"{Q2}:8"]
    assert fired(run({Q1: ACTIONABLE, Q2: ACTIONABLE}, on="2026-07-01"), "not-actionable") == []  # both ended


# set and forget


def forgotten() -> str:
    """KRs whose last check-ins are 13, 14 and 15 days before 2026-05-18, and one without any."""
    return document(
        objective(
            "growth",
            metric("k13", "{date: 2026-04-13, value: 1}", "{date: 2026-05-05, value: 2}"),
            metric("k14", "{date: 2026-05-04, value: 1}"),
            metric("k15", "{date: 2026-05-03, value: 1}"),
            metric("never"),
        )
    )


def test_set_and_forget_fires_after_twice_the_cadence(run: Run) -> None:
    signals = fired(run({Q2: forgotten()}), "set-and-forget")
    assert signals == [
        (f"{Q2}:8", "key result k15: last check-in on 2026-05-03, 15 days ago (expected every 7 days, flagged after 14)"),
        (f"{Q2}:9", "key result never: no check-in in the 42 days since 2026-Q2 began (expected every 7 days, flagged after 14)"),
    ]


def test_set_and_forget_waits_for_a_young_cycle_and_ignores_ended_ones(run: Run) -> None:
    assert fired(run({Q2: forgotten()}, on="2026-04-20"), "set-and-forget") == []
    assert where(run({Q2: forgotten()}, on="2026-04-21"), "set-and-forget") == [
        f"{Q2}:{line}" for line in (7, 8, 9)
    ]  # k13 was checked in 8 days before
    ended = document(objective("growth", metric("old", "{date: 2026-01-12, value: 1}")))
    assert fired(run({Q1: ended}), "set-and-forget") == []


def test_set_and_forget_follows_its_factor(run: Run) -> None:
    signals = run({Q2: forgotten()}, thresholds=health(forget_factor=3))
    assert where(signals, "set-and-forget") == [f"{Q2}:9"]


# unaligned


def test_an_objective_without_aligns_to_under_a_parent_team_is_unaligned(run: Run) -> None:
    acme = document(objective("growth", metric("k")))
    web = document(objective("speed", metric("p95"), more="    aligns_to: [acme/growth]\n"), objective("hiring", metric("offers")))
    signals = fired(run({Q2: acme, WEB: web}), "unaligned")
    assert signals == [(f"{WEB}:8", "objective hiring “Objective hiring” aligns to nothing, though Web is part of Acme")]


# broken dependency

TARGETS = document(
    objective("growth", metric("revenue", "{date: 2026-05-11, value: 10}"), metric("users", "{date: 2026-05-11, value: 60}"))
)


def test_a_dependency_off_track_is_broken_one_on_track_is_not(run: Run) -> None:
    web = """\
        objectives:
          - id: speed
            title: Pages feel instant
            type: committed
            aligns_to: [acme/growth]
            key_results:
              - id: p95
                title: P95 load time
                baseline: 800
                target: 400
                depends_on:
                  - acme/growth/users
                  - acme/growth/revenue
        """
    signals = fired(run({Q2: TARGETS, WEB: web}), "broken-dependency")
    assert signals == [(f"{WEB}:13", "key result p95: Web depends on Acme: “Share of revenue”: it is off track")]


@pytest.mark.parametrize(("continued", "expected"), [("", [f"{WEB}:6"]), ("    continues: old\n", [])])
def test_a_dependency_dropped_from_the_later_document_is_broken(run: Run, continued: str, expected: list[str]) -> None:
    q1 = document(objective("old", metric("k", "{date: 2026-03-02, value: 100}")))
    q2 = document(objective("new", metric("k", "{date: 2026-05-11, value: 60}"), more=continued))
    web = document(objective("speed", "{id: p95, title: P95, baseline: 8, target: 4, depends_on: [acme/old@2026-Q1]}"))
    signals = run({Q1: q1, Q2: q2, WEB: web})
    assert where(signals, "broken-dependency") == expected
    if expected:
        assert f"no longer in {Q2}" in fired(signals, "broken-dependency")[0][1]


# sandbagging


def landed(value: int, day: str) -> str:
    return document(
        objective("keep", metric("uptime", f"{{date: {day}, value: 95}}"), kind="committed"),
        objective("grow", metric("revenue", f"{{date: {day}, value: {value}}}")),
    )


def test_every_kr_landed_two_ended_cycles_in_a_row_is_sandbagging(run: Run) -> None:
    signals = fired(run({Q1: landed(100, "2026-03-02"), Q2: landed(100, "2026-06-01")}, on="2026-07-01"), "sandbagging")
    assert [place for place, _ in signals] == [f"{Q2}:1"]
    assert "2 ended cycles in a row (2026-Q1, 2026-Q2; lowest 0.95)" in signals[0][1]


def test_one_landed_cycle_is_not_sandbagging(run: Run) -> None:
    assert fired(run({Q1: landed(50, "2026-03-02"), Q2: landed(100, "2026-06-01")}, on="2026-07-01"), "sandbagging") == []
    assert fired(run({Q1: landed(100, "2026-03-02"), Q2: landed(100, "2026-06-01")}, on="2026-06-26"), "sandbagging") == []
    one = health(sandbag_cycles=1)
    assert where(run({Q1: landed(100, "2026-03-02")}, thresholds=one), "sandbagging") == [f"{Q1}:1"]


# miscalibrated


def graded(committed: tuple[str, str], aspirational: tuple[int, int]) -> str:
    return document(
        objective("keep", f"{{id: c1, title: C1, {committed[0]}}}", f"{{id: c2, title: C2, {committed[1]}}}", kind="committed"),
        objective("grow", *(metric(f"a{i}", f"{{date: 2026-03-02, value: {v}}}") for i, v in enumerate(aspirational, 1))),
    )


MISSED = "baseline: 0, target: 100, checkins: [{date: 2026-03-02, value: 85}]"
LANDED = "baseline: 0, target: 100, checkins: [{date: 2026-03-02, value: 90}]"
ROUNDING = "baseline: 0.2, target: 1.1, checkins: [{date: 2026-03-02, value: 1.01}]"
"""(1.01 - 0.2) / (1.1 - 0.2) is 0.8999999999999999 in floating point: landed all the same."""


def test_committed_krs_below_landed_are_miscalibrated(run: Run) -> None:
    signals = fired(run({Q1: graded((MISSED, LANDED), (70, 70))}), "miscalibrated")
    assert signals == [(f"{Q1}:1", "committed key results below 0.9 after 2026-Q1 ended: keep/c1 0.85")]
    assert fired(run({Q1: graded((LANDED, ROUNDING), (70, 70))}), "miscalibrated") == []


@pytest.mark.parametrize(("scores", "mean"), [((60, 80), None), ((85, 85), "0.85"), ((40, 60), "0.50")])
def test_aspirational_mean_outside_the_band_is_miscalibrated(run: Run, scores: tuple[int, int], mean: str | None) -> None:
    signals = fired(run({Q1: graded((LANDED, LANDED), scores)}), "miscalibrated")
    assert [place for place, _ in signals] == ([f"{Q1}:1"] if mean else [])
    assert all(message.startswith(f"aspirational key results averaged {mean} in 2026-Q1, outside 0.6-0.8: ") for _, message in signals)


def test_a_running_cycle_is_not_miscalibrated(run: Run) -> None:
    running = graded((MISSED, MISSED), (10, 10)).replace("2026-03-02", "2026-05-11")
    assert fired(run({Q2: running}), "miscalibrated") == []


# confidence stuck


def confidences(*values: int) -> str:
    days = ("2026-04-13", "2026-04-20", "2026-04-27", "2026-05-04", "2026-05-11", "2026-05-25")
    return document(
        objective("growth", metric("k", *(f"{{date: {d}, value: 1, confidence: {v}}}" for d, v in zip(days, values, strict=False))))
    )


def test_four_confidences_within_six_to_eight_are_stuck_three_are_not(run: Run) -> None:
    assert fired(run({Q2: confidences(7, 7, 7)}), "confidence-stuck") == []
    signals = fired(run({Q2: confidences(7, 7, 6, 8)}), "confidence-stuck")
    assert signals == [(f"{Q2}:1", "all 4 confidences, from 2026-04-13 to 2026-05-04, sit within 6-8 (6, 7, 8): they do not move")]


def test_a_confidence_that_moves_is_not_stuck(run: Run) -> None:
    assert fired(run({Q2: confidences(7, 7, 7, 9)}), "confidence-stuck") == []
    assert where(run({Q2: confidences(7, 7, 7, 7, 7, 9)}), "confidence-stuck") == [f"{Q2}:1"]  # the 9 comes after as-of


def on_days(*days: str, krs: int = 2) -> str:
    """`krs` key results with confidence 7 on each of `days`."""
    made = [metric(f"k{n}", *(f"{{date: {d}, value: 1, confidence: 7}}" for d in days)) for n in range(krs)]
    return document(objective("growth", *made))


def test_confidences_given_within_one_check_in_period_have_not_had_time_to_move(run: Run) -> None:
    assert fired(run({Q2: on_days("2026-05-11", krs=4)}), "confidence-stuck") == []  # four confidences, one day
    assert fired(run({Q2: on_days("2026-05-04", "2026-05-10")}), "confidence-stuck") == []  # six days: less than a period
    signals = fired(run({Q2: on_days("2026-05-04", "2026-05-11")}), "confidence-stuck")
    assert signals == [(f"{Q2}:1", "all 4 confidences, from 2026-05-04 to 2026-05-11, sit within 6-8 (7): they do not move")]


# retrospective

RETRO = "retrospective:\n  date: 2026-03-30\n  landed: [Revenue]\n"


def test_an_ended_cycle_without_retrospective(run: Run) -> None:
    bare = document(objective("growth", metric("k")))
    signals = fired(run({Q1: bare, Q2: bare}), "no-retrospective")
    assert signals == [(f"{Q1}:1", "2026-Q1 ended on 2026-03-27 and this document has no retrospective")]
    assert fired(run({Q1: bare + RETRO + "  changes: [Pair with data]\n"}), "no-retrospective") == []


def test_a_retrospective_without_changes_is_without_action(run: Run) -> None:
    bare = document(objective("growth", metric("k")))
    signals = fired(run({Q1: bare + RETRO}), "retro-without-action")
    assert signals == [(f"{Q1}:7", "the retrospective lists no changes: nothing the team will do differently next cycle")]
    assert fired(run({Q1: bare + RETRO + "  changes: [Pair with data]\n"}), "retro-without-action") == []


@pytest.mark.parametrize("said", ["Nothing to change.", "n/a", "  NONE ", "-", "Keep everything as is"])
def test_a_retrospective_whose_changes_say_there_is_none_is_without_action(run: Run, said: str) -> None:
    bare = document(objective("growth", metric("k")))
    signals = fired(run({Q1: bare + RETRO + f"  changes: [{said!r}]\n"}), "retro-without-action")
    only = f"(only {said!r})"
    assert signals == [(f"{Q1}:7", f"the retrospective lists no changes {only}: nothing the team will do differently next cycle")]
    assert fired(run({Q1: bare + RETRO + f"  changes: [{said!r}, Pair with data]\n"}), "retro-without-action") == []


def test_no_action_words_are_a_site_s_own(run: Run) -> None:
    bare = document(objective("growth", metric("k")))
    retro = bare + RETRO + "  changes: [Weiter so]\n"
    assert fired(run({Q1: retro}), "retro-without-action") == []
    assert where(run({Q1: retro}, thresholds=health(no_action_words=["weiter so"])), "retro-without-action") == [f"{Q1}:7"]


# nothing changed


@pytest.mark.parametrize(("changed", "expected"), [(True, 2), (False, 0), (None, 0)])
def test_nothing_changed_follows_the_change_log(run: Run, changed: bool | None, expected: int) -> None:
    bare = document(objective("growth", metric("k")))
    signals = fired(run({Q1: bare, Q2: bare}, changed=changed), "nothing-changed")
    assert len(signals) == expected
    if signals:
        assert signals[1] == (f"{Q2}:1", "nothing changed since 2026-Q1: the change log of 2026-Q2 is empty")


# confidence miscalibrated


def forecast(kr_id: str, confidence: int, score: float, day: str) -> str:
    """A committed KR from 0 to 100 that reached `score` (it lands from 0.9) on `day`, with a confidence given then."""
    return metric(kr_id, f"{{date: {day}, value: {score * 100:g}, confidence: {confidence}}}")


def forecasts(confidences: list[int], scores: list[float], day: str) -> str:
    krs = [forecast(f"k{i}", c, s, day) for i, (c, s) in enumerate(zip(confidences, scores, strict=True))]
    return document(objective("growth", *krs, kind="committed"))


def two_cycles(
    q1: list[int], q2: list[int], scores: tuple[list[float], list[float]] = ([1.0, 0.5, 0.5], [1.0, 1.0, 0.5])
) -> dict[str, str]:
    """Acme's Q1 and Q2 (both ended by July), three KRs each, confidences given a month in; 3 of the 6 KRs land."""
    return {Q1: forecasts(q1, scores[0], "2026-02-02"), Q2: forecasts(q2, scores[1], "2026-05-04")}


def test_confidence_off_by_the_gap_over_two_cycles_is_miscalibrated(run: Run) -> None:
    # forecasts 0.8, 0.8, 0.8, 0.7, 0.7, 0.7: mean 4.5 / 6 = 0.75; 3 of 6 landed, 0.50; 0.75 - 0.50 = 0.25, the gap exactly
    signals = fired(run(two_cycles([8, 8, 8], [7, 7, 7]), on="2026-07-10"), "confidence-miscalibrated")
    assert signals == [
        (
            f"{Q2}:1",
            "confidence at mid-cycle forecast 0.75 on average for 6 key results of 2026-Q1, 2026-Q2, and 0.50 of them landed: "
            "over-confident by 0.25 (Brier score 0.33)",
        )
    ]  # Brier: Q1 (0.8-1)² + (0.8-0)² + (0.8-0)² = 1.32; Q2 (0.7-1)² + (0.7-1)² + (0.7-0)² = 0.67; (1.32 + 0.67) / 6 = 0.33


def test_confidence_one_step_inside_the_gap_is_not_miscalibrated(run: Run) -> None:
    # 0.8, 0.8, 0.7, 0.7, 0.7, 0.7: mean 4.4 / 6 = 0.733; 0.733 - 0.50 = 0.233, below 0.25
    assert fired(run(two_cycles([8, 8, 7], [7, 7, 7]), on="2026-07-10"), "confidence-miscalibrated") == []


def test_under_confidence_is_miscalibrated_too(run: Run) -> None:
    # 0.3, 0.3, 0.3, 0.2, 0.2, 0.2: mean 1.5 / 6 = 0.25; 0.25 - 0.50 = -0.25
    signals = fired(run(two_cycles([3, 3, 3], [2, 2, 2]), on="2026-07-10"), "confidence-miscalibrated")
    assert [message.split(": ", 1)[1].split(" (")[0] for _, message in signals] == ["under-confident by 0.25"]


def test_miscalibrated_confidence_needs_its_cycles_and_key_results(run: Run) -> None:
    docs = two_cycles([8, 8, 8], [7, 7, 7])
    assert fired(run(docs, on="2026-06-26"), "confidence-miscalibrated") == []  # Q2 still runs: one ended cycle
    assert where(
        run(docs, on="2026-06-26", thresholds=health(calibration_cycles=1, calibration_min_krs=3)), "confidence-miscalibrated"
    ) == [f"{Q1}:1"]
    five = {Q1: forecasts([8, 8], [0.5, 0.5], "2026-02-02"), Q2: docs[Q2]}  # 0.8, 0.8, 0.7 x 3 = 0.74; 2 of 5 landed: 0.34 off
    assert fired(run(five, on="2026-07-10"), "confidence-miscalibrated") == []
    assert where(run(five, on="2026-07-10", thresholds=health(calibration_min_krs=5)), "confidence-miscalibrated") == [f"{Q2}:1"]
    assert fired(run(docs, on="2026-07-10", thresholds=health(calibration_gap=0.3)), "confidence-miscalibrated") == []


def test_a_confidence_after_mid_cycle_is_no_forecast(run: Run) -> None:
    """Confidences given in the cycle's second half knew too much: the KRs count as without one."""
    late = {Q1: forecasts([8, 8, 8], [1.0, 0.5, 0.5], "2026-02-15"), Q2: forecasts([7, 7, 7], [1.0, 1.0, 0.5], "2026-05-17")}
    assert fired(run(late, on="2026-07-10"), "confidence-miscalibrated") == []  # Q1's midpoint is 14 February, Q2's 16 May
    on_the_day = {Q1: forecasts([8, 8, 8], [1.0, 0.5, 0.5], "2026-02-14"), Q2: forecasts([7, 7, 7], [1.0, 1.0, 0.5], "2026-05-16")}
    assert len(fired(run(on_the_day, on="2026-07-10"), "confidence-miscalibrated")) == 1


# thresholds


def test_off_switches_signals_off(run: Run) -> None:
    docs = {Q2: document(objective("growth", metric("k"))), WEB: document(objective("speed", metric("p95")))}
    assert {"unaligned", "not-actionable"} <= {s.code for s in run(docs)}
    quiet = run(docs, thresholds=health(disabled=frozenset({"unaligned", "not-actionable"})))
    assert {s.code for s in quiet} == {"set-and-forget"}


def test_from_options_defaults_and_overrides() -> None:
    assert from_options({}) == Health()
    chosen = from_options(
        {
            "max_objectives": 3,
            "forget_factor": 3,
            "aspirational_band": [0.5, 0.7],
            "stuck_band": [5, 7],
            "activity_verbs": ["Kick  Off", "launch"],
            "disabled": ["unaligned", "sandbagging"],
        }
    )
    assert chosen.max_objectives == 3 and chosen.max_key_results == 5
    assert chosen.forget_factor == 3.0
    assert chosen.aspirational_band == (0.5, 0.7)
    assert chosen.stuck_band == (5, 7)
    assert chosen.activity_verbs == ("kick off", "launch")
    assert chosen.disabled == frozenset({"unaligned", "sandbagging"})


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_objective": 3}, "unknown option 'max_objective'; expected one of max_objectives, max_key_results, "),
        ({"max_objectives": "five"}, "max_objectives: found 'five'; expected a whole number of at least 1"),
        ({"max_objectives": True}, "max_objectives: found True"),
        ({"actionable_after_days": -1}, "actionable_after_days: found -1; expected a whole number of at least 0"),
        ({"sandbag_score": 1.5}, "sandbag_score: found 1.5; expected a number from 0 to 1"),
        ({"forget_factor": 0}, "forget_factor: found 0; expected a number above 0"),
        ({"aspirational_band": 0.7}, "aspirational_band: found 0.7; expected a list of two values"),
        ({"aspirational_band": [0.8, 0.6]}, "aspirational_band: found 0.8 above 0.6; expected the low value first"),
        ({"stuck_band": [0, 8]}, "stuck_band: found 0; expected a confidence"),
        ({"activity_verbs": "launch"}, "activity_verbs: found 'launch'; expected a list of words"),
        ({"disabled": "unaligned"}, "disabled: found 'unaligned'; expected a list of signal codes"),
        ({"disabled": ["unalinged"]}, "disabled: unknown signal 'unalinged'; expected some of too-many-okrs"),
    ],
)
def test_from_options_rejects_bad_values(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match="health: ") as caught:
        from_options(options)
    assert message in str(caught.value)


def test_every_signal_is_described_and_explained() -> None:
    assert set(SIGNALS) == set(CODES)
    assert "more than 3 objectives" in KINDS["too-many-okrs"].describe(health(max_objectives=3))
    assert "outside 0.5-0.7 on average" in KINDS["miscalibrated"].describe(health(aspirational_band=(0.5, 0.7)))
    assert set(PRACTICE_OF.values()) == set(PRACTICES)
    for title, text in PRACTICES.values():
        assert title and text.count(". ") >= 1


def test_the_example_content_as_of_late_november() -> None:
    org, problems = load_organisation(EXAMPLE)
    assert not problems.errors
    facts = Facts(org, dt.date(2026, 11, 25))
    signals = all_signals(org, facts, Alignment.of(org, facts), health(), lambda doc: None)
    assert signals == sorted(signals, key=lambda s: s.loc)
    assert all(s.code in CODES and s.practice in PRACTICES and s.loc.file == s.document.file for s in signals)
    assert {"sandbagging", "miscalibrated", "set-and-forget", "broken-dependency"} <= {s.code for s in signals}
