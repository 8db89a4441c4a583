"""The built site in Debian's Chromium: maps that open their pages, search offline, no request elsewhere."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from okrsite.cli import main

from .browser import Visit, chromium, serve

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[str, object]]:
    """The example site built as of a fixed date, served on loopback, with a browser ready."""
    root = tmp_path_factory.mktemp("browser")
    for name in ("content", "docs", "templates", "mkdocs.yml"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    with contextlib.chdir(root):
        result = CliRunner().invoke(main, ["build", "--as-of", "2026-11-25"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with serve(root / "site") as base, chromium() as browser:
        yield base, browser


def test_clicking_a_map_node_opens_its_team_cycle_page(served):
    base, browser = served
    visit = Visit(browser, base)
    visit.page.goto(base + "alignment/2026-Q4/product/")
    node = visit.page.locator("a.okr-node", has_text="Trials become paying").first
    node.click()
    visit.page.wait_for_url("**/teams/growth/2026-Q4/#objective-conversion")
    assert visit.page.locator("h1").inner_text().startswith("Growth · Q4 2026")
    assert visit.foreign == [] and visit.errors == []


def test_map_nodes_are_reachable_with_the_keyboard(served):
    base, browser = served
    visit = Visit(browser, base)
    visit.page.goto(base + "teams/growth/2026-Q4/")
    node = visit.page.locator(".okr-map a.okr-node").first
    node.focus()
    assert visit.page.evaluate("document.activeElement.classList.contains('okr-node')")
    with visit.page.expect_navigation():
        visit.page.keyboard.press("Enter")
    assert "#objective-" in visit.page.url


def test_outline_filter_narrows_the_objectives(served):
    base, browser = served
    visit = Visit(browser, base)
    visit.page.goto(base + "alignment/2026-Q4/")
    visible = visit.page.locator("#okr-outline li[data-text]:visible")
    everything = visible.count()
    visit.page.fill("input[data-okr-filter]", "drive time")
    assert 0 < visible.count() < everything
    assert all("drive time" in visible.nth(i).get_attribute("data-text") for i in range(visible.count()))
    assert visit.errors == []


def test_search_finds_a_key_result_offline(served):
    base, browser = served
    visit = Visit(browser, base)
    visit.page.goto(base)
    visit.page.locator(".md-search__input").click()
    # the search worker loads the index first; Material says "Initializing search" until then
    visit.page.wait_for_function("!document.querySelector('.md-search-result__meta').textContent.includes('Initializing')", timeout=30000)
    visit.page.locator(".md-search__input").press_sequentially("technician")  # keystrokes, as a reader types
    result = visit.page.locator(".md-search-result__item").first
    result.wait_for(timeout=30000)
    assert "technician" in visit.page.locator(".md-search-result").inner_text().lower()
    assert visit.foreign == [] and visit.errors == []
