"""Edit links go through MkDocs' own `edit_uri` of each generated file: the theme's button and the page's Source link agree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from okrsite.site.edit_links import EditLinks

PAGE = "site/teams/web/2026-Q2/index.html"
SOURCE = "content/teams/web/2026-Q2.yml"


def links(root: Path) -> tuple[str | None, str | None]:
    """The theme's edit button and okrsite's "Source:" link on Web's 2026-Q2 page."""
    html = (root / PAGE).read_text(encoding="utf-8")
    button = re.search(r'<a href="([^"]+)" title="Edit this page"', html)
    source = re.search(r'Source: <a href="([^"]+)">', html)
    return (button.group(1) if button else None), (source.group(1) if source else None)


def site(settings: str) -> str:
    return f"site_name: Acme\ntheme: {{name: material, features: [content.action.edit]}}\n{settings}plugins: [okrsite]\n"


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            "repo_url: https://git.example/acme/okrs\nedit_uri: edit/main/docs/\n",
            "https://git.example/acme/okrs/edit/main/content/teams/web/2026-Q2.yml",
        ),
        (
            "repo_url: https://git.example/acme/okrs\nedit_uri_template: 'src/branch/main/docs/{path}?mode=edit'\n",
            "https://git.example/acme/okrs/src/branch/main/content/teams/web/2026-Q2.yml?mode=edit",
        ),
        (  # a docs folder two deep: the content still sits beside the site's root, not beside the docs
            "repo_url: https://git.example/acme/okrs\ndocs_dir: handbook/pages\nedit_uri: edit/main/handbook/pages/\n",
            "https://git.example/acme/okrs/edit/main/content/teams/web/2026-Q2.yml",
        ),
    ],
    ids=["edit_uri", "edit_uri_template", "nested docs_dir"],
)
def test_the_edit_button_and_the_source_link_open_the_content_file(repo, okrsite, settings: str, expected: str) -> None:
    root = repo({"mkdocs.yml": site(settings), "docs/.keep": "", "handbook/pages/.keep": ""})
    result = okrsite(root, "build", "--as-of", "2026-05-18")
    assert result.exit_code == 0, result.output
    assert links(root) == (expected, expected)


def test_mkdocs_default_edit_uri_for_a_github_repository_reaches_generated_pages(repo, okrsite) -> None:
    """MkDocs gives GitHub repositories `edit/master/docs/` by itself; okrsite's pages follow it like hand-written ones."""
    root = repo({"mkdocs.yml": site("repo_url: https://github.com/acme/okrs\n")})
    assert okrsite(root, "build", "--as-of", "2026-05-18").exit_code == 0
    assert links(root) == ("https://github.com/acme/okrs/edit/master/content/teams/web/2026-Q2.yml",) * 2


def test_pages_without_a_content_file_have_no_edit_button(repo, okrsite) -> None:
    root = repo({"mkdocs.yml": site("repo_url: https://git.example/acme/okrs\nedit_uri: edit/main/docs/\n")})
    assert okrsite(root, "build", "--as-of", "2026-05-18").exit_code == 0
    for page in ("site/index.html", "site/cycles/2026-Q2/index.html", "site/health/index.html"):
        assert 'title="Edit this page"' not in (root / page).read_text(encoding="utf-8"), page


@pytest.mark.parametrize(
    ("links", "expected"),
    [
        (EditLinks("https://git.example/r", "edit/main/docs/"), "https://git.example/r/edit/main/content/t/2026-Q1.yml"),
        (EditLinks("https://git.example/r/", "/edit/main/docs"), "https://git.example/edit/main/content/t/2026-Q1.yml"),
        (EditLinks(None, "https://other.example/x/docs/"), "https://other.example/x/content/t/2026-Q1.yml"),
        (EditLinks(None, "edit/main/docs/"), None),  # a relative edit_uri needs a repository to be relative to
        (EditLinks("https://git.example/r", None, "{path_noext}.yml/edit"), "https://git.example/content/t/2026-Q1.yml/edit"),
        (EditLinks("https://git.example/r", None, "edit/{nope}"), None),  # a template MkDocs refuses
        (EditLinks("https://git.example/r"), None),
    ],
)
def test_edit_links_follow_mkdocs_rules(links: EditLinks, expected: str | None) -> None:
    assert links.url("content/t/2026-Q1.yml") == expected
