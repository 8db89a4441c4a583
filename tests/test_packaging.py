"""The wheel carries every template and asset, and the CI that `init` writes runs on it: in a fresh virtual
environment, the generated workflows' own shell steps (install, check, diff, build) run as a runner runs them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import yaml

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
    origin, okrs = tmp_path / "origin.git", tmp_path / "okrs"
    run(bin_dir / "python", "-m", "pip", "install", "-q", wheel, cwd=tmp_path)
    run(bin_dir / "okrsite", "init", "--as-of", "2026-11-25", "--name", "Wheelwright", okrs, cwd=tmp_path)  # the wheel's init
    run("git", "init", "-q", "--bare", "-b", "main", origin, cwd=tmp_path)
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "OKRs"], ["remote", "add", "origin", str(origin)]):
        git(okrs, *command)
    git(okrs, "push", "-q", "origin", "main")
    git(okrs, "checkout", "-qb", "new-check-in")
    document = okrs / "content/teams/wheelwright/2026-Q4.yml"
    document.write_text(document.read_text().replace("Customers get value from us every week", "Customers get value from us every day"))
    git(okrs, "commit", "-qam", "Sharper objective")
    env = {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "PIP_FIND_LINKS": str(tmp_path / "dist"),  # the requirement pins this okrsite, which no index holds yet
        "BASE_REF": "main",
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
        "SOURCE_DATE_EPOCH": "1764028800",  # 2026-11-25
    }
    workflow = yaml.safe_load((okrs / ".github/workflows/okrs.yml").read_text())
    outputs = {name: steps(job, okrs, env) for name, job in workflow["jobs"].items()}
    annotations = [line for line in outputs["check"].splitlines() if line.startswith("::")]
    assert all("file=content/teams/wheelwright/2026-Q4.yml," in line for line in annotations), annotations  # the PR's own file
    comment = (okrs / "okr-diff.md").read_text()
    assert comment.startswith("<!-- okrsite diff -->\n**1 team changed** between origin/main and the working tree: Wheelwright")
    assert "Customers get value from us every day" in comment
    page = (okrs / "site/teams/wheelwright/2026-Q4/index.html").read_text()
    assert "okrsite.css" in page and "Customers get value from us every day" in page
    assert (okrs / "site/assets/okrsite/okrsite.css").stat().st_size > 1000
    shutil.rmtree(okrs / "site")
    gitlab = yaml.safe_load((okrs / ".gitlab-ci.yml").read_text())
    for name in ("check", "pages"):
        script = "\n".join([*gitlab["default"]["before_script"], *gitlab[name]["script"]])
        shell(script, okrs, env)
    assert (okrs / "public/index.html").is_file() and "every day" in (okrs / "okr-diff.md").read_text()


def git(cwd: Path, *args: str) -> None:
    run("git", "-c", "user.name=W", "-c", "user.email=w@example.invalid", *args, cwd=cwd)


def shell(script: str, cwd: Path, env: dict[str, str]) -> str:
    """A step's script as a runner runs it: bash, stopping at the first failing command."""
    done = subprocess.run(["bash", "-e", "-c", script], cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, script + "\n" + done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout + done.stderr


def steps(job: dict[str, Any], cwd: Path, env: dict[str, str]) -> str:
    """Every shell step of a job, but the one that talks to GitHub's API (it needs GitHub)."""
    out = []
    for step in job["steps"]:
        if "run" in step and "gh " not in step["run"]:
            out.append(shell(step["run"], cwd, {**env, **{k: env.get(k, v) for k, v in step.get("env", {}).items()}}))
    return "".join(out)
