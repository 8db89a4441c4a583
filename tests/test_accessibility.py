"""Every kind of page in a real browser, as readers get them: axe-core finds nothing in light or dark, a phone never
scrolls sideways, and screenshots of each are left for a person to look at."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from .browser import Visit, chromium, serve
from .conftest import ROOT, build_example

pytestmark = pytest.mark.browser

NODE_TOOLS = Path(os.environ.get("OKRSITE_NODE_TOOLS", Path.home() / ".cache/okrsite-node"))
AXE = NODE_TOOLS / "node_modules/axe-core/axe.min.js"
SCREENSHOTS = ROOT / "test-output/screenshots"
"""For a person to review (not committed)."""

PAGE_KINDS = {
    "home": "",
    "cycle": "cycles/2026-Q4/",
    "past-cycle": "cycles/2026-Q2/",
    "review": "cycles/2026-Q4/review/",
    "team-directory": "teams/",
    "team": "teams/growth/",
    "team-cycle": "teams/growth/2026-Q4/",
    "short-cycle": "teams/mobile/2026-S6/",
    "alignment": "alignment/2026-Q4/",
    "department-map": "alignment/2026-Q4/product/",
    "changes": "changes/",
    "changes-of-a-cycle": "changes/2026-Q3/",
    "health": "health/",
    "trends": "trends/",
    "people": "people/",
    "person": "people/sofia-marquez/",
    "lead": "people/kenji-arai/",
    "hand-written": "how-we-work/",
}
SCHEMES = ("light", "dark")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[str, object, Path]]:
    assert AXE.is_file(), "axe-core is missing: run scripts/setup-machine.sh"
    site = build_example(tmp_path_factory.mktemp("a11y"))
    with serve(site) as base, chromium() as browser:
        yield base, browser, site


def _violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    """axe-core's findings on the whole page (the theme's markup included), one line per rule with where it fails."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [f"{v['id']} ({v['impact']}): " + json.dumps([n["target"] for n in v["nodes"][:5]]) for v in found]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_core_finds_no_violation_on_any_kind_of_page(served, scheme):
    base, browser, _ = served
    page = browser.new_page(color_scheme=scheme, viewport=DESKTOP)
    found = {}
    for kind, url in PAGE_KINDS.items():
        page.goto(base + url)
        expected = "slate" if scheme == "dark" else "default"
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
        if violations := _violations(page):
            found[kind] = violations
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{kind}-{scheme}.png"), full_page=True)
    page.close()
    assert found == {}


def test_no_page_scrolls_sideways_on_a_phone(served):
    """At 390 px every page fits the screen: wide tables and maps scroll inside their own frame."""
    base, browser, site = served
    visit = Visit(browser, base)
    visit.page.set_viewport_size(PHONE)
    wide = {}
    pages = ["" if p.parent == site else p.parent.relative_to(site).as_posix() + "/" for p in sorted(site.rglob("index.html"))]
    for url in pages:
        visit.page.goto(base + url)
        width = visit.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            wide[url] = width
    for kind, url in PAGE_KINDS.items():
        visit.page.goto(base + url)
        visit.page.screenshot(path=str(SCREENSHOTS / f"{kind}-phone.png"), full_page=True)
    assert wide == {}
    assert visit.errors == []


def test_a_wide_table_on_a_phone_keeps_its_first_column_in_view(served):
    base, browser, _ = served
    page = browser.new_page(viewport=PHONE)
    page.goto(base)
    frame = page.locator(".md-typeset__scrollwrap").first
    first, second = frame.locator("tbody tr td").nth(0), frame.locator("tbody tr td").nth(1)
    before = second.bounding_box()["x"]
    frame.evaluate("frame => frame.scrollBy(400, 0)")
    moved = before - second.bounding_box()["x"]
    assert moved > 100  # the table is wider than the phone, and scrolls
    assert first.bounding_box()["x"] >= 0  # while the team names stay in view
    page.close()
