"""The built site in Debian's Chromium: maps that open their pages, search offline, no request elsewhere."""

from __future__ import annotations

import contextlib
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from .browser import Visit, chromium, serve
from .conftest import ROOT, build_example

pytestmark = pytest.mark.browser

OUTPUT = ROOT / "test-output"
"""Screenshots for a person to look at (not committed)."""


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[str, object]]:
    """The example site built as of a fixed date, served on loopback, with a browser ready."""
    site = build_example(tmp_path_factory.mktemp("browser"))
    with serve(site) as base, chromium() as browser:
        yield base, browser, site


def test_clicking_a_map_node_opens_its_team_cycle_page(served):
    base, browser, _ = served
    visit = Visit(browser, base)
    visit.page.goto(base + "alignment/2026-Q4/product/")
    node = visit.page.locator("a.okr-node", has_text="Trials become paying").first
    node.click()
    visit.page.wait_for_url("**/teams/growth/2026-Q4/#objective-conversion")
    assert visit.page.locator("h1").inner_text().startswith("Growth · Q4 2026")
    assert visit.foreign == [] and visit.errors == []


def test_map_nodes_are_reachable_with_the_keyboard(served):
    base, browser, _ = served
    visit = Visit(browser, base)
    visit.page.goto(base + "teams/growth/2026-Q4/")
    node = visit.page.locator(".okr-map a.okr-node").first
    node.focus()
    assert visit.page.evaluate("document.activeElement.classList.contains('okr-node')")
    with visit.page.expect_navigation():
        visit.page.keyboard.press("Enter")
    assert "#objective-" in visit.page.url


def test_outline_filter_narrows_the_objectives(served):
    base, browser, _ = served
    visit = Visit(browser, base)
    visit.page.goto(base + "alignment/2026-Q4/")
    visible = visit.page.locator("#okr-outline li[data-text]:visible")
    everything = visible.count()
    visit.page.fill("input[data-okr-filter]", "drive time")
    assert 0 < visible.count() < everything
    assert all("drive time" in visible.nth(i).get_attribute("data-text") for i in range(visible.count()))
    assert visit.errors == []


def _search(visit: Visit, base: str, words: str) -> list[tuple[str, str]]:
    """Type `words` into Material's search box as a reader does; the results as (page URL, text)."""
    visit.page.goto(base)
    visit.page.locator(".md-search__input").click()
    # the search worker loads the index first; Material says "Initializing search" until then
    visit.page.wait_for_function("!document.querySelector('.md-search-result__meta').textContent.includes('Initializing')", timeout=30000)
    visit.page.locator(".md-search__input").press_sequentially(words)  # keystrokes, as a reader types
    # results come from a worker, query by query as the keys land: wait for those of the whole words
    done = "h=" + "+".join(words.lower().split())
    arrived = f"[...document.querySelectorAll('.md-search-result__link')].some(a => a.href.includes({done!r}))"
    visit.page.wait_for_function(arrived, timeout=30000)
    found = visit.page.locator(".md-search-result__link")
    return [(found.nth(i).get_attribute("href") or "", found.nth(i).inner_text()) for i in range(found.count())]


def test_search_finds_a_key_result_offline(served):
    base, browser, _ = served
    visit = Visit(browser, base)
    assert any("technician" in text.lower() for _, text in _search(visit, base, "technician"))
    assert visit.foreign == [] and visit.errors == []


@pytest.mark.parametrize(
    ("words", "found_at"),
    [
        ("Kowalczyk", "teams/growth/2026-Q4/#trials-that-invite-at-least-one-technician-to-the-app-in-week-one"),  # an owner
        ("Whitfield", "teams/product/"),  # a team's lead
        ("required setup step", "teams/growth/2026-Q4/#trials-that-invite-at-least-one-technician-to-the-app-in-week-one"),
        ("plumbing shops", "teams/growth/2026-Q3/#retrospective"),  # a lesson of a retrospective
        ("renewal desk", "teams/customer-success/2026-Q4/#health-score-on-every-account-page-in-the-crm"),  # a check-in note
    ],
)
def test_search_finds_people_initiatives_lessons_and_notes(served, words, found_at):
    base, browser, _ = served
    visit = Visit(browser, base)
    results = [urlsplit(href) for href, _ in _search(visit, base, words)]
    assert found_at in [(r.path.lstrip("/") + (f"#{r.fragment}" if r.fragment else "")) for r in results], results


def test_search_finds_a_person_s_page_by_name(served):
    base, browser, _ = served
    visit = Visit(browser, base)
    results = [urlsplit(href).path.lstrip("/") for href, _ in _search(visit, base, "Sofia Marquez")]
    assert "people/sofia-marquez/" in results, results


def test_a_key_result_s_owner_opens_their_page(served):
    base, browser, _ = served
    visit = Visit(browser, base)
    visit.page.goto(base + "teams/growth/2026-Q4/")
    visit.page.locator(".okr-facts dd a", has_text="Hannah Kowalczyk").first.click()
    visit.page.wait_for_url("**/people/hannah-kowalczyk/")
    assert visit.page.locator("h1").inner_text().startswith("Hannah Kowalczyk")
    assert visit.page.locator("table", has_text="Trials that invite at least one technician").count() == 1


def test_search_leaves_out_tables_charts_and_maps(served):
    _, _, site = served
    index = (site / "search/search_index.json").read_text(encoding="utf-8")
    assert "Committed KRs landed" not in index and "okr-node" not in index and "scores by cycle" not in index
    assert "data-okr-search" not in index and "okrsite-block" not in index


def _links_and_assets(visit: Visit) -> list[str]:
    return visit.page.evaluate(
        """() => [...document.querySelectorAll('a[href], link[href], script[src], img[src]')]
            .map(e => new URL(e.getAttribute('href') || e.getAttribute('src'), location.href).href)
            .filter(u => u.startsWith(location.origin))"""
    )


def test_every_page_loads_offline_without_errors_and_its_links_answer(served):
    base, browser, site = served
    visit = Visit(browser, base)
    failed: list[str] = []
    visit.page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    checked: dict[str, int] = {}
    folders = [p.parent.relative_to(site).as_posix() for p in sorted(site.rglob("index.html"))]
    pages = [base if folder == "." else f"{base}{folder}/" for folder in folders]
    assert len(pages) >= 75
    for url in pages:
        response = visit.page.goto(url)
        assert response is not None and response.status == 200, url
        for link in _links_and_assets(visit):
            target = link.split("#")[0]
            if target not in checked:
                with contextlib.suppress(urllib.error.HTTPError):
                    checked[target] = urllib.request.urlopen(target, timeout=10).status
                checked.setdefault(target, 404)
    assert failed == []
    assert [u for u, status in checked.items() if status != 200] == []
    assert visit.foreign == [] and visit.errors == []


def test_the_nav_reaches_a_team_page(served):
    base, browser, _ = served
    visit = Visit(browser, base)
    visit.page.set_viewport_size({"width": 1280, "height": 900})
    visit.page.goto(base)
    visit.page.locator(".md-nav--primary a", has_text="Engineering").first.click()
    visit.page.wait_for_url("**/teams/engineering/")
    assert visit.page.locator("h1").inner_text().startswith("Engineering")


def _luminance(css: str, under: str = "rgb(255, 255, 255)") -> float:
    """Relative luminance of a CSS colour, blended over `under` when it is translucent."""
    values = [float(x) for x in re.findall(r"[\d.]+", css)]
    alpha = values[3] if len(values) > 3 else 1.0
    base = [float(x) for x in re.findall(r"[\d.]+", under)[:3]]
    r, g, b = ((alpha * c + (1 - alpha) * u) / 255 for c, u in zip(values[:3], base, strict=True))
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_dark_palette_keeps_charts_readable(served):
    base, browser, _ = served
    out = OUTPUT / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        page = browser.new_page(color_scheme=scheme, viewport={"width": 1280, "height": 900})
        page.goto(base + "teams/platform/")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == ("slate" if scheme == "dark" else "default")
        chart = page.locator("svg.okr-chart-history")
        chart.screenshot(path=str(out / f"history-{scheme}.png"))
        page.goto(base + "teams/growth/2026-Q4/")
        page.locator("svg.okr-chart-trajectory").first.screenshot(path=str(out / f"trajectory-{scheme}.png"))
        page.locator("svg.okr-map").first.screenshot(path=str(out / f"map-{scheme}.png"))
        label = page.evaluate("getComputedStyle(document.querySelector('.okr-chart .okr-label')).fill")
        node = page.evaluate("getComputedStyle(document.querySelector('.okr-map .okr-node-title')).fill")
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        for colour in (label, node):
            dark, light = sorted((_luminance(colour, background), _luminance(background)))
            assert (light + 0.05) / (dark + 0.05) >= 3, (scheme, colour, background)  # WCAG's ratio for graphics
        page.close()
