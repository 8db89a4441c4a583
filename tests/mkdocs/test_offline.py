"""Whatever a site configures, its pages make no request to another host: shown in Chromium, page by page.

The site below asks for everything that would call out: a GitHub repository button
(Material fetches its stars from api.github.com in every reader's browser), Google
Fonts, Google Analytics, a logo on a CDN, pymdownx.emoji's CDN images, extra CSS and
JavaScript from a CDN, a Mermaid diagram (Material fetches Mermaid from unpkg.com), an
image from another host in a hand-written page and in content. Only the intranet host it allows is asked for.
"""

from __future__ import annotations

import contextlib
import textwrap
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from okrsite.commands.cli import main

from ..browser import Visit, chromium, serve
from ..conftest import ACME, write_repo

pytestmark = pytest.mark.browser

ALLOWED = "images.intranet.example"
WEB = "content/teams/web/2026-Q2.yml"
CONFIG = f"""\
site_name: Acme OKRs
site_url: https://okrs.intranet.example/
repo_url: https://github.com/acme/okrs
edit_uri: edit/main/docs/
theme:
  name: material
  logo: https://cdn.example/logo.svg
  font:
    text: Roboto
  features: [content.action.edit]
extra:
  analytics:
    provider: google
    property: G-XXXXXXX
extra_css: [https://cdn.example/extra.css]
extra_javascript: [https://cdn.example/extra.js]
markdown_extensions:
  - pymdownx.emoji:  # as Material's documentation sets it up: its icons inline, emoji still from a CDN
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
plugins:
  - search
  - okrsite:
      allowed_hosts: [{ALLOWED}]
"""
GUIDE = """\
# Guide :smile:

Our mascot :material-account-circle: and a logo from elsewhere: <img alt="logo" src="https://cdn.example/logo.png">

```mermaid
graph LR
  Draft --> Check
```
"""


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object, Path, str]]:
    root = tmp_path_factory.mktemp("offline")
    note = f"'Chart ![ours](https://{ALLOWED}/chart.png) and ![theirs](https://cdn.example/t.png)'"
    web = textwrap.dedent(ACME[WEB]).replace("confidence: 7}", f"confidence: 7, note: {note}}}")
    web = web.replace("title: Pages feel instant", "title: 'Pages feel instant :rocket:'")
    write_repo(root, {**ACME, "mkdocs.yml": CONFIG, WEB: web, "docs/guide.md": GUIDE})
    with contextlib.chdir(root):
        result = CliRunner().invoke(main, ["build", "--as-of", "2026-05-18"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with serve(root / "site") as base, chromium() as browser:
        yield base, browser, root / "site", result.output


def test_no_page_asks_another_host_for_anything(offline_site):
    base, browser, site, _ = offline_site
    visit = Visit(browser, base)
    asked: dict[str, set[str]] = {}
    for path in sorted(site.rglob("*.html")):
        visit.foreign.clear()
        visit.page.goto(base + path.relative_to(site).as_posix(), wait_until="networkidle")
        visit.page.wait_for_timeout(200)  # Material asks for repository facts once the page has settled
        asked[path.relative_to(site).as_posix()] = {urlsplit(url).hostname or "" for url in visit.foreign}
    assert len(asked) > 20
    with_image = {"teams/web/index.html", "teams/web/2026-Q2/index.html"}  # the KR's note, on its team's pages
    assert {page: hosts for page, hosts in asked.items() if hosts} == {page: {ALLOWED} for page in with_image}
    assert visit.errors == []


def test_the_guide_draws_what_it_can_without_the_internet(offline_site):
    base, browser, _, _ = offline_site
    visit = Visit(browser, base)
    visit.page.goto(base + "guide/", wait_until="networkidle")
    assert "😄" in visit.page.locator("h1").inner_text()  # the emoji itself, not a CDN image
    assert visit.page.locator(".md-content svg").count() >= 1  # Material's icon, inline
    assert visit.page.locator("div.mermaid").count() == 1  # Material drew the diagram with the Mermaid okrsite.js stands in for
    assert visit.page.locator('.md-content img[alt="logo"]').evaluate("img => img.getAttribute('src')") is None
    assert visit.page.locator("a.md-source").count() >= 1  # the repository button stays a link
    assert visit.foreign == [] and visit.errors == []


def test_every_change_to_the_configuration_is_said(offline_site):
    _, _, _, output = offline_site
    assert "theme.font would load its fonts from Google Fonts, another host: okrsite turned it off" in output
    assert "extra_css: https://cdn.example/extra.css comes from another host: okrsite left it out" in output
    assert "extra.analytics would have every reader's browser fetch a script from the provider" in output
    assert output.count("https://cdn.example/logo.svg is on another host: pages do not load it") == 1  # on every page, said once
    assert "extra_javascript: https://cdn.example/extra.js comes from another host: okrsite left it out" in output
    assert "docs/guide.md:3:86: warning[external-resource]: this loads https://cdn.example/logo.png from cdn.example" in output
    assert "content/teams/web/2026-Q2.yml:13:137: warning[external-resource]: this loads https://cdn.example/t.png" in output
