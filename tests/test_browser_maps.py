"""Alignment maps in Debian's Chromium: readable text at any width, a page that never overflows, zoom and pan, axe-clean.

The organisation of tests/map_org.py, built and served on loopback, read at a
desktop width (1280 px) and a phone's (390 px), in both colour schemes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, Page

from okrsite.commands.cli import main

from .browser import Visit, chromium, serve
from .conftest import write_repo
from .map_org import AS_OF, MAP_ORG, PAGES

pytestmark = pytest.mark.browser

AXE = Path.home() / ".cache/okrsite-node/node_modules/axe-core/axe.min.js"
MKDOCS = """\
site_name: Acme OKRs
theme:
  name: material
  font: false
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle: {icon: material/weather-night, name: Dark palette}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle: {icon: material/weather-sunny, name: Light palette}
plugins: [search, okrsite]
"""
URLS = {kind: page.removesuffix("index.html") for kind, page in PAGES.items()}


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[str, Browser]]:
    root = write_repo(tmp_path_factory.mktemp("browser-maps"), {**MAP_ORG, "mkdocs.yml": MKDOCS})
    with contextlib.chdir(root):
        result = CliRunner().invoke(main, ["build", "--as-of", AS_OF], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with serve(root / "site") as base, chromium() as browser:
        yield base, browser


def open_page(served: tuple[str, Browser], kind: str, width: int = 1280, scheme: str = "light") -> Page:
    base, browser = served
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)  # type: ignore[arg-type]
    page.goto(base + URLS[kind])
    return page


TEXT = """() => {
  const svg = document.querySelector('svg.okr-map');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return {scale, sizes: [...svg.querySelectorAll('.okr-node text')].map((t) => ({
    css: parseFloat(getComputedStyle(t).fontSize),
    rendered: parseFloat(getComputedStyle(t).fontSize) * t.getBoundingClientRect().width / t.getBBox().width,
  }))};
}"""


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("kind", ["team cycle", "department"])
def test_map_text_is_at_least_12_px_on_a_desktop_and_on_a_phone(served, kind, width):
    page = open_page(served, kind, width)
    found = page.evaluate(TEXT)
    assert found["scale"] == pytest.approx(1, abs=0.005)  # drawn at its own size, never shrunk to the column
    assert found["sizes"] and min(s["css"] for s in found["sizes"]) >= 12
    assert min(s["rendered"] for s in found["sizes"]) >= 11.9
    page.close()


def test_each_box_s_text_fits_inside_it(served):
    page = open_page(served, "department")
    overflowing = page.evaluate("""() => [...document.querySelectorAll('.okr-map a.okr-node')].flatMap((a) => {
      const box = a.querySelector('rect').getBBox();
      return [...a.querySelectorAll('text')].map((t) => t.getBBox())
        .filter((b) => b.x < box.x || b.x + b.width > box.x + box.width || b.y < box.y || b.y + b.height > box.y + box.height)
        .map(() => a.querySelector('title').textContent);
    })""")
    assert overflowing == []
    page.close()


@pytest.mark.parametrize("kind", list(PAGES))
def test_on_a_phone_the_map_scrolls_in_its_block_and_the_page_does_not(served, kind):
    page = open_page(served, kind, 390)
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    view = page.locator(".okr-map-view")
    assert view.evaluate("(v) => v.scrollWidth > v.clientWidth && getComputedStyle(v).overflowX === 'auto'")
    assert page.locator(".okr-map-block .okr-legend").is_visible()
    page.close()


def width_of_map(page: Page) -> float:
    return page.locator("svg.okr-map").evaluate("(svg) => svg.getBoundingClientRect().width")


def test_zoom_buttons_make_the_map_bigger_and_smaller_and_reset_it(served):
    page = open_page(served, "department")
    natural = width_of_map(page)
    zoom_in = page.get_by_role("button", name="Zoom in")
    zoom_in.click()
    assert width_of_map(page) == pytest.approx(natural * 1.25, abs=1)
    page.get_by_role("button", name="Zoom out").click()
    page.get_by_role("button", name="Zoom out").click()
    assert width_of_map(page) == pytest.approx(natural / 1.25, abs=1)
    page.get_by_role("button", name="Reset zoom").click()
    assert width_of_map(page) == pytest.approx(natural, abs=1)
    zoom_in.focus()  # the buttons work from the keyboard
    page.keyboard.press("Enter")
    assert width_of_map(page) > natural
    page.close()


def test_ctrl_wheel_zooms_and_dragging_pans_without_opening_a_box(served):
    page = open_page(served, "department")
    natural = width_of_map(page)
    view = page.locator(".okr-map-view")
    box = view.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 200, box["y"] + 200)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -100)
    page.keyboard.up("Control")
    page.wait_for_function(f"document.querySelector('svg.okr-map').getBoundingClientRect().width > {natural + 1}")
    url, left = page.url, view.evaluate("(v) => v.scrollLeft")
    x, y = page.evaluate("""() => {  // a point of the view on a box, from where a drag to the left stays in the view
      const view = document.querySelector('.okr-map-view').getBoundingClientRect();
      for (let y = view.top + 20; y < Math.min(view.bottom, innerHeight); y += 10)
        for (let x = view.left + 150; x < view.right; x += 10)
          if (document.elementFromPoint(x, y).closest('a.okr-node')) return [x, y];
    }""")
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 10, y, steps=3)
    page.mouse.move(x - 100, y, steps=5)
    page.mouse.up()
    assert view.evaluate("(v) => v.scrollLeft") == left + 100  # the map follows the mouse
    assert page.url == url  # and the box the drag ended on did not open
    page.close()


def test_a_box_still_opens_its_objective(served):
    base, browser = served
    visit = Visit(browser, base)
    visit.page.goto(base + URLS["department"])
    node = visit.page.locator("a.okr-node", has_text="The ledger balances to the cent")
    node.scroll_into_view_if_needed()
    node.click()
    visit.page.wait_for_url("**/teams/ledger/2026-Q2/#objective-ledger-exact")
    assert visit.foreign == [] and visit.errors == []


def test_without_scripts_the_map_still_scrolls_and_shows_no_dead_buttons(served):
    base, browser = served
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(base + URLS["department"])
    assert not page.get_by_role("button", name="Zoom in").is_visible()
    assert page.locator(".okr-map-view").evaluate("(v) => v.scrollWidth > v.clientWidth && getComputedStyle(v).overflowX === 'auto'")
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_axe_finds_nothing_in_the_map_blocks(served, kind, scheme):
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed at {AXE}")
    page = open_page(served, kind, scheme=scheme)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == ("slate" if scheme == "dark" else "default")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    violations = page.evaluate("""async () => {
      const found = [];
      for (const block of document.querySelectorAll('.okr-map-block')) {
        const result = await axe.run(block);
        found.push(...result.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')));
      }
      return found;
    }""")
    assert violations == []
    page.close()
