"""The home and cycle pages at a glance: statuses, committed and aspirational KRs, what needs attention, the trend."""

from __future__ import annotations

import re

from .test_site import visible

Q1 = {
    "content/teams/acme/2026-Q1.yml": """\
        objectives:
          - id: growth
            title: Customers pick Acme first
            type: aspirational
            key_results:
              - {id: revenue, title: Monthly recurring revenue, baseline: 80, target: 100, checkins: [{date: 2026-03-20, value: 94}]}
        """,
    "content/teams/web/2026-Q1.yml": """\
        objectives:
          - id: speed
            title: Pages feel instant
            type: committed
            key_results:
              - {id: p95, title: P95 load time in ms, baseline: 900, target: 800, checkins: [{date: 2026-03-20, value: 790}]}
              - {id: lcp, title: Largest paint in s, baseline: 3, target: 2, checkins: [{date: 2026-03-20, value: 2.5}]}
        """,
    # Web's Q2 key result: checked in on 2026-04-10 only, 38 days before the as-of date
    "content/teams/web/2026-Q2.yml": """\
        objectives:
          - id: speed
            title: Pages feel instant
            type: committed
            aligns_to: [acme/growth]
            key_results:
              - id: p95
                title: P95 load time in ms
                baseline: 800
                target: 400
                depends_on: [acme/growth/revenue]
                checkins: [{date: 2026-04-10, value: 790, confidence: 7}]
        """,
}


def test_home_shows_the_cycle_at_a_glance_and_where_to_look_first(repo, okrsite):
    root = repo(Q1)
    assert okrsite(root, "build", "--as-of", "2026-05-18").exit_code == 0
    raw = (root / "site/index.html").read_text(encoding="utf-8")
    home = visible(root / "site/index.html")
    # acme revenue (aspirational): 0.40 at risk; web p95 (committed): 0.03 off track, and stale
    assert "2 key results by status" in home and "at risk 1" in home and "off track 1" in home
    assert "Committed key results 0 of 1 on track" in home and "0 landed so far" in home
    assert "Aspirational key results 0.40 mean score of 1" in home
    attention = home[home.index("Needs attention") : home.index("Every team in", home.index("Needs attention"))]
    assert "off track Web: P95 load time in ms 0.03, off track" in attention
    assert "stale check-ins Web: P95 load time in ms last check-in on 2026-04-10, 38 days ago" in attention
    assert 'href="teams/web/2026-Q2/#kr-speed-p95"' in raw
    # every team a row with its progress bar; the bars are native elements
    assert re.search(r'<progress class="okr-progress okr-progress-inline okr-status-off-track" max="1" value="0.03"', raw)
    assert '<meter class="okr-bar okr-bar-wide" min="0" max="1" value="0.4"' in raw


def test_home_shows_the_company_trend_over_its_cycles(repo, okrsite):
    root = repo(Q1)
    assert okrsite(root, "build", "--as-of", "2026-05-18").exit_code == 0
    raw = (root / "site/index.html").read_text(encoding="utf-8")
    home = visible(root / "site/index.html")
    trend = home[home.rindex("Trend") : home.rindex("Practice health")]  # after the table of contents
    # Q1: web's p95 landed (1.00), lcp did not (0.50); acme 0.70 aspirational; S3 is no cycle of the top team
    assert "2026-Q2 (running) 0.40 0 of 1 on track 0.40" in trend and "2026-Q1 0.70 1 of 2 0.70" in trend
    assert "Six weeks 3" not in trend
    assert raw.count('<svg class="okr-chart okr-chart-history"') == 1


def test_a_cycle_page_has_its_own_summary(repo, okrsite):
    root = repo(Q1)
    assert okrsite(root, "build", "--as-of", "2026-05-18").exit_code == 0
    q1 = visible(root / "site/cycles/2026-Q1/index.html")
    assert "3 key results by status" in q1 and "green 2" in q1 and "yellow 1" in q1
    assert "Committed key results 1 of 2 landed" in q1
    assert "Needs attention" not in q1 and "Nothing needs attention" in q1


def test_a_shared_objective_shows_in_full_on_every_owner_s_page(repo, okrsite):
    shared = {
        "content/teams/api/team.yml": "name: API\nparent: acme\n",
        "content/teams/acme/2026-Q2.yml": """\
            objectives:
              - id: growth
                title: Customers pick Acme first
                type: committed
                shared_with: [web, api]
                key_results:
                  - {id: revenue, title: Monthly recurring revenue, baseline: 100, target: 150, unit: k EUR, owner: Road Runner,
                     checkins: [{date: 2026-05-11, value: 120}]}
                  - {id: launch, title: Pricing page live, checkins: [{date: 2026-05-11, done: true}]}
            """,
    }
    root = repo(shared)
    assert okrsite(root, "build", "--as-of", "2026-05-18").exit_code == 0
    for page in ("teams/web/2026-Q2", "teams/web", "teams/api"):
        text = visible(root / f"site/{page}/index.html")
        part = text[text.rindex("Shared with Web") if "web" in page else text.rindex("Shared with API") :]
        assert "Customers pick Acme first committed 0.70 on track · written by Acme , shared with Web, API" in part, page
        assert "Monthly recurring revenue 0.40 at risk 120 k EUR of 150 k EUR Road Runner" in part, page
        assert "Pricing page live 1.00 on track done –" in part, page
    raw = (root / "site/teams/web/2026-Q2/index.html").read_text(encoding="utf-8")
    assert 'href="../../acme/2026-Q2/#kr-growth-revenue"' in raw
