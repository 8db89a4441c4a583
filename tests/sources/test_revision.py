"""The commit a branch stood at on a day, for the digest's "as of --since": by merges on main, not by branch dates."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from okrsite.sources.revision import NoHistory, commit_on


def git(root: Path, *args: str, on: str = "2026-05-01") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": f"{on}T12:00:00+00:00", "GIT_COMMITTER_DATE": f"{on}T12:00:00+00:00"}
    command = ["git", "-c", "user.name=T", "-c", "user.email=t@example.invalid", *args]
    return subprocess.run(command, cwd=root, env=env, check=True, capture_output=True, text=True).stdout.strip()


def commit(root: Path, text: str, on: str) -> str:
    (root / "f.txt").write_text(text)
    git(root, "add", "f.txt", on=on)
    git(root, "commit", "-qm", text, on=on)
    return git(root, "rev-parse", "HEAD")


@pytest.fixture
def history(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """main: 1 May, 5 May, then on 12 May the merge of a branch whose own commit is dated 8 May."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    commits = {"first": commit(root, "first", "2026-05-01"), "main": commit(root, "main", "2026-05-05")}
    git(root, "checkout", "-qb", "branch")
    commits["branch"] = commit(root, "branch", "2026-05-08")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "merge", "branch", on="2026-05-12")
    commits["merge"] = git(root, "rev-parse", "HEAD")
    return root, commits


def test_the_branch_stands_where_main_stood_when_the_day_ended(history):
    root, commits = history
    assert commit_on(root, dt.date(2026, 5, 1)) == commits["first"]
    assert commit_on(root, dt.date(2026, 5, 10)) == commits["main"]  # the branch's commit of 8 May was not merged yet
    assert commit_on(root, dt.date(2026, 5, 12)) == commits["merge"]
    assert commit_on(root, dt.date(2026, 4, 30)) is None  # before the first commit


def test_no_repository_or_a_shallow_clone_that_does_not_reach_back_is_no_history(history, tmp_path, monkeypatch):
    plain = tmp_path / "plain"
    plain.mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # wherever the tests run, git looks no higher
    with pytest.raises(NoHistory, match="not in a git repository with commits"):
        commit_on(plain, dt.date(2026, 5, 10))
    root, commits = history
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{root}", str(shallow))
    assert commit_on(shallow, dt.date(2026, 5, 12)) == commits["merge"]
    with pytest.raises(NoHistory, match="shallow clone's history does not reach back to 2026-05-10"):
        commit_on(shallow, dt.date(2026, 5, 10))
