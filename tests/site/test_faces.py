"""An edit that leaves a team's face as it was (see okrsite/site/face.py) makes again only the team's own pages and those
over the organisation; every page still equals a full build's."""

from __future__ import annotations

from pathlib import Path

import pytest

from okrsite.commands.demo import write_demo
from okrsite.site.face import faces_hold

from .test_incremental import Serve, full_build, replace

DOCUMENT = "team-1-1/2026-Q4.yml"
LAST_WAU = "value: 2614, confidence: 10}"  # the last check-in of the KR wau (target 2736) of the objective `delivery`


@pytest.fixture
def served(tmp_path: Path) -> tuple[Path, Serve]:
    write_demo(tmp_path, teams=16, cycles=2, seed=1)
    serve = Serve(tmp_path)
    serve.rebuild()
    return tmp_path, serve


def others(remade: set[str]) -> set[str]:
    """The pages made again besides team-1-1's own and those over the whole organisation."""
    whole = {"index.md", "teams/index.md", "health/index.md", "trends/index.md", "changes/index.md", "people/index.md"}
    return {
        uri
        for uri in remade
        if uri.endswith(".md") and uri not in whole and not uri.startswith(("teams/team-1-1/", "people/", "cycles/2026-Q4/review/"))
    }


def rebuilt(root: Path, serve: Serve) -> set[str]:
    pages, remade = serve.rebuild()
    assert pages == full_build(root)
    return remade


def test_a_check_in_note_makes_again_only_the_team_s_own_pages(served):
    root, serve = served
    replace(DOCUMENT, "Risk: the vendor contract is not signed yet.", "Risk: the vendor signs next week.")(root)
    remade = rebuilt(root, serve)
    assert "teams/team-1-1/2026-Q4/index.md" in remade
    assert others(remade) == set(), "pages of other teams or of the cycle were made again for a note only the team's pages show"


def test_a_value_past_the_target_shows_on_other_pages_once_it_moves_the_score(served):
    root, serve = served
    replace(DOCUMENT, LAST_WAU, "value: 2900, confidence: 10}")(root)  # the score reaches 1.00
    assert {"cycles/2026-Q4/index.md", "alignment/2026-Q4/index.md"} <= rebuilt(root, serve)
    replace(DOCUMENT, "value: 2900, confidence: 10}", "value: 2950, confidence: 10}")(root)  # the score stays 1.00
    remade = rebuilt(root, serve)
    assert "2,950" in serve.previous["teams/team-1-1/2026-Q4/index.md"].content
    assert others(remade) == set()


def test_a_value_of_a_shared_objective_shows_on_the_pages_of_the_team_it_is_shared_with(served):
    root, serve = served
    replace(DOCUMENT, "aligns_to: [group-1-1/delivery]\n", "aligns_to: [group-1-1/delivery]\n    shared_with: [team-1-2]\n")(root)
    replace(DOCUMENT, LAST_WAU, "value: 2900, confidence: 10}")(root)
    rebuilt(root, serve)
    replace(DOCUMENT, "value: 2900, confidence: 10}", "value: 2950, confidence: 10}")(root)  # the score stays 1.00
    remade = rebuilt(root, serve)
    assert "teams/team-1-2/index.md" in remade
    assert "2,950 of 2,736" in serve.previous["teams/team-1-2/index.md"].content


def test_an_earlier_cycle_s_final_value_shows_in_the_next_cycle_s_change_log(served):
    """team-1-6's KR mrr landed in 2026-Q3 (target 878) and starts 2026-Q4 from its final value, 895: a later final value
    moves no score of 2026-Q3, but 2026-Q4's change log now says that the baseline differs from it."""
    root, serve = served
    replace("team-1-6/2026-Q3.yml", "value: 895, confidence: 10", "value: 912, confidence: 10")(root)
    remade = rebuilt(root, serve)
    assert "final value, 912 k EUR" in serve.previous["changes/2026-Q4/index.md"].content
    assert "changes/2026-Q4/index.md" in remade


def test_faces_hold_unless_the_site_overrides_a_page_an_edit_may_leave_alone(tmp_path):
    assert faces_hold(None)
    assert faces_hold(tmp_path / "missing")
    (tmp_path / "README.md").write_text("How to override a page\n", encoding="utf-8")
    (tmp_path / "home.md").write_text('{% extends "default:home.md" %}\n', encoding="utf-8")
    assert faces_hold(tmp_path)  # the home page is made again after every edit
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "shared.md").write_text("{{ kf.checkins }}\n", encoding="utf-8")
    assert not faces_hold(tmp_path)


def test_a_linked_team_s_moved_signal_makes_its_pages_again_whatever_the_face_says(served, monkeypatch):
    """team-2-4's 2026-Q4 depends on team-2-3's KR nps: an NPS that falls back to its baseline puts it off track, a
    broken dependency of team-2-4. Faces are made blind here, so only the comparison of the linked teams' signals sees it."""
    root, serve = served
    monkeypatch.setattr("okrsite.site.incremental.face", lambda analysis, team, documents: ())
    replace("team-2-3/2026-Q4.yml", "{date: 2026-11-23, value: 33, confidence: 10}", "{date: 2026-11-23, value: 27, confidence: 10}")(root)
    _, remade = serve.rebuild()
    assert "teams/team-2-4/2026-Q4/index.md" in remade
    assert "Practice health: 11 signals" in serve.previous["teams/team-2-4/2026-Q4/index.md"].content
