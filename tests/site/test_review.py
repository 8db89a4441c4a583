"""The printable review of a cycle (SPEC section 6, `/cycles/<cycle>/review/`): what it shows, where it is linked, how it prints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ..browser import chromium, serve
from ..conftest import ACME
from .test_site import visible

AS_OF = "2026-07-01"  # 2026-Q2 has ended: its documents have final statuses and retrospectives
REVIEW = "cycles/2026-Q2/review/index.html"
FILES = {
    "content/teams/api/team.yml": "name: API <b>core</b>\nparent: acme\nlead: Wile E. Coyote\n",
    "content/teams/api/2026-Q2.yml": """\
        objectives:
          - id: uptime
            title: Partners never see us down
            type: committed
            aligns_to: [acme/growth]
            key_results:
              - id: availability
                title: Monthly availability in percent
                keep_above: 99.9
                unit: "%"
                checkins:
                  - {date: 2026-05-11, value: 99.95}
                  - {date: 2026-06-08, value: 99.8}
        """,
    "content/teams/web/2026-Q1.yml": """\
        objectives:
          - id: speed
            title: Pages feel fast
            type: committed
            key_results:
              - id: p95
                title: P95 load time in ms
                baseline: 900
                target: 500
        retrospective:
          changes: [Check in every Monday]
        """,
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
                checkins:
                  - {date: 2026-05-11, value: 700, confidence: 7}
        retrospective:
          date: 2026-06-29
          landed: ["Image CDN <script>alert(1)</script> everywhere"]
          missed:
            - key_result: speed/p95
              cause: execution
              note: The bundle split slipped
          lessons:
            business: [Slow pages cost sign-ups]
            method: [Weekly check-ins kept us honest]
          changes: [Budget every page at 300 KB]
        """,
    "content/teams/mobile/team.yml": "name: Mobile\nparent: acme\n",
    "content/teams/mobile/2026-S3.yml": """\
        objectives:
          - id: crashes
            title: The app never crashes
            type: committed
            key_results:
              - id: crash-free
                title: Crash-free sessions
                baseline: 98
                target: 99.5
        """,
}


@pytest.fixture
def site(repo, okrsite) -> Path:
    root = repo(FILES)
    result = okrsite(root, "build", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    return root / "site"


def test_the_review_shows_every_team_of_the_cycle_in_tree_order(site):
    text = visible(site / REVIEW)
    headings = re.findall(r"<h2 id=[^>]*>(.*?)</h2>", (site / REVIEW).read_text(encoding="utf-8"))
    assert headings == ["Acme", "API &lt;b&gt;core&lt;/b&gt;", "Web"]  # the root, then its children by name; HTML as text
    assert "Review of 2026-Q2" in text and "ended · figures as of 2026-07-01 · 3 teams" in text
    for line in (
        "Customers pick Acme first aspirational 0.40 yellow",  # (120 - 100) / (150 - 100)
        "Monthly recurring revenue in k EUR 100 → 120 → 150 0.40 yellow",
        "Partners never see us down committed 0.50 yellow",  # one of its two check-ins held the line
        "Monthly availability in percent 99.8% , kept above 99.9% 0.50 yellow",
        "Pages feel instant committed 0.25 red",  # (700 - 800) / (400 - 800)
        "P95 load time in ms 800 → 700 → 400 0.25 red",
    ):
        assert line in text, line
    assert "Score 0.25 red" in text and "led by Wile E. Coyote" in text


def test_the_review_shows_each_team_s_lessons_and_changes(site):
    text = visible(site / REVIEW)
    web = text[text.index("Acme › Web") :]
    assert "Landed Image CDN <script>alert(1)</script> everywhere" in web
    assert "Missed P95 load time in ms (execution) : The bundle split slipped" in web
    assert "Lessons on the business Slow pages cost sign-ups" in web
    assert "Lessons on the method Weekly check-ins kept us honest" in web
    assert "What we will do differently next cycle Budget every page at 300 KB" in web
    assert "3 changes since 2026-Q1: retitled 1, re-targeted 1, re-baselined 1." in web  # its promises are not changes
    acme = text[text.index("Acme · 2026-Q2") : text.index("Acme › API")]
    assert "No retrospective was written for this cycle." in acme
    assert "The team's first document: there is no previous cycle to compare with." in acme
    raw = (site / REVIEW).read_text(encoding="utf-8")
    article = raw[raw.index("<article") : raw.index("</article>")]
    assert "<script" not in article and "Image CDN &lt;script&gt;alert(1)&lt;/script&gt; everywhere" in article


def test_the_review_names_the_teams_on_other_cycles(site):
    text = visible(site / REVIEW)
    assert "On other cycles in this period: Mobile in Six weeks 3 ." in text
    assert 'href="../../2026-S3/review/#team-mobile"' in (site / REVIEW).read_text(encoding="utf-8")
    assert "Mobile" in visible(site / "cycles/2026-S3/review/index.html")


def test_every_cycle_has_a_review_linked_from_its_page_and_not_from_the_nav(site):
    for cycle in ("2026-Q1", "2026-Q2", "2026-S3"):
        assert (site / f"cycles/{cycle}/review/index.html").is_file()
        assert re.search(r'<a href="review/">Printable review</a>', (site / f"cycles/{cycle}/index.html").read_text(encoding="utf-8"))
    for page in ("index.html", "cycles/2026-Q2/index.html", REVIEW):
        raw = (site / page).read_text(encoding="utf-8")
        nav = raw[raw.index('<nav class="md-nav md-nav--primary"') : raw.index("</nav>", raw.rindex('<nav class="md-nav md-nav--primary"'))]
        assert "review/" not in nav and "Review" not in nav, page


def test_generate_writes_the_reviews_too(repo, okrsite):
    root = repo(FILES)
    result = okrsite(root, "generate", "--as-of", AS_OF, "out")
    assert result.exit_code == 0, result.output
    page = (root / "out/cycles/2026-Q2/review/index.md").read_text(encoding="utf-8")
    assert "# Review of 2026\\-Q2" in page and "## Web" in page


@pytest.mark.browser
def test_in_print_the_theme_is_hidden_and_each_team_starts_a_page(repo, okrsite):
    """Printed from a dark screen too: the site's palette is Material's dark one."""
    root = repo(
        {**FILES, "mkdocs.yml": ACME["mkdocs.yml"].replace("theme: {name: material}", "theme: {name: material, palette: {scheme: slate}}")}
    )
    assert okrsite(root, "build", "--as-of", AS_OF).exit_code == 0
    with serve(root / "site") as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + REVIEW.removesuffix("index.html"))
        shown = "sel => [...document.querySelectorAll(sel)].some(e => e.getClientRects().length > 0)"
        text = "getComputedStyle(document.querySelector('.md-typeset')).color"
        chrome = (".md-header", ".md-sidebar", ".md-nav", ".md-search", ".md-footer", ".md-content__button")
        assert page.evaluate(shown, ".md-header") and not page.evaluate(text).startswith("rgba(0, 0, 0")  # on screen: the theme, dark
        page.emulate_media(media="print")
        assert [part for part in chrome if page.evaluate(shown, part)] == []
        assert page.evaluate(text).startswith("rgba(0, 0, 0")  # dark text on paper
        assert page.evaluate("getComputedStyle(document.querySelector('.okr-status-yellow')).color") == "rgb(154, 91, 0)"  # light palette
        breaks = page.evaluate("[...document.querySelectorAll('.md-typeset h2')].map(h => getComputedStyle(h).breakBefore)")
        assert breaks == ["page", "page", "page"]
        assert page.evaluate("getComputedStyle(document.querySelector('h1')).breakBefore") == "auto"
        kept = page.evaluate("[...document.querySelectorAll('svg.okr-stack, meter')].map(e => getComputedStyle(e).printColorAdjust)")
        assert kept and set(kept) == {"exact"}
