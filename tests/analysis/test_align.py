"""Alignment maps (issue: Align): nodes, edges, the overlap rule, conflicts, on real builds."""

from __future__ import annotations

import contextlib
import posixpath
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from okrsite.commands.cli import main

from ..conftest import write_repo

AS_OF = "2026-05-18"
FILES = {
    "mkdocs.yml": "site_name: Acme OKRs\ntheme: {name: material}\nplugins: [search, okrsite]\n",
    "content/cycles.yml": """\
        cycles:
          - {id: 2026-Q2, start: 2026-04-06, end: 2026-06-26}
          - {id: 2026-S2, start: 2026-03-23, end: 2026-05-01}
          - {id: 2026-S3, start: 2026-05-04, end: 2026-06-12}
        """,
    "content/teams/acme/team.yml": "name: Acme\n",
    "content/teams/acme/2026-Q2.yml": """\
        objectives:
          - id: growth
            title: Customers pick Acme first
            type: aspirational
            key_results:
              - {id: revenue, title: Revenue, baseline: 100, target: 150, checkins: [{date: 2026-05-11, value: 120}]}
          - id: ops
            title: Nothing breaks
            type: committed
            key_results:
              - {id: uptime, title: Uptime, keep_above: 99, checkins: [{date: 2026-05-11, value: 98}]}
        """,
    "content/teams/web/team.yml": "name: Web\nparent: acme\n",
    "content/teams/web/2026-Q2.yml": """\
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
                depends_on: [acme/ops/uptime, mobile/offline@2026-S2]
                checkins: [{date: 2026-05-11, value: 700}]
        """,
    "content/teams/mobile/team.yml": "name: Mobile\nparent: web\n",
    "content/teams/mobile/2026-S2.yml": """\
        objectives:
          - id: offline
            title: The app works offline
            type: aspirational
            key_results: [{id: sync, title: Sync, checkins: [{date: 2026-04-20, done: false}]}]
        """,
    "content/teams/mobile/2026-S3.yml": """\
        objectives:
          - id: app
            title: The app is fast
            type: committed
            aligns_to: [web/speed]
            key_results: [{id: start, title: Cold start under 1s, checkins: [{date: 2026-05-11, done: false}]}]
          - id: hiring
            title: We hire two engineers
            type: committed
            key_results: [{id: hired, title: Two offers signed, checkins: [{date: 2026-05-11, done: false}]}]
        """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = write_repo(tmp_path_factory.mktemp("align"), FILES)
    with contextlib.chdir(root):
        result = CliRunner().invoke(main, ["build", "--as-of", AS_OF], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root / "site"


def nodes(page: Path, site: Path) -> dict[str, str]:
    """Each map node's label -> the page it opens (relative to the site's root)."""
    html = page.read_text()
    base = posixpath.dirname(str(page.relative_to(site)))
    found = {}
    for href, title in re.findall(r'<a class="okr-node [^"]*" href="([^"]+)"><title>([^<]+)</title>', html):
        path, _, anchor = href.partition("#")
        found[title] = posixpath.normpath(posixpath.join(base, path)) + "/#" + anchor
    return found


def test_every_objective_of_the_cycle_is_a_node_linking_to_its_page(site):
    pages = [site / "alignment/2026-Q2/index.html", *sorted((site / "alignment/2026-Q2").glob("*/index.html"))]
    found: dict[str, str] = {}
    for page in pages:
        found.update(nodes(page, site))
    assert found["Acme · 2026-Q2: Customers pick Acme first (at risk)"] == "teams/acme/2026-Q2/#objective-growth"
    assert found["Acme · 2026-Q2: Nothing breaks (off track)"] == "teams/acme/2026-Q2/#objective-ops"
    assert found["Web · 2026-Q2: Pages feel instant (at risk)"] == "teams/web/2026-Q2/#objective-speed"
    # Mobile works in six-week cycles: the quarter's map shows its document that overlaps the quarter most
    assert found["Mobile · 2026-S3: The app is fast (off track)"] == "teams/mobile/2026-S3/#objective-app"
    for target in found.values():
        assert (site / target.split("#")[0] / "index.html").is_file()


def test_both_edge_kinds_are_drawn_and_distinguishable(site):
    html = (site / "teams/web/2026-Q2/index.html").read_text()
    aligns = re.findall(r'<path class="okr-edge okr-edge-aligns_to"[^>]*><title>([^<]+)</title>', html)
    broken = re.findall(r'<path class="okr-edge okr-edge-depends_on okr-edge-broken"[^>]*><title>([^<]+)</title>', html)
    assert "Web: Pages feel instant aligns to Acme: Customers pick Acme first" in aligns
    assert "Mobile: The app is fast aligns to Web: Pages feel instant" in aligns
    # both of Web's dependencies are broken: one off track, one dropped
    assert "Web: Pages feel instant depends on Acme: Nothing breaks (broken: Web depends on Acme: “Uptime”: it is off track)" in broken
    assert len(broken) == 2
    assert 'marker-end="url(#n-web-2026-Q2-aligns_to)"' in html and 'marker-end="url(#n-web-2026-Q2-broken)"' in html


def test_edge_resolved_by_overlap_points_at_the_right_page(site):
    found = nodes(site / "teams/mobile/2026-S3/index.html", site)
    assert found["Web · 2026-Q2: Pages feel instant (at risk)"] == "teams/web/2026-Q2/#objective-speed"
    text = (site / "teams/mobile/2026-S3/index.html").read_text()
    assert 'Pages feel instant</a> <span class="okr-muted">(2026-Q2)</span>' in text  # says which cycle it lands in


def test_conflicts_are_marked_and_listed(site):
    text = re.sub(r"<[^>]+>", " ", (site / "alignment/2026-Q2/index.html").read_text())
    text = re.sub(r"\s+", " ", text)
    assert "dependency at risk Web depends on Acme: “Uptime”: it is off track" in text
    assert "dependency dropped Web depends on Mobile: “The app works offline”: it is no longer in content/teams/mobile/2026-S3.yml" in text
    assert "unaligned Mobile: “We hire two engineers” aligns to no objective, though the team is part of Web" in text
    page = (site / "teams/web/2026-Q2/index.html").read_text()
    assert "okr-conflict-dependency-at-risk" in page  # listed under the team's own map too
    assert 'class="okr-node okr-status-off-track" href="../../acme/2026-Q2/#objective-ops"' in page  # the node shows it


def test_outline_lists_every_objective_nested_by_team(site):
    html = (site / "alignment/2026-Q2/index.html").read_text()
    outline = html[html.index('id="okr-outline"') :]
    assert outline.index("<summary>Acme") < outline.index("<summary>Web") < outline.index("<summary>Mobile")
    assert outline.count("<details open>") == 3
    assert 'data-text="mobile we hire two engineers two offers signed"' in outline
    assert 'data-okr-filter="okr-outline"' in html
