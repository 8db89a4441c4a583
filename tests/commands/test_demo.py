"""The synthetic demo organisation: reproducible to the byte, valid, and shaped like a real company."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from okrsite.commands.demo import TODAY, write_demo
from okrsite.content.errors import Problems
from okrsite.content.folder import load_organisation
from okrsite.content.model import Organisation, Team

Loaded = tuple[Organisation, Problems]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int, int], Loaded]:
    """Write and load a demo organisation once per size, as several tests look at the same one."""
    loaded: dict[tuple[int, int], Loaded] = {}

    def make(teams: int, cycles: int) -> Loaded:
        if (teams, cycles) not in loaded:
            root = tmp_path_factory.mktemp(f"demo-{teams}x{cycles}")
            write_demo(root, teams, cycles)
            loaded[teams, cycles] = load_organisation(root)
        return loaded[teams, cycles]

    return make


def file_hashes(root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest() for path in root.rglob("*") if path.is_file()}


def test_the_same_seed_gives_the_same_bytes_and_another_seed_differs(tmp_path: Path) -> None:
    for name, seed in (("first", 3), ("again", 3), ("other", 4)):
        write_demo(tmp_path / name, 25, 3, seed=seed)
    first = file_hashes(tmp_path / "first")
    assert len(first) > 25
    assert file_hashes(tmp_path / "again") == first
    assert file_hashes(tmp_path / "other") != first


@pytest.mark.parametrize(("teams", "cycles"), [(1, 1), (7, 3), (60, 5)])
def test_the_demo_loads_without_errors(demo: Callable[[int, int], Loaded], teams: int, cycles: int) -> None:
    org, problems = demo(teams, cycles)
    assert problems.errors == [], "\n".join(str(p) for p in problems.errors)
    assert len(org.teams) == teams
    quarters = [c for c in org.cycles.values() if "-Q" in c.id]
    assert len(quarters) == cycles
    assert all(team.documents for team in org.teams.values())


def test_the_calendar_is_consecutive_quarters_up_to_the_running_one(demo: Callable[[int, int], Loaded]) -> None:
    org, _ = demo(60, 5)
    quarters = [c for c in org.cycles.values() if "-Q" in c.id]
    assert [c.id for c in quarters] == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert all(c.start.weekday() == 0 and c.end - c.start == dt.timedelta(weeks=11, days=4) for c in quarters)
    assert quarters[-1].contains(TODAY)
    assert all(c.end < TODAY for c in quarters[:-1])
    six_weeks = [c for c in org.cycles.values() if "-S" in c.id]
    assert len(six_weeks) == 4
    assert six_weeks[0].start == quarters[-2].start
    assert six_weeks[-1].end == quarters[-1].end
    sprint_teams = [t for t in org.teams.values() if any(cycle in t.documents for cycle in ("2026-S7", "2026-S8"))]
    assert sprint_teams
    assert all("2026-Q4" not in t.documents for t in sprint_teams)


def test_the_demo_looks_like_a_real_organisation(demo: Callable[[int, int], Loaded]) -> None:
    org, _ = demo(60, 5)

    def depth(team: Team) -> int:
        return 1 if team.parent is None else 1 + depth(org.teams[team.parent])

    assert [t.id for t in org.roots()] == ["company"]
    assert max(depth(team) for team in org.teams.values()) >= 3
    objectives = [objective for doc in org.documents() for objective in doc.objectives]
    krs = [kr for objective in objectives for kr in objective.key_results]
    assert {kr.kind for kr in krs} == {"metric", "health", "milestone"}
    assert {objective.type for objective in objectives} == {"committed", "aspirational"}
    assert any(objective.aligns for objective in objectives)
    assert any(kr.depends for kr in krs)
    ended = [doc for doc in org.documents() if doc.cycle.end < TODAY]
    assert any(doc.retrospective and doc.retrospective.missed for doc in ended)
    assert any(doc.retrospective is None for doc in ended), "some retrospectives are skipped on purpose"
    assert all(checkin.date <= TODAY for kr in krs for checkin in kr.checkins)


def test_a_continued_metric_starts_from_where_the_last_cycle_ended(demo: Callable[[int, int], Loaded]) -> None:
    org, _ = demo(60, 5)
    continued = 0
    for doc in org.documents():
        previous = org.previous_document(doc)
        for objective in doc.objectives if previous else []:
            before = previous.objective(objective.id) if previous else None
            for kr in objective.key_results if before else []:
                old = before.key_result(kr.id) if before else None
                if kr.kind == "metric" and old is not None:
                    checkins = sorted(old.checkins, key=lambda c: c.date)
                    assert kr.baseline == (checkins[-1].value if checkins else old.baseline), kr.loc()
                    continued += 1
    assert continued > 0


def test_an_existing_content_folder_or_an_empty_size_is_refused(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    with pytest.raises(ValueError, match="already exists"):
        write_demo(tmp_path, 3, 1)
    with pytest.raises(ValueError, match="at least one"):
        write_demo(tmp_path / "new", 0, 1)
    with pytest.raises(ValueError, match="at least one"):
        write_demo(tmp_path / "new", 3, 0)


def test_a_users_mkdocs_yml_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: Ours\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"mkdocs\.yml already exists; write the demo into a folder without a site"):
        write_demo(tmp_path, 3, 1)
    assert (tmp_path / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: Ours\n"
    assert not (tmp_path / "content").exists()
