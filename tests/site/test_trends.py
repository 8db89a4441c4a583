"""The /trends/ page and the team page's history: figures per cycle, calibration, pulse and practice, on a built site."""

from __future__ import annotations

import re

from .test_site import visible

# As of 10 July both quarters ended. Their midpoints: 14 February and 16 May.
DOCS = {
    # acme Q1: revenue 80 -> 90 of 100, 0.50: an aspirational KR that did not land (0.7 needed), 8 at mid-cycle
    "content/teams/acme/2026-Q1.yml": """\
        objectives:
          - id: growth
            title: Customers pick Acme first
            type: aspirational
            key_results:
              - {id: revenue, title: Monthly revenue, baseline: 80, target: 100, checkins: [{date: 2026-01-20, value: 90, confidence: 8}]}
        pulse:
          responses: 10
          questions:
            - {text: <b>Our goals</b> were clear, score: 4.0}
        """,
    # web Q1: p95 landed (1.00) with 8; lcp 0.50 did not, with 2
    "content/teams/web/2026-Q1.yml": """\
        objectives:
          - id: speed
            title: Pages feel instant
            type: committed
            key_results:
              - {id: p95, title: P95 load time in ms, baseline: 900, target: 800, checkins: [{date: 2026-01-20, value: 790, confidence: 8}]}
              - {id: lcp, title: Largest paint in s, baseline: 3, target: 2, checkins: [{date: 2026-01-20, value: 2.5, confidence: 2}]}
        pulse:
          responses: 5
          questions:
            - {text: "<b>our goals</b>  were CLEAR", score: 2.5}
            - {text: We knew who owned each KR, score: 3.0}
        """,
    # web Q2: p95 800 -> 420 of 400, 0.95, landed, 8 at mid-cycle; its baseline is not Q1's final 790
    "content/teams/web/2026-Q2.yml": """\
        objectives:
          - id: speed
            title: Pages feel instant
            type: committed
            aligns_to: [acme/growth]
            key_results:
              - {id: p95, title: P95 load time in ms, baseline: 800, target: 400, checkins: [{date: 2026-05-11, value: 420, confidence: 8}]}
        pulse:
          responses: 4
          questions:
            - {text: we knew who owned each kr, score: 4.0}
        """,
    # acme Q2 (Acme's own): revenue 100 -> 120 of 150, 0.40, with 6 on 11 May
}


def test_trends_page_shows_the_company_per_cycle(repo, okrsite):
    root = repo(DOCS)
    assert okrsite(root, "build", "--as-of", "2026-07-10").exit_code == 0
    page = visible(root / "site/trends/index.html")
    company = page[page.index("Home › Trends") : page.rindex("Departments")]
    # cycle, Acme's score, committed landed, aspirational mean, statuses, signals, Brier score
    # Q2: acme 0.40 yellow, web 0.95 green; forecasts 0.6 (missed), 0.8 (landed): ((0.6-0)² + (0.8-1)²) / 2 = 0.40 / 2 = 0.20
    assert re.search(r"2026-Q2 0\.40 1 of 1 0\.40 green 1 · yellow 1 \d+ 0\.20", company)
    # Q1: acme 0.50 yellow, p95 green, lcp yellow; (0.8-0)² + (0.8-1)² + (0.2-0)² = 0.64 + 0.04 + 0.04 = 0.72, / 3 = 0.24
    assert re.search(r"2026-Q1 0\.50 1 of 2 0\.50 green 1 · yellow 2 \d+ 0\.24", company)
    # miscalibrated: acme's aspirational mean outside 0.6-0.8 in both, web's lcp below 0.9 in Q1 (newest first)
    assert "miscalibrated 1 2" in company
    # every forecast: (0.72 + 0.40) / 5 = 0.224; mean forecast (0.8 + 0.8 + 0.2 + 0.6 + 0.8) / 5 = 0.64, 2 of 5 landed
    assert "Brier score 0.22 over 5 key results of ended cycles" in company
    assert "Confidence forecast 0.64 on average, and a share of 0.40 landed: over-confident by 0.24" in company
    assert "Confidence at mid-cycle Key results Landed Share landed 1-3 1 0 0.00 4-6 1 0 0.00 7-8 3 2 0.67 9-10 0 0 –" in company
    # the pulse, weighted by responses: Q1 (4.0 x 10 + 2.5 x 5) / 15 = 3.5; the question's words as last asked, tidied
    assert "Question 2026-Q2 2026-Q1 1. <b>our goals</b> were CLEAR – 3.5 2. we knew who owned each kr 4.0 3.0" in company
    raw = (root / "site/trends/index.html").read_text(encoding="utf-8")
    for kind in ("history", "counts", "calibration", "pulse"):
        assert f'<svg class="okr-chart okr-chart-{kind}"' in raw
    assert "<b>our goals" not in raw and "&lt;b&gt;our goals&lt;/b&gt; were CLEAR" in raw


def test_trends_page_shows_each_department(repo, okrsite):
    root = repo(DOCS)
    assert okrsite(root, "build", "--as-of", "2026-07-10").exit_code == 0
    page = visible(root / "site/trends/index.html")
    web = page[page.rindex("Departments") :]
    # Web's own documents: Q2 0.95, Q1 (1.00 + 0.50) / 2 = 0.75
    assert re.search(r"Web Scores .*? 2026-Q2 0\.95 1 of 1 – green 1 \d+ 0\.04 2026-Q1 0\.75 1 of 2 – green 1 · yellow 1", web)
    # (0.04 + 0.04 + 0.04) / 3 = 0.04; mean forecast 1.8 / 3 = 0.60, 2 of 3 landed, 0.667: under-confident by 0.07
    assert "Brier score 0.04 over 3 key results" in web and "under-confident by 0.07" in web


def test_home_and_nav_link_the_trends_page(repo, okrsite):
    root = repo(DOCS)
    assert okrsite(root, "build", "--as-of", "2026-07-10").exit_code == 0
    home = (root / "site/index.html").read_text(encoding="utf-8")
    assert home.count('href="trends/"') == 2  # the nav's one entry, and the Trend section
    assert okrsite(root, "generate", "--as-of", "2026-07-10", "out").exit_code == 0
    assert (root / "out/trends/index.md").read_text(encoding="utf-8").startswith("---\ntitle: Trends\n---\n# Trends")


def test_team_page_shows_calibration_pulse_and_practice(repo, okrsite):
    root = repo(DOCS)
    assert okrsite(root, "build", "--as-of", "2026-07-10").exit_code == 0
    web = visible(root / "site/teams/web/index.html")
    history = web[web.index("Scores by cycle, newest first") : web.rindex("Latest:")]
    assert "Brier score 0.04 over 3 key results of ended cycles" in history
    assert "Question 2026-Q2 2026-Q1 1. <b>our goals</b> were CLEAR – 2.5 2. we knew who owned each kr 4.0 3.0" in history
    # newest first: outcomes; baselines from the last final value (800 is not 790); retrospectives; landed; band; Brier
    # Q2's forecast 0.8 landed: (0.8-1)² = 0.04; Q1's (0.04 + 0.04) / 2 = 0.04
    assert (
        "Sign 2026-Q2 2026-Q1 Outcome key results (not outputs) 1 of 1 2 of 2 Baselines from the last cycle's final value 0 of 1 – "
        "Changes committed in the retrospective no retrospective no retrospective Every committed key result landed (≥ 0.90) yes no "
        "Aspirational mean within 0.60-0.80 – – Brier score of confidence at mid-cycle 0.04 0.04"
    ) in history
    raw = (root / "site/teams/web/index.html").read_text(encoding="utf-8")
    assert raw.count('<svg class="okr-chart okr-chart-pulse"') == 1 and raw.count('<svg class="okr-chart okr-chart-calibration"') == 1
