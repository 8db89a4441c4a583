"""The charts in Debian's Chromium: text a phone can read, pages that fit a phone, no accessibility violation in either scheme."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from okrsite.commands.cli import main

from .browser import chromium, serve
from .conftest import write_repo

pytestmark = pytest.mark.browser

AXE = Path.home() / ".cache/okrsite-node/node_modules/axe-core/axe.min.js"
CYCLES = 12
AS_OF = dt.date(2024, 1, 1) + dt.timedelta(days=91 * (CYCLES - 1) + 40)
"""Forty days into the last cycle, which runs."""
PAGES = ["teams/orbit/", f"teams/orbit/c{CYCLES - 1}/"]
"""A team page (the history chart) and a team-cycle page (trajectory and confidence charts)."""

MKDOCS = """\
site_name: Charts
theme:
  name: material
  font: false
  palette:
    - {media: "(prefers-color-scheme: light)", scheme: default, toggle: {icon: material/weather-night, name: Dark}}
    - {media: "(prefers-color-scheme: dark)", scheme: slate, toggle: {icon: material/weather-sunny, name: Light}}
plugins:
  - search
  - okrsite
"""


def _checkins(start: dt.date, end: dt.date, low: float, high: float) -> str:
    """Fortnightly check-ins from `low` towards `high`, up to the as-of date."""
    days = [start + dt.timedelta(days=d) for d in range(3, (end - start).days + 1, 14) if start + dt.timedelta(days=d) <= AS_OF]
    return ", ".join(f"{{date: {d}, value: {low + (high - low) * i / 6:g}, confidence: {5 + i % 4}}}" for i, d in enumerate(days))


def _document(i: int, start: dt.date, end: dt.date) -> str:
    return f"""\
        objectives:
          - id: speed
            title: The API answers before anyone notices
            type: committed
            key_results:
              - id: p95
                title: P95 latency of the public API
                baseline: 900
                target: 300
                unit: ms
                checkins: [{_checkins(start, end, 900, 300 + 20 * i)}]
              - id: up
                title: Availability of the public API
                keep_above: 99.9
                unit: "%"
                checkins: [{_checkins(start, end, 99.95, 99.85)}]
          - id: reach
            title: Every region on the new platform
            type: aspirational
            key_results:
              - id: regions
                title: Regions migrated
                baseline: 0
                target: 12
                checkins: [{_checkins(start, end, 0, 2 + i % 9)}]
        """


def _site() -> dict[str, str]:
    """One team with twelve quarters of long names, the last running, every kind of chart on its pages."""
    files = {"mkdocs.yml": MKDOCS, "content/teams/orbit/team.yml": "name: Orbit\n"}
    cycles = ["cycles:"]
    for i in range(CYCLES):
        start = dt.date(2024, 1, 1) + dt.timedelta(days=91 * i)
        end = start + dt.timedelta(days=83)
        cycles.append(
            f"  - {{id: c{i}, name: 'Fiscal quarter {i % 4 + 1} of {2024 + i // 4} (the long name)', start: {start}, end: {end}}}"
        )
        files[f"content/teams/orbit/c{i}.yml"] = _document(i, start, end)
    files["content/cycles.yml"] = "\n".join(cycles) + "\n"
    return files


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[str, object]]:
    root = write_repo(tmp_path_factory.mktemp("charts"), _site())
    with contextlib.chdir(root):
        result = CliRunner().invoke(main, ["build", "--as-of", AS_OF.isoformat()], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with serve(root / "site") as base, chromium() as browser:
        yield base, browser


TEXT = """() => [...document.querySelectorAll('svg.okr-chart')].map((svg) => [...svg.querySelectorAll('text')].map((t) => {
  const box = t.getBoundingClientRect();
  return {text: t.textContent, size: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
          left: box.left, top: box.top, right: box.right, bottom: box.bottom};
}))"""


@pytest.mark.parametrize("width", [390, 1280])
def test_chart_text_is_at_least_11px_and_no_two_labels_meet(served, width):
    base, browser = served
    page = browser.new_page(viewport={"width": width, "height": 900})
    for url in PAGES:
        page.goto(base + url)
        charts = page.evaluate(TEXT)
        assert len(charts) >= (1 if url == PAGES[0] else 6), url
        for texts in charts:
            assert [t["text"] for t in texts if t["size"] < 11] == [], (url, width)
            met = [(a["text"], b["text"]) for i, a in enumerate(texts) for b in texts[i + 1 :] if _meet(a, b)]
            assert met == [], (url, width)
    page.close()


def _meet(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def test_pages_with_charts_fit_a_phone(served):
    base, browser = served
    page = browser.new_page(viewport={"width": 390, "height": 844})
    for url in PAGES:
        page.goto(base + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
    page.close()


CONTRAST = """(background) => {
  const channels = (css) => css.match(/[\\d.]+/g).map(Number);
  const over = (css, under) => { const [r, g, b, a = 1] = channels(css), u = channels(under);
    return [r, g, b].map((c, i) => a * c + (1 - a) * u[i]); };
  const linear = (c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const luminance = (rgb) => { const [r, g, b] = rgb.map((c) => linear(c / 255));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const back = luminance(channels(background).slice(0, 3));
  return [...document.querySelectorAll('svg.okr-chart text')].map((t) => {
    const fore = luminance(over(getComputedStyle(t).fill, background));
    return [t.textContent, (Math.max(fore, back) + 0.05) / (Math.min(fore, back) + 0.05)];
  });
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_charts_pass_axe_and_their_text_contrasts(served, scheme):
    base, browser = served
    page = browser.new_page(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    for url in PAGES:
        page.goto(base + url)
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == ("slate" if scheme == "dark" else "default")
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        violations = page.evaluate(
            """async () => { const found = [];
              for (const chart of document.querySelectorAll('svg.okr-chart')) {
                const result = await axe.run(chart.closest('figure') || chart);
                for (const v of result.violations) found.push(v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', '));
              }
              return found; }"""
        )
        assert violations == [], (url, scheme)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        faint = [(text, round(ratio, 2)) for text, ratio in page.evaluate(CONTRAST, background) if ratio < 4.5]
        assert faint == [], (url, scheme)
    page.close()
