"""okrsite's sections join the site's own nav in `on_nav`: where the site's `nav:` puts them, never dropping its entries."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SECTIONS = ["Current cycle: 2026-Q2", "Alignment", "What we changed", "Practice health", "Trends", "Teams", "All teams", "Acme", "Web"]
SECTIONS += ["People", "Other cycles", "Six weeks 3", "2026-Q1"]


def nav(root: Path) -> list[str]:
    """The titles of Material's primary nav, in order, as a reader sees them on a page that is not in it."""
    html = (root / "site/teams/web/2026-Q2/index.html").read_text(encoding="utf-8")
    primary = html[html.index("md-sidebar--primary") : html.index("md-sidebar--secondary")]
    return [re.sub(r"\s+", " ", title) for title in re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', primary, re.S)]


def built(repo, okrsite, nav_yaml: str = "") -> Path:
    files = {
        "mkdocs.yml": f"site_name: Acme\ntheme: {{name: material, features: [navigation.footer]}}\n{nav_yaml}plugins: [okrsite]\n",
        "docs/about.md": "# About us\n",
        "docs/handbook/rhythm.md": "# Our rhythm\n",
    }
    root = repo(files)
    result = okrsite(root, "build", "--as-of", "2026-05-18")
    assert result.exit_code == 0, result.output
    return root


def test_without_a_nav_okrsite_comes_first_then_the_hand_written_pages(repo, okrsite) -> None:
    titles = nav(built(repo, okrsite))
    assert titles == ["Home", *SECTIONS, "About us", "Handbook", "Our rhythm"]


def test_the_site_s_nav_stays_as_written_and_okrsite_follows_it(repo, okrsite) -> None:
    root = built(repo, okrsite, "nav:\n  - Start here: index.md\n  - About: about.md\n")
    titles = nav(root)
    assert titles == ["Start here", "About", *SECTIONS]  # the site's Home entry with its title; no second Home


def test_an_okrsite_entry_in_the_nav_says_where_the_sections_go(repo, okrsite, caplog) -> None:
    root = built(repo, okrsite, "nav:\n  - Start: index.md\n  - OKRs:\n    - okrsite\n  - About: about.md\n")
    assert nav(root) == ["Start", "OKRs", *SECTIONS, "About"]
    assert "okrsite" not in " ".join(r.getMessage() for r in caplog.records if r.name.startswith("mkdocs.structure"))


def test_an_okrsite_page_the_nav_lists_itself_stays_where_it_is(repo, okrsite) -> None:
    root = built(repo, okrsite, "nav:\n  - Home: index.md\n  - Who we are: teams/index.md\n  - About: about.md\n")
    titles = nav(root)
    assert titles == ["Home", "Who we are", "About", *[s for s in SECTIONS if s != "All teams"]]
    assert titles.count("Home") == 1


@pytest.mark.parametrize("nav_yaml", ["", "nav:\n  - about.md\n  - okrsite\n"])
def test_previous_and_next_follow_the_nav(repo, okrsite, nav_yaml: str) -> None:
    """Material's footer links each page of the nav to its neighbours: okrsite's pages take part like the others."""
    root = built(repo, okrsite, nav_yaml)
    health = (root / "site/health/index.html").read_text(encoding="utf-8")
    assert re.search(r'class="md-footer__link md-footer__link--prev"[^>]*aria-label="Previous: What we changed"', health)
    assert re.search(r'class="md-footer__link md-footer__link--next"[^>]*aria-label="Next: Trends"', health)
