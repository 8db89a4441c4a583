"""An edit that leaves parts of a team's face as they were (see okrsite/site/face.py) keeps the pages that show only those parts
of it; every page still equals a full build's."""

from __future__ import annotations

from pathlib import Path

import pytest

from okrsite.commands.demo import write_demo
from okrsite.site.face import PARTS, own_templates, shown_by_face

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
    """The pages made again besides team-1-1's own, those of people and the review of its cycle."""
    return {uri for uri in remade if uri.endswith(".md") and not uri.startswith(("teams/team-1-1/", "people/", "cycles/2026-Q4/review/"))}


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


def test_pages_are_kept_by_faces_unless_the_site_overrides_their_template_or_one_they_include(tmp_path):
    assert own_templates(None) == own_templates(tmp_path / "missing") == frozenset()
    (tmp_path / "README.md").write_text("How to override a page\n", encoding="utf-8")
    (tmp_path / "home.md").write_text('{% extends "default:home.md" %}\n', encoding="utf-8")
    overridden = own_templates(tmp_path)
    assert overridden == {"home.md"}
    assert shown_by_face(overridden) and shown_by_face(overridden, "trends.md")
    assert not shown_by_face(overridden, "home.md")
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "shared.md").write_text("{{ kf.checkins }}\n", encoding="utf-8")
    overridden = own_templates(tmp_path)
    assert not shown_by_face(overridden) and not shown_by_face(overridden, "trends.md")


def test_a_site_s_own_home_page_is_made_again_after_an_edit_that_keeps_the_others(served):
    root, serve = served
    (root / "templates").mkdir()
    (root / "templates" / "home.md").write_text('{% extends "default:home.md" %}\n', encoding="utf-8")
    serve.rebuild()
    replace(DOCUMENT, "Risk: the vendor contract is not signed yet.", "Risk: the vendor signs next week.")(root)
    remade = rebuilt(root, serve)
    assert others(remade) == {"index.md"}


def test_a_linked_team_s_moved_signal_makes_its_pages_again_whatever_the_face_says(served, monkeypatch):
    """team-2-4's 2026-Q4 depends on team-2-3's KR nps: an NPS that falls back to its baseline puts it off track, a
    broken dependency of team-2-4. Faces are made blind here, so only the comparison of the linked teams' signals sees it."""
    root, serve = served
    monkeypatch.setattr("okrsite.site.incremental.face", lambda analysis, team, documents: dict.fromkeys(PARTS, ()))
    replace("team-2-3/2026-Q4.yml", "{date: 2026-11-23, value: 33, confidence: 10}", "{date: 2026-11-23, value: 27, confidence: 10}")(root)
    _, remade = serve.rebuild()
    assert "teams/team-2-4/2026-Q4/index.md" in remade
    assert "Practice health: 11 signals" in serve.previous["teams/team-2-4/2026-Q4/index.md"].content


def test_a_confidence_given_by_mid_cycle_shows_on_the_trends_page_alone(served):
    """2026-Q3 runs from July 6 to September 25: the confidence of August 10 is the forecast that calibration reads."""
    root, serve = served
    replace("team-1-6/2026-Q3.yml", "{date: 2026-08-10, value: 180, confidence: 7}", "{date: 2026-08-10, value: 180, confidence: 2}")(root)
    remade = {uri for uri in rebuilt(root, serve) if not uri.startswith(("teams/team-1-6/", "people/", "cycles/2026-Q3/review/"))}
    assert "trends/index.md" in remade
    assert not remade & {"index.md", "health/index.md", "cycles/2026-Q3/index.md", "changes/2026-Q3/index.md", "alignment/2026-Q3/index.md"}


def test_a_line_added_above_a_signal_moves_it_on_the_health_page_alone(served):
    root, serve = served
    replace(DOCUMENT, "objectives:", "# Reviewed with the group lead.\nobjectives:")(root)
    assert others(rebuilt(root, serve)) == {"health/index.md"}


def test_a_score_that_moves_keeps_the_pages_that_show_no_figure(served):
    root, serve = served
    replace(DOCUMENT, LAST_WAU, "value: 2700, confidence: 10}")(root)
    remade = rebuilt(root, serve)
    assert {"cycles/2026-Q4/index.md", "index.md", "trends/index.md"} <= remade
    assert not remade & {"changes/2026-Q4/index.md", "changes/index.md", "changes/feed.xml", "health/index.md", "people/index.md"}
    assert "teams/group-1-1/2026-Q4/index.md" in remade  # its objective `delivery`, which moved, aligns to group-1-1's
    assert not remade & {"teams/team-2-1/index.md", "teams/team-2-2/index.md"}  # they link with team-1-1's other objectives


def test_a_score_that_moves_shows_on_the_pages_of_the_teams_that_align_to_it(served):
    """group-1-1's objectives align to dept-1's: its map shows their status, which a doubled value moves."""
    root, serve = served
    page = "teams/group-1-1/2026-Q4/index.md"
    before = serve.previous[page].content
    replace("dept-1/2026-Q4.yml", "value: 619, confidence: 6", "value: 1238, confidence: 6")(root)
    remade = rebuilt(root, serve)
    assert page in remade and serve.previous[page].content != before


def test_a_value_move_the_rounding_hides_keeps_the_maps_and_the_pages_of_linked_teams_and_people(served):
    """wau scores 0.7724 at 2614 and 0.7733 at 2614.5: every page but the team's own shows 0.77, and its objective's score
    and the summaries stay as written too; the cycle's page is made again (its glance means over every team)."""
    root, serve = served
    replace(DOCUMENT, LAST_WAU, "value: 2614.5, confidence: 10}")(root)
    remade = rebuilt(root, serve)
    assert "2,614.5" in serve.previous["teams/team-1-1/2026-Q4/index.md"].content
    assert "cycles/2026-Q4/index.md" in remade
    assert not {uri for uri in remade if uri.startswith(("alignment/", "people/", "teams/group-1-1/"))}


def test_a_check_in_s_new_day_shows_on_the_page_of_the_key_result_s_owner(served):
    root, serve = served
    replace(DOCUMENT, "{date: 2026-11-23, value: 2614,", "{date: 2026-11-22, value: 2614,")(root)
    remade = rebuilt(root, serve)
    assert "people/ana-haddad/index.md" in remade
    assert "2026-11-22" in serve.previous["people/ana-haddad/index.md"].content
    assert not {uri for uri in remade if uri.startswith(("alignment/", "teams/group-1-1/"))}


def test_a_move_no_page_writes_keeps_the_pages_of_a_cycle_beside_the_edited_one(served):
    """A cycle's glance has the figures of its own documents: another cycle's page and review show the edited document's
    figures as written, and keep them while those stay; the review's team parts are kept for the next rebuild."""
    root, serve = served
    with (root / "content/cycles.yml").open("a", encoding="utf-8") as cycles:
        cycles.write("  - id: 2026-S9\n    name: Six weeks 9\n    start: 2026-10-05\n    end: 2026-11-27\n")
    beside = root / "content/teams/team-2-5/2026-S9.yml"
    beside.write_text((root / "content/teams/team-2-5/2026-Q4.yml").read_text(encoding="utf-8"), encoding="utf-8")
    rebuilt(root, serve)
    replace(DOCUMENT, LAST_WAU, "value: 2614.5, confidence: 10}")(root)
    remade = rebuilt(root, serve)
    assert {"cycles/2026-Q4/index.md", "cycles/2026-Q4/review/index.md"} <= remade
    assert not remade & {"cycles/2026-S9/index.md", "cycles/2026-S9/review/index.md"}
    text = beside.read_text(encoding="utf-8")
    at = text.rindex("value: ") + len("value: ")
    beside.write_text(text[:at] + "9" + text[at:], encoding="utf-8")
    assert "cycles/2026-S9/review/index.md" in rebuilt(root, serve)
