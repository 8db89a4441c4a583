"""The trends page and a team's history in Debian's Chromium: no accessibility violation in either scheme, pages that fit
a phone, chart text a phone can read and no two labels meeting."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from okrsite.commands.cli import main

from .browser import chromium, serve
from .conftest import ACME, CYCLES, write_repo
from .site.test_trends import DOCS
from .test_browser_charts import AXE, MKDOCS, TEXT, _meet

pytestmark = pytest.mark.browser

PAGES = ["trends/", "teams/web/"]
LONG = "Every technician in the field finds the answer to a customer's question without calling the office"
"""A long pulse question, asked in both quarters: its words wrap under the chart."""


def _site() -> dict[str, str]:
    """Acme and its department Web over two quarters with long names, confidences, pulse answers and a retrospective."""
    cycles = CYCLES.replace("id: 2026-Q1\n", "id: 2026-Q1\n    name: First fiscal quarter of 2026 (the long name)\n")
    cycles = cycles.replace("id: 2026-Q2\n", "id: 2026-Q2\n    name: Second fiscal quarter of 2026 (the long name)\n")
    files = {**ACME, **DOCS, "mkdocs.yml": MKDOCS, "content/cycles.yml": cycles}
    for name, score in (("content/teams/web/2026-Q1.yml", 2.0), ("content/teams/web/2026-Q2.yml", 4.5)):
        files[name] = files[name].rstrip(" ") + f"            - {{text: {LONG}, score: {score}}}\n"  # indented as DOCS are
    files["content/teams/web/2026-Q1.yml"] += "        retrospective:\n          changes: [Check in every Monday, Nothing.]\n"
    return files


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[str, object]]:
    assert AXE.is_file(), "axe-core is missing: run scripts/setup-machine.sh"
    root = write_repo(tmp_path_factory.mktemp("trends"), _site())
    with contextlib.chdir(root):
        result = CliRunner().invoke(main, ["build", "--as-of", "2026-07-10"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with serve(root / "site") as base, chromium() as browser:
        yield base, browser


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_core_finds_no_violation(served, scheme):
    base, browser = served
    page = browser.new_page(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    found = {}
    for url in PAGES:
        page.goto(base + url)
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == ("slate" if scheme == "dark" else "default")
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
        if violations:
            found[url] = [f"{v['id']}: " + json.dumps([n["target"] for n in v["nodes"][:5]]) for v in violations]
    page.close()
    assert found == {}


def test_the_pages_fit_a_phone(served):
    base, browser = served
    page = browser.new_page(viewport={"width": 390, "height": 844})
    for url in PAGES:
        page.goto(base + url)
        assert page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]") == [390, 390], url
    page.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_chart_text_is_at_least_11px_and_no_two_labels_meet(served, width):
    base, browser = served
    page = browser.new_page(viewport={"width": width, "height": 900})
    for url in PAGES:
        page.goto(base + url)
        charts = page.evaluate(TEXT)
        assert len(charts) >= (5 if url == "trends/" else 3), url  # trends: scores, statuses, signals, calibration, pulse
        for texts in charts:
            assert [t["text"] for t in texts if t["size"] < 11] == [], (url, width)
            met = [(a["text"], b["text"]) for i, a in enumerate(texts) for b in texts[i + 1 :] if _meet(a, b)]
            assert met == [], (url, width)
    page.close()
