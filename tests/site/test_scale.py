"""A large organisation: pages keep a size independent of the number of teams, maps stay within budget.

Budgets (stated in the README): a team-cycle page at most 250 KB, the same mean size
(within 15 %) at 40 and at 500 teams, and a nav that does not grow with the teams;
an alignment page at most 1.5 MB at 500 teams (its outline lists every objective of
the cycle) and a department map page at most 300 KB; a person's page lists their own
things only, at most 1 KB a row beyond the theme's frame, and the people directory
at most 1 KB a person. Build times are printed, not
asserted: absolute times on a shared machine are noise (benchmarks/ measures them).
"""

from __future__ import annotations

import contextlib
import json
import re
import statistics
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from okrsite.commands.cli import main
from okrsite.commands.demo import write_demo

KB = 1024


def build_demo(root: Path, teams: int) -> tuple[Path, float]:
    write_demo(root, teams, 1, seed=7)
    started = time.perf_counter()
    with contextlib.chdir(root):
        result = CliRunner().invoke(main, ["build", "--as-of", "2026-11-25"], catch_exceptions=False)
    assert result.exit_code == 0, result.output[-2000:]
    return root / "site", time.perf_counter() - started


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[int, Path]:
    built = {}
    for teams in (40, 500):
        site, seconds = build_demo(tmp_path_factory.mktemp(f"org{teams}"), teams)
        pages = len(list(site.rglob("index.html")))
        print(f"\n{teams} teams x 1 cycle: {pages} pages built in {seconds:.1f} s")
        built[teams] = site
    return built


def team_cycle_pages(site: Path) -> list[Path]:
    return [p for p in (site / "teams").glob("*/*/index.html")]


def nav(page: Path) -> str:
    html = page.read_text()
    return html[html.index('<nav class="md-nav md-nav--primary"') : html.index("Table of contents")]


def test_team_cycle_pages_do_not_grow_with_the_organisation(sites):
    small = [p.stat().st_size for p in team_cycle_pages(sites[40])]
    large = [p.stat().st_size for p in team_cycle_pages(sites[500])]
    assert len(large) >= 500
    assert max(large) <= 250 * KB
    assert abs(statistics.mean(large) / statistics.mean(small) - 1) < 0.15


def test_the_nav_does_not_list_every_team(sites):
    small = nav(team_cycle_pages(sites[40])[0])
    large = nav(team_cycle_pages(sites[500])[0])
    assert len(re.findall(r"<a ", large)) < 40
    assert len(large) < 1.5 * len(small)


def test_alignment_pages_stay_within_budget(sites):
    nodes = set()
    for cycle in (sites[500] / "alignment").iterdir():
        assert (cycle / "index.html").stat().st_size <= 1536 * KB
        departments = list(cycle.glob("*/index.html"))
        assert len(departments) >= 5
        assert max(p.stat().st_size for p in departments) <= 300 * KB
        for page in [cycle / "index.html", *departments]:
            nodes.update(re.findall(r'<a class="okr-node [^"]*" href="(?:\.\./)+teams/([^"]+)"', page.read_text()))
    objectives = {
        f"{page.parent.parent.name}/{page.parent.name}/#objective-{found}"
        for page in team_cycle_pages(sites[500])
        for found in re.findall(r'class="okr-anchor" id="objective-([^"]+)"', page.read_text())
    }
    assert objectives <= nodes  # every objective of every cycle is a node on a map that links to it


def test_person_pages_list_their_own_things_only(sites):
    """The demo draws its people from a small pool, so at 500 teams each owns more: their pages grow with that, never beyond it."""
    for site in sites.values():
        people = json.loads((site / "okrs.json").read_text(encoding="utf-8"))["people"]
        frame = (site / "404.html").stat().st_size  # the theme's frame and nav, without a page's own content
        for person in people:
            page = site / "people" / person["slug"] / "index.html"
            html = page.read_text(encoding="utf-8")
            owned = html[html.index('id="key-results-they-own"') :]
            assert owned.count("<tr><td>") == len(person["key_results"]), person["slug"]
            assert page.stat().st_size <= frame + 8 * KB + KB * html.count("<tr><td>"), person["slug"]
            assert len(re.findall(r"<a ", nav(page))) < 40
        directory = site / "people/index.html"
        assert directory.stat().st_size <= frame + 8 * KB + KB * len(people)
