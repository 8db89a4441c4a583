"""The PR and CI workflow commands: demo, generate (and the rest as they land)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import yaml

from .test_site import visible


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_demo_is_byte_identical_for_a_seed(okrsite, tmp_path):
    for name in ("a", "b"):
        result = okrsite(tmp_path, "demo", "--teams", "12", "--cycles", "2", "--seed", "5", name)
        assert result.exit_code == 0, result.output
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert okrsite(tmp_path, "demo", "--teams", "12", "--cycles", "2", "--seed", "6", "c").exit_code == 0
    assert digest(tmp_path / "a") != digest(tmp_path / "c")
    assert okrsite(tmp_path / "a", "check", "--as-of", "2026-11-25").exit_code == 0


def test_demo_refuses_to_overwrite(okrsite, tmp_path):
    assert okrsite(tmp_path, "demo", "--teams", "2", "--cycles", "1", "x").exit_code == 0
    result = okrsite(tmp_path, "demo", "--teams", "2", "--cycles", "1", "x")
    assert result.exit_code == 2 and "content" in result.output


def test_generate_writes_the_pages_that_plain_mkdocs_builds(repo, okrsite):
    root = repo()
    result = okrsite(root, "generate", "--as-of", "2026-05-18", "docs-tree")
    assert result.exit_code == 0, result.output
    tree = root / "docs-tree"
    page = (tree / "teams/web/2026-Q2/index.md").read_text()
    assert page.startswith('---\ntitle: "Web \\u00b7 2026-Q2"\n---\n') and "0.25" in page
    nav = yaml.safe_load((tree / "okrsite-nav.yml").read_text())["nav"]
    assert nav[0] == {"Home": "index.md"}
    assert (tree / "assets/okrsite/okrsite.css").is_file() and (tree / "okrs.json").is_file()
    config = {
        "site_name": "Plain",
        "docs_dir": "docs-tree",
        "site_dir": "plain-site",
        "theme": {"name": "material", "font": False},
        "extra_css": ["assets/okrsite/okrsite.css"],
        "extra_javascript": ["assets/okrsite/okrsite.js"],
        "nav": nav,
    }
    (root / "plain.yml").write_text(yaml.safe_dump(config))
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", "plain.yml"], cwd=root, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert "800 → 700 → 400" in visible(root / "plain-site/teams/web/2026-Q2/index.html")


def test_generate_stops_on_content_errors(repo, okrsite):
    root = repo({"content/teams/web/team.yml": "name: Web\nparent: nobody\n"})
    result = okrsite(root, "generate", "out")
    assert result.exit_code == 1
    assert "content/teams/web/team.yml:2:9: error[unknown-team]" in result.output
    assert not (root / "out").exists()
