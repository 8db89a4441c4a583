"""Shared fixtures: small OKR repositories written by the tests themselves."""

from __future__ import annotations

import contextlib
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from okrsite.commands.cli import main

ROOT = Path(__file__).resolve().parents[1]
"""The repository: its example organisation is `content/`."""
CYCLES = """\
cycles:
  - id: 2026-Q1
    start: 2026-01-05
    end: 2026-03-27
  - id: 2026-Q2
    start: 2026-04-06
    end: 2026-06-26
  - id: 2026-S3
    name: Six weeks 3
    start: 2026-05-04
    end: 2026-06-12
    checkin_every: 14
"""

ACME = {
    "mkdocs.yml": "site_name: Acme OKRs\ntheme: {name: material}\nplugins:\n  - search\n  - okrsite\n",
    "content/cycles.yml": CYCLES,
    "content/teams/acme/team.yml": "name: Acme\nlead: Road Runner\n",
    "content/teams/acme/2026-Q2.yml": """\
        objectives:
          - id: growth
            title: Customers pick Acme first
            type: aspirational
            key_results:
              - id: revenue
                title: Monthly recurring revenue in k EUR
                baseline: 100
                target: 150
                checkins:
                  - {date: 2026-05-11, value: 120, confidence: 6}
        """,
    "content/teams/web/team.yml": "name: Web\nparent: acme\n",
    "content/teams/web/2026-Q2.yml": """\
        objectives:
          - id: speed
            title: Pages feel instant
            type: committed
            aligns_to: [acme/growth]
            key_results:
              - id: p95
                title: P95 load time in ms
                baseline: 800
                target: 400
                depends_on: [acme/growth/revenue]
                checkins:
                  - {date: 2026-05-11, value: 700, confidence: 7}
        """,
}


def build_example(root: Path, as_of: str = "2026-11-25") -> Path:
    """The repository's example organisation, copied to `root` and built as of a fixed date; returns its site folder."""
    for name in ("content", "docs", "templates", "mkdocs.yml"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    with contextlib.chdir(root):
        result = CliRunner().invoke(main, ["build", "--as-of", as_of], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root / "site"


def write_repo(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Callable[..., Path]:
    """Write the small Acme organisation, with some files changed or added, and return its root."""

    def make(files: dict[str, str] | None = None, drop: tuple[str, ...] = ()) -> Path:
        merged = {k: v for k, v in ACME.items() if k not in drop}
        merged.update(files or {})
        return write_repo(tmp_path / "site", merged)

    return make


@pytest.fixture
def okrsite(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run the okrsite command in a folder, as a user would from a shell."""

    def run(root: Path, *args: str) -> Result:
        monkeypatch.chdir(root)
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return run
