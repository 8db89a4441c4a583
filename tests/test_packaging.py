"""The wheel carries every template and asset: installed into a fresh virtual environment, init then build works."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*command: str | Path, cwd: Path) -> str:
    result = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout + result.stderr


def test_wheel_installs_into_a_fresh_venv_and_builds_a_new_site(tmp_path):
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", tmp_path / "dist", ROOT, cwd=tmp_path)
    wheel = next((tmp_path / "dist").glob("okrsite-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    packaged_files = [
        *("okrsite/site/templates/team_cycle.md", "okrsite/site/templates/partials/key_result.md"),
        *("okrsite/site/assets/okrsite.css", "okrsite/site/assets/okrsite.js"),
        *("okrsite/commands/scaffold/github-workflow.yml", "okrsite/mkdocs/nodocs/.readme", "okrsite/py.typed"),
    ]
    for packaged in packaged_files:
        assert packaged in names, packaged
    run(sys.executable, "-m", "venv", tmp_path / "venv", cwd=tmp_path)
    bin_dir = tmp_path / "venv" / "bin"
    run(bin_dir / "python", "-m", "pip", "install", "-q", wheel, cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run(bin_dir / "okrsite", "init", "--as-of", "2026-11-25", "--name", "Wheelwright", "okrs", cwd=elsewhere)
    out = run(bin_dir / "okrsite", "build", "--as-of", "2026-11-25", cwd=elsewhere / "okrs")
    assert "built" in out
    page = (elsewhere / "okrs/site/teams/wheelwright/2026-Q4/index.html").read_text()
    assert "okrsite.css" in page and "Customers get value from us every week" in page
    assert (elsewhere / "okrs/site/assets/okrsite/okrsite.css").stat().st_size > 1000
