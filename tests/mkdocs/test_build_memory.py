"""A build lets go of what it no longer needs: the loaded content once the pages are made, each page's set-aside HTML once it is written."""

from __future__ import annotations

import contextlib

from mkdocs.commands.build import build
from mkdocs.config import load_config

from okrsite.mkdocs.plugin import OkrsitePlugin


def test_a_build_keeps_no_page_s_blocks_once_the_pages_are_written(repo, monkeypatch):
    root = repo({"docs/about.md": "# About\n"})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1779667200")
    with contextlib.chdir(root):
        config = load_config("mkdocs.yml")
        build(config)
    plugin = config.plugins["okrsite"]
    assert isinstance(plugin, OkrsitePlugin)
    page = (root / "site/teams/web/2026-Q2/index.html").read_text(encoding="utf-8")
    assert "P95 load time in ms" in page and "okrsite-block-" not in page  # the blocks were put back
    assert plugin.blocks == {} and plugin.analysis is None  # nor the loaded content, once the pages were made
