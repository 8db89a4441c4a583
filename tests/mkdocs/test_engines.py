"""The engines after MkDocs 1.x: ProperDocs runs the plugin and gives MkDocs' pages; Zensical, which skips plugins it
does not know, builds what `okrsite generate` writes and shows the same text as MkDocs does."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from okrsite.commands.generate import NAV_FILE

from ..conftest import ACME, build_example, write_repo

AS_OF = "2026-11-25"
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def run(root: Path, *command: str) -> None:
    env = {**os.environ, "OKRSITE_AS_OF": AS_OF, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", *command], cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def tree(folder: Path) -> dict[str, bytes]:
    """Every file of a built site; the generator tag, which names the engine, left out."""
    return {p.relative_to(folder).as_posix(): GENERATOR.sub(b"", p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()}


def test_properdocs_builds_the_example_with_the_plugin_like_mkdocs(tmp_path):
    build_example(tmp_path, AS_OF)  # the copy of the example to build again
    run(tmp_path, "mkdocs", "build", "-q", "-d", "by-mkdocs")
    run(tmp_path, "properdocs", "build", "-q", "-d", "by-properdocs")
    mkdocs, properdocs = tree(tmp_path / "by-mkdocs"), tree(tmp_path / "by-properdocs")
    assert len(mkdocs) > 100 and "teams/growth/2026-Q4/index.html" in mkdocs
    assert sorted(properdocs) == sorted(mkdocs)
    assert [name for name in mkdocs if properdocs[name] != mkdocs[name]] == []
    assert b"ProperDocs" in (tmp_path / "by-properdocs/index.html").read_bytes()  # it was ProperDocs that built it


TRICKY = {
    "content/teams/web/2026-Q2.yml": """\
        objectives:
          - id: speed
            title: "Pages load in half the time (H2), \\\\(x\\\\) and $5 to 6$"
            type: committed
            aligns_to: [acme/growth]
            key_results:
              - id: p95
                title: "[Draft] P95 in ms: *fast*, a_b_c, $$ 1 + 1 $$, \\\\[y\\\\]"
                baseline: 800
                target: 400
                bet: dashboards that lag a day hide the slow pages
                checkins: [{date: 2026-05-11, value: 700, confidence: 7}]
        """,
}


def article(page: Path) -> str:
    """The text of a page's article as a reader sees it: tags, scripts and heading anchors left out."""
    found = re.search(r"<article[^>]*>(.*?)</article>", page.read_text(encoding="utf-8"), re.S)
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>|<a [^>]*headerlink[^>]*>.*?</a>", " ", found.group(1) if found else "")
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


@pytest.mark.parametrize("files", [{}, TRICKY], ids=["acme", "maths-like-titles"])
def test_zensical_builds_the_generated_pages_with_the_text_mkdocs_shows(tmp_path, okrsite, files):
    root = write_repo(tmp_path / "repo", {**ACME, **files})
    assert okrsite(root, "generate", "--as-of", "2026-05-18", str(tmp_path / "docs")).exit_code == 0
    config = {
        "site_name": "Acme OKRs",
        "docs_dir": "docs",
        "theme": {"name": "material", "font": False},
        "extra_css": ["assets/okrsite/okrsite.css"],
        "extra_javascript": ["assets/okrsite/okrsite.js"],
        **yaml.safe_load((tmp_path / "docs" / NAV_FILE).read_text(encoding="utf-8")),
    }
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump({**config, "site_dir": "by-zensical"}), encoding="utf-8")
    run(tmp_path, "zensical", "build")  # with its default Markdown extensions, arithmatex among them
    (tmp_path / "plain.yml").write_text(yaml.safe_dump({**config, "site_dir": "by-mkdocs"}), encoding="utf-8")
    run(tmp_path, "mkdocs", "build", "-q", "-f", "plain.yml")
    pages = sorted(p.relative_to(tmp_path / "by-mkdocs") for p in (tmp_path / "by-mkdocs").rglob("index.html"))
    assert len(pages) >= 15
    differ = {str(p): (article(tmp_path / "by-mkdocs" / p), article(tmp_path / "by-zensical" / p)) for p in pages}
    assert {p: texts for p, texts in differ.items() if texts[0] != texts[1]} == {}
    if files:
        web = article(tmp_path / "by-zensical/teams/web/2026-Q2/index.html")
        assert "Pages load in half the time (H2), \\(x\\) and $5 to 6$" in web  # as typed: no maths, no lost backslash
        assert "[Draft] P95 in ms: *fast*, a_b_c, $$ 1 + 1 $$, \\[y\\]" in web
        assert "arithmatex" not in (tmp_path / "by-zensical/teams/web/2026-Q2/index.html").read_text(encoding="utf-8")
        assert okrsite(root, "build", "--as-of", "2026-05-18").exit_code == 0
        indexes = {
            "okrsite": searched(root / "site/search/search_index.json", "docs"),
            "mkdocs": searched(tmp_path / "by-mkdocs/search/search_index.json", "docs"),
            "zensical": searched(tmp_path / "by-zensical/search.json", "items"),
        }
        for engine, index in indexes.items():
            assert "dashboards that lag a day" in index["teams/web/2026-Q2/"], engine  # a KR's bet: what readers search for
            assert "On Web's page" in article(tmp_path / "by-zensical/changes/index.html")
            assert "On Web's page" not in index["changes/"], engine  # the changes list, which only okrsite's page search skipped


def searched(index: Path, key: str) -> dict[str, str]:
    """The text a search index holds, by page."""
    pages: dict[str, str] = {}
    for entry in yaml.safe_load(index.read_text(encoding="utf-8"))[key]:
        page = entry["location"].partition("#")[0]
        pages[page] = pages.get(page, "") + " " + html.unescape(re.sub(r"<[^>]+>", " ", entry["title"] + " " + entry["text"]))
    return pages
